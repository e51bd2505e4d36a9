/* Journal retention for the ingesting services. A journal must not grow
 * forever, but a service's state (the record ids it has seen, dossiers,
 * level histories) is rebuilt from its journal at start. So before events
 * leave the journal, the service folds them into a checkpoint: a second
 * journal, `checkpoint-EPOCH.journal` beside it, holding the same events
 * whole (the metric changes rebuild the bounds on metric names and sums,
 * base/metric.h). At start
 * the checkpoint is replayed first, then the journal from where the
 * checkpoint ends.
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

/* Opens the checkpoint of the journal at journal_path, if there is one, and
 * replays it through rebuild (whose seq arguments are checkpoint positions,
 * equal to the journal's). max_bytes 0: never compact. */
int retention_open(const char *journal_path, uint64_t max_bytes, journal_scan_fn rebuild, void *arg,
                   struct retention **out, char *why, size_t why_cap);
/* Events [0, this) of the journal are in the checkpoint: skip them when
 * replaying the journal. */
uint64_t retention_folded(const struct retention *r);
/* After the journal is open: CCHC_ECORRUPT when the journal starts after
 * what the checkpoint holds (events would be missing from the state). */
int retention_check(const struct retention *r, struct journal *j, char *why, size_t why_cap);
/* Compacts j when it is due (see above); the thread that appends to j. */
int retention_run(struct retention *r, struct journal *j, struct bus_pub *pub);
void retention_close(struct retention *r);

#endif
