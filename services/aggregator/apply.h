/* Applying events to Redis: each contiguous batch of one publisher becomes
 * increments coalesced per (key, field), sent as one Lua script call that
 * checks the applied position, applies everything, and moves the position,
 * atomically. A batch is therefore applied exactly once, whatever crashes. */
#ifndef CCHC_APPLY_H
#define CCHC_APPLY_H

#include "store.h"
#include "units.h"

#include <stddef.h>
#include <stdint.h>

struct apply; /* opaque */

struct apply_stats {
    uint64_t applied_events, rejected_events, batches, stale_batches;
};

/* Borrows s and u; both must outlive the apply. */
int apply_open(struct store *s, const struct units *u, struct apply **out);
void apply_close(struct apply *a);
/* After a reconnect: the script cache of a restarted Redis is empty. */
int apply_load_script(struct apply *a);
/* Writes the unit registry to Redis (cchc:v1:unit:*, cchc:v1:units). */
int apply_publish_units(struct apply *a);
void apply_get_stats(const struct apply *a, struct apply_stats *st);

/* bus_position_fn and bus_deliver_fn (common/bus.h); arg is the struct apply. */
int apply_position(void *arg, const char *publisher, uint64_t epoch, uint64_t *next);
int apply_deliver(void *arg, const char *publisher, uint64_t epoch, uint64_t seq, uint32_t count,
                  const uint8_t *body, size_t len, int trusted, uint64_t *next);

#endif
