#include "figures.h"

#include "base/err.h"
#include "base/metric.h"
#include "base/period.h"
#include "store/day.h"
#include "store/keys.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int say(char *why, size_t cap, int err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int say(char *why, size_t cap, int err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, cap, fmt, ap);
    va_end(ap);
    return err;
}

/* A reply that is not what the command promises is Redis (or something
 * posing as it) refusing, e.g. WRONGTYPE, or a proxy in the way. */
static int want_array(const redisReply *r, const char *key, char *why, size_t cap)
{
    if (r->type == REDIS_REPLY_ARRAY)
        return CCHC_OK;
    if (r->type == REDIS_REPLY_ERROR)
        return say(why, cap, CCHC_EREDIS, "redis refused to read %s: %s", key, r->str);
    return say(why, cap, CCHC_EREDIS, "redis answered %s with reply type %d, not an array", key,
               r->type);
}

static int read_unit(const redisReply *r, const char *unit, struct report_unit *u, char *why,
                     size_t cap)
{
    char key[KEY_LEN];
    key_unit(key, sizeof key, unit);
    int rc = want_array(r, key, why, cap);
    if (rc)
        return rc;
    if (r->elements == 0)
        return say(why, cap, CCHC_ENOTFOUND,
                   "unknown unit '%s' (no %s: not in the registry the aggregator loaded)", unit,
                   key);
    for (size_t i = 0; i + 1 < r->elements; i += 2) {
        const redisReply *k = r->element[i], *v = r->element[i + 1];
        if (k->type != REDIS_REPLY_STRING || v->type != REDIS_REPLY_STRING)
            continue;
        if (strcmp(k->str, "name") == 0)
            snprintf(u->name, sizeof u->name, "%s", v->str);
        else if (strcmp(k->str, "level") == 0)
            snprintf(u->level, sizeof u->level, "%s", v->str);
    }
    return CCHC_OK;
}

/* One packed day (store/day.h) into the sums. */
static int add_day(const char *key, const char *dayname, const char *packed, size_t len,
                   enum report_span span, struct report_sums *sums, char *why, size_t cap)
{
    struct day_reader d = {.s = packed, .len = len};
    const char *f, *bad;
    size_t n;
    int64_t v;
    int rc;
    char field[METRIC_NAME_MAX + 32];
    while ((rc = day_next(&d, &f, &n, &v, &bad)) == CCHC_OK) {
        if (n >= sizeof field)
            return say(why, cap, CCHC_ECORRUPT, "%s field %s: a figure name of %zu bytes", key,
                       dayname, n);
        memcpy(field, f, n);
        field[n] = 0;
        if ((rc = report_sums_add(sums, span, field, v)))
            return say(why, cap, rc, "%s field %s: %s: the total leaves 64 bits", key, dayname,
                       field);
    }
    if (rc != CCHC_ENOTFOUND)
        return say(why, cap, rc, "%s field %s: %s: '%.*s'", key, dayname, bad,
                   (int)(d.bad_len > 200 ? 200 : d.bad_len), d.bad);
    return CCHC_OK;
}

/* One month's days hash (HGETALL reply) into the sums the sink names: the
 * days up to to_day. A day filed under another month would be counted
 * twice, or not at all: refused. */
static int add_month(const redisReply *h, const char *key, const char *month, int64_t from_day,
                     int64_t to_day, report_day_sink_fn sink, void *sink_arg, char *why, size_t cap)
{
    int rc = want_array(h, key, why, cap);
    for (size_t i = 0; rc == CCHC_OK && i + 1 < h->elements; i += 2) {
        const redisReply *k = h->element[i], *v = h->element[i + 1];
        if (k->type != REDIS_REPLY_STRING || v->type != REDIS_REPLY_STRING)
            return say(why, cap, CCHC_ECORRUPT, "%s: a field or value is not a string", key);
        int64_t day;
        if (cchc_day_parse(k->str, &day))
            return say(why, cap, CCHC_ECORRUPT, "%s has field '%s', not a day", key, k->str);
        struct cchc_periods p;
        cchc_periods_of_day(day, &p);
        if (strcmp(p.month, month) != 0)
            return say(why, cap, CCHC_ECORRUPT, "%s has day %s, which is in month %s", key, k->str,
                       p.month);
        enum report_span span = REPORT_WINDOW;
        struct report_sums *sums =
            day > to_day || day < from_day ? NULL : sink(sink_arg, day, &span);
        if (sums)
            rc = add_day(key, k->str, v->str, v->len, span, sums, why, cap);
    }
    return rc;
}

int report_figures_read(struct store *s, const char *unit, int64_t from_day, int64_t to_day,
                        report_day_sink_fn sink, void *sink_arg, struct report_unit *u, char *why,
                        size_t cap)
{
    redisReply *ur = NULL, *months = NULL;
    memset(u, 0, sizeof *u);
    /* One round trip for the unit and its months: every month up to the
     * window's end whose first day is at most 31 days before from_day (a
     * month's score is its first day: the month holding from_day is in). */
    char key[KEY_LEN], mkey[KEY_LEN];
    key_unit(key, sizeof key, unit);
    key_months(mkey, sizeof mkey, unit);
    int rc = store_append(s, "HGETALL %s", key);
    if (!rc)
        rc = from_day == INT64_MIN
                 ? store_append(s, "ZRANGEBYSCORE %s -inf %lld", mkey, (long long)to_day)
                 : store_append(s, "ZRANGEBYSCORE %s %lld %lld", mkey, (long long)(from_day - 31),
                                (long long)to_day);
    if (!rc)
        rc = store_reply(s, &ur);
    if (!rc)
        rc = store_reply(s, &months);
    if (rc) {
        rc = say(why, cap, rc, "reading unit %s: %s", unit, store_errstr(s));
        goto cleanup;
    }
    if ((rc = read_unit(ur, unit, u, why, cap)))
        goto cleanup;
    if ((rc = want_array(months, mkey, why, cap)))
        goto cleanup;
    for (size_t i = 0; i < months->elements; i++) {
        int64_t first, last;
        const redisReply *m = months->element[i];
        if (m->type != REDIS_REPLY_STRING || m->len != 7 || m->str[5] < '0' || m->str[5] > '9' ||
            cchc_period_range(m->str, &first, &last)) { /* "2022-05", not "2022-Q1" */
            rc = say(why, cap, CCHC_ECORRUPT, "%s: a member is not a month", mkey);
            goto cleanup;
        }
    }
    /* Second round trip: every month's days, appended, then read in order. */
    for (size_t i = 0; i < months->elements; i++) {
        key_days(key, sizeof key, unit, months->element[i]->str);
        if ((rc = store_append(s, "HGETALL %s", key))) {
            rc = say(why, cap, rc, "reading the days of %s: %s", unit, store_errstr(s));
            goto cleanup;
        }
    }
    for (size_t i = 0; i < months->elements; i++) {
        redisReply *h;
        key_days(key, sizeof key, unit, months->element[i]->str);
        if ((rc = store_reply(s, &h))) {
            rc = say(why, cap, rc, "reading %s: %s", key, store_errstr(s));
            goto cleanup; /* the connection is failed: no reply is left to read */
        }
        if (!rc)
            rc = add_month(h, key, months->element[i]->str, from_day, to_day, sink, sink_arg, why,
                           cap);
        freeReplyObject(h);
        if (rc) {
            /* The replies still due are read, so the connection stays in step. */
            for (size_t j = i + 1; j < months->elements; j++)
                if (store_reply(s, &h) == CCHC_OK)
                    freeReplyObject(h);
            goto cleanup;
        }
    }
cleanup:
    if (ur)
        freeReplyObject(ur);
    if (months)
        freeReplyObject(months);
    return rc;
}
