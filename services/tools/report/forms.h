/* The forms as data: a form is a table of rows, and each row says where its
 * value comes from, so a form is one table (a form<N>.c) and one line in
 * forms.c, never code per row.
 *
 * A row's value is a count (a signed sum of terms), a rate (the sum of its
 * num terms over the sum of its den terms, rounded as the forms round, see
 * common/base/rate.h) or a manually reported indicator. A term is a Redis field
 * summed over the window (a counter), over the days before it, or over every
 * day up to the window's end (a level: the value in force at the end, see
 * services/README.md "Two kinds of metric"); another row of the same form; or
 * a count or sum over the procedures offered online (form 7). */
#ifndef CCHC_REPORT_FORMS_H
#define CCHC_REPORT_FORMS_H

#include "sums.h"

#include <stddef.h>
#include <stdint.h>

enum report_term_src {
    REPORT_TERM_NONE = 0, /* end of the list */
    REPORT_TERM_WINDOW,   /* name is a field, summed over the window's days: a counter */
    REPORT_TERM_BEFORE,   /* name is a field, summed over every day before the window */
    REPORT_TERM_LEVEL,    /* name is a field, summed over every day up to the window's end */
    REPORT_TERM_ROW,      /* name is the code of another row of the form */
    /* Over the procedures X whose level proc.X.online_l<n> is > 0 at the
     * window's end for some n in online (a REPORT_L3 | REPORT_L4 mask); name
     * is a field with '*' for X ("district:proc.*.received"), summed over
     * the window. PROCS_COUNT counts the X where that sum is > 0,
     * PROCS_SUM adds the sums. */
    REPORT_TERM_PROCS_COUNT,
    REPORT_TERM_PROCS_SUM,
};

#define REPORT_L3 (1 << 3)
#define REPORT_L4 (1 << 4)

struct report_term {
    enum report_term_src src;
    int sign; /* +1 or -1 */
    const char *name;
    int online; /* PROCS_*: the online levels that select a procedure */
};

/* Enough for the longest sum in a table: form 5's staff sent to training
 * adds the seven categories of trained.<category>. */
#define REPORT_TERMS 8

enum report_row_kind {
    REPORT_SECTION,   /* a heading: no value, not in the JSON */
    REPORT_INDICATOR, /* reported by hand: the level f<form>.<code>; empty until reported */
    REPORT_COUNT,     /* sum of num */
    REPORT_RATE,      /* sum of num over sum of den, in basis points */
};

/* How a count is printed. Money is held in integer đồng (services/README.md)
 * and only divided when printed, so rates of money rows are exact. */
enum report_scale {
    REPORT_UNITS = 0, /* as is */
    REPORT_MILLIONS, /* triệu đồng: đồng / 10^6, up to 3 decimals, trailing zeros dropped */
    REPORT_BILLIONS, /* tỷ đồng: đồng / 10^9 with one decimal, as the report's text (887,2) */
};

struct report_row {
    const char *code;  /* the form's STT, the JSON key ("3.2.1"); unique in the form */
    const char *label; /* as the form prints it (Vietnamese) */
    const char *uom;   /* unit of measure ("Hồ sơ", "%"); NULL for a section */
    enum report_row_kind kind;
    struct report_term num[REPORT_TERMS];
    struct report_term den[REPORT_TERMS];
    enum report_scale scale;
};

/* Rows for the tables, e.g.
 *   COUNT_ROW("3.2.2", "Số hồ sơ ...", "Hồ sơ", T_WIN("district:resolved_early"),
 *             T_WIN("district:resolved_on_time")),
 *   RATE_ROW("3.2", "Tỷ lệ ...", T_ROW("3.2.2"), T_ROW("3.2.1")),
 *   IND_ROW("1.2", "Số TTHC công bố mới", "Thủ tục").
 * An indicator whose unit is "%" is reported in basis points (hundredths of
 * a percent: 10000 is 100.00 %), the only integer that carries the two
 * decimals the forms print. */
/* clang-format would spread each of these over a dozen lines. */
/* clang-format off */
#define T_WIN(field) {REPORT_TERM_WINDOW, 1, field, 0}
#define T_BEFORE(field) {REPORT_TERM_BEFORE, 1, field, 0}
#define T_LVL(field) {REPORT_TERM_LEVEL, 1, field, 0}
#define T_ROW(code) {REPORT_TERM_ROW, 1, code, 0}
#define T_MINUS_BEFORE(field) {REPORT_TERM_BEFORE, -1, field, 0}
#define T_MINUS_WIN(field) {REPORT_TERM_WINDOW, -1, field, 0}
#define T_MINUS_ROW(code) {REPORT_TERM_ROW, -1, code, 0}
#define T_PROCS_COUNT(online, field) {REPORT_TERM_PROCS_COUNT, 1, field, online}
#define T_PROCS_SUM(online, field) {REPORT_TERM_PROCS_SUM, 1, field, online}
#define SECTION_ROW(code, label) {code, label, NULL, REPORT_SECTION, {{0}}, {{0}}, 0}
#define IND_ROW(code, label, uom) {code, label, uom, REPORT_INDICATOR, {{0}}, {{0}}, 0}
#define COUNT_ROW(code, label, uom, ...) {code, label, uom, REPORT_COUNT, {__VA_ARGS__}, {{0}}, 0}
#define MONEY_ROW(code, label, uom, scale, ...) \
    {code, label, uom, REPORT_COUNT, {__VA_ARGS__}, {{0}}, scale}
#define RATE_ROW(code, label, num, den) {code, label, "%", REPORT_RATE, {num}, {den}, 0}
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
    int empty; /* print nothing (JSON null): not reported, or a division by zero */
    int rate;  /* v is in basis points */
    enum report_scale scale;
    int64_t v;
    int hidden; /* not printed at all: a district row where no district existed */
};

extern const struct report_form *const report_forms[];  /* every form, NULL-terminated */
const struct report_form *report_form_find(int number); /* NULL if not implemented */

/* Evaluates row r of form f on sums. A sum is empty (not 0) when one of its
 * rows is: a figure is only given when every part of it is known.
 * CCHC_EINVAL for a table mistake (a term naming no row, a cycle, a rate
 * used as a count), CCHC_ETOOBIG when a count leaves int64_t or a rate is
 * beyond printing, CCHC_EINVAL too for a rate of a negative count (figures
 * that contradict each other). */
int report_row_value(const struct report_form *f, const struct report_row *r,
                     const struct report_sums *sums, struct report_value *out);

/* Row i of the form counting its extra rows after its own: i < nrows + nextra. */
const struct report_row *report_form_row(const struct report_form *f, size_t i);

/* Evaluates every row (rows, then extra) into v[0 .. nrows + nextra). On
 * failure *failed is the code of the row that failed, for the message. */
int report_form_eval(const struct report_form *f, const struct report_sums *sums,
                     struct report_value *v, const char **failed);

/* Marks hidden the rows of v (report_form_eval's) that only the district
 * level has: every field they sum, directly or through the rows they name,
 * is a district one ("district:..." or "....district"), and the headings
 * whose rows are all hidden. For windows where the unit had no district
 * (the two-tier system since 1 July 2025). */
void report_form_hide_districts(const struct report_form *f, struct report_value *v);

/* Room for any value report_value_format writes. */
#define REPORT_VALUE_LEN 40

enum report_style {
    REPORT_PLAIN, /* JSON and CSV: 45148, 93.56, 196870.5; "" when empty */
    REPORT_VN,    /* the paper form: 45.148, 93,56, 196.870,5 */
    REPORT_EN,    /* for English readers: 45,148, 93.56, 196,870.5 */
};

/* v as text, computed in integers only: no double ever decides a digit. */
void report_value_format(const struct report_value *v, enum report_style style,
                         char out[REPORT_VALUE_LEN]);

#endif
