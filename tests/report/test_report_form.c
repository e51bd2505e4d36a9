/* Form 3 computed from figures made in memory (no Redis): every row's value,
 * the JSON line byte for byte, the text table's alignment, and the checks
 * that catch a mistake in a form's table. */
#include "err.h"
#include "forms.h"
#include "period.h"
#include "render.h"
#include "sums.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* The 2022 figures of the city of Rạch Giá (DOMAIN.md), split into what the
 * aggregator would hold for the window and for the days before it. */
static const struct {
    enum report_span span;
    const char *field;
    int64_t v;
} rachgia[] = {
    /* District level: received 45,750 = carried over 404 + online 732 + new 44,614. */
    {REPORT_BEFORE, "district:received", 1000},
    {REPORT_BEFORE, "district:resolved", 596},   /* 1000 - 596 = 404 carried over */
    {REPORT_WINDOW, "district:received", 45346}, /* 732 + 39,316 + 5,298 */
    {REPORT_WINDOW, "district:received_online", 732},
    {REPORT_WINDOW, "district:received_direct", 39316},
    {REPORT_WINDOW, "district:received_postal", 5298},
    {REPORT_WINDOW, "district:resolved", 45148},
    {REPORT_WINDOW, "district:resolved_early", 40000},
    {REPORT_WINDOW, "district:resolved_on_time", 2241}, /* 42,241 on time: 93.56 % */
    {REPORT_WINDOW, "district:resolved_late", 2907},    /* 6.44 % */
    {REPORT_WINDOW, "district:returned_postal", 680},
    /* Commune level: 106,143 = 27 + 23 + 106,093; late 5 = 0.01 %; pending 68. */
    {REPORT_BEFORE, "commune:received", 127},
    {REPORT_BEFORE, "commune:resolved", 100},
    {REPORT_WINDOW, "commune:received", 106116},
    {REPORT_WINDOW, "commune:received_online", 23},
    {REPORT_WINDOW, "commune:received_direct", 106093},
    {REPORT_WINDOW, "commune:resolved", 106075},
    {REPORT_WINDOW, "commune:resolved_early", 106000},
    {REPORT_WINDOW, "commune:resolved_on_time", 70},
    {REPORT_WINDOW, "commune:resolved_late", 5},
    {REPORT_WINDOW, "feedback_received", 5},
    {REPORT_WINDOW, "feedback_resolved", 5},
    /* Fields the form does not use must not disturb it. */
    {REPORT_WINDOW, "received", 151462},
    {REPORT_WINDOW, "survey", 180},
};

static const char want_json[] =
    "{\"form\":3,\"unit\":\"kg.rachgia\",\"from\":\"2021-12-15\",\"to\":\"2022-11-30\",\"rows\":{"
    "\"1.1\":null,\"1.2\":null,\"1.3\":null,\"1.4\":null,\"1.4.1\":null,\"1.4.2\":null,"
    "\"1.4.3\":null,\"2.1\":null,\"2.2\":null,\"2.3\":null,"
    "\"3.1\":null,\"3.1.1\":null,\"3.1.2\":null,"
    "\"3.2\":93.56,\"3.2.1\":45148,\"3.2.2\":42241,"
    "\"3.3\":99.99,\"3.3.1\":106075,\"3.3.2\":106070,"
    "\"3.4\":100.00,\"3.4.1\":5,\"3.4.2\":5,"
    "\"3.2.received\":45750,\"3.2.carried_over\":404,\"3.2.new\":45346,\"3.2.online\":732,"
    "\"3.2.direct_or_postal\":44614,\"3.2.postal\":5298,\"3.2.late\":2907,\"3.2.late_pct\":6.44,"
    "\"3.2.pending\":602,\"3.2.returned_postal\":680,\"3.2.returned_postal_pct\":12.84,"
    "\"3.3.received\":106143,\"3.3.carried_over\":27,\"3.3.new\":106116,\"3.3.online\":23,"
    "\"3.3.direct_or_postal\":106093,\"3.3.postal\":0,\"3.3.late\":5,\"3.3.late_pct\":0.01,"
    "\"3.3.pending\":68,\"3.3.returned_postal\":0,\"3.3.returned_postal_pct\":null}}\n";

struct fixture {
    struct report_sums *sums;
    struct report_unit info;
    struct report_ctx ctx;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    assert_int_equal(report_sums_new(&f->sums), CCHC_OK);
    for (size_t i = 0; i < sizeof rachgia / sizeof *rachgia; i++)
        assert_int_equal(report_sums_add(f->sums, rachgia[i].span, rachgia[i].field, rachgia[i].v),
                         CCHC_OK);
    snprintf(f->info.name, sizeof f->info.name, "Thành phố Rạch Giá");
    snprintf(f->info.level, sizeof f->info.level, "district");
    f->ctx = (struct report_ctx){"kg.rachgia", &f->info, cchc_day_from_civil(2021, 12, 15),
                                 cchc_day_from_civil(2022, 11, 30), f->sums};
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    report_sums_free(f->sums);
    free(f);
    return 0;
}

/* Renders form 3 into a string the caller frees. */
static char *render(const struct report_ctx *c, int json)
{
    char *buf = NULL;
    size_t len = 0;
    const char *failed = NULL;
    FILE *m = open_memstream(&buf, &len);
    assert_non_null(m);
    const struct report_form *form3 = report_form_find(3);
    assert_non_null(form3);
    int rc =
        json ? report_render_json(m, form3, c, &failed) : report_render_text(m, form3, c, &failed);
    assert_int_equal(rc, CCHC_OK);
    assert_int_equal(fclose(m), 0);
    return buf;
}

static void test_json(void **state)
{
    struct fixture *f = *state;
    char *got = render(&f->ctx, 1);
    assert_string_equal(got, want_json);
    free(got);
}

static size_t width(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        w += ((unsigned char)s[i] & 0xc0) != 0x80;
    return w;
}

static void test_text(void **state)
{
    struct fixture *f = *state;
    char *got = render(&f->ctx, 0);
    assert_non_null(strstr(got, "Biểu mẫu 3 — Cải cách thủ tục hành chính\n"));
    assert_non_null(strstr(got, "Thành phố Rạch Giá (kg.rachgia, cấp huyện)"));
    assert_non_null(strstr(got, "từ 15/12/2021 đến 30/11/2022"));
    assert_non_null(strstr(got, " 93,56\n"));
    assert_non_null(strstr(got, " 45.148\n"));
    assert_non_null(strstr(got, " 106.075\n"));
    assert_non_null(strstr(got, " 100,00\n"));
    assert_non_null(strstr(got, " 12,84\n"));
    assert_null(strstr(got, "93.56"));
    /* Every line with all four cells is exactly as wide as its table's
     * header, and its first separator sits in the same column: alignment
     * counts code points, not bytes. */
    size_t header = 0, full = 0, sep1 = 0;
    for (char *line = got, *end; *line; line = end + 1) {
        end = strchr(line, '\n');
        assert_non_null(end);
        size_t n = (size_t)(end - line);
        int cells = 1;
        for (char *p = line; p + 3 <= end; p++)
            cells += strncmp(p, " | ", 3) == 0;
        if (n >= 3 && strncmp(line, "STT", 3) == 0) {
            header = width(line, n);
            sep1 = width(line, (size_t)(strstr(line, " | ") - line));
        } else if (cells == 4) {
            assert_int_equal(width(line, n), header);
            assert_int_equal(width(line, (size_t)(strstr(line, " | ") - line)), sep1);
            full++;
        }
        assert_true(n == 0 || line[n - 1] != ' '); /* no trailing blanks */
    }
    assert_true(header > 0);
    assert_int_equal(full,
                     9 + 2 * 11 - 1); /* rows with a value; 3.3.returned_postal_pct is empty */
    free(got);
}

/* No data at all: counts are 0, rates empty (a division by zero), never an error. */
static void test_no_figures(void **state)
{
    (void)state;
    struct report_sums *s;
    assert_int_equal(report_sums_new(&s), CCHC_OK);
    for (const struct report_form *const *f = report_forms; *f; f++) {
        for (size_t i = 0; i < (*f)->nrows + (*f)->nextra; i++) {
            const struct report_row *r = report_form_row(*f, i);
            struct report_value v;
            print_message("form %d row %s\n", (*f)->number, r->code);
            assert_int_equal(report_row_value(*f, r, s, &v), CCHC_OK);
            if (r->kind == REPORT_COUNT)
                assert_true(!v.empty && v.v == 0);
            else
                assert_true(v.empty);
        }
    }
    report_sums_free(s);
}

/* Codes are JSON keys: unique within a form, sections aside. */
static void test_codes_unique(void **state)
{
    (void)state;
    for (const struct report_form *const *f = report_forms; *f; f++) {
        size_t n = (*f)->nrows + (*f)->nextra;
        for (size_t i = 0; i < n; i++) {
            const struct report_row *a = report_form_row(*f, i);
            assert_non_null(a->code);
            assert_non_null(a->label);
            assert_true(a->kind == REPORT_SECTION || a->uom != NULL);
            for (size_t k = i + 1; k < n && a->kind != REPORT_SECTION; k++) {
                const struct report_row *b = report_form_row(*f, k);
                assert_true(b->kind == REPORT_SECTION || strcmp(a->code, b->code) != 0);
            }
        }
    }
}

/* A row naming a row that does not exist, a cycle, a sum of rates: table
 * mistakes come out as CCHC_EINVAL, not as a wrong number. */
static const struct report_row bad_rows[] = {
    COUNT_ROW("a", "a", "x", T_ROW("nope")),
    COUNT_ROW("b", "b", "x", T_ROW("c")),
    COUNT_ROW("c", "c", "x", T_ROW("b")),
    RATE_ROW("d", "d", T_WIN("f"), T_WIN("g")),
    COUNT_ROW("e", "e", "x", T_ROW("d")),
    COUNT_ROW("big", "big", "x", T_WIN("max"), T_WIN("max")),
    COUNT_ROW("neg", "neg", "x", T_WIN("f"), T_MINUS_ROW("big1")),
    COUNT_ROW("big1", "big1", "x", T_WIN("max")),
    RATE_ROW("negrate", "negrate", T_ROW("neg"), T_WIN("f")),
};
static const struct report_form bad_form = {
    99, "bad", bad_rows, sizeof bad_rows / sizeof *bad_rows, NULL, 0};

static void test_table_mistakes(void **state)
{
    (void)state;
    struct report_sums *s;
    struct report_value v;
    assert_int_equal(report_sums_new(&s), CCHC_OK);
    assert_int_equal(report_sums_add(s, REPORT_WINDOW, "f", 1), CCHC_OK);
    assert_int_equal(report_sums_add(s, REPORT_WINDOW, "g", 4), CCHC_OK);
    assert_int_equal(report_sums_add(s, REPORT_WINDOW, "max", INT64_MAX), CCHC_OK);
    assert_int_equal(report_row_value(&bad_form, &bad_rows[0], s, &v), CCHC_EINVAL);
    assert_int_equal(report_row_value(&bad_form, &bad_rows[1], s, &v), CCHC_EINVAL);
    assert_int_equal(report_row_value(&bad_form, &bad_rows[3], s, &v), CCHC_OK);
    assert_true(v.rate && !v.empty && v.v == 2500);
    assert_int_equal(report_row_value(&bad_form, &bad_rows[4], s, &v), CCHC_EINVAL);
    assert_int_equal(report_row_value(&bad_form, &bad_rows[5], s, &v), CCHC_ETOOBIG);
    assert_int_equal(report_row_value(&bad_form, &bad_rows[6], s, &v), CCHC_OK);
    assert_true(!v.empty && v.v == 1 - INT64_MAX);
    assert_int_equal(report_row_value(&bad_form, &bad_rows[8], s, &v), CCHC_EINVAL);
    /* Sums refuse to wrap. */
    assert_int_equal(report_sums_add(s, REPORT_WINDOW, "max", 1), CCHC_ETOOBIG);
    assert_int_equal(report_sums_get(s, REPORT_WINDOW, "max"), INT64_MAX);
    assert_int_equal(report_sums_get(s, REPORT_BEFORE, "max"), 0);
    assert_int_equal(report_sums_get(s, REPORT_WINDOW, "absent"), 0);
    report_sums_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text, setup, teardown),
        cmocka_unit_test(test_no_figures),
        cmocka_unit_test(test_codes_unique),
        cmocka_unit_test(test_table_mistakes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
