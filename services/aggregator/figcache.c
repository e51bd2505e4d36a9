#include "figcache.h"

#include "base/err.h"
#include "base/log.h"
#include "figures/fighash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HASH_NEW 1 /* resident, and not in Redis yet */
#define NO_DAY 0   /* hashes value >> 8: index in days + 1, 0 for an official period */
#define LOAD_CHUNK 512

static void free_day(gpointer p)
{
    g_array_free(p, TRUE);
}

void figcache_init(struct figcache *c, struct rollup *r, size_t max_figures)
{
    *c = (struct figcache){.r = r, .max_figures = max_figures};
    u64map_init(&c->vals);
    u64map_init(&c->hashes);
    c->days = g_ptr_array_new_with_free_func(free_day);
}

void figcache_free(struct figcache *c)
{
    u64map_free(&c->vals);
    u64map_free(&c->hashes);
    if (c->days)
        g_ptr_array_free(c->days, TRUE);
}

void figcache_reset(struct figcache *c, int complete)
{
    u64map_clear(&c->vals);
    u64map_clear(&c->hashes);
    g_ptr_array_set_size(c->days, 0);
    c->complete = complete;
}

int64_t figcache_get(const struct figcache *c, fig_key k)
{
    const int64_t *v = u64map_find(&c->vals, k);
    return v ? *v : 0;
}

/* A hash made resident, with its flags; a day gets its list of figures. */
static void resident(struct figcache *c, uint64_t hash, int64_t flags)
{
    int64_t day = NO_DAY;
    if (rollup_period_day(c->r, FIG_HASH_PERIOD(hash)) != ROLLUP_DAY_NONE) {
        g_ptr_array_add(c->days, g_array_new(FALSE, FALSE, sizeof(fig_key)));
        day = c->days->len;
    }
    *u64map_slot(&c->hashes, hash, NULL) = flags | day << 8;
}

int64_t *figcache_slot(struct figcache *c, fig_key k)
{
    int created;
    int64_t *v = u64map_slot(&c->vals, k, &created);
    if (created) {
        const int64_t *h = u64map_find(&c->hashes, FIG_HASH(k));
        if (h && *h >> 8 != NO_DAY)
            g_array_append_val(g_ptr_array_index(c->days, (guint)(*h >> 8) - 1), k);
    }
    return v;
}

size_t figcache_day_figures(const struct figcache *c, uint64_t hash, const fig_key **keys)
{
    const int64_t *h = u64map_find(&c->hashes, hash);
    if (!h || *h >> 8 == NO_DAY) {
        *keys = NULL;
        return 0;
    }
    GArray *a = g_ptr_array_index(c->days, (guint)(*h >> 8) - 1);
    *keys = (const fig_key *)a->data;
    return a->len;
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
            *f &= ~(int64_t)HASH_NEW;
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

struct taking {
    struct figcache *c;
    uint64_t hash;
};

static int take_one(void *arg, const char *field, size_t len, int64_t v)
{
    struct taking *t = arg;
    uint32_t level, metric;
    int rc = rollup_field_parse(t->c->r, field, len, &level, &metric);
    if (rc == CCHC_ENOTFOUND)
        return CCHC_OK; /* not a figure */
    if (rc)
        return rc; /* a figure not cached would be overwritten: fail instead */
    *figcache_slot(t->c, FIG_KEY(FIG_HASH_PERIOD(t->hash), FIG_HASH_UNIT(t->hash), level, metric)) =
        v;
    return CCHC_OK;
}

/* One reply into the cache. */
static int take(struct figcache *c, uint64_t hash, const redisReply *rep)
{
    /* Resident first, so that a day's figures join its list as they come. */
    resident(c, hash, 0);
    struct taking t = {c, hash};
    int absent = 0;
    char why[320];
    int rc = fighash_each(c->r, hash, rep, &absent, take_one, &t, why, sizeof why);
    if (rc == CCHC_EREDIS || rc == CCHC_ECORRUPT)
        cchc_error("figure cache: %s", why);
    if (rc == CCHC_OK && absent)
        *u64map_find(&c->hashes, hash) |= HASH_NEW;
    return rc;
}

/* One pipelined read per hash of want[0..n), into the cache. */
static int load_hashes(struct figcache *c, struct store *s, const uint64_t *want, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        int rc = fighash_read(s, c->r, want[k]);
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
            failed = take(c, want[k], rep);
        freeReplyObject(rep);
    }
    return failed;
}

int figcache_load(struct figcache *c, struct store *s, const fig_key *keys, size_t n)
{
    uint64_t want[LOAD_CHUNK];
    size_t nwant = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t hash = FIG_HASH(keys[i]);
        if ((i > 0 && hash == FIG_HASH(keys[i - 1])) || u64map_find(&c->hashes, hash))
            continue;
        if (c->complete) { /* Redis holds no figures: nothing to load */
            resident(c, hash, HASH_NEW);
            continue;
        }
        want[nwant++] = hash;
        if (nwant == LOAD_CHUNK) {
            int rc = load_hashes(c, s, want, nwant);
            if (rc)
                return rc;
            nwant = 0;
        }
    }
    return load_hashes(c, s, want, nwant);
}
