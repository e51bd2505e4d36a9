/* A service's state that grows with its history (the record ids it took,
 * the level histories and their bounds, a service's own such as dossiers),
 * on disk in LMDB, so that neither its memory nor its restart grows with
 * the journal: DATA/state.mdb/, a folder holding data.mdb.
 *
 * It holds what the journal's events [0, next) make, and says so: meta
 * "epoch" and "next", stored in the same write transaction as the state
 * they describe. The groups of events journaled within a second
 * (request.c: STATE_COMMIT_MS) are one transaction, committed (and synced)
 * after their journal's sync, and before retention may drop them: the state
 * never runs ahead of the journal, and when a crash leaves it behind, the
 * start replays the journal from `next` (main.c).
 *
 * One process, and in it one thread at a time (the one holding the
 * service's journal_mu): the environment is opened MDB_NOLOCK, with one
 * write transaction, begun at the first call after a commit and used for
 * every read and write of the group until state_commit, so a group's reads
 * see its own writes. A second process on the same folder is refused (an
 * flock). Once running, a failing LMDB call stops the process (cchc_die),
 * as a failing journal write does: what was not committed is replayed from
 * the journal at the next start. */
#ifndef CCHC_INGEST_STATE_H
#define CCHC_INGEST_STATE_H

#include <stddef.h>
#include <stdint.h>

/* The named databases. Integers are stored in native byte order. */
enum state_dbi {
    STATE_META,      /* "epoch", "next", "counters", "levels": u64 */
    STATE_IDS,       /* "SOURCE/ID" -> the record's digest (16 bytes), or empty */
    STATE_LEGACY,    /* an id journaled without a source: "ID" -> what lines.c keeps of it */
    STATE_NAMES,     /* a metric name emitted -> the source that brought it ("" none) */
    STATE_LEVEL_MAX, /* "SERIES|NAME" -> u64, the largest magnitude of a level's value */
    STATE_SERIES,    /* snapshots.c: a series' snapshots, ordered by time */
    STATE_BUDGETS,   /* a source's name -> u64 counters, levels, names taken */
    STATE_SERVICE,   /* the service's own (cchc-dossier: its dossiers) */
    STATE_DBS
};

struct state_db; /* opaque */

/* Opens (creating it when absent) the state folder at path. *fresh: it held
 * no state yet (no meta "next"). CCHC_EIO, with why, when it cannot be
 * opened or another process has it. */
int state_open(const char *path, struct state_db **out, int *fresh, char *why, size_t why_cap);
/* Drops what was not committed. */
void state_close(struct state_db *s);

/* The value of key, borrowed until the next write or commit: 1, or 0 when
 * there is none. */
int state_get(struct state_db *s, enum state_dbi db, const void *key, size_t klen, const void **val,
              size_t *vlen);
void state_put(struct state_db *s, enum state_dbi db, const void *key, size_t klen, const void *val,
               size_t vlen);
/* The greatest key at or below key (state_floor), or the least above it
 * (state_above): 1 with *k and *v borrowed as state_get's, or 0. */
int state_floor(struct state_db *s, enum state_dbi db, const void *key, size_t klen, const void **k,
                size_t *kl, const void **v, size_t *vl);
int state_above(struct state_db *s, enum state_dbi db, const void *key, size_t klen, const void **k,
                size_t *kl, const void **v, size_t *vl);
/* How many keys db holds. */
uint64_t state_count(struct state_db *s, enum state_dbi db);
/* fn for every key of db, in order (at start: the names, the budgets). */
void state_each(struct state_db *s, enum state_dbi db,
                void (*fn)(void *arg, const void *k, size_t kl, const void *v, size_t vl),
                void *arg);
/* A u64 under a NUL-terminated key; def when absent. */
uint64_t state_get_u64(struct state_db *s, enum state_dbi db, const char *key, uint64_t def);
void state_put_u64(struct state_db *s, enum state_dbi db, const char *key, uint64_t v);
/* Empties every database (a journal of another epoch is replayed whole). */
void state_wipe(struct state_db *s);

/* Makes the transaction durable: its writes and meta "epoch"/"next" (the journal
 * position they include), in one synced commit. CCHC_EIO with why. */
int state_commit(struct state_db *s, uint64_t epoch, uint64_t next, char *why, size_t why_cap);
/* Drops the group's writes, as a crash before its commit would (tests). */
void state_abort(struct state_db *s);
/* Commits that took place, and the seconds they took (GET /v1/stats). */
void state_stats(const struct state_db *s, uint64_t *commits, double *seconds, uint64_t *bytes);

#endif
