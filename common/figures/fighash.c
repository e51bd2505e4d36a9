#include "figures/fighash.h"

#include "base/err.h"
#include "base/metric.h"
#include "store/day.h"
#include "store/keys.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

static int is_day(const struct rollup *r, uint64_t hash)
{
    return rollup_period_day(r, FIG_HASH_PERIOD(hash)) != ROLLUP_DAY_NONE;
}

int fighash_read(struct store *s, const struct rollup *r, uint64_t hash)
{
    char key[KEY_LEN];
    rollup_hash_key(r, hash, key, sizeof key);
    if (is_day(r, hash))
        return store_append(s, "HGET %s %s", key, rollup_period_name(r, FIG_HASH_PERIOD(hash)));
    return store_append(s, "HGETALL %s", key);
}

static int each_day(const struct rollup *r, uint64_t hash, const redisReply *rep, int *absent,
                    fighash_fn fn, void *arg, char *why, size_t cap)
{
    char key[KEY_LEN];
    *absent = rep->type == REDIS_REPLY_NIL;
    if (*absent)
        return CCHC_OK;
    rollup_hash_key(r, hash, key, sizeof key);
    const char *day = rollup_period_name(r, FIG_HASH_PERIOD(hash));
    if (rep->type != REDIS_REPLY_STRING) {
        if (rep->type == REDIS_REPLY_ERROR)
            snprintf(why, cap, "redis refused to read %s field %s: %s", key, day, rep->str);
        else
            snprintf(why, cap, "%s field %s: reply type %d, not a packed day", key, day, rep->type);
        return CCHC_EREDIS;
    }
    /* Read whole first: a day that is not one gives no figure at all. */
    struct day_reader d = {.s = rep->str, .len = rep->len};
    const char *f, *bad;
    size_t n;
    int64_t v;
    int rc;
    while ((rc = day_next(&d, &f, &n, &v, &bad)) == CCHC_OK)
        ;
    if (rc == CCHC_ENOTFOUND) {
        d = (struct day_reader){.s = rep->str, .len = rep->len};
        while ((rc = day_next(&d, &f, &n, &v, &bad)) == CCHC_OK)
            if ((rc = fn(arg, f, n, v)))
                return rc;
        return CCHC_OK;
    }
    snprintf(why, cap, "%s field %s: %s: '%.*s'", key, day, bad,
             (int)(d.bad_len > 200 ? 200 : d.bad_len), d.bad);
    return rc;
}

int fighash_each(const struct rollup *r, uint64_t hash, const redisReply *rep, int *absent,
                 fighash_fn fn, void *arg, char *why, size_t cap)
{
    if (is_day(r, hash))
        return each_day(r, hash, rep, absent, fn, arg, why, cap);
    char key[KEY_LEN];
    rollup_hash_key(r, hash, key, sizeof key);
    if (rep->type != REDIS_REPLY_ARRAY) {
        if (rep->type == REDIS_REPLY_ERROR)
            snprintf(why, cap, "redis refused to read %s: %s", key, rep->str);
        else
            snprintf(why, cap, "%s: reply type %d, not a hash", key, rep->type);
        return CCHC_EREDIS;
    }
    *absent = rep->elements == 0;
    for (size_t k = 0; k + 1 < rep->elements; k += 2) {
        const redisReply *f = rep->element[k], *v = rep->element[k + 1];
        if (f->type != REDIS_REPLY_STRING || v->type != REDIS_REPLY_STRING) {
            snprintf(why, cap, "%s: a field or value is not a string", key);
            return CCHC_EREDIS;
        }
        if (metric_is_rate(f->str, f->len))
            continue;
        char *end;
        errno = 0;
        long long x = strtoll(v->str, &end, 10);
        if (errno || end == v->str || *end) {
            snprintf(why, cap, "%s field %s: '%.40s' is not an integer", key, f->str, v->str);
            return CCHC_ECORRUPT;
        }
        int rc = fn(arg, f->str, f->len, x);
        if (rc)
            return rc;
    }
    return CCHC_OK;
}
