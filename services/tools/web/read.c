/* What every request that reads Redis shares: its own connection (a store is
 * one thread's), the answers of a failure, and /healthz, which is ready
 * when Redis answers the reader. */
#include "web.h"

#include "base/err.h"
#include "base/json.h"

#include <microhttpd.h>
#include <stdio.h>

struct store *web_store(struct web *w, struct http_answer *a)
{
    struct store *s = NULL;
    if (store_open(w->redis_url, WEB_REDIS_TIMEOUT_MS, &s) == CCHC_OK)
        return s;
    char shown[256], msg[600];
    store_url_shown(w->redis_url, shown, sizeof shown);
    snprintf(msg, sizeof msg, "cannot reach Redis at %s: %s", shown,
             s ? store_errstr(s) : "no connection");
    store_close(s);
    atomic_fetch_add(&w->redis_errors, 1);
    http_answer_error(a, MHD_HTTP_SERVICE_UNAVAILABLE, msg);
    return NULL;
}

void web_load_failed(struct web *w, int rc, const char *why, struct http_answer *a)
{
    unsigned status = MHD_HTTP_INTERNAL_SERVER_ERROR;
    if (rc == CCHC_ENOTFOUND)
        status = MHD_HTTP_NOT_FOUND;
    else if (rc == CCHC_EINVAL)
        status = MHD_HTTP_BAD_REQUEST;
    else if (rc == CCHC_EREDIS) {
        status = MHD_HTTP_SERVICE_UNAVAILABLE;
        atomic_fetch_add(&w->redis_errors, 1);
    }
    http_answer_error(a, status, why);
}

void web_healthz(struct web *w, struct http_answer *a)
{
    struct store *s = NULL;
    redisReply *r = NULL;
    int ok = store_open(w->redis_url, WEB_REDIS_TIMEOUT_MS, &s) == CCHC_OK &&
             store_command(s, &r, "PING") == CCHC_OK && r->type == REDIS_REPLY_STATUS;
    GString *j = g_string_new("{\"live\":true");
    json_key(j, "ready");
    g_string_append(j, ok ? "true" : "false");
    json_key(j, "redis");
    json_cstr(j, ok ? "ok" : s ? store_errstr(s) : "unreachable");
    json_key(j, "registry");
    json_cstr(j, w->units ? "ok" : w->why_units);
    g_string_append(j, "}\n");
    if (r)
        freeReplyObject(r);
    store_close(s);
    if (!ok)
        atomic_fetch_add(&w->redis_errors, 1);
    *a = (struct http_answer){.status = ok ? MHD_HTTP_OK : MHD_HTTP_SERVICE_UNAVAILABLE,
                              .body = j,
                              .type = "application/json"};
}
