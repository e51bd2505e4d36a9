/* A running ingesting service, shared by its three parts: main.c starts it
 * and runs retention, http.c routes requests, request.c takes a request's
 * lines to durable, published events and an answer. Internal to
 * common/ingest. */
#ifndef CCHC_INGEST_SERVICE_H
#define CCHC_INGEST_SERVICE_H

#include "bus/bus.h"
#include "bus/journal.h"
#include "bus/retention.h"
#include "ingest/lines.h"
#include "ingest/sources.h"

#include <glib.h>
#include <netinet/in.h>
#include <pthread.h>
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
    uint64_t skip_below; /* at start: journal events the checkpoint replayed already */
    struct bus_pub *pub;
    FILE *rejects;
    uint64_t accepted, duplicate, rejected, requests, events;
    /* Who may post (sources.h), and what was refused: requests without a
     * valid token (401) or for a service outside the token's scope (403),
     * lines outside it, lines whose id came before with other content. */
    struct sources *sources;
    _Atomic uint64_t unauthorized, forbidden;
    uint64_t out_of_scope, conflicts;
    char *tls_cert, *tls_key; /* PEM, or NULL: plain HTTP */
};

/* body[0..len): NDJSON posted by src (borrowed), whose first line is line
 * first_line of source (a file name, for the reject log). Appends the
 * answer (README.md, "What the services answer") to answer. Any HTTP
 * thread. */
void ingest_request(struct ingest *in, const struct source *src, const char *body, size_t len,
                    const char *source, long first_line, GString *answer);

/* The answer to GET /v1/stats. Any HTTP thread. */
void ingest_stats(struct ingest *in, GString *out);

/* "HOST:PORT" (IPv4; port 0: any) to an address. CCHC_EINVAL for anything else. */
int ingest_listen_parse(const char *s, struct sockaddr_in *sa);
/* Serves POST /v1/records, GET /healthz and GET /v1/stats on sa with
 * `threads` threads until ingest_http_stop; *port is the port bound.
 * CCHC_EIO, with errno, when the server cannot start. */
struct ingest_http;
int ingest_http_start(struct ingest *in, const struct sockaddr_in *sa, unsigned threads,
                      struct ingest_http **out, unsigned *port);
void ingest_http_stop(struct ingest_http *h);

#endif
