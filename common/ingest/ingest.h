/* The part every ingesting service shares: configuration, the HTTP endpoint
 * for NDJSON records, validation of the fields all records have, idempotency
 * on record ids, the reject log, the journal with group commit, and
 * publishing on the bus. A service supplies only what is its own: how its
 * record types become events, and how its state follows them.
 *
 * HTTP: POST /v1/records with NDJSON; the answer has one result per
 * non-empty line: accepted, duplicate, or rejected with the reason. A record
 * is accepted only once its events are durable in the journal. */
#ifndef CCHC_INGEST_H
#define CCHC_INGEST_H

#include "base/units.h"
#include "ingest/limits.h"
#include "proto/event.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct snapshots;
struct ingest_type;
struct state_db; /* ingest/state.h: the state on disk */

/* A record whose common fields were checked: id, type, a registered unit,
 * at. Its strings live as long as obj: while the record is decided. */
struct ingest_record {
    const struct units *units;
    struct snapshots *levels; /* the service's level histories (ingest_level.h) */
    struct state_db *db;      /* its state on disk (state.h): STATE_SERVICE is the service's */
    const char *id;           /* NUL-terminated, id_len bytes */
    size_t id_len;
    const struct ingest_type *type;
    int unit; /* index in the registry */
    int64_t at_ms;
    json_t *obj; /* the whole record, borrowed */
};

struct ingest_out; /* events a record produces, in order */

/* Queues an event (encoded now; ev's strings may be freed after).
 * CCHC_ETOOBIG when one of its metric names would be new past the service's
 * METRIC_NAMES_MAX (base/metric.h): the record is then rejected whole, so a
 * handler emits before it changes its state. */
int ingest_emit(struct ingest_out *out, const struct proto_event *ev);
/* For names a handler emits only after it changed its state: checked, and
 * counted as the record's, before that change. CCHC_ETOOBIG as above. */
int ingest_reserve_names(struct ingest_out *out, const char *const *names, int n);

/* A record type's own part: checks the type's own fields and emits its
 * events. ev comes with what every event of the record carries: type
 * "<service>.<record type>", the record's id, unit and time; the rest is
 * zero. For a bad record it returns CCHC_EINVAL with why = `field "due":
 * ...`, and emits nothing and changes no state. Every accepted record must
 * emit at least one event carrying its id: the journal is what makes it a
 * duplicate next time. */
typedef int (*ingest_record_fn)(void *state, const struct ingest_type *t,
                                const struct ingest_record *r, struct proto_event *ev,
                                struct ingest_out *out, char *why, size_t why_cap);

/* A record type a service takes, and its handler. */
struct ingest_type {
    const char *name; /* the record's "type": "received" */
    ingest_record_fn record;
    const char *metric; /* the handler's own, e.g. the figure a record moves; or NULL */
};

struct ingest_service {
    const char *name; /* "dossier": binary cchc-dossier, publisher id, data dir */
    int default_port; /* 8081 ... */
    /* The record types it takes, ended by a zeroed entry: a record of any
     * other type is rejected naming them. */
    const struct ingest_type *types;
    void *state;
    /* Brings its state in db (STATE_SERVICE, state.h) up to date with one
     * journaled event at start, past what db held; NULL when the service
     * keeps no state besides its levels, which are kept for it. */
    int (*replay)(void *state, const struct units *units, struct state_db *db,
                  const struct proto_event *ev);
    /* Whether it takes DVCQG dossier records (ingest/dvcqg.h) at POST
     * /v1/dvcqg, as records of its type DVCQG_TYPE. */
    int dvcqg;
};

/* The whole program: parses flags, opens everything, serves until SIGTERM. */
int ingest_main(int argc, char **argv, const struct ingest_service *svc);

/* Field helpers for services; each writes `field "NAME": problem` to why. */
int ingest_str(json_t *obj, const char *name, size_t max, const char **out, size_t *len, char *why,
               size_t cap);
int ingest_enum(json_t *obj, const char *name, const char *const *allowed, const char **out,
                char *why, size_t cap);
int ingest_time(json_t *obj, const char *name, int64_t *ms, char *why, size_t cap);
int ingest_bool(json_t *obj, const char *name, int *out, char *why, size_t cap);
/* An integer in [min, max]. */
int ingest_int(json_t *obj, const char *name, int64_t min, int64_t max, int64_t *out, char *why,
               size_t cap);
/* A procedure code as the national catalogue writes them (1.004227):
 * [A-Za-z0-9.-], 1..32 bytes. It becomes part of metric names. */
int ingest_procedure(json_t *obj, const char *name, const char **out, size_t *len, char *why,
                     size_t cap);
/* Like ingest_bool, but an absent field gives def. */
int ingest_opt_bool(json_t *obj, const char *name, int def, int *out, char *why, size_t cap);
/* Like ingest_time, but an absent or null field is not set (*has 0). */
int ingest_opt_time(json_t *obj, const char *name, int64_t *ms, int *has, char *why, size_t cap);

#endif
