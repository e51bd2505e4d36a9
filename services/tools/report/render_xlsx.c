/* The forms as an Excel workbook (libxlsxwriter), one sheet per form, laid
 * out like the paper form so that the province's office can open, print and
 * forward it as it is: title, unit, window, the header STT | Chỉ tiêu thống
 * kê | Đơn vị tính | Số liệu, then the rows. Values are numbers, not text,
 * with a number format per kind (counts "#,##0", rates "0.00"), so the
 * office's Excel shows them in its own locale (45.148 and 93,56 in
 * Vietnamese) and can compute with them. */
#include "render.h"

#include "base/err.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

enum fmt {
    F_TITLE,
    F_NOTE,
    F_HEAD,
    F_CODE,
    F_LABEL,
    F_SECTION,
    F_UOM,
    F_COUNT,
    F_RATE,
    F_MILLIONS,     /* whole millions */
    F_MILLIONS_DEC, /* with the decimals of a part of a million */
    F_BILLIONS,
    F_EMPTY,
    F_N,
};

struct report_xlsx {
    lxw_workbook *wb;
    lxw_format *fmt[F_N];
    lxw_error err; /* the first failure of the library, reported at close */
};

/* Keeps the first error: the calls after it are harmless, and the first is
 * the one worth reporting. */
static void keep(struct report_xlsx *x, lxw_error e)
{
    if (e != LXW_NO_ERROR && x->err == LXW_NO_ERROR)
        x->err = e;
}

/* libxlsxwriter answers NULL only when its malloc fails: that aborts here,
 * as every allocation of cchc does (common/README.md). */
static void *made(void *p)
{
    if (!p)
        g_error("out of memory building the workbook");
    return p;
}

static lxw_format *bordered(lxw_workbook *wb)
{
    lxw_format *f = made(workbook_add_format(wb));
    format_set_border(f, LXW_BORDER_THIN);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    return f;
}

struct report_xlsx *report_xlsx_open(const char *path)
{
    struct report_xlsx *x = g_new0(struct report_xlsx, 1);
    x->wb = made(workbook_new(path));
    lxw_workbook *wb = x->wb;
    x->fmt[F_TITLE] = made(workbook_add_format(wb));
    x->fmt[F_NOTE] = made(workbook_add_format(wb));
    for (int i = F_HEAD; i < F_N; i++)
        x->fmt[i] = bordered(wb);
    /* What Excel shows under File > Properties. */
    lxw_doc_properties props = {
        .title = "Biểu mẫu thống kê số liệu báo cáo cải cách hành chính",
        .comments = "cchc-report",
    };
    keep(x, workbook_set_properties(wb, &props));
    format_set_bold(x->fmt[F_TITLE]);
    format_set_font_size(x->fmt[F_TITLE], 13);
    format_set_italic(x->fmt[F_NOTE]);
    format_set_bold(x->fmt[F_HEAD]);
    format_set_text_wrap(x->fmt[F_HEAD]);
    format_set_align(x->fmt[F_HEAD], LXW_ALIGN_CENTER);
    format_set_align(x->fmt[F_HEAD], LXW_ALIGN_VERTICAL_CENTER);
    format_set_bg_color(x->fmt[F_HEAD], 0xD9E1F2);
    format_set_text_wrap(x->fmt[F_LABEL]);
    format_set_text_wrap(x->fmt[F_SECTION]);
    format_set_bold(x->fmt[F_SECTION]);
    format_set_text_wrap(x->fmt[F_UOM]);
    format_set_num_format(x->fmt[F_COUNT], "#,##0");
    format_set_num_format(x->fmt[F_RATE], "0.00");
    format_set_num_format(x->fmt[F_MILLIONS], "#,##0");
    format_set_num_format(x->fmt[F_MILLIONS_DEC], "#,##0.0##");
    format_set_num_format(x->fmt[F_BILLIONS], "#,##0.0");
    return x;
}

/* The value cell. The number is read back from the exact decimal text of
 * report_value_format: strtod gives the double nearest to it (the program
 * never calls setlocale, so the decimal point is '.'), and a cell can hold
 * nothing closer. */
static void value_cell(struct report_xlsx *x, lxw_worksheet *ws, lxw_row_t row,
                       const struct report_value *v)
{
    char s[REPORT_VALUE_LEN];
    report_value_format(v, REPORT_PLAIN, s);
    if (v->empty) {
        keep(x, worksheet_write_blank(ws, row, 3, x->fmt[F_EMPTY]));
        return;
    }
    enum fmt f = F_COUNT;
    if (v->rate)
        f = F_RATE;
    else if (v->scale == REPORT_MILLIONS)
        f = strchr(s, '.') ? F_MILLIONS_DEC : F_MILLIONS;
    else if (v->scale == REPORT_BILLIONS)
        f = F_BILLIONS;
    keep(x, worksheet_write_number(ws, row, 3, strtod(s, NULL), x->fmt[f]));
}

static void header(struct report_xlsx *x, lxw_worksheet *ws, lxw_row_t row)
{
    static const char *const cols[] = {"STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu"};
    for (lxw_col_t i = 0; i < 4; i++)
        keep(x, worksheet_write_string(ws, row, i, cols[i], x->fmt[F_HEAD]));
}

/* Rows [first, end) of f from sheet row *row on. */
static void rows(struct report_xlsx *x, lxw_worksheet *ws, lxw_row_t *row,
                 const struct report_form *f, const struct report_value *v, size_t first,
                 size_t end)
{
    for (size_t i = first; i < end; i++) {
        const struct report_row *r = report_form_row(f, i);
        int section = r->kind == REPORT_SECTION;
        if (v[i].hidden)
            continue;
        /* Codes are text: "1.1" must not become the number 1.1. */
        keep(x, worksheet_write_string(ws, *row, 0, r->code, x->fmt[section ? F_SECTION : F_CODE]));
        keep(x,
             worksheet_write_string(ws, *row, 1, r->label, x->fmt[section ? F_SECTION : F_LABEL]));
        if (r->uom)
            keep(x, worksheet_write_string(ws, *row, 2, r->uom, x->fmt[F_UOM]));
        else
            keep(x, worksheet_write_blank(ws, *row, 2, x->fmt[F_UOM]));
        value_cell(x, ws, *row, &v[i]);
        (*row)++;
    }
}

int report_render_xlsx(struct report_xlsx *x, const struct report_form *f,
                       const struct report_ctx *c, const char **failed)
{
    size_t n = f->nrows + f->nextra;
    struct report_value *v = g_new0(struct report_value, n ? n : 1);
    int rc = report_eval(f, c, v, failed);
    if (rc)
        goto cleanup;
    char name[32], line[REPORT_LINE_LEN];
    snprintf(name, sizeof name, "Biểu mẫu %d", f->number);
    lxw_worksheet *ws = made(workbook_add_worksheet(x->wb, name));
    /* As wide as the longest code (the extra codes are words), labels
     * wrapped at about 70 characters. */
    size_t code_w = 4;
    for (size_t i = 0; i < n; i++) {
        size_t w = strlen(report_form_row(f, i)->code); /* codes are ASCII */
        code_w = w > code_w ? w : code_w;
    }
    keep(x, worksheet_set_column(ws, 0, 0, (double)code_w + 2, NULL));
    keep(x, worksheet_set_column(ws, 1, 1, 72, NULL));
    keep(x, worksheet_set_column(ws, 2, 2, 18, NULL));
    keep(x, worksheet_set_column(ws, 3, 3, 16, NULL));
    snprintf(line, sizeof line, "Biểu mẫu %d — %s", f->number, f->title);
    keep(x, worksheet_write_string(ws, 0, 0, line, x->fmt[F_TITLE]));
    report_unit_line(c, line, sizeof line);
    keep(x, worksheet_write_string(ws, 1, 0, line, NULL));
    report_window_line(c, line, sizeof line);
    keep(x, worksheet_write_string(ws, 2, 0, line, NULL));
    lxw_row_t row = 4;
    header(x, ws, row++);
    /* The header stays in view while scrolling and on every printed page. */
    worksheet_freeze_panes(ws, row, 0);
    keep(x, worksheet_repeat_rows(ws, row - 1, row - 1));
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_fit_to_pages(ws, 1, 0);
    rows(x, ws, &row, f, v, 0, f->nrows);
    if (f->nextra) {
        row++;
        keep(x, worksheet_write_string(ws, row++, 0,
                                       "Số liệu chi tiết (phần nội dung báo cáo; mã bổ sung)",
                                       x->fmt[F_NOTE]));
        header(x, ws, row++);
        rows(x, ws, &row, f, v, f->nrows, n);
    }
cleanup:
    g_free(v);
    return rc;
}

int report_xlsx_close(struct report_xlsx *x, char *why, size_t cap)
{
    lxw_error e = workbook_close(x->wb);
    if (x->err != LXW_NO_ERROR)
        e = x->err;
    g_free(x);
    if (e == LXW_NO_ERROR)
        return CCHC_OK;
    snprintf(why, cap, "%s", lxw_strerror(e));
    return CCHC_EIO;
}
