#include "ingest/out.h"

#include "base/err.h"

#include <string.h>

void ingest_out_init(struct ingest_out *out)
{
    out->body = g_byte_array_new();
    out->ends = g_array_new(FALSE, FALSE, sizeof(size_t));
    out->fresh = g_ptr_array_new();
    out->names = NULL;
    out->names_max = METRIC_NAMES_MAX;
    out->refused[0] = 0;
}

void ingest_out_free(struct ingest_out *out)
{
    g_byte_array_free(out->body, TRUE);
    g_array_free(out->ends, TRUE);
    ingest_out_names_drop(out);
    g_ptr_array_free(out->fresh, TRUE);
}

uint32_t ingest_out_count(const struct ingest_out *out)
{
    return out->ends->len;
}

void ingest_out_rollback(struct ingest_out *out, uint32_t mark)
{
    g_array_set_size(out->ends, mark);
    g_byte_array_set_size(out->body, mark ? g_array_index(out->ends, size_t, mark - 1) : 0);
}

void ingest_out_names_keep(struct ingest_out *out)
{
    for (guint i = 0; i < out->fresh->len; i++)
        g_hash_table_add(out->names, g_ptr_array_index(out->fresh, i));
    g_ptr_array_set_size(out->fresh, 0); /* no free func: the table owns them now */
}

void ingest_out_names_drop(struct ingest_out *out)
{
    for (guint i = 0; i < out->fresh->len; i++)
        g_free(g_ptr_array_index(out->fresh, i));
    g_ptr_array_set_size(out->fresh, 0);
    out->refused[0] = 0;
}

/* A name the record emits: known, new to this record, or one too many. */
static int note_name(struct ingest_out *out, const char *p, size_t len)
{
    if (!out->names)
        return CCHC_OK; /* no vocabulary kept (tests of a handler alone) */
    char name[METRIC_NAME_MAX + 1];
    if (len > METRIC_NAME_MAX)
        return CCHC_ETOOBIG; /* the encoder refuses it too */
    memcpy(name, p, len);
    name[len] = 0;
    if (g_hash_table_contains(out->names, name))
        return CCHC_OK;
    for (guint i = 0; i < out->fresh->len; i++)
        if (strcmp(g_ptr_array_index(out->fresh, i), name) == 0)
            return CCHC_OK;
    if (g_hash_table_size(out->names) + out->fresh->len >= out->names_max) {
        memcpy(out->refused, name, len + 1);
        return CCHC_ETOOBIG;
    }
    g_ptr_array_add(out->fresh, g_strdup(name));
    return CCHC_OK;
}

int ingest_reserve_names(struct ingest_out *out, const char *const *names, int n)
{
    for (int i = 0; i < n; i++) {
        int rc = note_name(out, names[i], strlen(names[i]));
        if (rc)
            return rc;
    }
    return CCHC_OK;
}

int ingest_emit(struct ingest_out *out, const struct proto_event *ev)
{
    for (uint32_t i = 0; i < ev->nm && i < PROTO_METRICS_MAX; i++) {
        int rc = note_name(out, ev->m[i].name.p, ev->m[i].name.len);
        if (rc)
            return rc;
    }
    for (uint32_t i = 0; i < ev->nv && i < PROTO_METRICS_MAX; i++) {
        int rc = note_name(out, ev->v[i].name.p, ev->v[i].name.len);
        if (rc)
            return rc;
    }
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    int rc = proto_event_encode(ev, &buf, &len, &cap);
    if (rc == CCHC_OK) {
        g_byte_array_append(out->body, buf, (guint)len);
        size_t end = out->body->len;
        g_array_append_val(out->ends, end);
    }
    g_free(buf);
    return rc;
}
