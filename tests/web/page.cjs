// Drives cchc-web's page in Debian's headless Chromium (playwright-core):
// see page.sh. Env: WEB (the page's origin), DOSSIER_URL and TOKEN (to post
// a record of today), TODAY (cchc-web's today), OUT (downloads), ARTIFACTS
// (screenshots), CHARTS (/v1/charts of the city's window, which page.sh
// checked against cchc-report: what the charts must draw), PLAYWRIGHT (the
// playwright-core folder).
'use strict';
const { chromium } = require(process.env.PLAYWRIGHT);
const path = require('path');
const fs = require('fs');

const WEB = process.env.WEB;
function fail(msg) {
  throw new Error(msg);
}

async function values(page, form, codes) {
  const out = {};
  for (const c of codes) {
    const cell = page.locator(`table[data-form="${form}"] td.value[data-code="${c}"]`).first();
    out[c] = (await cell.evaluate((e) => e.firstChild ? e.firstChild.textContent : '')).trim();
  }
  return out;
}

async function main() {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    // As root, with no network but loopback: Chromium's own background
    // connections off (/work/.library/env says why each is needed here).
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({
    acceptDownloads: true, viewport: { width: 1280, height: 900 }, locale: 'vi-VN',
  });
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));

  // A person opens the page: this year, today's units (the new An Giang,
  // no district, no Rạch Giá city).
  await page.goto(WEB + '/');
  await page.waitForSelector('body[data-ready="true"]');
  const todays = await page.evaluate(() => [...document.querySelectorAll('#unit option')].map((o) => o.value));
  if (!todays.includes('ag') || !todays.includes('ag.p-rach-gia') || todays.includes('kg.rachgia')) {
    fail(`today's picker: ${todays.slice(0, 8).join(' ')} ...`);
  }
  // They ask for the city over the report's window.
  await page.check('#mode-range');
  await page.fill('#from', '2021-12-15');
  await page.fill('#to', '2022-11-30');
  // The picker follows the registry's tree on the window's last day.
  await page.waitForFunction(() => [...document.querySelectorAll('#unit option')]
    .some((o) => o.value === 'kg.rachgia'));
  await page.selectOption('#unit', 'kg.rachgia');
  await page.click('#show');
  await page.waitForFunction(() => window.cchc.state.forms &&
    window.cchc.state.forms.unit === 'kg.rachgia' && window.cchc.state.forms.from === '2021-12-15' &&
    window.cchc.state.forms.to === '2022-11-30' && !document.body.classList.contains('loading'));
  await page.click('#tabs button[data-form="3"]');
  await page.waitForSelector('table[data-form="3"]');
  if (await page.locator('table.form').count() !== 1) fail('form 3 tab shows other forms too');

  const got = await values(page, 3, ['3.2.1', '3.2.2', '3.2', '3.2.returned_postal_pct']);
  const want = { '3.2.1': '45.148', '3.2.2': '42.241', '3.2': '93,56', '3.2.returned_postal_pct': '12,84' };
  for (const k in want) if (got[k] !== want[k]) fail(`form 3 row ${k}: shows '${got[k]}', want '${want[k]}'`);
  const slip = await page.locator('table[data-form="3"] tr.slip[data-code="3.2.returned_postal_pct"]').textContent();
  if (!slip.includes('12,83')) fail(`the report's slip on 12,84 is not shown: '${slip}'`);
  const line = await page.locator('#window-line').textContent();
  if (!line.includes('15/12/2021') || !line.includes('30/11/2022')) fail(`window line: ${line}`);

  // Editing the controls changes nothing on screen until Show: with as-of
  // 2025-07-01 the picker holds the new tree (the city marked as not in
  // it, still picked), while the downloads stay those of the view shown.
  await page.check('#as-of-on');
  await page.fill('#as-of', '2025-07-01');
  await page.waitForFunction(() => window.cchc.state.units.some((u) => u.id === 'ag'));
  if (await page.inputValue('#unit') !== 'kg.rachgia') fail(`picked: ${await page.inputValue('#unit')}`);
  const href = await page.getAttribute('#dl-xlsx', 'href');
  if (!href.includes('unit=kg.rachgia') || href.includes('as_of')) fail(`the download follows the controls: ${href}`);
  await page.uncheck('#as-of-on');
  await page.waitForFunction(() => window.cchc.state.units.some((u) => u.id === 'kg.rachgia'));

  // The ranking is drawn: one bar per ward with a rate, in the order and
  // with the rates of /v1/charts (checked against cchc-report by page.sh),
  // each labelled with its exact rate as the forms print it; pixels on the
  // canvas.
  const charts = JSON.parse(fs.readFileSync(process.env.CHARTS, 'utf8'));
  const wantLabels = charts.ranking.filter((r) => r.on_time_pct !== null)
    .map((r) => `${r.name}  ${r.on_time_pct.replace('.', ',')}`);
  const ranking = await page.evaluate(() => {
    const c = window.cchc.charts['chart-ranking'];
    const canvas = document.getElementById('chart-ranking');
    const ctx = canvas.getContext('2d');
    const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let inked = 0;
    for (let i = 3; i < px.length; i += 4) if (px[i] > 0) inked++;
    return { bars: c ? c.data.datasets[0].data.length : 0, labels: c ? c.data.labels : [], inked };
  });
  if (JSON.stringify(ranking.labels) !== JSON.stringify(wantLabels)) {
    fail(`ranking labels ${JSON.stringify(ranking.labels)}, want ${JSON.stringify(wantLabels)}`);
  }
  if (ranking.bars !== wantLabels.length) fail(`ranking draws ${ranking.bars} bars, want ${wantLabels.length}`);
  if (ranking.inked < 2000) fail(`ranking canvas is nearly blank (${ranking.inked} pixels)`);
  const months = await page.evaluate(() => {
    const c = window.cchc.charts['chart-months'];
    return { labels: c.data.labels, received: c.data.datasets[0].data, resolved: c.data.datasets[1].data };
  });
  const wantMonths = {
    labels: charts.months.map((m) => `${m.month.slice(5)}/${m.month.slice(0, 4)}`),
    received: charts.months.map((m) => m.received),
    resolved: charts.months.map((m) => m.resolved),
  };
  if (JSON.stringify(months) !== JSON.stringify(wantMonths)) {
    fail(`months chart ${JSON.stringify(months)}, want ${JSON.stringify(wantMonths)}`);
  }
  if (months.labels[0] !== '01/2022' || months.labels.length !== 12) fail(`months: ${months.labels}`);

  await page.screenshot({ path: path.join(process.env.ARTIFACTS, 'web-page-form3-vi.png'), fullPage: true });

  // Downloads of what is on screen: form 3 of the window.
  for (const f of ['xlsx', 'csv']) {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#dl-' + f)]);
    await dl.saveAs(path.join(process.env.OUT, 'download.' + f));
    if (!dl.suggestedFilename().includes('kg.rachgia-2021-12-15-2022-11-30-bieu-mau-3')) {
      fail(`download named ${dl.suggestedFilename()}`);
    }
  }

  // English labels, and the English number format.
  await page.click('#lang-en');
  const en = await values(page, 3, ['3.2.1', '3.2']);
  if (en['3.2.1'] !== '45,148' || en['3.2'] !== '93.56') fail(`English: ${JSON.stringify(en)}`);
  const caption = await page.locator('table[data-form="3"] caption').textContent();
  if (!/^Form 3 — /.test(caption) || /[ăâđêôơư]/i.test(caption)) fail(`English caption: ${caption}`);
  await page.screenshot({ path: path.join(process.env.ARTIFACTS, 'web-page-form3-en.png'), fullPage: true });
  await page.click('#lang-vi');

  // An official period instead of a window: 2022-Q1 is 15/12/2021-14/03/2022.
  await page.check('#mode-period');
  await page.fill('#period', '2022-Q1');
  await page.click('#show');
  await page.waitForFunction(() => window.cchc.state.forms.from === '2021-12-15' &&
    window.cchc.state.forms.to === '2022-03-14' && !document.body.classList.contains('loading'));
  const q1 = await page.locator('#window-line').textContent();
  if (!q1.includes('15/12/2021') || !q1.includes('14/03/2022')) fail(`2022-Q1 window line: ${q1}`);
  if (!page.url().includes('period=2022-Q1')) fail(`the address does not keep the period: ${page.url()}`);

  // Today's counts move by themselves: a dossier received now at a ward of
  // today, posted while the page stays open on its province, shows up
  // without a reload.
  await page.goto(WEB + '/?unit=ag');
  await page.waitForFunction(() => window.cchc.state.live && window.cchc.state.live.unit === 'ag');
  const before = await page.locator('#live-received').textContent();
  if (before !== '0') fail(`today's count before the record: ${before}`);
  const due = new Date(Date.parse(process.env.TODAY + 'T00:00:00Z') + 5 * 86400 * 1000)
    .toISOString().slice(0, 10);
  const rec = { id: 'web-live-1', type: 'received', unit: 'ag.p-rach-gia',
    at: process.env.TODAY + 'T00:00:01+07:00', dossier: 'WEB-LIVE-1', procedure: 'p', field: 'f',
    channel: 'online', due: due + 'T17:00:00+07:00' };
  const r = await fetch(process.env.DOSSIER_URL, {
    method: 'POST', headers: { Authorization: 'Bearer ' + process.env.TOKEN },
    body: JSON.stringify(rec) + '\n',
  });
  if (!r.ok) fail(`posting today's record: ${r.status} ${await r.text()}`);
  await page.waitForFunction(() => document.getElementById('live-received').textContent === '1' &&
    document.getElementById('live-online').textContent === '1', null, { timeout: 30000 });

  // Only its own origin was asked.
  const foreign = requests.filter((u) => !u.startsWith(WEB + '/') && !u.startsWith('data:'));
  if (foreign.length) fail(`requests outside the origin: ${foreign.join(' ')}`);
  if (!requests.some((u) => u.startsWith(WEB + '/vendor/chart.umd.min.js'))) fail('Chart.js not served by cchc-web');
  if (errors.length) fail(`errors in the page: ${errors.join(' | ')}`);
  console.log(`page: ok; ${requests.length} requests, all to ${WEB}; ranking of ${ranking.bars}: ${ranking.labels.slice(0, 3).join(', ')}, ...`);
  await browser.close();
}

main().catch((e) => {
  console.error('page.cjs: ' + (e && e.stack ? e.stack : e));
  process.exit(1);
});
