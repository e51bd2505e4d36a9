/* The exposition text: escaping of HELP and label values, a histogram's
 * cumulative buckets, its sum and count. */
#include "http/prom.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

static void test_escaping(void **unused)
{
    GString *out = g_string_new(NULL), *l = g_string_new(NULL);
    prom_family(out, "cchc_x_total", PROM_COUNTER, "a \\ b\nc");
    prom_label(l, "source", "say \"hi\"\\\n");
    prom_label(l, "result", "ok");
    prom_u64(out, "cchc_x_total", l->str, 7);
    prom_f64(out, "cchc_y", NULL, 0.25);
    assert_string_equal(out->str, "# HELP cchc_x_total a \\\\ b\\nc\n"
                                  "# TYPE cchc_x_total counter\n"
                                  "cchc_x_total{source=\"say \\\"hi\\\"\\\\\\n\",result=\"ok\"} 7\n"
                                  "cchc_y 0.25\n");
    g_string_free(out, TRUE);
    g_string_free(l, TRUE);
}

static void test_histogram(void **unused)
{
    static const double bounds[] = {0.001, 0.01, 0.1};
    struct prom_histogram h;
    prom_histogram_init(&h, bounds, 3);
    prom_histogram_observe(&h, 0.0005);
    prom_histogram_observe(&h, 0.001); /* on a bound: in it (le) */
    prom_histogram_observe(&h, 0.05);
    prom_histogram_observe(&h, 2);
    GString *out = g_string_new(NULL);
    prom_histogram_write(out, "cchc_d_seconds", "service=\"s\"", &h);
    assert_string_equal(out->str, "cchc_d_seconds_bucket{service=\"s\",le=\"0.001\"} 2\n"
                                  "cchc_d_seconds_bucket{service=\"s\",le=\"0.01\"} 2\n"
                                  "cchc_d_seconds_bucket{service=\"s\",le=\"0.1\"} 3\n"
                                  "cchc_d_seconds_bucket{service=\"s\",le=\"+Inf\"} 4\n"
                                  "cchc_d_seconds_sum{service=\"s\"} 2.0515\n"
                                  "cchc_d_seconds_count{service=\"s\"} 4\n");
    g_string_free(out, TRUE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_escaping),
                                       cmocka_unit_test(test_histogram)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
