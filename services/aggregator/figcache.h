/* What the aggregator knows Redis holds: figures by fig_key (rollup.h), so
 * that a flush writes new values outright instead of asking Redis to add.
 *
 * The cache is only as good as the stamp (rollup_write.h) it was built at:
 * the aggregator checks the stamp in every write, and on any mismatch or
 * failed write it empties the cache and reloads what it needs. A hash is
 * loaded whole (figures/fighash.h) the first time a flush touches it, unless the
 * cache is "complete": it was emptied when Redis held no figures at all, so
 * a hash it does not have is empty. Memory is bounded by max_figures: past
 * it, the cache is emptied after a flush and fills again from Redis. */
#ifndef CCHC_FIGCACHE_H
#define CCHC_FIGCACHE_H

#include "base/u64map.h"
#include "figures/rollup.h"
#include "store/store.h"

#include <glib.h>

#include <stddef.h>
#include <stdint.h>

struct figcache {
    struct rollup *r;     /* borrowed: names the periods and fields */
    struct u64map vals;   /* fig_key -> value Redis holds (or will, once written) */
    struct u64map hashes; /* FIG_HASH -> HASH_* flags | (index in days) << 8 */
    GPtrArray *days;      /* GArray of fig_key: every resident figure of a day */
    int complete;
    size_t max_figures;
};

/* r is borrowed and must outlive the cache. */
void figcache_init(struct figcache *c, struct rollup *r, size_t max_figures);
void figcache_free(struct figcache *c);
/* Forgets everything; complete: Redis is known to hold no figures. */
void figcache_reset(struct figcache *c, int complete);
/* Makes every hash of keys[0..n) (ascending) resident, loading from Redis
 * those that are not, pipelined. */
int figcache_load(struct figcache *c, struct store *s, const fig_key *keys, size_t n);
/* The value of a resident figure (0 when the hash lacks it); the slot to
 * change it. */
int64_t figcache_get(const struct figcache *c, fig_key k);
int64_t *figcache_slot(struct figcache *c, fig_key k);
/* Every resident figure of a resident day (a day is written whole): *keys,
 * in no order, good until the cache next changes. */
size_t figcache_day_figures(const struct figcache *c, uint64_t hash, const fig_key **keys);
/* A resident hash Redis does not have yet; figcache_written clears it once
 * the flush that creates it is applied. */
int figcache_is_new(const struct figcache *c, uint64_t hash);
void figcache_written(struct figcache *c, const fig_key *keys, size_t n);
/* After a flush: empties the cache when it holds more than max_figures. */
void figcache_trim(struct figcache *c);

#endif
