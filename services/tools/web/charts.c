/* GET /v1/charts: what the page draws for a unit and window. The ranking of
 * its child governments (wards and communes of a city; districts, or since
 * 2025 communes, of a province) by the share of dossiers resolved on time;
 * dossiers received and resolved per official month (15th to 14th) of the
 * window; and how dossiers arrived (online, in person, by post), with the
 * online share. Rates are the forms' (common/base/rate.h): exact, in basis
 * points, written out as the forms print them. */
#include "web.h"

#include "base/err.h"
#include "base/json.h"
#include "base/period.h"
#include "base/rate.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The subtree's figures the charts read (services/README.md, metrics). */
static int64_t on_time(const struct report_sums *s)
{
    return report_sums_get(s, REPORT_WINDOW, "resolved_early") +
           report_sums_get(s, REPORT_WINDOW, "resolved_on_time");
}

static int64_t win(const struct report_sums *s, const char *field)
{
    return report_sums_get(s, REPORT_WINDOW, field);
}

/* The rate as the forms print it, a string ("93.56", "0.50": a JSON number
 * would lose the trailing zero), or null for a division by zero; *bp is -1
 * then. */
static void rate(GString *j, const char *key, int64_t num, int64_t den, int64_t *bp)
{
    int64_t v;
    char s[CCHC_RATE_LEN];
    json_key(j, key);
    if (cchc_rate_bp(num, den, &v) != CCHC_OK) {
        g_string_append(j, "null");
        v = -1;
    } else {
        cchc_rate_format(v, '.', s);
        json_cstr(j, s);
    }
    if (bp)
        *bp = v;
}

struct ranked {
    int unit;
    int64_t resolved, on_time, bp;
    char name[256];
};

static int by_rate(const void *pa, const void *pb)
{
    const struct ranked *a = pa, *b = pb;
    if (a->bp != b->bp)
        return a->bp < b->bp ? 1 : -1;
    if (a->resolved != b->resolved)
        return a->resolved < b->resolved ? 1 : -1;
    return a->unit - b->unit;
}

/* Whether child ranks under unit in the window: valid in it, with unit as
 * its parent on its last day there (under today's units, on the as-of day). */
static int ranks_under(const struct units *u, int child, int unit, const struct report_query *q)
{
    if (q->as_of)
        return units_valid_on(u, child, q->as_of_day) &&
               units_parent_on(u, child, q->as_of_day) == unit;
    int64_t from = units_from(u, child), to = units_to(u, child);
    if (from > q->to_day || to < q->from_day)
        return 0;
    return units_parent_on(u, child, to < q->to_day ? to : q->to_day) == unit;
}

static int ranking(struct store *s, struct web *w, const struct web_req *q, GString *j, char *why,
                   size_t cap)
{
    const struct units *u = w->units;
    int unit = u ? units_find(u, q->unit, strlen(q->unit)) : -1, rc = CCHC_OK;
    GArray *list = g_array_new(FALSE, TRUE, sizeof(struct ranked));
    for (int pass = 0; unit >= 0 && pass < 2 && list->len == 0; pass++)
        for (size_t i = 0; i < units_count(u); i++) /* governments first, else every child */
            if (ranks_under(u, (int)i, unit, &q->q) &&
                (pass || units_kind(u, (int)i) == UNIT_GOVERNMENT)) {
                struct ranked r = {.unit = (int)i};
                g_array_append_val(list, r);
            }
    for (guint k = 0; k < list->len && rc == CCHC_OK; k++) {
        struct ranked *r = &g_array_index(list, struct ranked, k);
        struct report_sums *sums = report_sums_new();
        struct report_unit info;
        struct report_query cq = q->q;
        cq.unit = units_id(u, r->unit);
        cq.window_only = 1;
        rc = report_load(s, u, w->why_units, &cq, &info, sums, why, cap);
        if (rc == CCHC_ENOTFOUND) { /* a unit nothing was ever recorded for */
            rc = CCHC_OK;
            snprintf(info.name, sizeof info.name, "%s", units_name(u, r->unit));
        }
        r->resolved = win(sums, "resolved");
        r->on_time = on_time(sums);
        if (cchc_rate_bp(r->on_time, r->resolved, &r->bp) != CCHC_OK)
            r->bp = -1;
        snprintf(r->name, sizeof r->name, "%s", info.name[0] ? info.name : units_name(u, r->unit));
        report_sums_free(sums);
    }
    if (rc == CCHC_OK) {
        qsort(list->data, list->len, sizeof(struct ranked), by_rate);
        json_key(j, "ranking");
        g_string_append_c(j, '[');
        for (guint k = 0; k < list->len; k++) {
            const struct ranked *r = &g_array_index(list, struct ranked, k);
            json_sep(j);
            g_string_append_c(j, '{');
            json_key(j, "unit");
            json_cstr(j, units_id(u, r->unit));
            json_key(j, "name");
            json_cstr(j, r->name);
            json_key(j, "level");
            json_cstr(j, unit_level_name(units_level(u, r->unit)));
            json_key(j, "resolved");
            json_int(j, r->resolved);
            json_key(j, "on_time");
            json_int(j, r->on_time);
            rate(j, "on_time_pct", r->on_time, r->resolved, NULL);
            g_string_append_c(j, '}');
        }
        g_string_append_c(j, ']');
    }
    g_array_free(list, TRUE);
    return rc;
}

/* Days into the official month of the window they fall in; days of the
 * window past the last month drawn into rest, so that the window's totals
 * are the whole window's. */
struct months {
    GPtrArray *sums;      /* struct report_sums *, one per month from the first */
    GArray *first, *last; /* int64_t: each month's days within the window */
    struct report_sums *rest;
    int64_t from_day, to_day;
};

static struct report_sums *month_sink(void *arg, int64_t day, enum report_span *span)
{
    struct months *m = arg;
    *span = REPORT_WINDOW;
    if (day < m->from_day || day > m->to_day)
        return NULL;
    guint lo = 0, hi = m->first->len; /* the month whose first day is the last <= day */
    while (lo < hi) {
        guint mid = (lo + hi) / 2;
        if (g_array_index(m->first, int64_t, mid) <= day)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || day > g_array_index(m->last, int64_t, lo - 1))
        return m->rest;
    return g_ptr_array_index(m->sums, lo - 1);
}

/* The months are official ones: a window of years has one bar a month. */
#define MONTHS_MAX 240

static int months(struct store *s, struct web *w, const struct web_req *q, GString *j,
                  struct report_unit *info, char *why, size_t cap)
{
    struct months m = {g_ptr_array_new_with_free_func((GDestroyNotify)report_sums_free),
                       g_array_new(FALSE, FALSE, sizeof(int64_t)),
                       g_array_new(FALSE, FALSE, sizeof(int64_t)),
                       report_sums_new(),
                       q->q.from_day,
                       q->q.to_day};
    for (int64_t d = q->q.from_day; d <= q->q.to_day && m.first->len < MONTHS_MAX;) {
        int64_t first, last;
        struct cchc_periods p;
        cchc_periods_of_day(d, &p);
        if (cchc_period_range(p.month, &first, &last))
            break; /* beyond the calendar's periods: routes.c refuses such windows */
        int64_t end = last < q->q.to_day ? last : q->q.to_day;
        g_array_append_val(m.first, d);
        g_array_append_val(m.last, end);
        g_ptr_array_add(m.sums, report_sums_new());
        d = end + 1;
    }
    struct report_query wq = q->q;
    wq.window_only = 1;
    int rc = report_load_days(s, w->units, w->why_units, &wq, month_sink, &m, info, why, cap);
    if (rc == CCHC_OK) {
        json_key(j, "months");
        g_string_append_c(j, '[');
        int64_t received = 0, online = 0, direct = 0, postal = 0, resolved = 0, ontime = 0;
        for (guint i = 0; i < m.first->len; i++) {
            const struct report_sums *ms = g_ptr_array_index(m.sums, i);
            char day[CCHC_DAY_LEN];
            struct cchc_periods p;
            cchc_periods_of_day(g_array_index(m.first, int64_t, i), &p);
            json_sep(j);
            g_string_append_c(j, '{');
            json_key(j, "month");
            json_cstr(j, p.month);
            cchc_day_format(g_array_index(m.first, int64_t, i), day);
            json_key(j, "from");
            json_cstr(j, day);
            cchc_day_format(g_array_index(m.last, int64_t, i), day);
            json_key(j, "to");
            json_cstr(j, day);
            json_key(j, "received");
            json_int(j, win(ms, "received"));
            json_key(j, "resolved");
            json_int(j, win(ms, "resolved"));
            json_key(j, "on_time");
            json_int(j, on_time(ms));
            json_key(j, "received_online");
            json_int(j, win(ms, "received_online"));
            rate(j, "online_pct", win(ms, "received_online"), win(ms, "received"), NULL);
            g_string_append_c(j, '}');
            received += win(ms, "received");
            online += win(ms, "received_online");
            direct += win(ms, "received_direct");
            postal += win(ms, "received_postal");
            resolved += win(ms, "resolved");
            ontime += on_time(ms);
        }
        g_string_append_c(j, ']');
        received += win(m.rest, "received");
        online += win(m.rest, "received_online");
        direct += win(m.rest, "received_direct");
        postal += win(m.rest, "received_postal");
        resolved += win(m.rest, "resolved");
        ontime += on_time(m.rest);
        json_key(j, "window");
        g_string_append_c(j, '{');
        json_key(j, "received");
        json_int(j, received);
        json_key(j, "received_online");
        json_int(j, online);
        json_key(j, "received_direct");
        json_int(j, direct);
        json_key(j, "received_postal");
        json_int(j, postal);
        rate(j, "online_pct", online, received, NULL);
        json_key(j, "resolved");
        json_int(j, resolved);
        json_key(j, "on_time");
        json_int(j, ontime);
        rate(j, "on_time_pct", ontime, resolved, NULL);
        g_string_append_c(j, '}');
        json_key(j, "months_capped");
        g_string_append(j,
                        m.last->len && g_array_index(m.last, int64_t, m.last->len - 1) < q->q.to_day
                            ? "true"
                            : "false");
    }
    g_ptr_array_free(m.sums, TRUE);
    report_sums_free(m.rest);
    g_array_free(m.first, TRUE);
    g_array_free(m.last, TRUE);
    return rc;
}

void web_charts(struct web *w, const struct web_req *q, struct http_answer *a)
{
    struct store *s = web_store(w, a);
    if (!s)
        return;
    char why[512];
    struct report_unit info;
    GString *j = g_string_new("{");
    json_key(j, "unit");
    json_cstr(j, q->unit);
    int rc = months(s, w, q, j, &info, why, sizeof why);
    if (rc == CCHC_OK) {
        json_key(j, "name");
        json_cstr(j, info.name);
        rc = ranking(s, w, q, j, why, sizeof why);
    }
    store_close(s);
    if (rc) {
        g_string_free(j, TRUE);
        web_load_failed(w, rc, why, a);
        return;
    }
    g_string_append(j, "}\n");
    *a = (struct http_answer){.status = MHD_HTTP_OK, .body = j, .type = "application/json"};
}
