#include "load.h"

#include "base/err.h"
#include "base/period.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

/* The unit and the units whose history it took (their heir chains end at
 * it). */
struct lineage {
    const struct units *u;
    int *in;      /* unit -> whether in the set */
    GArray *list; /* int: the unit first, then its predecessors */
};

static void lineage_build(struct lineage *l, const struct units *u, int unit)
{
    l->u = u;
    l->in = g_new0(int, units_count(u) + 1);
    l->list = g_array_new(FALSE, FALSE, sizeof(int));
    l->in[unit] = 1;
    g_array_append_val(l->list, unit);
    for (int grew = 1; grew;) { /* heir chains are short: a pass per step */
        grew = 0;
        for (size_t i = 0; i < units_count(u); i++) {
            int h = units_heir(u, (int)i);
            if (!l->in[i] && h >= 0 && l->in[h]) {
                l->in[i] = grew = 1;
                int k = (int)i;
                g_array_append_val(l->list, k);
            }
        }
    }
}

static void lineage_free(struct lineage *l)
{
    g_free(l->in);
    g_array_free(l->list, TRUE);
}

/* The sink of a predecessor's days: those its ancestors in the set lack. */
struct member {
    const struct lineage *l;
    int at;
    report_day_sink_fn sink;
    void *arg;
};

static struct report_sums *member_sink(void *arg, int64_t day, enum report_span *span)
{
    const struct member *m = arg;
    for (int a = units_parent_on(m->l->u, m->at, day); a >= 0; a = units_parent_on(m->l->u, a, day))
        if (m->l->in[a])
            return NULL;
    return m->sink(m->arg, day, span);
}

int report_load_days(struct store *s, const struct units *u, const char *why_units,
                     const struct report_query *q, report_day_sink_fn sink, void *sink_arg,
                     struct report_unit *info, char *why, size_t cap)
{
    int64_t first = q->window_only ? q->from_day : INT64_MIN;
    if (!q->as_of)
        return report_figures_read(s, q->unit, first, q->to_day, sink, sink_arg, info, why, cap);
    char day[CCHC_DAY_LEN];
    cchc_day_format(q->as_of_day, day);
    if (!u) {
        snprintf(why, cap, "as of %s: %.400s", day, why_units ? why_units : "no registry");
        return CCHC_EINVAL;
    }
    int unit = units_find(u, q->unit, strlen(q->unit)), rc = CCHC_OK;
    if (unit < 0) {
        snprintf(why, cap, "as of %s: unit %s is not in the registry", day, q->unit);
        return CCHC_ENOTFOUND;
    }
    if (!units_valid_on(u, unit, q->as_of_day)) {
        const int *succ;
        size_t n = units_successors(u, unit, &succ);
        snprintf(why, cap, "as of %s: unit %s is not valid then (its successors: %s%s)", day,
                 q->unit, n ? units_id(u, succ[0]) : "none", n > 1 ? ", ..." : "");
        return CCHC_EINVAL;
    }
    struct lineage l;
    lineage_build(&l, u, unit);
    for (guint k = 0; k < l.list->len && rc == CCHC_OK; k++) {
        struct report_unit other;
        struct member m = {&l, g_array_index(l.list, int, k), sink, sink_arg};
        rc = report_figures_read(s, units_id(u, m.at), first, q->to_day, k ? member_sink : sink,
                                 k ? (void *)&m : sink_arg, k ? &other : info, why, cap);
    }
    lineage_free(&l);
    return rc;
}

struct split {
    struct report_sums *sums;
    int64_t from_day;
};

static struct report_sums *split_sink(void *arg, int64_t day, enum report_span *span)
{
    struct split *sp = arg;
    *span = day < sp->from_day ? REPORT_BEFORE : REPORT_WINDOW;
    return sp->sums;
}

int report_load(struct store *s, const struct units *u, const char *why_units,
                const struct report_query *q, struct report_unit *info, struct report_sums *sums,
                char *why, size_t cap)
{
    struct split sp = {sums, q->from_day};
    return report_load_days(s, u, why_units, q, split_sink, &sp, info, why, cap);
}

/* The root of unit on the window's first day it was valid. */
static int root_of(const struct units *u, int unit, int64_t from_day)
{
    int64_t day = units_from(u, unit) > from_day ? units_from(u, unit) : from_day;
    int root = unit;
    for (int at = unit; at >= 0; at = units_parent_on(u, at, day))
        root = at;
    return root;
}

int report_no_districts(const struct units *u, const struct report_query *q)
{
    int unit = u ? units_find(u, q->unit, strlen(q->unit)) : -1, none = 1;
    if (unit < 0)
        return 0;
    struct lineage l;
    lineage_build(&l, u, unit);
    if (!q->as_of)
        g_array_set_size(l.list, 1); /* as recorded: the unit alone */
    int *root = g_new0(int, units_count(u) + 1);
    for (guint k = 0; k < l.list->len; k++)
        root[root_of(u, g_array_index(l.list, int, k), q->from_day)] = 1;
    for (size_t i = 0; none && i < units_count(u); i++) {
        int64_t from = units_from(u, (int)i), to = units_to(u, (int)i);
        if (units_level(u, (int)i) != UNIT_DISTRICT || from > q->to_day || to < q->from_day)
            continue;
        none = !root[root_of(u, (int)i, q->from_day)];
    }
    g_free(root);
    lineage_free(&l);
    return none;
}
