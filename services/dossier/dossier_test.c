/* The dossier service's records through the deciding half (ingest/lines.h),
 * on a state rebuilt from a journal written before sources existed: such a
 * dossier is everyone's, but only for the unit it was received at. A source
 * that may post for another unit cannot decide its outcome. */
#include "base/err.h"
#include "ingest/lines.h"
#include "ingest/sources.h"
#include "ingest/state_tmp.h"
#include "service.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

static const char registry[] = "# id\tlevel\tkind\tname\n"
                               "kg\tprovince\tgovernment\tKG\n"
                               "kg.a\tcommune\tgovernment\tA\n"
                               "kg.b\tcommune\tgovernment\tB\n";

#define AT_MS 1651453200000LL /* 2022-05-02T08:00:00+07:00 */

static struct source at_a = {
    .name = "sys-a", .posts = "*", .units_text = "*", .types = ~0u, .nroots = -1};
static struct source at_b = {
    .name = "sys-b", .posts = "*", .units_text = "*", .types = ~0u, .nroots = -1};

/* The type of the last event the decided line queued. */
static void last_type(struct ingest_lines *st, char *out, size_t cap)
{
    const uint8_t *body;
    const size_t *ends;
    uint32_t n = ingest_lines_events(st, &body, &ends);
    assert_true(n > 0);
    size_t a = n > 1 ? ends[n - 2] : 0, off = 0;
    struct proto_event ev;
    char why[128];
    assert_int_equal(proto_event_decode(body + a, ends[n - 1] - a, &off, &ev, why, sizeof why),
                     CCHC_OK);
    snprintf(out, cap, "%.*s@%.*s", (int)ev.type.len, ev.type.p, (int)ev.unit.len, ev.unit.p);
}

static void decide_as(struct ingest_lines *st, const struct source *src, const char *text,
                      enum ingest_verdict want, const char *event)
{
    struct ingest_line l = {.text = text, .n = strlen(text), .lineno = 1, .src = src};
    ingest_line_parse(st, &l);
    ingest_line_decide(st, &l);
    if (l.v != want)
        fail_msg("%s: verdict %d, want %d (%s)", text, l.v, want, l.why ? l.why : "");
    if (event) {
        char got[128];
        last_type(st, got, sizeof got);
        assert_string_equal(got, event);
    }
    ingest_line_done(&l);
    ingest_lines_clear_events(st);
}

#define RESOLVED(ID, UNIT)                                                                         \
    "{\"id\":\"" ID "\",\"type\":\"resolved\",\"unit\":\"" UNIT "\","                              \
    "\"at\":\"2022-05-03T09:00:00+07:00\",\"dossier\":\"D1\",\"return_channel\":\"direct\"}"

static void test_legacy_dossier(void **unused)
{
    char why[256];
    struct units *units;
    assert_int_equal(units_load_text("t", registry, &units, why, sizeof why), CCHC_OK);
    struct ingest_service *svc = cchc_service_new();
    char *dir = NULL;
    struct state_db *db = state_tmp_open(&dir);
    struct ingest_lines *st = ingest_lines_new(svc, units, db);
    /* Journaled before sources: received at kg.a, no "src". */
    struct proto_event ev = {.type = proto_cstr("dossier.received"),
                             .id = proto_cstr("old-1"),
                             .unit = proto_cstr("kg.a"),
                             .at_ms = AT_MS,
                             .dossier = proto_cstr("D1"),
                             .procedure = proto_cstr("p"),
                             .field = proto_cstr("f"),
                             .cat = proto_cstr("direct"),
                             .due_ms = AT_MS + 4 * 86400000LL,
                             .has = PROTO_HAS_DUE};
    assert_int_equal(ingest_lines_replay(st, &ev), CCHC_OK);
    assert_int_equal(svc->replay(svc->state, units, db, &ev), CCHC_OK);
    /* A system speaking for kg.b: its own dossier D1, held for a receipt
     * at kg.b; the legacy one at kg.a is untouched. */
    decide_as(st, &at_b, RESOLVED("b-1", "kg.b"), INGEST_ACCEPTED, "dossier.held@kg.b");
    /* A system at kg.a takes up the legacy dossier: resolved, at kg.a. */
    decide_as(st, &at_a, RESOLVED("a-1", "kg.a"), INGEST_ACCEPTED, "dossier.resolved@kg.a");
    /* And it is resolved once. */
    decide_as(st, &at_a, RESOLVED("a-2", "kg.a"), INGEST_REJECTED, NULL);
    ingest_lines_free(st);
    state_tmp_remove(db, dir);
    cchc_service_free(svc);
    units_free(units);
}

#define RECEIVED(ID, UNIT)                                                                         \
    "{\"id\":\"" ID "\",\"type\":\"received\",\"unit\":\"" UNIT "\","                              \
    "\"at\":\"2022-05-02T08:00:00+07:00\",\"dossier\":\"D1\",\"procedure\":\"p\","                 \
    "\"field\":\"f\",\"channel\":\"direct\",\"due\":\"2022-05-06T17:00:00+07:00\"}"

/* A receipt whose held resolution cannot be taken (it would pass the sums'
 * bound) is refused whole, and the dossier is as it was: sent again within
 * the bound, it is received and resolved. Before, the refused receipt had
 * marked the dossier received and resolved, so the held resolution was
 * never counted. */
static void test_refused_resolution(void **unused)
{
    char why[256];
    struct units *units;
    assert_int_equal(units_load_text("t", registry, &units, why, sizeof why), CCHC_OK);
    struct ingest_service *svc = cchc_service_new();
    char *dir = NULL;
    struct state_db *db = state_tmp_open(&dir);
    struct ingest_lines *st = ingest_lines_new(svc, units, db);
    decide_as(st, &at_a, RESOLVED("r-1", "kg.a"), INGEST_ACCEPTED, "dossier.held@kg.a");
    /* The receipt's 3 counter changes fit, its resolution's 3 more do not. */
    ingest_lines_set_sums_max(st, 5, 100);
    decide_as(st, &at_a, RECEIVED("v-1", "kg.a"), INGEST_REJECTED, NULL);
    ingest_lines_set_sums_max(st, 100, 100);
    decide_as(st, &at_a, RECEIVED("v-1", "kg.a"), INGEST_ACCEPTED, "dossier.resolved@kg.a");
    ingest_lines_free(st);
    state_tmp_remove(db, dir);
    cchc_service_free(svc);
    units_free(units);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_legacy_dossier),
                                       cmocka_unit_test(test_refused_resolution)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
