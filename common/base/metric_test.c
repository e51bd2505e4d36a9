/* Metric names (base/metric.h): the syntax, rates, details, procedures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "base/err.h"
#include "base/metric.h"

#include <string.h>

static int ok(const char *p, size_t len)
{
    return metric_name_ok(p, len);
}

static void test_metric_ok(void **unused)
{
    static const char *good[] = {
        "a",   "received", "received.online", "z-9_A.b", "on_time", "x_pc", "xpct",
        "pct", "x_pctx",   "x_PCT",           "a.b.c.d", "a--",     "a__",  "a..",
    };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        if (!ok(good[i], strlen(good[i])))
            fail_msg("metric_name_ok '%s': 0, want 1", good[i]);
    static const char *bad[] = {
        "",   "_pct", "x_pct", "received_pct", "a.b_pct", "A",    "Z",  "1a",  "-a",  ".a",
        "_a", "a b",  "a:b",   "a/b",          "a\tb",    "kiên", "a*", "a,b", "a;b", "{a}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (ok(bad[i], strlen(bad[i])))
            fail_msg("metric_name_ok '%s': 1, want 0", bad[i]);
    /* the length counts, not a NUL */
    assert_true(ok("receivedXX", 8));
    assert_false(ok("x_pctzzz", 5));
    assert_true(ok("x_pctzzz", 4));
    assert_false(ok("a\0b", 3));
    assert_false(ok(NULL, 0));
    /* bounded by METRIC_NAME_MAX */
    char name[METRIC_NAME_MAX + 2];
    memset(name, 'a', sizeof name);
    assert_true(ok(name, METRIC_NAME_MAX));
    assert_false(ok(name, METRIC_NAME_MAX + 1));
}

static void test_rates_and_details(void **unused)
{
    assert_true(metric_is_rate("on_time_pct", 11));
    assert_true(metric_is_rate("district:on_time_pct", 20));
    assert_true(metric_is_rate("_pct", 4));
    assert_false(metric_is_rate("pct", 3));
    assert_false(metric_is_rate("x_pctx", 6));
    assert_false(metric_is_rate("x_pct", 4)); /* the length counts */
    assert_true(metric_is_proc("proc.1.004227.received", 22));
    assert_false(metric_is_proc("received", 8));
    assert_false(metric_is_proc("proc.", 5));
    assert_false(metric_is_proc("procedures.district", 19));
    assert_false(metric_is_proc("proc.1.004227.received", 4)); /* the length counts */
}

static void test_proc_online(void **unused)
{
    char name[METRIC_NAME_MAX + 1];
    assert_int_equal(metric_proc_online(name, sizeof name, "1.004227xx", 8, 4), CCHC_OK);
    assert_string_equal(name, "proc.1.004227.online_l4");
    const char *code;
    size_t len;
    int level;
    assert_int_equal(metric_proc_online_parse(name, &code, &len, &level), CCHC_OK);
    assert_int_equal(len, 8);
    assert_memory_equal(code, "1.004227", 8);
    assert_int_equal(level, 4);
    assert_int_equal(metric_proc_online_parse("proc.x.online_l3", &code, &len, &level), CCHC_OK);
    assert_int_equal(len, 1);
    assert_int_equal(level, 3);
    static const char *not_online[] = {
        "proc.1.004227.online_l5", "proc.1.004227.online_l",
        "proc..online_l3",         "proc.1.004227.received",
        "prox.1.online_l3",        "online_l3",
        "proc.online_l3",          "",
    };
    for (size_t i = 0; i < sizeof not_online / sizeof *not_online; i++)
        if (metric_proc_online_parse(not_online[i], &code, &len, &level) != CCHC_ENOTFOUND)
            fail_msg("'%s' parsed as a procedure's online level", not_online[i]);
    assert_int_equal(metric_proc_online(name, 10, "1.004227", 8, 3), CCHC_ETOOBIG);
    assert_int_equal(metric_proc(name, sizeof name, "2.5xx", 3, "received_online"), CCHC_OK);
    assert_string_equal(name, "proc.2.5.received_online");
    assert_int_equal(metric_proc(name, 14, "2.5", 3, "received"), CCHC_ETOOBIG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_metric_ok),
        cmocka_unit_test(test_rates_and_details),
        cmocka_unit_test(test_proc_online),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
