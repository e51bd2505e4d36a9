#include "forms.h"

#include "err.h"
#include "rate.h"

#include <string.h>

extern const struct report_form report_form3;

/* Every implemented form, in order: what --form all prints. */
const struct report_form *const report_forms[] = {&report_form3, NULL};

const struct report_form *report_form_find(int number)
{
    for (const struct report_form *const *f = report_forms; *f; f++)
        if ((*f)->number == number)
            return *f;
    return NULL;
}

/* Rows refer to rows; a chain deeper than this is a cycle in a table. */
#define MAX_DEPTH 8

static const struct report_row *find_row(const struct report_form *f, const char *code)
{
    for (size_t i = 0; i < f->nrows; i++)
        if (f->rows[i].kind != REPORT_SECTION && strcmp(f->rows[i].code, code) == 0)
            return &f->rows[i];
    for (size_t i = 0; i < f->nextra; i++)
        if (f->extra[i].kind != REPORT_SECTION && strcmp(f->extra[i].code, code) == 0)
            return &f->extra[i];
    return NULL;
}

static int eval(const struct report_form *f, const struct report_row *r,
                const struct report_sums *sums, int depth, struct report_value *out);

/* The signed sum of terms; *empty when a term is a row with no value. */
static int sum_terms(const struct report_form *f, const struct report_term *t,
                     const struct report_sums *sums, int depth, int64_t *sum, int *empty)
{
    *sum = 0;
    *empty = 0;
    for (int i = 0; i < REPORT_TERMS && t[i].src != REPORT_TERM_NONE; i++) {
        int64_t x;
        if (t[i].src == REPORT_TERM_ROW) {
            const struct report_row *r = find_row(f, t[i].name);
            struct report_value v;
            if (!r)
                return CCHC_EINVAL;
            int rc = eval(f, r, sums, depth + 1, &v);
            if (rc)
                return rc;
            if (v.rate)
                return CCHC_EINVAL; /* adding percentages is a table mistake */
            if (v.empty) {
                *empty = 1;
                continue;
            }
            x = v.v;
        } else {
            x = report_sums_get(
                sums, t[i].src == REPORT_TERM_BEFORE ? REPORT_BEFORE : REPORT_WINDOW, t[i].name);
        }
        if (t[i].sign < 0 ? __builtin_sub_overflow(*sum, x, sum)
                          : __builtin_add_overflow(*sum, x, sum))
            return CCHC_ETOOBIG;
    }
    return CCHC_OK;
}

static int eval(const struct report_form *f, const struct report_row *r,
                const struct report_sums *sums, int depth, struct report_value *out)
{
    *out = (struct report_value){.empty = 1, .rate = r->kind == REPORT_RATE};
    if (depth > MAX_DEPTH)
        return CCHC_EINVAL;
    if (r->kind == REPORT_SECTION || r->kind == REPORT_EMPTY)
        return CCHC_OK;
    int64_t num, den;
    int num_empty, den_empty;
    int rc = sum_terms(f, r->num, sums, depth, &num, &num_empty);
    if (rc || num_empty)
        return rc;
    if (r->kind == REPORT_COUNT) {
        out->v = num;
        out->empty = 0;
        return CCHC_OK;
    }
    if ((rc = sum_terms(f, r->den, sums, depth, &den, &den_empty)) || den_empty)
        return rc;
    rc = cchc_rate_bp(num, den, &out->v);
    if (rc == CCHC_ENOTFOUND)
        return CCHC_OK; /* nothing to divide by: the forms print nothing */
    if (rc == CCHC_OK)
        out->empty = 0;
    return rc;
}

int report_row_value(const struct report_form *f, const struct report_row *r,
                     const struct report_sums *sums, struct report_value *out)
{
    return eval(f, r, sums, 0, out);
}

const struct report_row *report_form_row(const struct report_form *f, size_t i)
{
    return i < f->nrows ? &f->rows[i] : &f->extra[i - f->nrows];
}

int report_form_eval(const struct report_form *f, const struct report_sums *sums,
                     struct report_value *v, const char **failed)
{
    for (size_t i = 0; i < f->nrows + f->nextra; i++) {
        const struct report_row *r = report_form_row(f, i);
        int rc = report_row_value(f, r, sums, &v[i]);
        if (rc) {
            *failed = r->code;
            return rc;
        }
    }
    return CCHC_OK;
}
