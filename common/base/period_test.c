/* Times, days and the official reporting periods cut on the 14th/15th. */
#include "base/period.h"
#include "base/err.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static int64_t t(const char *s)
{
    int64_t ms;
    assert_int_equal(cchc_time_parse(s, strlen(s), &ms), CCHC_OK);
    return ms;
}

static void test_rfc3339(void **unused)
{
    assert_true(t("1970-01-01T00:00:00Z") == 0);
    assert_true(t("1970-01-01T07:00:00+07:00") == 0);
    assert_true(t("2022-03-01T08:30:00.250+07:00") == t("2022-03-01T01:30:00Z") + 250);
    assert_true(t("2021-12-31T23:59:59-05:00") == t("2022-01-01T04:59:59Z"));
    const char *bad[] = {"2022-03-01",
                         "2022-03-01T08:30:00",
                         "2022-02-29T00:00:00Z",
                         "2022-13-01T00:00:00Z",
                         "2022-03-01T24:00:00Z",
                         "2022-03-01T08:30:00+7",
                         "2022-03-01T08:30:00+07:00x",
                         "2022-03-01 08:30:00Z",
                         "",
                         "2022-03-01T08:30:00.Z"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        int64_t ms;
        assert_int_equal(cchc_time_parse(bad[i], strlen(bad[i]), &ms), CCHC_EINVAL);
    }
}

static void test_local_day(void **unused)
{
    char d[CCHC_DAY_LEN];
    /* 17:00Z on the 14th is already the 15th in Vietnam. */
    cchc_day_format(cchc_day_of_ms(t("2021-12-14T17:00:00Z")), d);
    assert_string_equal(d, "2021-12-15");
    cchc_day_format(cchc_day_of_ms(t("2021-12-14T16:59:59Z")), d);
    assert_string_equal(d, "2021-12-14");
    cchc_day_format(cchc_day_of_ms(t("1969-12-31T16:59:59Z")), d);
    assert_string_equal(d, "1969-12-31");
    int64_t day;
    assert_int_equal(cchc_day_parse("2024-02-29", &day), CCHC_OK);
    cchc_day_format(day, d);
    assert_string_equal(d, "2024-02-29");
    assert_int_equal(cchc_day_parse("2023-02-29", &day), CCHC_EINVAL);
    char out[40];
    cchc_time_format(t("2022-03-01T01:30:05Z"), out, sizeof out);
    assert_string_equal(out, "2022-03-01T08:30:05+07:00");
}

static void periods(const char *day, const char *m, const char *q, const char *h, const char *y)
{
    int64_t d;
    struct cchc_periods p;
    assert_int_equal(cchc_day_parse(day, &d), CCHC_OK);
    cchc_periods_of_day(d, &p);
    assert_string_equal(p.month, m);
    assert_string_equal(p.quarter, q);
    assert_string_equal(p.half, h);
    assert_string_equal(p.year, y);
}

static void test_official_periods(void **unused)
{
    periods("2021-12-14", "2021-12", "2021-Q4", "2021-H2", "2021");
    periods("2021-12-15", "2022-01", "2022-Q1", "2022-H1", "2022");
    periods("2022-03-14", "2022-03", "2022-Q1", "2022-H1", "2022");
    periods("2022-03-15", "2022-04", "2022-Q2", "2022-H1", "2022");
    periods("2022-06-14", "2022-06", "2022-Q2", "2022-H1", "2022");
    periods("2022-06-15", "2022-07", "2022-Q3", "2022-H2", "2022");
    periods("2022-11-30", "2022-12", "2022-Q4", "2022-H2", "2022");
    periods("2022-12-14", "2022-12", "2022-Q4", "2022-H2", "2022");
}

static void range(const char *name, const char *first, const char *last)
{
    int64_t a, b;
    char d[CCHC_DAY_LEN];
    assert_int_equal(cchc_period_range(name, &a, &b), CCHC_OK);
    cchc_day_format(a, d);
    assert_string_equal(d, first);
    cchc_day_format(b, d);
    assert_string_equal(d, last);
}

static void test_period_ranges(void **unused)
{
    range("2022", "2021-12-15", "2022-12-14");
    range("2022-Q1", "2021-12-15", "2022-03-14");
    range("2022-Q4", "2022-09-15", "2022-12-14");
    range("2022-H1", "2021-12-15", "2022-06-14");
    range("2022-H2", "2022-06-15", "2022-12-14");
    range("2022-05", "2022-04-15", "2022-05-14");
    range("2022-01", "2021-12-15", "2022-01-14");
    int64_t a, b;
    const char *bad[] = {"22", "2022-Q5", "2022-H3", "2022-13", "2022-00", "2022-5", "x"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(cchc_period_range(bad[i], &a, &b), CCHC_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc3339),
        cmocka_unit_test(test_local_day),
        cmocka_unit_test(test_official_periods),
        cmocka_unit_test(test_period_ranges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
