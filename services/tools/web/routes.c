/* Which path a request asks for, and its parameters checked before any work:
 * a bad one is answered 400 at once, naming the parameter. Assets,
 * /metrics and bad requests are answered on the polling thread; what reads
 * Redis goes to the work queue. */
#include "web.h"

#include "base/err.h"
#include "base/period.h"

#include <microhttpd.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *const path_names[WEB_PATHS] = {"asset",      "/v1/units", "/v1/forms",
                                                  "/v1/charts", "/v1/live",  "/healthz",
                                                  "/livez",     "/metrics",  "other"};

/* Every answer of the page's origin: its own scripts, styles and requests
 * only (no CDN could be reached, and none is asked), no framing, no
 * referrer, no guessing of types. */
#define CSP                                                                                        \
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "              \
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; "                   \
    "frame-ancestors 'none'"

static void base_headers(struct web_req *q, const char *cache)
{
    const char *h[] = {"Content-Security-Policy",
                       CSP,
                       "X-Content-Type-Options",
                       "nosniff",
                       "Referrer-Policy",
                       "no-referrer",
                       "X-Frame-Options",
                       "DENY",
                       "Cache-Control",
                       cache,
                       NULL};
    memcpy(q->headers, h, sizeof h);
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void observe(struct web *w, const struct web_req *q)
{
    atomic_fetch_add(&w->requests[q->path], 1);
    prom_histogram_observe(&w->duration[q->path], (double)(now_ns() - q->started_ns) / 1e9);
}

static int bad(struct web *w, struct web_req *q, struct http_answer *a, const char *param,
               const char *value, const char *why)
{
    char msg[512];
    if (value)
        snprintf(msg, sizeof msg, "%s '%.160s': %s", param, value, why);
    else
        snprintf(msg, sizeof msg, "%s: %s", param, why);
    http_answer_error(a, MHD_HTTP_BAD_REQUEST, msg);
    a->headers = q->headers;
    observe(w, q);
    return HTTP_ANSWER;
}

/* A day of the forms' calendar: records are of 1900 on (common/base/period.h),
 * and every day up to 9998 falls in an official month that has a name. */
static int day_arg(struct http_request *r, const char *name, int64_t *day, int *given)
{
    const char *v = http_query(r, name);
    *given = v && *v;
    if (!*given)
        return CCHC_OK;
    if (cchc_day_parse(v, day) || *day < cchc_day_from_civil(1900, 1, 1) ||
        *day > cchc_day_from_civil(9998, 12, 31))
        return CCHC_EINVAL;
    return CCHC_OK;
}

static int given(struct http_request *r, const char *name)
{
    const char *v = http_query(r, name);
    return v && *v;
}

/* unit, and the window: period, or from and to; as_of. */
static int window_args(struct web *w, struct http_request *r, struct web_req *q,
                       struct http_answer *a)
{
    const char *unit = http_query(r, "unit"), *period = http_query(r, "period");
    if (!unit || !*unit)
        return bad(w, q, a, "unit", NULL, "required, e.g. unit=kg.rachgia");
    if (strlen(unit) >= sizeof q->unit || !units_id_valid(unit, strlen(unit)))
        return bad(w, q, a, "unit", unit,
                   "not a unit id (lower-case ASCII letters, digits, '-', dots)");
    snprintf(q->unit, sizeof q->unit, "%s", unit);
    q->q.unit = q->unit;
    int from_given, to_given, as_of_given;
    if (period && *period) {
        if (given(r, "from") || given(r, "to"))
            return bad(w, q, a, "period", period, "give period or from and to, not both");
        if (cchc_period_range(period, &q->q.from_day, &q->q.to_day))
            return bad(w, q, a, "period", period,
                       "not an official period: 2022, 2022-H1, 2022-Q1, 2022-05");
    } else {
        if (day_arg(r, "from", &q->q.from_day, &from_given))
            return bad(w, q, a, "from", http_query(r, "from"),
                       "not a date YYYY-MM-DD from 1900-01-01 to 9998-12-31");
        if (day_arg(r, "to", &q->q.to_day, &to_given))
            return bad(w, q, a, "to", http_query(r, "to"),
                       "not a date YYYY-MM-DD from 1900-01-01 to 9998-12-31");
        if (!from_given || !to_given)
            return bad(w, q, a, from_given ? "to" : "from", NULL,
                       "required (or period), e.g. from=2021-12-15&to=2022-11-30");
        if (q->q.to_day < q->q.from_day)
            return bad(w, q, a, "to", http_query(r, "to"), "is before from");
    }
    if (day_arg(r, "as_of", &q->q.as_of_day, &as_of_given))
        return bad(w, q, a, "as_of", http_query(r, "as_of"),
                   "not a date YYYY-MM-DD from 1900-01-01 to 9998-12-31");
    q->q.as_of = as_of_given;
    if (as_of_given && !w->units) {
        char msg[640];
        snprintf(msg, sizeof msg,
                 "as_of needs the unit registry, which cchc-web could not load: %s", w->why_units);
        http_answer_error(a, MHD_HTTP_SERVICE_UNAVAILABLE, msg);
        a->headers = q->headers;
        observe(w, q);
        return HTTP_ANSWER;
    }
    return -1;
}

static int forms_args(struct web *w, struct http_request *r, struct web_req *q,
                      struct http_answer *a)
{
    const char *form = http_query(r, "form"), *format = http_query(r, "format");
    if (form && *form && strcmp(form, "all") != 0) {
        if (strlen(form) != 1 || form[0] < '1' || form[0] > '7')
            return bad(w, q, a, "form", form, "a form number 1..7, or all");
        q->form = form[0] - '0';
    }
    if (!format || !*format || strcmp(format, "json") == 0)
        q->format = WEB_JSON;
    else if (strcmp(format, "csv") == 0)
        q->format = WEB_CSV;
    else if (strcmp(format, "xlsx") == 0)
        q->format = WEB_XLSX;
    else
        return bad(w, q, a, "format", format, "json, csv or xlsx");
    return -1;
}

static enum web_path path_of(const char *url)
{
    static const struct {
        const char *url;
        enum web_path path;
    } paths[] = {{"/v1/units", WEB_UNITS}, {"/v1/forms", WEB_FORMS},  {"/v1/charts", WEB_CHARTS},
                 {"/v1/live", WEB_LIVE},   {"/healthz", WEB_HEALTHZ}, {"/livez", WEB_LIVEZ},
                 {"/metrics", WEB_METRICS}};
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++)
        if (strcmp(url, paths[i].url) == 0)
            return paths[i].path;
    return web_asset_find(url) ? WEB_ASSET : WEB_OTHER;
}

static void metrics(struct web *w, struct http_server *h, GString *out)
{
    static const char *const refused_names[] = HTTP_REFUSED_NAMES;
    GString *l = g_string_new(NULL);
    prom_family(out, "cchc_requests_total", PROM_COUNTER, "Requests answered, by path.");
    for (int i = 0; i < WEB_PATHS; i++) {
        g_string_truncate(l, 0);
        prom_label(l, "service", "web");
        prom_label(l, "path", path_names[i]);
        prom_u64(out, "cchc_requests_total", l->str, atomic_load(&w->requests[i]));
    }
    prom_family(out, "cchc_http_request_duration_seconds", PROM_HISTOGRAM,
                "Time from a request's headers to its answer, by path.");
    for (int i = 0; i < WEB_PATHS; i++) {
        g_string_truncate(l, 0);
        prom_label(l, "service", "web");
        prom_label(l, "path", path_names[i]);
        prom_histogram_write(out, "cchc_http_request_duration_seconds", l->str, &w->duration[i]);
    }
    prom_family(out, "cchc_http_refused_total", PROM_COUNTER,
                "Connections and requests the HTTP face refused, by reason.");
    for (int i = 0; i < HTTP_REFUSED_N; i++) {
        g_string_truncate(l, 0);
        prom_label(l, "service", "web");
        prom_label(l, "reason", refused_names[i]);
        prom_u64(out, "cchc_http_refused_total", l->str, http_server_refused(h, i));
    }
    prom_family(out, "cchc_redis_errors_total", PROM_COUNTER,
                "Requests that found Redis unreachable or failing.");
    g_string_truncate(l, 0);
    prom_label(l, "service", "web");
    prom_u64(out, "cchc_redis_errors_total", l->str, atomic_load(&w->redis_errors));
    g_string_free(l, TRUE);
}

int web_route(void *arg, struct http_request *r, struct http_answer *a)
{
    struct web *w = arg;
    struct web_req *q = g_new0(struct web_req, 1);
    r->user = q;
    q->started_ns = now_ns();
    q->path = path_of(r->url);
    base_headers(q, q->path == WEB_ASSET ? "public, max-age=300" : "no-store");
    if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
        http_answer_error(a, MHD_HTTP_METHOD_NOT_ALLOWED, "cchc-web is read-only: GET only");
        size_t k = 0;
        while (q->headers[k])
            k++;
        q->headers[k] = "Allow";
        q->headers[k + 1] = "GET, HEAD";
        a->headers = q->headers;
        observe(w, q);
        return HTTP_ANSWER;
    }
    int rc = -1;
    switch (q->path) {
    case WEB_ASSET: {
        const struct web_asset *as = web_asset_find(r->url);
        GString *body = g_string_new_len((const char *)as->data, (gssize)as->len);
        *a = (struct http_answer){.status = MHD_HTTP_OK, .body = body, .type = as->type};
        a->headers = q->headers;
        observe(w, q);
        return HTTP_ANSWER;
    }
    case WEB_METRICS: {
        GString *out = g_string_new(NULL);
        observe(w, q); /* counted before it is written, so it counts itself */
        metrics(w, r->server, out);
        *a = (struct http_answer){.status = MHD_HTTP_OK, .body = out, .type = PROM_CONTENT_TYPE};
        a->headers = q->headers;
        return HTTP_ANSWER;
    }
    case WEB_LIVEZ: /* it answers: its polling thread turns */
        *a = (struct http_answer){
            .status = MHD_HTTP_OK, .body = g_string_new("live\n"), .type = "text/plain"};
        a->headers = q->headers;
        observe(w, q);
        return HTTP_ANSWER;
    case WEB_OTHER:
        http_answer_error(a, MHD_HTTP_NOT_FOUND,
                          "no such path: the page is /, the data /v1/units, /v1/forms, "
                          "/v1/charts and /v1/live");
        a->headers = q->headers;
        observe(w, q);
        return HTTP_ANSWER;
    case WEB_UNITS: {
        int given;
        q->day = web_today(w);
        if (day_arg(r, "day", &q->day, &given))
            return bad(w, q, a, "day", http_query(r, "day"), "not a date YYYY-MM-DD");
        break;
    }
    case WEB_FORMS:
        if ((rc = window_args(w, r, q, a)) >= 0 || (rc = forms_args(w, r, q, a)) >= 0)
            return rc;
        break;
    case WEB_CHARTS:
        if ((rc = window_args(w, r, q, a)) >= 0)
            return rc;
        break;
    case WEB_LIVE: {
        const char *unit = http_query(r, "unit");
        if (!unit || !*unit || strlen(unit) >= sizeof q->unit ||
            !units_id_valid(unit, strlen(unit)))
            return bad(w, q, a, "unit", unit, "a unit id is required, e.g. unit=kg.rachgia");
        snprintf(q->unit, sizeof q->unit, "%s", unit);
        q->q.unit = q->unit;
        break;
    }
    case WEB_HEALTHZ:
        /* Its own queue: readiness is never stuck behind heavy charts. */
        return HTTP_DEFER + WEB_QUEUE_HEALTH;
    case WEB_PATHS:
        break;
    }
    return HTTP_DEFER + WEB_QUEUE_READS;
}

void web_work(void *arg, struct http_request *r, struct http_answer *a)
{
    struct web *w = arg;
    struct web_req *q = r->user;
    switch (q->path) {
    case WEB_UNITS:
        web_units(w, q, a);
        break;
    case WEB_FORMS:
        web_forms(w, q, a);
        break;
    case WEB_CHARTS:
        web_charts(w, q, a);
        break;
    case WEB_LIVE:
        web_live(w, q, a);
        break;
    default:
        web_healthz(w, a);
        break;
    }
    if (!a->headers)
        a->headers = q->headers;
    observe(w, q);
}
