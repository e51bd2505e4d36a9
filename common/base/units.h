/* The unit registry: which units exist, their Vietnamese names, levels and
 * parents, and since when and until when, loaded from a TSV file (a .tsv
 * file in ops/units/, its format in ops/units/README.md). Adding a province,
 * merging communes or abolishing a level is an edit of that file, not of
 * the code. Days are day numbers (base/period.h). */
#ifndef CCHC_UNITS_H
#define CCHC_UNITS_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

enum unit_level { UNIT_PROVINCE, UNIT_DISTRICT, UNIT_COMMUNE };
enum unit_kind { UNIT_GOVERNMENT, UNIT_AGENCY, UNIT_SERVICE_UNIT };

#define UNIT_ID_MAX 128
#define UNIT_DEPTH_MAX 16 /* levels of the tree: a unit has at most 15 ancestors */
#define UNIT_CODE_MAX 64
/* The open ends of a validity: a unit valid since always, or still valid. */
#define UNIT_DAY_FIRST INT64_MIN
#define UNIT_DAY_LAST INT64_MAX

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
/* Every problem of the registry at path, one "FILE:LINE: what" line each,
 * to report: how many (0: it loads), or -1 when it cannot be read. */
int units_check(const char *path, FILE *report);

size_t units_count(const struct units *u);
/* Index of the unit id[0..len), or -1. */
int units_find(const struct units *u, const char *id, size_t len);
const char *units_id(const struct units *u, int i);
const char *units_name(const struct units *u, int i);
enum unit_level units_level(const struct units *u, int i);
enum unit_kind units_kind(const struct units *u, int i);
int units_parent(const struct units *u, int i); /* at the unit's start; -1 for a root */
/* The parent in force on day (the id's prefix until a dated parent= of the
 * registry), -1 for a root; meaningful only while the unit is valid. */
int units_parent_on(const struct units *u, int i, int64_t day);
/* Whether the unit's ancestors ever change (a dated parent= of its own or
 * of an ancestor); else every day has units_parent's chain. */
int units_moves(const struct units *u, int i);
/* The number of its ancestors on day. */
int units_depth_on(const struct units *u, int i, int64_t day);
/* Valid from the first day to the last, both inclusive (the open ends above). */
int64_t units_from(const struct units *u, int i);
int64_t units_to(const struct units *u, int i);
int units_valid_on(const struct units *u, int i, int64_t day);
/* The official administrative unit code and the electronic identifier
 * (madonvi) the national portal knows the unit by; "" when the registry
 * gives none. */
const char *units_code(const struct units *u, int i);
const char *units_madonvi(const struct units *u, int i);
/* The unit whose code or madonvi is s[0..len), valid on day; -1 if none. */
int units_find_code(const struct units *u, const char *s, size_t len, int64_t day);
/* The units that take over from i after its last day, in registry order;
 * *out is good while u lives. */
size_t units_successors(const struct units *u, int i, const int **out);
/* The successor that takes i's history (the only one, or the one the
 * registry names with history=), or -1 for a unit without successors. */
int units_heir(const struct units *u, int i);
/* The unit acting for i on day: i until its last day, then, in turn, the
 * heir that took its history (a dossier received before a merge is
 * resolved by the merged unit). i itself past a last day without heir. */
int units_acting_on(const struct units *u, int i, int64_t day);
/* Today's unit of i, as seen on day: units_acting_on when that is valid on
 * day, else i (a unit that ended without heir, or is not valid yet). */
int units_today(const struct units *u, int i, int64_t day);
/* The last day, up to day, on which the registry's tree changes (a unit
 * starts, ends, or moves), or UNIT_DAY_FIRST: two days with the same one
 * see the same units and parents. */
int64_t units_change_day(const struct units *u, int64_t day);
/* The SHA-256 of the registry's text, 64 hex digits. */
const char *units_digest(const struct units *u);
const char *unit_level_name(enum unit_level level);
const char *unit_kind_name(enum unit_kind kind);

#endif
