/* The packed day of services/aggregator/REDIS.md: what the writer packs the
 * reader gives back, and anything else is refused with its reason. */
#include "store/day.h"
#include "base/err.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static void test_round_trip(void **unused)
{
    (void)unused;
    GString *s = g_string_new("");
    day_pack_add(s, "commune:received", 16, 3);
    day_pack_add(s, "level.x", 7, -9223372036854775807LL - 1);
    day_pack_add(s, "received", 8, 0);
    day_pack_add(s, "revenue", 7, 9223372036854775807LL);
    assert_string_equal(s->str, "commune:received=3 level.x=-9223372036854775808 received=0 "
                                "revenue=9223372036854775807");
    struct day_reader r = {.s = s->str, .len = s->len};
    const char *f, *why;
    size_t n;
    int64_t v;
    const char *want_f[] = {"commune:received", "level.x", "received", "revenue"};
    const int64_t want_v[] = {3, INT64_MIN, 0, INT64_MAX};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(day_next(&r, &f, &n, &v, &why), CCHC_OK);
        assert_int_equal(n, strlen(want_f[i]));
        assert_memory_equal(f, want_f[i], n);
        assert_true(v == want_v[i]);
    }
    assert_int_equal(day_next(&r, &f, &n, &v, &why), CCHC_ENOTFOUND);
    g_string_free(s, TRUE);
    struct day_reader empty = {.s = "", .len = 0};
    assert_int_equal(day_next(&empty, &f, &n, &v, &why), CCHC_ENOTFOUND);
}

static void test_refused(void **unused)
{
    (void)unused;
    static const struct {
        const char *s, *why;
    } bad[] = {
        {"received", "a pair without a figure before its '='"},
        {"=3", "a pair without a figure before its '='"},
        {"received=", "a value that is not a 64-bit integer"},
        {"received=3x", "a value that is not a 64-bit integer"},
        {"received=+3", "a value that is not a 64-bit integer"},
        {"received= 3", "a value that is not a 64-bit integer"},
        {"received=9223372036854775808", "a value that is not a 64-bit integer"},
        {"received=1  resolved=2", "a pair without a figure before its '='"},
        {"resolved=1 received=2", "figures out of ascending order (or repeated)"},
        {"received=1 received=2", "figures out of ascending order (or repeated)"},
        {"received=1 received_online=2 received=3", "figures out of ascending order (or repeated)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct day_reader r = {.s = bad[i].s, .len = strlen(bad[i].s)};
        const char *f, *why = NULL;
        size_t n;
        int64_t v;
        int rc;
        while ((rc = day_next(&r, &f, &n, &v, &why)) == CCHC_OK)
            ;
        assert_int_equal(rc, CCHC_ECORRUPT);
        assert_string_equal(why, bad[i].why);
        /* and it stays failed */
        assert_int_equal(day_next(&r, &f, &n, &v, &why), CCHC_ECORRUPT);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_round_trip),
                                       cmocka_unit_test(test_refused)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
