/* Events as JSON, for people and other languages: what cchc-tap prints and
 * the test vectors hold (proto/README.md). Strings and times are written by
 * the project's one JSON writer and time format. */
#include "proto/event.h"

#include "base/err.h"
#include "base/json.h"
#include "base/period.h"

#include <string.h>

static void put_time(GString *out, const char *key, int64_t ms)
{
    char t[64];
    cchc_time_format(ms, t, sizeof t);
    json_key(out, key);
    json_cstr(out, t);
}

static void put_metrics(GString *out, const char *key, const struct proto_metric *m, uint32_t n)
{
    if (!n)
        return;
    json_key(out, key);
    g_string_append_c(out, '{');
    for (uint32_t k = 0; k < n; k++) {
        json_sep(out);
        json_str(out, m[k].name.p, m[k].name.len);
        g_string_append_c(out, ':');
        json_int(out, m[k].value);
    }
    g_string_append_c(out, '}');
}

int proto_event_to_json(const struct proto_event *ev, char *buf, size_t cap, size_t *len)
{
    const struct {
        const char *name;
        const struct proto_str *s;
    } strs[] = {{"type", &ev->type},           {"id", &ev->id},
                {"unit", &ev->unit},           {"dossier", &ev->dossier},
                {"procedure", &ev->procedure}, {"field", &ev->field},
                {"category", &ev->cat},        {"category2", &ev->cat2},
                {"outcome", &ev->outcome},     {"key", &ev->key}};
    GString *out = g_string_sized_new(256);
    g_string_append_c(out, '{');
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++) {
        if (strs[i].s->p) {
            json_key(out, strs[i].name);
            json_str(out, strs[i].s->p, strs[i].s->len);
        }
        if (strs[i].s == &ev->unit)
            put_time(out, "at", ev->at_ms);
    }
    if (ev->has & PROTO_HAS_DUE)
        put_time(out, "due", ev->due_ms);
    if (ev->has & PROTO_HAS_RAT)
        put_time(out, "received_at", ev->rat_ms);
    if (ev->has & PROTO_HAS_N) {
        json_key(out, "n");
        json_int(out, ev->n);
    }
    if (ev->has & PROTO_HAS_N2) {
        json_key(out, "n2");
        json_int(out, ev->n2);
    }
    if (ev->has & PROTO_HAS_B) {
        json_key(out, "flag");
        g_string_append(out, ev->b ? "true" : "false");
    }
    put_metrics(out, "metrics", ev->m, ev->nm);
    put_metrics(out, "values", ev->v, ev->nv);
    if (ev->src.p) {
        json_key(out, "source");
        json_str(out, ev->src.p, ev->src.len);
    }
    if (ev->digest.p) {
        json_key(out, "digest");
        json_str(out, ev->digest.p, ev->digest.len);
    }
    g_string_append_c(out, '}');
    /* A short buffer never holds a spliced object: all of it or "". */
    int rc = out->len < cap ? CCHC_OK : CCHC_ETOOBIG;
    if (rc == CCHC_OK)
        memcpy(buf, out->str, out->len + 1);
    else if (cap)
        buf[0] = 0;
    *len = rc == CCHC_OK ? out->len : 0;
    g_string_free(out, TRUE);
    return rc;
}
