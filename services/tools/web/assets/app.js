/* The page of cchc-web: reads /v1/units, /v1/forms, /v1/charts and /v1/live
 * of its own origin and draws them; nothing else is asked of anyone. The
 * figures' text comes from the server, formatted as the forms print them
 * (45.148; 93,56), so no digit is decided here; charts and today's counts
 * are integers, grouped by the language's convention. The state lives in
 * the address (?unit=...&from=...&to=...&form=3&lang=en), so a view can be
 * bookmarked and sent. Every text from the data goes in as text, never as
 * markup. */
'use strict';

const T = {
  vi: {
    title: 'Số liệu cải cách hành chính', unit: 'Đơn vị', window: 'Thời gian',
    period: 'Kỳ báo cáo', range: 'Từ ngày', to: 'đến', as_of: 'Theo đơn vị hành chính ngày',
    show: 'Xem', live: 'Hôm nay', received: 'Tiếp nhận', received_online: 'Trực tuyến',
    resolved: 'Đã giải quyết', on_time: 'Đúng hạn', updated: 'Cập nhật lúc',
    applied: 'sự kiện đã áp dụng', download: 'Tải về',
    ranking: 'Xếp hạng theo tỷ lệ giải quyết đúng hạn (%)',
    months: 'Hồ sơ tiếp nhận và giải quyết theo tháng (cả các đơn vị trực thuộc)',
    online: 'Hồ sơ tiếp nhận theo hình thức; trực tuyến', online_part: 'Trực tuyến',
    direct: 'Trực tiếp', postal: 'Bưu chính công ích',
    footer: 'Số liệu đọc trực tiếp từ Redis của cchc (chỉ đọc).', all: 'Tất cả',
    form: 'Biểu mẫu', stt: 'STT', label: 'Chỉ tiêu thống kê', uom: 'Đơn vị tính',
    value: 'Số liệu', extra: 'Số liệu chi tiết (phần nội dung báo cáo; mã bổ sung)',
    unit_line: 'Đơn vị', window_line: 'Số liệu từ {from} đến {to}',
    as_of_line: 'theo đơn vị hành chính ngày {day}', no_districts: 'không còn cấp huyện',
    province: 'cấp tỉnh', district: 'cấp huyện', commune: 'cấp xã', month: 'Kỳ',
    no_rank: 'Không có đơn vị trực thuộc để xếp hạng', loading: 'Đang tải…',
    not_in_tree: 'không có trong cây đơn vị ngày {day}',
    bad_period: 'Kỳ báo cáo: 2022, 2022-H1, 2022-Q1 hoặc 2022-05',
  },
  en: {
    title: 'Administrative reform statistics', unit: 'Unit', window: 'Time',
    period: 'Reporting period', range: 'From', to: 'to', as_of: "As today's units of",
    show: 'Show', live: 'Today', received: 'Received', received_online: 'Online',
    resolved: 'Resolved', on_time: 'On time', updated: 'Updated at',
    applied: 'events applied', download: 'Download',
    ranking: 'Ranking by share of dossiers resolved on time (%)',
    months: 'Dossiers received and resolved per month (subordinate units included)',
    online: 'Dossiers received by channel; online', online_part: 'Online',
    direct: 'In person', postal: 'Public postal service',
    footer: "Figures read straight from cchc's Redis (read-only).", all: 'All',
    form: 'Form', stt: 'No.', label: 'Indicator', uom: 'Unit of measure', value: 'Figure',
    extra: "Detailed figures (the report's text; additional codes)",
    unit_line: 'Unit', window_line: 'Figures from {from} to {to}',
    as_of_line: "as the units of {day}", no_districts: 'no district level',
    province: 'province level', district: 'district level', commune: 'commune level',
    month: 'Month', no_rank: 'No subordinate unit to rank', loading: 'Loading…',
    not_in_tree: 'not in the tree of units on {day}',
    bad_period: 'Reporting period: 2022, 2022-H1, 2022-Q1 or 2022-05',
  },
};

const LIVE_SECONDS = 5;
const $ = (id) => document.getElementById(id);
/* shown: the parameters of what is on screen (the last view drawn): the
 * downloads, the address and today's counts follow it, not the controls
 * being edited. Each kind of request carries a number; an answer older than
 * the last one asked is dropped. */
const state = { lang: 'vi', form: 0, units: [], forms: null, charts: null, live: null, shown: null };
const asked = { units: 0, show: 0, live: 0 };
const charts = {};
window.cchc = { state, charts }; /* for people debugging, and for tests/web */

function t(key, args) {
  let s = T[state.lang][key] || T.vi[key] || key;
  for (const k in args || {}) s = s.replace('{' + k + '}', args[k]);
  return s;
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const k in attrs || {}) {
    if (k === 'class') e.className = attrs[k];
    else e.setAttribute(k, attrs[k]);
  }
  for (const c of children) e.append(c === null || c === undefined ? '' : c);
  return e;
}

function integer(n) {
  return n === null || n === undefined ? '' :
    new Intl.NumberFormat(state.lang === 'en' ? 'en-GB' : 'vi-VN').format(n);
}

/* A rate as the server wrote it ("93.56"), in the language's decimal mark. */
function rate(s) {
  return s === null || s === undefined ? '' : (state.lang === 'en' ? String(s) : String(s).replace('.', ','));
}

function dmy(iso) {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

function today() {
  const d = new Date(Date.now() + 7 * 3600 * 1000); /* the reporting zone, UTC+7 */
  return d.toISOString().slice(0, 10);
}

async function get(path, params) {
  const q = new URLSearchParams(params);
  const r = await fetch(path + '?' + q.toString(), { headers: { Accept: 'application/json' } });
  const body = await r.json().catch(() => ({ error: `HTTP ${r.status}` }));
  if (!r.ok) throw new Error(body.error || `HTTP ${r.status}`);
  return body;
}

function showError(e) {
  const p = $('error');
  p.textContent = e ? String(e.message || e) : '';
  p.hidden = !e;
}

/* The window asked: what the form says, as /v1/forms takes it. */
function windowParams() {
  const p = { unit: $('unit').value };
  if ($('mode-period').checked) p.period = $('period').value.trim();
  else { p.from = $('from').value; p.to = $('to').value; }
  if ($('as-of-on').checked && $('as-of').value) p.as_of = $('as-of').value;
  return p;
}

/* The day whose tree the picker shows: the as-of day, else the window's last. */
function treeDay() {
  if ($('as-of-on').checked && $('as-of').value) return $('as-of').value;
  if ($('mode-period').checked) return state.forms ? state.forms.to : today();
  return $('to').value || today();
}

/* The picker, on the tree of treeDay(). A unit asked for that the tree
 * lacks stays picked, marked, rather than another taking its place: the
 * server says what it has of it. */
async function loadUnits(keep) {
  const n = ++asked.units;
  const r = await get('/v1/units', { day: treeDay() });
  if (n !== asked.units) return;
  state.units = r.units;
  const sel = $('unit');
  const children = new Map();
  for (const u of r.units) {
    const k = u.parent && r.units.some((p) => p.id === u.parent) ? u.parent : '';
    if (!children.has(k)) children.set(k, []);
    children.get(k).push(u);
  }
  sel.replaceChildren();
  const add = (parent, depth) => {
    for (const u of children.get(parent) || []) {
      const label = '\u00a0\u00a0'.repeat(depth) + (u.name || u.id);
      sel.append(el('option', { value: u.id, title: u.id }, label));
      add(u.id, depth + 1);
    }
  };
  add('', 0);
  if (keep && !r.units.some((u) => u.id === keep)) {
    sel.prepend(el('option', { value: keep }, `${keep} (${t('not_in_tree', { day: dmy(r.day) })})`));
  }
  if (keep) sel.value = keep;
}

function urlState() {
  const p = new URLSearchParams(location.search);
  const out = {};
  for (const k of ['unit', 'period', 'from', 'to', 'as_of', 'form', 'lang']) if (p.get(k)) out[k] = p.get(k);
  return out;
}

function pushState() {
  if (!state.shown) return;
  const p = { ...state.shown };
  if (state.form) p.form = String(state.form);
  if (state.lang !== 'vi') p.lang = state.lang;
  history.replaceState(null, '', '?' + new URLSearchParams(p).toString());
}

function translateStatic() {
  document.documentElement.lang = state.lang;
  for (const e of document.querySelectorAll('[data-t]')) e.textContent = t(e.dataset.t);
  $('lang-vi').setAttribute('aria-pressed', String(state.lang === 'vi'));
  $('lang-en').setAttribute('aria-pressed', String(state.lang === 'en'));
}

function tabs() {
  const nav = $('tabs');
  nav.replaceChildren();
  const forms = [0, 1, 2, 3, 4, 5, 6, 7];
  for (const n of forms) {
    const b = el('button', { type: 'button', 'data-form': String(n), 'aria-pressed': String(state.form === n) },
      n ? `${t('form')} ${n}` : t('all'));
    b.addEventListener('click', () => { state.form = n; pushState(); tabs(); drawForms(); links(); });
    nav.append(b);
  }
}

function links() {
  if (!state.shown) return;
  const p = { ...state.shown };
  if (state.form) p.form = String(state.form);
  for (const f of ['xlsx', 'csv', 'json']) {
    const a = $('dl-' + f);
    a.href = '/v1/forms?' + new URLSearchParams({ ...p, format: f }).toString();
  }
}

function heading() {
  const f = state.forms;
  if (!f) return;
  const level = f.level ? t(f.level) : '';
  $('unit-line').textContent = `${t('unit_line')}: ${f.name || f.unit} (${f.unit}${level ? ', ' + level : ''})`;
  let w = t('window_line', { from: dmy(f.from), to: dmy(f.to) });
  if (f.as_of) w += ', ' + t('as_of_line', { day: dmy(f.as_of) });
  if (f.no_districts) w += ' (' + t('no_districts') + ')';
  $('window-line').textContent = w;
}

function drawForms() {
  const box = $('forms');
  box.replaceChildren();
  if (!state.forms) return;
  const en = state.lang === 'en';
  for (const f of state.forms.forms) {
    if (state.form && f.number !== state.form) continue;
    const table = el('table', { class: 'form', 'data-form': String(f.number) });
    table.append(el('caption', {}, `${t('form')} ${f.number} — ${en ? f.title_en : f.title}`));
    const head = () => el('tr', {}, el('th', {}, t('stt')), el('th', {}, t('label')),
      el('th', {}, t('uom')), el('th', {}, t('value')));
    table.append(el('thead', {}, head()));
    const body = el('tbody');
    let extra = false;
    for (const r of f.rows) {
      if (r.extra && !extra) {
        extra = true;
        body.append(el('tr', { class: 'subhead' }, el('td', { colspan: '4' }, t('extra'))));
      }
      const label = en ? r.label_en : r.label;
      if (r.kind === 'section') {
        body.append(el('tr', { class: 'section' }, el('td', {}, r.code), el('td', { colspan: '3' }, label)));
        continue;
      }
      const text = en ? r.text_en : r.text;
      const value = el('td', { class: 'value', 'data-code': r.code, 'data-value': r.value === null ? '' : String(r.value) }, text);
      const tr = el('tr', { class: r.kind }, el('td', {}, r.code), el('td', {}, label),
        el('td', {}, (en ? r.uom_en : r.uom) || ''), value);
      body.append(tr);
      /* The source report's figure, where cchc's differs from it. */
      if (r.source && r.source.printed !== r.text) {
        value.append(el('sup', { class: 'slip-mark', title: en ? r.source.note_en : r.source.note }, '†'));
        body.append(el('tr', { class: 'slip', 'data-code': r.code },
          el('td', {}), el('td', { colspan: '3' }, `† ${en ? r.source.note_en : r.source.note}`)));
      }
    }
    table.append(body);
    box.append(table);
  }
}

function chart(id, config) {
  if (charts[id]) charts[id].destroy();
  config.options = Object.assign({ animation: false, responsive: true, maintainAspectRatio: false,
    locale: state.lang === 'en' ? 'en-GB' : 'vi-VN' }, config.options);
  charts[id] = new Chart($(id), config);
  return charts[id];
}

function drawCharts() {
  const c = state.charts;
  if (!c || typeof Chart === 'undefined') return;
  const ranked = c.ranking.filter((r) => r.on_time_pct !== null);
  /* Rates of wards sit close together (99.5 to 100): the axis starts just
   * below the lowest, and every bar is labelled with its exact rate. */
  const lowest = Math.min(100, ...ranked.map((r) => Number(r.on_time_pct)));
  chart('chart-ranking', {
    type: 'bar',
    data: {
      labels: ranked.map((r) => `${r.name || r.unit}  ${rate(r.on_time_pct)}`),
      datasets: [{ label: t('on_time') + ' (%)', data: ranked.map((r) => Number(r.on_time_pct)), backgroundColor: '#2f6f4f' }],
    },
    options: {
      indexAxis: 'y',
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (ctx) => `${rate(ranked[ctx.dataIndex].on_time_pct)} % (${integer(ranked[ctx.dataIndex].on_time)}/${integer(ranked[ctx.dataIndex].resolved)})` } },
      },
      scales: { x: { beginAtZero: false, min: Math.max(0, Math.floor(lowest) - 1), suggestedMax: 100 } },
    },
  });
  $('ranking-caption').textContent = ranked.length ? t('ranking') : t('no_rank');
  chart('chart-months', {
    type: 'bar',
    data: {
      labels: c.months.map((m) => `${m.month.slice(5)}/${m.month.slice(0, 4)}`),
      datasets: [
        { label: t('received'), data: c.months.map((m) => m.received), backgroundColor: '#3366aa' },
        { label: t('resolved'), data: c.months.map((m) => m.resolved), backgroundColor: '#e0a030' },
      ],
    },
    options: { plugins: { tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${integer(ctx.raw)}` } } } },
  });
  const w = c.window;
  chart('chart-online', {
    type: 'doughnut',
    data: {
      labels: [t('online_part'), t('direct'), t('postal')],
      datasets: [{ data: [w.received_online, w.received_direct, w.received_postal], backgroundColor: ['#2f6f4f', '#3366aa', '#e0a030'] }],
    },
    options: { plugins: { tooltip: { callbacks: { label: (ctx) => `${ctx.label}: ${integer(ctx.raw)}` } } } },
  });
  $('online-caption').textContent = `${t('online')} ${w.online_pct === null ? '–' : rate(w.online_pct) + ' %'} (${integer(w.received_online)}/${integer(w.received)})`;
}

function drawLive() {
  const l = state.live;
  if (!l) return;
  $('live-day').textContent = dmy(l.day);
  $('live-received').textContent = integer(l.received);
  $('live-online').textContent = integer(l.received_online);
  $('live-resolved').textContent = integer(l.resolved);
  $('live-on-time').textContent = integer(l.on_time);
  $('live-applied').textContent = integer(l.aggregator.applied_events);
  $('live-at').textContent = new Date().toLocaleTimeString(state.lang === 'en' ? 'en-GB' : 'vi-VN');
}

async function refreshLive() {
  const unit = state.shown && state.shown.unit;
  if (!unit) return;
  const n = ++asked.live;
  try {
    const live = await get('/v1/live', { unit });
    if (n !== asked.live) return;
    state.live = live;
    drawLive();
  } catch (e) {
    $('live-at').textContent = String(e.message || e);
  }
}

async function show() {
  showError(null);
  document.body.classList.add('loading');
  try {
    const p = windowParams();
    if (p.period !== undefined && !/^\d{4}(-(H[12]|Q[1-4]|0[1-9]|1[0-2]))?$/.test(p.period)) throw new Error(t('bad_period'));
    const n = ++asked.show;
    const [forms, ch] = await Promise.all([get('/v1/forms', p), get('/v1/charts', p)]);
    if (n !== asked.show) return;
    state.forms = forms;
    state.charts = ch;
    state.shown = p;
    await loadUnits(p.unit); /* the tree of the window's days */
    pushState();
    heading();
    links();
    drawForms();
    drawCharts();
    refreshLive();
  } catch (e) {
    showError(e);
  } finally {
    document.body.classList.remove('loading');
    document.body.dataset.ready = 'true';
  }
}

function periods() {
  const list = $('periods');
  const y = Number(today().slice(0, 4));
  for (let year = y; year >= y - 5; year--) {
    for (const s of ['', '-H1', '-H2', '-Q1', '-Q2', '-Q3', '-Q4']) list.append(el('option', { value: year + s }));
  }
}

function setLang(lang) {
  state.lang = lang;
  try { localStorage.setItem('cchc-lang', lang); } catch (e) { /* private windows */ }
  translateStatic();
  tabs();
  pushState();
  heading();
  drawForms();
  drawCharts();
  drawLive();
}

async function start() {
  const u = urlState();
  let stored = null;
  try { stored = localStorage.getItem('cchc-lang'); } catch (e) { /* private windows */ }
  state.lang = u.lang || stored || 'vi';
  state.form = u.form ? Number(u.form) : 0;
  if (u.period) { $('mode-period').checked = true; $('period').value = u.period; }
  $('from').value = u.from || today().slice(0, 4) + '-01-01';
  $('to').value = u.to || today();
  if (u.as_of) { $('as-of-on').checked = true; $('as-of').value = u.as_of; }
  periods();
  translateStatic();
  tabs();
  $('lang-vi').addEventListener('click', () => setLang('vi'));
  $('lang-en').addEventListener('click', () => setLang('en'));
  $('query').addEventListener('submit', (e) => { e.preventDefault(); show(); });
  $('unit').addEventListener('change', () => show());
  for (const id of ['from', 'to', 'as-of', 'as-of-on']) {
    $(id).addEventListener('change', () => loadUnits($('unit').value).catch(showError));
  }
  try {
    await loadUnits(u.unit);
  } catch (e) {
    showError(e);
    return;
  }
  await show();
  setInterval(refreshLive, LIVE_SECONDS * 1000);
}

document.addEventListener('DOMContentLoaded', start);
