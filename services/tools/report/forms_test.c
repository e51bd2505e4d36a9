/* The forms computed from figures made in memory (no Redis): the 2022
 * figures of Rạch Giá on every form, form 3's JSON line byte for byte, the
 * text table's alignment, values in millions and billions, CSV, the
 * workbook's error path, and the checks that catch a mistake in a form's
 * table. */
#include "forms.h"
#include "base/err.h"
#include "base/period.h"
#include "render.h"
#include "slips.h"
#include "sums.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* The 2022 figures of the city of Rạch Giá (services/DOMAIN.md), split into what the
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
    /* The catalogue (levels): 262 district procedures in 2021, 271 now. */
    {REPORT_BEFORE, "procedures.district", 262},
    {REPORT_WINDOW, "procedures.district", 9},
    {REPORT_BEFORE, "procedures.commune", 154},
    {REPORT_WINDOW, "procedures_simplified", 18},
    {REPORT_BEFORE, "procedures_inter_same", 12},
    {REPORT_BEFORE, "procedures_inter_cross", 32},
    {REPORT_WINDOW, "f3.1.3", 9}, /* "Thay thế 02 TTHC, bãi bỏ 07 TTHC" */
    /* Fields the form does not use must not disturb it. */
    {REPORT_WINDOW, "received", 151462},
    {REPORT_WINDOW, "survey", 180},
};

/* The other forms' 2022 figures (services/DOMAIN.md), indicators included. */
static const struct {
    enum report_span span;
    const char *field;
    int64_t v;
} rachgia_more[] = {
    /* Form 1, by hand. Plan tasks: 20 done before the window, 7 in it. */
    {REPORT_BEFORE, "f1.1", 14},
    {REPORT_BEFORE, "f1.2.1", 27},
    {REPORT_BEFORE, "f1.2.2", 20},
    {REPORT_WINDOW, "f1.2.2", 7},
    {REPORT_WINDOW, "f1.3.1", 0},
    {REPORT_WINDOW, "f1.3.2", 8},
    {REPORT_WINDOW, "f1.3.units", 23},
    {REPORT_WINDOW, "f1.3.3.1", 0},
    {REPORT_WINDOW, "f1.3.3.2", 0},
    {REPORT_WINDOW, "f1.4.1", 0},
    {REPORT_WINDOW, "f1.4.2", 0},
    {REPORT_WINDOW, "f1.5.1", 21},
    {REPORT_WINDOW, "f1.5.2", 13},
    {REPORT_WINDOW, "f1.5.3", 6},
    {REPORT_WINDOW, "f1.5.4", 1},
    {REPORT_WINDOW, "f1.6", 1},
    {REPORT_WINDOW, "f1.6.1", 162},
    {REPORT_WINDOW, "f1.6.2", 1},
    {REPORT_WINDOW, "f1.7", 0},
    /* Form 2; 1.1 (provincial documents) is not the city's to report. */
    {REPORT_WINDOW, "f2.1.2", 1},
    {REPORT_WINDOW, "f2.1.3", 0},
    {REPORT_WINDOW, "f2.2.1", 0}, /* row 2.1 */
    {REPORT_WINDOW, "f2.2.2.1", 0},
    {REPORT_WINDOW, "f2.2.2.2", 0},
    {REPORT_WINDOW, "f2.3.1", 2},
    {REPORT_WINDOW, "f2.3.2.1", 0},
    {REPORT_WINDOW, "f2.3.2.2", 0},
    /* Form 4: headcounts are levels, set before the window. */
    {REPORT_WINDOW, "f4.1.2", 10000}, /* basis points: 100.00 % */
    {REPORT_WINDOW, "f4.1.5.3", 52},
    {REPORT_WINDOW, "f4.1.5.4", 100}, /* the report's "1" under % */
    {REPORT_BEFORE, "district:quota.cong-chuc", 96},
    {REPORT_BEFORE, "district:present.cong-chuc", 90},
    {REPORT_WINDOW, "district:present.cong-chuc", 2},
    {REPORT_BEFORE, "district:present.hop-dong", 7},
    {REPORT_BEFORE, "quota.vien-chuc", 1914},
    {REPORT_BEFORE, "present.vien-chuc", 1807},
    {REPORT_BEFORE, "quota.cbcc-xa", 264},
    {REPORT_BEFORE, "present.cbcc-xa", 258},
    {REPORT_BEFORE, "qualified.cbcc-xa", 233},
    {REPORT_BEFORE, "quota.kct-xa", 164},
    {REPORT_BEFORE, "present.kct-xa", 141},
    {REPORT_BEFORE, "quota.kct-ap", 144},
    {REPORT_BEFORE, "present.kct-ap", 144},
    {REPORT_BEFORE, "quota.nhd-ap", 360},
    {REPORT_BEFORE, "present.nhd-ap", 306},
    /* Form 5: counters of the window; recruitments before it do not count. */
    {REPORT_BEFORE, "job_positions_approved.agency", 11},
    {REPORT_BEFORE, "job_positions_approved.service-unit", 52},
    {REPORT_BEFORE, "recruited.cong-chuc", 4},
    {REPORT_WINDOW, "recruited.cong-chuc", 11},
    {REPORT_WINDOW, "transferred.cbcc-xa", 1},
    {REPORT_WINDOW, "disciplined.vien-chuc", 1},
    {REPORT_WINDOW, "trained.cong-chuc", 120},
    {REPORT_WINDOW, "trained.vien-chuc", 200},
    {REPORT_WINDOW, "trained.cbcc-xa", 89},
    /* Form 6, in đồng. */
    {REPORT_BEFORE, "investment_plan", 196870000000},
    {REPORT_WINDOW, "disbursed", 196870000000},
    {REPORT_BEFORE, "service_units", 60},
    {REPORT_BEFORE, "autonomy.tu-chu-chi-thuong-xuyen", 5},
    {REPORT_BEFORE, "autonomy.tu-chu-mot-phan-10-30", 28},
    {REPORT_BEFORE, "autonomy.nha-nuoc-dam-bao", 27},
    {REPORT_WINDOW, "revenue", 887200000000},
    {REPORT_BEFORE, "revenue_estimate", 774300000000},
    {REPORT_WINDOW, "audit_due", 110125714},
    {REPORT_WINDOW, "audit_paid", 110125714},
    /* Form 7: documents sent 4,412 of 5,162 (city), 3,561 of 9,242 (wards). */
    {REPORT_WINDOW, "district:documents_in_electronic", 7073},
    {REPORT_WINDOW, "district:documents_out", 5162},
    {REPORT_WINDOW, "district:documents_out_electronic", 4412},
    {REPORT_WINDOW, "commune:documents_in_electronic", 25334},
    {REPORT_WINDOW, "commune:documents_out", 9242},
    {REPORT_WINDOW, "commune:documents_out_electronic", 3561},
    {REPORT_WINDOW, "documents_out", 14404},
    {REPORT_WINDOW, "documents_out_electronic", 7973},
    {REPORT_BEFORE, "online_eligible_l3.district", 22},
    {REPORT_BEFORE, "online_offered_l3.district", 22},
    {REPORT_BEFORE, "online_eligible_l4.district", 130},
    {REPORT_BEFORE, "online_offered_l4.district", 130},
    {REPORT_BEFORE, "online_portal.district", 152},
    {REPORT_BEFORE, "online_offered_l3.commune", 20},
    {REPORT_BEFORE, "online_offered_l4.commune", 39},
    {REPORT_BEFORE, "procedures_fee", 271},
    {REPORT_BEFORE, "procedures_online_payment", 271},
    {REPORT_BEFORE, "email_users", 280},
    {REPORT_BEFORE, "email_staff", 300},
    {REPORT_WINDOW, "portal_news", 80},
    {REPORT_WINDOW, "portal_image", 322},
    {REPORT_WINDOW, "portal_document", 226},
};

/* Form 7's procedures: 22 at level 3 (codes 1.000000 ..), 130 at level 4
 * (2.000022 ..). Online dossiers: 5 and 7 for two level-3 procedures, 7 for
 * each of 100 level-4 ones plus 20 more for the first: 12 + 720 = 732. All
 * dossiers: 112 for each of the 152 plus 21 for the first = 17,045 (the
 * form's own note; it prints 17,323). */
static void add_procedures(struct report_sums *s)
{
    for (int i = 0; i < 152; i++) {
        char code[16], f[64];
        int l = i < 22 ? 3 : 4;
        snprintf(code, sizeof code, "%d.%06d", l - 2, i);
        snprintf(f, sizeof f, "proc.%s.online_l%d", code, l);
        assert_int_equal(report_sums_add(s, REPORT_BEFORE, f, 1), CCHC_OK);
        int64_t online = i == 0 ? 5 : i == 1 ? 7 : i >= 22 && i < 122 ? 7 + 20 * (i == 22) : 0;
        snprintf(f, sizeof f, "district:proc.%s.received_online", code);
        assert_int_equal(report_sums_add(s, REPORT_WINDOW, f, online), CCHC_OK);
        snprintf(f, sizeof f, "district:proc.%s.received", code);
        assert_int_equal(report_sums_add(s, REPORT_WINDOW, f, 112 + 21 * (i == 0)), CCHC_OK);
    }
}

static const char want_json[] =
    "{\"form\":3,\"unit\":\"kg.rachgia\",\"from\":\"2021-12-15\",\"to\":\"2022-11-30\",\"rows\":{"
    "\"1.1\":18,\"1.2\":null,\"1.3\":9,\"1.4\":425,\"1.4.1\":0,\"1.4.2\":271,"
    "\"1.4.3\":154,\"2.1\":12,\"2.2\":32,\"2.3\":null,"
    "\"3.1\":null,\"3.1.1\":0,\"3.1.2\":0,"
    "\"3.2\":93.56,\"3.2.1\":45148,\"3.2.2\":42241,"
    "\"3.3\":99.99,\"3.3.1\":106075,\"3.3.2\":106070,"
    "\"3.4\":100.00,\"3.4.1\":5,\"3.4.2\":5,"
    "\"3.2.received\":45750,\"3.2.carried_over\":404,\"3.2.new\":45346,\"3.2.online\":732,"
    "\"3.2.direct_or_postal\":44614,\"3.2.postal\":5298,\"3.2.late\":2907,\"3.2.late_pct\":6.44,"
    "\"3.2.pending\":602,\"3.2.returned_postal\":680,\"3.2.returned_postal_pct\":12.84,"
    "\"3.2.not_accepted\":0,\"3.2.supplement\":0,\"3.2.withdrawn\":0,\"3.2.stopped\":0,"
    "\"3.3.received\":106143,\"3.3.carried_over\":27,\"3.3.new\":106116,\"3.3.online\":23,"
    "\"3.3.direct_or_postal\":106093,\"3.3.postal\":0,\"3.3.late\":5,\"3.3.late_pct\":0.01,"
    "\"3.3.pending\":68,\"3.3.returned_postal\":0,\"3.3.returned_postal_pct\":null,"
    "\"3.3.not_accepted\":0,\"3.3.supplement\":0,\"3.3.withdrawn\":0,\"3.3.stopped\":0}}\n";

struct fixture {
    struct report_sums *sums;
    struct report_unit info;
    struct report_ctx ctx;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->sums = report_sums_new();
    for (size_t i = 0; i < sizeof rachgia / sizeof *rachgia; i++)
        assert_int_equal(report_sums_add(f->sums, rachgia[i].span, rachgia[i].field, rachgia[i].v),
                         CCHC_OK);
    for (size_t i = 0; i < sizeof rachgia_more / sizeof *rachgia_more; i++)
        assert_int_equal(report_sums_add(f->sums, rachgia_more[i].span, rachgia_more[i].field,
                                         rachgia_more[i].v),
                         CCHC_OK);
    add_procedures(f->sums);
    snprintf(f->info.name, sizeof f->info.name, "Thành phố Rạch Giá");
    snprintf(f->info.level, sizeof f->info.level, "district");
    f->ctx = (struct report_ctx){"kg.rachgia",
                                 &f->info,
                                 cchc_day_from_civil(2021, 12, 15),
                                 cchc_day_from_civil(2022, 11, 30),
                                 f->sums,
                                 0};
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

/* A window without districts (the two-tier system): form 3 has no row of
 * the district level, nor their headings; the other rows stay as they were. */
static void test_no_districts(void **state)
{
    struct fixture *f = *state;
    struct report_ctx c = f->ctx;
    c.no_districts = 1;
    char *json = render(&c, 1), *text = render(&c, 0), *all = render(&f->ctx, 1);
    assert_non_null(strstr(all, "\"3.2.new\":"));
    assert_non_null(strstr(all, "\"3.2\":93.56"));
    static const char *const gone[] = {"\"3.2\":",
                                       "\"3.2.1\":",
                                       "\"3.2.2\":",
                                       "\"3.2.new\":",
                                       "\"3.2.carried_over\":",
                                       "\"3.2.pending\":",
                                       "\"3.2.late_pct\":"};
    for (size_t i = 0; i < sizeof gone / sizeof *gone; i++)
        if (strstr(json, gone[i]))
            fail_msg("%s is still in the two-tier JSON", gone[i]);
    static const char *const kept[] = {
        "\"3.1\":", "\"3.3\":", "\"3.3.1\":", "\"3.3.new\":", "\"3.3.pending\":", "\"3.4\":"};
    for (size_t i = 0; i < sizeof kept / sizeof *kept; i++)
        if (!strstr(json, kept[i]))
            fail_msg("%s is missing from the two-tier JSON", kept[i]);
    assert_null(strstr(text, "UBND các huyện"));
    assert_non_null(strstr(text, "UBND cấp xã"));
    free(json);
    free(text);
    free(all);
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
    /* Rows with a value: 19 of the form (1.2, 2.3, 3.1 and the sections
     * are empty), 2 x 15 extra but 3.3.returned_postal_pct. */
    assert_int_equal(full, 19 + 2 * 15 - 1);
    free(got);
}

/* Every row of form n as "code=value" (PLAIN, "null" when empty) checked
 * against want, NULL-terminated; rows not named are not checked. */
static void expect_rows(const struct report_sums *s, int n, const char *const *want)
{
    const struct report_form *f = report_form_find(n);
    assert_non_null(f);
    size_t rows = f->nrows + f->nextra;
    struct report_value *v = calloc(rows, sizeof *v);
    const char *failed = NULL;
    assert_non_null(v);
    assert_int_equal(report_form_eval(f, s, v, &failed), CCHC_OK);
    for (; *want; want++) {
        const char *eq = strchr(*want, '=');
        assert_non_null(eq);
        size_t i = 0;
        for (; i < rows; i++) {
            const struct report_row *r = report_form_row(f, i);
            if (r->kind != REPORT_SECTION && strlen(r->code) == (size_t)(eq - *want) &&
                strncmp(r->code, *want, (size_t)(eq - *want)) == 0)
                break;
        }
        print_message("form %d %s\n", n, *want);
        assert_true(i < rows);
        char got[REPORT_VALUE_LEN];
        report_value_format(&v[i], REPORT_PLAIN, got);
        assert_string_equal(v[i].empty ? "null" : got, eq + 1);
    }
    free(v);
}

/* The 2022 figures of Rạch Giá on forms 1, 2 and 4-7 (form 3: test_json).
 * Where the report contradicts itself the rows follow the arithmetic. */
static void test_forms_2022(void **state)
{
    struct fixture *f = *state;
    /* 2.2 = 20 + 7, a level changed in the window; 8 of 23 units = 34.78 %
     * (the report: 34,7); 3.3 divides 0 by 0: empty (the report: 100);
     * 21 - 13 - 6 - 1 = 1 task in progress, the note of row 5.1. */
    static const char *const f1[] = {"1=14",
                                     "2=100.00",
                                     "2.1=27",
                                     "2.2=27",
                                     "3.1=0",
                                     "3.2=8",
                                     "3.3=null",
                                     "3.3.1=0",
                                     "4.1=0",
                                     "4.2=0.00",
                                     "5.1=21",
                                     "5.2=13",
                                     "5.3=6",
                                     "5.4=1",
                                     "6=1",
                                     "6.1=162",
                                     "6.2=1",
                                     "7=0",
                                     "3.units=23",
                                     "3.inspected=8",
                                     "3.inspected_pct=34.78",
                                     "5.in_progress=1",
                                     "6.survey=180",
                                     NULL};
    /* 1 needs 1.1, which the city does not report: empty, as printed. */
    static const char *const f2[] = {"1=null",   "1.1=null", "1.2=1",    "1.3=0", "2.1=0",
                                     "2.2=null", "3.1=2",    "3.2=null", NULL};
    /* 233/258 = 90.31 % of commune officials qualified (the report: 97,08). */
    static const char *const f4[] = {"1.1=null",
                                     "1.2=100.00",
                                     "1.5=null",
                                     "1.5.3=52",
                                     "1.5.4=1.00",
                                     "2.1=96",
                                     "2.2=92",
                                     "2.3=7",
                                     "2.4=0",
                                     "3.1=1914",
                                     "3.2=1807",
                                     "3.3=0",
                                     "cbcc-xa.quota=264",
                                     "cbcc-xa.present=258",
                                     "cbcc-xa.qualified=233",
                                     "cbcc-xa.qualified_pct=90.31",
                                     "kct-xa.quota=164",
                                     "kct-xa.present=141",
                                     "kct-ap.quota=144",
                                     "kct-ap.present=144",
                                     "nhd-ap.quota=360",
                                     "nhd-ap.present=306",
                                     NULL};
    static const char *const f5[] = {"1.1=11", "1.2=52",   "2.1=11",      "2.3=1", "2.4=0",
                                     "4.4=1",  "4.1=null", "trained=409", NULL};
    static const char *const f6[] = {"1=100.00",
                                     "1.1=196870",
                                     "1.2=196870",
                                     "2.1=60",
                                     "2.2=0",
                                     "2.3=5",
                                     "2.4=28",
                                     "2.4.1=0",
                                     "2.4.2=0",
                                     "2.4.3=28",
                                     "2.5=27",
                                     "2.6=null",
                                     "revenue=887.2",
                                     "revenue_estimate=774.3",
                                     "revenue_pct=114.58",
                                     "audit_due=110125714",
                                     "audit_paid=110125714",
                                     "audit_paid_pct=100.00",
                                     NULL};
    /* 6.3 is 152/152 = 100.00 (the report: 0); 6.4.1 = 17,045. */
    static const char *const f7[] = {"5.2=55.35",
                                     "5.2.1=null",
                                     "5.2.2=85.47",
                                     "5.2.3=38.53",
                                     "6.1=100.00",
                                     "6.1.1=22",
                                     "6.1.2=22",
                                     "6.1.3=2",
                                     "6.2=100.00",
                                     "6.2.1=130",
                                     "6.2.2=130",
                                     "6.2.3=100",
                                     "6.3=100.00",
                                     "6.3.1=152",
                                     "6.3.2=152",
                                     "6.4=4.29",
                                     "6.4.1=17045",
                                     "6.4.2=732",
                                     "6.5=100.00",
                                     "6.5.1=271",
                                     "6.5.2=271",
                                     "5.2.2.in_electronic=7073",
                                     "5.2.2.out_electronic=4412",
                                     "5.2.3.in_electronic=25334",
                                     "5.2.3.out_electronic=3561",
                                     "email.pct=93.33",
                                     "portal.news=80",
                                     "portal.image=322",
                                     "portal.document=226",
                                     "6.3.1.commune=59",
                                     NULL};
    expect_rows(f->sums, 1, f1);
    expect_rows(f->sums, 2, f2);
    expect_rows(f->sums, 4, f4);
    expect_rows(f->sums, 5, f5);
    expect_rows(f->sums, 6, f6);
    expect_rows(f->sums, 7, f7);
}

/* Form 7's procedure rows: a procedure that moved from level 3 to level 4
 * counts once, under level 4; one withdrawn or with online dossiers only
 * before the window does not count; codes hold dots. */
static void test_procedures(void **state)
{
    (void)state;
    static const struct {
        enum report_span span;
        const char *field;
        int64_t v;
    } d[] = {
        {REPORT_BEFORE, "proc.1.004227.online_l3", 1},
        {REPORT_WINDOW, "proc.1.004227.online_l3", -1},
        {REPORT_WINDOW, "proc.1.004227.online_l4", 1},
        {REPORT_WINDOW, "district:proc.1.004227.received", 10},
        {REPORT_WINDOW, "district:proc.1.004227.received_online", 4},
        {REPORT_BEFORE, "proc.2.5.online_l3", 1},
        {REPORT_BEFORE, "district:proc.2.5.received_online", 3},
        {REPORT_WINDOW, "district:proc.2.5.received", 6},
        {REPORT_BEFORE, "proc.3.1.online_l4", 1},
        {REPORT_WINDOW, "proc.3.1.online_l4", -1},
        {REPORT_WINDOW, "district:proc.3.1.received", 100},
        {REPORT_WINDOW, "district:proc.3.1.received_online", 100},
        {REPORT_WINDOW, "commune:proc.2.5.received_online", 9},
    };
    struct report_sums *s;
    s = report_sums_new();
    for (size_t i = 0; i < sizeof d / sizeof *d; i++)
        assert_int_equal(report_sums_add(s, d[i].span, d[i].field, d[i].v), CCHC_OK);
    static const char *const want[] = {"6.1.3=0", "6.2.3=1",   "6.4.1=16",
                                       "6.4.2=4", "6.4=25.00", NULL};
    expect_rows(s, 7, want);
    report_sums_free(s);
}

/* Values as text: counts, rates, money in millions (up to 3 decimals, half
 * up, trailing zeros dropped) and billions (one decimal, half up). */
static void test_value_format(void **state)
{
    (void)state;
    static const struct {
        struct report_value v;
        const char *plain, *vn, *en;
    } t[] = {
        {{0, 0, REPORT_UNITS, 45148, 0}, "45148", "45.148", "45,148"},
        {{0, 0, REPORT_UNITS, -1234567, 0}, "-1234567", "-1.234.567", "-1,234,567"},
        {{0, 0, REPORT_UNITS, 0, 0}, "0", "0", "0"},
        {{0, 1, REPORT_UNITS, 9356, 0}, "93.56", "93,56", "93.56"},
        {{1, 1, REPORT_UNITS, 0, 0}, "", "", ""},
        {{0, 0, REPORT_MILLIONS, 196870000000, 0}, "196870", "196.870", "196,870"},
        {{0, 0, REPORT_MILLIONS, 196870500000, 0}, "196870.5", "196.870,5", "196,870.5"},
        {{0, 0, REPORT_MILLIONS, 1234567, 0}, "1.235", "1,235", "1.235"},
        {{0, 0, REPORT_MILLIONS, 1234499, 0}, "1.234", "1,234", "1.234"},
        {{0, 0, REPORT_MILLIONS, 999999999, 0}, "1000", "1.000", "1,000"},
        {{0, 0, REPORT_MILLIONS, 400, 0}, "0", "0", "0"},
        {{0, 0, REPORT_MILLIONS, -400, 0}, "0", "0", "0"},
        {{0, 0, REPORT_MILLIONS, -2500000, 0}, "-2.5", "-2,5", "-2.5"},
        {{0, 0, REPORT_BILLIONS, 887200000000, 0}, "887.2", "887,2", "887.2"},
        {{0, 0, REPORT_BILLIONS, 887249999999, 0}, "887.2", "887,2", "887.2"},
        {{0, 0, REPORT_BILLIONS, 887250000000, 0}, "887.3", "887,3", "887.3"},
        {{0, 0, REPORT_BILLIONS, 1000000000000, 0}, "1000.0", "1.000,0", "1,000.0"},
        {{0, 0, REPORT_BILLIONS, INT64_MAX, 0},
         "9223372036.9",
         "9.223.372.036,9",
         "9,223,372,036.9"},
        {{0, 0, REPORT_UNITS, INT64_MIN, 0},
         "-9223372036854775808",
         "-9.223.372.036.854.775.808",
         "-9,223,372,036,854,775,808"},
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        char got[REPORT_VALUE_LEN];
        print_message("%s\n", t[i].plain);
        report_value_format(&t[i].v, REPORT_PLAIN, got);
        assert_string_equal(got, t[i].plain);
        report_value_format(&t[i].v, REPORT_VN, got);
        assert_string_equal(got, t[i].vn);
        report_value_format(&t[i].v, REPORT_EN, got);
        assert_string_equal(got, t[i].en);
    }
}

/* Every slip names a row of its form that has a value, over a real window,
 * and is found by what it names. */
static void test_slips(void **state)
{
    (void)state;
    size_t n;
    const struct report_slip *s = report_slips(&n);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        const struct report_form *f = report_form_find(s[i].form);
        int64_t from, to;
        print_message("form %d row %s\n", s[i].form, s[i].code);
        assert_non_null(f);
        const struct report_row *r = NULL;
        for (size_t k = 0; k < f->nrows + f->nextra; k++)
            if (strcmp(report_form_row(f, k)->code, s[i].code) == 0 &&
                report_form_row(f, k)->kind != REPORT_SECTION)
                r = report_form_row(f, k);
        assert_non_null(r);
        assert_int_equal(cchc_day_parse(s[i].from, &from), 0);
        assert_int_equal(cchc_day_parse(s[i].to, &to), 0);
        assert_true(from <= to);
        assert_ptr_equal(report_slip_find(s[i].unit, from, to, s[i].form, s[i].code), &s[i]);
        assert_null(report_slip_find(s[i].unit, from + 1, to, s[i].form, s[i].code));
        assert_true(*s[i].printed && *s[i].note_vi && *s[i].note_en);
    }
}

static void test_csv(void **state)
{
    struct fixture *f = *state;
    char *buf = NULL;
    size_t len = 0;
    const char *failed = NULL;
    FILE *m = open_memstream(&buf, &len);
    assert_non_null(m);
    assert_int_equal(report_render_csv(m, report_form_find(1), &f->ctx, 1, &failed), CCHC_OK);
    assert_int_equal(report_render_csv(m, report_form_find(6), &f->ctx, 0, &failed), CCHC_OK);
    assert_int_equal(fclose(m), 0);
    /* One header; quoted labels and units holding commas; CRLF; empty for null. */
    assert_memory_equal(buf, "form,code,label,unit,value\r\n1,1,\"Số văn bản", 39);
    assert_non_null(
        strstr(buf, "\r\n1,3.1,\"Số sở, ban, ngành đã kiểm tra\",\"Cơ quan, đơn vị\",0\r\n"));
    assert_non_null(strstr(buf, "\r\n1,3.3,Tỷ lệ xử lý các vấn đề phát hiện qua kiểm tra,%,\r\n"));
    assert_non_null(strstr(buf, "\r\n6,1.1,Kế hoạch được giao,Triệu đồng,196870\r\n"));
    assert_non_null(
        strstr(buf, "\r\n6,revenue_pct,Tỷ lệ thu ngân sách so với dự toán,%,114.58\r\n"));
    assert_null(strstr(buf + 1, "form,code"));
    assert_null(strstr(buf, ",3,Kiểm tra CCHC")); /* headings are not rows of the JSON */
    free(buf);
}

/* A workbook that cannot be written says why at close, after every sheet
 * was added without a complaint. */
static void test_xlsx_unwritable(void **state)
{
    struct fixture *f = *state;
    struct report_xlsx *x;
    const char *failed = NULL;
    char why[256] = "";
    x = report_xlsx_open("/nonexistent/dir/r.xlsx");
    for (const struct report_form *const *form = report_forms; *form; form++)
        assert_int_equal(report_render_xlsx(x, *form, &f->ctx, &failed), CCHC_OK);
    assert_int_equal(report_xlsx_close(x, why, sizeof why), CCHC_EIO);
    assert_true(why[0] != 0);
}

/* No data at all: never an error; counts of fields are 0, rates empty
 * (a division by zero), indicators empty (nobody reported them), and so is
 * anything computed from them. */
static void test_no_figures(void **state)
{
    (void)state;
    struct report_sums *s;
    s = report_sums_new();
    for (const struct report_form *const *f = report_forms; *f; f++) {
        for (size_t i = 0; i < (*f)->nrows + (*f)->nextra; i++) {
            const struct report_row *r = report_form_row(*f, i);
            struct report_value v;
            print_message("form %d row %s\n", (*f)->number, r->code);
            assert_int_equal(report_row_value(*f, r, s, &v), CCHC_OK);
            if (r->kind == REPORT_RATE || r->kind == REPORT_INDICATOR || r->kind == REPORT_SECTION)
                assert_true(v.empty);
            else
                assert_true(v.empty ? r->num[0].src == REPORT_TERM_ROW : v.v == 0);
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
            /* A count under "%" would print a count as a percentage. */
            assert_true(a->kind != REPORT_COUNT || strcmp(a->uom, "%") != 0);
            /* Money is only ever shown in millions or billions of đồng. */
            assert_true(a->scale == REPORT_UNITS ||
                        strcmp(a->uom, a->scale == REPORT_MILLIONS ? "Triệu đồng" : "Tỷ đồng") ==
                            0);
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
    COUNT_ROW("nostar", "nostar", "x", T_PROCS_SUM(REPORT_L3, "district:received")),
    IND_ROW("pct", "pct", "%"),
    IND_ROW("n", "n", "x"),
    COUNT_ROW("n2", "n2", "x", T_ROW("n"), T_WIN("f")),
};
static const struct report_form bad_form = {
    99, "bad", bad_rows, sizeof bad_rows / sizeof *bad_rows, NULL, 0};

static void test_table_mistakes(void **state)
{
    (void)state;
    struct report_sums *s;
    struct report_value v;
    s = report_sums_new();
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
    /* A procedure template must say where the code goes; the sums need a
     * procedure offered online before the template is ever read. */
    assert_int_equal(report_sums_add(s, REPORT_BEFORE, "proc.1.2.online_l3", 1), CCHC_OK);
    assert_int_equal(report_row_value(&bad_form, &bad_rows[9], s, &v), CCHC_EINVAL);
    /* Indicators: f99.<code>; "%" in basis points; a sum with one empty. */
    assert_int_equal(report_sums_add(s, REPORT_BEFORE, "f99.pct", 3470), CCHC_OK);
    assert_int_equal(report_row_value(&bad_form, &bad_rows[10], s, &v), CCHC_OK);
    assert_true(v.rate && !v.empty && v.v == 3470);
    assert_int_equal(report_row_value(&bad_form, &bad_rows[11], s, &v), CCHC_OK);
    assert_true(v.empty);
    assert_int_equal(report_row_value(&bad_form, &bad_rows[12], s, &v), CCHC_OK);
    assert_true(v.empty);
    assert_int_equal(report_sums_add(s, REPORT_WINDOW, "f99.n", 0), CCHC_OK);
    assert_int_equal(report_row_value(&bad_form, &bad_rows[12], s, &v), CCHC_OK);
    assert_true(!v.empty && v.v == 1); /* reported as 0 is not unreported */
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
        cmocka_unit_test_setup_teardown(test_no_districts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forms_2022, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_unwritable, setup, teardown),
        cmocka_unit_test(test_procedures),
        cmocka_unit_test(test_value_format),
        cmocka_unit_test(test_slips),
        cmocka_unit_test(test_no_figures),
        cmocka_unit_test(test_codes_unique),
        cmocka_unit_test(test_table_mistakes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
