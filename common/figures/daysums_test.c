/* Sums by (unit, day): groups found again by (unit, day), figures found
 * again in their group past a chunk's six, walked in the order they came,
 * by depth, and all forgotten by a clear. */
#include "figures/daysums.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

static void test_groups(void **unused)
{
    (void)unused;
    struct daysums *d = daysums_new();
    for (int round = 0; round < 2; round++) {
        uint32_t a = daysums_group(d, 7, 19000, 2), b = daysums_group(d, 7, 19001, 2);
        uint32_t c = daysums_group(d, 3, 19000, 1), neg = daysums_group(d, 7, -5, 2);
        assert_int_equal(daysums_group(d, 7, 19000, 2), a);
        assert_true(a != b && a != c && b != c && neg != a);
        assert_int_equal(daysums_group_unit(d, c), 3);
        assert_true(daysums_group_day(d, neg) == -5);
        assert_int_equal(daysums_groups(d), 4);
        /* 20 figures in one group: several chunks */
        for (uint32_t f = 0; f < 20; f++)
            *daysums_slot(d, a, DAYSUMS_FIG(f % 4, f)) += f + 1;
        for (uint32_t f = 0; f < 20; f++)
            *daysums_slot(d, a, DAYSUMS_FIG(f % 4, f)) += 100;
        *daysums_slot(d, b, DAYSUMS_FIG(1, 3)) = -9;
        assert_null(daysums_find(d, c, DAYSUMS_FIG(1, 3)));
        assert_int_equal(daysums_entries(d), 21);
        uint32_t it = 0, fig, n = 0;
        int64_t v;
        while (daysums_next(d, a, &it, &fig, &v)) {
            assert_int_equal(fig, DAYSUMS_FIG(n % 4, n));
            assert_int_equal(DAYSUMS_LEVEL(fig), n % 4);
            assert_int_equal(DAYSUMS_METRIC(fig), n);
            assert_true(v == n + 101);
            n++;
        }
        assert_int_equal(n, 20);
        it = 0;
        assert_true(daysums_next(d, b, &it, &fig, &v) && v == -9);
        assert_false(daysums_next(d, b, &it, &fig, &v));
        it = 0;
        assert_false(daysums_next(d, c, &it, &fig, &v)); /* empty */
        const uint32_t *g;
        assert_int_equal(daysums_at_depth(d, 2, &g), 3);
        assert_true(g[0] == a && g[1] == b && g[2] == neg);
        assert_int_equal(daysums_at_depth(d, 1, &g), 1);
        assert_int_equal(daysums_at_depth(d, 0, &g), 0);
        daysums_clear(d); /* and the same again from nothing */
        assert_int_equal(daysums_groups(d), 0);
        assert_int_equal(daysums_entries(d), 0);
    }
    daysums_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_groups)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
