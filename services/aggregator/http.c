/* The aggregator's HTTP face, on common/http: GET /healthz, GET /v1/stats
 * and GET /metrics, all answered on the polling thread from the status snapshot (status.h),
 * read-only and without a credential, like the services' /healthz. */
#include "http.h"

#include "base/err.h"
#include "http/prom.h"

#include <microhttpd.h>
#include <string.h>

static int route(void *arg, struct http_request *r, struct http_answer *a)
{
    struct status *st = arg;
    if (strcmp(r->method, "GET") != 0)
        return http_answer_error(a, MHD_HTTP_NOT_FOUND, "GET /healthz, /v1/stats or /metrics");
    if (strcmp(r->url, "/healthz") == 0) {
        GString *out = g_string_new(NULL);
        unsigned code = status_healthz(st, out);
        *a = (struct http_answer){.status = code, .body = out, .type = "application/json"};
        return HTTP_ANSWER;
    }
    uint64_t refused[HTTP_REFUSED_N];
    for (int i = 0; i < HTTP_REFUSED_N; i++)
        refused[i] = http_server_refused(r->server, i);
    if (strcmp(r->url, "/v1/stats") == 0) {
        GString *out = g_string_new(NULL);
        status_stats(st, refused, out);
        *a = (struct http_answer){.status = MHD_HTTP_OK, .body = out, .type = "application/json"};
        return HTTP_ANSWER;
    }
    if (strcmp(r->url, "/livez") == 0) {
        unsigned code = status_livez(st);
        *a = (struct http_answer){.status = code,
                                  .body = g_string_new(code == 200 ? "live\n" : "stuck\n"),
                                  .type = "text/plain"};
        return HTTP_ANSWER;
    }
    if (strcmp(r->url, "/metrics") == 0) {
        GString *out = g_string_new(NULL);
        status_metrics(st, refused, out);
        *a = (struct http_answer){.status = MHD_HTTP_OK, .body = out, .type = PROM_CONTENT_TYPE};
        return HTTP_ANSWER;
    }
    return http_answer_error(a, MHD_HTTP_NOT_FOUND,
                             "no such path: GET /healthz, /v1/stats or /metrics");
}

int agg_http_start(struct status *st, const struct sockaddr_in *sa, struct http_server **out,
                   unsigned *port)
{
    /* A few readers (an operator, a healthcheck, a scraper): small caps. */
    struct http_opts o = {.max_connections = AGG_HTTP_MAX_CONNECTIONS,
                          .max_per_ip = AGG_HTTP_MAX_PER_IP,
                          .request_timeout_s = AGG_HTTP_TIMEOUT_S,
                          .idle_timeout_s = AGG_HTTP_TIMEOUT_S,
                          .max_buffered = 1 << 20,
                          .body_max = 0,
                          .queues = 0};
    struct http_handlers hd = {.route = route, .arg = st};
    return http_server_start(sa, &o, &hd, out, port);
}
