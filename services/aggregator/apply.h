/* Applying events to Redis. Events are kept in memory, summed per (unit,
 * day, metric), and flushed in one atomic write (rollup_write.h)
 * that checks and moves the position of every publisher it covers along
 * with the figures: a batch is applied exactly once, whatever crashes.
 *
 * One flush is in flight at a time: while Redis writes it, the next one is
 * gathered, and it is sent as soon as the reply comes (or when what is held
 * reaches the flush size). So a quiet stream makes small, prompt flushes and
 * a busy one big, cheap ones, with no timer to tune. Redis gets new values
 * outright from the cells that hold what it holds (cells.h). */
#ifndef CCHC_APPLY_H
#define CCHC_APPLY_H

#include "base/units.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

struct apply; /* opaque */

struct apply_stats {
    uint64_t applied_events, rejected_events, batches, stale_batches, figures_written,
        hashes_loaded;
    uint64_t checkpoint_events; /* sums and marks of publishers' checkpoints */
    uint64_t rebuilds;          /* times Redis was emptied and rebuilt from nothing */
    /* Times Redis was found holding less than this aggregator had written
     * (its stamp went back: FLUSHALL, a restart without persistence, an
     * older backup), and the stamps of the last time: written, then found. */
    uint64_t redis_lost, lost_wrote_stamp, lost_found_stamp;
    uint64_t failures; /* flushes or reads of Redis that failed: it started over */
};

struct scope; /* scope.h */

struct apply_config {
    size_t flush_sums;   /* (unit, day, metric) sums held before a flush is forced */
    size_t max_figures;  /* the figure cells' bound */
    struct scope *scope; /* which publisher speaks for which units (borrowed), or NULL */
};

/* Borrows s and u; both must outlive the apply. */
struct apply *apply_open(struct store *s, const struct units *u, const struct apply_config *cfg);
void apply_close(struct apply *a);
/* After a (re)connect: writes the unit registry and starts over from what
 * Redis holds (the stamp, and whether it holds any figures at all). */
int apply_connect(struct apply *a);
/* Whether Redis still holds what this aggregator wrote last (the stamp):
 * else, as for a failed flush, it starts over from what Redis holds (a
 * FLUSHALL is noticed without waiting for the next event). */
int apply_check(struct apply *a);
/* Empties Redis of the layout (every key of KEYS_PREFIX) and connects
 * again: every position is 0, so the journals and their checkpoints
 * (bus/retention.h) replay the whole history. The caller must
 * bus_sub_reset(). For --rebuild, and for a Redis whose positions are on
 * none of a checkpoint's runs (bus_sub_stats.stale_sources). */
int apply_rebuild(struct apply *a);
/* Today's units (figures/rollup.h): the day the periods' figures and
 * rankings see the registry on. Before apply_connect, and then again with
 * apply_rebuild when the view it gives changes (apply_view_stale). */
void apply_set_today(struct apply *a, int64_t today);
/* Whether Redis was built under another view than this aggregator's (the
 * registry's digest and today's last change day, KEY_VIEW), as found by
 * apply_connect: its history must be re-attributed, by apply_rebuild. */
int apply_view_stale(const struct apply *a);
/* Moves flushes along without blocking: reads the reply of the flush in
 * flight if it is there, and sends what is held as the next flush when none
 * is in flight. With wait, also waits until nothing is in flight or held.
 * On failure, or once a write was refused or failed (apply_broken), nothing
 * held or in flight is kept: the caller must bus_sub_reset() and
 * apply_connect() before polling again. */
int apply_progress(struct apply *a, int wait);
/* A flush is in flight: Redis answers on store_fd(). */
int apply_busy(const struct apply *a);
/* Waits for the reply of the flush in flight, so that the caller may use
 * the connection for its own commands. */
int apply_quiet(struct apply *a);
/* fn hears every position a flush made durable in Redis (bus_sub_durable). */
typedef void (*apply_durable_fn)(void *arg, const char *publisher, uint64_t epoch, uint64_t next);
void apply_on_durable(struct apply *a, apply_durable_fn fn, void *arg);
int apply_broken(const struct apply *a);
void apply_get_stats(const struct apply *a, struct apply_stats *st);
/* How long flushes took, from their start to Redis' reply (any thread reads it). */
struct prom_histogram;
const struct prom_histogram *apply_flush_histogram(const struct apply *a);

/* bus_position_fn and bus_deliver_fn (common/bus/bus.h); arg is the struct apply. */
int apply_position(void *arg, const char *publisher, uint64_t epoch, uint64_t *next,
                   uint64_t *ckpt);
int apply_deliver(void *arg, const char *publisher, uint64_t epoch, uint64_t seq, uint32_t count,
                  const uint8_t *body, size_t len, int trusted, uint64_t *next);

#endif
