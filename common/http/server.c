/* The HTTP mechanism (server.h). One libmicrohttpd thread polls every
 * connection with epoll and asks route() about each request at its
 * headers: answered there (cheap), or deferred, its body received within
 * the caps, the connection suspended and the request handed to a thread of
 * its queue, then resumed with its answer. So a big deferred request never
 * holds up what route answers itself (/healthz). Each refusal is counted. */
#include "http/server.h"

#include "base/err.h"
#include "base/json.h"
#include "base/log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
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
    int64_t deadline_ms; /* monotonic; 0 while its request is being worked */
    int shut;            /* the sweeper shut it */
};

/* A deferred request, from its headers to its answer (MHD's con_cls). */
struct upload {
    struct http_request r; /* what the handlers see */
    GByteArray *body;
    uint64_t held; /* bytes of body, then of answer, counted in buffered */
    struct conn *conn;
    struct MHD_Connection *c;
    unsigned q;          /* its queue */
    int bodyless;        /* a GET (any method but POST and PUT): it takes no body */
    struct upload *next; /* in its queue */
    /* set by the working thread before it resumes the connection */
    int done;
    struct http_answer a;
};

struct http_server {
    struct MHD_Daemon *d;
    struct http_opts o;
    struct http_handlers hd;
    _Atomic uint64_t refused[HTTP_REFUSED_N];
    /* connections: under mu */
    pthread_mutex_t mu;
    GHashTable *conns;  /* struct conn * (owned) */
    GHashTable *per_ip; /* ip -> count */
    unsigned live;
    _Atomic uint64_t buffered; /* bytes of bodies held, received or being worked */
    /* the queues and the sweeper's stop: under qmu */
    pthread_mutex_t qmu;
    struct jobq {
        struct upload *head, *tail;
        pthread_cond_t cv;
    } q[HTTP_QUEUES_MAX];
    pthread_cond_t scv; /* the sweeper's */
    int stopping;
    struct worker {
        pthread_t t;
        struct http_server *h;
        struct jobq *q;
    } * workers;
    unsigned nworkers;
    pthread_t sweeper;
};

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void http_server_count(struct http_server *h, enum http_refused why)
{
    atomic_fetch_add(&h->refused[why], 1);
}

uint64_t http_server_refused(const struct http_server *h, enum http_refused why)
{
    return atomic_load(&((struct http_server *)h)->refused[why]);
}

GString *http_error_json(const char *msg)
{
    GString *s = g_string_new("{");
    json_key(s, "error");
    json_cstr(s, msg);
    g_string_append(s, "}\n");
    return s;
}

int http_answer_error(struct http_answer *a, unsigned status, const char *msg)
{
    *a = (struct http_answer){
        .status = status, .body = http_error_json(msg), .type = "application/json"};
    return HTTP_ANSWER;
}

const char *http_header(const struct http_request *r, const char *name)
{
    const struct upload *up = (const struct upload *)(const void *)r;
    return MHD_lookup_connection_value(up->c, MHD_HEADER_KIND, name);
}

const char *http_query(const struct http_request *r, const char *name)
{
    const struct upload *up = (const struct upload *)(const void *)r;
    return MHD_lookup_connection_value(up->c, MHD_GET_ARGUMENT_KIND, name);
}

/* Queues a (status, body, type) answer; the body is freed. */
static enum MHD_Result reply(struct MHD_Connection *c, struct http_answer *a)
{
    GString *text = a->body ? a->body : g_string_new(NULL);
    struct MHD_Response *r =
        MHD_create_response_from_buffer(text->len, text->str, MHD_RESPMEM_MUST_COPY);
    MHD_add_response_header(r, "Content-Type", a->type ? a->type : "application/json");
    if (a->www_authenticate)
        MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, a->www_authenticate);
    for (const char *const *h = a->headers; h && h[0] && h[1]; h += 2)
        MHD_add_response_header(r, h[0], h[1]);
    enum MHD_Result ok = MHD_queue_response(c, a->status ? a->status : MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    g_string_free(text, TRUE);
    a->body = NULL;
    return ok;
}

static enum MHD_Result reply_error(struct MHD_Connection *c, unsigned status, const char *msg)
{
    struct http_answer a;
    http_answer_error(&a, status, msg);
    return reply(c, &a);
}

static void body_over_msg(const struct http_server *h, char *msg, size_t cap)
{
    snprintf(msg, cap, "request body over %llu bytes: send smaller batches",
             (unsigned long long)h->o.body_max);
}

/* The deadline of what the connection does next: receive or send. */
static void conn_deadline(struct http_server *h, struct conn *k, int on)
{
    pthread_mutex_lock(&h->mu);
    k->deadline_ms = on ? mono_ms() + (int64_t)h->o.request_timeout_s * 1000 : 0;
    pthread_mutex_unlock(&h->mu);
}

/* The body's bytes no longer count against max_buffered. */
static void release_body(struct http_server *h, struct upload *up)
{
    atomic_fetch_sub(&h->buffered, up->held);
    up->held = 0;
    g_byte_array_set_size(up->body, 0);
    up->r.body = NULL;
    up->r.len = 0;
}

/* Suspends the connection and hands its request to the threads of its
 * queue; 0 once they have stopped (the connection is then not suspended). */
static int enqueue(struct http_server *h, struct upload *up)
{
    struct jobq *q = &h->q[up->q];
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

static void *work_main(void *arg)
{
    struct worker *w = arg;
    struct http_server *h = w->h;
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
        up->r.body = up->body->data;
        up->r.len = up->body->len;
        up->a = (struct http_answer){.status = MHD_HTTP_OK, .type = "application/json"};
        h->hd.work(h->hd.arg, &up->r, &up->a);
        if (!up->a.body)
            up->a.body = g_string_new(NULL);
        release_body(h, up); /* the body's memory goes before the answer is sent */
        /* The answer is held (by MHD's copy) until the client has read it:
         * it counts against the same cap as bodies, until on_completed. */
        up->held = up->a.body->len;
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
    GString *body = http_error_json(msg), *raw = g_string_new(NULL);
    g_string_printf(raw,
                    "HTTP/1.1 %s\r\nConnection: close\r\nContent-Type: application/json\r\n"
                    "Content-Length: %zu\r\n\r\n%s",
                    status, body->len, body->str);
    /* Over HTTPS the socket carries TLS records: plain bytes written there
     * would be garbage to the client, so it is only closed (MHD_NO). */
    if (up->conn && up->conn->fd >= 0 && !up->r.tls &&
        send(up->conn->fd, raw->str, raw->len, MSG_NOSIGNAL | MSG_DONTWAIT) > 0)
        shutdown(up->conn->fd, SHUT_WR);
    g_string_free(raw, TRUE);
    g_string_free(body, TRUE);
    return MHD_NO;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *data,
                                  size_t *data_size, void **con_cls)
{
    struct http_server *h = cls;
    struct upload *up = *con_cls;
    if (up && up->done) {
        /* Back from a working thread: the answer goes out in its own time. */
        conn_deadline(h, up->conn, 1);
        return reply(c, &up->a);
    }
    if (!up) {
        /* At the headers: the caller decides, before any of the body is read. */
        up = g_new0(struct upload, 1);
        up->c = c;
        up->r = (struct http_request){
            .server = h, .method = method, .url = url, .tls = h->o.tls_cert != NULL};
        struct http_answer a = {0};
        int route = h->hd.route(h->hd.arg, &up->r, &a);
        if (route < HTTP_DEFER || route >= HTTP_DEFER + (int)h->o.queues) {
            if (route != HTTP_ANSWER)
                http_answer_error(&a, MHD_HTTP_INTERNAL_SERVER_ERROR, "no way to answer this");
            enum MHD_Result ok = reply(c, &a); /* before user goes: it may hold the headers */
            g_free(up->r.user);
            g_free(up);
            return ok;
        }
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        int bodyless =
            strcmp(method, MHD_HTTP_METHOD_POST) != 0 && strcmp(method, MHD_HTTP_METHOD_PUT) != 0;
        if (bodyless && ((cl && strtoull(cl, NULL, 10) > 0) ||
                         MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Transfer-Encoding"))) {
            /* A deferred GET waits for its body: one with a body would hold
             * memory of the cap for POSTs without any credential. */
            http_server_count(h, HTTP_REFUSED_BODY);
            g_free(up->r.user);
            g_free(up);
            return reply_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "this request takes no body");
        }
        if (cl && strtoull(cl, NULL, 10) > h->o.body_max) {
            char msg[96];
            body_over_msg(h, msg, sizeof msg);
            http_server_count(h, HTTP_REFUSED_BODY);
            g_free(up->r.user);
            g_free(up);
            return reply_error(c, MHD_HTTP_CONTENT_TOO_LARGE, msg);
        }
        up->q = (unsigned)(route - HTTP_DEFER);
        up->bodyless = bodyless;
        up->body = g_byte_array_new();
        up->conn = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT)->socket_context;
        *con_cls = up;
        return MHD_YES;
    }
    if (*data_size) {
        if (up->bodyless || up->body->len + *data_size > h->o.body_max) {
            /* A chunked body past the cap, answered now rather than at its
             * end. */
            http_server_count(h, HTTP_REFUSED_BODY);
            char msg[96];
            body_over_msg(h, msg, sizeof msg);
            return refuse_mid_body(up, "413 Content Too Large", msg);
        }
        if (atomic_load(&h->buffered) + *data_size > h->o.max_buffered) {
            /* All bodies being received or worked hold that much memory. */
            http_server_count(h, HTTP_REFUSED_MEMORY);
            return refuse_mid_body(up, "503 Service Unavailable",
                                   "request bodies in memory at their cap: try again");
        }
        atomic_fetch_add(&h->buffered, *data_size);
        up->held += *data_size;
        g_byte_array_append(up->body, (const guint8 *)data, (guint)*data_size);
        *data_size = 0;
        return MHD_YES;
    }
    conn_deadline(h, up->conn, 0); /* working is not the client's time */
    if (!enqueue(h, up))
        return reply_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "the service is stopping");
    return MHD_YES;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct http_server *h = cls;
    struct upload *up = *con_cls;
    if (toe == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED)
        http_server_count(h, HTTP_REFUSED_IDLE);
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    if (ci && ci->socket_context)
        conn_deadline(h, ci->socket_context, 1); /* the next request's time starts now */
    if (up) {
        release_body(h, up);
        g_byte_array_free(up->body, TRUE);
        if (up->a.body)
            g_string_free(up->a.body, TRUE);
        g_free(up->r.user);
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
    struct http_server *h = cls;
    uint32_t ip = 0;
    if (addr->sa_family == AF_INET && len >= sizeof(struct sockaddr_in))
        ip = ((const struct sockaddr_in *)(const void *)addr)->sin_addr.s_addr;
    pthread_mutex_lock(&h->mu);
    unsigned from_ip = GPOINTER_TO_UINT(g_hash_table_lookup(h->per_ip, GUINT_TO_POINTER(ip)));
    int over_all = h->live >= h->o.max_connections;
    int over_ip = h->o.max_per_ip && from_ip >= h->o.max_per_ip;
    pthread_mutex_unlock(&h->mu);
    if (over_all || over_ip) {
        http_server_count(h, over_all ? HTTP_REFUSED_CONNECTIONS : HTTP_REFUSED_PER_IP);
        return MHD_NO;
    }
    return MHD_YES;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    struct http_server *h = cls;
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
    struct http_server *h = arg;
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
            http_server_count(h, HTTP_REFUSED_TIMEOUT);
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
    struct http_server *h = cls;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (strstr(msg, "connection limit")) {
        http_server_count(h, HTTP_REFUSED_CONNECTIONS);
        return;
    }
    size_t n = strlen(msg);
    while (n && msg[n - 1] == '\n')
        msg[--n] = 0;
    cchc_error("http: %s", msg);
}

int http_listen_parse(const char *s, struct sockaddr_in *sa)
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

int http_write_port_file(const char *path, unsigned port)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return CCHC_EIO;
    int bad = fprintf(f, "%u\n", port) < 0;
    if (fclose(f) || bad || rename(tmp, path))
        return CCHC_EIO;
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

int http_server_start(const struct sockaddr_in *sa, const struct http_opts *o,
                      const struct http_handlers *hd, struct http_server **out, unsigned *port)
{
    if (o->queues > HTTP_QUEUES_MAX || (o->queues && !hd->work)) {
        errno = EINVAL;
        return CCHC_EIO;
    }
    struct http_server *h = g_new0(struct http_server, 1);
    h->o = *o;
    h->hd = *hd;
    pthread_mutex_init(&h->mu, NULL);
    pthread_mutex_init(&h->qmu, NULL);
    for (unsigned i = 0; i < HTTP_QUEUES_MAX; i++)
        pthread_cond_init(&h->q[i].cv, NULL);
    pthread_cond_init(&h->scv, NULL);
    h->conns = g_hash_table_new_full(g_direct_hash, g_direct_equal, g_free, NULL);
    h->per_ip = g_hash_table_new(g_direct_hash, g_direct_equal);
    raise_nofile(o->max_connections);
    /* HTTPS when the caller has a certificate. */
    unsigned tls = o->tls_cert ? MHD_USE_TLS : 0;
    struct MHD_OptionItem tls_opts[] = {
        {o->tls_cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, (void *)o->tls_cert},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)o->tls_key},
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
    for (unsigned i = 0; i < o->queues; i++)
        h->nworkers += o->threads[i] ? o->threads[i] : 1;
    h->workers = g_new0(struct worker, h->nworkers ? h->nworkers : 1);
    unsigned w = 0;
    for (unsigned i = 0; i < o->queues; i++)
        for (unsigned k = 0; k < (o->threads[i] ? o->threads[i] : 1); k++, w++) {
            h->workers[w] = (struct worker){.h = h, .q = &h->q[i]};
            pthread_create(&h->workers[w].t, NULL, work_main, &h->workers[w]);
        }
    pthread_create(&h->sweeper, NULL, sweeper_main, h);
    *port = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT)->port;
    *out = h;
    return CCHC_OK;
}

void http_server_stop(struct http_server *h)
{
    if (!h)
        return;
    /* No new connection; the requests queued are still worked and answered. */
    MHD_socket ls = MHD_quiesce_daemon(h->d);
    pthread_mutex_lock(&h->qmu);
    h->stopping = 1;
    for (unsigned i = 0; i < HTTP_QUEUES_MAX; i++)
        pthread_cond_broadcast(&h->q[i].cv);
    pthread_cond_signal(&h->scv);
    pthread_mutex_unlock(&h->qmu);
    for (unsigned i = 0; i < h->nworkers; i++)
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
