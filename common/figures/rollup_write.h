/* Figures to commands: the values of changed figures become HSETs of new
 * values (whoever builds a batch knows the figures' new values, so Redis
 * does no arithmetic and a hash costs one command however many of its
 * fields change; a day is one field, packed), with what follows from them:
 * derived rates, rankings and the index of months. The batch (figures/batch.h) then writes them
 * atomically with the positions they cover. */
#ifndef CCHC_ROLLUP_WRITE_H
#define CCHC_ROLLUP_WRITE_H

#include "figures/batch.h"
#include "figures/rates.h"
#include "figures/rollup.h"

#include <stddef.h>
#include <stdint.h>

/* The figures keys[0..n) (ascending) get the values vals, with what follows
 * from them: the rates of every official-period hash written (value gives
 * the other figures they need: what the hash holds after the batch), the
 * rankings of ranked totals and rates among the unit's siblings, and, for a
 * day new to Redis (new_day), its month in the unit's index of months. A
 * day is written whole, packed: day_figures gives every figure it holds
 * (*keys, in any order), value their values. */
typedef int (*rollup_new_day_fn)(void *arg, uint64_t hash);
typedef size_t (*rollup_day_figures_fn)(void *arg, uint64_t hash, const fig_key **keys);
int rollup_batch_figures(struct rollup_batch *b, struct rollup *r, const fig_key *keys,
                         const int64_t *vals, size_t n, rollup_value_fn value,
                         rollup_day_figures_fn day_figures, rollup_new_day_fn new_day, void *arg);

#endif
