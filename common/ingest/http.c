/* The HTTP face of a service: POST /v1/records, GET /healthz, GET /v1/stats. */
#include "ingest/service.h"

#include "base/err.h"
#include "base/json.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ingest_http {
    struct MHD_Daemon *d;
};

struct upload {
    GByteArray *body;
    int too_big;
    const struct source *src; /* who posts it (authenticated) */
};

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

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *data,
                                  size_t *data_size, void **con_cls)
{
    struct ingest *in = cls;
    if (strcmp(method, "GET") == 0) {
        if (strcmp(url, "/healthz") == 0)
            return reply(c, MHD_HTTP_OK, g_string_new("ok\n"), "text/plain");
        if (strcmp(url, "/v1/stats") == 0) {
            GString *s = g_string_new(NULL);
            ingest_stats(in, s);
            return reply(c, MHD_HTTP_OK, s, "application/json");
        }
        return reply(c, MHD_HTTP_NOT_FOUND, error_json("no such path"), "application/json");
    }
    if (strcmp(method, "POST") != 0 || strcmp(url, "/v1/records") != 0)
        return reply(c, MHD_HTTP_NOT_FOUND, error_json("POST NDJSON to /v1/records"),
                     "application/json");
    struct upload *up = *con_cls;
    if (!up) {
        /* Authenticated before a byte of the body is read. */
        enum MHD_Result answered;
        const struct source *src = authenticate(in, c, &answered);
        if (!src)
            return answered;
        up = g_new0(struct upload, 1);
        up->src = src;
        up->body = g_byte_array_new();
        *con_cls = up;
        return MHD_YES;
    }
    if (*data_size) {
        if (up->body->len + *data_size > INGEST_BODY_MAX)
            up->too_big = 1;
        else
            g_byte_array_append(up->body, (const guint8 *)data, (guint)*data_size);
        *data_size = 0;
        return MHD_YES;
    }
    if (up->too_big) {
        char msg[96];
        snprintf(msg, sizeof msg, "request body over %u bytes: send smaller batches",
                 INGEST_BODY_MAX);
        return reply(c, MHD_HTTP_CONTENT_TOO_LARGE, error_json(msg), "application/json");
    }
    const char *src = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CCHC-Source");
    const char *fl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CCHC-First-Line");
    char source[256];
    snprintf(source, sizeof source, "%s", src && *src ? src : "http");
    long first = fl ? strtol(fl, NULL, 10) : 1;
    GString *answer = g_string_new(NULL);
    ingest_request(in, up->src, (const char *)up->body->data, up->body->len, source,
                   first > 0 ? first : 1, answer);
    return reply(c, MHD_HTTP_OK, answer, "application/json");
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct upload *up = *con_cls;
    if (up) {
        g_byte_array_free(up->body, TRUE);
        g_free(up);
        *con_cls = NULL;
    }
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

int ingest_http_start(struct ingest *in, const struct sockaddr_in *sa, unsigned threads,
                      struct ingest_http **out, unsigned *port)
{
    /* HTTPS when the service has a certificate (--tls-cert, --tls-key). */
    unsigned tls = in->tls_cert ? MHD_USE_TLS : 0;
    struct MHD_OptionItem tls_opts[] = {
        {in->tls_cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, in->tls_cert},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, in->tls_key},
        {MHD_OPTION_END, 0, NULL},
    };
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG | tls, 0, NULL, NULL, on_request, in,
        MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)sa, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, NULL, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_ARRAY, tls_opts, MHD_OPTION_END);
    if (!d)
        return CCHC_EIO;
    *port = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT)->port;
    *out = g_new0(struct ingest_http, 1);
    (*out)->d = d;
    return CCHC_OK;
}

void ingest_http_stop(struct ingest_http *h)
{
    if (!h)
        return;
    MHD_stop_daemon(h->d);
    g_free(h);
}
