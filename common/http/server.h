/* The HTTP mechanism every cchc daemon serves with (libmicrohttpd): one
 * thread polls every connection with epoll and answers cheap requests
 * itself; a request the caller defers is suspended, its body received
 * within bounds, and handed to a thread of one of its queues, then resumed
 * with its answer. The limits (ops/README.md, "Limits of the HTTP face"):
 * connections at once, in all and from one address, checked at accept; a
 * deadline for a whole request however slowly it trickles, kept by a
 * sweeper thread that shuts the socket of an overdue one; silence on a
 * connection; a 413 from the Content-Length before the body is read, or as
 * soon as a chunked body passes its cap, and for a body on any request but
 * POST and PUT; bodies held in memory up to a cap for all of them together
 * (answers not yet sent count in it, but are not refused). Each refusal is counted
 * (http_server_refused). What the paths mean is the caller's (route and work, below). */
#ifndef CCHC_HTTP_SERVER_H
#define CCHC_HTTP_SERVER_H

#include <glib.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

/* Why the server refused a connection or a request. */
enum http_refused {
    HTTP_REFUSED_CONNECTIONS, /* over max_connections (or libmicrohttpd's own cap) */
    HTTP_REFUSED_PER_IP,      /* over max_per_ip */
    HTTP_REFUSED_TIMEOUT,     /* a request not received whole within request_timeout_s */
    HTTP_REFUSED_IDLE,        /* a request idle past idle_timeout_s */
    HTTP_REFUSED_BODY,        /* a body over body_max (413) */
    HTTP_REFUSED_MEMORY,      /* bodies held at once over max_buffered (503) */
    HTTP_REFUSED_N
};
/* Their names, as /v1/stats prints them ("http_refused"). */
/* clang-format off */
#define HTTP_REFUSED_NAMES {"connections", "per_ip", "request_timeout", "idle_timeout", \
                            "body_too_large", "body_memory"}
/* clang-format on */

#define HTTP_QUEUES_MAX 4

struct http_opts {
    unsigned max_connections;          /* at once; more are refused at accept */
    unsigned max_per_ip;               /* at once from one address; 0: no cap */
    unsigned request_timeout_s;        /* to receive a whole request */
    unsigned idle_timeout_s;           /* silence on a connection */
    uint64_t max_buffered;             /* bytes of bodies (and deferred answers) held at once */
    uint64_t body_max;                 /* bytes of one request's body; past it 413 */
    unsigned queues;                   /* queues of deferred requests, at most HTTP_QUEUES_MAX */
    unsigned threads[HTTP_QUEUES_MAX]; /* threads working each queue (at least 1 each) */
    const char *tls_cert, *tls_key;    /* PEM (borrowed), or NULL: plain HTTP */
};

struct http_server; /* opaque */

/* A request as the caller's handlers see it. */
struct http_request {
    struct http_server *server;
    const char *method, *url;
    const uint8_t *body; /* for work: the whole body (deferred requests only) */
    size_t len;
    void *user; /* the caller's: set by route, g_free'd with the request */
    int tls;    /* it came over HTTPS */
};

/* An answer: status, the body (taken: freed by the server), its type, an
 * optional WWW-Authenticate header, and further headers: name, value, ...,
 * NULL (borrowed: copied when the answer is sent, so the request's user
 * memory may hold them). */
struct http_answer {
    unsigned status;
    GString *body;
    const char *type;
    const char *www_authenticate;
    const char *const *headers;
};

/* What route decides for a request, at its headers, on the polling thread
 * (so it must be cheap and never block). */
enum http_route {
    HTTP_ANSWER,       /* answered now: the answer is in *a (any body is not read) */
    HTTP_DEFER = 0x10, /* HTTP_DEFER + q: receive the body (refused past body_max), then
                        * work() on queue q's threads */
};

struct http_handlers {
    int (*route)(void *arg, struct http_request *r, struct http_answer *a);
    /* A deferred request, on a thread of its queue: sets *a (status 0: 200). */
    void (*work)(void *arg, struct http_request *r, struct http_answer *a);
    void *arg;
};

/* "HOST:PORT" (IPv4; port 0: any) to an address. CCHC_EINVAL for anything else. */
int http_listen_parse(const char *s, struct sockaddr_in *sa);

/* Writes "PORT\n" to path, whole (through a rename), for whoever waits
 * for the port bound (--port-file). CCHC_EIO, with errno, on failure. */
int http_write_port_file(const char *path, unsigned port);

/* Serves on sa until http_server_stop; *port is the port bound. CCHC_EIO,
 * with errno, when the server cannot start (also a certificate refused). */
int http_server_start(const struct sockaddr_in *sa, const struct http_opts *o,
                      const struct http_handlers *hd, struct http_server **out, unsigned *port);
/* No new connection; the deferred requests queued are still worked and answered. */
void http_server_stop(struct http_server *h);

/* Counts a refusal of the caller's own (any thread). */
void http_server_count(struct http_server *h, enum http_refused why);
/* The refusals so far, by enum http_refused (any thread). */
uint64_t http_server_refused(const struct http_server *h, enum http_refused why);

/* {"error":"msg"}\n, the one shape of every error answer. */
GString *http_error_json(const char *msg);
/* Fills *a with status and {"error":"msg"}: HTTP_ANSWER, for route to return. */
int http_answer_error(struct http_answer *a, unsigned status, const char *msg);
/* The value of a request header (the connection's: valid while the request is). */
const char *http_header(const struct http_request *r, const char *name);
/* The value of a query argument, decoded (?unit=kg.rachgia), or NULL; as
 * http_header, for route (on the polling thread). */
const char *http_query(const struct http_request *r, const char *name);

#endif
