/* Figures to commands: the values of changed figures become whole-hash
 * HSETs (whoever builds a batch knows the figures' new values, so Redis does
 * no arithmetic and a hash costs one command however many of its fields
 * change), with what follows from them: derived rates, rankings and day
 * indexes. The batch (figures/batch.h) then writes them atomically with
 * the positions they cover. */
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
 * rankings of ranked totals, and, for a day hash new to Redis (new_day), its
 * unit's day index. */
typedef int (*rollup_new_day_fn)(void *arg, uint64_t hash);
int rollup_batch_figures(struct rollup_batch *b, struct rollup *r, const fig_key *keys,
                         const int64_t *vals, size_t n, rollup_value_fn value,
                         rollup_new_day_fn new_day, void *arg);

#endif
