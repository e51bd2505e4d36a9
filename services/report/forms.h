/* The forms as tables of rows: each row says how its value comes from the
 * figures, so adding a form is adding a table, not code. */
#ifndef CCHC_REPORT_FORMS_H
#define CCHC_REPORT_FORMS_H

#include "figures.h"

#include <stdint.h>

enum row_op {
    ROW_HEADING, /* a section title, no value */
    ROW_NONE,    /* no source system yet: printed empty */
    ROW_SUM,     /* sum of fields a[0..] over the window */
    ROW_CARRIED, /* a[0] - a[1] summed over every day before the window */
    ROW_RATE,    /* rate of row a[0] over row a[1] */
    ROW_CALC,    /* row a[0] + row a[1] - row a[2] (absent: 0) */
};

struct row_def {
    const char *code;  /* the form's STT, or a documented extra code */
    const char *label; /* as the form prints it */
    const char *uom;   /* unit of measure */
    enum row_op op;
    const char *a[4];
};

struct form_def {
    int number;
    const char *title;
    const struct row_def *rows;  /* ends with a zeroed row */
    const struct row_def *extra; /* figures of the report's text, ends zeroed */
};

struct row_value {
    int empty; /* nothing to print (no source, or a division by zero) */
    int rate;  /* v is in basis points */
    int64_t v;
};

extern const struct form_def *const forms_all[]; /* NULL-terminated */
const struct form_def *forms_find(int number);

/* Evaluates row r of form f. */
struct row_value form_row_value(const struct form_def *f, const struct row_def *r,
                                const struct figures *fig);

#endif
