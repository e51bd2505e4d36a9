/* The English catalogue against the forms themselves: a label added to a
 * form without its English, or an English entry left behind when a label
 * changes, fails here rather than as an untranslated cell on cchc-web. */
#include "forms.h"
#include "labels.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

/* Names the text in the failure, which a bare assert_non_null would not. */
static void assert_translated(const char *vi)
{
    const char *en = report_en(vi);
    if (!en || !*en)
        fail_msg("no English for \"%s\"", vi);
}

static void test_every_text_translated(void **state)
{
    (void)state;
    for (const struct report_form *const *f = report_forms; *f; f++) {
        assert_translated((*f)->title);
        for (size_t i = 0; i < (*f)->nrows + (*f)->nextra; i++) {
            const struct report_row *r = report_form_row(*f, i);
            assert_translated(r->label);
            if (r->uom)
                assert_translated(r->uom);
        }
    }
}

static int used(const char *vi)
{
    for (const struct report_form *const *f = report_forms; *f; f++) {
        if (strcmp((*f)->title, vi) == 0)
            return 1;
        for (size_t i = 0; i < (*f)->nrows + (*f)->nextra; i++) {
            const struct report_row *r = report_form_row(*f, i);
            if (strcmp(r->label, vi) == 0 || (r->uom && strcmp(r->uom, vi) == 0))
                return 1;
        }
    }
    return 0;
}

static void check_used(const char *vi, void *arg)
{
    (void)arg;
    if (!used(vi))
        fail_msg("\"%s\" is in the catalogue but in no form", vi);
}

static void test_no_stale_entry(void **state)
{
    (void)state;
    report_en_each(check_used, NULL);
}

struct order {
    const char *prev;
    size_t n;
};

static void check_order(const char *vi, void *arg)
{
    struct order *o = arg;
    /* A key out of order can hide others from bsearch, and of two equal
     * keys one is never read. */
    if (o->prev && strcmp(o->prev, vi) >= 0)
        fail_msg("\"%s\" is not after \"%s\"", vi, o->prev);
    assert_non_null(report_en(vi));
    o->prev = vi;
    o->n++;
}

static void test_sorted(void **state)
{
    (void)state;
    struct order o = {NULL, 0};
    report_en_each(check_order, &o);
    assert_true(o.n > 0);
}

static void test_unknown(void **state)
{
    (void)state;
    assert_null(report_en("Không có trong biểu mẫu nào"));
    assert_null(report_en(""));
    /* Keys are exact: no folding of case or of trailing space. */
    assert_null(report_en("hồ sơ"));
    assert_null(report_en("Hồ sơ "));
    assert_string_equal(report_en("Hồ sơ"), "dossiers");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_text_translated),
        cmocka_unit_test(test_no_stale_entry),
        cmocka_unit_test(test_sorted),
        cmocka_unit_test(test_unknown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
