/* Journal retention for the ingesting services. A journal must not grow
 * forever, yet the figures are totals since the start: Redis is a cache
 * that must be rebuildable from the journals alone. So before events leave
 * the journal they are folded into a checkpoint, `checkpoint-EPOCH.journal`
 * beside it: what they added, summed per (unit, day, metric), as
 * PROTO_TYPE_SUM events, then a PROTO_TYPE_CHECKPOINT mark naming the
 * journal positions the run covers (proto/event.h). Its size is bounded by
 * units x days x metrics, not by events; the journal plus its checkpoint
 * always hold the whole history, which the publisher replays (bus.h,
 * BUS_CKPT) and cchc-reconcile reads. The service's own state (ids,
 * dossiers) is not rebuilt from it: that lives in its state store.
 *
 * When: the journal is over max_bytes, and dropping the events every
 * durable subscriber has acknowledged (bus_pub_retention_floor) frees at
 * least half of it; so the copy of what is kept costs no more than what was
 * appended since the last time. Never: past the slowest durable subscriber,
 * or when no subscriber has ever acknowledged. */
#ifndef CCHC_RETENTION_H
#define CCHC_RETENTION_H

#include "bus/bus.h"
#include "bus/journal.h"

#include <stdint.h>

struct retention; /* opaque */

/* Opens (or creates) the checkpoint of the open journal j, kept at
 * journal_path, and cuts a run a crash left without its mark.
 * CCHC_ECORRUPT when it holds anything but runs of sums (an older
 * checkpoint format), or when j starts after what the checkpoint covers
 * (events would be missing from the history). max_bytes 0: never compact. */
int retention_open(struct journal *j, const char *journal_path, uint64_t max_bytes,
                   struct retention **out, char *why, size_t why_cap);
/* The journal's events [0, this) are in the checkpoint. */
uint64_t retention_folded(const struct retention *r);
/* The checkpoint, for replays (bus_pub_open): borrowed. */
struct journal *retention_checkpoint(struct retention *r);
/* Compacts j when it is due (see above); the thread that appends to j. */
int retention_run(struct retention *r, struct journal *j, struct bus_pub *pub);
/* The same, with the floor given (who: whose position it is, for the log). */
int retention_run_to(struct retention *r, struct journal *j, uint64_t floor, const char *who);
void retention_close(struct retention *r);

/* Reading a checkpoint file (cchc-reconcile): fn for every sum and mark
 * of its complete runs, in order; *folded gets the journal position they
 * reach. */
int retention_scan(const char *checkpoint_path, journal_scan_fn fn, void *arg, uint64_t *folded,
                   char *why, size_t why_cap);
/* The checkpoint's path for a journal of epoch, beside journal_path. */
void retention_path(const char *journal_path, uint64_t epoch, char *out, size_t cap);

#endif
