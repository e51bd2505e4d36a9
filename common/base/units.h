/* The unit registry: which units exist, their Vietnamese names, levels and
 * parents, loaded from a TSV file (a .tsv file in ops/units/). Adding a province or a
 * city is an edit of that file, not of the code. */
#ifndef CCHC_UNITS_H
#define CCHC_UNITS_H

#include <stddef.h>

enum unit_level { UNIT_PROVINCE, UNIT_DISTRICT, UNIT_COMMUNE };
enum unit_kind { UNIT_GOVERNMENT, UNIT_AGENCY, UNIT_SERVICE_UNIT };

#define UNIT_ID_MAX 128
#define UNIT_DEPTH_MAX 16 /* levels of the tree: a unit has at most 15 ancestors */

struct units; /* opaque */

/* Whether id[0..n) is a unit id at all: dotted, parent first, each part of
 * lower-case ASCII letters, digits and '-', at most UNIT_ID_MAX bytes. A
 * valid id need not be registered (units_find). */
int units_id_valid(const char *id, size_t n);

/* The registry a program loads when --units and CCHC_UNITS are unset: the
 * one of the build tree, or of the installation. */
const char *units_default_path(void);

/* Loads path. On a bad file, CCHC_EINVAL with "FILE:LINE: what" in why. */
int units_load(const char *path, struct units **out, char *why, size_t why_cap);
/* The same from the text of such a file, named name in messages. */
int units_load_text(const char *name, const char *text, struct units **out, char *why,
                    size_t why_cap);
void units_free(struct units *u);

size_t units_count(const struct units *u);
/* Index of the unit id[0..len), or -1. */
int units_find(const struct units *u, const char *id, size_t len);
const char *units_id(const struct units *u, int i);
const char *units_name(const struct units *u, int i);
enum unit_level units_level(const struct units *u, int i);
enum unit_kind units_kind(const struct units *u, int i);
int units_parent(const struct units *u, int i); /* -1 for a root */
const char *unit_level_name(enum unit_level level);
const char *unit_kind_name(enum unit_kind kind);

#endif
