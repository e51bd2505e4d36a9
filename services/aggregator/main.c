/* cchc-aggregator: subscribes to every service, applies their events to
 * Redis exactly once, and beats. It can be killed at any moment: where it
 * stands lives in Redis, written in the same step as the figures. */
#include "apply.h"
#include "health.h"
#include "http.h"
#include "scope.h"
#include "base/config.h"
#include "base/err.h"
#include "base/log.h"
#include "base/period.h"
#include "base/units.h"
#include "bus/bus.h"
#include "store/keys.h"
#include "store/store.h"

#include <errno.h>
#include <glib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SOURCES_MAX STATUS_SOURCES_MAX
/* Rebuilds from nothing a stale source asks for, at most this often. */
#define REBUILD_EVERY_MS (10 * 60 * 1000)
/* Beside the services' 8081-8084 (common/ingest/main.c). */
#define AGG_LISTEN_DEFAULT "127.0.0.1:8090"

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
    stopping = sig;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void on_durable(void *arg, const char *publisher, uint64_t epoch, uint64_t next)
{
    bus_sub_durable(arg, publisher, epoch, next);
}

/* Redis may be down at start or go away later: wait, reconnect, reload. */
static int connect_store(struct store *s, struct apply *a)
{
    int rc = store_err(s) ? store_reconnect(s) : CCHC_OK;
    return rc == CCHC_OK ? apply_connect(a) : rc;
}

/* One try every 500 ms; whether the aggregator is connected again. Every
 * position is asked anew then: they may have moved while it was away. */
static int reconnect(struct store *s, struct apply *a, struct bus_sub *sub, int *connected,
                     int64_t *last_try, int64_t t)
{
    if (t - *last_try < 500) {
        usleep(50 * 1000);
        return 0;
    }
    *last_try = t;
    if (connect_store(s, a) != CCHC_OK) {
        if (*connected)
            cchc_warn("lost Redis: %s", store_errstr(s));
        *connected = 0;
        return 0;
    }
    cchc_info("connected to Redis");
    *connected = 1;
    bus_sub_reset(sub);
    return 1;
}

/* What /healthz and /v1/stats read: a copy taken at every turn of the loop. */
static void snapshot(struct status *st, struct store *s, struct apply *a, struct bus_sub *sub,
                     const struct scope *scope, int connected)
{
    struct apply_stats as;
    struct bus_sub_stats bs;
    struct bus_sub_source src[STATUS_SOURCES_MAX];
    apply_get_stats(a, &as);
    bus_sub_get_stats(sub, &bs);
    int nsrc = bus_sub_sources(sub, src, STATUS_SOURCES_MAX);
    int up = connected && !store_err(s);
    status_update(st, up, store_errstr(s), &as, &bs, src, nsrc, scope_refused(scope),
                  apply_busy(a));
}

int main(int argc, char **argv)
{
    cchc_log_init("cchc-aggregator");
    const char *redis_url = CCHC_REDIS_URL_DEFAULT, *units_path = units_default_path();
    const char *sources = bus_sources_default(), *name = "aggregator";
    const char *listen = AGG_LISTEN_DEFAULT, *port_file = NULL;
    long delay_ms = 0, recv_buffer = 0, flush_sums = 131072, cache_mb = 2048;
    int rebuild = 0;
    const char *today_opt = NULL;
    struct bus_flags busf = {0};
    const struct cchc_opt opts[] = {
        BUS_OPTS(busf),
        {"--redis", "CCHC_REDIS_URL", CCHC_OPT_STR, &redis_url, 0, 0,
         "Redis URL (redis://HOST:PORT/DB or unix:///PATH)"},
        {"--listen", "CCHC_AGGREGATOR_LISTEN", CCHC_OPT_STR, &listen, 0, 0,
         "HTTP address HOST:PORT of GET /healthz and GET /v1/stats (port 0: any); always on"},
        {"--port-file", NULL, CCHC_OPT_STR, &port_file, 0, 0, "write the bound HTTP port here"},
        {"--sources", "CCHC_SOURCES", CCHC_OPT_STR, &sources, 0, 0,
         "publishers as PUB_URL,REPLAY_URL;PUB_URL,REPLAY_URL..."},
        {"--units", "CCHC_UNITS", CCHC_OPT_STR, &units_path, 0, 0, "unit registry (TSV)"},
        {"--name", "CCHC_SUBSCRIBER_NAME", CCHC_OPT_STR, &name, 0, 0,
         "subscriber name in the bus keys (durable there: publishers keep what it has not "
         "applied)"},
        {"--recv-buffer", "CCHC_RECV_BUFFER", CCHC_OPT_INT, &recv_buffer, 0, 8192,
         "frames a source may queue before the bus drops (0: nng default)"},
        {"--flush-sums", "CCHC_FLUSH_SUMS", CCHC_OPT_INT, &flush_sums, 1, 10000000,
         "(unit, day, metric) sums held before a flush to Redis is forced"},
        {"--cache-mb", "CCHC_CACHE_MB", CCHC_OPT_INT, &cache_mb, 1, 1000000,
         "bound of the figure cells (what Redis holds, kept to write new values)"},
        {"--rebuild", NULL, CCHC_OPT_FLAG, &rebuild, 0, 0,
         "at start, empty Redis of the figures and rebuild them from the services' journals "
         "and checkpoints (then go on as usual)"},
        {"--today", "CCHC_TODAY", CCHC_OPT_STR, &today_opt, 0, 0,
         "the day today's units are seen on, YYYY-MM-DD (REDIS.md: the periods' figures and "
         "rankings); default: the date, followed day by day"},
        {"--apply-delay-ms", "CCHC_APPLY_DELAY_MS", CCHC_OPT_INT, &delay_ms, 0, 10000,
         "sleep after each flush: makes a slow subscriber, for tests"},
        {0},
    };
    cchc_opts_parse(
        argc, argv, opts,
        "usage: cchc-aggregator [options]\n"
        "Subscribes to the cchc services, applies their events to Redis exactly\n"
        "once (per-unit rollups and periods, see services/aggregator/REDIS.md),\n"
        "fetches what the bus dropped, and writes a heartbeat every second.\n"
        "GET /healthz says whether the figures move and are whole (200, or 503 and\n"
        "why); GET /v1/stats gives the heartbeat's counters (services/aggregator/README.md).",
        NULL, NULL);

    char why[512];
    struct sockaddr_in sa;
    if (http_listen_parse(listen, &sa))
        cchc_die("--listen '%s': want IPv4 HOST:PORT", listen);
    struct bus_auth auth;
    if (bus_auth_open(busf.keys, busf.secret, busf.tls_cert, busf.tls_key, busf.tls_ca, &auth, why,
                      sizeof why))
        cchc_die("%s", why);
    /* Its secret must be its own line's, before anything touches Redis. */
    if (!bus_keys_self(auth.keys, auth.secret, auth.secret_path, BUS_SUBSCRIBER, name, why,
                       sizeof why))
        cchc_die("%s", why);
    struct units *units;
    if (units_load(units_path, &units, why, sizeof why))
        cchc_die("%s", why);
    struct scope *scope;
    if (scope_open(auth.keys, units, &scope, why, sizeof why))
        cchc_die("%s", why);
    char *spec = g_strdup(sources);
    struct bus_source src[SOURCES_MAX];
    int nsrc;
    if (bus_sources_parse(spec, src, SOURCES_MAX, &nsrc))
        cchc_die("--sources '%s': want PUB_URL,REPLAY_URL separated by ';'", sources);

    struct store *s;
    /* Long enough for the biggest flush (about a second of Redis work at --flush-sums). */
    store_open(redis_url, 30000, &s);
    if (store_err(s) == CCHC_EINVAL)
        cchc_die("--redis: %s", store_errstr(s));
    /* A figure held costs about 32 bytes: 16 in its cell's array, which
     * grows by doubling, and its share of the cell and the index. */
    struct apply_config cfg = {.flush_sums = (size_t)flush_sums,
                               .max_figures = (size_t)cache_mb * 1024 * 1024 / 32,
                               .scope = scope};
    struct apply *a = apply_open(s, units, &cfg);
    int64_t today = cchc_day_of_ms((int64_t)time(NULL) * 1000);
    if (today_opt && cchc_day_parse(today_opt, &today))
        cchc_die("--today '%s': want a date YYYY-MM-DD", today_opt);
    apply_set_today(a, today);
    for (int i = 0; i < nsrc; i++)
        src[i].recv_buffer = (int)recv_buffer;
    struct bus_sub *sub;
    if (bus_sub_open(src, nsrc, name, &auth, apply_position, apply_deliver, a, &sub, why,
                     sizeof why))
        cchc_die("%s", why);
    apply_on_durable(a, on_durable, sub);

    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    signal(SIGPIPE, SIG_IGN);
    /* Up before Redis is: /healthz says it is not there. */
    struct status *status = status_new(nsrc);
    status_set_flush_histogram(status, apply_flush_histogram(a));
    struct http_server *http;
    unsigned port;
    if (agg_http_start(status, &sa, &http, &port))
        cchc_die("--listen %s: cannot start the HTTP server: %s", listen, strerror(errno));
    if (port_file && http_write_port_file(port_file, port))
        cchc_die("cannot write port file %s: %s", port_file, strerror(errno));
    int connected = connect_store(s, a) == CCHC_OK;
    if (!connected)
        cchc_warn("waiting for Redis: %s", store_errstr(s));
    char shown[256];
    store_url_shown(redis_url, shown, sizeof shown);
    cchc_info("started: %d source(s), %zu units, redis %s; GET /healthz on port %u", nsrc,
              units_count(units), shown, port);
    int64_t last_beat = 0, last_try = now_ms(), last_log = now_ms(), last_rebuild = 0;
    int64_t last_today = now_ms();
    while (!stopping) {
        int64_t t = now_ms();
        snapshot(status, s, a, sub, scope, connected);
        if ((!connected || store_err(s)) && !reconnect(s, a, sub, &connected, &last_try, t))
            continue;
        if (!today_opt && t - last_today >= 60000) { /* the date moves on */
            last_today = t;
            int64_t now_day = cchc_day_of_ms((int64_t)time(NULL) * 1000);
            if (now_day != today) {
                int moved = units_change_day(units, now_day) != units_change_day(units, today);
                today = now_day;
                apply_set_today(a, today);
                if (moved) {
                    cchc_info("today's units changed with the date: re-attributing history");
                    rebuild = 1;
                }
            }
        }
        if (apply_view_stale(a))
            rebuild = 1;
        if (rebuild) { /* once Redis is there; again if it goes away meanwhile */
            cchc_info("rebuild: emptying Redis of the figures, to rebuild them from the journals");
            bus_sub_reset(sub);
            if (apply_rebuild(a) != CCHC_OK) {
                cchc_warn("rebuild: %s; trying again", store_errstr(s));
                continue;
            }
            rebuild = 0;
        }
        struct apply_stats before;
        apply_get_stats(a, &before);
        bus_sub_poll(sub, 100, apply_busy(a) ? store_fd(s) : -1);
        struct bus_sub_stats bs;
        bus_sub_get_stats(sub, &bs);
        if (bs.stale_sources && (!last_rebuild || t - last_rebuild >= REBUILD_EVERY_MS)) {
            /* Redis holds part of a history the journals have folded, but
             * not where a checkpoint's run ends: nothing can be added to it.
             * Once in a while at most: a publisher whose checkpoint does not
             * fit its own journal must not keep Redis empty. */
            cchc_warn("%llu source(s) cannot replay onto what Redis holds (restored from an "
                      "older copy, or damaged): rebuilding Redis from nothing",
                      (unsigned long long)bs.stale_sources);
            last_rebuild = t;
            bus_sub_reset(sub);
            if (apply_rebuild(a) != CCHC_OK)
                cchc_warn("rebuild: %s", store_errstr(s));
            continue;
        }
        if (apply_progress(a, 0) != CCHC_OK) {
            /* A failed apply drops the connection (apply.c): the top of the
             * loop reconnects and asks every position again. */
            cchc_warn("apply: %s: starting over from what Redis holds", store_errstr(s));
            continue;
        }
        if (delay_ms) {
            struct apply_stats after;
            apply_get_stats(a, &after);
            if (after.batches != before.batches)
                usleep((useconds_t)delay_ms * 1000 * (useconds_t)(after.batches - before.batches));
        }
        if (t - last_beat >= 1000 && !store_err(s) && apply_check(a) == CCHC_OK) {
            health_beat(s, a, sub, scope, now_ms());
            last_beat = t;
        }
        if (t - last_log >= 10000) {
            health_log(a, sub);
            last_log = t;
        }
    }
    cchc_info("signal %d: stopping", (int)stopping);
    if (connected && !apply_broken(a))
        apply_progress(a, 1); /* what is held is written: a restart need not fetch it again */
    http_server_stop(http);
    status_free(status);
    bus_sub_close(sub);
    apply_close(a);
    store_close(s);
    scope_free(scope);
    units_free(units);
    bus_auth_close(&auth);
    g_free(spec);
    return 0;
}
