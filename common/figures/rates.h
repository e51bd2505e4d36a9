/* The rates the aggregator derives from figures and keeps beside them in
 * the hashes of official periods and `all` (services/aggregator/REDIS.md,
 * "Derived rates"): on_time_pct, the dossiers resolved early or on time
 * over those resolved, as the forms print it (base/rate.h), for the
 * subtree and, where the hash is split by level, its district and commune
 * parts. Their names end in
 * METRIC_RATE_SUFFIX, which no figure may (base/metric.h). */
#ifndef CCHC_FIGURES_RATES_H
#define CCHC_FIGURES_RATES_H

#include "figures/batch.h"
#include "figures/rollup.h"

/* What a hash holds for figure k once the batch is applied. */
typedef int64_t (*rollup_value_fn)(void *arg, fig_key k);

/* The metric ids the rates are computed from, named once per rollup. */
struct rollup_rates {
    uint32_t resolved, early, on_time;
};
int rollup_rates_init(struct rollup *r, struct rollup_rates *ids);

/* Appends the rate fields of figures hash `hash` to the open HSET of b:
 * the subtree's, and with split, its district and commune parts. Returns
 * the subtree's rate in basis points, or -1 when it has none (nothing
 * resolved). */
int64_t rollup_rates_put(struct rollup_batch *b, const struct rollup_rates *ids, uint64_t hash,
                         int split, rollup_value_fn value, void *arg);

#endif
