#include "render.h"

#include "base/err.h"
#include "base/period.h"

#include <stdlib.h>

/* A JSON string. The unit id is checked by report_main.c, but the contract
 * must hold whatever a caller passes. */
static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

/* Counts as integers, rates with exactly two decimals written out (93.56,
 * 98.40, 100.00: valid JSON numbers, and what a reader sees on the paper
 * form), money in millions as 196870 or 196870.5: never through a double
 * that would print 93.560000000000002. */
static void json_value(FILE *out, const struct report_value *v)
{
    char s[REPORT_VALUE_LEN];
    report_value_format(v, REPORT_PLAIN, s);
    fputs(v->empty ? "null" : s, out);
}

int report_render_json(FILE *out, const struct report_form *f, const struct report_ctx *c,
                       const char **failed)
{
    size_t n = f->nrows + f->nextra;
    struct report_value *v = calloc(n ? n : 1, sizeof *v);
    if (!v)
        return CCHC_ENOMEM;
    int rc = report_form_eval(f, c->sums, v, failed);
    if (rc)
        goto cleanup;
    char from[CCHC_DAY_LEN], to[CCHC_DAY_LEN];
    cchc_day_format(c->from_day, from);
    cchc_day_format(c->to_day, to);
    fprintf(out, "{\"form\":%d,\"unit\":", f->number);
    json_string(out, c->unit);
    fprintf(out, ",\"from\":\"%s\",\"to\":\"%s\",\"rows\":{", from, to);
    const char *comma = "";
    for (size_t i = 0; i < n; i++) {
        const struct report_row *r = report_form_row(f, i);
        if (r->kind == REPORT_SECTION)
            continue;
        fputs(comma, out);
        json_string(out, r->code);
        fputc(':', out);
        json_value(out, &v[i]);
        comma = ",";
    }
    fputs("}}\n", out);
    rc = ferror(out) ? CCHC_EIO : CCHC_OK;
cleanup:
    free(v);
    return rc;
}
