/* What events add to Redis (services/aggregator/REDIS.md), coalesced: one
 * mechanism for the aggregator, which applies it, and cchc-reconcile, which
 * recomputes it from the journals to compare. An operation is
 *   'h' KEY FIELD  += value   (HINCRBY on a figures hash)
 *   'z' KEY MEMBER += value   (ZINCRBY on a ranking)
 *   'a' KEY MEMBER  = value   (ZADD of a day to a unit's day index)
 *   'r' KEY                   (recompute the derived rates of a figures hash)
 */
#ifndef CCHC_ROLLUP_H
#define CCHC_ROLLUP_H

#include "event.h"
#include "units.h"

#include <stddef.h>
#include <stdint.h>

struct rollup; /* opaque */

int rollup_new(struct rollup **out);
void rollup_free(struct rollup *r);
void rollup_clear(struct rollup *r);
size_t rollup_size(const struct rollup *r);

/* Metric names become Redis field and key parts: [a-z][A-Za-z0-9_.-]*, bounded. */
int rollup_metric_ok(const struct proto_str *m);

/* Adds ev's metrics at every ancestor of unit (an index in u), for every
 * period of the event's day, as subtree totals and split by the level of
 * the unit where it happened. The metric names must be rollup_metric_ok. */
void rollup_event(struct rollup *r, const struct units *u, int unit, const struct proto_event *ev);

/* Adds one operation: 'h' and 'z' sum with what is there, 'a' replaces, 'r'
 * ignores value (member ""). */
void rollup_add(struct rollup *r, char op, const char *key, const char *member, int64_t value);

/* Calls fn for every operation; all 'r' operations come last, since rates
 * read the totals the others change. */
typedef void (*rollup_fn)(void *arg, char op, const char *key, const char *member, int64_t value);
void rollup_foreach(const struct rollup *r, rollup_fn fn, void *arg);

#endif
