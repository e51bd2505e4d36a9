/* cchc-web: the page people look at (the forms, charts and today's counts
 * of a unit), served with the assets built into the binary, and the
 * read-only JSON, CSV and XLSX it reads, from Redis as the reader user.
 * README.md describes the page and every path. */
#ifndef CCHC_WEB_H
#define CCHC_WEB_H

#include "base/units.h"
#include "http/prom.h"
#include "http/server.h"
#include "load.h"
#include "store/store.h"

#include <glib.h>
#include <stdint.h>

#define WEB_REDIS_TIMEOUT_MS 5000

/* The work queues of common/http: what reads Redis, and /healthz alone. */
enum { WEB_QUEUE_READS, WEB_QUEUE_HEALTH, WEB_QUEUES };

/* The paths, for routing and for the metrics' path label. */
enum web_path {
    WEB_ASSET,   /* the page and its scripts */
    WEB_UNITS,   /* GET /v1/units */
    WEB_FORMS,   /* GET /v1/forms */
    WEB_CHARTS,  /* GET /v1/charts */
    WEB_LIVE,    /* GET /v1/live */
    WEB_HEALTHZ, /* GET /healthz */
    WEB_LIVEZ,   /* GET /livez */
    WEB_METRICS, /* GET /metrics */
    WEB_OTHER,   /* anything else: 404 */
    WEB_PATHS
};

/* What every request shares: read-only after start but for the counters. */
struct web {
    const char *redis_url;
    const struct units *units; /* the registry, or NULL: why_units */
    char why_units[512];
    int64_t today; /* the day of today's counts; -1: the date, each time */
    _Atomic uint64_t requests[WEB_PATHS], redis_errors;
    struct prom_histogram duration[WEB_PATHS];
};

/* A request's question, parsed and checked on the polling thread (r->user,
 * freed with the request); the answer's headers live here too. */
enum web_format { WEB_JSON, WEB_CSV, WEB_XLSX };

struct web_req {
    enum web_path path;
    struct report_query q; /* q.unit points at unit */
    char unit[160];
    int form;               /* 1..7, or 0: every form */
    enum web_format format; /* /v1/forms */
    int64_t day;            /* /v1/units: the day the tree is asked for */
    int64_t started_ns;
    char disposition[320];
    const char *headers[16];
};

/* The day of today's counts. */
int64_t web_today(const struct web *w);

/* Each fills *a (status 0: 200) on a thread of the work queue, opening its
 * own connection to Redis; an error answer names the parameter or says
 * what failed. */
void web_units(struct web *w, const struct web_req *q, struct http_answer *a);
void web_forms(struct web *w, struct web_req *q, struct http_answer *a);
void web_charts(struct web *w, const struct web_req *q, struct http_answer *a);
void web_live(struct web *w, const struct web_req *q, struct http_answer *a);
void web_healthz(struct web *w, struct http_answer *a);

/* Opens Redis for one request: NULL, with a 503 in *a, when it cannot. */
struct store *web_store(struct web *w, struct http_answer *a);
/* The answer of a failed load: 404 for a unit Redis or the registry lacks,
 * 400 for a unit not valid on the as-of day, 503 for Redis. */
void web_load_failed(struct web *w, int rc, const char *why, struct http_answer *a);

/* The assets built in (assets.c): the page, its script and style, and the
 * chart library from the npm registry. NULL for a path that is none. */
struct web_asset {
    const char *path, *type;
    const unsigned char *data;
    size_t len;
};
const struct web_asset *web_asset_find(const char *path);

/* The route and work of common/http (routes.c). */
int web_route(void *arg, struct http_request *r, struct http_answer *a);
void web_work(void *arg, struct http_request *r, struct http_answer *a);

#endif
