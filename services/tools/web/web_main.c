/* cchc-web: serves the page of the forms, charts and today's counts, and the
 * read-only data it shows, from Redis as the reader user. Options here;
 * the paths in routes.c; what each answers in units.c, forms.c, charts.c
 * and live.c; the page in assets/. */
#include "base/config.h"
#include "base/err.h"
#include "base/log.h"
#include "base/period.h"
#include "web.h"

#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
    stopping = sig;
}

static const char usage[] =
    "usage: cchc-web [options]\n"
    "Serves the page people look at: a unit picked from the registry's tree (on\n"
    "the window's days), a period (2022, 2022-Q1, 2022-05) or any window, forms\n"
    "1-7 as tables in the forms' number format (45.148; 93,56) with the source\n"
    "report's slips noted, XLSX, CSV and JSON downloads of what is on screen,\n"
    "charts (wards and communes ranked by on-time rate, dossiers received and\n"
    "resolved per month, the online share) and today's counts, refreshed by\n"
    "themselves; in Vietnamese, with English labels. Everything it serves is\n"
    "built into it (the chart library from the npm registry at build time): the\n"
    "page asks no other origin. Read-only: it reads Redis, as the reader user\n"
    "(services/aggregator/REDIS.md), and takes no write.\n"
    "\n"
    "Paths (GET): / (the page), /v1/units?day=D, /v1/forms?unit=U&(period=P|\n"
    "from=D&to=D)[&as_of=D][&form=N][&format=json|csv|xlsx], /v1/charts?unit=U&...,\n"
    "/v1/live?unit=U, /healthz, /metrics (services/tools/web/README.md).\n";

int main(int argc, char **argv)
{
    const char *listen = "127.0.0.1:8080", *redis_url = CCHC_REDIS_URL_DEFAULT;
    const char *units_path = units_default_path(), *port_file = NULL, *today_opt = NULL;
    const char *tls_cert = NULL, *tls_key = NULL;
    long threads = 2, max_connections = 256, max_per_ip = 64;
    const struct cchc_opt opts[] = {
        {"--listen", "CCHC_WEB_LISTEN", CCHC_OPT_STR, &listen, 0, 0, "HOST:PORT to serve on"},
        {"--redis", "CCHC_REDIS_URL", CCHC_OPT_STR, &redis_url, 0, 0,
         "Redis, as the reader: redis://USER:PASSWORD@HOST:PORT/DB, "
         "?user=reader&password_file=FILE, or unix:///PATH"},
        {"--units", "CCHC_UNITS", CCHC_OPT_STR, &units_path, 0, 0,
         "unit registry (TSV): the picker's tree, as-of windows, the rankings' children"},
        {"--today", "CCHC_TODAY", CCHC_OPT_STR, &today_opt, 0, 0,
         "the day of today's counts and the picker's default, YYYY-MM-DD; default the date"},
        {"--threads", "CCHC_HTTP_THREADS", CCHC_OPT_INT, &threads, 1, 64,
         "threads answering what reads Redis"},
        {"--max-connections", "CCHC_HTTP_MAX_CONNECTIONS", CCHC_OPT_INT, &max_connections, 1,
         100000, "connections at once"},
        {"--max-per-ip", "CCHC_HTTP_MAX_PER_IP", CCHC_OPT_INT, &max_per_ip, 0, 100000,
         "connections at once from one address (0: no cap)"},
        {"--tls-cert", "CCHC_TLS_CERT", CCHC_OPT_STR, &tls_cert, 0, 0,
         "serve HTTPS with this certificate (PEM); needs --tls-key"},
        {"--tls-key", "CCHC_TLS_KEY", CCHC_OPT_STR, &tls_key, 0, 0, "its private key (PEM)"},
        {"--port-file", NULL, CCHC_OPT_STR, &port_file, 0, 0,
         "write the port bound to FILE (with --listen HOST:0)"},
        {0},
    };
    cchc_opts_parse(argc, argv, opts, usage, NULL, NULL);

    struct web w = {.redis_url = redis_url, .today = -1};
    struct sockaddr_in sa;
    if (http_listen_parse(listen, &sa))
        cchc_die("--listen '%s': want IPv4 HOST:PORT", listen);
    if (today_opt && cchc_day_parse(today_opt, &w.today))
        cchc_die("--today '%s': want a date YYYY-MM-DD", today_opt);
    if (!tls_cert != !tls_key)
        cchc_die("--tls-cert and --tls-key go together");
    struct store *probe = NULL;
    if (store_open(redis_url, WEB_REDIS_TIMEOUT_MS, &probe) == CCHC_EINVAL)
        cchc_die("--redis: %s", store_errstr(probe));
    store_close(probe);
    struct units *units = NULL;
    /* Without a registry the forms still answer (as recorded, with every
     * row); the picker, as-of windows and rankings need it. */
    if (units_load(units_path, &units, w.why_units, sizeof w.why_units))
        cchc_warn("%s: the picker, as-of windows and rankings are off", w.why_units);
    w.units = units;
    for (int i = 0; i < WEB_PATHS; i++)
        prom_histogram_init(&w.duration[i], prom_latency_bounds, prom_latency_n);

    gchar *cert = NULL, *key = NULL;
    GError *err = NULL;
    if (tls_cert && (!g_file_get_contents(tls_cert, &cert, NULL, &err) ||
                     !g_file_get_contents(tls_key, &key, NULL, &err)))
        cchc_die("--tls-cert/--tls-key: %s", err->message);
    struct http_opts o = {
        .max_connections = (unsigned)max_connections,
        .max_per_ip = (unsigned)max_per_ip,
        .request_timeout_s = 30,
        .idle_timeout_s = 60,
        .max_buffered = 64u << 20,
        .body_max = 0,
        .queues = WEB_QUEUES,
        .threads = {[WEB_QUEUE_READS] = (unsigned)threads, [WEB_QUEUE_HEALTH] = 1},
        .tls_cert = cert,
        .tls_key = key};
    struct http_handlers hd = {.route = web_route, .work = web_work, .arg = &w};
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    signal(SIGPIPE, SIG_IGN);
    struct http_server *h;
    unsigned port;
    if (http_server_start(&sa, &o, &hd, &h, &port))
        cchc_die("--listen %s: cannot start the HTTP server: %s", listen, strerror(errno));
    if (port_file && http_write_port_file(port_file, port))
        cchc_die("cannot write port file %s: %s", port_file, strerror(errno));
    char shown[256];
    store_url_shown(redis_url, shown, sizeof shown);
    cchc_info("started: the page on %s://%s:%u/, redis %s, %zu units", cert ? "https" : "http",
              inet_ntoa(sa.sin_addr), port, shown, units ? units_count(units) : 0);
    while (!stopping)
        pause();
    cchc_info("signal %d: stopping", (int)stopping);
    http_server_stop(h);
    units_free(units);
    g_free(cert);
    g_free(key);
    return 0;
}
