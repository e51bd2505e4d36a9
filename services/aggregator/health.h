/* The aggregator's health, for operators: a heartbeat hash in Redis
 * (KEY_HEARTBEAT_AGGREGATOR: counters since start, services/aggregator/REDIS.md)
 * and a progress line in the log. */
#ifndef CCHC_AGGREGATOR_HEALTH_H
#define CCHC_AGGREGATOR_HEALTH_H

#include "apply.h"
#include "bus/bus.h"
#include "store/store.h"

#include <stdint.h>

/* Writes the heartbeat, stamped now (ms since the epoch); a failure fails
 * the store, and the next beat tries again. */
void health_beat(struct store *s, const struct apply *a, const struct bus_sub *sub, int64_t now);
struct scope;
/* Adds to the heartbeat what the bus refused (frames without a MAC, with a
 * wrong one, from unknown publishers, played back, of a left epoch, bad
 * replay answers) and the events of units outside their publisher's scope. */
void health_beat_bus(struct store *s, const struct bus_sub *sub, const struct scope *scope);
/* Logs the counters, when something moved since the last call. */
void health_log(const struct apply *a, const struct bus_sub *sub);

#endif
