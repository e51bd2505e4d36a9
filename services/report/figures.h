/* The figures of one unit's subtree, summed from Redis over a window of days
 * and over every day before it (for what was carried over). */
#ifndef CCHC_REPORT_FIGURES_H
#define CCHC_REPORT_FIGURES_H

#include "store.h"

#include <glib.h>
#include <stdint.h>

struct figures {
    char name[256], level[16]; /* the unit's, from the registry in Redis */
    GHashTable *window;        /* field -> int64_t*, days in [from, to] */
    GHashTable *before;        /* field -> int64_t*, days before from */
};

/* CCHC_ENOTFOUND for a unit Redis does not know, CCHC_EREDIS when it fails. */
int figures_load(struct store *s, const char *unit, int64_t from_day, int64_t to_day,
                 struct figures *f);
void figures_free(struct figures *f);
int64_t figures_get(GHashTable *sums, const char *field); /* 0 when absent */

#endif
