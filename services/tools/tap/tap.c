/* cchc-tap: prints the bus as JSON lines, one event a line, in order and
 * without gaps (it replays what the bus dropped, like the aggregator). With
 * --from it starts at a given sequence, so another system can resume where
 * it stopped. */
#include "base/config.h"
#include "base/err.h"
#include "base/json.h"
#include "base/log.h"
#include "bus/bus.h"
#include "proto/event.h"

#include <glib.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
    stopping = sig;
}

struct tap {
    long from; /* -1: live */
    long count;
    long printed;
};

static int position(void *arg, const char *publisher, uint64_t epoch, uint64_t *next,
                    uint64_t *ckpt)
{
    (void)ckpt; /* from 0 on a compacted journal: the checkpoint's sums first */
    struct tap *t = arg;
    *next = t->from < 0 ? BUS_POS_LIVE : (uint64_t)t->from;
    return CCHC_OK;
}

static int deliver(void *arg, const char *publisher, uint64_t epoch, uint64_t seq, uint32_t count,
                   const uint8_t *body, size_t len, int trusted, uint64_t *next)
{
    struct tap *t = arg;
    size_t off = 0;
    for (uint32_t i = 0; i < count; i++) {
        struct proto_event ev;
        char why[160], json[PROTO_EVENT_JSON_MAX], hex[17];
        size_t n;
        int bad = proto_event_decode(body, len, &off, &ev, why, sizeof why);
        if (bad && !trusted)
            return CCHC_EPROTO;
        snprintf(hex, sizeof hex, "%016" PRIx64, epoch);
        GString *line = g_string_new("{");
        json_key(line, "publisher");
        json_cstr(line, publisher);
        json_key(line, "epoch");
        json_cstr(line, hex);
        /* Events retention folded come as sums, numbered within the checkpoint. */
        json_key(line, seq & BUS_CKPT ? "checkpoint" : "seq");
        json_int(line, (int64_t)((seq & ~BUS_CKPT) + i));
        if (bad) {
            json_key(line, "error");
            json_cstr(line, "undecodable event");
        } else {
            json_key(line, "event");
            g_string_append(line, proto_event_to_json(&ev, json, sizeof json, &n) ? "null" : json);
        }
        g_string_append(line, "}\n");
        fwrite(line->str, 1, line->len, stdout);
        g_string_free(line, TRUE);
        if (bad)
            break;
        if (t->count && ++t->printed >= t->count) {
            stopping = 1;
            break;
        }
    }
    fflush(stdout);
    *next = seq + count;
    return CCHC_OK;
}

/* The subscriber's counters, for whoever watches the tap (and the tests). */
static void write_stats(const char *path, const struct bus_sub *sub)
{
    struct bus_sub_stats st;
    bus_sub_get_stats(sub, &st);
    const struct {
        const char *k;
        uint64_t v;
    } f[] = {{"frames", st.frames},
             {"heartbeats", st.heartbeats},
             {"events", st.events},
             {"duplicate_events", st.duplicate_events},
             {"rejected_frames", st.rejected_frames},
             {"no_mac", st.no_mac},
             {"bad_mac", st.bad_mac},
             {"unknown_publisher", st.unknown_publisher},
             {"old_frames", st.old_frames},
             {"old_epoch_frames", st.old_epoch_frames},
             {"bad_answers", st.bad_answers}};
    GString *s = g_string_new("{");
    for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
        json_key(s, f[i].k);
        json_int(s, (int64_t)f[i].v);
    }
    g_string_append(s, "}\n");
    FILE *out = fopen(path, "w");
    if (!out || fwrite(s->str, 1, s->len, out) != s->len || fclose(out))
        cchc_warn("--stats %s: cannot write", path);
    g_string_free(s, TRUE);
}

int main(int argc, char **argv)
{
    cchc_log_init("cchc-tap");
    const char *sources = bus_sources_default(), *name = "tap", *stats = NULL;
    struct tap t = {.from = -1};
    struct bus_flags busf = {0};
    const struct cchc_opt opts[] = {
        BUS_OPTS(busf),
        {"--name", "CCHC_TAP_NAME", CCHC_OPT_STR, &name, 0, 0,
         "subscriber name in the bus keys (its --bus-secret signs replay requests)"},
        {"--stats", NULL, CCHC_OPT_STR, &stats, 0, 0,
         "write the bus counters (received, refused) to this file as JSON on exit"},
        {"--sources", "CCHC_SOURCES", CCHC_OPT_STR, &sources, 0, 0,
         "publishers as PUB_URL,REPLAY_URL;..."},
        {"--from", NULL, CCHC_OPT_INT, &t.from, -1, LONG_MAX,
         "first sequence to print (0: from the start of the journal; -1: live)"},
        {"--count", NULL, CCHC_OPT_INT, &t.count, 0, LONG_MAX, "exit after this many events"},
        {0},
    };
    cchc_opts_parse(argc, argv, opts,
                    "usage: cchc-tap [options]\n"
                    "Prints bus events as JSON lines: "
                    "{\"publisher\",\"epoch\",\"seq\",\"event\":{...}}.\n"
                    "Resume after a stop with --from <last seq + 1>. Needs the bus keys\n"
                    "(--bus-keys), with a subscriber line for --name (a reader is enough),\n"
                    "and its own secret (--bus-secret) whose public key is on that line.",
                    NULL, NULL);
    char *spec = g_strdup(sources), why[512];
    struct bus_auth auth;
    if (bus_auth_open(busf.keys, busf.secret, busf.tls_cert, busf.tls_key, busf.tls_ca, &auth, why,
                      sizeof why))
        cchc_die("%s", why);
    struct bus_source src[16];
    int n;
    if (bus_sources_parse(spec, src, 16, &n))
        cchc_die("--sources '%s': want PUB_URL,REPLAY_URL separated by ';'", sources);
    struct bus_sub *sub;
    if (bus_sub_open(src, n, name, &auth, position, deliver, &t, &sub, why, sizeof why))
        cchc_die("%s", why);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    while (!stopping)
        bus_sub_poll(sub, 100, -1);
    if (stats)
        write_stats(stats, sub);
    bus_sub_close(sub);
    bus_auth_close(&auth);
    g_free(spec);
    return 0;
}
