/* The HTTP face of a service: POST /v1/records (and /v1/dvcqg, for a
 * service that takes DVCQG records), GET /healthz, GET /v1/stats, GET /metrics,
 * on the shared mechanism of common/http (its limits, their counters, the
 * polling thread and the threads a request is deferred to). What is the
 * service's: the bearer token checked at the headers, before a body is
 * read; /healthz answered on the polling thread; a POST decided on one of
 * the deciding threads; GET /v1/stats on a thread of its own (it waits for
 * the journal's lock, which retention may hold): a big POST never holds up
 * /healthz. */
#include "ingest/service.h"

#include "base/err.h"
#include "base/log.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The queues of deferred requests. */
enum { Q_POSTS, Q_STATS };

/* What a POST carries from its headers to its deciding thread. */
struct post {
    const struct source *src; /* who posts it (authenticated; the sources outlive it) */
    char source[256];
    long first_line;
    enum ingest_format format;
    int metrics;      /* not a POST: GET /metrics (else GET /v1/stats) */
    int64_t start_ns; /* at the headers, for cchc_http_request_duration_seconds */
};

static int64_t mono_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* The token of `Authorization: Bearer TOKEN` to a source: NULL and a 401
 * (with `WWW-Authenticate: Bearer`) without a valid one, NULL and a 403 for
 * a source that may post nothing to this service. Counted either way. */
static const struct source *authenticate(struct ingest *in, struct http_request *r,
                                         struct http_answer *a)
{
    const char *h = http_header(r, MHD_HTTP_HEADER_AUTHORIZATION);
    const struct source *src = NULL;
    if (h && g_ascii_strncasecmp(h, "Bearer ", 7) == 0) {
        const char *t = h + 7;
        while (*t == ' ')
            t++;
        size_t n = strlen(t);
        while (n && t[n - 1] == ' ')
            n--;
        src = sources_check_token(in->sources, t, n);
    }
    if (!src) {
        in->unauthorized++;
        http_answer_error(a, MHD_HTTP_UNAUTHORIZED,
                          h ? "the token is not valid here (Authorization: Bearer TOKEN of a "
                              "source in the service's sources file)"
                            : "no credential: send Authorization: Bearer TOKEN (ops/README.md, "
                              "\"Sources and tokens\")");
        a->www_authenticate = h ? "Bearer error=\"invalid_token\"" : "Bearer";
        return NULL;
    }
    if (!src->types) {
        in->forbidden++;
        http_answer_error(a, MHD_HTTP_FORBIDDEN, "this source may post no record to this service");
        return NULL;
    }
    return src;
}

static int route(void *arg, struct http_request *r, struct http_answer *a)
{
    struct ingest *in = arg;
    if (strcmp(r->method, "GET") == 0) {
        /* Answering at all, it is live and ready: the journal is open and the
         * bus bound before the HTTP face starts (main.c), and a journal that
         * fails ends the process. */
        if (strcmp(r->url, "/healthz") == 0) {
            *a = (struct http_answer){
                .status = MHD_HTTP_OK,
                .body = g_string_new("{\"status\":\"ok\",\"live\":true,\"ready\":true,"
                                     "\"journal\":\"open\",\"bus\":\"bound\"}\n"),
                .type = "application/json"};
            return HTTP_ANSWER;
        }
        if (strcmp(r->url, "/livez") == 0) {
            *a = (struct http_answer){
                .status = MHD_HTTP_OK, .body = g_string_new("live\n"), .type = "text/plain"};
            return HTTP_ANSWER;
        }
        if (strcmp(r->url, "/v1/stats") == 0)
            return HTTP_DEFER + Q_STATS; /* it waits for the journal's lock */
        if (strcmp(r->url, "/metrics") == 0) {
            struct post *p = g_new0(struct post, 1);
            p->metrics = 1;
            r->user = p;
            return HTTP_DEFER + Q_STATS; /* so does it */
        }
        return http_answer_error(a, MHD_HTTP_NOT_FOUND, "no such path");
    }
    int dvcqg = in->svc->dvcqg && strcmp(r->url, "/v1/dvcqg") == 0;
    if (strcmp(r->method, "POST") != 0 || (strcmp(r->url, "/v1/records") != 0 && !dvcqg))
        return http_answer_error(a, MHD_HTTP_NOT_FOUND,
                                 in->svc->dvcqg ? "POST NDJSON to /v1/records, or DVCQG "
                                                  "DongBoHoSoMC records to /v1/dvcqg"
                                                : "POST NDJSON to /v1/records");
    const struct source *who = authenticate(in, r, a);
    if (!who)
        return HTTP_ANSWER;
    struct post *p = g_new0(struct post, 1);
    p->start_ns = mono_ns();
    p->src = who;
    p->format = dvcqg ? INGEST_FORMAT_DVCQG : INGEST_FORMAT_NDJSON;
    const char *src = http_header(r, "X-CCHC-Source");
    const char *fl = http_header(r, "X-CCHC-First-Line");
    snprintf(p->source, sizeof p->source, "%s", src && *src ? src : "http");
    long first = fl ? strtol(fl, NULL, 10) : 1;
    /* A line number for messages only; bounded so that counting the body's
     * lines from it cannot overflow. */
    p->first_line = first > 0 && first <= INGEST_FIRST_LINE_MAX ? first : 1;
    r->user = p;
    return HTTP_DEFER + Q_POSTS;
}

static void work(void *arg, struct http_request *r, struct http_answer *a)
{
    struct ingest *in = arg;
    struct post *p = r->user;
    a->body = g_string_new(NULL);
    if (!p) {
        ingest_stats(in, r->server, a->body);
        return;
    }
    if (p->metrics) {
        ingest_metrics(in, r->server, a->body);
        a->status = MHD_HTTP_OK;
        a->type = PROM_CONTENT_TYPE;
        return;
    }
    int rc = ingest_request(in, p->src, p->format, (const char *)r->body, r->len, p->source,
                            p->first_line, a->body);
    a->status = rc == CCHC_ETOOBIG ? MHD_HTTP_CONTENT_TOO_LARGE : MHD_HTTP_OK;
    prom_histogram_observe(&in->post_s[p->format], (double)(mono_ns() - p->start_ns) / 1e9);
}

int ingest_http_start(struct ingest *in, const struct sockaddr_in *sa,
                      const struct ingest_http_opts *o, struct http_server **out, unsigned *port)
{
    struct http_opts ho = {.max_connections = o->max_connections,
                           .max_per_ip = o->max_per_ip,
                           .request_timeout_s = o->request_timeout_s,
                           .idle_timeout_s = o->idle_timeout_s,
                           .max_buffered = o->max_buffered,
                           .body_max = INGEST_BODY_MAX,
                           .queues = 2,
                           .threads = {[Q_POSTS] = o->threads, [Q_STATS] = 1},
                           /* HTTPS when the service has a certificate (--tls-cert, --tls-key). */
                           .tls_cert = in->tls_cert,
                           .tls_key = in->tls_key};
    struct http_handlers hd = {.route = route, .work = work, .arg = in};
    return http_server_start(sa, &ho, &hd, out, port);
}
