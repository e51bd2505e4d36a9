/* What every renderer shares: the lines above every form (the text and the
 * workbook), the unit and the window, in Vietnamese, and the rows' values
 * with those not printed marked. The unit's name comes from Redis, so it is
 * made safe to print first. */
#include "render.h"

#include "base/err.h"
#include "base/period.h"
#include "base/utf8.h"

#include <stdio.h>
#include <string.h>

/* Appends s to out[*o ..] as printable UTF-8: control characters and bytes
 * that are not UTF-8 become '?', which neither a terminal nor the XML of a
 * workbook would take. */
static void put_clean(char *out, size_t cap, size_t *o, const char *s)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
    while (*p && *o + 1 < cap) {
        size_t n = *p < 0x80 ? (*p >= 0x20 && *p != 0x7f)
                             : utf8_seq_len((const char *)p, (size_t)(end - p));
        if (n == 0 || *o + n >= cap) {
            out[(*o)++] = '?';
            p++;
            continue;
        }
        memcpy(out + *o, p, n);
        *o += n;
        p += n;
    }
    out[*o] = 0;
}

static const char *vn_level(const char *level)
{
    if (strcmp(level, "province") == 0)
        return "cấp tỉnh";
    if (strcmp(level, "district") == 0)
        return "cấp huyện";
    if (strcmp(level, "commune") == 0)
        return "cấp xã";
    return level;
}

void report_unit_line(const struct report_ctx *c, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = 0;
    put_clean(out, cap, &o, "Đơn vị: ");
    if (c->info->name[0]) {
        put_clean(out, cap, &o, c->info->name);
        put_clean(out, cap, &o, " (");
    }
    put_clean(out, cap, &o, c->unit);
    if (c->info->level[0]) {
        put_clean(out, cap, &o, ", ");
        put_clean(out, cap, &o, vn_level(c->info->level));
    }
    if (c->info->name[0])
        put_clean(out, cap, &o, ")");
}

static void vn_date(int64_t day, char out[16])
{
    int y, m, d;
    cchc_day_to_civil(day, &y, &m, &d);
    snprintf(out, 16, "%02d/%02d/%04d", d, m, y);
}

void report_window_line(const struct report_ctx *c, char *out, size_t cap)
{
    char from[16], to[16];
    vn_date(c->from_day, from);
    vn_date(c->to_day, to);
    snprintf(out, cap, "Số liệu từ %s đến %s", from, to);
}

int report_eval(const struct report_form *f, const struct report_ctx *c, struct report_value *v,
                const char **failed)
{
    int rc = report_form_eval(f, c->sums, v, failed);
    if (rc == CCHC_OK && c->no_districts)
        report_form_hide_districts(f, v);
    return rc;
}
