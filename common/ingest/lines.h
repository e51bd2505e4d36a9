/* The deciding half of a service, without HTTP or disk: a line of NDJSON
 * becomes accepted (its events queued), duplicate (its id was accepted
 * before) or rejected (with the reason naming the field). Two steps, so
 * that parsing runs on any thread and deciding, which changes the state,
 * on one at a time:
 *
 *   ingest_line_parse   the JSON and the fields every record has; no state
 *   ingest_line_decide  against the state: the id, the service's own rules;
 *                       the events join the queue of ingest_lines_events
 *
 * The state (ids accepted, the levels, the service's own) lives in LMDB
 * (state.h): a request's group of events changes it in one transaction,
 * made durable with ingest_lines_commit once the events are journaled; at
 * start, what the journal holds past the state's position is replayed into
 * it, one event at a time, with ingest_lines_replay. */
#ifndef CCHC_INGEST_LINES_H
#define CCHC_INGEST_LINES_H

#include "ingest/ingest.h"
#include "ingest/sources.h"

#include <stddef.h>
#include <stdint.h>

enum ingest_verdict { INGEST_ACCEPTED, INGEST_DUPLICATE, INGEST_REJECTED };

/* Why a line was rejected, for the counters of /v1/stats and /metrics
 * (INGEST_WHY_NAMES, the reason label). */
enum ingest_why {
    INGEST_WHY_FIELD,
    INGEST_WHY_SCOPE,
    INGEST_WHY_CONFLICT,
    INGEST_WHY_BUDGET,
    INGEST_WHY_N
};
#define INGEST_WHY_NAMES                                                                           \
    {                                                                                              \
        "field", "scope", "conflict", "budget"                                                     \
    }

/* Record ids (and a service's own ids, such as dossier ids) are namespaced
 * per source: the same id from two sources is two records. A repeated id
 * with other content (the digest of its JSON, compact with sorted keys) is
 * rejected as a conflict; with the same content it is a duplicate. An id
 * journaled without a source (before sources existed) is a duplicate only
 * for a source whose scope covers its record's type and unit, and only
 * with its content (the same digest; without one, the same type, unit and
 * time); other content from such a source is a conflict, and from any other
 * source the record is a new one of the source that sends it. A
 * line without a source (tests) is in that old namespace itself. */
struct ingest_lines; /* opaque */

/* svc, units and db are borrowed and must outlive the lines' state, which
 * starts from what db holds. */
struct ingest_lines *ingest_lines_new(const struct ingest_service *svc, const struct units *units,
                                      struct state_db *db);
void ingest_lines_free(struct ingest_lines *st);

/* One line of a request, through its two steps. */
struct ingest_line {
    const char *text; /* the line, borrowed; without its newline */
    /* Who posts it, borrowed; its scope is checked in the parse. NULL: no
     * source (unit tests of a service's rules; events without "src"). */
    const struct source *src;
    size_t n;
    long lineno;
    /* A DVCQG record (dvcqg.h), turned into a `state` record in the parse:
     * the envelope's madonvi (borrowed; NULL: none), and its index in the
     * envelope's data from 1 (0: a bare record), which the reason names.
     * Reasons then name the fields by their DVCQG names. */
    int dvcqg, record;
    const char *madonvi;
    enum ingest_verdict v;
    json_t *obj;            /* parsed: owned until decided */
    struct ingest_record r; /* its common fields, once parsed */
    char *why;              /* INGEST_REJECTED: the reason (owned: ingest_line_done) */
    enum ingest_why why_kind;
    char digest[33]; /* of the content, 32 hex digits, once parsed */
    char id[INGEST_ID_MAX + 1];
};

/* Step one, on any thread, touching no state. Leaves l->obj set, or l->v
 * INGEST_REJECTED with l->why. */
void ingest_line_parse(const struct ingest_lines *st, struct ingest_line *l);
/* Step two, one thread at a time: the verdict, l->id for the answer, and
 * the events of an accepted line queued. Frees l->obj. */
void ingest_line_decide(struct ingest_lines *st, struct ingest_line *l);
/* Frees what a decided line still owns (why). */
void ingest_line_done(struct ingest_line *l);

/* The events decided so far, encoded back to back: event i is
 * body[ends[i-1] .. ends[i]) (ends[-1] = 0). Good until the next decide or
 * ingest_lines_clear_events. */
uint32_t ingest_lines_events(const struct ingest_lines *st, const uint8_t **body,
                             const size_t **ends);
void ingest_lines_clear_events(struct ingest_lines *st);

/* The metric vocabulary: names emitted so far (the journal's included), the
 * cap (METRIC_NAMES_MAX unless set), records rejected for passing it. */
void ingest_lines_names(const struct ingest_lines *st, unsigned *count, unsigned *max,
                        uint64_t *refused);
/* For tests: another cap. */
void ingest_lines_set_names_max(struct ingest_lines *st, unsigned max);
/* The sums' bounds (base/metric.h): what was taken, the bounds, and the
 * records rejected for passing one. The setter is for tests. */
struct ingest_sums {
    uint64_t counters, counters_max, levels, levels_max, refused_records;
};
void ingest_lines_sums(const struct ingest_lines *st, struct ingest_sums *out);
void ingest_lines_set_sums_max(struct ingest_lines *st, uint64_t counters, uint64_t levels);

/* Budgets per source (ops/README.md, "Budgets per source"): each source may
 * take only its share of the pool of counter changes, level values and
 * metric names above, so that no source can exhaust the pool for the
 * others; the pool still holds for all together. A name is charged to the
 * source that first brings it. What a source has taken is kept in the state
 * on disk, and replayed events are charged by their "src" ("" for events
 * journaled before sources). */
struct ingest_budget {
    char name[SOURCE_NAME_MAX + 1];               /* "": journaled before sources */
    uint64_t counters, levels, names;             /* taken */
    uint64_t counters_max, levels_max, names_max; /* its share (once shared) */
    uint64_t refused_records; /* records refused for passing its share or the pool */
    unsigned budget_pct;      /* its budget= in the sources file; 0: an equal part */
    int current;              /* a source of the sources file that may post here */
};
/* After the journal is replayed: the sources that may post to this service
 * (s borrowed, only during the call) get their shares, and they are in
 * force from now on. Each share is a part of the pool that sources no
 * longer in the file (and events journaled before sources) have not taken:
 * budget=P% of it for a source that has one, an equal part of the rest for
 * each of the others; a source that took more than that keeps what it took
 * as its share, and the others share what it left. */
void ingest_lines_set_sources(struct ingest_lines *st, const struct sources *s);
/* Each account, by name, for /v1/stats. */
void ingest_lines_budgets(const struct ingest_lines *st,
                          void (*fn)(void *arg, const struct ingest_budget *b), void *arg);

/* At start, one journaled event: its record id, its level, the service's state. */
int ingest_lines_replay(struct ingest_lines *st, const struct proto_event *ev);

/* The events decided since the last commit are journaled up to next (and
 * synced): their state, with the accounts and sums, into LMDB in one
 * durable transaction that records (epoch, next). CCHC_EIO with why. */
int ingest_lines_commit(struct ingest_lines *st, uint64_t epoch, uint64_t next, char *why,
                        size_t why_cap);

#endif
