#include "ingest/lines.h"

#include "base/err.h"
#include "ingest/ingest_level.h"
#include "ingest/out.h"

#include <glib.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TYPES_MAX 32

struct ingest_lines {
    const struct ingest_service *svc;
    const struct units *units;
    const char *type_names[TYPES_MAX + 1]; /* svc's, NULL-terminated, for ingest_enum */
    char *event_types[TYPES_MAX];          /* "<service>.<type>" (owned) */
    /* Record ids already accepted, as "SOURCE/ID" ("/ID": journaled without
     * a source) -> struct idrec, which also holds the key. */
    GHashTable *ids;
    uint64_t legacy_ids; /* ids journaled without a source */
    struct snapshots *levels;
    struct ingest_out out;
    GHashTable *names;      /* metric names emitted so far (base/metric.h); owns its keys */
    uint64_t names_refused; /* records rejected for a name past the cap */
    uint64_t sums_refused;  /* records rejected for a sum past its bound */
};

/* An accepted id: its content digest, then its key, in one allocation. */
struct idrec {
    uint8_t has_digest;
    char digest[32];
    char key[];
};

static void idrec_free(gpointer key)
{
    g_free((char *)key - offsetof(struct idrec, key));
}

/* "SOURCE/ID" into buf (room for SOURCE_NAME_MAX + INGEST_ID_MAX + 2). */
static size_t id_key(char *buf, const char *src, size_t src_len, const char *id, size_t id_len)
{
    memcpy(buf, src, src_len);
    buf[src_len] = '/';
    memcpy(buf + src_len + 1, id, id_len);
    buf[src_len + 1 + id_len] = 0;
    return src_len + 1 + id_len;
}

#define ID_KEY_MAX (SOURCE_NAME_MAX + INGEST_ID_MAX + 2)

/* Adds key (n bytes) unless it is there: the first event of an id holds
 * its record's digest (a held resolution's later event does not). */
static void id_add(struct ingest_lines *st, const char *key, size_t n, const char *digest,
                   size_t dlen)
{
    if (g_hash_table_contains(st->ids, key))
        return;
    struct idrec *r = g_malloc(sizeof *r + n + 1);
    r->has_digest = dlen == sizeof r->digest;
    if (r->has_digest)
        memcpy(r->digest, digest, sizeof r->digest);
    memcpy(r->key, key, n + 1);
    g_hash_table_insert(st->ids, r->key, r);
}

struct ingest_lines *ingest_lines_new(const struct ingest_service *svc, const struct units *units)
{
    struct ingest_lines *st = g_new0(struct ingest_lines, 1);
    st->svc = svc;
    st->units = units;
    for (int i = 0; svc->types[i].name; i++) {
        if (i == TYPES_MAX)
            g_error("service %s: more than %d record types", svc->name, TYPES_MAX);
        st->type_names[i] = svc->types[i].name;
        st->event_types[i] = g_strdup_printf("%s.%s", svc->name, svc->types[i].name);
    }
    st->ids = g_hash_table_new_full(g_str_hash, g_str_equal, idrec_free, NULL);
    if (sodium_init() < 0)
        g_error("libsodium cannot start");
    ingest_out_init(&st->out);
    st->names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    st->out.names = st->names;
    st->levels = snapshots_new();
    return st;
}

void ingest_lines_free(struct ingest_lines *st)
{
    if (!st)
        return;
    for (int i = 0; i < TYPES_MAX; i++)
        g_free(st->event_types[i]);
    g_hash_table_destroy(st->ids);
    snapshots_free(st->levels);
    ingest_out_free(&st->out);
    g_hash_table_destroy(st->names);
    g_free(st);
}

uint32_t ingest_lines_events(const struct ingest_lines *st, const uint8_t **body,
                             const size_t **ends)
{
    *body = st->out.body->data;
    *ends = (const size_t *)(void *)st->out.ends->data;
    return st->out.ends->len;
}

void ingest_lines_clear_events(struct ingest_lines *st)
{
    ingest_out_rollback(&st->out, 0);
}

void ingest_lines_names(const struct ingest_lines *st, unsigned *count, unsigned *max,
                        uint64_t *refused)
{
    *count = g_hash_table_size(st->names);
    *max = st->out.names_max;
    *refused = st->names_refused;
}

void ingest_lines_sums(const struct ingest_lines *st, struct ingest_sums *out)
{
    *out = (struct ingest_sums){st->out.counters, st->out.counters_max, st->out.levels,
                                st->out.levels_max, st->sums_refused};
}

void ingest_lines_set_sums_max(struct ingest_lines *st, uint64_t counters, uint64_t levels)
{
    st->out.counters_max = counters;
    st->out.levels_max = levels;
}

void ingest_lines_set_names_max(struct ingest_lines *st, unsigned max)
{
    st->out.names_max = max;
}

/* The record's field a refused metric name was made from: the longest
 * string value of its own fields found in the name; NULL when none is. */
static const char *name_field(json_t *obj, const char *name)
{
    const char *k, *best = NULL;
    size_t best_len = 0;
    json_t *v;
    json_object_foreach(obj, k, v)
    {
        if (!json_is_string(v) || !strcmp(k, "id") || !strcmp(k, "type") || !strcmp(k, "unit") ||
            !strcmp(k, "at"))
            continue;
        size_t n = json_string_length(v);
        if (n > best_len && strstr(name, json_string_value(v)))
            best = k, best_len = n;
    }
    return best;
}

/* The innermost key whose value is the number `big`, in a line parsed again
 * with every integer as a double; NULL outside any object. */
static const char *key_of(json_t *v, const char *key, double big)
{
    const char *k, *found = NULL;
    json_t *x;
    size_t i;
    if (json_is_real(v))
        return json_real_value(v) == big ? key : NULL;
    if (json_is_object(v)) {
        json_object_foreach(v, k, x)
        {
            if ((found = key_of(x, k, big)))
                break;
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, x)
        {
            if ((found = key_of(x, key, big)))
                break;
        }
    }
    return found;
}

/* jansson stops at the end of an integer too big for int64 ("too big
 * integer", "too big negative integer"): the field that holds that number,
 * found by parsing the line again with integers as doubles (both parses read
 * the number with strtod, so the values are equal). 0 when the line has
 * another error too, or the number stands in no object. The name is copied
 * into key. */
static int big_integer_field(const char *text, size_t n, const json_error_t *jerr, char *key,
                             size_t cap)
{
    size_t end = jerr->position > 0 ? (size_t)jerr->position : 0, start = end;
    if (!strstr(jerr->text, "too big") || end > n)
        return 0;
    while (start > 0 && strchr("0123456789+-.eE", text[start - 1]))
        start--;
    if (start == end)
        return 0;
    char *num = g_strndup(text + start, end - start);
    double big = strtod(num, NULL);
    g_free(num);
    json_t *reals = json_loadb(text, n, JSON_DECODE_INT_AS_REAL, NULL);
    const char *k = reals ? key_of(reals, NULL, big) : NULL;
    if (k)
        snprintf(key, cap, "%s", k);
    json_decref(reals);
    return k != NULL;
}

static void reject(struct ingest_line *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void reject(struct ingest_line *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    l->why = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    l->v = INGEST_REJECTED;
}

void ingest_line_parse(const struct ingest_lines *st, struct ingest_line *l)
{
    char why[512];
    l->v = INGEST_ACCEPTED;
    l->why_kind = INGEST_WHY_FIELD;
    if (l->n > INGEST_LINE_MAX)
        return reject(l, "line longer than %d bytes (%zu)", INGEST_LINE_MAX, l->n);
    const gchar *bad;
    if (!g_utf8_validate(l->text, (gssize)l->n, &bad))
        return reject(l, "invalid UTF-8 at byte %zu", (size_t)(bad - l->text) + 1);
    json_error_t jerr;
    l->obj = json_loadb(l->text, l->n, JSON_REJECT_DUPLICATES, &jerr);
    if (!l->obj) {
        char key[128];
        if (big_integer_field(l->text, l->n, &jerr, key, sizeof key))
            return reject(l, "field \"%s\": integer out of range (int64)", key);
        return reject(l, "malformed JSON at column %d: %s", jerr.column, jerr.text);
    }
    const char *unit;
    size_t unit_len;
    const char *type;
    l->r = (struct ingest_record){.units = st->units, .obj = l->obj, .levels = st->levels};
    if (!json_is_object(l->obj))
        return reject(l, "not a JSON object");
    if (ingest_str(l->obj, "id", INGEST_ID_MAX, &l->r.id, &l->r.id_len, why, sizeof why) ||
        ingest_enum(l->obj, "type", st->type_names, &type, why, sizeof why) ||
        ingest_str(l->obj, "unit", UNIT_ID_MAX, &unit, &unit_len, why, sizeof why) ||
        ingest_time(l->obj, "at", &l->r.at_ms, why, sizeof why))
        return reject(l, "%s", why);
    if ((l->r.unit = units_find(st->units, unit, unit_len)) < 0)
        return reject(l, "field \"unit\": unknown unit \"%.*s\"", (int)unit_len, unit);
    int ti = 0;
    for (int i = 0; st->type_names[i]; i++)
        if (st->type_names[i] == type)
            l->r.type = &st->svc->types[ti = i];
    if (l->src && !source_may_type(l->src, ti)) {
        reject(l, "field \"type\": \"%s\" is outside what source %s may post (%s)", type,
               l->src->name, l->src->posts);
        l->why_kind = INGEST_WHY_SCOPE;
        return;
    }
    if (l->src && !source_may_unit(l->src, st->units, l->r.unit)) {
        reject(l, "field \"unit\": \"%.*s\" is outside what source %s may post for (%s)",
               (int)unit_len, unit, l->src->name, l->src->units_text);
        l->why_kind = INGEST_WHY_SCOPE;
        return;
    }
    /* The content, canonical: compact, keys sorted. */
    char *canon = json_dumps(l->obj, JSON_COMPACT | JSON_SORT_KEYS);
    uint8_t dg[16];
    crypto_generichash(dg, sizeof dg, (const unsigned char *)canon, strlen(canon), NULL, 0);
    free(canon);
    sodium_bin2hex(l->digest, sizeof l->digest, dg, sizeof dg);
}

void ingest_line_decide(struct ingest_lines *st, struct ingest_line *l)
{
    char why[512] = "";
    const char *src = l->src ? l->src->name : "";
    size_t src_len = strlen(src);
    char key[ID_KEY_MAX];
    size_t key_len = 0;
    const struct idrec *seen = NULL;
    if (l->v == INGEST_ACCEPTED) {
        key_len = id_key(key, src, src_len, l->r.id, l->r.id_len);
        seen = g_hash_table_lookup(st->ids, key);
        if (!seen && st->legacy_ids && src_len) {
            char legacy[ID_KEY_MAX];
            id_key(legacy, "", 0, l->r.id, l->r.id_len);
            seen = g_hash_table_lookup(st->ids, legacy);
        }
    }
    if (l->v == INGEST_ACCEPTED) {
        if (seen && seen->has_digest && memcmp(seen->digest, l->digest, sizeof seen->digest)) {
            reject(l,
                   "field \"id\": \"%s\" was accepted before with other content (a conflict: "
                   "the first record stands; send a change under a new id)",
                   l->r.id);
            l->why_kind = INGEST_WHY_CONFLICT;
        } else if (seen) {
            l->v = INGEST_DUPLICATE;
        } else {
            uint32_t mark = ingest_out_count(&st->out);
            const struct ingest_type *t = l->r.type;
            struct proto_event ev = {
                .type = proto_cstr(st->event_types[t - st->svc->types]),
                .id = {l->r.id, (uint32_t)l->r.id_len},
                .unit = proto_cstr(units_id(st->units, l->r.unit)),
                .at_ms = l->r.at_ms,
                .src = {src_len ? src : NULL, (uint32_t)src_len},
                .digest = {l->digest, 32},
            };
            if (t->record(st->svc->state, t, &l->r, &ev, &st->out, why, sizeof why) != CCHC_OK) {
                ingest_out_rollback(&st->out, mark);
                if (st->out.sum_refused[0]) {
                    st->sums_refused++;
                    reject(l,
                           "metric \"%s\": this record would take the sums of what this service "
                           "has taken past their bound (METRIC_COUNTERS_MAX, METRIC_LEVELS_MAX: "
                           "no figure may leave int64): nothing of the record was taken",
                           st->out.sum_refused);
                } else if (st->out.refused[0]) {
                    const char *f = name_field(l->obj, st->out.refused);
                    st->names_refused++;
                    reject(l,
                           "%s%s%swould add metric name \"%s\" past the %u metric names this "
                           "service may emit (METRIC_NAMES_MAX): nothing of the record was taken",
                           f ? "field \"" : "", f ? f : "", f ? "\": " : "", st->out.refused,
                           st->out.names_max);
                } else {
                    reject(l, "%s", why[0] ? why : "refused by the service, which gave no reason");
                }
                ingest_out_names_drop(&st->out);
            } else {
                id_add(st, key, key_len, l->digest, 32);
                ingest_out_names_keep(&st->out);
            }
        }
    }
    if (l->v != INGEST_REJECTED) {
        /* The id lives in obj: copy it out before obj goes. */
        memcpy(l->id, l->r.id, l->r.id_len);
        l->id[l->r.id_len] = 0;
    }
    if (l->obj)
        json_decref(l->obj);
    l->obj = NULL;
}

void ingest_line_done(struct ingest_line *l)
{
    g_free(l->why);
    l->why = NULL;
}

int ingest_lines_replay(struct ingest_lines *st, const struct proto_event *ev)
{
    char key[ID_KEY_MAX];
    if (ev->id.len > INGEST_ID_MAX || ev->src.len > SOURCE_NAME_MAX)
        return CCHC_EPROTO; /* no service writes such an event */
    if (!ev->src.p)
        st->legacy_ids++;
    size_t n = id_key(key, ev->src.p ? ev->src.p : "", ev->src.len, ev->id.p, ev->id.len);
    id_add(st, key, n, ev->digest.p, ev->digest.p ? ev->digest.len : 0);
    char series[1024];
    ingest_level_series(ev, series, sizeof series);
    ingest_out_replay(&st->out, series, ev);
    for (uint32_t i = 0; i < ev->nm; i++)
        g_hash_table_add(st->names, g_strndup(ev->m[i].name.p, ev->m[i].name.len));
    for (uint32_t i = 0; i < ev->nv; i++)
        g_hash_table_add(st->names, g_strndup(ev->v[i].name.p, ev->v[i].name.len));
    int rc = ingest_replay_level(st->levels, ev);
    if (rc == CCHC_OK && st->svc->replay)
        rc = st->svc->replay(st->svc->state, st->units, ev);
    return rc;
}
