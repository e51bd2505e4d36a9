/* Printing a form: a text table as the forms print it, or the JSON contract. */
#ifndef CCHC_REPORT_RENDER_H
#define CCHC_REPORT_RENDER_H

#include "forms.h"

#include <stdint.h>
#include <stdio.h>

struct report_ctx {
    const char *unit;
    int64_t from_day, to_day;
    const struct figures *fig;
};

void render_text(FILE *out, const struct form_def *f, const struct report_ctx *c);
void render_json(FILE *out, const struct form_def *f, const struct report_ctx *c);

#endif
