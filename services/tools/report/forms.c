#include "forms.h"

#include "base/err.h"
#include "base/metric.h"
#include "base/rate.h"

#include <stdio.h>
#include <string.h>

extern const struct report_form report_form1, report_form2, report_form3, report_form4,
    report_form5, report_form6, report_form7;

/* Every form, in order: what --form all prints. */
const struct report_form *const report_forms[] = {
    &report_form1, &report_form2, &report_form3, &report_form4,
    &report_form5, &report_form6, &report_form7, NULL,
};

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

/* A level's value at the window's end: its changes on every day up to it. */
static int level(const struct report_sums *sums, const char *field, int64_t *v)
{
    if (__builtin_add_overflow(report_sums_get(sums, REPORT_BEFORE, field),
                               report_sums_get(sums, REPORT_WINDOW, field), v))
        return CCHC_ETOOBIG;
    return CCHC_OK;
}

/* tmpl with its '*' replaced by code[0 .. len). */
static int fill(char *buf, size_t cap, const char *tmpl, const char *code, size_t len)
{
    const char *star = strchr(tmpl, '*');
    if (!star)
        return CCHC_EINVAL; /* a table mistake: the template names no procedure */
    int n = snprintf(buf, cap, "%.*s%.*s%s", (int)(star - tmpl), tmpl, (int)len, code, star + 1);
    return n < 0 || (size_t)n >= cap ? CCHC_ETOOBIG : CCHC_OK;
}

#define NAME_MAX_LEN 512

struct procs {
    const struct report_sums *sums;
    const struct report_term *t;
    int64_t total;
};

/* Whether procedure code is offered online at one of the levels of mask at
 * the window's end. */
static int offered(const struct report_sums *sums, int mask, const char *code, size_t len, int *yes)
{
    *yes = 0;
    for (int l = 3; l <= 4; l++) {
        char name[NAME_MAX_LEN];
        int64_t v;
        if (!(mask & (1 << l)))
            continue;
        int rc = metric_proc_online(name, sizeof name, code, len, l);
        if (rc == CCHC_OK)
            rc = level(sums, name, &v);
        if (rc)
            return rc;
        if (v > 0)
            *yes = 1;
    }
    return CCHC_OK;
}

/* Visits proc.X.online_l<n>: each procedure once, at the lowest selected
 * level it has a field for. */
static int procs_visit(const char *field, void *arg)
{
    struct procs *p = arg;
    const char *code;
    size_t len;
    int lvl;
    if (metric_proc_online_parse(field, &code, &len, &lvl) || !(p->t->online & (1 << lvl)))
        return CCHC_OK;
    char name[NAME_MAX_LEN];
    for (int l = 3; l < lvl; l++) {
        if (!(p->t->online & (1 << l)))
            continue;
        if (metric_proc_online(name, sizeof name, code, len, l))
            return CCHC_ETOOBIG;
        if (report_sums_has(p->sums, name))
            return CCHC_OK; /* counted at level l */
    }
    int yes, rc = offered(p->sums, p->t->online, code, len, &yes);
    if (rc || !yes)
        return rc;
    if ((rc = fill(name, sizeof name, p->t->name, code, len)))
        return rc;
    int64_t x = report_sums_get(p->sums, REPORT_WINDOW, name);
    if (p->t->src == REPORT_TERM_PROCS_COUNT)
        x = x > 0;
    return __builtin_add_overflow(p->total, x, &p->total) ? CCHC_ETOOBIG : CCHC_OK;
}

/* The signed sum of terms; *empty when a term is a row with no value. */
static int sum_terms(const struct report_form *f, const struct report_term *t,
                     const struct report_sums *sums, int depth, int64_t *sum, int *empty)
{
    *sum = 0;
    *empty = 0;
    for (int i = 0; i < REPORT_TERMS && t[i].src != REPORT_TERM_NONE; i++) {
        int64_t x = 0;
        int rc = CCHC_OK;
        switch (t[i].src) {
        case REPORT_TERM_ROW: {
            const struct report_row *r = find_row(f, t[i].name);
            struct report_value v;
            if (!r)
                return CCHC_EINVAL;
            if ((rc = eval(f, r, sums, depth + 1, &v)))
                return rc;
            if (v.rate)
                return CCHC_EINVAL; /* adding percentages is a table mistake */
            if (v.empty) {
                *empty = 1;
                continue;
            }
            x = v.v;
            break;
        }
        case REPORT_TERM_WINDOW:
        case REPORT_TERM_BEFORE:
            x = report_sums_get(
                sums, t[i].src == REPORT_TERM_BEFORE ? REPORT_BEFORE : REPORT_WINDOW, t[i].name);
            break;
        case REPORT_TERM_LEVEL:
            rc = level(sums, t[i].name, &x);
            break;
        case REPORT_TERM_PROCS_COUNT:
        case REPORT_TERM_PROCS_SUM: {
            struct procs p = {sums, &t[i], 0};
            rc = report_sums_each(sums, procs_visit, &p);
            x = p.total;
            break;
        }
        default:
            return CCHC_EINVAL;
        }
        if (rc)
            return rc;
        if (t[i].sign < 0 ? __builtin_sub_overflow(*sum, x, sum)
                          : __builtin_add_overflow(*sum, x, sum))
            return CCHC_ETOOBIG;
    }
    return CCHC_OK;
}

/* A manual indicator: the level f<form>.<code>, empty until someone reports
 * it (a row nobody filled in is not a 0). A "%" row holds basis points. */
static int indicator(const struct report_form *f, const struct report_row *r,
                     const struct report_sums *sums, struct report_value *out)
{
    char name[NAME_MAX_LEN];
    if (snprintf(name, sizeof name, "f%d.%s", f->number, r->code) >= (int)sizeof name)
        return CCHC_EINVAL;
    out->rate = r->uom && strcmp(r->uom, "%") == 0;
    if (!report_sums_has(sums, name))
        return CCHC_OK;
    int rc = level(sums, name, &out->v);
    if (rc == CCHC_OK)
        out->empty = 0;
    return rc;
}

static int eval(const struct report_form *f, const struct report_row *r,
                const struct report_sums *sums, int depth, struct report_value *out)
{
    *out = (struct report_value){.empty = 1, .rate = r->kind == REPORT_RATE, .scale = r->scale};
    if (depth > MAX_DEPTH)
        return CCHC_EINVAL;
    if (r->kind == REPORT_SECTION)
        return CCHC_OK;
    if (r->kind == REPORT_INDICATOR)
        return indicator(f, r, sums, out);
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

static int district_field(const char *name)
{
    size_t n = strlen(name);
    return strncmp(name, "district:", 9) == 0 || (n > 9 && strcmp(name + n - 9, ".district") == 0);
}

/* 1 when every field r sums, through the rows it names, is a district one
 * (and it sums one at least); depth stops a cycle, which eval refuses. */
static int district_only(const struct report_form *f, const struct report_row *r, int depth)
{
    const struct report_term *lists[] = {r->num, r->den};
    int any = 0;
    if (depth > 32)
        return 0;
    for (int l = 0; l < 2; l++)
        for (int i = 0; i < REPORT_TERMS && lists[l][i].src != REPORT_TERM_NONE; i++) {
            const struct report_term *t = &lists[l][i];
            if (t->src == REPORT_TERM_ROW) {
                const struct report_row *x = find_row(f, t->name);
                if (!x || !district_only(f, x, depth + 1))
                    return 0;
            } else if (!district_field(t->name)) {
                return 0;
            }
            any = 1;
        }
    return any;
}

void report_form_hide_districts(const struct report_form *f, struct report_value *v)
{
    size_t n = f->nrows + f->nextra;
    for (size_t i = 0; i < n; i++) {
        const struct report_row *r = report_form_row(f, i);
        if (r->kind != REPORT_SECTION)
            v[i].hidden = district_only(f, r, 0);
    }
    /* A heading goes with its rows: up to the next heading, in its block. */
    for (size_t i = 0; i < n; i++) {
        if (report_form_row(f, i)->kind != REPORT_SECTION)
            continue;
        size_t end = i < f->nrows ? f->nrows : n, k = i + 1, shown = 0;
        for (; k < end && report_form_row(f, k)->kind != REPORT_SECTION; k++)
            shown += !v[k].hidden;
        v[i].hidden = k > i + 1 && shown == 0;
    }
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
