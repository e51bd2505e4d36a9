/* The Redis key schema of cchc, version 2 (services/aggregator/REDIS.md):
 * the one place that spells a key or a field. Every writer (the
 * aggregator, cchc-reconcile --repair) and every reader (cchc-report, the
 * checks of the tests) names keys through it. */
#ifndef CCHC_STORE_KEYS_H
#define CCHC_STORE_KEYS_H

#include "base/units.h"

#include <stddef.h>
#include <stdint.h>

#define KEYS_PREFIX "cchc:v2:"
#define KEY_LEN 512 /* room for any key below with a registered unit id */

/* Hash: applied positions, field key_position_field() = the next sequence
 * to apply, and KEY_POS_STAMP, moved by one at every write. */
#define KEY_POS KEYS_PREFIX "pos"
#define KEY_POS_STAMP "stamp"
#define KEY_UNITS KEYS_PREFIX "units" /* set: every registered unit id */
/* hash: the view the figures were built under (services/aggregator/REDIS.md) */
#define KEY_VIEW KEYS_PREFIX "view"
#define KEY_VIEW_VIEW "view"
#define KEY_VIEW_TODAY "today"
#define KEY_REPAIRS KEYS_PREFIX "repairs" /* hash: field KEY_REPAIRS_RECONCILE */
#define KEY_REPAIRS_RECONCILE "reconcile"
#define KEY_HEARTBEAT_AGGREGATOR KEYS_PREFIX "heartbeat:aggregator" /* hash of counters */

/* Hash of a unit's subtree figures for an official period:
 * "cchc:v2:fig:UNIT:PERIOD". */
void key_fig(char *out, size_t cap, const char *unit, const char *period);
/* Hash of a unit's packed days (store/day.h) in an official month, field
 * the day: "cchc:v2:days:UNIT:MONTH". */
void key_days(char *out, size_t cap, const char *unit, const char *month);
/* Sorted set of the months with a days hash: "cchc:v2:months:UNIT". */
void key_months(char *out, size_t cap, const char *unit);
/* Sorted set ranking the children of PARENT at one level (a city's wards,
 * apart from its agencies) on an indicator:
 * "cchc:v2:rank:PARENT:LEVEL:PERIOD:INDICATOR". */
void key_rank(char *out, size_t cap, const char *parent, const char *level, const char *period,
              const char *indicator);
/* Hash of a unit's registry entry: "cchc:v2:unit:UNIT". */
void key_unit(char *out, size_t cap, const char *unit);

/* The field of KEY_POS for publisher/epoch: "dossier/0123456789abcdef". */
void key_position_field(char *out, size_t cap, const char *publisher, uint64_t epoch);
/* The field of KEY_POS for the events of publisher/epoch's checkpoint
 * applied (bus/retention.h): "dossier/0123456789abcdef/checkpoint". */
void key_checkpoint_field(char *out, size_t cap, const char *publisher, uint64_t epoch);

/* A figures hash field: the subtree total "METRIC" (level 0), or the part
 * that happened at units of one level, "LEVEL:METRIC" (level 1 +
 * enum unit_level). */
void key_field(char *out, size_t cap, int level, const char *metric);
/* The other way: *level, and the metric at field[*metric_off ..
 * len). CCHC_ENOTFOUND for a prefix that is not a level. */
int key_field_parse(const char *field, size_t len, int *level, size_t *metric_off);

#endif
