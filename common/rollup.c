#include "rollup.h"

#include "err.h"
#include "period.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEP '\x1f' /* never in unit ids, periods or metric names */

/* Operations of rollup_event, keyed by numbers, never by strings: a batch of
 * events adds to the same few thousand operations again and again, and the
 * strings are made once per operation, when the batch is written out.
 * Key bits: op (2) | level+1, 0 for the total (2) | metric id (16) |
 * period id (24) | unit index (20). */
enum { OP_H, OP_Z, OP_A, OP_R };
#define KEY(op, level, metric, period, unit)                                                       \
    ((uint64_t)(op) << 62 | (uint64_t)(level) << 60 | (uint64_t)(metric) << 44 |                   \
     (uint64_t)(period) << 20 | (uint64_t)(unit))
#define EMPTY UINT64_MAX

struct slots { /* open addressing, linear probing; capacity a power of two */
    uint64_t *keys;
    int64_t *vals;
    size_t cap, n;
};

struct names {        /* name <-> small id, for the life of the rollup */
    GHashTable *ids;  /* name -> id + 1 */
    GPtrArray *names; /* id -> name (owned) */
    uint32_t max;     /* ids must stay below this (their bits in a key) */
};

struct rollup {
    struct slots fast;
    GHashTable *ops;       /* rollup_add's: "op SEP key SEP member" -> int64 */
    const struct units *u; /* of the events added, for the names */
    struct names metrics, periods;
    int64_t cached_day; /* the last event's day and its period ids */
    uint32_t cached_periods[6];
};

static int slots_grow(struct slots *t)
{
    size_t cap = t->cap ? 2 * t->cap : 4096;
    uint64_t *keys = malloc(cap * sizeof *keys);
    int64_t *vals = malloc(cap * sizeof *vals);
    if (!keys || !vals) {
        free(keys);
        free(vals);
        return CCHC_ENOMEM;
    }
    memset(keys, 0xff, cap * sizeof *keys);
    for (size_t i = 0; i < t->cap; i++) {
        if (t->keys[i] == EMPTY)
            continue;
        size_t j = (size_t)((t->keys[i] * 0x9E3779B97F4A7C15ull) >> 20) & (cap - 1);
        while (keys[j] != EMPTY)
            j = (j + 1) & (cap - 1);
        keys[j] = t->keys[i];
        vals[j] = t->vals[i];
    }
    free(t->keys);
    free(t->vals);
    t->keys = keys, t->vals = vals, t->cap = cap;
    return CCHC_OK;
}

/* Adds v at key (or sets it, for OP_A). */
static void slots_add(struct slots *t, uint64_t key, int64_t v, int sum)
{
    if (2 * (t->n + 1) > t->cap && slots_grow(t))
        abort(); /* out of memory: nothing sane to do mid-batch */
    size_t j = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 20) & (t->cap - 1);
    while (t->keys[j] != EMPTY && t->keys[j] != key)
        j = (j + 1) & (t->cap - 1);
    if (t->keys[j] == EMPTY) {
        t->keys[j] = key;
        t->vals[j] = v;
        t->n++;
    } else {
        t->vals[j] = sum ? t->vals[j] + v : v;
    }
}

static uint32_t intern(struct names *t, const char *name, size_t len)
{
    char buf[PROTO_METRIC_NAME_MAX + 32];
    snprintf(buf, sizeof buf, "%.*s", (int)len, name);
    gpointer id = g_hash_table_lookup(t->ids, buf);
    if (id)
        return (uint32_t)GPOINTER_TO_UINT(id) - 1;
    if (t->names->len >= t->max)
        abort(); /* 65,536 metric names or 16 million periods: not a real load */
    char *own = g_strdup(buf);
    g_ptr_array_add(t->names, own);
    g_hash_table_insert(t->ids, own, GUINT_TO_POINTER(t->names->len));
    return t->names->len - 1;
}

static void names_init(struct names *t, uint32_t max)
{
    t->ids = g_hash_table_new(g_str_hash, g_str_equal);
    t->names = g_ptr_array_new_with_free_func(g_free);
    t->max = max;
}

static void names_free(struct names *t)
{
    if (t->ids)
        g_hash_table_destroy(t->ids);
    if (t->names)
        g_ptr_array_free(t->names, TRUE);
}

int rollup_new(struct rollup **out)
{
    struct rollup *r = calloc(1, sizeof *r);
    if (!r)
        return CCHC_ENOMEM;
    r->ops = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    names_init(&r->metrics, 1u << 16);
    names_init(&r->periods, 1u << 24);
    r->cached_day = INT64_MIN;
    if (slots_grow(&r->fast)) {
        rollup_free(r);
        return CCHC_ENOMEM;
    }
    *out = r;
    return CCHC_OK;
}

void rollup_free(struct rollup *r)
{
    if (!r)
        return;
    g_hash_table_destroy(r->ops);
    names_free(&r->metrics);
    names_free(&r->periods);
    free(r->fast.keys);
    free(r->fast.vals);
    free(r);
}

void rollup_clear(struct rollup *r)
{
    g_hash_table_remove_all(r->ops);
    memset(r->fast.keys, 0xff, r->fast.cap * sizeof *r->fast.keys);
    r->fast.n = 0;
}

size_t rollup_size(const struct rollup *r)
{
    return g_hash_table_size(r->ops) + r->fast.n;
}

int rollup_metric_ok(const struct proto_str *m)
{
    if (m->len == 0 || m->len > PROTO_METRIC_NAME_MAX || m->p[0] < 'a' || m->p[0] > 'z')
        return 0;
    for (uint32_t i = 0; i < m->len; i++) {
        char c = m->p[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-'))
            return 0;
    }
    return 1;
}

void rollup_add(struct rollup *r, char op, const char *key, const char *member, int64_t v)
{
    int sum = op == 'h' || op == 'z';
    char k[512];
    snprintf(k, sizeof k, "%c%c%s%c%s", op, SEP, key, SEP, member);
    gpointer old = g_hash_table_lookup(r->ops, k);
    if (old)
        *(int64_t *)old = sum ? *(int64_t *)old + v : v;
    else
        g_hash_table_insert(r->ops, g_strdup(k), g_memdup2(&v, sizeof v));
}

void rollup_event(struct rollup *r, const struct units *u, int unit, const struct proto_event *ev)
{
    r->u = u;
    int64_t day = cchc_day_of_ms(ev->at_ms);
    if (day != r->cached_day) {
        /* Events come mostly in time order: the periods of a day are named once. */
        struct cchc_periods p;
        char dayname[CCHC_DAY_LEN];
        cchc_periods_of_day(day, &p);
        cchc_day_format(day, dayname);
        const char *periods[] = {dayname, p.month, p.quarter, p.half, p.year, "all"};
        for (int i = 0; i < 6; i++)
            r->cached_periods[i] = intern(&r->periods, periods[i], strlen(periods[i]));
        r->cached_day = day;
    }
    uint32_t metric[PROTO_METRICS_MAX];
    int ranked[PROTO_METRICS_MAX];
    for (uint32_t i = 0; i < ev->nm; i++) {
        metric[i] = intern(&r->metrics, ev->m[i].name.p, ev->m[i].name.len);
        /* details (categories, procedures) are not ranked */
        ranked[i] = memchr(ev->m[i].name.p, '.', ev->m[i].name.len) == NULL;
    }
    uint64_t level = (uint64_t)units_level(u, unit) + 1;
    for (int a = unit; a >= 0; a = units_parent(u, a)) {
        slots_add(&r->fast, KEY(OP_A, 0, 0, r->cached_periods[0], a), day, 0);
        for (int pi = 0; pi < 6; pi++) {
            uint32_t period = r->cached_periods[pi];
            for (uint32_t i = 0; i < ev->nm; i++) {
                slots_add(&r->fast, KEY(OP_H, 0, metric[i], period, a), ev->m[i].value, 1);
                slots_add(&r->fast, KEY(OP_H, level, metric[i], period, a), ev->m[i].value, 1);
            }
            if (pi == 0)
                continue; /* days: no rankings, no rates (readers sum them) */
            slots_add(&r->fast, KEY(OP_R, 0, 0, period, a), 0, 0);
            for (uint32_t i = 0; i < ev->nm; i++)
                if (ranked[i])
                    slots_add(&r->fast, KEY(OP_Z, 0, metric[i], period, a), ev->m[i].value, 1);
        }
    }
}

/* One fast operation as the strings of rollup_fn. */
static void emit_fast(const struct rollup *r, uint64_t k, int64_t v, rollup_fn fn, void *arg)
{
    int op = (int)(k >> 62), level = (int)(k >> 60 & 3);
    const char *metric = op == OP_H || op == OP_Z
                             ? g_ptr_array_index(r->metrics.names, (guint)(k >> 44 & 0xffff))
                             : "";
    const char *period = g_ptr_array_index(r->periods.names, (guint)(k >> 20 & 0xffffff));
    const char *unit = units_id(r->u, (int)(k & 0xfffff));
    char key[512], member[256];
    switch (op) {
    case OP_A:
        snprintf(key, sizeof key, "cchc:v1:days:%s", unit);
        fn(arg, 'a', key, period, v);
        break;
    case OP_R:
        snprintf(key, sizeof key, "cchc:v1:fig:%s:%s", unit, period);
        fn(arg, 'r', key, "", v);
        break;
    case OP_Z:
        snprintf(key, sizeof key, "cchc:v1:rank:%s:%s", period, metric);
        fn(arg, 'z', key, unit, v);
        break;
    default:
        snprintf(key, sizeof key, "cchc:v1:fig:%s:%s", unit, period);
        if (level)
            snprintf(member, sizeof member, "%s:%s", unit_level_name(level - 1), metric);
        fn(arg, 'h', key, level ? member : metric, v);
    }
}

void rollup_foreach(const struct rollup *r, rollup_fn fn, void *arg)
{
    for (int rates = 0; rates < 2; rates++) {
        for (size_t i = 0; i < r->fast.cap; i++) {
            uint64_t k = r->fast.keys[i];
            if (k != EMPTY && ((int)(k >> 62) == OP_R) == rates)
                emit_fast(r, k, r->fast.vals[i], fn, arg);
        }
        GHashTableIter it;
        gpointer k, v;
        g_hash_table_iter_init(&it, r->ops);
        while (g_hash_table_iter_next(&it, &k, &v)) {
            const char *op = k;
            if ((*op == 'r') != rates)
                continue;
            char key[512];
            const char *start = op + 2, *member = strchr(start, SEP);
            snprintf(key, sizeof key, "%.*s", (int)(member - start), start);
            fn(arg, *op, key, member + 1, *(int64_t *)v);
        }
    }
}
