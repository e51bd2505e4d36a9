/* The aggregator's health, for operators: a heartbeat hash in Redis
 * (KEY_HEARTBEAT_AGGREGATOR: counters since start, services/aggregator/REDIS.md),
 * the same counters in GET /v1/stats (status.h), and a progress line in the
 * log. */
#ifndef CCHC_AGGREGATOR_HEALTH_H
#define CCHC_AGGREGATOR_HEALTH_H

#include "apply.h"
#include "bus/bus.h"
#include "store/store.h"

#include <stdint.h>

/* The counters of the heartbeat, by name, in its order: the one list the
 * heartbeat and /v1/stats print. */
#define HEALTH_FIELDS 26
struct health_field {
    const char *name;
    uint64_t value;
};
/* out_of_scope: events of a unit outside their publisher's scope (scope_refused). */
void health_fields(const struct apply_stats *as, const struct bus_sub_stats *bs,
                   uint64_t out_of_scope, struct health_field out[HEALTH_FIELDS]);

struct scope;
/* Writes the heartbeat, stamped now (ms since the epoch): what was applied,
 * what the bus refused (frames without a MAC, with a wrong one, from
 * unknown publishers, played back, of a left epoch, bad replay answers),
 * the events of units outside their publisher's scope, and a Redis that
 * lost state. A failure fails the store, and the next beat tries again. */
void health_beat(struct store *s, const struct apply *a, const struct bus_sub *sub,
                 const struct scope *scope, int64_t now);
/* Logs the counters, when something moved since the last call. */
void health_log(const struct apply *a, const struct bus_sub *sub);

#endif
