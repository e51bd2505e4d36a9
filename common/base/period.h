/* Time in cchc: instants are int64 milliseconds since the Unix epoch (UTC);
 * days are int64 day numbers since 1970-01-01 in the reporting zone, UTC+7
 * (Vietnam has no daylight saving). Official periods follow services/DOMAIN.md: a month
 * runs from the 15th of the previous month to the 14th, quarters, half-years
 * and years are cut the same way (year 2022 = 2021-12-15 .. 2022-12-14). */
#ifndef CCHC_PERIOD_H
#define CCHC_PERIOD_H

#include <stddef.h>
#include <stdint.h>

#define CCHC_ZONE_OFFSET_S (7 * 3600)
#define CCHC_DAY_LEN 11 /* "YYYY-MM-DD" and NUL */

/* Parses RFC 3339 with an offset ("2022-03-01T08:30:00+07:00", "...Z",
 * optional fraction). CCHC_EINVAL unless the whole s[0..len) is one. */
int cchc_time_parse(const char *s, size_t len, int64_t *ms);

/* Writes ms as RFC 3339 in UTC+7 to out (at least 30 bytes). */
void cchc_time_format(int64_t ms, char *out, size_t cap);

int64_t cchc_day_of_ms(int64_t ms);
int64_t cchc_day_from_civil(int y, int m, int d);
void cchc_day_to_civil(int64_t day, int *y, int *m, int *d);
void cchc_day_format(int64_t day, char out[CCHC_DAY_LEN]);
/* "YYYY-MM-DD" -> day; CCHC_EINVAL if not a real date. */
int cchc_day_parse(const char *s, int64_t *day);

/* The official periods a day falls in, as their user-facing names. */
struct cchc_periods {
    char month[24];   /* "2022-05" */
    char quarter[24]; /* "2022-Q1" */
    char half[24];    /* "2022-H1" */
    char year[24];    /* "2022" */
};
void cchc_periods_of_day(int64_t day, struct cchc_periods *p);

/* An official period's name ("2022", "2022-H1", "2022-Q3", "2022-05") to its
 * first and last day, both inclusive. CCHC_EINVAL for anything else. */
int cchc_period_range(const char *name, int64_t *first, int64_t *last);

#endif
