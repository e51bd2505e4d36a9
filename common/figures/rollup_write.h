/* Writing figures to Redis (services/aggregator/REDIS.md) atomically with
 * the positions they cover. A batch is a list of writes plus the positions
 * it moves; it is applied as WATCH the position hash, check every position
 * (HMGET), then MULTI, the writes, the new positions, EXEC: all of it or,
 * when a position is not what the batch expects or moves meanwhile,
 * nothing. The writes set values outright (HSET, ZADD): whoever builds a
 * batch knows the figures' new values, so Redis does no arithmetic and a
 * hash costs one command however many of its fields change.
 *
 * The aggregator writes every flush with it; the repair of cchc-reconcile
 * writes its corrections with it too. */
#ifndef CCHC_ROLLUP_WRITE_H
#define CCHC_ROLLUP_WRITE_H

#include "figures/rollup.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

struct rollup_batch; /* opaque */

int rollup_batch_new(struct rollup_batch **out);
void rollup_batch_free(struct rollup_batch *b);
void rollup_batch_clear(struct rollup_batch *b);

/* The batch applies only if field of the position hash is `from` (absent
 * counts as 0), and then sets it to `to`. */
int rollup_batch_position(struct rollup_batch *b, const char *field, uint64_t from, uint64_t to);

/* One whole command, as its arguments. */
int rollup_batch_command(struct rollup_batch *b, int argc, const char *const *argv);

/* The figures keys[0..n) (ascending) get the values vals, with what follows
 * from them: the rates of every official-period hash written (value gives
 * the other figures they need: what the hash holds after the batch), the
 * rankings of ranked totals, and, for a day hash new to Redis (new_day), its
 * unit's day index. */
typedef int64_t (*rollup_value_fn)(void *arg, fig_key k);
typedef int (*rollup_new_day_fn)(void *arg, uint64_t hash);
int rollup_batch_figures(struct rollup_batch *b, struct rollup *r, const fig_key *keys,
                         const int64_t *vals, size_t n, rollup_value_fn value,
                         rollup_new_day_fn new_day, void *arg);

/* Checks the positions (one round trip) and sends the batch without
 * waiting for Redis to apply it. CCHC_ESTALE, with nothing sent, when a
 * position is not the batch's `from`: stale names it ("field=current"). */
int rollup_batch_send(struct store *s, const char *pos_key, const struct rollup_batch *b,
                      char *stale, size_t stale_cap);
/* Reads what Redis answered to a sent batch: CCHC_OK when applied,
 * CCHC_ESTALE when a position moved after the check (nothing applied). */
int rollup_batch_result(struct store *s, const struct rollup_batch *b);

#endif
