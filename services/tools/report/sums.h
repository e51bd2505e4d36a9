/* The figures a report is computed from: per Redis field ("district:resolved",
 * "feedback_received", ...), one total over the days before the window (for
 * what was carried over) and one over the days in it. Pure memory, no I/O, so
 * the forms can be tested without Redis. */
#ifndef CCHC_REPORT_SUMS_H
#define CCHC_REPORT_SUMS_H

#include <stdint.h>

enum report_span {
    REPORT_BEFORE, /* days before the window's first day */
    REPORT_WINDOW, /* days from the first to the last day, both included */
    REPORT_SPANS,
};

struct report_sums; /* opaque */

struct report_sums *report_sums_new(void);
void report_sums_free(struct report_sums *s);
/* Adds v to field's total of span. CCHC_ETOOBIG if the total would leave
 * int64_t; the total is then unchanged. The field name is copied. */
int report_sums_add(struct report_sums *s, enum report_span span, const char *field, int64_t v);
/* The total, 0 for a field no day had. */
int64_t report_sums_get(const struct report_sums *s, enum report_span span, const char *field);
/* Whether any day (before or in the window) had the field: tells a level
 * never reported (an indicator nobody sent) from one reported as 0. */
int report_sums_has(const struct report_sums *s, const char *field);
/* Calls fn(field, arg) for every field, in no particular order, until fn
 * returns nonzero; returns that value, or 0. fn must not change s. */
int report_sums_each(const struct report_sums *s, int (*fn)(const char *field, void *arg),
                     void *arg);

#endif
