#include "render.h"

#include "base/err.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

/* Columns a UTF-8 string takes on a terminal: one per code point, i.e. per
 * byte that is not a continuation byte. Right for Vietnamese in NFC, where
 * every letter with its marks is one precomposed code point. */
static size_t width(const char *s)
{
    size_t w = 0;
    for (; s && *s; s++)
        w += ((unsigned char)*s & 0xc0) != 0x80;
    return w;
}

static size_t max_size(size_t a, size_t b)
{
    return a > b ? a : b;
}

struct cols {
    size_t code, label, uom, value;
};

static void cell(FILE *out, const char *s, size_t w, int right)
{
    size_t pad = w > width(s) ? w - width(s) : 0;
    if (right)
        fprintf(out, "%*s%s", (int)pad, "", s ? s : "");
    else
        fprintf(out, "%s%*s", s ? s : "", (int)pad, "");
}

/* One line of the table. The last cell is right-aligned (numbers), so only an
 * empty value would leave trailing blanks: the line then stops after the unit
 * of measure, or after the label for a section. */
static void line(FILE *out, const struct cols *w, const char *code, const char *label,
                 const char *uom, const char *value)
{
    cell(out, code, w->code, 0);
    fputs(" | ", out);
    int more = (uom && *uom) || (value && *value);
    cell(out, label, more ? w->label : 0, 0);
    if (more) {
        fputs(" | ", out);
        cell(out, uom, value && *value ? w->uom : 0, 0);
        if (value && *value) {
            fputs(" | ", out);
            cell(out, value, w->value, 1);
        }
    }
    fputc('\n', out);
}

static void rule(FILE *out, const struct cols *w)
{
    size_t seg[] = {w->code, w->label, w->uom, w->value};
    for (size_t i = 0; i < 4; i++) {
        fputs(i ? "-+-" : "", out);
        for (size_t k = 0; k < seg[i]; k++)
            fputc('-', out);
    }
    fputc('\n', out);
}

/* Rows [first, end) as one table, its columns as wide as its widest cell. */
static void table(FILE *out, const struct report_form *f, const struct report_value *v,
                  char (*values)[REPORT_VALUE_LEN], size_t first, size_t end)
{
    struct cols w = {width("STT"), width("Chỉ tiêu thống kê"), width("Đơn vị tính"),
                     width("Số liệu")};
    for (size_t i = first; i < end; i++) {
        const struct report_row *r = report_form_row(f, i);
        if (v[i].hidden)
            continue;
        w.code = max_size(w.code, width(r->code));
        w.label = max_size(w.label, width(r->label));
        w.uom = max_size(w.uom, width(r->uom));
        w.value = max_size(w.value, width(values[i]));
    }
    line(out, &w, "STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu");
    rule(out, &w);
    for (size_t i = first; i < end; i++) {
        const struct report_row *r = report_form_row(f, i);
        if (!v[i].hidden)
            line(out, &w, r->code, r->label, r->uom, values[i]);
    }
}

static void heading(FILE *out, const struct report_form *f, const struct report_ctx *c)
{
    char unit[REPORT_LINE_LEN], window[REPORT_LINE_LEN];
    report_unit_line(c, unit, sizeof unit);
    report_window_line(c, window, sizeof window);
    fprintf(out, "Biểu mẫu %d — %s\n%s\n%s\n\n", f->number, f->title, unit, window);
}

int report_render_text(FILE *out, const struct report_form *f, const struct report_ctx *c,
                       const char **failed)
{
    size_t n = f->nrows + f->nextra;
    struct report_value *v = g_new0(struct report_value, n ? n : 1);
    char(*values)[REPORT_VALUE_LEN] = g_malloc0_n(n ? n : 1, sizeof *values);
    int rc = report_eval(f, c, v, failed);
    if (rc)
        goto cleanup;
    for (size_t i = 0; i < n; i++)
        report_value_format(&v[i], REPORT_VN, values[i]);
    heading(out, f, c);
    table(out, f, v, values, 0, f->nrows);
    if (f->nextra) {
        fputs("\nSố liệu chi tiết (phần nội dung báo cáo; mã bổ sung, xem README)\n", out);
        table(out, f, v, values, f->nrows, n);
    }
    fputc('\n', out);
    rc = ferror(out) ? CCHC_EIO : CCHC_OK;
cleanup:
    g_free(v);
    g_free(values);
    return rc;
}
