/* A figures hash (rollup.h's FIG_HASH) as Redis holds it
 * (services/aggregator/REDIS.md): an official period's hash, read whole
 * with HGETALL, or one day, a field of its month's days hash holding a
 * packed day (store/day.h). The one reader of figures for the aggregator's
 * cache and cchc-reconcile. */
#ifndef CCHC_FIGURES_FIGHASH_H
#define CCHC_FIGURES_FIGHASH_H

#include "figures/rollup.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

/* Appends the command that reads hash (its reply: fighash_each). */
int fighash_read(struct store *s, const struct rollup *r, uint64_t hash);

/* Calls fn(arg, field, len, value) for every figure the reply holds, in the
 * reply's order, until fn returns nonzero (that value is returned); derived
 * rates are skipped, and a day that is not a packed day gives none (it is
 * read whole first). *absent says whether Redis has no such hash (or day).
 * CCHC_EREDIS for a reply of the wrong type, CCHC_ECORRUPT for a value that
 * is not an integer or a packed day that is not one, why saying which. */
typedef int (*fighash_fn)(void *arg, const char *field, size_t len, int64_t v);
int fighash_each(const struct rollup *r, uint64_t hash, const redisReply *rep, int *absent,
                 fighash_fn fn, void *arg, char *why, size_t cap);

#endif
