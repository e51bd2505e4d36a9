#include "render.h"

#include "base/err.h"
#include "base/json.h"
#include "base/period.h"

#include <glib.h>
#include <stdlib.h>

/* Counts as integers, rates with exactly two decimals written out (93.56,
 * 98.40, 100.00: valid JSON numbers, and what a reader sees on the paper
 * form), money in millions as 196870 or 196870.5: never through a double
 * that would print 93.560000000000002. */
static void json_value(GString *out, const struct report_value *v)
{
    char s[REPORT_VALUE_LEN];
    report_value_format(v, REPORT_PLAIN, s);
    g_string_append(out, v->empty ? "null" : s);
}

int report_render_json(FILE *out, const struct report_form *f, const struct report_ctx *c,
                       const char **failed)
{
    size_t n = f->nrows + f->nextra;
    struct report_value *v = g_new0(struct report_value, n ? n : 1);
    int rc = report_eval(f, c, v, failed);
    if (rc)
        goto cleanup;
    char from[CCHC_DAY_LEN], to[CCHC_DAY_LEN];
    cchc_day_format(c->from_day, from);
    cchc_day_format(c->to_day, to);
    GString *j = g_string_new(NULL);
    g_string_append_printf(j, "{\"form\":%d", f->number);
    json_key(j, "unit");
    json_cstr(j, c->unit);
    json_key(j, "from");
    json_cstr(j, from);
    json_key(j, "to");
    json_cstr(j, to);
    json_key(j, "rows");
    g_string_append_c(j, '{');
    for (size_t i = 0; i < n; i++) {
        const struct report_row *r = report_form_row(f, i);
        if (r->kind == REPORT_SECTION || v[i].hidden)
            continue;
        json_key(j, r->code);
        json_value(j, &v[i]);
    }
    g_string_append(j, "}}\n");
    fwrite(j->str, 1, j->len, out);
    g_string_free(j, TRUE);
    rc = ferror(out) ? CCHC_EIO : CCHC_OK;
cleanup:
    g_free(v);
    return rc;
}
