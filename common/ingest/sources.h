/* The sources file: who may post records, and for what (ops/README.md,
 * "Sources and tokens"). One office system a line:
 *
 *   NAME  sha256:<64 hex>  POSTS  UNITS  [budget=P%]
 *
 * NAME [A-Za-z0-9._-], 1..64 bytes (twice, with the same POSTS and UNITS:
 * two tokens of one source while it rotates them); the SHA-256 of the
 * source's token (the 64 hex characters of 32 random bytes, as written);
 * POSTS a comma list of `service.type` or `service.*`; UNITS a comma list of
 * unit-subtree roots of the registry, or `*`; budget=P% (1..100, optional):
 * the source's share of each service's budgets (lines.h, "Budgets per
 * source"), which the sources without one divide equally; the budgets of the
 * sources that may post to one service add up to at most 100%. Blank lines
 * and lines starting
 * with `#` are skipped. A service loads it for itself: its own types are
 * checked against what it takes, and each source's scope is resolved once,
 * so a line's check costs a mask test and a walk up the unit's parents. */
#ifndef CCHC_INGEST_SOURCES_H
#define CCHC_INGEST_SOURCES_H

#include "base/units.h"

#include <stddef.h>
#include <stdint.h>

#define SOURCE_NAME_MAX 64
#define SOURCE_TOKEN_LEN 64 /* hex characters */

struct source {
    char name[SOURCE_NAME_MAX + 1];
    uint8_t hash[32];
    char *posts, *units_text; /* as written, for messages (owned) */
    uint32_t types;           /* the loading service's types it may post: bit i = types[i] */
    int *roots;               /* registry indexes of its subtrees (owned) */
    int nroots;               /* -1: every unit (`*`) */
    unsigned budget_pct;      /* budget=P%: P; 0: none given */
};

struct sources; /* opaque */

/* Loads path for service `service`, whose record types are types[] (NULL
 * ended, at most 32). units (borrowed) must outlive the result. A bad line:
 * CCHC_EINVAL with why = `FILE line N field "posts": ...`. The caller frees
 * *out with sources_free(). */
int sources_load(const char *path, const struct units *units, const char *service,
                 const char *const *types, struct sources **out, char *why, size_t cap);
/* The same from text; name stands for the file in messages. */
int sources_load_text(const char *name, const char *text, const struct units *units,
                      const char *service, const char *const *types, struct sources **out,
                      char *why, size_t cap);
void sources_free(struct sources *s);
size_t sources_count(const struct sources *s);
/* Line i of the file's sources (0 <= i < sources_count), borrowed. */
const struct source *sources_get(const struct sources *s, size_t i);

/* The source whose token this is (n bytes, not NUL-terminated), or NULL.
 * Every source's hash is compared (sodium_memcmp), whatever matches. */
const struct source *sources_check_token(const struct sources *s, const char *token, size_t n);

/* Whether src may post for unit (a registry index): the unit is one of its
 * roots or below one. */
int source_may_unit(const struct source *src, const struct units *units, int unit);
/* Whether every source may post only for units that lie in one of the
 * subtrees roots[0..n) (n = -1: every unit), the units the service's bus key
 * speaks for: a record accepted outside them would be dropped by the
 * aggregator, acknowledged yet never counted. CCHC_EINVAL naming the first
 * source that may post elsewhere. */
int sources_within(const struct sources *s, const struct units *units, const int *roots, int n,
                   char *why, size_t why_cap);
/* Whether src may post record type i of the loading service. */
static inline int source_may_type(const struct source *src, int i)
{
    return (src->types >> i) & 1u;
}

#endif
