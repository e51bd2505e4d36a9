/* Applying rollup operations (rollup.h) to Redis: one Lua script that
 * checks a position, applies every operation and moves the position, all
 * atomically. The aggregator applies each batch of events with it; the
 * repair of cchc-reconcile applies its corrections with it too. */
#ifndef CCHC_ROLLUP_SCRIPT_H
#define CCHC_ROLLUP_SCRIPT_H

#include "rollup.h"
#include "store.h"

#include <stdint.h>

extern const char rollup_script_lua[];

/* SCRIPT LOAD; sha gets the script's SHA1 (the same after a reload). */
int rollup_script_load(struct store *s, char sha[41]);

/* Queues EVALSHA: when HGET pos_key pos_field is `from` (absent counts as
 * 0), applies ops and sets it to `to`. The reply (store_reply) is
 * {1, to} when applied, {0, current} when not, or NOSCRIPT after Redis lost
 * its script cache (load it again and resend). */
int rollup_script_append(struct store *s, const char *sha, const char *pos_key,
                         const char *pos_field, uint64_t from, uint64_t to,
                         const struct rollup *ops);

#endif
