/* The forms as data: a form is a table of rows, and each row says where its
 * value comes from, so adding form 1, 2, 4 ... 7 is adding one table (a
 * form<N>.c) and one line in forms.c, never code per row.
 *
 * A row's value is a count (a signed sum of terms) or a rate (the sum of its
 * num terms over the sum of its den terms, rounded as the forms round, see
 * common/rate.h). A term is a Redis field summed over the window, the same
 * summed over the days before it, or another row of the same form. */
#ifndef CCHC_REPORT_FORMS_H
#define CCHC_REPORT_FORMS_H

#include "sums.h"

#include <stddef.h>
#include <stdint.h>

enum report_term_src {
    REPORT_TERM_NONE = 0, /* end of the list */
    REPORT_TERM_WINDOW,   /* name is a field, summed over the window's days */
    REPORT_TERM_BEFORE,   /* name is a field, summed over every day before the window */
    REPORT_TERM_ROW,      /* name is the code of another row of the form */
};

struct report_term {
    enum report_term_src src;
    int sign; /* +1 or -1 */
    const char *name;
};

#define REPORT_TERMS 4

enum report_row_kind {
    REPORT_SECTION, /* a heading: no value, not in the JSON */
    REPORT_EMPTY,   /* no source system yet: printed empty, JSON null */
    REPORT_COUNT,   /* sum of num */
    REPORT_RATE,    /* sum of num over sum of den, in basis points */
};

struct report_row {
    const char *code;  /* the form's STT, the JSON key ("3.2.1"); unique in the form */
    const char *label; /* as the form prints it (Vietnamese) */
    const char *uom;   /* unit of measure ("Hồ sơ", "%"); NULL for a section */
    enum report_row_kind kind;
    struct report_term num[REPORT_TERMS];
    struct report_term den[REPORT_TERMS];
};

/* Rows for the tables, e.g.
 *   COUNT_ROW("3.2.2", "Số hồ sơ ...", "Hồ sơ", T_WIN("district:resolved_early"),
 *             T_WIN("district:resolved_on_time")),
 *   RATE_ROW("3.2", "Tỷ lệ ...", T_ROW("3.2.2"), T_ROW("3.2.1")). */
/* clang-format would spread each of these over a dozen lines. */
/* clang-format off */
#define T_WIN(field) {REPORT_TERM_WINDOW, 1, field}
#define T_BEFORE(field) {REPORT_TERM_BEFORE, 1, field}
#define T_ROW(code) {REPORT_TERM_ROW, 1, code}
#define T_MINUS_BEFORE(field) {REPORT_TERM_BEFORE, -1, field}
#define T_MINUS_ROW(code) {REPORT_TERM_ROW, -1, code}
#define SECTION_ROW(code, label) {code, label, NULL, REPORT_SECTION, {{0}}, {{0}}}
#define EMPTY_ROW(code, label, uom) {code, label, uom, REPORT_EMPTY, {{0}}, {{0}}}
#define COUNT_ROW(code, label, uom, ...) {code, label, uom, REPORT_COUNT, {__VA_ARGS__}, {{0}}}
#define RATE_ROW(code, label, num, den) {code, label, "%", REPORT_RATE, {num}, {den}}
/* clang-format on */

struct report_form {
    int number;
    const char *title;
    const struct report_row *rows; /* the form itself, in its order */
    size_t nrows;
    /* Figures the report's text quotes next to the form (documented in
     * README.md): printed after the form, in the same JSON rows object. */
    const struct report_row *extra;
    size_t nextra;
};

struct report_value {
    int empty; /* print nothing (JSON null): no source yet, or a division by zero */
    int rate;  /* v is in basis points */
    int64_t v;
};

extern const struct report_form *const report_forms[];  /* every form, NULL-terminated */
const struct report_form *report_form_find(int number); /* NULL if not implemented */

/* Evaluates row r of form f on sums. CCHC_EINVAL for a table mistake (a term
 * naming no row, a cycle, a rate used as a count), CCHC_ETOOBIG when a count
 * leaves int64_t or a rate is beyond printing, CCHC_EINVAL too for a rate of a
 * negative count (figures that contradict each other). */
int report_row_value(const struct report_form *f, const struct report_row *r,
                     const struct report_sums *sums, struct report_value *out);

/* Row i of the form counting its extra rows after its own: i < nrows + nextra. */
const struct report_row *report_form_row(const struct report_form *f, size_t i);

/* Evaluates every row (rows, then extra) into v[0 .. nrows + nextra). On
 * failure *failed is the code of the row that failed, for the message. */
int report_form_eval(const struct report_form *f, const struct report_sums *sums,
                     struct report_value *v, const char **failed);

#endif
