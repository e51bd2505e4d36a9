#include "base/units.h"

#include "base/err.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef CCHC_DEFAULT_UNITS
#define CCHC_DEFAULT_UNITS "/usr/local/share/cchc/units.tsv"
#endif

const char *units_default_path(void)
{
    return CCHC_DEFAULT_UNITS;
}

struct unit {
    char *id, *name;
    enum unit_level level;
    enum unit_kind kind;
    int parent;
};

struct units {
    struct unit *v;
    size_t n, cap;
    GHashTable *by_id; /* id -> index + 1; keys are owned by v[] */
};

const char *unit_level_name(enum unit_level level)
{
    static const char *names[] = {"province", "district", "commune"};
    return names[level];
}

const char *unit_kind_name(enum unit_kind kind)
{
    static const char *names[] = {"government", "agency", "service-unit"};
    return names[kind];
}

static int parse_level(const char *s, enum unit_level *out)
{
    for (int l = UNIT_PROVINCE; l <= UNIT_COMMUNE; l++)
        if (strcmp(s, unit_level_name(l)) == 0) {
            *out = l;
            return CCHC_OK;
        }
    return CCHC_EINVAL;
}

static int parse_kind(const char *s, enum unit_kind *out)
{
    for (int k = UNIT_GOVERNMENT; k <= UNIT_SERVICE_UNIT; k++)
        if (strcmp(s, unit_kind_name(k)) == 0) {
            *out = k;
            return CCHC_OK;
        }
    return CCHC_EINVAL;
}

int units_id_valid(const char *id, size_t n)
{
    if (n == 0 || n > UNIT_ID_MAX || id[0] == '.' || id[n - 1] == '.')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'))
            return 0;
        if (c == '.' && i + 1 < n && id[i + 1] == '.')
            return 0;
    }
    return 1;
}

static int add(struct units *u, const char *id, const char *name, enum unit_level level,
               enum unit_kind kind, char *why, size_t cap, const char *where)
{
    if (!units_id_valid(id, strlen(id))) {
        snprintf(why, cap, "%s: bad unit id '%s' (lower-case ASCII, digits, '-', dots)", where, id);
        return CCHC_EINVAL;
    }
    if (g_hash_table_contains(u->by_id, id)) {
        snprintf(why, cap, "%s: unit '%s' listed twice", where, id);
        return CCHC_EINVAL;
    }
    int parent = -1;
    const char *dot = strrchr(id, '.');
    if (dot) {
        parent = units_find(u, id, (size_t)(dot - id));
        if (parent < 0) {
            snprintf(why, cap, "%s: parent '%.*s' of '%s' is not listed before it", where,
                     (int)(dot - id), id, id);
            return CCHC_EINVAL;
        }
        int depth = 1;
        for (int a = u->v[parent].parent; a >= 0; a = u->v[a].parent)
            depth++;
        if (depth >= UNIT_DEPTH_MAX) {
            snprintf(why, cap, "%s: unit '%s' has %d ancestors, at most %d", where, id, depth,
                     UNIT_DEPTH_MAX - 1);
            return CCHC_EINVAL;
        }
    }
    if (u->n == u->cap) {
        size_t cap2 = u->cap ? 2 * u->cap : 64;
        u->v = g_renew(struct unit, u->v, cap2);
        u->cap = cap2;
    }
    struct unit *x = &u->v[u->n];
    x->id = g_strdup(id);
    x->name = g_strdup(name);
    x->level = level;
    x->kind = kind;
    x->parent = parent;
    g_hash_table_insert(u->by_id, x->id, GSIZE_TO_POINTER(u->n + 1));
    u->n++;
    return CCHC_OK;
}

/* Reads the rows of f, named path in messages. */
static int load(FILE *f, const char *path, struct units **out, char *why, size_t why_cap)
{
    struct units *u = g_new0(struct units, 1);
    u->by_id = g_hash_table_new(g_str_hash, g_str_equal);
    char *line = NULL;
    size_t lcap = 0;
    int lineno = 0, rc = CCHC_OK;
    while (getline(&line, &lcap, f) >= 0) {
        lineno++;
        line[strcspn(line, "\r\n")] = 0;
        if (line[0] == '#' || line[0] == 0)
            continue;
        char where[512];
        snprintf(where, sizeof where, "%s:%d", path, lineno);
        char *col[4] = {line, NULL, NULL, NULL};
        for (int k = 1; k < 4 && col[k - 1]; k++)
            if ((col[k] = strchr(col[k - 1], '\t')))
                *col[k]++ = 0;
        enum unit_level level;
        enum unit_kind kind;
        if (!col[3]) {
            snprintf(why, why_cap, "%s: want id<TAB>level<TAB>kind<TAB>name", where);
            rc = CCHC_EINVAL;
            break;
        }
        if (parse_level(col[1], &level)) {
            snprintf(why, why_cap, "%s: level '%s' is not province, district or commune", where,
                     col[1]);
            rc = CCHC_EINVAL;
            break;
        }
        if (parse_kind(col[2], &kind)) {
            snprintf(why, why_cap, "%s: kind '%s' is not government, agency or service-unit", where,
                     col[2]);
            rc = CCHC_EINVAL;
            break;
        }
        const char *id = col[0], *name = col[3];
        if ((rc = add(u, id, name, level, kind, why, why_cap, where)))
            break;
    }
    free(line);
    if (rc == CCHC_OK && u->n == 0) {
        snprintf(why, why_cap, "%s: no units", path);
        rc = CCHC_EINVAL;
    }
    if (rc) {
        units_free(u);
        return rc;
    }
    *out = u;
    return CCHC_OK;
}

int units_load(const char *path, struct units **out, char *why, size_t why_cap)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(why, why_cap, "%s: cannot open unit registry", path);
        return CCHC_EIO;
    }
    int rc = load(f, path, out, why, why_cap);
    fclose(f);
    return rc;
}

int units_load_text(const char *name, const char *text, struct units **out, char *why,
                    size_t why_cap)
{
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    if (!f) {
        snprintf(why, why_cap, "%s: cannot read the registry text", name);
        return CCHC_EIO;
    }
    int rc = load(f, name, out, why, why_cap);
    fclose(f);
    return rc;
}

void units_free(struct units *u)
{
    if (!u)
        return;
    for (size_t i = 0; i < u->n; i++) {
        g_free(u->v[i].id);
        g_free(u->v[i].name);
    }
    g_free(u->v);
    g_hash_table_destroy(u->by_id);
    g_free(u);
}

size_t units_count(const struct units *u)
{
    return u->n;
}

int units_find(const struct units *u, const char *id, size_t len)
{
    char key[UNIT_ID_MAX + 1];
    if (len > UNIT_ID_MAX)
        return -1;
    memcpy(key, id, len);
    key[len] = 0;
    gpointer v = g_hash_table_lookup(u->by_id, key);
    return v ? (int)GPOINTER_TO_SIZE(v) - 1 : -1;
}

const char *units_id(const struct units *u, int i)
{
    return u->v[i].id;
}

const char *units_name(const struct units *u, int i)
{
    return u->v[i].name;
}

enum unit_level units_level(const struct units *u, int i)
{
    return u->v[i].level;
}

enum unit_kind units_kind(const struct units *u, int i)
{
    return u->v[i].kind;
}

int units_parent(const struct units *u, int i)
{
    return u->v[i].parent;
}
