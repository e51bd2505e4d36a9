#include "figures.h"

#include "base/err.h"
#include "base/metric.h"
#include "base/period.h"
#include "store/keys.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
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

static int add_day(const redisReply *h, const char *key, enum report_span span,
                   struct report_sums *sums, char *why, size_t cap)
{
    int rc = want_array(h, key, why, cap);
    for (size_t i = 0; rc == CCHC_OK && i + 1 < h->elements; i += 2) {
        const redisReply *k = h->element[i], *v = h->element[i + 1];
        if (k->type != REDIS_REPLY_STRING || v->type != REDIS_REPLY_STRING)
            return say(why, cap, CCHC_ECORRUPT, "%s: a field or value is not a string", key);
        /* Day hashes hold integer counters only; official periods also
         * carry derived rates (REDIS.md), which a sum of days must never
         * add up, so rates are left out should a day ever carry one. */
        if (metric_is_rate(k->str, k->len))
            continue;
        char *end;
        errno = 0;
        long long n = strtoll(v->str, &end, 10);
        if (errno || end == v->str || *end)
            return say(why, cap, CCHC_ECORRUPT, "%s field %s: '%s' is not an integer", key, k->str,
                       v->str);
        if ((rc = report_sums_add(sums, span, k->str, n)))
            return say(why, cap, rc, "%s field %s: the total leaves 64 bits", key, k->str);
    }
    return rc;
}

/* Reads the HGETALL replies of the days in days[] (already appended, in order). */
static int read_days(struct store *s, const char *unit, const redisReply *days, int64_t from_day,
                     struct report_sums *sums, char *why, size_t cap)
{
    for (size_t i = 0; i < days->elements; i++) {
        char key[KEY_LEN], dkey[KEY_LEN];
        key_fig(key, sizeof key, unit, days->element[i]->str);
        int64_t day;
        if (cchc_day_parse(days->element[i]->str, &day)) {
            key_days(dkey, sizeof dkey, unit);
            return say(why, cap, CCHC_ECORRUPT, "%s has '%s', not a day", dkey,
                       days->element[i]->str);
        }
        redisReply *h;
        int rc = store_reply(s, &h);
        if (rc)
            return say(why, cap, rc, "reading %s: %s", key, store_errstr(s));
        rc = add_day(h, key, day < from_day ? REPORT_BEFORE : REPORT_WINDOW, sums, why, cap);
        freeReplyObject(h);
        if (rc)
            return rc;
    }
    return CCHC_OK;
}

int report_figures_load(struct store *s, const char *unit, int64_t from_day, int64_t to_day,
                        struct report_unit *u, struct report_sums *sums, char *why, size_t cap)
{
    redisReply *ur = NULL, *days = NULL;
    memset(u, 0, sizeof *u);
    /* One round trip for the unit and its days: every day up to the window's
     * end, since the days before it make up what was carried over. */
    char key[KEY_LEN], dkey[KEY_LEN];
    key_unit(key, sizeof key, unit);
    key_days(dkey, sizeof dkey, unit);
    int rc = store_append(s, "HGETALL %s", key);
    if (!rc)
        rc = store_append(s, "ZRANGEBYSCORE %s -inf %lld", dkey, (long long)to_day);
    if (!rc)
        rc = store_reply(s, &ur);
    if (!rc)
        rc = store_reply(s, &days);
    if (rc) {
        rc = say(why, cap, rc, "reading unit %s: %s", unit, store_errstr(s));
        goto cleanup;
    }
    if ((rc = read_unit(ur, unit, u, why, cap)))
        goto cleanup;
    if ((rc = want_array(days, dkey, why, cap)))
        goto cleanup;
    for (size_t i = 0; i < days->elements; i++) {
        if (days->element[i]->type != REDIS_REPLY_STRING) {
            rc = say(why, cap, CCHC_ECORRUPT, "%s: a member is not a string", dkey);
            goto cleanup;
        }
    }
    /* Second round trip: append every day's HGETALL, then read them all. */
    for (size_t i = 0; i < days->elements; i++) {
        key_fig(key, sizeof key, unit, days->element[i]->str);
        if ((rc = store_append(s, "HGETALL %s", key))) {
            rc = say(why, cap, rc, "reading the days of %s: %s", unit, store_errstr(s));
            goto cleanup;
        }
    }
    rc = read_days(s, unit, days, from_day, sums, why, cap);
cleanup:
    if (ur)
        freeReplyObject(ur);
    if (days)
        freeReplyObject(days);
    return rc;
}
