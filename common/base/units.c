#include "base/units.h"

#include "base/err.h"
#include "base/period.h"

#include <glib.h>
#include <stdarg.h>
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

/* A parent from a day on (the first: the id's prefix, from the unit's start). */
struct parent_from {
    int64_t day;
    int parent;
};

struct unit {
    char *id, *name, *code, *madonvi;
    enum unit_level level;
    enum unit_kind kind;
    int64_t from, to;
    GArray *parents;    /* struct parent_from, ascending days */
    GArray *successors; /* int */
    int heir;
    int line;
    int moves; /* its ancestors change on some day (check_tree) */
    int depth; /* its ancestors, when they never change */
};

/* What a row names by id, resolved once every row is read (a successor is
 * usually listed after the unit it succeeds). */
struct reference {
    int unit, line;
    enum { REF_SUCCESSOR, REF_HISTORY, REF_PARENT } what;
    char *id;
    int64_t day; /* REF_PARENT */
};

struct units {
    struct unit *v;
    size_t n, cap;
    GHashTable *by_id;   /* id -> index + 1; keys are owned by v[] */
    GHashTable *by_code; /* code or madonvi -> GArray of index (several over time) */
    char digest[65];     /* SHA-256 of the registry's text, hex */
};

/* Where problems go: the first to why; with all, every one to it. */
struct problems {
    const char *path;
    char *why;
    size_t cap;
    FILE *all;
    int n;
};

static void G_GNUC_PRINTF(3, 4) problem(struct problems *p, int line, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char where[512];
    if (line > 0)
        snprintf(where, sizeof where, "%s:%d", p->path, line);
    else
        snprintf(where, sizeof where, "%s", p->path);
    if (p->n == 0 && p->why)
        snprintf(p->why, p->cap, "%s: %s", where, msg);
    if (p->all)
        fprintf(p->all, "%s: %s\n", where, msg);
    p->n++;
}

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

/* Codes are printable ASCII without spaces: "30280", "000.00.12.H33". */
static int code_valid(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > UNIT_CODE_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] <= ' ' || s[i] > '~')
            return 0;
    return 1;
}

static void day_text(int64_t day, char out[CCHC_DAY_LEN])
{
    cchc_day_format(day, out);
}

static struct unit *new_unit(struct units *u, const char *id, const char *name,
                             enum unit_level level, enum unit_kind kind, int parent, int line)
{
    if (u->n == u->cap) {
        size_t cap2 = u->cap ? 2 * u->cap : 64;
        u->v = g_renew(struct unit, u->v, cap2);
        u->cap = cap2;
    }
    struct unit *x = &u->v[u->n];
    *x = (struct unit){.id = g_strdup(id),
                       .name = g_strdup(name),
                       .code = g_strdup(""),
                       .madonvi = g_strdup(""),
                       .level = level,
                       .kind = kind,
                       .from = UNIT_DAY_FIRST,
                       .to = UNIT_DAY_LAST,
                       .parents = g_array_new(FALSE, FALSE, sizeof(struct parent_from)),
                       .successors = g_array_new(FALSE, FALSE, sizeof(int)),
                       .heir = -1,
                       .line = line};
    struct parent_from first = {UNIT_DAY_FIRST, parent};
    g_array_append_val(x->parents, first);
    g_hash_table_insert(u->by_id, x->id, GSIZE_TO_POINTER(u->n + 1));
    u->n++;
    return x;
}

/* The id's own checks, and its parent (its prefix), which must be listed before it. */
static int id_parent(struct units *u, const char *id, int line, struct problems *p, int *parent)
{
    if (!units_id_valid(id, strlen(id))) {
        problem(p, line, "bad unit id '%s' (lower-case ASCII, digits, '-', dots)", id);
        return CCHC_EINVAL;
    }
    if (g_hash_table_contains(u->by_id, id)) {
        problem(p, line, "unit '%s' listed twice", id);
        return CCHC_EINVAL;
    }
    *parent = -1;
    const char *dot = strrchr(id, '.');
    if (!dot)
        return CCHC_OK;
    *parent = units_find(u, id, (size_t)(dot - id));
    if (*parent < 0) {
        problem(p, line, "parent '%.*s' of '%s' is not listed before it", (int)(dot - id), id, id);
        return CCHC_EINVAL;
    }
    return CCHC_OK;
}

/* One key=value column after the name. */
static int option(struct units *u, struct unit *x, int ix, char *col, int line, GArray *refs,
                  struct problems *p)
{
    char *eq = strchr(col, '=');
    if (!eq) {
        problem(p, line,
                "column '%s' is not key=value (from, to, code, madonvi, parent, "
                "successors, history)",
                col);
        return CCHC_EINVAL;
    }
    *eq = 0;
    const char *key = col, *val = eq + 1;
    if (strcmp(key, "from") == 0 || strcmp(key, "to") == 0) {
        int64_t day;
        if (cchc_day_parse(val, &day)) {
            problem(p, line, "%s: '%s' is not a date YYYY-MM-DD", key, val);
            return CCHC_EINVAL;
        }
        *(key[0] == 'f' ? &x->from : &x->to) = day;
        g_array_index(x->parents, struct parent_from, 0).day = x->from;
        return CCHC_OK;
    }
    if (strcmp(key, "code") == 0 || strcmp(key, "madonvi") == 0) {
        if (!code_valid(val)) {
            problem(p, line,
                    "%s: '%s' is not a code (printable ASCII, no spaces, at most %d bytes)", key,
                    val, UNIT_CODE_MAX);
            return CCHC_EINVAL;
        }
        char **dst = key[0] == 'c' ? &x->code : &x->madonvi;
        g_free(*dst);
        *dst = g_strdup(val);
        return CCHC_OK;
    }
    if (strcmp(key, "parent") == 0) {
        const char *at = strchr(val, '@');
        struct reference r = {.unit = ix, .line = line, .what = REF_PARENT};
        if (!at || cchc_day_parse(at + 1, &r.day) || !units_id_valid(val, (size_t)(at - val))) {
            problem(p, line, "parent: '%s' is not UNIT@YYYY-MM-DD (the parent from that day on)",
                    val);
            return CCHC_EINVAL;
        }
        r.id = g_strndup(val, (size_t)(at - val));
        g_array_append_val(refs, r);
        return CCHC_OK;
    }
    if (strcmp(key, "successors") == 0 || strcmp(key, "history") == 0) {
        int history = key[0] == 'h';
        gchar **ids = g_strsplit(val, ",", -1);
        int rc = CCHC_OK;
        for (int k = 0; ids[k] && rc == CCHC_OK; k++) {
            if (!units_id_valid(ids[k], strlen(ids[k])) || (history && k > 0)) {
                problem(p, line, "%s: '%s' is not %s", key, val,
                        history ? "one unit id" : "unit ids separated by commas");
                rc = CCHC_EINVAL;
                break;
            }
            struct reference r = {.unit = ix,
                                  .line = line,
                                  .what = history ? REF_HISTORY : REF_SUCCESSOR,
                                  .id = g_strdup(ids[k])};
            g_array_append_val(refs, r);
        }
        g_strfreev(ids);
        return rc;
    }
    problem(p, line, "unknown column '%s' (from, to, code, madonvi, parent, successors, history)",
            key);
    return CCHC_EINVAL;
}

/* One row; CCHC_EINVAL (said to p) leaves the unit out. */
static int row(struct units *u, char *line, int lineno, GArray *refs, struct problems *p)
{
    char *col[32];
    int ncol = 0;
    for (char *c = line; c && ncol < 32; ncol++) {
        col[ncol] = c;
        if ((c = strchr(c, '\t')))
            *c++ = 0;
    }
    if (ncol < 4) {
        problem(p, lineno, "want id<TAB>level<TAB>kind<TAB>name");
        return CCHC_EINVAL;
    }
    enum unit_level level;
    enum unit_kind kind;
    if (parse_level(col[1], &level)) {
        problem(p, lineno, "level '%s' is not province, district or commune", col[1]);
        return CCHC_EINVAL;
    }
    if (parse_kind(col[2], &kind)) {
        problem(p, lineno, "kind '%s' is not government, agency or service-unit", col[2]);
        return CCHC_EINVAL;
    }
    int parent;
    if (id_parent(u, col[0], lineno, p, &parent))
        return CCHC_EINVAL;
    int ix = (int)u->n;
    struct unit *x = new_unit(u, col[0], col[3], level, kind, parent, lineno);
    int rc = CCHC_OK;
    for (int k = 4; k < ncol; k++)
        if (option(u, x, ix, col[k], lineno, refs, p))
            rc = CCHC_EINVAL;
    if (x->from != UNIT_DAY_FIRST && x->to != UNIT_DAY_LAST && x->to < x->from) {
        char f[CCHC_DAY_LEN], t[CCHC_DAY_LEN];
        day_text(x->from, f);
        day_text(x->to, t);
        problem(p, lineno, "unit '%s' ends (to=%s) before it starts (from=%s)", x->id, t, f);
        rc = CCHC_EINVAL;
    }
    return rc;
}

/* Days [a0, a1] and [b0, b1] share one. */
static int overlap(int64_t a0, int64_t a1, int64_t b0, int64_t b1)
{
    return a0 <= b1 && b0 <= a1;
}

static void index_code(struct units *u, const char *code, int i, const char *what,
                       struct problems *p)
{
    if (!code[0])
        return;
    GArray *list = g_hash_table_lookup(u->by_code, code);
    if (!list) {
        list = g_array_new(FALSE, FALSE, sizeof(int));
        g_hash_table_insert(u->by_code, g_strdup(code), list);
    }
    const struct unit *x = &u->v[i];
    for (guint k = 0; k < list->len; k++) {
        const struct unit *y = &u->v[g_array_index(list, int, k)];
        if (y != x && overlap(x->from, x->to, y->from, y->to)) {
            problem(p, x->line, "%s '%s' of '%s' is also '%s''s (line %d) on days both are valid",
                    what, code, x->id, y->id, y->line);
            return;
        }
    }
    if (list->len == 0 || g_array_index(list, int, list->len - 1) != i)
        g_array_append_val(list, i);
}

static int cmp_day(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int cmp_parent_from(const void *a, const void *b)
{
    const struct parent_from *x = a, *y = b;
    return (x->day > y->day) - (x->day < y->day);
}

/* The names each row gave, once every row is read. */
static void resolve(struct units *u, GArray *refs, struct problems *p)
{
    for (guint k = 0; k < refs->len; k++) {
        struct reference *r = &g_array_index(refs, struct reference, k);
        struct unit *x = &u->v[r->unit];
        int target = units_find(u, r->id, strlen(r->id));
        const char *what = r->what == REF_PARENT      ? "parent"
                           : r->what == REF_SUCCESSOR ? "successor"
                                                      : "history";
        if (target < 0) {
            problem(p, r->line, "%s '%s' of '%s' is not in the registry", what, r->id, x->id);
            continue;
        }
        if (r->what == REF_PARENT) {
            char d[CCHC_DAY_LEN];
            day_text(r->day, d);
            if (r->day <= x->from || r->day > x->to) {
                problem(p, r->line,
                        "parent '%s' of '%s' from %s: not within the unit's validity "
                        "after its first day",
                        r->id, x->id, d);
                continue;
            }
            int twice = 0;
            for (guint j = 0; j < x->parents->len; j++)
                twice |= g_array_index(x->parents, struct parent_from, j).day == r->day;
            if (twice) {
                problem(p, r->line, "'%s' has two parents on %s", x->id, d);
                continue;
            }
            struct parent_from pf = {r->day, target};
            g_array_append_val(x->parents, pf);
            g_array_sort(x->parents, cmp_parent_from);
        } else if (r->what == REF_SUCCESSOR) {
            if (target == r->unit) {
                problem(p, r->line, "'%s' is its own successor", x->id);
                continue;
            }
            g_array_append_val(x->successors, target);
        } else {
            x->heir = target;
        }
    }
}

/* A unit's successors, its heir and its validity against its parents'. */
static void check_unit(struct units *u, int i, struct problems *p)
{
    struct unit *x = &u->v[i];
    char d[CCHC_DAY_LEN];
    if (x->successors->len && x->to == UNIT_DAY_LAST)
        problem(p, x->line, "'%s' has successors but no last day (to=)", x->id);
    for (guint k = 0; k < x->successors->len && x->to != UNIT_DAY_LAST; k++) {
        const struct unit *s = &u->v[g_array_index(x->successors, int, k)];
        if (!units_valid_on(u, (int)(s - u->v), x->to + 1)) {
            day_text(x->to + 1, d);
            problem(p, x->line,
                    "successor '%s' of '%s' is not valid on %s, the day after '%s' ends", s->id,
                    x->id, d, x->id);
        }
    }
    if (x->heir >= 0) {
        int among = 0;
        for (guint k = 0; k < x->successors->len; k++)
            among |= g_array_index(x->successors, int, k) == x->heir;
        if (!among)
            problem(p, x->line, "history '%s' of '%s' is not one of its successors",
                    u->v[x->heir].id, x->id);
    } else if (x->successors->len == 1) {
        x->heir = g_array_index(x->successors, int, 0);
    } else if (x->successors->len > 1) {
        problem(p, x->line,
                "'%s' is split into %u successors: history= must name the one "
                "that takes its history",
                x->id, x->successors->len);
    }
    /* Each parent must be valid on every day it is in force for x. */
    for (guint k = 0; k < x->parents->len; k++) {
        const struct parent_from *pf = &g_array_index(x->parents, struct parent_from, k);
        int64_t from = pf->day,
                to = k + 1 < x->parents->len
                         ? g_array_index(x->parents, struct parent_from, k + 1).day - 1
                         : x->to;
        if (pf->parent < 0)
            continue;
        const struct unit *q = &u->v[pf->parent];
        if (from < q->from || to > q->to) {
            day_text(from < q->from ? from : q->to + 1, d);
            problem(p, x->line, "parent '%s' of '%s' is not valid on %s", q->id, x->id, d);
        }
    }
}

/* Every unit's ancestors, on every day its parent changes: no cycle, and
 * no more than UNIT_DEPTH_MAX - 1 of them. Units are checked in file
 * order, so a unit's first parent (listed before it) has its flags. */
/* x's ancestors on day: no cycle, at most UNIT_DEPTH_MAX - 1 of them. */
static int check_chain(struct units *u, int i, int64_t day, struct problems *p)
{
    const struct unit *x = &u->v[i];
    int depth = 0;
    for (int a = units_parent_on(u, i, day); a >= 0; a = units_parent_on(u, a, day)) {
        if (a == i) {
            char d[CCHC_DAY_LEN];
            day_text(day, d);
            problem(p, x->line, "'%s' is its own ancestor on %s (a cycle of parents)", x->id,
                    day == UNIT_DAY_FIRST ? "its first day" : d);
            return CCHC_EINVAL;
        }
        if (++depth >= UNIT_DEPTH_MAX) {
            problem(p, x->line, "unit '%s' has %d ancestors, at most %d", x->id, depth,
                    UNIT_DEPTH_MAX - 1);
            return CCHC_EINVAL;
        }
    }
    return CCHC_OK;
}

/* Every unit's ancestors on every day they may change: its own parents'
 * first days and, when an ancestor moves, every day any unit's parent
 * changes (changes, ascending). Units are checked in file order, so a
 * unit's first parent (listed before it) has its flags. */
static void check_tree(struct units *u, int i, const GArray *changes, struct problems *p)
{
    struct unit *x = &u->v[i];
    int first = g_array_index(x->parents, struct parent_from, 0).parent;
    x->moves = x->parents->len > 1 || (first >= 0 && u->v[first].moves);
    x->depth = first >= 0 ? u->v[first].depth + 1 : 0;
    for (guint k = 0; k < x->parents->len; k++)
        if (check_chain(u, i, g_array_index(x->parents, struct parent_from, k).day, p))
            return;
    for (guint k = 0; x->moves && k < changes->len; k++) {
        int64_t day = g_array_index(changes, int64_t, k);
        if (units_valid_on(u, i, day) && check_chain(u, i, day, p))
            return;
    }
}

static void free_unit(struct unit *x)
{
    g_free(x->id);
    g_free(x->name);
    g_free(x->code);
    g_free(x->madonvi);
    g_array_free(x->parents, TRUE);
    g_array_free(x->successors, TRUE);
}

static void free_code_list(gpointer list)
{
    g_array_free(list, TRUE);
}

/* Reads the rows of f; every problem goes to p. */
static struct units *load(FILE *f, struct problems *p)
{
    struct units *u = g_new0(struct units, 1);
    u->by_id = g_hash_table_new(g_str_hash, g_str_equal);
    u->by_code = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, free_code_list);
    GArray *refs = g_array_new(FALSE, FALSE, sizeof(struct reference));
    char *line = NULL;
    size_t lcap = 0;
    int lineno = 0;
    while (getline(&line, &lcap, f) >= 0) {
        lineno++;
        line[strcspn(line, "\r\n")] = 0;
        if (line[0] == '#' || line[0] == 0)
            continue;
        row(u, line, lineno, refs, p);
    }
    free(line);
    resolve(u, refs, p);
    for (guint k = 0; k < refs->len; k++)
        g_free(g_array_index(refs, struct reference, k).id);
    g_array_free(refs, TRUE);
    GArray *changes = g_array_new(FALSE, FALSE, sizeof(int64_t));
    for (size_t i = 0; i < u->n; i++)
        for (guint k = 1; k < u->v[i].parents->len; k++)
            g_array_append_val(changes, g_array_index(u->v[i].parents, struct parent_from, k).day);
    g_array_sort(changes, cmp_day);
    guint distinct = 0;
    for (guint k = 0; k < changes->len; k++)
        if (distinct == 0 ||
            g_array_index(changes, int64_t, k) != g_array_index(changes, int64_t, distinct - 1))
            g_array_index(changes, int64_t, distinct++) = g_array_index(changes, int64_t, k);
    g_array_set_size(changes, distinct);
    for (size_t i = 0; i < u->n; i++) {
        check_unit(u, (int)i, p);
        check_tree(u, (int)i, changes, p);
        index_code(u, u->v[i].code, (int)i, "code", p);
        index_code(u, u->v[i].madonvi, (int)i, "madonvi", p);
    }
    g_array_free(changes, TRUE);
    if (u->n == 0)
        problem(p, 0, "no units");
    return u;
}

static int finish(struct units *u, struct problems *p, struct units **out)
{
    if (p->n) {
        units_free(u);
        return CCHC_EINVAL;
    }
    *out = u;
    return CCHC_OK;
}

int units_load(const char *path, struct units **out, char *why, size_t why_cap)
{
    gchar *text = NULL;
    if (!g_file_get_contents(path, &text, NULL, NULL)) {
        snprintf(why, why_cap, "%s: cannot open unit registry", path);
        return CCHC_EIO;
    }
    int rc = units_load_text(path, text, out, why, why_cap);
    g_free(text);
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
    struct problems p = {.path = name, .why = why, .cap = why_cap};
    struct units *u = load(f, &p);
    fclose(f);
    int rc = finish(u, &p, out);
    if (rc == CCHC_OK) {
        gchar *hex = g_compute_checksum_for_string(G_CHECKSUM_SHA256, text, -1);
        snprintf((*out)->digest, sizeof(*out)->digest, "%s", hex);
        g_free(hex);
    }
    return rc;
}

const char *units_digest(const struct units *u)
{
    return u->digest;
}

int units_acting_on(const struct units *u, int i, int64_t day)
{
    for (int k = 0; k <= (int)u->n && day > u->v[i].to && u->v[i].heir >= 0; k++)
        i = u->v[i].heir;
    return i;
}

int units_today(const struct units *u, int i, int64_t day)
{
    int a = units_acting_on(u, i, day);
    return units_valid_on(u, a, day) ? a : i;
}

int64_t units_change_day(const struct units *u, int64_t day)
{
    int64_t last = UNIT_DAY_FIRST;
    for (size_t i = 0; i < u->n; i++) {
        const struct unit *x = &u->v[i];
        int64_t d[2] = {x->from, x->to == UNIT_DAY_LAST ? UNIT_DAY_LAST : x->to + 1};
        for (int k = 0; k < 2; k++)
            if (d[k] != UNIT_DAY_FIRST && d[k] != UNIT_DAY_LAST && d[k] <= day && d[k] > last)
                last = d[k];
        for (guint k = 1; k < x->parents->len; k++) {
            int64_t pd = g_array_index(x->parents, struct parent_from, k).day;
            if (pd <= day && pd > last)
                last = pd;
        }
    }
    return last;
}

int units_check(const char *path, FILE *report)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(report, "%s: cannot open unit registry\n", path);
        return -1;
    }
    struct problems p = {.path = path, .all = report};
    units_free(load(f, &p));
    fclose(f);
    return p.n;
}

void units_free(struct units *u)
{
    if (!u)
        return;
    for (size_t i = 0; i < u->n; i++)
        free_unit(&u->v[i]);
    g_free(u->v);
    g_hash_table_destroy(u->by_id);
    g_hash_table_destroy(u->by_code);
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
    return g_array_index(u->v[i].parents, struct parent_from, 0).parent;
}

int units_parent_on(const struct units *u, int i, int64_t day)
{
    const GArray *ps = u->v[i].parents;
    int parent = g_array_index(ps, struct parent_from, 0).parent;
    for (guint k = 1; k < ps->len && g_array_index(ps, struct parent_from, k).day <= day; k++)
        parent = g_array_index(ps, struct parent_from, k).parent;
    return parent;
}

int units_moves(const struct units *u, int i)
{
    return u->v[i].moves;
}

int units_depth_on(const struct units *u, int i, int64_t day)
{
    if (!u->v[i].moves)
        return u->v[i].depth;
    int d = 0;
    for (int a = units_parent_on(u, i, day); a >= 0; a = units_parent_on(u, a, day))
        d++;
    return d; /* under UNIT_DEPTH_MAX: the registry refuses deeper, on every day */
}

int64_t units_from(const struct units *u, int i)
{
    return u->v[i].from;
}

int64_t units_to(const struct units *u, int i)
{
    return u->v[i].to;
}

int units_valid_on(const struct units *u, int i, int64_t day)
{
    return u->v[i].from <= day && day <= u->v[i].to;
}

const char *units_code(const struct units *u, int i)
{
    return u->v[i].code;
}

const char *units_madonvi(const struct units *u, int i)
{
    return u->v[i].madonvi;
}

int units_find_code(const struct units *u, const char *s, size_t len, int64_t day)
{
    char key[UNIT_CODE_MAX + 1];
    if (len > UNIT_CODE_MAX)
        return -1;
    memcpy(key, s, len);
    key[len] = 0;
    const GArray *list = g_hash_table_lookup(u->by_code, key);
    for (guint k = 0; list && k < list->len; k++) {
        int i = g_array_index(list, int, k);
        if (units_valid_on(u, i, day))
            return i;
    }
    return -1;
}

size_t units_successors(const struct units *u, int i, const int **out)
{
    *out = (const int *)(const void *)u->v[i].successors->data;
    return u->v[i].successors->len;
}

int units_heir(const struct units *u, int i)
{
    return u->v[i].heir;
}
