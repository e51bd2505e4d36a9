/* What Redis holds, kept in memory by figures hash (rollup.h's FIG_HASH: an
 * official period's hash of a unit, or a unit's day), so that a flush
 * writes new values outright and Redis does no arithmetic.
 *
 * A flush's sums go up the tree first: each (unit, day)'s sums are handed
 * to its parent's (unit, day) and coalesced there with its siblings', so a
 * parent costs one pass however many children moved, and only then is each
 * (unit, day) added to its six hashes (the day, its month, quarter,
 * half-year, year and all), a cell lookup per hash and a binary search per
 * figure. The figures changed become the flush, in ascending order, without
 * a sort of the figures: the changed cells are sorted, and a cell keeps its
 * figures sorted.
 *
 * The cells are only as good as the stamp they were built at (apply.c):
 * on any mismatch or failed write the aggregator empties them and reloads
 * what it needs. A hash is loaded whole (figures/fighash.h) the first time a
 * flush touches it, unless the cells are "complete": they were emptied when
 * Redis held no figures at all, so a hash they do not have is empty. Memory
 * is bounded by max_figures: past it, the cells are emptied after a flush
 * and fill again from Redis. */
#ifndef CCHC_AGGREGATOR_CELLS_H
#define CCHC_AGGREGATOR_CELLS_H

#include "figures/rollup.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

struct cells; /* opaque */

/* r is borrowed and must outlive the cells. */
struct cells *cells_new(struct rollup *r, size_t max_figures);
void cells_free(struct cells *c);
/* Forgets everything; complete: Redis is known to hold no figures. */
void cells_reset(struct cells *c, int complete);

/* Applies the rollup's sums (rollup_days) to every ancestor and period,
 * loading first, pipelined, the hashes that are not resident. It consumes
 * the sums: it adds the ancestors' days to them, so the caller clears the
 * rollup after. The figures changed are *keys[0..*n) ascending with their
 * new values in *vals, good until the next cells_apply or cells_reset.
 * CCHC_ETOOBIG, with the cells to be reset, for a figure that would leave
 * int64 (never with the sums the services allow, base/metric.h); a failure
 * to load is the store's. */
int cells_apply(struct cells *c, struct store *s, const fig_key **keys, const int64_t **vals,
                size_t *n);
/* The value of a resident figure (0 when its hash lacks it). */
int64_t cells_get(const struct cells *c, fig_key k);
/* Every figure of a resident day (a day is written whole), good until the
 * next call. */
size_t cells_day_figures(struct cells *c, uint64_t hash, const fig_key **keys);
/* A resident hash that Redis does not have yet; cells_written, once the
 * flush that creates it is sent, makes it Redis' own. */
int cells_is_new(const struct cells *c, uint64_t hash);
void cells_written(struct cells *c);
/* After a flush: empties the cells when they hold more than max_figures. */
void cells_trim(struct cells *c);

/* Figures held, and hashes loaded from Redis since the cells were made. */
size_t cells_figures(const struct cells *c);
uint64_t cells_loaded(const struct cells *c);

#endif
