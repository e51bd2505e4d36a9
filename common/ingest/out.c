#include "ingest/out.h"

#include "base/err.h"
#include "ingest/state.h"

#include <stdio.h>
#include <string.h>

void ingest_out_init(struct ingest_out *out)
{
    out->body = g_byte_array_new();
    out->ends = g_array_new(FALSE, FALSE, sizeof(size_t));
    out->fresh = g_ptr_array_new();
    out->names = NULL;
    out->names_max = METRIC_NAMES_MAX;
    out->refused[0] = 0;
    out->db = NULL;
    out->raises = g_array_new(FALSE, FALSE, sizeof(struct level_raise));
    out->counters_max = (uint64_t)METRIC_COUNTERS_MAX;
    out->levels_max = (uint64_t)METRIC_LEVELS_MAX;
    out->budgets = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
    out->cur = NULL;
    out->shared = out->refused_by_source = out->refused_level = 0;
    out->refused_value = 0;
}

struct ingest_budget *ingest_out_budget(struct ingest_out *out, const char *name, size_t len)
{
    char key[SOURCE_NAME_MAX + 1];
    snprintf(key, sizeof key, "%.*s", (int)(len < SOURCE_NAME_MAX ? len : SOURCE_NAME_MAX),
             name ? name : "");
    struct ingest_budget *b = g_hash_table_lookup(out->budgets, key);
    if (!b) {
        b = g_new0(struct ingest_budget, 1);
        memcpy(b->name, key, sizeof key);
        g_hash_table_insert(out->budgets, b->name, b);
    }
    return b;
}

/* Whether `more` on top of `used` (and the record's own `record`) stays
 * within `max`, without wrapping. */
static int within(uint64_t used, uint64_t record, uint64_t more, uint64_t max)
{
    return more <= max && record <= max - more && used <= max - more - record;
}

/* |v| as an unsigned: INT64_MIN has no int64 magnitude. */
static uint64_t magnitude(int64_t v)
{
    return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

/* The largest magnitude taken for key; 0 when none. */
static uint64_t level_max_taken(const struct ingest_out *out, const char *key)
{
    const void *v;
    size_t n;
    uint64_t m = 0;
    if (out->db && state_get(out->db, STATE_LEVEL_MAX, key, strlen(key), &v, &n) && n == sizeof m)
        memcpy(&m, v, sizeof m);
    return m;
}

static uint64_t level_max_of(const struct ingest_out *out, const char *key)
{
    for (guint i = 0; i < out->raises->len; i++) {
        const struct level_raise *r = &g_array_index(out->raises, struct level_raise, i);
        if (strcmp(r->key, key) == 0)
            return r->to; /* raised earlier in this record */
    }
    return level_max_taken(out, key);
}

int ingest_out_level_value(struct ingest_out *out, const char *series, const char *name,
                           int64_t value)
{
    char *key = g_strdup_printf("%s|%s", series, name);
    uint64_t was = level_max_of(out, key), now = magnitude(value);
    if (now <= was) {
        g_free(key);
        return CCHC_OK;
    }
    uint64_t raise = now - was;
    int pool = within(out->levels, out->levels_record, raise, out->levels_max);
    int share = !out->shared || !out->cur ||
                within(out->cur->levels, out->levels_record, raise, out->cur->levels_max);
    if (!pool || !share) {
        snprintf(out->sum_refused, sizeof out->sum_refused, "%s", name);
        out->refused_by_source = pool;
        out->refused_level = 1;
        out->refused_value = now;
        g_free(key);
        return CCHC_ETOOBIG;
    }
    out->levels_record += raise;
    struct level_raise r = {key, now};
    g_array_append_val(out->raises, r);
    return CCHC_OK;
}

/* a + b, or UINT64_MAX: a journal written under the bounds stays under
 * them, and one from before them must not wrap them. */
static uint64_t sat_add(uint64_t a, uint64_t b)
{
    return b > UINT64_MAX - a ? UINT64_MAX : a + b;
}

/* Raises the largest magnitude of key (taken) to `to`; what it rose by is
 * charged to the pool and to the current account. */
static void level_set(struct ingest_out *out, char *key, uint64_t to)
{
    uint64_t m = level_max_taken(out, key);
    if (to > m) {
        out->levels = sat_add(out->levels, to - m);
        if (out->cur)
            out->cur->levels = sat_add(out->cur->levels, to - m);
        if (out->db)
            state_put(out->db, STATE_LEVEL_MAX, key, strlen(key), &to, sizeof to);
    }
    g_free(key);
}

void ingest_out_replay(struct ingest_out *out, const char *series, const struct proto_event *ev)
{
    for (uint32_t i = 0; i < ev->nv && i < PROTO_METRICS_MAX; i++)
        level_set(out, g_strdup_printf("%s|%.*s", series, (int)ev->v[i].name.len, ev->v[i].name.p),
                  magnitude(ev->v[i].value));
    if (ev->nv || (ev->type.len == 12 && memcmp(ev->type.p, "level.adjust", 12) == 0))
        return; /* a level's changes: bounded by its values */
    for (uint32_t i = 0; i < ev->nm && i < PROTO_METRICS_MAX; i++) {
        uint64_t m = magnitude(ev->m[i].value);
        out->counters = sat_add(out->counters, m);
        if (out->cur)
            out->cur->counters = sat_add(out->cur->counters, m);
    }
}

void ingest_out_free(struct ingest_out *out)
{
    g_byte_array_free(out->body, TRUE);
    g_array_free(out->ends, TRUE);
    ingest_out_names_drop(out);
    g_ptr_array_free(out->fresh, TRUE);
    g_array_free(out->raises, TRUE);
    g_hash_table_destroy(out->budgets);
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
    out->counters += out->counters_record;
    if (out->cur) {
        out->cur->counters += out->counters_record;
        out->cur->names += out->fresh->len;
    }
    out->counters_record = 0;
    for (guint i = 0; i < out->raises->len; i++) {
        struct level_raise *r = &g_array_index(out->raises, struct level_raise, i);
        level_set(out, r->key, r->to); /* takes the key */
    }
    out->levels_record = 0;
    g_array_set_size(out->raises, 0);
    const char *by = out->cur ? out->cur->name : "";
    for (guint i = 0; i < out->fresh->len; i++) {
        const char *name = g_ptr_array_index(out->fresh, i);
        if (out->db)
            state_put(out->db, STATE_NAMES, name, strlen(name), by, strlen(by));
        g_hash_table_add(out->names, (char *)name);
    }
    g_ptr_array_set_size(out->fresh, 0); /* no free func: the table owns them now */
}

void ingest_out_names_drop(struct ingest_out *out)
{
    for (guint i = 0; i < out->fresh->len; i++)
        g_free(g_ptr_array_index(out->fresh, i));
    g_ptr_array_set_size(out->fresh, 0);
    out->refused[0] = 0;
    out->counters_record = out->levels_record = 0;
    for (guint i = 0; i < out->raises->len; i++)
        g_free(g_array_index(out->raises, struct level_raise, i).key);
    g_array_set_size(out->raises, 0);
    out->sum_refused[0] = 0;
    out->refused_by_source = out->refused_level = 0;
    out->refused_value = 0;
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
    int pool = g_hash_table_size(out->names) + out->fresh->len < out->names_max;
    int share =
        !out->shared || !out->cur || out->cur->names + out->fresh->len < out->cur->names_max;
    if (!pool || !share) {
        memcpy(out->refused, name, len + 1);
        out->refused_by_source = pool;
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
    if (!out->in_level) /* a level's changes are bounded by its values instead */
        for (uint32_t i = 0; i < ev->nm && i < PROTO_METRICS_MAX; i++) {
            uint64_t m = magnitude(ev->m[i].value);
            int pool = within(out->counters, out->counters_record, m, out->counters_max);
            int share = !out->shared || !out->cur ||
                        within(out->cur->counters, out->counters_record, m, out->cur->counters_max);
            if (!pool || !share) {
                snprintf(out->sum_refused, sizeof out->sum_refused, "%.*s", (int)ev->m[i].name.len,
                         ev->m[i].name.p);
                out->refused_by_source = pool;
                out->refused_value = m;
                return CCHC_ETOOBIG;
            }
            out->counters_record += m;
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
