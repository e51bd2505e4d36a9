#include "rollup.h"

#include "err.h"
#include "period.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEP '\x1f' /* never in unit ids, periods or metric names */

struct rollup {
    /* "op SEP key SEP member" -> int64 sum (for 'a', the score; for 'r', unused) */
    GHashTable *ops;
};

int rollup_new(struct rollup **out)
{
    struct rollup *r = calloc(1, sizeof *r);
    if (!r)
        return CCHC_ENOMEM;
    r->ops = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    *out = r;
    return CCHC_OK;
}

void rollup_free(struct rollup *r)
{
    if (!r)
        return;
    g_hash_table_destroy(r->ops);
    free(r);
}

void rollup_clear(struct rollup *r)
{
    g_hash_table_remove_all(r->ops);
}

size_t rollup_size(const struct rollup *r)
{
    return g_hash_table_size(r->ops);
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
    int64_t day = cchc_day_of_ms(ev->at_ms);
    struct cchc_periods p;
    char dayname[CCHC_DAY_LEN];
    cchc_periods_of_day(day, &p);
    cchc_day_format(day, dayname);
    const char *periods[] = {dayname, p.month, p.quarter, p.half, p.year, "all"};
    const char *level = unit_level_name(units_level(u, unit));
    char key[256], field[256], m[PROTO_METRIC_NAME_MAX + 1];
    for (int a = unit; a >= 0; a = units_parent(u, a)) {
        const char *id = units_id(u, a);
        snprintf(key, sizeof key, "cchc:v1:days:%s", id);
        rollup_add(r, 'a', key, dayname, day);
        for (size_t pi = 0; pi < sizeof periods / sizeof *periods; pi++) {
            snprintf(key, sizeof key, "cchc:v1:fig:%s:%s", id, periods[pi]);
            for (uint32_t i = 0; i < ev->nm; i++) {
                snprintf(m, sizeof m, "%.*s", (int)ev->m[i].name.len, ev->m[i].name.p);
                rollup_add(r, 'h', key, m, ev->m[i].value);
                snprintf(field, sizeof field, "%s:%s", level, m);
                rollup_add(r, 'h', key, field, ev->m[i].value);
            }
            if (pi == 0)
                continue; /* days: no rankings, no rates (readers sum them) */
            rollup_add(r, 'r', key, "", 0);
            for (uint32_t i = 0; i < ev->nm; i++) {
                if (memchr(ev->m[i].name.p, '.', ev->m[i].name.len))
                    continue; /* details (categories, procedures) are not ranked */
                char rk[256];
                snprintf(rk, sizeof rk, "cchc:v1:rank:%s:%.*s", periods[pi], (int)ev->m[i].name.len,
                         ev->m[i].name.p);
                rollup_add(r, 'z', rk, id, ev->m[i].value);
            }
        }
    }
}

void rollup_foreach(const struct rollup *r, rollup_fn fn, void *arg)
{
    for (int rates = 0; rates < 2; rates++) {
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
