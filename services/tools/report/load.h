/* A report's question and the figures that answer it: a unit and a window,
 * as recorded (each event under the units in force on its day) or under
 * today's units on a day (the unit with the history of every unit it
 * succeeded, by the registry's successors=/history=). What cchc-report
 * prints and cchc-web shows, asked the one way. */
#ifndef CCHC_REPORT_LOAD_H
#define CCHC_REPORT_LOAD_H

#include "base/units.h"
#include "figures.h"
#include "store/store.h"
#include "sums.h"

#include <stddef.h>
#include <stdint.h>

struct report_query {
    const char *unit;
    int64_t from_day, to_day; /* the window, both days included */
    int as_of;                /* today's units on as_of_day; 0: as recorded */
    int64_t as_of_day;
    int window_only; /* the days before the window are not read (nothing carried over is asked) */
};

/* Reads the days up to q->to_day of the unit, and with as_of of each of its
 * predecessors (a predecessor's day counts unless one of its ancestors that
 * day is a predecessor too: a merged district's day already holds its
 * communes'), into the sums sink names; the unit's entry into *info.
 * u: the registry, or NULL when it could not be read (why_units says why),
 * which only as_of needs. Errors: those of report_figures_read; with as_of,
 * CCHC_EINVAL for no registry or a unit not valid on the day (why names its
 * successors), CCHC_ENOTFOUND for a unit the registry lacks. */
int report_load_days(struct store *s, const struct units *u, const char *why_units,
                     const struct report_query *q, report_day_sink_fn sink, void *sink_arg,
                     struct report_unit *info, char *why, size_t cap);

/* report_load_days into sums: the days before the window into
 * REPORT_BEFORE (what was carried over), the others into REPORT_WINDOW. */
int report_load(struct store *s, const struct units *u, const char *why_units,
                const struct report_query *q, struct report_unit *info, struct report_sums *sums,
                char *why, size_t cap);

/* Whether the provinces of the report (the unit's, and with as_of its
 * predecessors') had no district on any day of the window, by the
 * registry: the two-tier system since 1 July 2025, whose forms have no
 * district rows (report_ctx.no_districts). A unit the registry lacks (or
 * no registry) keeps every row. */
int report_no_districts(const struct units *u, const struct report_query *q);

#endif
