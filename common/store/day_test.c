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
        const char *s, *why, *pair;
        size_t len; /* 0: strlen(s) */
    } bad[] = {
        {"received", "a pair without a figure before its '='", "received", 0},
        {"=3", "a pair without a figure before its '='", "=3", 0},
        {"received=", "a value that is not a 64-bit integer", "received=", 0},
        {"received=3x", "a value that is not a 64-bit integer", "received=3x", 0},
        {"received=+3", "a value that is not a 64-bit integer", "received=+3", 0},
        {"received=03", "a value that is not a 64-bit integer", "received=03", 0},
        {"received=-0", "a value that is not a 64-bit integer", "received=-0", 0},
        {"received=-", "a value that is not a 64-bit integer", "received=-", 0},
        {"received= 3", "a value that is not a 64-bit integer", "received=", 0},
        {"a=1 received=9223372036854775808", "a value that is not a 64-bit integer",
         "received=9223372036854775808", 0},
        {"received=-9223372036854775809", "a value that is not a 64-bit integer",
         "received=-9223372036854775809", 0},
        {"received=3\0xyz", "a value that is not a 64-bit integer", "received=3\0xyz", 14},
        {"rec\0ived=3", "a figure with a byte no figure has", "rec\0ived=3", 11},
        {"rec#ived=3", "a figure with a byte no figure has", "rec#ived=3", 0},
        {"received=1  resolved=2", "a pair without a figure before its '='", "", 0},
        {"resolved=1 received=2", "figures out of ascending order (or repeated)", "received=2", 0},
        {"received=1 received=2", "figures out of ascending order (or repeated)", "received=2", 0},
        {"received=1 received_online=2 received=3", "figures out of ascending order (or repeated)",
         "received=3", 0},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t len = bad[i].len ? bad[i].len : strlen(bad[i].s);
        struct day_reader r = {.s = bad[i].s, .len = len};
        const char *f, *why = NULL;
        size_t n;
        int64_t v;
        int rc;
        while ((rc = day_next(&r, &f, &n, &v, &why)) == CCHC_OK)
            ;
        assert_int_equal(rc, CCHC_ECORRUPT);
        assert_string_equal(why, bad[i].why);
        size_t plen = bad[i].len ? bad[i].len - (size_t)(r.bad - bad[i].s) : strlen(bad[i].pair);
        if (r.bad_len != plen || memcmp(r.bad, bad[i].pair, plen) != 0)
            fail_msg("'%s': the pair refused is '%.*s', want '%s'", bad[i].s, (int)r.bad_len, r.bad,
                     bad[i].pair);
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
