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

/* Where a day's figures go: the sums to add them to, with the span in
 * *span, or NULL to leave the day out (a predecessor's day under --as-of
 * that its ancestor already holds, a day outside a chart's month). */
typedef struct report_sums *(*report_day_sink_fn)(void *arg, int64_t day, enum report_span *span);

/* Fills *u and adds every day of unit from from_day (INT64_MIN: its first)
 * up to to_day where sink says; only the months holding those days are
 * read. Two round trips whatever the window: the unit and its months in
 * one pipeline, then every month's days hash in a second.
 * Errors: CCHC_ENOTFOUND for a unit the registry in Redis does not have,
 * CCHC_EREDIS when Redis fails or refuses, CCHC_ECORRUPT for a figure that is
 * not an integer, CCHC_ETOOBIG for a total past int64_t. why (cap bytes)
 * then says what and where. After a failure replies may be left unread in
 * the store's pipeline: close the store. */
int report_figures_read(struct store *s, const char *unit, int64_t from_day, int64_t to_day,
                        report_day_sink_fn sink, void *sink_arg, struct report_unit *u, char *why,
                        size_t cap);

#endif
