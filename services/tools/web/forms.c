/* GET /v1/forms: the forms of a unit and window as the page shows them
 * (JSON: each row with its Vietnamese and English label, its value plain and
 * in both languages' number format, and the source report's slip where it
 * printed another figure), or as the downloads of what is on screen: CSV
 * and XLSX, the renderers of cchc-report, so that a download holds exactly
 * what cchc-report would print. */
#include "web.h"

#include "base/err.h"
#include "base/json.h"
#include "base/period.h"
#include "labels.h"
#include "render.h"
#include "slips.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *kind_name(enum report_row_kind k)
{
    static const char *const names[] = {"section", "indicator", "count", "rate"};
    return names[k];
}

/* A text and its English, or null for none. */
static void texts(GString *j, const char *key, const char *vi)
{
    char key_en[32];
    snprintf(key_en, sizeof key_en, "%s_en", key);
    json_key(j, key);
    if (vi)
        json_cstr(j, vi);
    else
        g_string_append(j, "null");
    json_key(j, key_en);
    const char *en = vi ? report_en(vi) : NULL;
    if (en)
        json_cstr(j, en);
    else if (vi)
        json_cstr(j, vi); /* the catalogue covers every form text (report_labels) */
    else
        g_string_append(j, "null");
}

static void value_texts(GString *j, const struct report_value *v)
{
    char s[REPORT_VALUE_LEN];
    json_key(j, "value");
    report_value_format(v, REPORT_PLAIN, s);
    if (v->empty)
        g_string_append(j, "null");
    else
        g_string_append(j, s); /* a JSON number: integers, or decimals written out */
    report_value_format(v, REPORT_VN, s);
    json_key(j, "text");
    json_cstr(j, s);
    report_value_format(v, REPORT_EN, s);
    json_key(j, "text_en");
    json_cstr(j, s);
}

static void slip(GString *j, const struct report_ctx *c, int form, const char *code)
{
    const struct report_slip *s = report_slip_find(c->unit, c->from_day, c->to_day, form, code);
    if (!s)
        return;
    json_key(j, "source");
    g_string_append_c(j, '{');
    json_key(j, "printed");
    json_cstr(j, s->printed);
    json_key(j, "note");
    json_cstr(j, s->note_vi);
    json_key(j, "note_en");
    json_cstr(j, s->note_en);
    g_string_append_c(j, '}');
}

static int form_json(GString *j, const struct report_form *f, const struct report_ctx *c,
                     const char **failed)
{
    size_t n = f->nrows + f->nextra;
    struct report_value *v = g_new0(struct report_value, n ? n : 1);
    int rc = report_eval(f, c, v, failed);
    if (rc) {
        g_free(v);
        return rc;
    }
    json_sep(j);
    g_string_append_printf(j, "{\"number\":%d", f->number);
    texts(j, "title", f->title);
    json_key(j, "rows");
    g_string_append_c(j, '[');
    for (size_t i = 0; i < n; i++) {
        const struct report_row *r = report_form_row(f, i);
        if (v[i].hidden)
            continue;
        json_sep(j);
        g_string_append_c(j, '{');
        json_key(j, "code");
        json_cstr(j, r->code);
        json_key(j, "kind");
        json_cstr(j, kind_name(r->kind));
        json_key(j, "extra");
        g_string_append(j, i >= f->nrows ? "true" : "false");
        texts(j, "label", r->label);
        texts(j, "uom", r->uom);
        if (r->kind != REPORT_SECTION) {
            value_texts(j, &v[i]);
            slip(j, c, f->number, r->code);
        }
        g_string_append_c(j, '}');
    }
    g_string_append(j, "]}");
    g_free(v);
    return CCHC_OK;
}

static void head(GString *j, const struct web_req *q, const struct report_ctx *c)
{
    char from[CCHC_DAY_LEN], to[CCHC_DAY_LEN], as_of[CCHC_DAY_LEN];
    cchc_day_format(c->from_day, from);
    cchc_day_format(c->to_day, to);
    json_key(j, "unit");
    json_cstr(j, c->unit);
    json_key(j, "name");
    json_cstr(j, c->info->name);
    json_key(j, "level");
    json_cstr(j, c->info->level);
    json_key(j, "from");
    json_cstr(j, from);
    json_key(j, "to");
    json_cstr(j, to);
    json_key(j, "as_of");
    if (q->q.as_of) {
        cchc_day_format(q->q.as_of_day, as_of);
        json_cstr(j, as_of);
    } else {
        g_string_append(j, "null");
    }
    json_key(j, "no_districts");
    g_string_append(j, c->no_districts ? "true" : "false");
}

/* The workbook through a private temporary file: libxlsxwriter writes
 * files, and the answer is the file's bytes. */
static int xlsx_body(const struct web_req *q, const struct report_ctx *c, GString **out,
                     const char **failed, char *why, size_t cap)
{
    char *path = NULL;
    GError *err = NULL;
    int fd = g_file_open_tmp("cchc-web-XXXXXX.xlsx", &path, &err);
    if (fd < 0) {
        snprintf(why, cap, "no temporary file for the workbook: %s", err->message);
        g_error_free(err);
        return CCHC_EIO;
    }
    close(fd);
    struct report_xlsx *x = report_xlsx_open(path);
    int rc = CCHC_OK;
    for (const struct report_form *const *f = report_forms; *f && rc == CCHC_OK; f++)
        if (!q->form || (*f)->number == q->form)
            rc = report_render_xlsx(x, *f, c, failed);
    int closed = report_xlsx_close(x, why, cap);
    gchar *bytes = NULL;
    gsize len = 0;
    if (rc == CCHC_OK && closed == CCHC_OK) {
        if (g_file_get_contents(path, &bytes, &len, &err)) {
            *out = g_string_new_len(bytes, (gssize)len);
            g_free(bytes);
        } else {
            snprintf(why, cap, "reading the workbook: %s", err->message);
            g_error_free(err);
            rc = CCHC_EIO;
        }
    } else if (rc == CCHC_OK) {
        rc = closed;
    }
    unlink(path);
    g_free(path);
    return rc;
}

static int csv_body(const struct web_req *q, const struct report_ctx *c, GString **out,
                    const char **failed)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        g_error("out of memory for the CSV");
    int rc = CCHC_OK, first = 1;
    for (const struct report_form *const *f = report_forms; *f && rc == CCHC_OK; f++)
        if (!q->form || (*f)->number == q->form) {
            rc = report_render_csv(m, *f, c, first, failed);
            first = 0;
        }
    if (fclose(m) != 0 && rc == CCHC_OK)
        rc = CCHC_EIO;
    if (rc == CCHC_OK)
        *out = g_string_new_len(buf, (gssize)len);
    free(buf);
    return rc;
}

void web_forms(struct web *w, struct web_req *q, struct http_answer *a)
{
    struct store *s = web_store(w, a);
    if (!s)
        return;
    struct report_sums *sums = report_sums_new();
    struct report_unit info;
    char why[512];
    int rc = report_load(s, w->units, w->why_units, &q->q, &info, sums, why, sizeof why);
    store_close(s);
    if (rc) {
        web_load_failed(w, rc, why, a);
        report_sums_free(sums);
        return;
    }
    struct report_ctx c = {q->unit,     &info, q->q.from_day,
                           q->q.to_day, sums,  report_no_districts(w->units, &q->q)};
    const char *failed = "?";
    GString *body = NULL;
    if (q->format == WEB_JSON) {
        body = g_string_new("{");
        head(body, q, &c);
        json_key(body, "forms");
        g_string_append_c(body, '[');
        for (const struct report_form *const *f = report_forms; *f && rc == CCHC_OK; f++)
            if (!q->form || (*f)->number == q->form)
                rc = form_json(body, *f, &c, &failed);
        g_string_append(body, "]}\n");
    } else {
        char from[CCHC_DAY_LEN], to[CCHC_DAY_LEN];
        cchc_day_format(q->q.from_day, from);
        cchc_day_format(q->q.to_day, to);
        const char *ext = q->format == WEB_CSV ? "csv" : "xlsx";
        char form[16] = "";
        if (q->form)
            snprintf(form, sizeof form, "-bieu-mau-%d", q->form);
        snprintf(q->disposition, sizeof q->disposition,
                 "attachment; filename=\"cchc-%s-%s-%s%s.%s\"", q->unit, from, to, form, ext);
        rc = q->format == WEB_CSV ? csv_body(q, &c, &body, &failed)
                                  : xlsx_body(q, &c, &body, &failed, why, sizeof why);
    }
    report_sums_free(sums);
    if (rc) {
        if (body)
            g_string_free(body, TRUE);
        char msg[700];
        if (rc == CCHC_EIO)
            snprintf(msg, sizeof msg, "the download could not be made: %s",
                     q->format == WEB_XLSX ? why : "out of memory for the CSV");
        else
            snprintf(msg, sizeof msg, "row %s: %s (figures in Redis contradict each other)", failed,
                     cchc_strerror(rc));
        http_answer_error(a, MHD_HTTP_INTERNAL_SERVER_ERROR, msg);
        return;
    }
    static const char *const types[] = {
        "application/json", "text/csv; charset=utf-8",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"};
    *a = (struct http_answer){.status = MHD_HTTP_OK, .body = body, .type = types[q->format]};
    if (q->format != WEB_JSON) {
        size_t k = 0;
        while (q->headers[k])
            k++;
        q->headers[k] = "Content-Disposition";
        q->headers[k + 1] = q->disposition;
        q->headers[k + 2] = NULL;
    }
    a->headers = q->headers;
}
