/* What events add to the figures of Redis (services/aggregator/REDIS.md):
 * which events count, their names and ids, and what Redis keeps of them,
 * for the aggregator, which applies them, and cchc-reconcile, which
 * recomputes them from the journals to compare.
 *
 * Two stages, so that a busy stream costs little per event: rollup_event
 * only adds each metric to its (unit, day) group (daysums.h), a few
 * additions per event; once per flush, the aggregator's cells
 * (services/aggregator/cells.h) take those sums up the tree and into every
 * period of the day, and rollup_expand does the same the plain way, the
 * reference cchc-reconcile uses and the cells are tested against.
 *
 * A figure (one field of one figures hash) is named by a fig_key, numbers
 * only; the strings are made when something is written or printed. */
#ifndef CCHC_ROLLUP_H
#define CCHC_ROLLUP_H

#include "base/units.h"
#include "figures/daysums.h"
#include "proto/event.h"

#include <stddef.h>
#include <stdint.h>

/* period id (24 bits) | unit index (20) | level (2: 0 the subtree total,
 * 1 + enum unit_level the part that happened at that level) | metric id (16).
 * Sorted keys are grouped by hash (period, unit): FIG_HASH. */
typedef uint64_t fig_key;
#define FIG_KEY(period, unit, level, metric)                                                       \
    ((uint64_t)(period) << 38 | (uint64_t)(unit) << 18 | (uint64_t)(level) << 16 |                 \
     (uint64_t)(metric))
#define FIG_HASH(k) ((k) >> 18)
#define FIG_PERIOD(k) ((uint32_t)((k) >> 38))
#define FIG_UNIT(k) ((int)((k) >> 18 & 0xfffff))
#define FIG_LEVEL(k) ((int)((k) >> 16 & 3))
#define FIG_METRIC(k) ((uint32_t)((k)&0xffff))
#define FIG_HASH_PERIOD(h) ((uint32_t)((h) >> 20)) /* of a FIG_HASH */
#define FIG_HASH_UNIT(h) ((int)((h)&0xfffff))

#define ROLLUP_DAY_NONE INT64_MIN /* rollup_period_day of an official period */

struct rollup; /* opaque */

/* u is borrowed and must outlive the rollup. */
struct rollup *rollup_new(const struct units *u);
void rollup_free(struct rollup *r);
/* Forgets the events added; names and ids stay. */
void rollup_clear(struct rollup *r);
/* (unit, day, metric) sums held: what a flush will expand. */
size_t rollup_size(const struct rollup *r);

/* Which events count: one whose unit is in the registry and whose metric
 * names are all metric_name_ok. The aggregator applies only these, and
 * cchc-reconcile recomputes only from them. *unit gets the unit's index;
 * CCHC_EINVAL, with *why saying what is wrong, for an event that does not
 * count. */
int rollup_counts(const struct rollup *r, const struct proto_event *ev, int *unit,
                  const char **why);

/* Adds ev's metrics at unit (an index in the registry), all or none. The
 * metric names must be metric_name_ok (base/metric.h). CCHC_ETOOBIG, with
 * none of ev's sums added, for the 65,537th distinct metric name or a sum
 * that would leave int64 (the services bound every metric's sum far below,
 * common/base/metric.h: only a broken publisher gets here). */
int rollup_event(struct rollup *r, int unit, const struct proto_event *ev);

/* Two views of the events (services/aggregator/REDIS.md): as recorded, an
 * event counts at the unit acting on its day (units_acting_on) under the
 * tree of that day, and so do the days hashes; the official periods'
 * hashes and rankings count it at today's unit (units_today, seen on the
 * day rollup_set_today sets) under today's tree. Without a today they
 * count as recorded. Most events count at one place in both, in
 * ROLLUP_BOTH, which goes to the day and its periods; one re-attributed
 * goes to ROLLUP_DAYS (its day, as recorded) and ROLLUP_PERIODS (its
 * periods, today). */
enum rollup_view { ROLLUP_BOTH, ROLLUP_DAYS, ROLLUP_PERIODS, ROLLUP_VIEWS };
#define ROLLUP_AS_RECORDED INT64_MIN
void rollup_set_today(struct rollup *r, int64_t day);
int64_t rollup_today(const struct rollup *r);
/* The parent a view's sums of unit on day go up to. */
int rollup_parent_in(const struct rollup *r, enum rollup_view v, int unit, int64_t day);
/* Which of a day's periods (rollup_day_periods' indexes, the day first) a
 * view's sums go to, first to last. */
void rollup_view_periods(enum rollup_view v, int *first, int *last);

/* The added events' sums of a view, by (unit, day), each figure
 * DAYSUMS_FIG(1 + level of the unit, metric): for the aggregator's cells
 * (cells.h). Belongs to the rollup; rollup_clear empties it. */
struct daysums *rollup_days(struct rollup *r, enum rollup_view v);
/* The period ids of a day: the day, its month, quarter, half-year, year,
 * and all (ROLLUP_PERIODS_OF_DAY of them); NULL when the day would name one
 * period too many. Good until the next call (a new day moves them). */
#define ROLLUP_PERIODS_OF_DAY 6
const uint32_t *rollup_day_periods(struct rollup *r, int64_t day);
/* Whether REDIS.md keeps figure (level, metric) of unit in an official
 * period's hash (days keep them all). */
int rollup_official_keeps(const struct rollup *r, int unit, uint32_t level, uint32_t metric);

/* Every figure the added events change, at every ancestor and period, as
 * subtree totals and split by level, as far as REDIS.md keeps them (a day
 * keeps every figure; an official period no procedure's, and a commune's no
 * split by level): *n keys in ascending order, with the sums in deltas. CCHC_ETOOBIG when the days
 * would name 2^24 periods. The arrays belong to the rollup and stay good until the next
 * rollup_expand, rollup_clear or rollup_free. */
int rollup_expand(struct rollup *r, const fig_key **keys, const int64_t **deltas, size_t *n);

const struct units *rollup_units(const struct rollup *r);
/* Period names as REDIS.md spells them ("2022-03-01", "2022-05", "all") and
 * their ids; a day's number, or ROLLUP_DAY_NONE for an official period. */
int rollup_period_id(struct rollup *r, const char *name, uint32_t *id);
const char *rollup_period_name(const struct rollup *r, uint32_t period);
int64_t rollup_period_day(const struct rollup *r, uint32_t period);
/* The official month a day falls in (a day's period id to its month's). */
uint32_t rollup_period_month(const struct rollup *r, uint32_t period);
/* Metric ids: a name seen for the first time gets the next one. */
int rollup_metric_id(struct rollup *r, const char *name, size_t len, uint32_t *id);
const char *rollup_metric_name(const struct rollup *r, uint32_t metric);
/* The indicators ranked on their totals (REDIS.md): received, resolved. */
int rollup_metric_ranked(const struct rollup *r, uint32_t metric);
/* The Redis key of a figures hash (FIG_HASH): key_fig (store/keys.h) for an
 * official period, key_days of the day's month for a day, whose field is
 * then the day's name (rollup_period_name). */
void rollup_hash_key(const struct rollup *r, uint64_t hash, char *out, size_t cap);
/* The hash field of k: key_field (store/keys.h). */
void rollup_field_name(const struct rollup *r, fig_key k, char *out, size_t cap);
/* The same, named once per metric: good for the rollup's life. */
const char *rollup_field(const struct rollup *r, fig_key k);
/* The other way, for a field read back from Redis into level and metric.
 * CCHC_ENOTFOUND for a field that is not a figure (a rate, or no metric),
 * CCHC_ETOOBIG when the metric would be one too many. */
int rollup_field_parse(struct rollup *r, const char *field, size_t len, uint32_t *level,
                       uint32_t *metric);

#endif
