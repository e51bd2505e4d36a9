#include "ingest/lines.h"

#include "base/err.h"
#include "base/period.h"
#include "base/units.h"
#include "ingest/dvcqg.h"
#include "ingest/ingest_level.h"
#include "ingest/out.h"
#include "ingest/state.h"

#include <glib.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

#define TYPES_MAX 32

struct ingest_lines {
    const struct ingest_service *svc;
    const struct units *units;
    const char *type_names[TYPES_MAX + 1]; /* svc's, NULL-terminated, for ingest_enum */
    char *event_types[TYPES_MAX];          /* "<service>.<type>" (owned) */
    /* The ids accepted are in LMDB (state.h): STATE_IDS, "SOURCE/ID" ("/ID":
     * journaled without a source) -> the record's digest; STATE_LEGACY, the
     * ids journaled without a source, "ID" -> struct legacy (packed), of
     * which there are legacy_n. */
    struct state_db *db;
    uint64_t legacy_n;
    struct snapshots *levels;
    struct ingest_out out;
    /* Metric names emitted so far (base/metric.h), owning its keys: at most
     * the cap (METRIC_NAMES_MAX), so kept in memory too, loaded from
     * STATE_NAMES at start. */
    GHashTable *names;
    uint64_t names_refused; /* records rejected for a name past the cap */
    uint64_t sums_refused;  /* records rejected for a sum past its bound */
};

/* An id journaled before sources: what its first event keeps of its
 * record, to tell whether a source's record of that id is that record.
 * In STATE_LEGACY as at_ms (8 bytes), has_digest (1), digest (16), the
 * lengths of its event type and unit (1 each), then both; the indexes are
 * found again in the service's types and the registry when it is read, so
 * that a registry edited between starts reads it right. */
struct legacy {
    int type; /* index in svc->types; -1: the event is of no record type (a held resolution) */
    int unit; /* registry index; -1: none */
    int64_t at_ms;
    uint8_t has_digest;
    uint8_t digest[16];
};

#define LEGACY_HEAD 27

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

/* A content digest as it is journaled (32 hex digits) into 16 bytes: 1, or
 * 0 when it is not one. */
static int digest_bin(const char *hex, size_t n, uint8_t out[16])
{
    size_t got;
    return hex && n == 32 && sodium_hex2bin(out, 16, hex, n, NULL, &got, NULL) == 0 && got == 16;
}

/* Adds key (n bytes) unless it is there: the first event of an id holds
 * its record's digest (a held resolution's later event does not). */
static void id_add(struct ingest_lines *st, const char *key, size_t n, const char *digest,
                   size_t dlen)
{
    const void *v;
    size_t vn;
    if (state_get(st->db, STATE_IDS, key, n, &v, &vn))
        return;
    uint8_t bin[16];
    int has = digest_bin(digest, dlen, bin);
    state_put(st->db, STATE_IDS, key, n, bin, has ? sizeof bin : 0);
}

static void load_name(void *arg, const void *k, size_t kl, const void *v, size_t vl)
{
    g_hash_table_add(arg, g_strndup(k, kl));
}

/* An account as STATE_BUDGETS keeps it: what it took. */
struct budget_rec {
    uint64_t counters, levels, names;
};

/* Keys of STATE_BUDGETS: "@NAME" ("@": events journaled before sources),
 * since LMDB takes no empty key. */
static void load_budget(void *arg, const void *k, size_t kl, const void *v, size_t vl)
{
    if (kl < 1)
        return;
    struct ingest_budget *b = ingest_out_budget(arg, (const char *)k + 1, kl - 1);
    struct budget_rec r = {0};
    memcpy(&r, v, vl < sizeof r ? vl : sizeof r);
    b->counters = r.counters, b->levels = r.levels, b->names = r.names;
}

struct ingest_lines *ingest_lines_new(const struct ingest_service *svc, const struct units *units,
                                      struct state_db *db)
{
    struct ingest_lines *st = g_new0(struct ingest_lines, 1);
    st->svc = svc;
    st->units = units;
    st->db = db;
    for (int i = 0; svc->types[i].name; i++) {
        if (i == TYPES_MAX)
            g_error("service %s: more than %d record types", svc->name, TYPES_MAX);
        st->type_names[i] = svc->types[i].name;
        st->event_types[i] = g_strdup_printf("%s.%s", svc->name, svc->types[i].name);
    }
    if (sodium_init() < 0)
        g_error("libsodium cannot start");
    ingest_out_init(&st->out);
    st->out.db = db;
    st->names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    st->out.names = st->names;
    st->levels = snapshots_new(db);
    /* What the state holds so far (nothing when it is new). */
    st->legacy_n = state_count(db, STATE_LEGACY);
    state_each(db, STATE_NAMES, load_name, st->names);
    state_each(db, STATE_BUDGETS, load_budget, &st->out);
    st->out.counters = state_get_u64(db, STATE_META, "counters", 0);
    st->out.levels = state_get_u64(db, STATE_META, "levels", 0);
    return st;
}

void ingest_lines_free(struct ingest_lines *st)
{
    if (!st)
        return;
    for (int i = 0; i < TYPES_MAX; i++)
        g_free(st->event_types[i]);
    snapshots_free(st->levels);
    ingest_out_free(&st->out);
    g_hash_table_destroy(st->names);
    g_free(st);
}

int ingest_lines_commit(struct ingest_lines *st, uint64_t epoch, uint64_t next, char *why,
                        size_t why_cap)
{
    /* The accounts and sums are few numbers: written whole each time. */
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, st->out.budgets);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        const struct ingest_budget *b = v;
        struct budget_rec r = {b->counters, b->levels, b->names};
        char key[SOURCE_NAME_MAX + 2];
        int n = snprintf(key, sizeof key, "@%s", b->name);
        state_put(st->db, STATE_BUDGETS, key, (size_t)n, &r, sizeof r);
    }
    state_put_u64(st->db, STATE_META, "counters", st->out.counters);
    state_put_u64(st->db, STATE_META, "levels", st->out.levels);
    return state_commit(st->db, epoch, next, why, why_cap);
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

/* A share of what the pool leaves to the current sources: `left`, of
 * which `pct` percent (0: an equal part of what the sources with budget=
 * leave, `rest`, among the n sources without). */
static uint64_t pct_of(uint64_t v, unsigned pct)
{
    return v / 100 * pct + v % 100 * pct / 100; /* floor(v * pct / 100), without overflow */
}

static uint64_t share_of(uint64_t left, uint64_t rest, unsigned pct, unsigned n)
{
    return pct ? pct_of(left, pct) : n ? rest / n : 0;
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
    return b > UINT64_MAX - a ? UINT64_MAX : a + b;
}

/* The shares of one of the three (at offset `used` of struct
 * ingest_budget, its share at `max`) among the current accounts cur, of
 * what the pool leaves them, `left`. A source that took more than its share
 * (before the file gave it one, or a smaller one) keeps what it took as its
 * share and takes nothing more, and the others share what it leaves, again
 * until none is over: so the shares add up to at most `left`, and what one
 * source took before cannot starve the others. */
static void share_out(GPtrArray *cur, size_t used, size_t max, uint64_t left)
{
#define AT(b, off) (*(uint64_t *)(void *)((char *)(b) + (off)))
    guint n = cur->len;
    gboolean *over = g_new0(gboolean, n ? n : 1);
    for (int again = 1; again;) {
        again = 0;
        uint64_t pool = left;
        unsigned pct = 0, rest_n = 0;
        for (guint i = 0; i < n; i++) {
            const struct ingest_budget *b = g_ptr_array_index(cur, i);
            if (over[i]) {
                pool = pool > AT(b, used) ? pool - AT(b, used) : 0;
            } else {
                pct += b->budget_pct;
                rest_n += b->budget_pct == 0;
            }
        }
        uint64_t rest = pool - pct_of(pool, pct < 100 ? pct : 100);
        for (guint i = 0; i < n; i++) {
            struct ingest_budget *b = g_ptr_array_index(cur, i);
            if (over[i]) {
                AT(b, max) = AT(b, used);
                continue;
            }
            AT(b, max) = share_of(pool, rest, b->budget_pct, rest_n);
            if (AT(b, used) > AT(b, max))
                over[i] = again = 1;
        }
    }
    g_free(over);
#undef AT
}

/* Each current account's shares of the pool (ingest_lines_set_sources). */
static void budgets_share(struct ingest_lines *st)
{
    if (!st->out.shared)
        return;
    uint64_t oc = 0, ol = 0, on = 0;
    GPtrArray *cur = g_ptr_array_new();
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, st->out.budgets);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        struct ingest_budget *b = v;
        if (b->current) {
            g_ptr_array_add(cur, b);
            continue;
        }
        b->counters_max = b->levels_max = b->names_max = 0;
        oc = sat_add(oc, b->counters); /* sources no longer here, and before sources */
        ol = sat_add(ol, b->levels);
        on = sat_add(on, b->names);
    }
    share_out(cur, offsetof(struct ingest_budget, counters),
              offsetof(struct ingest_budget, counters_max),
              st->out.counters_max > oc ? st->out.counters_max - oc : 0);
    share_out(cur, offsetof(struct ingest_budget, levels),
              offsetof(struct ingest_budget, levels_max),
              st->out.levels_max > ol ? st->out.levels_max - ol : 0);
    share_out(cur, offsetof(struct ingest_budget, names), offsetof(struct ingest_budget, names_max),
              st->out.names_max > on ? st->out.names_max - on : 0);
    g_ptr_array_free(cur, TRUE);
}

void ingest_lines_set_sums_max(struct ingest_lines *st, uint64_t counters, uint64_t levels)
{
    st->out.counters_max = counters;
    st->out.levels_max = levels;
    budgets_share(st);
}

void ingest_lines_set_names_max(struct ingest_lines *st, unsigned max)
{
    st->out.names_max = max;
    budgets_share(st);
}

void ingest_lines_set_sources(struct ingest_lines *st, const struct sources *s)
{
    for (size_t i = 0; i < sources_count(s); i++) {
        const struct source *src = sources_get(s, i);
        if (!src->types)
            continue; /* it may post nothing here */
        struct ingest_budget *b = ingest_out_budget(&st->out, src->name, strlen(src->name));
        b->current = 1; /* a rotation's two lines: the same name, scope and budget */
        b->budget_pct = src->budget_pct;
    }
    st->out.shared = 1;
    budgets_share(st);
}

static gint budget_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(((const struct ingest_budget *)a)->name, ((const struct ingest_budget *)b)->name);
}

void ingest_lines_budgets(const struct ingest_lines *st,
                          void (*fn)(void *arg, const struct ingest_budget *b), void *arg)
{
    GList *all = g_list_sort(g_hash_table_get_values(st->out.budgets), budget_cmp);
    for (GList *l = all; l; l = l->next)
        fn(arg, l->data);
    g_list_free(all);
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
    char *why = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    const char *rest = why, *name = NULL;
    /* A DVCQG record's reason names its field as DVCQG does. */
    if (l->dvcqg && g_str_has_prefix(why, "field \"")) {
        const char *q = strchr(why + 7, '"');
        if (q && (name = dvcqg_field_name(why + 7, (size_t)(q - why - 7))))
            rest = q + 1;
    }
    GString *s = g_string_new(NULL);
    if (l->record)
        g_string_append_printf(s, "data[%d]: ", l->record - 1);
    if (name)
        g_string_append_printf(s, "field \"%s\"", name);
    g_string_append(s, rest);
    g_free(why);
    l->why = g_string_free(s, FALSE);
    l->v = INGEST_REJECTED;
}

/* A unit the registry does not have on the record's day: when it was,
 * and who took over. */
static void reject_invalid_unit(struct ingest_line *l, const struct units *u, int64_t day)
{
    int i = l->r.unit;
    char on[CCHC_DAY_LEN], edge[CCHC_DAY_LEN], next[UNIT_ID_MAX + 32] = "";
    cchc_day_format(day, on);
    if (day < units_from(u, i)) {
        cchc_day_format(units_from(u, i), edge);
        return reject(l, "field \"unit\": \"%s\" is not valid on %s (the registry has it from %s)",
                      units_id(u, i), on, edge);
    }
    cchc_day_format(units_to(u, i), edge);
    const int *succ;
    size_t n = units_successors(u, i, &succ);
    for (size_t k = 0; k < n; k++)
        snprintf(next + strlen(next), sizeof next - strlen(next), "%s%s",
                 k ? ", " : "; its successors: ", units_id(u, succ[k]));
    reject(l, "field \"unit\": \"%s\" is not valid on %s (the registry has it until %s%s)",
           units_id(u, i), on, edge, next);
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
    l->r = (struct ingest_record){
        .units = st->units, .obj = l->obj, .levels = st->levels, .db = st->db};
    if (!json_is_object(l->obj))
        return reject(l, "not a JSON object");
    if (l->dvcqg) {
        json_t *state;
        if (dvcqg_to_state(l->obj, l->madonvi, st->units, &state, why, sizeof why))
            return reject(l, "%s", why);
        json_decref(l->obj);
        l->r.obj = l->obj = state;
    }
    if (ingest_str(l->obj, "id", INGEST_ID_MAX, &l->r.id, &l->r.id_len, why, sizeof why) ||
        ingest_enum(l->obj, "type", st->type_names, &type, why, sizeof why) ||
        ingest_str(l->obj, "unit", UNIT_ID_MAX, &unit, &unit_len, why, sizeof why) ||
        ingest_time(l->obj, "at", &l->r.at_ms, why, sizeof why))
        return reject(l, "%s", why);
    if ((l->r.unit = units_find(st->units, unit, unit_len)) < 0)
        return reject(l, "field \"unit\": unknown unit \"%.*s\"", (int)unit_len, unit);
    if (!units_valid_on(st->units, l->r.unit, cchc_day_of_ms(l->r.at_ms)))
        return reject_invalid_unit(l, st->units, cchc_day_of_ms(l->r.at_ms));
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

/* The record's own integer field whose magnitude is v (what passed a
 * budget), for the reason; NULL when none is (a count of 1 a record). */
static const char *value_field(json_t *obj, uint64_t v)
{
    const char *k;
    json_t *x;
    json_object_foreach(obj, k, x)
    {
        if (!json_is_integer(x) || strlen(k) > 64)
            continue;
        json_int_t n = json_integer_value(x);
        uint64_t m = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
        if (m == v)
            return k;
    }
    return NULL;
}

/* A record refused for a budget: the reason names the field, the source's
 * budget and what it has taken (or the pool's, when that is what it passed). */
static void reject_budget(struct ingest_lines *st, struct ingest_line *l)
{
    struct ingest_out *o = &st->out;
    struct ingest_budget *b = o->shared ? o->cur : NULL; /* its budget, once in force */
    char field[80] = "", mine[160] = "";
    if (o->cur)
        o->cur->refused_records++;
    const char *f =
        o->sum_refused[0] ? value_field(l->obj, o->refused_value) : name_field(l->obj, o->refused);
    if (f)
        snprintf(field, sizeof field, "field \"%.64s\": ", f);
    if (o->sum_refused[0]) {
        st->sums_refused++;
        int level = o->refused_level;
        const char *what = level ? "level values" : "counter changes";
        unsigned long long used = b ? (level ? b->levels : b->counters) : 0,
                           max = b ? (level ? b->levels_max : b->counters_max) : 0;
        if (b && o->refused_by_source) {
            reject(l,
                   "%ssource %s's budget of %s at this service is %llu (used %llu): metric "
                   "\"%s\" (%llu) would pass it; nothing of the record was taken",
                   field, b->name, what, max, used, o->sum_refused,
                   (unsigned long long)o->refused_value);
            return;
        }
        if (b)
            snprintf(mine, sizeof mine, "; source %s's budget %llu, used %llu", b->name, max, used);
        reject(l,
               "%sthe bound of this service's %s is %llu (%s, used %llu%s): metric \"%s\" would "
               "pass it, and no figure may leave int64; nothing of the record was taken",
               field, what, (unsigned long long)(level ? o->levels_max : o->counters_max),
               level ? "METRIC_LEVELS_MAX" : "METRIC_COUNTERS_MAX",
               (unsigned long long)(level ? o->levels : o->counters), mine, o->sum_refused);
        return;
    }
    st->names_refused++;
    if (b && o->refused_by_source) {
        reject(l,
               "%ssource %s's budget of metric names at this service is %llu (it brought "
               "%llu): new metric name \"%s\" would pass it; nothing of the record was taken",
               field, b->name, (unsigned long long)b->names_max, (unsigned long long)b->names,
               o->refused);
        return;
    }
    if (b)
        snprintf(mine, sizeof mine, "; source %s brought %llu of its budget of %llu", b->name,
                 (unsigned long long)b->names, (unsigned long long)b->names_max);
    reject(l,
           "%swould add metric name \"%s\" past the %u metric names this service may emit "
           "(METRIC_NAMES_MAX%s): nothing of the record was taken",
           field, o->refused, o->names_max, mine);
}

/* The index of event type t[0..n) among the service's, or -1. */
static int type_of(const struct ingest_lines *st, const char *t, size_t n)
{
    for (int i = 0; st->svc->types[i].name; i++)
        if (strlen(st->event_types[i]) == n && memcmp(st->event_types[i], t, n) == 0)
            return i;
    return -1;
}

/* The record journaled before sources under id, if there is one. */
static int legacy_get(struct ingest_lines *st, const char *id, size_t n, struct legacy *lg)
{
    const uint8_t *v;
    size_t vn;
    if (!state_get(st->db, STATE_LEGACY, id, n, (const void **)&v, &vn) || vn < LEGACY_HEAD ||
        vn != (size_t)LEGACY_HEAD + v[25] + v[26])
        return 0;
    memcpy(&lg->at_ms, v, 8);
    lg->has_digest = v[8];
    memcpy(lg->digest, v + 9, 16);
    lg->type = type_of(st, (const char *)v + LEGACY_HEAD, v[25]);
    lg->unit = v[26] ? units_find(st->units, (const char *)v + LEGACY_HEAD + v[25], v[26]) : -1;
    return 1;
}

/* What the record in l, from source src, is to the one journaled before
 * sources as lg under its id: 0, none of src's (src could not have posted
 * lg's type at lg's unit: its id is then src's own); 1, that record again
 * (the same type and unit, and the same digest, or, for an event without
 * one, the same time: all such an event keeps of its record's own fields);
 * -1, other content under the id of a record src could have sent: a
 * conflict, as for src's own ids, since its author may be sending it again,
 * changed, and taking it would count it twice. */
static int legacy_match(const struct ingest_lines *st, const struct legacy *lg,
                        const struct ingest_line *l, const uint8_t digest[16])
{
    if (lg->type < 0 || lg->unit < 0 || !source_may_type(l->src, lg->type) ||
        !source_may_unit(l->src, st->units, lg->unit))
        return 0;
    int type = (int)(l->r.type - st->svc->types);
    if (lg->type != type || lg->unit != l->r.unit)
        return -1;
    if (lg->has_digest)
        return memcmp(lg->digest, digest, sizeof lg->digest) == 0 ? 1 : -1;
    return lg->at_ms == l->r.at_ms ? 1 : -1;
}

void ingest_line_decide(struct ingest_lines *st, struct ingest_line *l)
{
    char why[512] = "";
    const char *src = l->src ? l->src->name : "";
    size_t src_len = strlen(src);
    char key[ID_KEY_MAX];
    size_t key_len = 0;
    int seen = 0, seen_digest = 0;
    uint8_t digest[16], mine[16];
    int legacy = 0; /* to the record journaled before sources under this id (legacy_match) */
    if (l->v == INGEST_ACCEPTED) {
        key_len = id_key(key, src, src_len, l->r.id, l->r.id_len);
        const void *v;
        size_t vn;
        if ((seen = state_get(st->db, STATE_IDS, key, key_len, &v, &vn)) &&
            (seen_digest = vn == sizeof digest))
            memcpy(digest, v, sizeof digest);
        digest_bin(l->digest, 32, mine);
        struct legacy lg;
        if (!seen && src_len && st->legacy_n && legacy_get(st, l->r.id, l->r.id_len, &lg))
            legacy = legacy_match(st, &lg, l, mine);
    }
    if (l->v == INGEST_ACCEPTED) {
        if ((seen_digest && memcmp(digest, mine, sizeof digest)) || legacy < 0) {
            reject(l,
                   "field \"id\": \"%s\" was accepted before with other content (a conflict: "
                   "the first record stands; send a change under a new id)",
                   l->r.id);
            l->why_kind = INGEST_WHY_CONFLICT;
        } else if (seen || legacy > 0) {
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
            st->out.cur = ingest_out_budget(&st->out, src, src_len);
            if (t->record(st->svc->state, t, &l->r, &ev, &st->out, why, sizeof why) != CCHC_OK) {
                ingest_out_rollback(&st->out, mark);
                if (st->out.sum_refused[0] || st->out.refused[0]) {
                    reject_budget(st, l);
                    l->why_kind = INGEST_WHY_BUDGET;
                } else {
                    reject(l, "%s", why[0] ? why : "refused by the service, which gave no reason");
                }
                ingest_out_names_drop(&st->out);
            } else {
                id_add(st, key, key_len, l->digest, 32);
                ingest_out_names_keep(&st->out);
            }
            st->out.cur = NULL;
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

/* The first event of an id journaled without a source: what it keeps of its record. */
static void legacy_add(struct ingest_lines *st, const struct proto_event *ev)
{
    const void *old;
    size_t on;
    if (!ev->id.len || state_get(st->db, STATE_LEGACY, ev->id.p, ev->id.len, &old, &on))
        return;
    uint8_t v[LEGACY_HEAD + 2 * 255] = {0};
    size_t tn = ev->type.len < 255 ? ev->type.len : 0; /* no such type: none */
    size_t un = ev->unit.p && ev->unit.len < 255 ? ev->unit.len : 0;
    memcpy(v, &ev->at_ms, 8);
    v[8] = (uint8_t)digest_bin(ev->digest.p, ev->digest.len, v + 9);
    v[25] = (uint8_t)tn, v[26] = (uint8_t)un;
    memcpy(v + LEGACY_HEAD, ev->type.p, tn);
    if (un)
        memcpy(v + LEGACY_HEAD + tn, ev->unit.p, un);
    state_put(st->db, STATE_LEGACY, ev->id.p, ev->id.len, v, LEGACY_HEAD + tn + un);
    st->legacy_n++;
}

int ingest_lines_replay(struct ingest_lines *st, const struct proto_event *ev)
{
    char key[ID_KEY_MAX];
    if (ev->id.len > INGEST_ID_MAX || ev->src.len > SOURCE_NAME_MAX)
        return CCHC_EPROTO; /* no service writes such an event */
    if (!ev->src.p)
        legacy_add(st, ev);
    size_t n = id_key(key, ev->src.p ? ev->src.p : "", ev->src.len, ev->id.p, ev->id.len);
    id_add(st, key, n, ev->digest.p, ev->digest.p ? ev->digest.len : 0);
    char series[1024];
    ingest_level_series(ev, series, sizeof series);
    /* What it took, charged to its source (the names to the first that brought them). */
    struct ingest_budget *b = st->out.cur = ingest_out_budget(&st->out, ev->src.p, ev->src.len);
    ingest_out_replay(&st->out, series, ev);
    st->out.cur = NULL;
    for (uint32_t i = 0; i < ev->nm + ev->nv; i++) {
        const struct proto_metric *m = i < ev->nm ? &ev->m[i] : &ev->v[i - ev->nm];
        char *name = g_strndup(m->name.p, m->name.len);
        if (!g_hash_table_add(st->names, name))
            continue;
        b->names++;
        state_put(st->db, STATE_NAMES, m->name.p, m->name.len, b->name, strlen(b->name));
    }
    int rc = ingest_replay_level(st->levels, ev);
    if (rc == CCHC_OK && st->svc->replay)
        rc = st->svc->replay(st->svc->state, st->units, st->db, ev);
    return rc;
}
