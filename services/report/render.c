#include "render.h"

#include "period.h"
#include "rate.h"

#include <inttypes.h>
#include <string.h>

/* Terminal columns of a UTF-8 string: Vietnamese in NFC is one column a code point. */
static int width(const char *s)
{
    int w = 0;
    for (; s && *s; s++)
        w += ((unsigned char)*s & 0xc0) != 0x80;
    return w;
}

static void pad(FILE *out, const char *s, int w)
{
    fputs(s ? s : "", out);
    for (int i = width(s); i < w; i++)
        fputc(' ', out);
}

/* 45148 -> "45.148", as Vietnamese documents print numbers. */
static void vn_count(int64_t v, char *out, size_t cap)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%" PRId64, v < 0 ? -v : v), k = 0;
    size_t o = 0;
    if (v < 0 && o + 1 < cap)
        out[o++] = '-';
    for (int i = 0; i < n && o + 2 < cap; i++) {
        out[o++] = digits[i];
        k = n - i - 1;
        if (k && k % 3 == 0)
            out[o++] = '.';
    }
    out[o] = 0;
}

static void value_text(struct row_value v, char *out, size_t cap)
{
    if (v.empty)
        out[0] = 0;
    else if (v.rate)
        cchc_rate_format(v.v, ',', out);
    else
        vn_count(v.v, out, cap);
}

static void table(FILE *out, const struct form_def *f, const struct row_def *rows,
                  const struct report_ctx *c)
{
    int wc = 3, wl = 18, wu = 11;
    for (const struct row_def *r = rows; r->code; r++) {
        wc = width(r->code) > wc ? width(r->code) : wc;
        wl = width(r->label) > wl ? width(r->label) : wl;
        wu = width(r->uom) > wu ? width(r->uom) : wu;
    }
    pad(out, "STT", wc + 2), pad(out, "Chỉ tiêu thống kê", wl + 2);
    pad(out, "Đơn vị tính", wu + 2), fputs("Số liệu\n", out);
    for (const struct row_def *r = rows; r->code; r++) {
        char v[40];
        value_text(form_row_value(f, r, c->fig), v, sizeof v);
        pad(out, r->code, wc + 2);
        pad(out, r->label, wl + 2);
        pad(out, r->uom, wu + 2);
        fprintf(out, "%12s\n", v);
    }
}

static void vn_date(int64_t day, char *out)
{
    int y, m, d;
    cchc_day_to_civil(day, &y, &m, &d);
    snprintf(out, 16, "%02d/%02d/%04d", d % 100, m % 100, y % 10000);
}

void render_text(FILE *out, const struct form_def *f, const struct report_ctx *c)
{
    char a[16], b[16];
    vn_date(c->from_day, a);
    vn_date(c->to_day, b);
    fprintf(out, "Biểu mẫu %d — %s\n%s (%s)\nSố liệu từ %s đến %s\n\n", f->number, f->title,
            c->fig->name, c->unit, a, b);
    table(out, f, f->rows, c);
    if (f->extra && f->extra->code) {
        fputs("\nChi tiết (số liệu trong phần nội dung báo cáo)\n", out);
        table(out, f, f->extra, c);
    }
    fputc('\n', out);
}

static void json_rows(FILE *out, const struct form_def *f, const struct row_def *rows,
                      const struct report_ctx *c, int *first)
{
    for (const struct row_def *r = rows; r->code; r++) {
        if (r->op == ROW_HEADING)
            continue;
        struct row_value v = form_row_value(f, r, c->fig);
        char s[40];
        if (v.empty)
            snprintf(s, sizeof s, "null");
        else if (v.rate)
            cchc_rate_format(v.v, '.', s);
        else
            snprintf(s, sizeof s, "%" PRId64, v.v);
        fprintf(out, "%s\"%s\":%s", *first ? "" : ",", r->code, s);
        *first = 0;
    }
}

void render_json(FILE *out, const struct form_def *f, const struct report_ctx *c)
{
    char a[CCHC_DAY_LEN], b[CCHC_DAY_LEN];
    cchc_day_format(c->from_day, a);
    cchc_day_format(c->to_day, b);
    /* Unit ids are [a-z0-9.-]: nothing to escape. */
    fprintf(out, "{\"form\":%d,\"unit\":\"%s\",\"from\":\"%s\",\"to\":\"%s\",\"rows\":{", f->number,
            c->unit, a, b);
    int first = 1;
    json_rows(out, f, f->rows, c, &first);
    if (f->extra)
        json_rows(out, f, f->extra, c, &first);
    fputs("}}\n", out);
}
