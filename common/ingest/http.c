/* The HTTP face of a service: POST /v1/records, GET /healthz, GET /v1/stats.
 *
 * One libmicrohttpd thread polls every connection with epoll, receives the
 * bodies and answers /healthz itself. A POST whose body is in is suspended
 * and handed to one of the deciding threads, and resumed with its answer; a
 * GET /v1/stats likewise to a thread of its own (it waits for the journal's
 * lock, which retention may hold): a big POST never holds up /healthz. The limits (ops/README.md,
 * "Limits"): the connections at once, in all and from one address, checked at accept; a deadline
 * for a whole request however slowly it trickles, kept by a sweeper thread that shuts the socket of
 * an overdue one; a 413 from the Content-Length before the body is read, or as soon as a chunked
 * body passes INGEST_BODY_MAX; a body is held in memory up to that cap only. Each refusal is
 * counted (ingest_refused). */
#include "ingest/service.h"

#include "base/err.h"
#include "base/json.h"
#include "base/log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* A connection, from accept to close (MHD's socket context). */
struct conn {
    int fd;
    uint32_t ip;         /* IPv4, network order */
    int64_t deadline_ms; /* monotonic; 0 while its request is being decided */
    int shut;            /* the sweeper shut it */
};

/* A POST, from its headers to its answer (MHD's con_cls). */
struct upload {
    GByteArray *body;
    uint64_t held; /* bytes of body, then of answer, counted in ingest_http.buffered */
    struct conn *conn;
    struct MHD_Connection *c;
    const struct source *src; /* who posts it (authenticated; the sources outlive it) */
    int tls;                  /* it came over HTTPS */
    struct upload *next;      /* in the queue of the deciding threads */
    char source[256];
    long first_line;
    int stats; /* a GET /v1/stats, not a POST */
    /* set by the deciding thread before it resumes the connection */
    int done;
    unsigned status;
    GString *answer;
};

struct ingest_http {
    struct MHD_Daemon *d;
    struct ingest *in;
    struct ingest_http_opts o;
    /* connections: under mu */
    pthread_mutex_t mu;
    GHashTable *conns;  /* struct conn * (owned) */
    GHashTable *per_ip; /* ip -> count */
    unsigned live;
    _Atomic uint64_t buffered; /* bytes of bodies held, received or being decided */
    /* the queues (POSTs; GET /v1/stats, which waits for the journal's lock)
     * and the sweeper's stop: under qmu */
    pthread_mutex_t qmu;
    struct jobq {
        struct upload *head, *tail;
        pthread_cond_t cv;
    } q[2];
    pthread_cond_t scv; /* the sweeper's */
    int stopping;
    struct worker {
        pthread_t t;
        struct ingest_http *h;
        struct jobq *q;
    } * workers; /* o.threads deciding POSTs, then one answering stats */
    pthread_t sweeper;
};

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, GString *text,
                             const char *type)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(text->len, text->str, MHD_RESPMEM_MUST_COPY);
    MHD_add_response_header(r, "Content-Type", type);
    enum MHD_Result ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    g_string_free(text, TRUE);
    return ok;
}

static GString *error_json(const char *msg);

/* The token of `Authorization: Bearer TOKEN` to a source: NULL and a 401
 * (with `WWW-Authenticate: Bearer`) without a valid one, NULL and a 403 for
 * a source that may post nothing to this service. Counted either way. */
static const struct source *authenticate(struct ingest *in, struct MHD_Connection *c,
                                         enum MHD_Result *answered)
{
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
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
    const char *msg = NULL, *www = NULL;
    unsigned status = 0;
    if (!src) {
        in->unauthorized++;
        status = MHD_HTTP_UNAUTHORIZED;
        www = h ? "Bearer error=\"invalid_token\"" : "Bearer";
        msg = h ? "the token is not valid here (Authorization: Bearer TOKEN of a source in the "
                  "service's sources file)"
                : "no credential: send Authorization: Bearer TOKEN (ops/README.md, \"Sources and "
                  "tokens\")";
    } else if (!src->types) {
        in->forbidden++;
        status = MHD_HTTP_FORBIDDEN;
        msg = "this source may post no record to this service";
    }
    if (!status)
        return src;
    GString *text = error_json(msg);
    struct MHD_Response *r =
        MHD_create_response_from_buffer(text->len, text->str, MHD_RESPMEM_MUST_COPY);
    MHD_add_response_header(r, "Content-Type", "application/json");
    if (www)
        MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, www);
    *answered = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    g_string_free(text, TRUE);
    return NULL;
}

static GString *error_json(const char *msg)
{
    GString *s = g_string_new("{");
    json_key(s, "error");
    json_cstr(s, msg);
    g_string_append(s, "}\n");
    return s;
}

static enum MHD_Result too_large(struct ingest_http *h, struct MHD_Connection *c)
{
    char msg[96];
    ingest_refused(h->in, INGEST_REFUSED_BODY);
    snprintf(msg, sizeof msg, "request body over %u bytes: send smaller batches", INGEST_BODY_MAX);
    return reply(c, MHD_HTTP_CONTENT_TOO_LARGE, error_json(msg), "application/json");
}

/* The deadline of what the connection does next: receive or send. */
static void conn_deadline(struct ingest_http *h, struct conn *k, int on)
{
    pthread_mutex_lock(&h->mu);
    k->deadline_ms = on ? mono_ms() + (int64_t)h->o.request_timeout_s * 1000 : 0;
    pthread_mutex_unlock(&h->mu);
}

/* The body's bytes no longer count against --http-max-body-mb. */
static void release_body(struct ingest_http *h, struct upload *up)
{
    atomic_fetch_sub(&h->buffered, up->held);
    up->held = 0;
    g_byte_array_set_size(up->body, 0);
}

/* Suspends the connection and hands its request to the threads of its
 * queue; 0 once they have stopped (the connection is then not suspended). */
static int enqueue(struct ingest_http *h, struct upload *up)
{
    struct jobq *q = &h->q[up->stats];
    MHD_suspend_connection(up->c);
    pthread_mutex_lock(&h->qmu);
    int ok = !h->stopping;
    if (ok) {
        up->next = NULL;
        if (q->tail)
            q->tail->next = up;
        else
            q->head = up;
        q->tail = up;
        pthread_cond_signal(&q->cv);
    }
    pthread_mutex_unlock(&h->qmu);
    if (!ok)
        MHD_resume_connection(up->c);
    return ok;
}

static void *decide_main(void *arg)
{
    struct worker *w = arg;
    struct ingest_http *h = w->h;
    struct jobq *q = w->q;
    for (;;) {
        pthread_mutex_lock(&h->qmu);
        while (!q->head && !h->stopping)
            pthread_cond_wait(&q->cv, &h->qmu);
        struct upload *up = q->head;
        if (up && !(q->head = up->next))
            q->tail = NULL;
        pthread_mutex_unlock(&h->qmu);
        if (!up)
            return NULL; /* stopping, and the queue is empty */
        up->answer = g_string_new(NULL);
        int rc = CCHC_OK;
        if (up->stats)
            ingest_stats(h->in, up->answer);
        else
            rc = ingest_request(h->in, up->src, (const char *)up->body->data, up->body->len,
                                up->source, up->first_line, up->answer);
        up->status = rc == CCHC_ETOOBIG ? MHD_HTTP_CONTENT_TOO_LARGE : MHD_HTTP_OK;
        release_body(h, up); /* the body's memory goes before the answer is sent */
        /* The answer is held (by MHD's copy) until the client has read it:
         * it counts against the same cap as bodies, until on_completed. */
        up->held = up->answer->len;
        atomic_fetch_add(&h->buffered, up->held);
        up->done = 1;
        MHD_resume_connection(up->c);
    }
}

/* A refusal in the middle of a body. MHD (0.9.75) takes a response only
 * before the body or after it, so the answer is written on the socket here,
 * its writing side shut after it (so the answer arrives before the reset of
 * the unread rest), and MHD told to close the connection. */
static enum MHD_Result refuse_mid_body(struct upload *up, const char *status, const char *msg)
{
    GString *body = error_json(msg), *raw = g_string_new(NULL);
    g_string_printf(raw,
                    "HTTP/1.1 %s\r\nConnection: close\r\nContent-Type: application/json\r\n"
                    "Content-Length: %zu\r\n\r\n%s",
                    status, body->len, body->str);
    /* Over HTTPS the socket carries TLS records: plain bytes written there
     * would be garbage to the client, so it is only closed (MHD_NO). */
    if (up->conn && up->conn->fd >= 0 && !up->tls &&
        send(up->conn->fd, raw->str, raw->len, MSG_NOSIGNAL | MSG_DONTWAIT) > 0)
        shutdown(up->conn->fd, SHUT_WR);
    g_string_free(raw, TRUE);
    g_string_free(body, TRUE);
    return MHD_NO;
}

static struct upload *new_upload(struct MHD_Connection *c, void **con_cls)
{
    struct upload *up = g_new0(struct upload, 1);
    up->body = g_byte_array_new();
    up->c = c;
    up->conn = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT)->socket_context;
    *con_cls = up;
    return up;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *data,
                                  size_t *data_size, void **con_cls)
{
    struct ingest_http *h = cls;
    struct upload *up = *con_cls;
    if (up && up->done) {
        /* Back from a deciding thread: the answer goes out in its own time. */
        conn_deadline(h, up->conn, 1);
        GString *a = up->answer;
        up->answer = NULL;
        return reply(c, up->status, a, "application/json");
    }
    if (strcmp(method, "GET") == 0) {
        if (strcmp(url, "/healthz") == 0)
            return reply(c, MHD_HTTP_OK, g_string_new("ok\n"), "text/plain");
        if (strcmp(url, "/v1/stats") == 0) {
            /* It waits for the journal's lock: not on the polling thread. */
            if (up) { /* a body sent with a GET: ignored */
                *data_size = 0;
                return MHD_YES;
            }
            up = new_upload(c, con_cls);
            up->stats = 1;
            if (!enqueue(h, up))
                return reply(c, MHD_HTTP_SERVICE_UNAVAILABLE, error_json("the service is stopping"),
                             "application/json");
            return MHD_YES;
        }
        return reply(c, MHD_HTTP_NOT_FOUND, error_json("no such path"), "application/json");
    }
    if (strcmp(method, "POST") != 0 || strcmp(url, "/v1/records") != 0)
        return reply(c, MHD_HTTP_NOT_FOUND, error_json("POST NDJSON to /v1/records"),
                     "application/json");
    if (!up) {
        /* Authenticated, then refused from its header, before any of the
         * body is read. */
        enum MHD_Result answered;
        const struct source *who = authenticate(h->in, c, &answered);
        if (!who)
            return answered;
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > INGEST_BODY_MAX)
            return too_large(h, c);
        up = new_upload(c, con_cls);
        up->src = who;
        up->tls = h->in->tls_cert != NULL;
        return MHD_YES;
    }
    if (*data_size) {
        if (up->body->len + *data_size > INGEST_BODY_MAX) {
            /* A chunked body past the cap, answered now rather than at its
             * end. */
            ingest_refused(h->in, INGEST_REFUSED_BODY);
            char msg[96];
            snprintf(msg, sizeof msg, "request body over %u bytes: send smaller batches",
                     INGEST_BODY_MAX);
            return refuse_mid_body(up, "413 Content Too Large", msg);
        }
        if (atomic_load(&h->buffered) + *data_size > h->o.max_buffered) {
            /* All bodies being received or decided hold that much memory. */
            ingest_refused(h->in, INGEST_REFUSED_MEMORY);
            return refuse_mid_body(up, "503 Service Unavailable",
                                   "request bodies in memory at their cap: try again");
        }
        atomic_fetch_add(&h->buffered, *data_size);
        up->held += *data_size;
        g_byte_array_append(up->body, (const guint8 *)data, (guint)*data_size);
        *data_size = 0;
        return MHD_YES;
    }
    const char *src = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CCHC-Source");
    const char *fl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CCHC-First-Line");
    snprintf(up->source, sizeof up->source, "%s", src && *src ? src : "http");
    long first = fl ? strtol(fl, NULL, 10) : 1;
    /* A line number for messages only; bounded so that counting the body's
     * lines from it cannot overflow. */
    up->first_line = first > 0 && first <= INGEST_FIRST_LINE_MAX ? first : 1;
    conn_deadline(h, up->conn, 0); /* deciding is not the client's time */
    if (!enqueue(h, up))
        return reply(c, MHD_HTTP_SERVICE_UNAVAILABLE, error_json("the service is stopping"),
                     "application/json");
    return MHD_YES;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct ingest_http *h = cls;
    struct upload *up = *con_cls;
    if (toe == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED)
        ingest_refused(h->in, INGEST_REFUSED_IDLE);
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    if (ci && ci->socket_context)
        conn_deadline(h, ci->socket_context, 1); /* the next request's time starts now */
    if (up) {
        release_body(h, up);
        g_byte_array_free(up->body, TRUE);
        if (up->answer)
            g_string_free(up->answer, TRUE);
        g_free(up);
        *con_cls = NULL;
    }
}

/* At accept, before MHD keeps the connection: the caps. They are kept here
 * rather than with MHD_OPTION_PER_IP_CONNECTION_LIMIT, which refuses before
 * any callback and without a trace, so that each refusal is counted; MHD's
 * own connection limit stays as a backstop (on_log counts it). Runs on MHD's
 * one polling thread, as on_connection does, so the counts cannot race. */
static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr, socklen_t len)
{
    struct ingest_http *h = cls;
    uint32_t ip = 0;
    if (addr->sa_family == AF_INET && len >= sizeof(struct sockaddr_in))
        ip = ((const struct sockaddr_in *)(const void *)addr)->sin_addr.s_addr;
    pthread_mutex_lock(&h->mu);
    unsigned from_ip = GPOINTER_TO_UINT(g_hash_table_lookup(h->per_ip, GUINT_TO_POINTER(ip)));
    int over_all = h->live >= h->o.max_connections;
    int over_ip = h->o.max_per_ip && from_ip >= h->o.max_per_ip;
    pthread_mutex_unlock(&h->mu);
    if (over_all || over_ip) {
        ingest_refused(h->in, over_all ? INGEST_REFUSED_CONNECTIONS : INGEST_REFUSED_PER_IP);
        return MHD_NO;
    }
    return MHD_YES;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    struct ingest_http *h = cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        struct conn *k = g_new0(struct conn, 1);
        const union MHD_ConnectionInfo *fd =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        const union MHD_ConnectionInfo *ad =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        k->fd = fd ? fd->connect_fd : -1;
        if (ad && ad->client_addr && ad->client_addr->sa_family == AF_INET)
            k->ip = ((const struct sockaddr_in *)(const void *)ad->client_addr)->sin_addr.s_addr;
        k->deadline_ms = mono_ms() + (int64_t)h->o.request_timeout_s * 1000;
        pthread_mutex_lock(&h->mu);
        g_hash_table_add(h->conns, k);
        gpointer key = GUINT_TO_POINTER(k->ip);
        g_hash_table_replace(
            h->per_ip, key,
            GUINT_TO_POINTER(GPOINTER_TO_UINT(g_hash_table_lookup(h->per_ip, key)) + 1));
        h->live++;
        pthread_mutex_unlock(&h->mu);
        *socket_context = k;
    } else if (toe == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
        /* MHD closes the socket after this: the sweeper never shuts a reused fd. */
        struct conn *k = *socket_context;
        pthread_mutex_lock(&h->mu);
        gpointer key = GUINT_TO_POINTER(k->ip);
        unsigned n = GPOINTER_TO_UINT(g_hash_table_lookup(h->per_ip, key));
        if (n > 1)
            g_hash_table_replace(h->per_ip, key, GUINT_TO_POINTER(n - 1));
        else
            g_hash_table_remove(h->per_ip, key);
        h->live--;
        g_hash_table_remove(h->conns, k);
        pthread_mutex_unlock(&h->mu);
        *socket_context = NULL;
    }
}

/* Every second: a connection past its deadline has its socket shut, and
 * MHD, finding it closed, lets it go. */
static void *sweeper_main(void *arg)
{
    struct ingest_http *h = arg;
    pthread_mutex_lock(&h->qmu);
    while (!h->stopping) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += 1;
        pthread_cond_timedwait(&h->scv, &h->qmu, &ts);
        pthread_mutex_unlock(&h->qmu);
        int64_t now = mono_ms();
        unsigned cut = 0;
        pthread_mutex_lock(&h->mu);
        GHashTableIter it;
        gpointer key;
        g_hash_table_iter_init(&it, h->conns);
        while (g_hash_table_iter_next(&it, &key, NULL)) {
            struct conn *k = key;
            if (!k->shut && k->deadline_ms && now > k->deadline_ms && k->fd >= 0) {
                shutdown(k->fd, SHUT_RDWR);
                k->shut = 1;
                cut++;
            }
        }
        pthread_mutex_unlock(&h->mu);
        for (unsigned i = 0; i < cut; i++)
            ingest_refused(h->in, INGEST_REFUSED_TIMEOUT);
        if (cut)
            cchc_info("http: %u connection(s) past the whole-request timeout of %u s: closed", cut,
                      h->o.request_timeout_s);
        pthread_mutex_lock(&h->qmu);
    }
    pthread_mutex_unlock(&h->qmu);
    return NULL;
}

/* MHD's own messages; its own connection cap (a backstop of ours) is counted. */
static void on_log(void *cls, const char *fmt, va_list ap)
{
    struct ingest_http *h = cls;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (strstr(msg, "connection limit")) {
        ingest_refused(h->in, INGEST_REFUSED_CONNECTIONS);
        return;
    }
    size_t n = strlen(msg);
    while (n && msg[n - 1] == '\n')
        msg[--n] = 0;
    cchc_error("http: %s", msg);
}

int ingest_listen_parse(const char *s, struct sockaddr_in *sa)
{
    const char *colon = strrchr(s, ':');
    if (!colon)
        return CCHC_EINVAL;
    char host[64];
    snprintf(host, sizeof host, "%.*s", (int)(colon - s), s);
    char *end;
    long port = strtol(colon + 1, &end, 10);
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    if (*end || port < 0 || port > 65535 || inet_pton(AF_INET, host, &sa->sin_addr) != 1)
        return CCHC_EINVAL;
    return CCHC_OK;
}

/* Enough descriptors for the connection cap, as far as the hard limit lets. */
static void raise_nofile(unsigned want)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl))
        return;
    rlim_t need = (rlim_t)want + 256;
    if (rl.rlim_cur >= need)
        return;
    rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > need ? need : rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    getrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur < need)
        cchc_info("http: %llu file descriptors allowed (ulimit -n), fewer than "
                  "--http-max-connections %u needs",
                  (unsigned long long)rl.rlim_cur, want);
}

int ingest_http_start(struct ingest *in, const struct sockaddr_in *sa,
                      const struct ingest_http_opts *o, struct ingest_http **out, unsigned *port)
{
    struct ingest_http *h = g_new0(struct ingest_http, 1);
    h->in = in;
    h->o = *o;
    pthread_mutex_init(&h->mu, NULL);
    pthread_mutex_init(&h->qmu, NULL);
    pthread_cond_init(&h->q[0].cv, NULL);
    pthread_cond_init(&h->q[1].cv, NULL);
    pthread_cond_init(&h->scv, NULL);
    h->conns = g_hash_table_new_full(g_direct_hash, g_direct_equal, g_free, NULL);
    h->per_ip = g_hash_table_new(g_direct_hash, g_direct_equal);
    raise_nofile(o->max_connections);
    /* HTTPS when the service has a certificate (--tls-cert, --tls-key). */
    unsigned tls = in->tls_cert ? MHD_USE_TLS : 0;
    struct MHD_OptionItem tls_opts[] = {
        {in->tls_cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, in->tls_cert},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, in->tls_key},
        {MHD_OPTION_END, 0, NULL},
    };
    h->d = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG | tls, 0,
        on_accept, h, on_request, h, MHD_OPTION_EXTERNAL_LOGGER, on_log, h, MHD_OPTION_SOCK_ADDR,
        (const struct sockaddr *)sa, MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, h, MHD_OPTION_CONNECTION_TIMEOUT,
        o->idle_timeout_s, MHD_OPTION_CONNECTION_LIMIT, o->max_connections + 16,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u, MHD_OPTION_ARRAY, tls_opts, MHD_OPTION_END);
    if (!h->d) {
        int e = errno;
        g_hash_table_destroy(h->conns);
        g_hash_table_destroy(h->per_ip);
        g_free(h);
        errno = e;
        return CCHC_EIO;
    }
    h->workers = g_new0(struct worker, o->threads + 1);
    for (unsigned i = 0; i <= o->threads; i++) {
        h->workers[i] = (struct worker){.h = h, .q = &h->q[i == o->threads]};
        pthread_create(&h->workers[i].t, NULL, decide_main, &h->workers[i]);
    }
    pthread_create(&h->sweeper, NULL, sweeper_main, h);
    *port = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT)->port;
    *out = h;
    return CCHC_OK;
}

void ingest_http_stop(struct ingest_http *h)
{
    if (!h)
        return;
    /* No new connection; the POSTs queued are still decided and answered. */
    MHD_socket ls = MHD_quiesce_daemon(h->d);
    pthread_mutex_lock(&h->qmu);
    h->stopping = 1;
    pthread_cond_broadcast(&h->q[0].cv);
    pthread_cond_broadcast(&h->q[1].cv);
    pthread_cond_signal(&h->scv);
    pthread_mutex_unlock(&h->qmu);
    for (unsigned i = 0; i <= h->o.threads; i++)
        pthread_join(h->workers[i].t, NULL);
    pthread_join(h->sweeper, NULL);
    MHD_stop_daemon(h->d);
    if (ls != MHD_INVALID_SOCKET)
        close(ls);
    g_hash_table_destroy(h->conns);
    g_hash_table_destroy(h->per_ip);
    g_free(h->workers);
    g_free(h);
}
