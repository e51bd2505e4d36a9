/* Levels from snapshots, exact in any arrival order. A level series (one
 * unit's headcount of one category, a procedure's online level, ...) is a
 * history of snapshots in time; the latest at or before a moment is in force
 * then. Publishing only the change of the level at each snapshot's time lets
 * the aggregator sum levels like counters. A snapshot that arrives after a
 * newer one also changes the newer one's step: put() says so, so the caller
 * can publish that second change too. Same time twice: the later arrival wins.
 * The histories are kept in the service's state on disk (state.h); at
 * start, what the journal holds past the state is put() again. */
#ifndef CCHC_SNAPSHOTS_H
#define CCHC_SNAPSHOTS_H

#include <stdint.h>

#define SNAP_VALUES 8
#define SNAP_KEY_MAX 400 /* bytes in a series' key (a unit, a type, a category ...) */

struct snap_step {
    int64_t at_ms;
    int64_t dv[SNAP_VALUES]; /* change of each value at at_ms */
};

struct snapshots; /* opaque */
struct state_db;

/* Histories kept in db (borrowed: it must outlive them). */
struct snapshots *snapshots_new(struct state_db *db);
void snapshots_free(struct snapshots *s);

/* Records v[0..n) for series `key` at at_ms (n <= SNAP_VALUES, the same n
 * every time for a key). steps[0] is the change at at_ms; when a newer
 * snapshot follows, steps[1] is the change of that one's step, at its time.
 * *nsteps is 1 or 2. CCHC_EINVAL for a bad n or a key over SNAP_KEY_MAX. */
int snapshots_put(struct snapshots *s, const char *key, int64_t at_ms, const int64_t *v, int n,
                  struct snap_step steps[2], int *nsteps);

/* The values in force at at_ms (0 when none): for checks and tests. */
void snapshots_at(const struct snapshots *s, const char *key, int64_t at_ms, int64_t *v, int n);

#endif
