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

static int position(void *arg, const char *publisher, uint64_t epoch, uint64_t *next)
{
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
        json_key(line, "seq");
        json_int(line, (int64_t)(seq + i));
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

int main(int argc, char **argv)
{
    cchc_log_init("cchc-tap");
    const char *sources = BUS_SOURCES_DEFAULT;
    struct tap t = {.from = -1};
    const struct cchc_opt opts[] = {
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
                    "Resume after a stop with --from <last seq + 1>.",
                    NULL, NULL);
    char *spec = g_strdup(sources), why[256];
    struct bus_source src[16];
    int n;
    if (bus_sources_parse(spec, src, 16, &n))
        cchc_die("--sources '%s': want PUB_URL,REPLAY_URL separated by ';'", sources);
    struct bus_sub *sub;
    if (bus_sub_open(src, n, NULL, position, deliver, &t, &sub, why, sizeof why))
        cchc_die("%s", why);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    while (!stopping)
        bus_sub_poll(sub, 100, -1);
    bus_sub_close(sub);
    g_free(spec);
    return 0;
}
