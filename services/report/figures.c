#include "figures.h"

#include "err.h"
#include "period.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void add(GHashTable *sums, const char *field, int64_t v)
{
    int64_t *cur = g_hash_table_lookup(sums, field);
    if (cur)
        *cur += v;
    else
        g_hash_table_insert(sums, g_strdup(field), g_memdup2(&v, sizeof v));
}

int64_t figures_get(GHashTable *sums, const char *field)
{
    int64_t *v = g_hash_table_lookup(sums, field);
    return v ? *v : 0;
}

static int load_unit(struct store *s, const char *unit, struct figures *f)
{
    redisReply *r;
    int rc = store_command(s, &r, "HGETALL cchc:v1:unit:%s", unit);
    if (rc)
        return rc;
    if (r->type != REDIS_REPLY_ARRAY || r->elements == 0) {
        freeReplyObject(r);
        return CCHC_ENOTFOUND;
    }
    for (size_t i = 0; i + 1 < r->elements; i += 2) {
        const char *k = r->element[i]->str, *v = r->element[i + 1]->str;
        if (strcmp(k, "name") == 0)
            snprintf(f->name, sizeof f->name, "%s", v);
        else if (strcmp(k, "level") == 0)
            snprintf(f->level, sizeof f->level, "%s", v);
    }
    freeReplyObject(r);
    return CCHC_OK;
}

int figures_load(struct store *s, const char *unit, int64_t from_day, int64_t to_day,
                 struct figures *f)
{
    memset(f, 0, sizeof *f);
    f->window = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    f->before = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    int rc = load_unit(s, unit, f);
    if (rc)
        return rc;
    /* The days with figures up to the window's end, then one pipelined HGETALL each. */
    redisReply *days;
    if ((rc = store_command(s, &days, "ZRANGEBYSCORE cchc:v1:days:%s -inf %lld WITHSCORES", unit,
                            (long long)to_day)))
        return rc;
    if (days->type != REDIS_REPLY_ARRAY) {
        freeReplyObject(days);
        return CCHC_EREDIS;
    }
    size_t n = days->elements / 2;
    for (size_t i = 0; i < n && rc == CCHC_OK; i++)
        rc = store_append(s, "HGETALL cchc:v1:fig:%s:%s", unit, days->element[2 * i]->str);
    for (size_t i = 0; i < n && rc == CCHC_OK; i++) {
        redisReply *h;
        if ((rc = store_reply(s, &h)))
            break;
        int64_t day = strtoll(days->element[2 * i + 1]->str, NULL, 10);
        GHashTable *into = day < from_day ? f->before : f->window;
        if (h->type == REDIS_REPLY_ARRAY)
            for (size_t k = 0; k + 1 < h->elements; k += 2)
                add(into, h->element[k]->str, strtoll(h->element[k + 1]->str, NULL, 10));
        freeReplyObject(h);
    }
    freeReplyObject(days);
    return rc;
}

void figures_free(struct figures *f)
{
    if (f->window)
        g_hash_table_destroy(f->window);
    if (f->before)
        g_hash_table_destroy(f->before);
}
