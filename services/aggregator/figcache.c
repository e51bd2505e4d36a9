#include "figcache.h"

#include "base/err.h"
#include "base/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HASH_NEW 1 /* resident, and not in Redis yet */
#define LOAD_CHUNK 512

void figcache_init(struct figcache *c, size_t max_figures)
{
    *c = (struct figcache){.max_figures = max_figures};
    u64map_init(&c->vals);
    u64map_init(&c->hashes);
}

void figcache_free(struct figcache *c)
{
    u64map_free(&c->vals);
    u64map_free(&c->hashes);
}

void figcache_reset(struct figcache *c, int complete)
{
    u64map_clear(&c->vals);
    u64map_clear(&c->hashes);
    c->complete = complete;
}

int64_t figcache_get(const struct figcache *c, fig_key k)
{
    const int64_t *v = u64map_find(&c->vals, k);
    return v ? *v : 0;
}

int64_t *figcache_slot(struct figcache *c, fig_key k)
{
    return u64map_slot(&c->vals, k, NULL);
}

int figcache_is_new(const struct figcache *c, uint64_t hash)
{
    const int64_t *f = u64map_find(&c->hashes, hash);
    return f && (*f & HASH_NEW);
}

void figcache_written(struct figcache *c, const fig_key *keys, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && FIG_HASH(keys[i]) == FIG_HASH(keys[i - 1]))
            continue; /* keys come grouped by hash */
        int64_t *f = u64map_find(&c->hashes, FIG_HASH(keys[i]));
        if (f)
            *f &= ~HASH_NEW;
    }
}

void figcache_trim(struct figcache *c)
{
    if (c->vals.n <= c->max_figures)
        return;
    cchc_info("figure cache: %zu figures, over %zu: emptied, it fills again from Redis", c->vals.n,
              c->max_figures);
    figcache_reset(c, 0);
}

/* One HGETALL reply into the cache. */
static int take(struct figcache *c, struct rollup *r, uint64_t hash, const redisReply *rep)
{
    if (rep->type != REDIS_REPLY_ARRAY)
        return CCHC_EREDIS;
    uint32_t period = FIG_HASH_PERIOD(hash);
    int unit = FIG_HASH_UNIT(hash);
    for (size_t k = 0; k + 1 < rep->elements; k += 2) {
        uint32_t level, metric;
        const redisReply *f = rep->element[k], *v = rep->element[k + 1];
        if (f->type != REDIS_REPLY_STRING || v->type != REDIS_REPLY_STRING)
            continue;
        int rc = rollup_field_parse(r, f->str, f->len, &level, &metric);
        if (rc == CCHC_ENOTFOUND)
            continue; /* rates, and anything not a figure */
        if (rc)
            return rc; /* a figure not cached would be overwritten: fail instead */
        *u64map_slot(&c->vals, FIG_KEY(period, unit, level, metric), NULL) =
            strtoll(v->str, NULL, 10);
    }
    *u64map_slot(&c->hashes, hash, NULL) = rep->elements == 0 ? HASH_NEW : 0;
    return CCHC_OK;
}

/* One pipelined HGETALL per hash of want[0..n), into the cache. */
static int load_hashes(struct figcache *c, struct store *s, struct rollup *r, const uint64_t *want,
                       size_t n)
{
    char key[512];
    for (size_t k = 0; k < n; k++) {
        rollup_hash_key(r, want[k], key, sizeof key);
        int rc = store_append(s, "HGETALL %s", key);
        if (rc)
            return rc;
    }
    int failed = CCHC_OK; /* every reply is read even so: the pipeline stays in step */
    for (size_t k = 0; k < n; k++) {
        redisReply *rep;
        int rc = store_reply(s, &rep);
        if (rc)
            return rc;
        if (!failed)
            failed = take(c, r, want[k], rep);
        freeReplyObject(rep);
    }
    return failed;
}

int figcache_load(struct figcache *c, struct store *s, struct rollup *r, const fig_key *keys,
                  size_t n)
{
    uint64_t want[LOAD_CHUNK];
    size_t nwant = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t hash = FIG_HASH(keys[i]);
        if ((i > 0 && hash == FIG_HASH(keys[i - 1])) || u64map_find(&c->hashes, hash))
            continue;
        if (c->complete) { /* Redis holds no figures: nothing to load */
            *u64map_slot(&c->hashes, hash, NULL) = HASH_NEW;
            continue;
        }
        want[nwant++] = hash;
        if (nwant == LOAD_CHUNK) {
            int rc = load_hashes(c, s, r, want, nwant);
            if (rc)
                return rc;
            nwant = 0;
        }
    }
    return load_hashes(c, s, r, want, nwant);
}
