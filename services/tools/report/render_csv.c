#include "render.h"

#include "base/err.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

/* RFC 4180: a field holding a comma, a quote or a line break is quoted, its
 * quotes doubled. Labels hold commas ("Số sở, ban, ngành đã kiểm tra"). */
static void csv_field(FILE *out, const char *s)
{
    if (!s || !*s)
        return;
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

int report_render_csv(FILE *out, const struct report_form *f, const struct report_ctx *c,
                      int header, const char **failed)
{
    size_t n = f->nrows + f->nextra;
    struct report_value *v = g_new0(struct report_value, n ? n : 1);
    int rc = report_eval(f, c, v, failed);
    if (rc)
        goto cleanup;
    /* RFC 4180 ends records with CRLF. */
    if (header)
        fputs("form,code,label,unit,value\r\n", out);
    for (size_t i = 0; i < n; i++) {
        const struct report_row *r = report_form_row(f, i);
        char value[REPORT_VALUE_LEN];
        /* The rows of the JSON, no more: headings have no value, and an
         * extra block's heading repeats the code of its form row. */
        if (r->kind == REPORT_SECTION || v[i].hidden)
            continue;
        report_value_format(&v[i], REPORT_PLAIN, value);
        fprintf(out, "%d,", f->number);
        csv_field(out, r->code);
        fputc(',', out);
        csv_field(out, r->label);
        fputc(',', out);
        csv_field(out, r->uom);
        fputc(',', out);
        csv_field(out, value);
        fputs("\r\n", out);
    }
    rc = ferror(out) ? CCHC_EIO : CCHC_OK;
cleanup:
    g_free(v);
    return rc;
}
