/* GET /v1/live?unit=U: today's counts of a unit (its subtree's day, as the
 * aggregator has applied it so far) and how far the aggregator has got
 * (its heartbeat), which the page polls to keep them current. */
#include "web.h"

#include "base/err.h"
#include "base/json.h"
#include "base/period.h"
#include "base/rate.h"
#include "store/keys.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t web_today(const struct web *w)
{
    if (w->today >= 0)
        return w->today;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return cchc_day_of_ms((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static void count(GString *j, const char *key, const struct report_sums *s, const char *field)
{
    json_key(j, key);
    json_int(j, report_sums_get(s, REPORT_WINDOW, field));
}

/* The heartbeat's fields the page shows; absent (an aggregator never
 * started, or Redis rebuilt) as null. */
static int heartbeat(struct store *s, GString *j)
{
    redisReply *r;
    int rc = store_command(s, &r, "HGETALL %s", KEY_HEARTBEAT_AGGREGATOR);
    if (rc)
        return rc;
    const char *at_ms = NULL, *applied = NULL;
    for (size_t i = 0; r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements; i += 2) {
        const redisReply *k = r->element[i], *v = r->element[i + 1];
        if (k->type != REDIS_REPLY_STRING || v->type != REDIS_REPLY_STRING)
            continue;
        if (strcmp(k->str, "at_ms") == 0)
            at_ms = v->str;
        else if (strcmp(k->str, "applied_events") == 0)
            applied = v->str;
    }
    json_key(j, "aggregator");
    g_string_append_c(j, '{');
    json_key(j, "applied_events");
    g_string_append(j, applied && *applied && strspn(applied, "0123456789") == strlen(applied)
                           ? applied
                           : "null");
    json_key(j, "age_s");
    char *end;
    long long at = at_ms ? strtoll(at_ms, &end, 10) : 0;
    if (at_ms && *at_ms && !*end) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        long long now = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
        g_string_append_printf(j, "%lld", (now > at ? now - at : 0) / 1000);
    } else {
        g_string_append(j, "null");
    }
    g_string_append_c(j, '}');
    freeReplyObject(r);
    return CCHC_OK;
}

void web_live(struct web *w, const struct web_req *q, struct http_answer *a)
{
    struct store *s = web_store(w, a);
    if (!s)
        return;
    int64_t today = web_today(w);
    /* Today's day alone: the month holding it is read, not the history. */
    struct report_query lq = {q->unit, today, today, 0, 0, 1};
    struct report_sums *sums = report_sums_new();
    struct report_unit info;
    char why[512], day[CCHC_DAY_LEN];
    int rc = report_load(s, w->units, w->why_units, &lq, &info, sums, why, sizeof why);
    GString *j = NULL;
    if (rc == CCHC_OK) {
        cchc_day_format(today, day);
        j = g_string_new("{");
        json_key(j, "unit");
        json_cstr(j, q->unit);
        json_key(j, "day");
        json_cstr(j, day);
        count(j, "received", sums, "received");
        count(j, "received_online", sums, "received_online");
        count(j, "resolved", sums, "resolved");
        json_key(j, "on_time");
        json_int(j, report_sums_get(sums, REPORT_WINDOW, "resolved_early") +
                        report_sums_get(sums, REPORT_WINDOW, "resolved_on_time"));
        if ((rc = heartbeat(s, j)))
            snprintf(why, sizeof why, "reading %s: %s", KEY_HEARTBEAT_AGGREGATOR, store_errstr(s));
    }
    store_close(s);
    report_sums_free(sums);
    if (rc) {
        if (j)
            g_string_free(j, TRUE);
        web_load_failed(w, rc, why, a);
        return;
    }
    g_string_append(j, "}\n");
    *a = (struct http_answer){.status = MHD_HTTP_OK, .body = j, .type = "application/json"};
}
