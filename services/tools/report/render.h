/* Printing one form: as text the way the forms are printed on paper
 * (render_text.c), as the JSON contract of services/tools/report/README.md (render_json.c), as
 * CSV (render_csv.c), or as a sheet of an Excel workbook (render_xlsx.c). */
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
    int no_districts; /* the unit had no district in the window: no district rows */
};

/* report_form_eval, and the district rows hidden when c says so. */
int report_eval(const struct report_form *f, const struct report_ctx *c, struct report_value *v,
                const char **failed);

/* The lines above a form: "Đơn vị: Thành phố Rạch Giá (kg.rachgia, cấp
 * huyện)" (the name from Redis with control characters and bytes that are
 * not UTF-8 made '?') and "Số liệu từ 15/12/2021 đến 30/11/2022". */
#define REPORT_LINE_LEN 1024
void report_unit_line(const struct report_ctx *c, char *out, size_t cap);
void report_window_line(const struct report_ctx *c, char *out, size_t cap);

/* Each evaluates every row before writing, so a form that cannot be computed
 * prints nothing: the error (CCHC_EINVAL, CCHC_ETOOBIG, see report_row_value)
 * and the failing row's code go to *failed. CCHC_EIO when out fails. */
int report_render_text(FILE *out, const struct report_form *f, const struct report_ctx *c,
                       const char **failed);
/* One line: {"form":3,"unit":..,"from":..,"to":..,"rows":{"1.1":null,"3.2":93.56,...}}. */
int report_render_json(FILE *out, const struct report_form *f, const struct report_ctx *c,
                       const char **failed);

/* RFC 4180 CSV, UTF-8, CRLF: form,code,label,unit,value, one record per
 * key of the JSON, values as in the JSON but empty for null; the header
 * record first when header is set. */
int report_render_csv(FILE *out, const struct report_form *f, const struct report_ctx *c,
                      int header, const char **failed);

/* A workbook being built: open, add one sheet per form, close. Nothing is
 * written to path before report_xlsx_close. */
struct report_xlsx; /* opaque */

struct report_xlsx *report_xlsx_open(const char *path);
/* Adds the sheet "Biểu mẫu N": title, unit, window, a header row and the
 * form's rows, then its extra rows. Errors as report_render_text; a failure
 * of the library is kept and reported by report_xlsx_close. */
int report_render_xlsx(struct report_xlsx *x, const struct report_form *f,
                       const struct report_ctx *c, const char **failed);
/* Writes the file and frees x (also after a failure, so that nothing is
 * leaked: the caller then removes what was written). CCHC_EIO with the
 * library's message in why when the workbook could not be made or written. */
int report_xlsx_close(struct report_xlsx *x, char *why, size_t cap);

#endif
