#include "figures/rollup_write.h"

#include "base/err.h"
#include "figures/rates.h"
#include "store/keys.h"

#include <glib.h>
#include <string.h>

struct ranked {
    uint32_t period, metric;
    int unit;
    int64_t v;
};

static int by_ranking(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->period != y->period)
        return x->period < y->period ? -1 : 1;
    if (x->metric != y->metric)
        return x->metric < y->metric ? -1 : 1;
    return (x->unit > y->unit) - (x->unit < y->unit);
}

int rollup_batch_figures(struct rollup_batch *b, struct rollup *r, const fig_key *keys,
                         const int64_t *vals, size_t n, rollup_value_fn value,
                         rollup_new_day_fn new_day, void *arg)
{
    const struct units *u = rollup_units(r);
    struct rollup_rates rates;
    if (rollup_rates_init(r, &rates))
        return CCHC_ETOOBIG;
    GArray *ranks = g_array_new(FALSE, FALSE, sizeof(struct ranked));
    char key[512], field[PROTO_METRIC_NAME_MAX + 32];
    for (size_t i = 0; i < n;) {
        uint64_t hash = FIG_HASH(keys[i]);
        uint32_t period = FIG_PERIOD(keys[i]);
        int unit = FIG_UNIT(keys[i]);
        const char *pname = rollup_period_name(r, period), *uname = units_id(u, unit);
        int64_t day = rollup_period_day(r, period);
        rollup_hash_key(r, hash, key, sizeof key);
        size_t end = i;
        rollup_batch_open(b, "HSET", key);
        for (; end < n && FIG_HASH(keys[end]) == hash; end++) {
            rollup_field_name(r, keys[end], field, sizeof field);
            rollup_batch_pair_i64(b, field, vals[end]);
            if (day == ROLLUP_DAY_NONE && FIG_LEVEL(keys[end]) == 0 &&
                rollup_metric_ranked(r, FIG_METRIC(keys[end]))) {
                struct ranked k = {period, FIG_METRIC(keys[end]), unit, vals[end]};
                g_array_append_val(ranks, k);
            }
        }
        if (day == ROLLUP_DAY_NONE) {
            rollup_rates_put(b, &rates, hash, value, arg);
        } else if (new_day(arg, hash)) {
            char daykey[512];
            key_days(daykey, sizeof daykey, uname);
            rollup_batch_open(b, "ZADD", daykey);
            rollup_batch_score_i64(b, day, pname);
        }
        i = end;
    }
    g_array_sort(ranks, by_ranking);
    for (guint i = 0; i < ranks->len; i++) {
        const struct ranked *k = &g_array_index(ranks, struct ranked, i);
        key_rank(key, sizeof key, rollup_period_name(r, k->period),
                 rollup_metric_name(r, k->metric));
        rollup_batch_open(b, "ZADD", key);
        rollup_batch_score_i64(b, k->v, units_id(u, k->unit));
    }
    rollup_batch_close(b);
    g_array_free(ranks, TRUE);
    return CCHC_OK;
}
