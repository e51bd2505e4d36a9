#include "ingest/out.h"

#include "base/err.h"

void ingest_out_init(struct ingest_out *out)
{
    out->body = g_byte_array_new();
    out->ends = g_array_new(FALSE, FALSE, sizeof(size_t));
}

void ingest_out_free(struct ingest_out *out)
{
    g_byte_array_free(out->body, TRUE);
    g_array_free(out->ends, TRUE);
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

int ingest_emit(struct ingest_out *out, const struct proto_event *ev)
{
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
