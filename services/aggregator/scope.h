/* Which units each publisher may speak for: the units= of its line in the
 * bus keys (common/bus/keys.h), resolved against the unit registry. */
#ifndef CCHC_AGGREGATOR_SCOPE_H
#define CCHC_AGGREGATOR_SCOPE_H

#include "base/units.h"
#include "bus/keys.h"

#include <stddef.h>
#include <stdint.h>

struct scope; /* opaque */

/* Borrows k and u (both must outlive the scope). CCHC_EINVAL, naming the
 * publisher and root, when a units= root is not a registered unit. */
int scope_open(const struct bus_keys *k, const struct units *u, struct scope **out, char *why,
               size_t why_cap);
void scope_free(struct scope *s);
/* Whether publisher may speak for the unit of index `unit` (a registered
 * unit): it is one of its roots, or under one. Logs a refusal (at most
 * once a second, with the count so far) naming publisher and unit. */
int scope_allows(struct scope *s, const char *publisher, int unit);
uint64_t scope_refused(const struct scope *s);

#endif
