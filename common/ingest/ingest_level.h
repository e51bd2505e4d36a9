/* Levels (snapshots, see services/README.md) for ingesting services: the
 * event of a snapshot carries the new values (v) and the change of the
 * level (m); a snapshot that arrives before a newer one also publishes a
 * "level.adjust" event with the change of the newer one's step. */
#ifndef CCHC_INGEST_LEVEL_H
#define CCHC_INGEST_LEVEL_H

#include "ingest/ingest.h"
#include "ingest/snapshots.h"

/* ev: the snapshot's event without m and v; names[0..n): the level metrics of
 * this series, always the same for a series; values: the snapshot. The series
 * is ev's unit, type and key (ev->key: a category, a procedure, or empty). */
int ingest_emit_level(struct ingest_out *out, struct snapshots *s, struct proto_event *ev,
                      const char *const *names, const int64_t *values, int n);

/* At start, from the journal: puts a level event's values back into s. Events
 * without values (counters, adjustments) are ignored. */
int ingest_replay_level(struct snapshots *s, const struct proto_event *ev);
/* The series ev's level belongs to (its unit, type and key), as key[0..cap). */
void ingest_level_series(const struct proto_event *ev, char *key, size_t cap);

#endif
