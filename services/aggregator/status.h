/* What the aggregator's HTTP face says (GET /healthz, GET /v1/stats): a
 * snapshot of its own counters, taken by the main loop at every turn under
 * a lock held only to copy it. The HTTP thread reads the snapshot and never
 * waits on Redis or the bus. How /healthz decides, and when it is 200 again:
 * services/aggregator/README.md. */
#ifndef CCHC_AGGREGATOR_STATUS_H
#define CCHC_AGGREGATOR_STATUS_H

#include "apply.h"
#include "bus/bus.h"

#include <glib.h>
#include <stdint.h>

/* Past this long without a turn of the main loop (a Redis command that does
 * not return, ...), /healthz says the aggregator is down. */
#define STATUS_STUCK_MS 15000

struct status; /* opaque */

#define STATUS_SOURCES_MAX 16 /* the aggregator's --sources at most */

struct status *status_new(int nsources);
/* The apply's histogram of flushes, for /metrics (borrowed). */
void status_set_flush_histogram(struct status *st, const struct prom_histogram *h);
void status_free(struct status *st);

/* The main loop's turn: whether Redis is connected (and its error if not),
 * the counters, the events of units out of their scope, and whether a
 * flush is in flight. */
void status_update(struct status *st, int connected, const char *redis_error,
                   const struct apply_stats *as, const struct bus_sub_stats *bs,
                   const struct bus_sub_source *src, int nsrc, uint64_t out_of_scope, int busy);

/* Past this many events behind the publishers it is not ready. */
#define STATUS_READY_LAG_EVENTS 1000000u

/* GET /healthz: its JSON into out, which tells liveness ("live": the main
 * loop turns) from readiness ("ready": also Redis reachable, the figures
 * whole, and at most STATUS_READY_LAG_EVENTS behind); the HTTP status:
 * 200 when ready, else 503. Any thread. */
unsigned status_healthz(struct status *st, GString *out);
/* GET /livez: 200 while the main loop turns, else 503. Any thread. */
unsigned status_livez(struct status *st);
/* GET /v1/stats: the heartbeat's counters (health.h) and the state of
 * Redis and the sources, as JSON. refused: the HTTP face's refusals, by
 * HTTP_REFUSED_NAMES. Any thread. */
void status_stats(struct status *st, const uint64_t *refused, GString *out);
/* GET /metrics: Prometheus text (ops/README.md, "Metrics"). Any thread. */
void status_metrics(struct status *st, const uint64_t *refused, GString *out);

#endif
