/* A write to Redis (services/aggregator/REDIS.md), atomic with the
 * positions it covers. A batch is a list of commands plus the positions it
 * moves; it is applied as WATCH the position hash, check every position
 * (HMGET), then MULTI, the commands, the new positions, EXEC: all of it or,
 * when a position is not what the batch expects or moves meanwhile,
 * nothing. Commands are written in Redis' protocol (RESP) as they are built.
 *
 * The aggregator writes every flush with it; the repair of cchc-reconcile
 * writes its corrections with it too. */
#ifndef CCHC_FIGURES_BATCH_H
#define CCHC_FIGURES_BATCH_H

#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

struct rollup_batch; /* opaque */

struct rollup_batch *rollup_batch_new(void);
void rollup_batch_free(struct rollup_batch *b);
void rollup_batch_clear(struct rollup_batch *b);

/* The batch applies only if field of the position hash is `from` (absent
 * counts as 0), and then sets it to `to`. */
int rollup_batch_position(struct rollup_batch *b, const char *field, uint64_t from, uint64_t to);

/* One whole command, as its arguments. */
int rollup_batch_command(struct rollup_batch *b, int argc, const char *const *argv);

/* Commands built a pair at a time: `cmd key` then pairs, a new command when
 * the command or key changes, and the same command again whenever one has
 * PAIRS_PER_COMMAND pairs (small commands keep Redis' own buffers small). For HSET a
 * pair is field and value; for ZADD, score and member. */
void rollup_batch_open(struct rollup_batch *b, const char *cmd, const char *key);
void rollup_batch_pair(struct rollup_batch *b, const char *a, size_t alen, const char *z,
                       size_t zlen);
void rollup_batch_pair_i64(struct rollup_batch *b, const char *field, int64_t v);
void rollup_batch_score_i64(struct rollup_batch *b, int64_t score, const char *member);
/* Ends the open command, if any (rollup_batch_send does too). */
void rollup_batch_close(struct rollup_batch *b);

/* The commands so far as they will be sent: *len bytes of Redis' protocol
 * (RESP), *ncmds commands. The open command is
 * not among them until closed; the positions never are (rollup_batch_send
 * puts them in its HMGET and HSET). Good until the batch next changes. */
const char *rollup_batch_wire(const struct rollup_batch *b, size_t *len, size_t *ncmds);

/* Checks the positions (one round trip) and sends the batch without
 * waiting for Redis to apply it. CCHC_ESTALE, with nothing sent, when a
 * position is not the batch's `from`: stale names it ("field=current"). */
int rollup_batch_send(struct store *s, const char *pos_key, struct rollup_batch *b, char *stale,
                      size_t stale_cap);
/* Reads what Redis answered to a sent batch: CCHC_OK when applied,
 * CCHC_ESTALE when a position moved after the check (nothing applied). */
int rollup_batch_result(struct store *s, const struct rollup_batch *b);

#endif
