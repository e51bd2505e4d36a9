/* Retention folds what it drops into sums per (unit, day, metric), in runs
 * that follow each other, each closed by its mark; the journal plus the
 * checkpoint hold exactly the sums of every event. A run a crash left
 * without its mark is cut at open; an older cchc's checkpoint (events kept
 * whole) becomes one run; damage, a gap between runs, or a journal that
 * starts past the checkpoint is refused. */
#include "bus/retention.h"

#include "base/err.h"
#include "base/period.h"
#include "proto/event.h"

#include <glib.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

static char dir[] = "/tmp/cchc-retention-XXXXXX";
static char jpath[256];

/* "UNIT DAY METRIC" -> sum, for what the events add and what a checkpoint holds. */
static void add_sums(GHashTable *t, const struct proto_event *ev)
{
    for (uint32_t i = 0; i < ev->nm; i++) {
        char *k =
            g_strdup_printf("%.*s %" PRId64 " %.*s", (int)ev->unit.len, ev->unit.p,
                            cchc_day_of_ms(ev->at_ms), (int)ev->m[i].name.len, ev->m[i].name.p);
        gint64 *v = g_hash_table_lookup(t, k);
        if (!v) {
            v = g_new0(gint64, 1);
            g_hash_table_insert(t, g_strdup(k), v);
        }
        *v += ev->m[i].value;
        g_free(k);
    }
}

static GHashTable *sums_new(void)
{
    return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

static void assert_sums_equal(GHashTable *a, GHashTable *b)
{
    assert_int_equal(g_hash_table_size(a), g_hash_table_size(b));
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, a);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        gint64 *w = g_hash_table_lookup(b, k);
        if (!w)
            fail_msg("%s missing", (char *)k);
        if (*w != *(gint64 *)v)
            fail_msg("%s: %" PRId64 " != %" PRId64, (char *)k, (int64_t)*w,
                     (int64_t) * (gint64 *)v);
    }
}

static int on_sum(void *arg, uint64_t seq, const uint8_t *buf, size_t len)
{
    struct proto_event ev;
    size_t off = 0;
    char why[128];
    uint64_t from, to;
    assert_int_equal(proto_event_decode(buf, len, &off, &ev, why, sizeof why), CCHC_OK);
    if (proto_event_is_mark(&ev, &from, &to))
        return CCHC_OK;
    assert_true(proto_str_is(ev.type, PROTO_TYPE_SUM));
    assert_true(ev.nm >= 1 && ev.nm <= PROTO_METRICS_MAX);
    add_sums(arg, &ev);
    return CCHC_OK;
}

/* Event i: unit a or b, one of three days, 1 + i % 20 metrics (up to 20 at
 * one unit and day: more than one sum event holds). */
static void append_events(struct journal *j, int from, int to, GHashTable *want)
{
    uint8_t *buf = NULL;
    size_t cap = 0;
    char names[20][16], id[32];
    for (int k = 0; k < 20; k++)
        snprintf(names[k], sizeof names[k], "metric%02d", k);
    for (int i = from; i < to; i++) {
        snprintf(id, sizeof id, "r-%d", i);
        struct proto_event ev = {.type = proto_cstr("dossier.received"),
                                 .id = proto_cstr(id),
                                 .unit = proto_cstr(i % 2 ? "unit.a" : "unit.b"),
                                 .at_ms = 1650000000000 + (int64_t)(i % 3) * 86400000};
        uint32_t n = 1 + (uint32_t)(i % 20);
        for (uint32_t k = 0; k < n && k < PROTO_METRICS_MAX; k++)
            ev.m[ev.nm++] = (struct proto_metric){proto_cstr(names[(k + (uint32_t)i) % 20]),
                                                  (int64_t)i * 1000 - 7 + k};
        size_t len = 0;
        assert_int_equal(proto_event_encode(&ev, &buf, &len, &cap), CCHC_OK);
        assert_int_equal(journal_append(j, buf, len), CCHC_OK);
        if (want)
            add_sums(want, &ev);
    }
    assert_int_equal(journal_sync(j), CCHC_OK);
    g_free(buf);
}

static void ckpt_path(struct journal *j, char *out, size_t cap)
{
    retention_path(jpath, journal_epoch(j), out, cap);
}

static void test_runs_hold_every_sum(void **unused)
{
    struct journal *j;
    struct retention *r;
    char why[512], cp[4200];
    assert_int_equal(journal_open(jpath, NULL, NULL, &j, why, sizeof why), CCHC_OK);
    GHashTable *want = sums_new();
    append_events(j, 0, 60, want);
    assert_int_equal(retention_open(j, jpath, 1, &r, why, sizeof why), CCHC_OK);
    assert_int_equal(retention_folded(r), 0);
    assert_int_equal(retention_run_to(r, j, 40, "test"), CCHC_OK);
    assert_int_equal(journal_base(j), 40);
    assert_int_equal(retention_folded(r), 40);
    /* The checkpoint plus the journal's rest: every event's sums. */
    append_events(j, 60, 70, want);
    assert_int_equal(retention_run_to(r, j, 70, "test"), CCHC_OK);
    assert_int_equal(retention_folded(r), 70);
    ckpt_path(j, cp, sizeof cp);
    GHashTable *got = sums_new();
    uint64_t folded;
    assert_int_equal(retention_scan(cp, on_sum, got, &folded, why, sizeof why), CCHC_OK);
    assert_int_equal(folded, 70);
    assert_sums_equal(want, got);
    /* Reopened, it stands where it did. */
    retention_close(r);
    assert_int_equal(retention_open(j, jpath, 1, &r, why, sizeof why), CCHC_OK);
    assert_int_equal(retention_folded(r), 70);
    /* Never past what it is given, nor when it would free too little. */
    append_events(j, 70, 100, NULL);
    assert_int_equal(retention_run_to(r, j, 75, "test"), CCHC_OK);
    assert_int_equal(journal_base(j), 70);
    retention_close(r);
    journal_close(j);
    g_hash_table_destroy(want);
    g_hash_table_destroy(got);
}

static void append_raw(const char *path, const struct proto_event *ev)
{
    struct journal *c;
    char why[256];
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    assert_int_equal(journal_open(path, NULL, NULL, &c, why, sizeof why), CCHC_OK);
    assert_int_equal(proto_event_encode(ev, &buf, &len, &cap), CCHC_OK);
    assert_int_equal(journal_append(c, buf, len), CCHC_OK);
    assert_int_equal(journal_sync(c), CCHC_OK);
    journal_close(c);
    g_free(buf);
}

static void test_run_without_mark_cut(void **unused)
{
    struct journal *j;
    struct retention *r;
    char why[512], cp[4200];
    assert_int_equal(journal_open(jpath, NULL, NULL, &j, why, sizeof why), CCHC_OK);
    GHashTable *want = sums_new();
    append_events(j, 0, 30, want);
    assert_int_equal(retention_open(j, jpath, 1, &r, why, sizeof why), CCHC_OK);
    assert_int_equal(retention_run_to(r, j, 30, "test"), CCHC_OK);
    retention_close(r);
    /* A crash between a run's sums and its mark. */
    ckpt_path(j, cp, sizeof cp);
    struct proto_event torn = {.type = proto_cstr(PROTO_TYPE_SUM),
                               .id = proto_cstr("sum-30-0"),
                               .unit = proto_cstr("unit.a"),
                               .at_ms = 1650000000000,
                               .n2 = 30,
                               .has = PROTO_HAS_N2,
                               .nm = 1,
                               .m = {{proto_cstr("metric00"), 5}}};
    append_raw(cp, &torn);
    GHashTable *got = sums_new();
    uint64_t folded;
    assert_int_equal(retention_scan(cp, on_sum, got, &folded, why, sizeof why), CCHC_OK);
    assert_sums_equal(want, got); /* a reader leaves it out */
    assert_int_equal(retention_open(j, jpath, 1, &r, why, sizeof why), CCHC_OK);
    assert_int_equal(retention_folded(r), 30);
    assert_int_equal(journal_next_seq(retention_checkpoint(r)),
                     journal_durable(retention_checkpoint(r)));
    /* The next run follows the last mark, not the cut sum. */
    append_events(j, 30, 40, want);
    assert_int_equal(retention_run_to(r, j, 40, "test"), CCHC_OK);
    g_hash_table_remove_all(got);
    assert_int_equal(retention_scan(cp, on_sum, got, &folded, why, sizeof why), CCHC_OK);
    assert_int_equal(folded, 40);
    assert_sums_equal(want, got);
    retention_close(r);
    journal_close(j);
    g_hash_table_destroy(want);
    g_hash_table_destroy(got);
}

static void test_refused(void **unused)
{
    struct journal *j;
    struct retention *r;
    char why[512], cp[4200];
    assert_int_equal(journal_open(jpath, NULL, NULL, &j, why, sizeof why), CCHC_OK);
    append_events(j, 0, 10, NULL);
    ckpt_path(j, cp, sizeof cp);
    /* A checkpoint of an older cchc, events kept whole: folded into one run. */
    struct proto_event whole = {.type = proto_cstr("dossier.received"),
                                .id = proto_cstr("r-0"),
                                .unit = proto_cstr("unit.a"),
                                .at_ms = 1650000000000,
                                .nm = 2,
                                .m = {{proto_cstr("received"), 1}, {proto_cstr("online"), 1}}};
    GHashTable *want = sums_new(), *got = sums_new();
    for (int i = 0; i < 3; i++) {
        append_raw(cp, &whole);
        add_sums(want, &whole);
    }
    assert_int_equal(retention_open(j, jpath, 1, &r, why, sizeof why), CCHC_OK);
    assert_int_equal(retention_folded(r), 3);
    retention_close(r);
    uint64_t folded;
    assert_int_equal(retention_scan(cp, on_sum, got, &folded, why, sizeof why), CCHC_OK);
    assert_int_equal(folded, 3);
    assert_sums_equal(want, got);
    g_hash_table_destroy(want);
    g_hash_table_destroy(got);
    /* Kept whole after a sum: not an older checkpoint but a damaged one. */
    append_raw(cp, &whole);
    assert_int_equal(retention_open(j, jpath, 1, &r, why, sizeof why), CCHC_ECORRUPT);
    assert_non_null(strstr(why, "not a sum"));
    /* A run that does not start where the one before ends. */
    unlink(cp);
    struct proto_event mark = {.type = proto_cstr(PROTO_TYPE_CHECKPOINT),
                               .id = proto_cstr("checkpoint-9"),
                               .unit = proto_cstr("*"),
                               .at_ms = 1,
                               .n = 9,
                               .n2 = 3,
                               .has = PROTO_HAS_N | PROTO_HAS_N2};
    append_raw(cp, &mark);
    assert_int_equal(retention_open(j, jpath, 1, &r, why, sizeof why), CCHC_ECORRUPT);
    assert_non_null(strstr(why, "from journal position 3 after one up to 0"));
    /* A journal compacted past what its checkpoint covers (the checkpoint lost). */
    unlink(cp);
    assert_int_equal(journal_compact(j, 5, why, sizeof why), CCHC_OK);
    assert_int_equal(retention_open(j, jpath, 1, &r, why, sizeof why), CCHC_ECORRUPT);
    assert_non_null(strstr(why, "covers only 0 events"));
    journal_close(j);
}

static int setup(void **unused)
{
    if (!mkdtemp(dir))
        return -1;
    snprintf(jpath, sizeof jpath, "%s/events.journal", dir);
    return 0;
}

static int clean(void **unused)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -f %s/*", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static int teardown(void **unused)
{
    clean(NULL);
    return rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_runs_hold_every_sum, clean),
        cmocka_unit_test_teardown(test_run_without_mark_cut, clean),
        cmocka_unit_test_teardown(test_refused, clean),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
