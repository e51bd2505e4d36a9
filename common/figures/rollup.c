#include "figures/rollup.h"

#include "base/err.h"
#include "base/metric.h"
#include "base/period.h"
#include "base/u64map.h"
#include "figures/daysums.h"
#include "store/keys.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

#define DAY_BIAS (1 << 23)
#define PERIODS_OF_DAY ROLLUP_PERIODS_OF_DAY

struct names {        /* name <-> small id, for the life of the rollup */
    GHashTable *ids;  /* name -> id + 1 */
    GPtrArray *names; /* id -> name (owned) */
    uint32_t max;     /* ids must stay below this (their bits in a key) */
};

struct figure {
    fig_key k;
    int64_t v;
};

struct rollup {
    const struct units *u;
    /* Stage one: (unit, day) -> (level, metric) -> sum, one per view
     * (ROLLUP_VIEW_*): what counts alike as recorded and under today's
     * units, in leaf[ROLLUP_BOTH]; an event re-attributed, in the other two. */
    struct daysums *leaf[ROLLUP_VIEWS];
    int64_t today;        /* the day today's units are seen on; ROLLUP_AS_RECORDED: none */
    struct u64map spread; /* stage two, rebuilt by rollup_expand */
    struct figure *out;   /* spread, sorted */
    fig_key *keys;
    int64_t *deltas;
    size_t out_cap;
    struct names metrics, periods;
    GByteArray *mflags;     /* metric id -> METRIC_* */
    GPtrArray *fields;      /* metric id * 4 + level -> its field name (key_field), owned */
    GArray *period_day;     /* period id -> int64 day or ROLLUP_DAY_NONE */
    GArray *period_month;   /* period id -> uint32 id of a day's month (itself otherwise) */
    struct u64map day_slot; /* day -> index into day_periods */
    GArray *day_periods;    /* uint32_t[PERIODS_OF_DAY] per day seen */
};

static int intern(struct names *t, const char *name, size_t len, uint32_t *id, int *created)
{
    char buf[PROTO_METRIC_NAME_MAX + 32];
    if (len >= sizeof buf)
        return CCHC_ETOOBIG;
    memcpy(buf, name, len);
    buf[len] = 0;
    gpointer found = g_hash_table_lookup(t->ids, buf);
    *created = found == NULL;
    if (found) {
        *id = (uint32_t)GPOINTER_TO_UINT(found) - 1;
        return CCHC_OK;
    }
    if (t->names->len >= t->max)
        return CCHC_ETOOBIG;
    char *own = g_strdup(buf);
    g_ptr_array_add(t->names, own);
    g_hash_table_insert(t->ids, own, GUINT_TO_POINTER(t->names->len));
    *id = t->names->len - 1;
    return CCHC_OK;
}

static void names_init(struct names *t, uint32_t max)
{
    t->ids = g_hash_table_new(g_str_hash, g_str_equal);
    t->names = g_ptr_array_new_with_free_func(g_free);
    t->max = max;
}

static void names_free(struct names *t)
{
    if (t->ids)
        g_hash_table_destroy(t->ids);
    if (t->names)
        g_ptr_array_free(t->names, TRUE);
}

struct rollup *rollup_new(const struct units *u)
{
    struct rollup *r = g_new0(struct rollup, 1);
    r->u = u;
    for (int v = 0; v < ROLLUP_VIEWS; v++)
        r->leaf[v] = daysums_new();
    r->today = ROLLUP_AS_RECORDED;
    names_init(&r->metrics, 1u << 16);
    names_init(&r->periods, 1u << 24);
    r->mflags = g_byte_array_new();
    r->fields = g_ptr_array_new_with_free_func(g_free);
    r->period_day = g_array_new(FALSE, FALSE, sizeof(int64_t));
    r->period_month = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    r->day_periods = g_array_new(FALSE, FALSE, sizeof(uint32_t[PERIODS_OF_DAY]));
    u64map_init(&r->spread);
    u64map_init(&r->day_slot);
    return r;
}

void rollup_free(struct rollup *r)
{
    if (!r)
        return;
    for (int v = 0; v < ROLLUP_VIEWS; v++)
        daysums_free(r->leaf[v]);
    u64map_free(&r->spread);
    u64map_free(&r->day_slot);
    g_free(r->out);
    g_free(r->keys);
    g_free(r->deltas);
    names_free(&r->metrics);
    names_free(&r->periods);
    g_byte_array_free(r->mflags, TRUE);
    g_ptr_array_free(r->fields, TRUE);
    g_array_free(r->period_day, TRUE);
    g_array_free(r->period_month, TRUE);
    g_array_free(r->day_periods, TRUE);
    g_free(r);
}

void rollup_clear(struct rollup *r)
{
    for (int v = 0; v < ROLLUP_VIEWS; v++)
        daysums_clear(r->leaf[v]);
    u64map_clear(&r->spread);
}

size_t rollup_size(const struct rollup *r)
{
    size_t n = 0;
    for (int v = 0; v < ROLLUP_VIEWS; v++)
        n += daysums_entries(r->leaf[v]);
    return n;
}

struct daysums *rollup_days(struct rollup *r, enum rollup_view v)
{
    return r->leaf[v];
}

void rollup_set_today(struct rollup *r, int64_t day)
{
    r->today = day;
}

int64_t rollup_today(const struct rollup *r)
{
    return r->today;
}

int rollup_parent_in(const struct rollup *r, enum rollup_view v, int unit, int64_t day)
{
    return units_parent_on(r->u, unit, v == ROLLUP_PERIODS ? r->today : day);
}

void rollup_view_periods(enum rollup_view v, int *first, int *last)
{
    *first = v == ROLLUP_PERIODS ? 1 : 0;
    *last = v == ROLLUP_DAYS ? 0 : ROLLUP_PERIODS_OF_DAY - 1;
}

const struct units *rollup_units(const struct rollup *r)
{
    return r->u;
}

int rollup_counts(const struct rollup *r, const struct proto_event *ev, int *unit, const char **why)
{
    if ((*unit = units_find(r->u, ev->unit.p, ev->unit.len)) < 0) {
        *why = "names a unit not in the registry";
        return CCHC_EINVAL;
    }
    for (uint32_t k = 0; k < ev->nm; k++)
        if (!metric_name_ok(ev->m[k].name.p, ev->m[k].name.len)) {
            *why = "has a bad metric name";
            return CCHC_EINVAL;
        }
    return CCHC_OK;
}

/* What REDIS.md keeps of a metric beyond the days. */
#define METRIC_OFFICIAL 1 /* in the hashes of official periods: all but procedures' */
#define METRIC_RANKED 2   /* an indicator ranked on its total */

int rollup_metric_id(struct rollup *r, const char *name, size_t len, uint32_t *id)
{
    int created, rc = intern(&r->metrics, name, len, id, &created);
    if (rc == CCHC_OK && created) {
        guint8 f = metric_is_proc(name, len) ? 0 : METRIC_OFFICIAL;
        if ((len == 8 && memcmp(name, "received", 8) == 0) ||
            (len == 8 && memcmp(name, "resolved", 8) == 0))
            f |= METRIC_RANKED;
        g_byte_array_append(r->mflags, &f, 1);
        /* Named once: a flush writes a field name for every figure. */
        for (int level = 0; level < 4; level++) {
            char field[PROTO_METRIC_NAME_MAX + 32];
            key_field(field, sizeof field, level, rollup_metric_name(r, *id));
            g_ptr_array_add(r->fields, g_strdup(field));
        }
    }
    return rc;
}

const char *rollup_metric_name(const struct rollup *r, uint32_t metric)
{
    return g_ptr_array_index(r->metrics.names, metric);
}

int rollup_metric_ranked(const struct rollup *r, uint32_t metric)
{
    return (r->mflags->data[metric] & METRIC_RANKED) != 0;
}

/* Whether an official period's hash of unit keeps figure (level, metric):
 * no procedures' figures, and no split by level in a commune's, where
 * everything happened at its own level. */
int rollup_official_keeps(const struct rollup *r, int unit, uint32_t level, uint32_t metric)
{
    return (r->mflags->data[metric] & METRIC_OFFICIAL) &&
           (level == 0 || units_level(r->u, unit) != UNIT_COMMUNE);
}

int rollup_period_id(struct rollup *r, const char *name, uint32_t *id)
{
    int created, rc = intern(&r->periods, name, strlen(name), id, &created);
    if (rc == CCHC_OK && created) {
        int64_t day;
        uint32_t month = *id;
        if (cchc_day_parse(name, &day) != CCHC_OK) {
            day = ROLLUP_DAY_NONE;
        } else {
            struct cchc_periods p;
            cchc_periods_of_day(day, &p);
            g_array_append_val(r->period_month, month); /* until its month has an id */
            g_array_append_val(r->period_day, day);
            if ((rc = rollup_period_id(r, p.month, &month)))
                return rc;
            g_array_index(r->period_month, uint32_t, *id) = month;
            return CCHC_OK;
        }
        g_array_append_val(r->period_day, day);
        g_array_append_val(r->period_month, month);
    }
    return rc;
}

const char *rollup_period_name(const struct rollup *r, uint32_t period)
{
    return g_ptr_array_index(r->periods.names, period);
}

int64_t rollup_period_day(const struct rollup *r, uint32_t period)
{
    return g_array_index(r->period_day, int64_t, period);
}

uint32_t rollup_period_month(const struct rollup *r, uint32_t period)
{
    return g_array_index(r->period_month, uint32_t, period);
}

void rollup_hash_key(const struct rollup *r, uint64_t hash, char *out, size_t cap)
{
    uint32_t period = FIG_HASH_PERIOD(hash);
    const char *unit = units_id(r->u, FIG_HASH_UNIT(hash));
    if (rollup_period_day(r, period) == ROLLUP_DAY_NONE)
        key_fig(out, cap, unit, rollup_period_name(r, period));
    else
        key_days(out, cap, unit, rollup_period_name(r, rollup_period_month(r, period)));
}

const char *rollup_field(const struct rollup *r, fig_key k)
{
    return g_ptr_array_index(r->fields, (guint)FIG_METRIC(k) * 4 + (guint)FIG_LEVEL(k));
}

void rollup_field_name(const struct rollup *r, fig_key k, char *out, size_t cap)
{
    g_strlcpy(out, rollup_field(r, k), cap);
}

int rollup_field_parse(struct rollup *r, const char *field, size_t len, uint32_t *level,
                       uint32_t *metric)
{
    int l;
    size_t off;
    if (key_field_parse(field, len, &l, &off))
        return CCHC_ENOTFOUND;
    *level = (uint32_t)l;
    field += off, len -= off;
    if (!metric_name_ok(field, len))
        return CCHC_ENOTFOUND; /* rates are derived, not figures */
    return rollup_metric_id(r, field, len, metric);
}

/* The period ids of a day, named once per day seen; NULL when the day
 * would name one period too many (2^24: not a real load). */
const uint32_t *rollup_day_periods(struct rollup *r, int64_t day)
{
    int64_t *slot = u64map_find(&r->day_slot, (uint64_t)(day + DAY_BIAS));
    if (slot)
        return &g_array_index(r->day_periods, uint32_t, (size_t)*slot * PERIODS_OF_DAY);
    struct cchc_periods p;
    char dayname[CCHC_DAY_LEN];
    cchc_periods_of_day(day, &p);
    cchc_day_format(day, dayname);
    const char *names[PERIODS_OF_DAY] = {dayname, p.month, p.quarter, p.half, p.year, "all"};
    uint32_t ids[PERIODS_OF_DAY];
    for (int i = 0; i < PERIODS_OF_DAY; i++)
        if (rollup_period_id(r, names[i], &ids[i]))
            return NULL;
    size_t at = r->day_periods->len;
    *u64map_slot(&r->day_slot, (uint64_t)(day + DAY_BIAS), NULL) = (int64_t)at;
    g_array_append_vals(r->day_periods, ids, 1);
    return &g_array_index(r->day_periods, uint32_t, at * PERIODS_OF_DAY);
}

/* An event's sums in one view's group: checked first (sum[] gets the new
 * values), then written, so that an event moves all its sums or none. Two
 * entries of one event with the same name add up, so each starts from what
 * the last such entry left. */
struct place {
    struct daysums *d;
    uint32_t g, level;
};

static int place_sums(const struct place *p, const struct proto_event *ev, const uint32_t *metric,
                      int64_t *sum)
{
    for (uint32_t i = 0; i < ev->nm; i++) {
        const int64_t *held = daysums_find(p->d, p->g, DAYSUMS_FIG(p->level, metric[i]));
        int64_t base = held ? *held : 0;
        for (uint32_t k = 0; k < i; k++)
            if (metric[k] == metric[i])
                base = sum[k];
        if (__builtin_add_overflow(base, ev->m[i].value, &sum[i]))
            return CCHC_ETOOBIG;
    }
    return CCHC_OK;
}

static void place_write(const struct place *p, const struct proto_event *ev, const uint32_t *metric,
                        const int64_t *sum)
{
    for (uint32_t i = 0; i < ev->nm; i++)
        *daysums_slot(p->d, p->g, DAYSUMS_FIG(p->level, metric[i])) = sum[i];
}

int rollup_event(struct rollup *r, int unit, const struct proto_event *ev)
{
    int64_t day = cchc_day_of_ms(ev->at_ms);
    uint32_t metric[PROTO_METRICS_MAX] = {0};
    int64_t sum[2][PROTO_METRICS_MAX] = {{0}};
    for (uint32_t i = 0; i < ev->nm; i++)
        if (rollup_metric_id(r, ev->m[i].name.p, ev->m[i].name.len, &metric[i]))
            return CCHC_ETOOBIG; /* 65,536 metric names: not a real load */
    /* As recorded: at the unit acting on the event's day, under the tree in
     * force then (base/units.h); today: at today's unit, under today's tree.
     * Mostly the two are one place. Either way at the level of the unit
     * where it happened, as cchc-report --as-of counts it: a district's
     * dossiers merged into a commune are still the district level's. */
    int rec = units_acting_on(r->u, unit, day);
    int now = r->today == ROLLUP_AS_RECORDED ? rec : units_today(r->u, rec, r->today);
    int one = now == rec && (r->today == ROLLUP_AS_RECORDED || !units_moves(r->u, rec));
    struct place p[2] = {
        {r->leaf[one ? ROLLUP_BOTH : ROLLUP_DAYS], 0, (uint32_t)units_level(r->u, rec) + 1},
        {r->leaf[ROLLUP_PERIODS], 0, (uint32_t)units_level(r->u, rec) + 1},
    };
    p[0].g = daysums_group(p[0].d, rec, day, units_depth_on(r->u, rec, day));
    if (!one)
        p[1].g = daysums_group(p[1].d, now, day, units_depth_on(r->u, now, r->today));
    for (int k = 0; k < 2 - one; k++)
        if (place_sums(&p[k], ev, metric, sum[k]))
            return CCHC_ETOOBIG;
    for (int k = 0; k < 2 - one; k++)
        place_write(&p[k], ev, metric, sum[k]);
    return CCHC_OK;
}

static int by_key(const void *a, const void *b)
{
    fig_key x = ((const struct figure *)a)->k, y = ((const struct figure *)b)->k;
    return x < y ? -1 : x > y;
}

int rollup_expand(struct rollup *r, const fig_key **keys, const int64_t **deltas, size_t *n)
{
    u64map_clear(&r->spread);
    uint32_t fig, it = 0;
    int64_t v;
    for (int view = 0; view < ROLLUP_VIEWS; view++) {
        const struct daysums *d = r->leaf[view];
        int first, last;
        rollup_view_periods(view, &first, &last);
        for (uint32_t g = 0; g < daysums_groups(d); g++, it = 0)
            while (daysums_next(d, g, &it, &fig, &v)) {
                int64_t day = daysums_group_day(d, g);
                int unit = daysums_group_unit(d, g);
                uint32_t metric = DAYSUMS_METRIC(fig), level = DAYSUMS_LEVEL(fig);
                const uint32_t *periods = rollup_day_periods(r, day);
                if (!periods)
                    return CCHC_ETOOBIG;
                for (int a = unit; a >= 0; a = rollup_parent_in(r, view, a, day))
                    for (int p = first; p <= last; p++) {
                        if (p > 0 && !rollup_official_keeps(r, a, 0, metric))
                            break; /* the day only */
                        int64_t *all =
                            u64map_slot(&r->spread, FIG_KEY(periods[p], a, 0, metric), NULL);
                        if (__builtin_add_overflow(*all, v, all))
                            return CCHC_ETOOBIG; /* see rollup_event */
                        if (p > 0 && !rollup_official_keeps(r, a, level, metric))
                            continue;
                        int64_t *lvl =
                            u64map_slot(&r->spread, FIG_KEY(periods[p], a, level, metric), NULL);
                        if (__builtin_add_overflow(*lvl, v, lvl))
                            return CCHC_ETOOBIG;
                    }
            }
    }
    size_t m = r->spread.n;
    if (m > r->out_cap) {
        size_t cap = m + m / 2;
        r->out = g_renew(struct figure, r->out, cap);
        r->keys = g_renew(fig_key, r->keys, cap);
        r->deltas = g_renew(int64_t, r->deltas, cap);
        r->out_cap = cap;
    }
    size_t j = 0;
    for (size_t i = 0; i < r->spread.cap; i++)
        if (r->spread.keys[i] != U64MAP_EMPTY)
            r->out[j++] = (struct figure){r->spread.keys[i], r->spread.vals[i]};
    qsort(r->out, m, sizeof *r->out, by_key);
    for (size_t i = 0; i < m; i++) {
        r->keys[i] = r->out[i].k;
        r->deltas[i] = r->out[i].v;
    }
    *keys = r->keys;
    *deltas = r->deltas;
    *n = m;
    return CCHC_OK;
}
