/* Sums by (unit, day): for each, a short list of (figure, sum), where a
 * figure is DAYSUMS_FIG(level, metric) and level is 1 + enum unit_level of
 * the unit where the events happened. The first stage of the rollup (the
 * events of a flush, as they are decoded) and the aggregator's way up the
 * tree (a unit's sums handed to its parent, coalesced there with its
 * siblings'). Entries live in chunks of a pool: adding to a (unit, day)
 * costs one table lookup and a scan of its few figures, and nothing is
 * allocated per entry once the pool has grown. */
#ifndef CCHC_FIGURES_DAYSUMS_H
#define CCHC_FIGURES_DAYSUMS_H

#include "base/units.h"

#include <stddef.h>
#include <stdint.h>

#define DAYSUMS_FIG(level, metric) ((uint32_t)(level) << 16 | (uint32_t)(metric))
#define DAYSUMS_LEVEL(fig) ((uint32_t)(fig) >> 16)
#define DAYSUMS_METRIC(fig) ((uint32_t)(fig)&0xffff)
#define DAYSUMS_DEPTHS UNIT_DEPTH_MAX /* base/units.h: the registry refuses deeper */

struct daysums; /* opaque */

struct daysums *daysums_new(void);
void daysums_free(struct daysums *d);
/* Forgets every group; the pool's memory is kept for the next. */
void daysums_clear(struct daysums *d);
size_t daysums_groups(const struct daysums *d);  /* (unit, day) groups */
size_t daysums_entries(const struct daysums *d); /* (unit, day, figure) sums */

/* The group of (unit, day), created empty at first use; depth is the
 * unit's number of ancestors (0 for a root), under DAYSUMS_DEPTHS. Group
 * numbers stay good until daysums_clear. */
uint32_t daysums_group(struct daysums *d, int unit, int64_t day, int depth);
int daysums_group_unit(const struct daysums *d, uint32_t g);
int64_t daysums_group_day(const struct daysums *d, uint32_t g);
/* The groups of one depth, in the order they were made: *groups[0..n),
 * good until the next daysums_group. */
size_t daysums_at_depth(const struct daysums *d, int depth, const uint32_t **groups);

/* The sum of fig in group g, or NULL. */
int64_t *daysums_find(struct daysums *d, uint32_t g, uint32_t fig);
/* The sum of fig in group g, created 0 when absent. The pointer is good
 * until the next daysums_slot. */
int64_t *daysums_slot(struct daysums *d, uint32_t g, uint32_t fig);

/* Walks the figures of group g: start with *it = 0, and each call gives the
 * next (fig, sum) until it returns 0. */
int daysums_next(const struct daysums *d, uint32_t g, uint32_t *it, uint32_t *fig, int64_t *sum);

#endif
