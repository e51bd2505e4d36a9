/* ingest_main: the whole program of an ingesting service. Its flags, the
 * state on disk brought up to the journal's end, then HTTP and retention
 * until SIGTERM. */
#include "ingest/service.h"

#include "base/config.h"
#include "base/err.h"
#include "base/log.h"
#include "bus/keys.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Replays events the state does not hold yet into it; commits every
 * REPLAY_GROUP events, so that a long first build keeps a bounded
 * transaction and a crash during it loses little. */
#define REPLAY_GROUP 65536

static int replay(void *arg, uint64_t seq, const uint8_t *buf, size_t len)
{
    struct ingest *in = arg;
    struct proto_event ev;
    size_t off = 0;
    char why[512];
    if (proto_event_decode(buf, len, &off, &ev, why, sizeof why)) {
        cchc_error("journal event %llu: %s", (unsigned long long)seq, why);
        return CCHC_ECORRUPT;
    }
    in->events++;
    int rc = ingest_lines_replay(in->lines, &ev);
    if (rc == CCHC_OK && in->events % REPLAY_GROUP == 0 &&
        ingest_lines_commit(in->lines, journal_epoch(in->j), seq + 1, why, sizeof why))
        cchc_die("%s", why);
    return rc;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Opens the state (DATA/state.mdb) and brings it up to the journal's end:
 * only the events past the position it holds are replayed, so a start does
 * not grow with the history. The journal's older events may be gone
 * (retention): a state that is missing, behind them, ahead of the journal,
 * or of another journal is refused, naming what to restore, unless the
 * journal still starts at event 0, from which it is built whole. */
static void state_start(struct ingest *in, const char *data, const char *journal_path)
{
    char path[4096], why[512];
    snprintf(path, sizeof path, "%s/state.mdb", data);
    int fresh;
    if (state_open(path, &in->db, &fresh, why, sizeof why))
        cchc_die("%s", why);
    unsigned long long epoch = journal_epoch(in->j), base = journal_base(in->j),
                       next = journal_next_seq(in->j),
                       s_epoch = state_get_u64(in->db, STATE_META, "epoch", 0),
                       s_next = state_get_u64(in->db, STATE_META, "next", 0);
    const char *restore = "restore the state and the journal together, from the same backup "
                          "(ops/README.md, \"Backups\")";
    if (!fresh && s_epoch != epoch) {
        if (base > 0)
            cchc_die("%s holds the state of journal epoch %016llx, but %s is of epoch %016llx "
                     "and starts at event %llu (compacted), so the state cannot be rebuilt from "
                     "it: %s",
                     path, s_epoch, journal_path, epoch, base, restore);
        cchc_warn("%s holds the state of journal epoch %016llx, but %s is a new journal, of epoch "
                  "%016llx: building the state again from it",
                  path, s_epoch, journal_path, epoch);
        state_wipe(in->db);
        fresh = 1;
        s_next = 0;
    }
    if (fresh && base > 0)
        cchc_die("%s holds no state, but %s starts at event %llu: its events before that were "
                 "compacted away, and the state cannot be rebuilt without them: %s",
                 path, journal_path, base, restore);
    if (!fresh && s_next < base)
        cchc_die("%s holds the journal's events up to %llu, but %s starts at event %llu: events "
                 "%llu..%llu are gone from both: %s",
                 path, s_next, journal_path, base, s_next, base - 1, restore);
    if (!fresh && s_next > next)
        cchc_die("%s holds the journal's events up to %llu, but %s ends at event %llu: the "
                 "journal lost events the state holds (was one of them restored alone?): %s",
                 path, s_next, journal_path, next, restore);
    in->lines = ingest_lines_new(in->svc, in->units, in->db);
    uint64_t from = fresh ? base : s_next;
    double t0 = now_s();
    int rc = journal_each(in->j, from, next, replay, in);
    if (rc)
        cchc_die("%s: replaying events %llu..%llu into %s: %s", journal_path,
                 (unsigned long long)from, next, path, cchc_strerror(rc));
    if (ingest_lines_commit(in->lines, epoch, next, why, sizeof why))
        cchc_die("%s", why);
    cchc_info("state %s: %s at event %llu, replayed %llu events of the journal (%llu..%llu) in "
              "%.3f s",
              path, fresh ? "built" : "held", (unsigned long long)from,
              (unsigned long long)(next - from), (unsigned long long)from, next, now_s() - t0);
}

int ingest_main(int argc, char **argv, const struct ingest_service *svc)
{
    char prog[64], usage[512], data_def[256], pub_def[256], rep_def[256], listen_def[64];
    char env_listen[64], env_data[64], env_pub[64], env_rep[64];
    snprintf(prog, sizeof prog, "cchc-%s", svc->name);
    cchc_log_init(prog);
    const char *base = getenv("CCHC_DATA_DIR");
    snprintf(data_def, sizeof data_def, "%s/%s", base && *base ? base : "/var/lib/cchc", svc->name);
    bus_default_url(svc->name, "pub", pub_def, sizeof pub_def);
    bus_default_url(svc->name, "replay", rep_def, sizeof rep_def);
    snprintf(listen_def, sizeof listen_def, "127.0.0.1:%d", svc->default_port);
    char up[16];
    snprintf(up, sizeof up, "%s", svc->name);
    for (char *p = up; *p; p++)
        *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
    snprintf(env_listen, sizeof env_listen, "CCHC_%s_LISTEN", up);
    snprintf(env_data, sizeof env_data, "CCHC_%s_DATA", up);
    snprintf(env_pub, sizeof env_pub, "CCHC_%s_PUB", up);
    snprintf(env_rep, sizeof env_rep, "CCHC_%s_REPLAY", up);
    snprintf(usage, sizeof usage,
             "usage: %s [options]\n"
             "Accepts %s records as NDJSON (POST /v1/records, Authorization: Bearer TOKEN\n"
             "of a source in the --sources file), journals them durably, and publishes\n"
             "their events on the cchc bus. GET /healthz, GET /v1/stats.",
             prog, svc->name);

    const char *listen = listen_def, *data = data_def, *pub_url = pub_def, *rep_url = rep_def;
    const char *units_path = units_default_path(), *port_file = NULL, *publisher = svc->name;
    const char *sources_path = NULL, *tls_cert = NULL, *tls_key = NULL;
    long journal_max_mb = 1024, http_threads = 2, max_conn = 4096, max_per_ip = 256,
         request_timeout = 60, idle_timeout = 30, max_body_mb = 1024,
         rejects_mb = REJECTS_FILE_MB_DEFAULT, rejects_files = REJECTS_FILES_DEFAULT;
    struct bus_flags busf = {0};
    const struct cchc_opt opts[] = {
        BUS_OPTS(busf),
        {"--listen", env_listen, CCHC_OPT_STR, &listen, 0, 0,
         "HTTP address HOST:PORT (port 0: any)"},
        {"--data", env_data, CCHC_OPT_STR, &data, 0, 0,
         "folder for the journal, the state (state.mdb: back it up with the journal) and the "
         "reject log"},
        {"--pub", env_pub, CCHC_OPT_STR, &pub_url, 0, 0, "bus address events are published on"},
        {"--replay", env_rep, CCHC_OPT_STR, &rep_url, 0, 0, "bus address answering replays"},
        {"--units", "CCHC_UNITS", CCHC_OPT_STR, &units_path, 0, 0, "unit registry (TSV)"},
        {"--publisher", NULL, CCHC_OPT_STR, &publisher, 0, 0, "publisher id on the bus"},
        {"--sources", "CCHC_SOURCES_FILE", CCHC_OPT_STR, &sources_path, 0, 0,
         "who may post: the sources file (required; ops/README.md, \"Sources and tokens\")"},
        {"--tls-cert", "CCHC_TLS_CERT", CCHC_OPT_STR, &tls_cert, 0, 0,
         "serve HTTPS with this certificate (PEM; with --tls-key)"},
        {"--tls-key", "CCHC_TLS_KEY", CCHC_OPT_STR, &tls_key, 0, 0,
         "the certificate's private key (PEM)"},
        {"--port-file", NULL, CCHC_OPT_STR, &port_file, 0, 0, "write the bound HTTP port here"},
        {"--http-threads", "CCHC_HTTP_THREADS", CCHC_OPT_INT, &http_threads, 1, 64,
         "threads deciding POSTs (they take turns to journal); GETs are answered beside them"},
        {"--http-max-connections", "CCHC_HTTP_MAX_CONNECTIONS", CCHC_OPT_INT, &max_conn, 1, 1 << 20,
         "HTTP connections at once; more are closed at accept and counted"},
        {"--http-max-per-ip", "CCHC_HTTP_MAX_PER_IP", CCHC_OPT_INT, &max_per_ip, 0, 1 << 20,
         "HTTP connections at once from one client address (0: no cap)"},
        {"--http-request-timeout", "CCHC_HTTP_REQUEST_TIMEOUT", CCHC_OPT_INT, &request_timeout, 1,
         86400, "seconds to receive a whole request (headers and body), however it trickles"},
        {"--http-idle-timeout", "CCHC_HTTP_IDLE_TIMEOUT", CCHC_OPT_INT, &idle_timeout, 1, 86400,
         "seconds a connection may stay silent"},
        {"--http-max-body-mb", "CCHC_HTTP_MAX_BODY_MB", CCHC_OPT_INT, &max_body_mb,
         INGEST_BODY_MAX >> 20, 1 << 20,
         "MiB of request bodies held at once, received or being decided; past it 503"},
        {"--rejects-file-mb", "CCHC_REJECTS_FILE_MB", CCHC_OPT_INT, &rejects_mb, 1, 1 << 20,
         "rotate the reject log past this size"},
        {"--rejects-files", "CCHC_REJECTS_FILES", CCHC_OPT_INT, &rejects_files, 0, 1000,
         "rotated reject logs kept (rejects.ndjson.1 ...; 0: none)"},
        {"--journal-max-mb", "CCHC_JOURNAL_MAX_MB", CCHC_OPT_INT, &journal_max_mb, 0, 1 << 20,
         "compact the journal past this size, keeping what a durable subscriber has not "
         "applied (0: never)"},
        {0},
    };
    cchc_opts_parse(argc, argv, opts, usage, NULL, NULL);

    struct bus_auth auth;
    char why[512];
    if (bus_auth_open(busf.keys, busf.secret, busf.tls_cert, busf.tls_key, busf.tls_ca, &auth, why,
                      sizeof why))
        cchc_die("%s", why);
    struct sockaddr_in sa;
    if (http_listen_parse(listen, &sa))
        cchc_die("--listen '%s': want IPv4 HOST:PORT", listen);
    struct ingest in = {.svc = svc};
    pthread_mutex_init(&in.journal_mu, NULL);
    in.by_source = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    prom_histogram_init(&in.fsync_s, prom_latency_bounds, prom_latency_n);
    for (int i = 0; i < 2; i++)
        prom_histogram_init(&in.post_s[i], prom_latency_bounds, prom_latency_n);
    if (units_load(units_path, &in.units, why, sizeof why))
        cchc_die("%s", why);
    if (g_mkdir_with_parents(data, 0755))
        cchc_die("--data %s: cannot create: %s", data, strerror(errno));
    /* No write path without a credential, in any deployment. */
    if (!sources_path || !*sources_path)
        cchc_die("no sources file (--sources FILE or CCHC_SOURCES_FILE): without one nobody may "
                 "post records; make one with ops/new-source (ops/README.md, \"Sources and "
                 "tokens\")");
    const char *type_names[33];
    int nt = 0;
    for (; svc->types[nt].name && nt < 32; nt++)
        type_names[nt] = svc->types[nt].name;
    type_names[nt] = NULL;
    if (sources_load(sources_path, in.units, svc->name, type_names, &in.sources, why, sizeof why))
        cchc_die("--sources: %s", why);
    /* What the sources may post, the bus key must let the service publish. */
    /* It signs as its publisher: its secret must be that line's. */
    const struct bus_peer *me = bus_keys_self(auth.keys, auth.secret, auth.secret_path,
                                              BUS_PUBLISHER, publisher, why, sizeof why);
    if (!me)
        cchc_die("%s", why);
    if (!me->all_units) {
        int roots[BUS_KEY_UNITS_MAX];
        for (int i = 0; i < me->nunits; i++)
            if ((roots[i] = units_find(in.units, me->units[i], strlen(me->units[i]))) < 0)
                cchc_die("bus keys: publisher %s: units=%s is not in the registry", publisher,
                         me->units[i]);
        if (sources_within(in.sources, in.units, roots, me->nunits, why, sizeof why))
            cchc_die("--sources: %s", why);
    }
    if (!tls_cert != !tls_key)
        cchc_die("--tls-cert and --tls-key go together");
    if (tls_cert) {
        GError *err = NULL;
        if (!g_file_get_contents(tls_cert, &in.tls_cert, NULL, &err) ||
            !g_file_get_contents(tls_key, &in.tls_key, NULL, &err))
            cchc_die("--tls-cert/--tls-key: %s", err->message);
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/events.journal", data);
    /* The state is not rebuilt from the checkpoint: it is on disk (state.h). */
    double start = now_s();
    if (journal_open(path, NULL, NULL, &in.j, why, sizeof why))
        cchc_die("%s", why);
    double t_journal = now_s();
    if (retention_open(in.j, path, (uint64_t)journal_max_mb << 20, &in.retention, why, sizeof why))
        cchc_die("%s", why);
    double t_ckpt = now_s();
    state_start(&in, data, path);
    double t_state = now_s();
    /* What each source took is rebuilt: now their shares of the budgets. */
    ingest_lines_set_sources(in.lines, in.sources);
    snprintf(path, sizeof path, "%s/rejects.ndjson", data);
    if (rejects_open(path, (uint64_t)rejects_mb << 20, (unsigned)rejects_files, &in.rejects, why,
                     sizeof why))
        cchc_die("%s", why);

    /* Signals go to the thread that waits for them, not to the HTTP or bus threads. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    snprintf(path, sizeof path, "%s/subscribers", data);
    if (bus_pub_open(publisher, pub_url, rep_url, in.j, retention_checkpoint(in.retention), path,
                     &auth, &in.pub, why, sizeof why))
        cchc_die("%s", why);
    /* Read before the HTTP threads start appending. */
    unsigned long long epoch = journal_epoch(in.j), next = journal_next_seq(in.j);
    struct http_server *http;
    unsigned port;
    struct ingest_http_opts hopts = {.threads = (unsigned)http_threads,
                                     .max_connections = (unsigned)max_conn,
                                     .max_per_ip = (unsigned)max_per_ip,
                                     .request_timeout_s = (unsigned)request_timeout,
                                     .idle_timeout_s = (unsigned)idle_timeout,
                                     .max_buffered = (uint64_t)max_body_mb << 20};
    if (ingest_http_start(&in, &sa, &hopts, &http, &port))
        cchc_die("--listen %s: cannot start HTTP%s server: %s", listen, tls_cert ? "S" : "",
                 tls_cert ? "libmicrohttpd refused the certificate or key, or has no TLS"
                          : strerror(errno));
    if (port_file)
        if (http_write_port_file(port_file, port))
            cchc_die("cannot write port file %s: %s", port_file, strerror(errno));
    cchc_info("%zu sources from %s", sources_count(in.sources), sources_path);
    cchc_info("started in %.3f s: journal %.3f s, checkpoint %.3f s, state and replay %.3f s",
              now_s() - start, t_journal - start, t_ckpt - t_journal, t_state - t_ckpt);
    cchc_info("listening on port %u%s; journal %016llx at %llu events; bus %s, replay %s", port,
              tls_cert ? " (HTTPS)" : "", epoch, next, pub_url, rep_url);

    /* Retention also runs when no record comes: a subscriber catches up later. */
    int sig;
    while ((sig = sigtimedwait(&sigs, NULL, &(struct timespec){.tv_sec = 1})) < 0) {
        pthread_mutex_lock(&in.journal_mu);
        ingest_state_commit(&in); /* and retention */
        pthread_mutex_unlock(&in.journal_mu);
    }
    cchc_info("signal %d: stopping", sig);
    http_server_stop(http);
    pthread_mutex_lock(&in.journal_mu);
    ingest_state_commit(&in);
    pthread_mutex_unlock(&in.journal_mu);
    bus_pub_close(in.pub);
    retention_close(in.retention);
    journal_close(in.j);
    rejects_close(in.rejects);
    ingest_lines_free(in.lines);
    state_close(in.db);
    sources_free(in.sources);
    g_free(in.tls_cert);
    g_free(in.tls_key);
    units_free(in.units);
    bus_auth_close(&auth);
    return 0;
}
