/* A packed day (services/aggregator/REDIS.md, "A packed day"): the value of
 * a field of a days hash, every figure of one unit's subtree on one day as
 * "figure=value" pairs in ascending byte order of the figure, one space
 * between. The one writer and reader of that format: the aggregator and
 * cchc-reconcile write it, cchc-report and cchc-reconcile read it. */
#ifndef CCHC_STORE_DAY_H
#define CCHC_STORE_DAY_H

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

/* Appends one pair to out. The caller gives figures in ascending order. */
void day_pack_add(GString *out, const char *figure, size_t len, int64_t v);

/* Reads a packed day pair by pair: zero it, set s and len, then call
 * day_next until it returns CCHC_ENOTFOUND (the end). CCHC_ECORRUPT for a
 * pair that is not "figure=integer" (a figure of [A-Za-z0-9_.:-], a decimal
 * integer without leading zeros, -0 or '+') or is out of order; *why then
 * says which, bad and bad_len hold the pair, and the reader stays failed.
 * *figure points into s. */
struct day_reader {
    const char *s;
    size_t len, off;
    const char *prev; /* the last figure read, for the order */
    size_t prev_len;
    const char *bad; /* the pair refused */
    size_t bad_len;
};
int day_next(struct day_reader *r, const char **figure, size_t *len, int64_t *v, const char **why);

#endif
