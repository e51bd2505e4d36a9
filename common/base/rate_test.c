/* The forms' rounding: two decimals, half up, never 0.00 or 100.00 for a share
 * strictly between; empty for a division by zero. Figures of services/DOMAIN.md. */
#include "base/rate.h"
#include "base/err.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static const struct {
    int64_t num, den;
    const char *want;
} cases[] = {
    {42241, 45148, "93.56"},   /* form 3 row 3.2 */
    {106070, 106075, "99.99"}, /* 99.995 would round to 100.00: clamped */
    {5, 106075, "0.01"},       /* 0.0047 would round to 0.00: clamped */
    {35843, 38646, "92.75"},
    {6398, 6502, "98.40"},
    {2907, 45148, "6.44"},
    {680, 5298, "12.84"}, /* 12.835 half up; the source report printed 12.83 */
    {732, 17045, "4.29"},
    {887200, 774300, "114.58"}, /* over 100: not clamped */
    {0, 5, "0.00"},
    {5, 5, "100.00"},
    {1, 8, "12.50"},
    {1, 16, "6.25"},
    {1, 32, "3.13"}, /* 3.125 half up */
    {1, 80000, "0.01"},
    {79999, 80000, "99.99"},
    {1, 3, "33.33"},
    {2, 3, "66.67"},
    {INT64_MAX - 1, INT64_MAX, "99.99"},
    {1, INT64_MAX, "0.01"},
};

static void test_cases(void **unused)
{
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int64_t bp;
        char out[32];
        assert_int_equal(cchc_rate_bp(cases[i].num, cases[i].den, &bp), CCHC_OK);
        cchc_rate_format(bp, '.', out);
        assert_string_equal(out, cases[i].want);
    }
}

static void test_edges(void **unused)
{
    int64_t bp;
    char out[32];
    assert_int_equal(cchc_rate_bp(5, 0, &bp), CCHC_ENOTFOUND);
    assert_int_equal(cchc_rate_bp(-1, 5, &bp), CCHC_EINVAL);
    assert_int_equal(cchc_rate_bp(1, -5, &bp), CCHC_EINVAL);
    assert_int_equal(cchc_rate_bp(9356, 10000, &bp), CCHC_OK);
    cchc_rate_format(bp, ',', out);
    assert_string_equal(out, "93,56");
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_cases), cmocka_unit_test(test_edges)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
