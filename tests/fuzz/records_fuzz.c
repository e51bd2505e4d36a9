/* fuzz_records_<service>: any bytes as the body of a POST /v1/records to
 * one service, built from that service's own record handlers
 * (services/service.h: the library it is linked with), with the registry of
 * ops/units/rachgia.tsv; fuzz_dvcqg (FUZZ_DVCQG): the same as the body of a
 * POST /v1/dvcqg to cchc-dossier, DVCQG records found by the codes of
 * ops/units/angiang-2025.tsv. Lines (or records) are cut as request.c cuts
 * them (ingest/feed.h), then parsed and decided (ingest/lines.h). Checked: an accepted line queues
 * events and every one of them decodes; a duplicate or a rejected one queues none; once the
 * accepted events are replayed into a new state (as at start-up from the journal), every line
 * accepted before is a duplicate. */
#include "base/err.h"
#include "fuzz.h"
#include "ingest/feed.h"
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
#ifdef FUZZ_DVCQG
    const char *registry = CCHC_SOURCE_DIR "/ops/units/angiang-2025.tsv";
#else
    const char *registry = CCHC_SOURCE_DIR "/ops/units/rachgia.tsv";
#endif
    if (units_load(registry, &units, why, sizeof why)) {
        fprintf(stderr, "%s\n", why);
        abort();
    }
    db = state_tmp_open(&db_dir);
    atexit(remove_db);
    return 0;
}

/* One line as the feed gave it, decided; its events appended to journal
 * (as the journal would keep them). Returns the verdict. */
static enum ingest_verdict decide(struct ingest_lines *st, struct ingest_line l,
                                  GByteArray *journal, GArray *ends)
{
    if (!l.why)
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ingest_service *svc = cchc_service_new();
    struct ingest_lines *st = ingest_lines_new(svc, units, db);
    GByteArray *journal = g_byte_array_new();
    GArray *ends = g_array_new(FALSE, FALSE, sizeof(size_t));
    GArray *accepted = g_array_new(FALSE, FALSE, sizeof(struct ingest_line));
#ifdef FUZZ_DVCQG
    int dvcqg = 1;
#else
    int dvcqg = 0;
#endif
    struct feed feed;
    feed_open(&feed, dvcqg, (const char *)data, size, 1);
    struct ingest_line l;
    while (feed_next(&feed, &fuzzer, &l)) {
        struct ingest_line copy = l;
        if (decide(st, l, journal, ends) == INGEST_ACCEPTED)
            g_array_append_val(accepted, copy);
    }
    ingest_lines_free(st);
    cchc_service_free(svc);
    state_abort(db);

    /* Start-up: a new state from the journal; what was accepted is now a duplicate. */
    svc = cchc_service_new();
    st = ingest_lines_new(svc, units, db);
    for (guint i = 0; i < ends->len; i++) {
        size_t a = i ? g_array_index(ends, size_t, i - 1) : 0, off = 0;
        size_t b = g_array_index(ends, size_t, i);
        struct proto_event ev;
        char why[256];
        FUZZ_CHECK(!proto_event_decode(journal->data + a, b - a, &off, &ev, why, sizeof why),
                   "journaled event %u: %s", i, why);
        int rc = ingest_lines_replay(st, &ev);
        FUZZ_CHECK(rc == CCHC_OK, "replaying journaled event %u: %s", i, cchc_strerror(rc));
    }
    for (guint i = 0; i < accepted->len; i++) {
        struct ingest_line a = g_array_index(accepted, struct ingest_line, i);
        enum ingest_verdict v = decide(st, a, NULL, NULL);
        FUZZ_CHECK(v == INGEST_DUPLICATE, "accepted line \"%.*s\" is %s after a restart",
                   (int)(a.n > 300 ? 300 : a.n), a.text,
                   v == INGEST_ACCEPTED ? "accepted" : "rejected");
    }
    ingest_lines_free(st);
    cchc_service_free(svc);
    state_abort(db);
    feed_free(&feed);
    g_byte_array_free(journal, TRUE);
    g_array_free(ends, TRUE);
    g_array_free(accepted, TRUE);
    return 0;
}
