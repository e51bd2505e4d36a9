/* The records of a request's body, one at a time (feed.h). */
#include "ingest/feed.h"

#include "ingest/dvcqg.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* A DVCQG record of a body, or what kept a value from being one. */
struct piece {
    const char *text; /* in the body, or in `owned` */
    size_t n;
    char *owned, *error; /* owned */
    long lineno;
    int record;          /* struct ingest_line */
    const char *madonvi; /* in an envelope the feed keeps */
};

/* Lines in body[0..len), the last one counted without its newline. */
static size_t count_lines(const char *body, size_t len)
{
    size_t lines = 0;
    for (const char *p = body, *end = body + len; p < end; lines++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    return lines;
}

/* The newlines in s[0..n). */
static long newlines(const char *s, size_t n)
{
    long k = 0;
    for (const char *p = s, *end = s + n; (p = memchr(p, '\n', (size_t)(end - p))); p++)
        k++;
    return k;
}

static void add_piece(struct feed *f, struct piece p)
{
    g_array_append_val(f->pieces, p);
}

static void dvcqg_split(struct feed *f)
{
    f->pieces = g_array_new(FALSE, TRUE, sizeof(struct piece));
    f->envelopes = g_ptr_array_new_with_free_func((GDestroyNotify)json_decref);
    size_t pos = 0;
    long line = f->lineno;
    while (pos < f->len) {
        size_t ws = 0; /* the body is not NUL-terminated */
        while (pos + ws < f->len && strchr(" \t\r\n", f->body[pos + ws]) && f->body[pos + ws])
            ws++;
        if (pos + ws >= f->len)
            break;
        line += newlines(f->body + pos, ws);
        pos += ws;
        json_error_t e;
        const char *start = f->body + pos;
        json_t *v =
            json_loadb(start, f->len - pos, JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES, &e);
        size_t used = e.position > 0 ? (size_t)e.position : 1;
        if (used > f->len - pos)
            used = f->len - pos;
        if (!v) {
            /* Read on from the line after the error's. */
            const char *nl = memchr(start + used - 1, '\n', f->len - pos - (used - 1));
            used = nl ? (size_t)(nl - start) + 1 : f->len - pos;
            add_piece(f,
                      (struct piece){.text = start,
                                     .n = used,
                                     .error = g_strdup_printf("malformed JSON at line %ld "
                                                              "column %d: %s",
                                                              line + e.line - 1, e.column, e.text),
                                     .lineno = line + e.line - 1});
        } else {
            int is;
            const char *madonvi;
            json_t *data;
            char why[256];
            if (dvcqg_envelope(v, &is, &madonvi, &data, why, sizeof why)) {
                add_piece(f, (struct piece){
                                 .text = start, .n = used, .error = g_strdup(why), .lineno = line});
            } else if (!is) {
                add_piece(f, (struct piece){.text = start, .n = used, .lineno = line});
            } else {
                size_t i;
                json_t *r;
                json_array_foreach(data, i, r)
                {
                    char *t = json_dumps(r, JSON_COMPACT | JSON_ENCODE_ANY);
                    add_piece(f, (struct piece){.text = t,
                                                .n = strlen(t),
                                                .owned = t,
                                                .lineno = line,
                                                .record = (int)i + 1,
                                                .madonvi = madonvi});
                }
                g_ptr_array_add(f->envelopes, json_incref(v));
            }
            json_decref(v);
        }
        line += newlines(start, used);
        pos += used;
    }
}

/* The next record into l, unparsed (l->why set: rejected already): 1, or
 * 0 past the last. */
int feed_next(struct feed *f, const struct source *src, struct ingest_line *l)
{
    if (f->pieces) {
        if (f->next >= f->pieces->len)
            return 0;
        struct piece *p = &g_array_index(f->pieces, struct piece, f->next++);
        *l = (struct ingest_line){.text = p->text,
                                  .n = p->n,
                                  .lineno = p->lineno,
                                  .src = src,
                                  .dvcqg = 1,
                                  .record = p->record,
                                  .madonvi = p->madonvi};
        if (p->error) {
            l->v = INGEST_REJECTED;
            l->why = p->error;
            p->error = NULL; /* the line's now */
        }
        return 1;
    }
    while (f->pos < f->len) {
        const char *text = f->body + f->pos, *nl = memchr(text, '\n', f->len - f->pos);
        size_t tn = nl ? (size_t)(nl - text) : f->len - f->pos;
        f->pos += tn + (nl != NULL);
        f->lineno++;
        if (tn && text[tn - 1] == '\r')
            tn--;
        size_t k = 0;
        while (k < tn && (text[k] == ' ' || text[k] == '\t'))
            k++;
        if (k < tn) {
            *l = (struct ingest_line){.text = text, .n = tn, .lineno = f->lineno, .src = src};
            return 1;
        }
    }
    return 0;
}

void feed_free(struct feed *f)
{
    if (!f->pieces)
        return;
    for (guint i = 0; i < f->pieces->len; i++) {
        struct piece *p = &g_array_index(f->pieces, struct piece, i);
        free(p->owned);
        g_free(p->error);
    }
    g_array_free(f->pieces, TRUE);
    g_ptr_array_free(f->envelopes, TRUE);
}

size_t feed_open(struct feed *f, int dvcqg, const char *body, size_t len, long first_line)
{
    *f = (struct feed){.body = body, .len = len, .lineno = first_line - 1};
    if (!dvcqg)
        return count_lines(body, len);
    f->lineno = first_line;
    dvcqg_split(f);
    return f->pieces->len;
}
