/* Reading a unit's figures from Redis (services/aggregator/REDIS.md): the
 * unit's registry entry, and its daily figures summed over a window and over
 * everything before it. Read only; the aggregator is the only writer. */
#ifndef CCHC_REPORT_FIGURES_H
#define CCHC_REPORT_FIGURES_H

#include "store/store.h"
#include "sums.h"

#include <stddef.h>
#include <stdint.h>

struct report_unit {
    char name[256]; /* Vietnamese, from the registry; may be empty */
    char level[16]; /* province, district or commune */
};

/* Which days of a unit count (a predecessor's under --as-of): nonzero to keep. */
typedef int (*report_keep_day_fn)(void *arg, int64_t day);

/* Fills *u and adds into sums every day of unit up to to_day that keep
 * keeps (every day when keep is NULL): days before from_day into
 * REPORT_BEFORE, the others into REPORT_WINDOW. Two round
 * trips whatever the window: the unit and its days in one pipeline, then
 * every day's hash in a second.
 * Errors: CCHC_ENOTFOUND for a unit the registry in Redis does not have,
 * CCHC_EREDIS when Redis fails or refuses, CCHC_ECORRUPT for a figure that is
 * not an integer, CCHC_ETOOBIG for a total past int64_t. why (cap bytes)
 * then says what and where. After a failure replies may be left unread in
 * the store's pipeline: close the store. */
int report_figures_load(struct store *s, const char *unit, int64_t from_day, int64_t to_day,
                        report_keep_day_fn keep, void *keep_arg, struct report_unit *u,
                        struct report_sums *sums, char *why, size_t cap);

#endif
