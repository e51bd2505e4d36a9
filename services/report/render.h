/* Printing one form: as text the way the forms are printed on paper
 * (render_text.c), or as the JSON contract of DESIGN.md (render_json.c). */
#ifndef CCHC_REPORT_RENDER_H
#define CCHC_REPORT_RENDER_H

#include "figures.h"
#include "forms.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct report_ctx {
    const char *unit;               /* the unit id asked for */
    const struct report_unit *info; /* its registry entry */
    int64_t from_day, to_day;       /* the window, both days included */
    const struct report_sums *sums;
};

/* Both evaluate every row before writing, so a form that cannot be computed
 * prints nothing: the error (CCHC_EINVAL, CCHC_ETOOBIG, see report_row_value)
 * and the failing row's code go to *failed. CCHC_EIO when out fails. */
int report_render_text(FILE *out, const struct report_form *f, const struct report_ctx *c,
                       const char **failed);
/* One line: {"form":3,"unit":..,"from":..,"to":..,"rows":{"1.1":null,"3.2":93.56,...}}. */
int report_render_json(FILE *out, const struct report_form *f, const struct report_ctx *c,
                       const char **failed);

#endif
