/* The cells against the rollup's own expansion (rollup_expand, the
 * reference cchc-reconcile uses): random events at every level of a small
 * tree, over days that cross official months and years, in several
 * flushes. After each flush, what the cells say changed must be exactly
 * the figures the expansion gives, with the running totals of all flushes
 * so far as values; and every resident figure must be that total. No
 * Redis: the cells are "complete" (Redis held nothing), so nothing is
 * loaded. */
#include "cells.h"
#include "base/err.h"
#include "base/period.h"
#include "base/u64map.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* Two provinces; districts with communes and an agency at district level. */
static const char registry[] = "p\tprovince\tgovernment\tTỉnh P\n"
                               "p.d\tdistrict\tgovernment\tHuyện D\n"
                               "p.d.c1\tcommune\tgovernment\tXã 1\n"
                               "p.d.c2\tcommune\tgovernment\tXã 2\n"
                               "p.d.a\tdistrict\tagency\tBộ phận một cửa\n"
                               "p.e\tdistrict\tgovernment\tHuyện E\n"
                               "p.e.c3\tcommune\tgovernment\tXã 3\n"
                               "q\tprovince\tgovernment\tTỉnh Q\n"
                               "q.c4\tcommune\tgovernment\tXã 4\n";
#define NUNITS 9

/* The same tree changing on 2023-01-01 (both views then differ): a commune
 * merged into a new one, an agency abolished into the province, a commune
 * moved under another district. */
static const char dated[] =
    "p\tprovince\tgovernment\tTỉnh P\n"
    "p.d\tdistrict\tgovernment\tHuyện D\n"
    "p.d.c1\tcommune\tgovernment\tXã 1\tto=2022-12-31\tsuccessors=p.d.m\n"
    "p.d.c2\tcommune\tgovernment\tXã 2\tparent=p.e@2023-01-01\n"
    "p.d.a\tdistrict\tagency\tBộ phận một cửa\tto=2022-12-31\tsuccessors=p\n"
    "p.e\tdistrict\tgovernment\tHuyện E\n"
    "p.e.c3\tcommune\tgovernment\tXã 3\n"
    "q\tprovince\tgovernment\tTỉnh Q\n"
    "p.d.m\tcommune\tgovernment\tXã M\tfrom=2023-01-01\n";

static const char *const metrics[] = {"received",          "resolved",    "resolved_on_time",
                                      "proc.1.2.received", "quota.x",     "revenue",
                                      "proc.9.resolved",   "documents_in"};
#define NMETRICS (sizeof metrics / sizeof *metrics)

static uint64_t rng = 0x9e3779b97f4a7c15u;
static uint64_t next_rand(void)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return rng;
}

/* Adds count random events to both rollups. */
static void events(struct rollup *a, struct rollup *b, int count)
{
    int64_t day0 = cchc_day_from_civil(2022, 11, 20);
    for (int i = 0; i < count; i++) {
        struct proto_event pe;
        memset(&pe, 0, sizeof pe);
        int64_t day = day0 + (int64_t)(next_rand() % 70); /* into 2023's year and months */
        pe.at_ms = (day * 86400 + (int64_t)(next_rand() % 86400) - 7 * 3600) * 1000;
        pe.nm = 1 + (uint32_t)(next_rand() % 3);
        for (uint32_t m = 0; m < pe.nm; m++) {
            const char *name = metrics[next_rand() % NMETRICS];
            pe.m[m].name = (struct proto_str){name, (uint32_t)strlen(name)};
            pe.m[m].value = (int64_t)(next_rand() % 2001) - 500; /* levels move both ways */
        }
        int unit = (int)(next_rand() % NUNITS);
        assert_int_equal(rollup_event(a, unit, &pe), CCHC_OK);
        assert_int_equal(rollup_event(b, unit, &pe), CCHC_OK);
    }
}

static void against_expand(const char *text, int64_t today)
{
    struct units *u;
    char why[256];
    if (units_load_text("registry", text, &u, why, sizeof why))
        fail_msg("%s", why);
    struct rollup *oracle = rollup_new(u), *r = rollup_new(u);
    rollup_set_today(oracle, today);
    rollup_set_today(r, today);
    struct cells *c = cells_new(r, SIZE_MAX);
    cells_reset(c, 1);
    struct u64map total; /* fig_key -> running total of the expansions */
    u64map_init(&total);
    for (int flush = 0; flush < 6; flush++) {
        events(oracle, r, flush == 0 ? 1 : 400 * flush);
        const fig_key *want;
        const int64_t *deltas;
        size_t nwant;
        assert_int_equal(rollup_expand(oracle, &want, &deltas, &nwant), CCHC_OK);
        for (size_t i = 0; i < nwant; i++)
            *u64map_slot(&total, want[i], NULL) += deltas[i];

        const fig_key *keys;
        const int64_t *vals;
        size_t n;
        assert_int_equal(cells_apply(c, NULL, &keys, &vals, &n), CCHC_OK);
        if (n != nwant)
            fail_msg("flush %d: %zu figures changed, the expansion gives %zu", flush, n, nwant);
        for (size_t i = 0; i < n; i++) {
            if (keys[i] != want[i])
                fail_msg("flush %d figure %zu: key %llx, want %llx", flush, i,
                         (unsigned long long)keys[i], (unsigned long long)want[i]);
            int64_t t = *u64map_find(&total, keys[i]);
            if (vals[i] != t || cells_get(c, keys[i]) != t)
                fail_msg("flush %d figure %zu: %lld, want %lld", flush, i, (long long)vals[i],
                         (long long)t);
            /* a day holds every figure it has, changed or not */
            if (rollup_period_day(r, FIG_PERIOD(keys[i])) != ROLLUP_DAY_NONE) {
                const fig_key *all;
                size_t m = cells_day_figures(c, FIG_HASH(keys[i]), &all), found = 0;
                for (size_t j = 0; j < m; j++) {
                    assert_true(FIG_HASH(all[j]) == FIG_HASH(keys[i]));
                    assert_non_null(u64map_find(&total, all[j]));
                    found += all[j] == keys[i];
                }
                assert_int_equal(found, 1);
            }
            if (flush == 0) /* new, until written */
                assert_true(cells_is_new(c, FIG_HASH(keys[i])));
        }
        assert_int_equal(cells_figures(c), total.n);
        cells_written(c);
        rollup_clear(oracle);
        rollup_clear(r);
        if (flush == 0)
            for (size_t i = 0; i < n; i++)
                assert_false(cells_is_new(c, FIG_HASH(keys[i])));
    }
    assert_int_equal(cells_loaded(c), 0);
    u64map_free(&total);
    cells_free(c);
    rollup_free(oracle);
    rollup_free(r);
    units_free(u);
}

static void test_against_expand(void **unused)
{
    against_expand(registry, ROLLUP_AS_RECORDED);
}

/* Both views at once: the days as recorded, the periods today. */
static void test_against_expand_today(void **unused)
{
    against_expand(dated, cchc_day_from_civil(2026, 12, 1));
    against_expand(dated, ROLLUP_AS_RECORDED);
}

/* A sum that would leave int64 up the tree or in a cell: refused. */
static void test_overflow(void **unused)
{
    (void)unused;
    struct units *u;
    char why[256];
    assert_int_equal(units_load_text("registry", registry, &u, why, sizeof why), CCHC_OK);
    struct rollup *r = rollup_new(u);
    struct cells *c = cells_new(r, SIZE_MAX);
    cells_reset(c, 1);
    struct proto_event pe;
    memset(&pe, 0, sizeof pe);
    pe.at_ms = (cchc_day_from_civil(2022, 5, 2) * 86400 + 3600) * 1000;
    pe.nm = 1;
    pe.m[0] = (struct proto_metric){{"amount", 6}, INT64_MAX};
    assert_int_equal(rollup_event(r, 2, &pe), CCHC_OK); /* p.d.c1 */
    assert_int_equal(rollup_event(r, 3, &pe),
                     CCHC_OK); /* p.d.c2: the district's sum leaves int64 */
    const fig_key *keys;
    const int64_t *vals;
    size_t n;
    assert_int_equal(cells_apply(c, NULL, &keys, &vals, &n), CCHC_ETOOBIG);
    cells_reset(c, 1);
    rollup_clear(r);
    assert_int_equal(rollup_event(r, 2, &pe), CCHC_OK);
    assert_int_equal(cells_apply(c, NULL, &keys, &vals, &n), CCHC_OK);
    cells_written(c);
    rollup_clear(r);
    pe.m[0].value = 1; /* the same day again: the cell's sum leaves int64 */
    assert_int_equal(rollup_event(r, 2, &pe), CCHC_OK);
    assert_int_equal(cells_apply(c, NULL, &keys, &vals, &n), CCHC_ETOOBIG);
    cells_free(c);
    rollup_free(r);
    units_free(u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_against_expand),
                                       cmocka_unit_test(test_against_expand_today),
                                       cmocka_unit_test(test_overflow)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
