/* A running ingesting service, shared by its three parts: main.c starts it
 * and runs retention, http.c routes requests, request.c takes a request's
 * lines to durable, published events and an answer. Internal to
 * common/ingest. */
#ifndef CCHC_INGEST_SERVICE_H
#define CCHC_INGEST_SERVICE_H

#include "bus/bus.h"
#include "bus/journal.h"
#include "bus/retention.h"
#include "http/prom.h"
#include "http/server.h"
#include "ingest/lines.h"
#include "ingest/rejects.h"
#include "ingest/sources.h"
#include "ingest/state.h"

#include <glib.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

struct ingest {
    const struct ingest_service *svc;
    struct units *units;
    struct ingest_lines *lines;
    struct journal *j;
    /* HTTP threads parse lines on their own, then, one request at a time
     * under this lock, decide them against the state (ids, dossiers,
     * levels) and append their events; the main thread compacts under it
     * too (journal.h: one appending thread at a time). State changes and
     * journal order are thus the same order. */
    pthread_mutex_t journal_mu;
    struct retention *retention;
    /* The state on disk (state.h), changed under journal_mu. Its write
     * transaction spans the groups journaled since its last commit: it is
     * committed at most every STATE_COMMIT_MS (state_at_ms, monotonic),
     * when no decided line waits to be journaled, so that it never runs
     * ahead of the journal; a crash leaves it behind by those groups,
     * state_pending events, which the start replays. */
    struct state_db *db;
    uint64_t state_pending;
    int64_t state_at_ms;
    struct bus_pub *pub;
    struct rejects *rejects;
    uint64_t accepted, duplicate, rejected, requests, events;
    /* Bodies of over INGEST_LINES_MAX lines (413): the HTTP face's other
     * refusals are counted by common/http (http_server_refused). */
    _Atomic uint64_t too_many_lines;
    /* Who may post (sources.h), and what was refused: requests without a
     * valid token (401) or for a service outside the token's scope (403),
     * lines outside it, lines whose id came before with other content. */
    struct sources *sources;
    _Atomic uint64_t unauthorized, forbidden;
    uint64_t out_of_scope, conflicts;
    char *tls_cert, *tls_key; /* PEM, or NULL: plain HTTP */
    /* For /metrics: the verdicts by source (name -> struct ingest_counts,
     * owned; "" for lines without one), under journal_mu; how long the
     * journal's syncs and the POSTs took. */
    GHashTable *by_source;
    struct prom_histogram fsync_s, post_s[2]; /* post_s by enum ingest_format */
};

/* One source's verdicts, by enum ingest_verdict, and the rejections by
 * enum ingest_why. */
struct ingest_counts {
    uint64_t verdict[3], why[INGEST_WHY_N];
};

/* body[0..len): records in format posted by src (borrowed), whose first line is line
 * first_line of source (a file name, for the reject log). Appends the
 * answer (README.md, "What the services answer") to answer: CCHC_OK; or
 * CCHC_ETOOBIG, with an error object in answer, for more than
 * INGEST_LINES_MAX lines, of which none was taken. Any thread. */
enum ingest_format {
    INGEST_FORMAT_NDJSON, /* POST /v1/records: cchc's records, one a line */
    INGEST_FORMAT_DVCQG,  /* POST /v1/dvcqg: JSON values, DVCQG envelopes or records (dvcqg.h) */
};
int ingest_request(struct ingest *in, const struct source *src, enum ingest_format format,
                   const char *body, size_t len, const char *source, long first_line,
                   GString *answer);

/* How often the state is committed: a sync of its own a group would slow
 * ingestion down by a third (ops/README.md, "The state on disk"). */
#define STATE_COMMIT_MS 1000

/* Under journal_mu: commits the state up to the journal's end and then runs
 * retention, unless a request's decided lines wait to be journaled (0: try
 * again later). After a group's journal sync, every STATE_COMMIT_MS, and
 * from the main thread every second and at exit. */
int ingest_state_commit(struct ingest *in);
int64_t now_ms(void); /* monotonic */

/* The answer to GET /v1/stats, with the refusals http counted. Any HTTP thread. */
void ingest_stats(struct ingest *in, const struct http_server *http, GString *out);
/* The answer to GET /metrics (http/prom.h; ops/README.md, "Metrics"). Any HTTP thread. */
void ingest_metrics(struct ingest *in, const struct http_server *http, GString *out);

/* Serves POST /v1/records, GET /healthz and GET /v1/stats on sa until
 * http_server_stop; *port is the port bound. One thread polls (epoll) every
 * connection and answers GETs; POST bodies are decided on `threads` other
 * threads, so a big POST never holds up /healthz. CCHC_EIO, with errno,
 * when the server cannot start. */
struct ingest_http_opts {
    unsigned threads;           /* threads deciding POSTs */
    unsigned max_connections;   /* at once; more are refused at accept */
    unsigned max_per_ip;        /* at once from one address; 0: no cap */
    unsigned request_timeout_s; /* to receive a whole request */
    unsigned idle_timeout_s;    /* silence on a connection */
    uint64_t max_buffered;      /* bytes of bodies held at once */
};
int ingest_http_start(struct ingest *in, const struct sockaddr_in *sa,
                      const struct ingest_http_opts *o, struct http_server **out, unsigned *port);
/* Stopped with http_server_stop (http/server.h). */

#endif
