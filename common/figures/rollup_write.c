#include "figures/rollup_write.h"

#include "base/err.h"
#include "base/metric.h"
#include "base/period.h"
#include "base/rate.h"
#include "figures/rates.h"
#include "store/day.h"
#include "store/keys.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

#define RANK_RATE UINT32_MAX /* struct ranked's metric for on_time_pct */

struct ranked {
    int parent, level; /* the ranking: the unit's parent and the unit's level */
    uint32_t period, metric;
    int unit;
    int64_t v; /* the total, or for RANK_RATE the rate in basis points */
};

static int by_ranking(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->parent != y->parent)
        return x->parent < y->parent ? -1 : 1;
    if (x->level != y->level)
        return x->level < y->level ? -1 : 1;
    if (x->period != y->period)
        return x->period < y->period ? -1 : 1;
    if (x->metric != y->metric)
        return x->metric < y->metric ? -1 : 1;
    return (x->unit > y->unit) - (x->unit < y->unit);
}

struct named {
    const char *field; /* rollup_field */
    int64_t v;
};

static int by_field(const void *a, const void *b)
{
    return strcmp(((const struct named *)a)->field, ((const struct named *)b)->field);
}

/* A day is written whole: every figure it holds, packed (store/day.h). */
static void put_day(struct rollup_batch *b, struct rollup *r, uint64_t hash, GArray *named,
                    GString *packed, rollup_value_fn value, rollup_day_figures_fn figures,
                    void *arg)
{
    const fig_key *all;
    size_t n = figures(arg, hash, &all);
    g_array_set_size(named, (guint)n);
    for (size_t j = 0; j < n; j++) {
        struct named *f = &g_array_index(named, struct named, j);
        f->field = rollup_field(r, all[j]);
        f->v = value(arg, all[j]);
    }
    g_array_sort(named, by_field);
    g_string_truncate(packed, 0);
    for (size_t j = 0; j < n; j++) {
        const struct named *f = &g_array_index(named, struct named, j);
        day_pack_add(packed, f->field, strlen(f->field), f->v);
    }
    char key[KEY_LEN];
    const char *day = rollup_period_name(r, FIG_HASH_PERIOD(hash));
    rollup_hash_key(r, hash, key, sizeof key);
    rollup_batch_open(b, "HSET", key);
    rollup_batch_pair(b, day, strlen(day), packed->str, packed->len);
}

/* A day to write: the days of one unit's month go into one HSET of its
 * days hash, whatever order the days' period ids are in. */
struct day_write {
    uint32_t month;
    int unit;
    uint64_t hash;
};

static int by_month_hash(const void *a, const void *b)
{
    const struct day_write *x = a, *y = b;
    if (x->month != y->month)
        return x->month < y->month ? -1 : 1;
    if (x->unit != y->unit)
        return x->unit < y->unit ? -1 : 1;
    return (x->hash > y->hash) - (x->hash < y->hash);
}

/* The days, one HSET per month hash, each followed by its month's index
 * entry when one of its days is new to Redis. */
static void put_days(struct rollup_batch *b, struct rollup *r, GArray *days, GArray *named,
                     GString *packed, rollup_value_fn value, rollup_day_figures_fn figures,
                     rollup_new_day_fn new_day, void *arg)
{
    g_array_sort(days, by_month_hash);
    char key[KEY_LEN];
    for (guint i = 0; i < days->len;) {
        const struct day_write *d = &g_array_index(days, struct day_write, i);
        int fresh = 0;
        guint end = i;
        for (; end < days->len; end++) {
            const struct day_write *e = &g_array_index(days, struct day_write, end);
            if (e->month != d->month || e->unit != d->unit)
                break;
            put_day(b, r, e->hash, named, packed, value, figures, arg);
            if (new_day(arg, e->hash))
                fresh = 1;
        }
        if (fresh) {
            const char *mname = rollup_period_name(r, d->month);
            int64_t first, last;
            cchc_period_range(mname, &first, &last);
            key_months(key, sizeof key, units_id(rollup_units(r), d->unit));
            rollup_batch_open(b, "ZADD", key);
            rollup_batch_score_i64(b, first, mname);
        }
        i = end;
    }
}

/* Whose children a unit ranks among for a period: under today's units
 * (rollup.h), its parent today; as recorded, or for a unit not valid
 * today, its parent on the period's last day, or on its own last day when
 * it ended before. */
static int rank_parent(const struct rollup *r, int unit, uint32_t period)
{
    const struct units *u = rollup_units(r);
    if (!units_moves(u, unit))
        return units_parent(u, unit);
    int64_t today = rollup_today(r);
    if (today != ROLLUP_AS_RECORDED && units_valid_on(u, unit, today))
        return units_parent_on(u, unit, today);
    int64_t first, last = UNIT_DAY_LAST;
    if (cchc_period_range(rollup_period_name(r, period), &first, &last) != CCHC_OK)
        last = UNIT_DAY_LAST; /* all */
    if (last > units_to(u, unit))
        last = units_to(u, unit);
    return units_parent_on(u, unit, last);
}

int rollup_batch_figures(struct rollup_batch *b, struct rollup *r, const fig_key *keys,
                         const int64_t *vals, size_t n, rollup_value_fn value,
                         rollup_day_figures_fn day_figures, rollup_new_day_fn new_day, void *arg)
{
    const struct units *u = rollup_units(r);
    struct rollup_rates rates;
    if (rollup_rates_init(r, &rates))
        return CCHC_ETOOBIG;
    GArray *ranks = g_array_new(FALSE, FALSE, sizeof(struct ranked));
    GArray *named = g_array_new(FALSE, FALSE, sizeof(struct named));
    GString *packed = g_string_new("");
    GArray *days = g_array_new(FALSE, FALSE, sizeof(struct day_write));
    char key[KEY_LEN];
    for (size_t i = 0; i < n;) {
        uint64_t hash = FIG_HASH(keys[i]);
        uint32_t period = FIG_PERIOD(keys[i]);
        int unit = FIG_UNIT(keys[i]), parent = rank_parent(r, unit, period);
        size_t end = i;
        while (end < n && FIG_HASH(keys[end]) == hash)
            end++;
        if (rollup_period_day(r, period) != ROLLUP_DAY_NONE) {
            struct day_write d = {rollup_period_month(r, period), unit, hash};
            g_array_append_val(days, d); /* written below, by month hash */
            i = end;
            continue;
        }
        rollup_hash_key(r, hash, key, sizeof key);
        rollup_batch_open(b, "HSET", key);
        int resolved = 0; /* whether the total resolved is among the changes */
        for (size_t j = i; j < end; j++) {
            rollup_batch_pair_i64(b, rollup_field(r, keys[j]), vals[j]);
            if (FIG_LEVEL(keys[j]) == 0 && FIG_METRIC(keys[j]) == rates.resolved)
                resolved = 1;
            if (parent >= 0 && FIG_LEVEL(keys[j]) == 0 &&
                rollup_metric_ranked(r, FIG_METRIC(keys[j]))) {
                struct ranked k = {
                    parent, (int)units_level(u, unit), period, FIG_METRIC(keys[j]), unit, vals[j]};
                g_array_append_val(ranks, k);
            }
        }
        int64_t bp =
            rollup_rates_put(b, &rates, hash, units_level(u, unit) != UNIT_COMMUNE, value, arg);
        /* A unit without a rate has no score: it loses one only when what
         * it resolved went back to none (a repair). */
        if (parent >= 0 && (bp >= 0 || resolved)) {
            struct ranked k = {parent, (int)units_level(u, unit), period, RANK_RATE, unit, bp};
            g_array_append_val(ranks, k);
        }
        i = end;
    }
    put_days(b, r, days, named, packed, value, day_figures, new_day, arg);
    g_array_sort(ranks, by_ranking);
    for (guint i = 0; i < ranks->len; i++) {
        const struct ranked *k = &g_array_index(ranks, struct ranked, i);
        const char *uid = units_id(u, k->unit);
        key_rank(key, sizeof key, units_id(u, k->parent), unit_level_name(units_level(u, k->unit)),
                 rollup_period_name(r, k->period),
                 k->metric == RANK_RATE ? "on_time" METRIC_RATE_SUFFIX
                                        : rollup_metric_name(r, k->metric));
        if (k->metric != RANK_RATE) {
            rollup_batch_open(b, "ZADD", key);
            rollup_batch_score_i64(b, k->v, uid);
        } else if (k->v >= 0) {
            char score[CCHC_RATE_LEN];
            cchc_rate_format(k->v, '.', score);
            rollup_batch_open(b, "ZADD", key);
            rollup_batch_pair(b, score, strlen(score), uid, strlen(uid));
        } else {
            const char *argv[] = {"ZREM", key, uid};
            rollup_batch_close(b);
            rollup_batch_command(b, 3, argv);
        }
    }
    rollup_batch_close(b);
    g_array_free(days, TRUE);
    g_string_free(packed, TRUE);
    g_array_free(named, TRUE);
    g_array_free(ranks, TRUE);
    return CCHC_OK;
}
