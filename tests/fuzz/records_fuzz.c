/* fuzz_records_<service>: any bytes as the body of a POST /v1/records to
 * one service, built from that service's own record handlers
 * (services/service.h: the library it is linked with), with the registry of
 * ops/units/rachgia.tsv. Lines are cut as request.c cuts them, then parsed
 * and decided (ingest/lines.h). Checked: an accepted line queues events and
 * every one of them decodes; a duplicate or a rejected one queues none;
 * once the accepted events are replayed into a new state (as at start-up
 * from the journal), every line accepted before is a duplicate. */
#include "base/err.h"
#include "fuzz.h"
#include "ingest/lines.h"
#include "ingest/sources.h"
#include "ingest/state_tmp.h"
#include "service.h"

#include <glib.h>
#include <stdint.h>
#include <string.h>

static struct units *units;
/* One state on disk for every input: each input's writes are dropped
 * (never committed), so that each starts from an empty state. */
static struct state_db *db;
static char *db_dir;

static void remove_db(void)
{
    state_tmp_remove(db, db_dir);
}
/* Lines come from a source that may post every type for every unit, so
 * that the per-source ids and conflicts are in play. */
static struct source fuzzer = {
    .name = "fuzzer", .posts = "*", .units_text = "*", .types = UINT32_MAX, .nroots = -1};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char why[512];
    if (units_load(CCHC_SOURCE_DIR "/ops/units/rachgia.tsv", &units, why, sizeof why)) {
        fprintf(stderr, "%s\n", why);
        abort();
    }
    db = state_tmp_open(&db_dir);
    atexit(remove_db);
    return 0;
}

/* One line, decided; its events appended to journal (as the journal would
 * keep them). Returns the verdict. */
static enum ingest_verdict decide(struct ingest_lines *st, const char *text, size_t n,
                                  GByteArray *journal, GArray *ends)
{
    struct ingest_line l = {.text = text, .n = n, .lineno = 1, .src = &fuzzer};
    ingest_line_parse(st, &l);
    ingest_line_decide(st, &l);
    const uint8_t *body;
    const size_t *end;
    uint32_t ne = ingest_lines_events(st, &body, &end);
    enum ingest_verdict v = l.v;
    FUZZ_CHECK(v == INGEST_ACCEPTED ? ne > 0 : ne == 0, "verdict %d with %u events", (int)v, ne);
    FUZZ_CHECK(v != INGEST_REJECTED || (l.why && l.why[0]), "rejected without a reason");
    for (uint32_t i = 0; i < ne; i++) {
        size_t a = i ? end[i - 1] : 0, off = 0;
        struct proto_event ev;
        char why[256];
        FUZZ_CHECK(!proto_event_decode(body + a, end[i] - a, &off, &ev, why, sizeof why) &&
                       off == end[i] - a,
                   "event %u of a line does not decode: %s", i, why);
        if (journal) {
            g_byte_array_append(journal, body + a, (guint)(end[i] - a));
            size_t e = journal->len;
            g_array_append_val(ends, e);
        }
    }
    ingest_lines_clear_events(st);
    ingest_line_done(&l);
    return v;
}

/* Calls fn on each line of the body the way request.c cuts them: at '\n',
 * a '\r' before it dropped, blank lines skipped. */
static void each_line(const char *body, size_t len,
                      void (*fn)(void *arg, const char *text, size_t n), void *arg)
{
    for (size_t pos = 0; pos < len;) {
        const char *text = body + pos, *nl = memchr(text, '\n', len - pos);
        size_t tn = nl ? (size_t)(nl - text) : len - pos;
        pos += tn + (nl != NULL);
        if (tn && text[tn - 1] == '\r')
            tn--;
        size_t k = 0;
        while (k < tn && (text[k] == ' ' || text[k] == '\t'))
            k++;
        if (k < tn)
            fn(arg, text, tn);
    }
}

struct pass {
    struct ingest_lines *st;
    GByteArray *journal;
    GArray *ends;
    GPtrArray *accepted; /* lines accepted in the first pass: (const char *, size_t) pairs */
    GArray *accepted_len;
};

static void first(void *arg, const char *text, size_t n)
{
    struct pass *p = arg;
    if (decide(p->st, text, n, p->journal, p->ends) == INGEST_ACCEPTED) {
        g_ptr_array_add(p->accepted, (gpointer)text);
        g_array_append_val(p->accepted_len, n);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ingest_service *svc = cchc_service_new();
    struct pass p = {
        .st = ingest_lines_new(svc, units, db),
        .journal = g_byte_array_new(),
        .ends = g_array_new(FALSE, FALSE, sizeof(size_t)),
        .accepted = g_ptr_array_new(),
        .accepted_len = g_array_new(FALSE, FALSE, sizeof(size_t)),
    };
    each_line((const char *)data, size, first, &p);
    ingest_lines_free(p.st);
    cchc_service_free(svc);
    state_abort(db);

    /* Start-up: a new state from the journal; what was accepted is now a duplicate. */
    svc = cchc_service_new();
    struct ingest_lines *st = ingest_lines_new(svc, units, db);
    for (guint i = 0; i < p.ends->len; i++) {
        size_t a = i ? g_array_index(p.ends, size_t, i - 1) : 0, off = 0;
        size_t b = g_array_index(p.ends, size_t, i);
        struct proto_event ev;
        char why[256];
        FUZZ_CHECK(!proto_event_decode(p.journal->data + a, b - a, &off, &ev, why, sizeof why),
                   "journaled event %u: %s", i, why);
        int rc = ingest_lines_replay(st, &ev);
        FUZZ_CHECK(rc == CCHC_OK, "replaying journaled event %u: %s", i, cchc_strerror(rc));
    }
    for (guint i = 0; i < p.accepted->len; i++) {
        const char *text = g_ptr_array_index(p.accepted, i);
        size_t n = g_array_index(p.accepted_len, size_t, i);
        enum ingest_verdict v = decide(st, text, n, NULL, NULL);
        FUZZ_CHECK(v == INGEST_DUPLICATE, "accepted line \"%.*s\" is %s after a restart",
                   (int)(n > 300 ? 300 : n), text, v == INGEST_ACCEPTED ? "accepted" : "rejected");
    }
    ingest_lines_free(st);
    cchc_service_free(svc);
    state_abort(db);
    g_byte_array_free(p.journal, TRUE);
    g_array_free(p.ends, TRUE);
    g_ptr_array_free(p.accepted, TRUE);
    g_array_free(p.accepted_len, TRUE);
    return 0;
}
