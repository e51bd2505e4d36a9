/* Metric names: what a figure is called, in events (proto/README.md), in
 * Redis fields (services/aggregator/REDIS.md) and in the forms. The one
 * owner of their rules; services/README.md lists the names themselves.
 *
 *   a name        [a-z][A-Za-z0-9_.-]*, at most METRIC_NAME_MAX bytes
 *   a rate        a name ending in "_pct": derived by the aggregator from
 *                 figures, never a figure itself, so no metric may end so
 *   a procedure   "proc.<code>.<what>": the code holds dots itself
 *                 (1.004227), so it ends where a known <what> begins;
 *                 Redis keeps them in the days only, not in the hashes of
 *                 official periods (services/aggregator/REDIS.md) */
#ifndef CCHC_BASE_METRIC_H
#define CCHC_BASE_METRIC_H

#include <stddef.h>

#define METRIC_NAME_MAX 96 /* bytes in a metric name */
/* Distinct metric names one service may ever emit (its journal's, rebuilt at
 * start): a record that would add one more is rejected whole. The aggregator
 * holds 65,536 names in all (figures/rollup.c): four services x 16,000 =
 * 64,000, and 1,536 to spare. */
#define METRIC_NAMES_MAX 16000
#define METRIC_RATE_SUFFIX "_pct"
/* Sums that cannot leave int64 in the aggregator, whatever is posted. A
 * figure is a sum of counter changes plus, for a level, the difference of
 * two values of each series under it. So each service bounds, over its
 * whole journal (rebuilt at start), the magnitudes of all its counter
 * changes (METRIC_COUNTERS_MAX) and the largest magnitude each level series
 * ever had, added over its series (METRIC_LEVELS_MAX): a figure stays within
 * 10^18 + 2 x 5 x 10^17 = 2 x 10^18 a service, 8 x 10^18 for the four, under
 * int64's 9.22 x 10^18. A record past either is rejected whole. (Vietnam's
 * whole state budget is about 2 x 10^15 dong a year.) */
#define METRIC_COUNTERS_MAX 1000000000000000000LL
#define METRIC_LEVELS_MAX 500000000000000000LL

/* Whether p[0..n) may name a figure: the syntax above, and not a rate. */
int metric_name_ok(const char *p, size_t n);
/* Whether p[0..n) is a derived rate's name (or a field of one). */
int metric_is_rate(const char *p, size_t n);
/* Whether the metric p[0..n) is a procedure's, "proc.<code>.<what>". */
int metric_is_proc(const char *p, size_t n);

/* "proc.<code>.<what>": a figure of one procedure (code[0..len)), such as
 * "received". CCHC_ETOOBIG when out is too short. */
int metric_proc(char *out, size_t cap, const char *code, size_t len, const char *what);
/* "proc.<code>.online_l<level>": 1 while the procedure is offered online at
 * that level (3 or 4). CCHC_ETOOBIG when out is too short. */
int metric_proc_online(char *out, size_t cap, const char *code, size_t len, int level);
/* The other way: *code and *len name the code inside name and *level the
 * level; CCHC_ENOTFOUND for a name that is not such a metric. */
int metric_proc_online_parse(const char *name, const char **code, size_t *len, int *level);

#endif
