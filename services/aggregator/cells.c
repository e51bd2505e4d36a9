#include "cells.h"

#include "base/err.h"
#include "base/log.h"
#include "base/u64map.h"
#include "figures/daysums.h"
#include "figures/fighash.h"
#include "store/keys.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#define CELL_NEW 1   /* not in Redis yet */
#define CELL_DIRTY 2 /* among the changed cells of the flush being made */
#define LOAD_CHUNK 512
/* A fig_key is its hash and, in its low 18 bits, the figure's id in the
 * cell: DAYSUMS_FIG(level, metric) (figures/rollup.h, FIG_KEY). */
#define FIG_ID_BITS 18
#define KEY_OF(hash, id) ((uint64_t)(hash) << FIG_ID_BITS | (id))

struct fig {
    uint32_t id, dirty;
    int64_t v;
};

struct cell {
    uint64_t hash;
    struct fig *f; /* sorted by id */
    uint32_t n, cap, flags;
};

struct cells {
    struct rollup *r;
    struct u64map index; /* FIG_HASH -> cell number */
    GArray *cells;       /* struct cell */
    GArray *changed;     /* struct changed: the cells of the flush being made */
    GArray *fresh;       /* uint32_t: new cells of the last flush, for cells_written */
    GArray *keys, *vals; /* the flush */
    GArray *day;         /* fig_key: cells_day_figures */
    size_t nfigs, max_figures;
    uint64_t loaded;
    int complete;
};

struct changed {
    uint64_t hash;
    uint32_t cell;
};

struct cells *cells_new(struct rollup *r, size_t max_figures)
{
    struct cells *c = g_new0(struct cells, 1);
    c->r = r;
    c->max_figures = max_figures;
    u64map_init(&c->index);
    c->cells = g_array_new(FALSE, FALSE, sizeof(struct cell));
    c->changed = g_array_new(FALSE, FALSE, sizeof(struct changed));
    c->fresh = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    c->keys = g_array_new(FALSE, FALSE, sizeof(fig_key));
    c->vals = g_array_new(FALSE, FALSE, sizeof(int64_t));
    c->day = g_array_new(FALSE, FALSE, sizeof(fig_key));
    return c;
}

void cells_reset(struct cells *c, int complete)
{
    for (guint i = 0; i < c->cells->len; i++)
        g_free(g_array_index(c->cells, struct cell, i).f);
    g_array_set_size(c->cells, 0);
    g_array_set_size(c->changed, 0);
    g_array_set_size(c->fresh, 0);
    u64map_clear(&c->index);
    c->nfigs = 0;
    c->complete = complete;
}

void cells_free(struct cells *c)
{
    if (!c)
        return;
    cells_reset(c, 0);
    u64map_free(&c->index);
    g_array_free(c->cells, TRUE);
    g_array_free(c->changed, TRUE);
    g_array_free(c->fresh, TRUE);
    g_array_free(c->keys, TRUE);
    g_array_free(c->vals, TRUE);
    g_array_free(c->day, TRUE);
    g_free(c);
}

size_t cells_figures(const struct cells *c)
{
    return c->nfigs;
}

uint64_t cells_loaded(const struct cells *c)
{
    return c->loaded;
}

static struct cell *cell_at(const struct cells *c, uint32_t i)
{
    return &g_array_index(c->cells, struct cell, i);
}

static struct cell *find_cell(const struct cells *c, uint64_t hash)
{
    const int64_t *i = u64map_find(&c->index, hash);
    return i ? cell_at(c, (uint32_t)*i) : NULL;
}

/* Cell numbers stay good until cells_reset; pointers until the next cell. */
static uint32_t make_cell(struct cells *c, uint64_t hash, uint32_t flags)
{
    struct cell x = {.hash = hash, .flags = flags};
    uint32_t i = c->cells->len;
    g_array_append_val(c->cells, x);
    *u64map_slot(&c->index, hash, NULL) = i;
    return i;
}

/* Where id is in x, or would go. */
static uint32_t position(const struct cell *x, uint32_t id, int *found)
{
    uint32_t lo = 0, hi = x->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (x->f[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < x->n && x->f[lo].id == id;
    return lo;
}

/* The figure id of x, inserted as 0 when absent; good until the next insertion into x. */
static struct fig *fig_slot(struct cells *c, struct cell *x, uint32_t id)
{
    int found;
    uint32_t at = position(x, id, &found);
    if (found)
        return &x->f[at];
    if (x->n == x->cap) {
        x->cap = x->cap ? 2 * x->cap : 4;
        x->f = g_renew(struct fig, x->f, x->cap);
    }
    memmove(&x->f[at + 1], &x->f[at], (x->n - at) * sizeof *x->f);
    x->f[at] = (struct fig){id, 0, 0};
    x->n++;
    c->nfigs++;
    return &x->f[at];
}

int64_t cells_get(const struct cells *c, fig_key k)
{
    const struct cell *x = find_cell(c, FIG_HASH(k));
    if (!x)
        return 0;
    int found;
    uint32_t at = position(x, (uint32_t)(k & ((1u << FIG_ID_BITS) - 1)), &found);
    return found ? x->f[at].v : 0;
}

size_t cells_day_figures(struct cells *c, uint64_t hash, const fig_key **keys)
{
    const struct cell *x = find_cell(c, hash);
    g_array_set_size(c->day, x ? x->n : 0);
    for (uint32_t i = 0; x && i < x->n; i++)
        g_array_index(c->day, fig_key, i) = KEY_OF(hash, x->f[i].id);
    *keys = (const fig_key *)(const void *)c->day->data;
    return c->day->len;
}

int cells_is_new(const struct cells *c, uint64_t hash)
{
    const struct cell *x = find_cell(c, hash);
    return x && (x->flags & CELL_NEW);
}

void cells_written(struct cells *c)
{
    for (guint i = 0; i < c->fresh->len; i++)
        cell_at(c, g_array_index(c->fresh, uint32_t, i))->flags &= ~(uint32_t)CELL_NEW;
    g_array_set_size(c->fresh, 0);
}

void cells_trim(struct cells *c)
{
    if (c->nfigs <= c->max_figures)
        return;
    cchc_info("figure cells: %zu figures, over %zu: emptied, they fill again from Redis", c->nfigs,
              c->max_figures);
    cells_reset(c, 0);
}

/* ---- loading what Redis holds ---- */

struct taking {
    struct cells *c;
    uint32_t cell;
};

static int take_one(void *arg, const char *field, size_t len, int64_t v)
{
    struct taking *t = arg;
    uint32_t level, metric;
    int rc = rollup_field_parse(t->c->r, field, len, &level, &metric);
    uint64_t hash = cell_at(t->c, t->cell)->hash;
    if (rc == CCHC_ENOTFOUND &&
        rollup_period_day(t->c->r, FIG_HASH_PERIOD(hash)) != ROLLUP_DAY_NONE) {
        /* Official hashes keep what is not a figure (only changed fields are
         * written); a day is written whole, so this one goes: said once. */
        char key[KEY_LEN];
        rollup_hash_key(t->c->r, hash, key, sizeof key);
        cchc_warn("figure cells: %s field %s holds '%.*s', not a figure: it goes when the day is "
                  "written again",
                  key, rollup_period_name(t->c->r, FIG_HASH_PERIOD(hash)), (int)len, field);
    }
    if (rc == CCHC_ENOTFOUND)
        return CCHC_OK; /* not a figure: a rate */
    if (rc) {
        char key[KEY_LEN];
        rollup_hash_key(t->c->r, hash, key, sizeof key);
        cchc_error("figure cells: %s field '%.*s': one metric name more than the aggregator holds "
                   "(65,536)",
                   key, (int)len, field);
        return rc; /* a figure not held would be overwritten: fail instead */
    }
    fig_slot(t->c, cell_at(t->c, t->cell), DAYSUMS_FIG(level, metric))->v = v;
    return CCHC_OK;
}

/* One pipelined read per cell of want[0..n), into those cells. */
static int load(struct cells *c, struct store *s, const uint32_t *want, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        int rc = fighash_read(s, c->r, cell_at(c, want[k])->hash);
        if (rc)
            return rc;
    }
    int failed = CCHC_OK; /* every reply is read even so: the pipeline stays in step */
    for (size_t k = 0; k < n; k++) {
        redisReply *rep;
        int rc = store_reply(s, &rep);
        if (rc)
            return rc;
        if (!failed) {
            struct taking t = {c, want[k]};
            int absent = 0;
            char why[320];
            failed = fighash_each(c->r, cell_at(c, want[k])->hash, rep, &absent, take_one, &t, why,
                                  sizeof why);
            if (failed == CCHC_EREDIS || failed == CCHC_ECORRUPT)
                cchc_error("figure cells: %s", why);
            if (!failed && absent)
                cell_at(c, want[k])->flags |= CELL_NEW;
            if (!failed)
                c->loaded++;
        }
        freeReplyObject(rep);
    }
    return failed;
}

/* ---- a flush ---- */

/* Every (unit, day) hands its sums to its parent's in the view's tree,
 * deepest first. */
static int up_the_tree(struct cells *c, enum rollup_view view)
{
    struct daysums *d = rollup_days(c->r, view);
    for (int depth = DAYSUMS_DEPTHS - 1; depth > 0; depth--) {
        const uint32_t *groups;
        size_t ng = daysums_at_depth(d, depth, &groups);
        for (size_t i = 0; i < ng; i++) {
            /* only depth - 1 grows below: groups stays good */
            uint32_t g = groups[i], it = 0, fig;
            int64_t day = daysums_group_day(d, g);
            int parent = rollup_parent_in(c->r, view, daysums_group_unit(d, g), day);
            uint32_t pg = daysums_group(d, parent, day, depth - 1);
            int64_t v;
            while (daysums_next(d, g, &it, &fig, &v)) {
                int64_t *sum = daysums_slot(d, pg, fig);
                if (__builtin_add_overflow(*sum, v, sum))
                    return CCHC_ETOOBIG;
            }
        }
    }
    return CCHC_OK;
}

/* Every hash the flush touches is resident: made new, or loaded. */
static int make_resident(struct cells *c, struct store *s)
{
    uint32_t want[LOAD_CHUNK];
    size_t nwant = 0;
    for (int view = 0; view < ROLLUP_VIEWS; view++) {
        struct daysums *d = rollup_days(c->r, view);
        int first, last;
        rollup_view_periods(view, &first, &last);
        for (uint32_t g = 0; g < daysums_groups(d); g++) {
            const uint32_t *periods = rollup_day_periods(c->r, daysums_group_day(d, g));
            if (!periods)
                return CCHC_ETOOBIG;
            int unit = daysums_group_unit(d, g);
            for (int p = first; p <= last; p++) {
                uint64_t hash = FIG_HASH(FIG_KEY(periods[p], unit, 0, 0));
                if (u64map_find(&c->index, hash))
                    continue;
                uint32_t cell = make_cell(c, hash, c->complete ? CELL_NEW : 0);
                if (c->complete)
                    continue; /* Redis holds no figures: nothing to load */
                want[nwant++] = cell;
                if (nwant == LOAD_CHUNK) {
                    int rc = load(c, s, want, nwant);
                    if (rc)
                        return rc;
                    nwant = 0;
                }
            }
        }
    }
    return load(c, s, want, nwant);
}

static int add(struct cells *c, uint32_t cell, uint32_t id, int64_t v)
{
    struct cell *x = cell_at(c, cell);
    struct fig *f = fig_slot(c, x, id);
    if (__builtin_add_overflow(f->v, v, &f->v))
        return CCHC_ETOOBIG;
    f->dirty = 1;
    if (!(x->flags & CELL_DIRTY)) {
        x->flags |= CELL_DIRTY;
        struct changed ch = {x->hash, cell};
        g_array_append_val(c->changed, ch);
    }
    return CCHC_OK;
}

/* Each (unit, day)'s sums of a view into its hashes (the day and its five
 * periods, or the view's part), as far as REDIS.md keeps them. */
static int add_all(struct cells *c, enum rollup_view view)
{
    struct daysums *d = rollup_days(c->r, view);
    int first, last;
    rollup_view_periods(view, &first, &last);
    for (uint32_t g = 0; g < daysums_groups(d); g++) {
        const uint32_t *periods = rollup_day_periods(c->r, daysums_group_day(d, g));
        int unit = daysums_group_unit(d, g);
        uint32_t cell[ROLLUP_PERIODS_OF_DAY], it = 0, fig;
        for (int p = first; p <= last; p++)
            cell[p] = (uint32_t)*u64map_find(&c->index, FIG_HASH(FIG_KEY(periods[p], unit, 0, 0)));
        int64_t v;
        while (daysums_next(d, g, &it, &fig, &v)) {
            uint32_t level = DAYSUMS_LEVEL(fig), metric = DAYSUMS_METRIC(fig);
            int total = rollup_official_keeps(c->r, unit, 0, metric),
                split = rollup_official_keeps(c->r, unit, level, metric);
            for (int p = first; p <= last; p++) {
                int rc = CCHC_OK;
                if (p == 0 || total)
                    rc = add(c, cell[p], DAYSUMS_FIG(0, metric), v);
                if (rc == CCHC_OK && (p == 0 || split))
                    rc = add(c, cell[p], fig, v);
                if (rc)
                    return rc;
            }
        }
    }
    return CCHC_OK;
}

static int by_hash(const void *a, const void *b)
{
    uint64_t x = ((const struct changed *)a)->hash, y = ((const struct changed *)b)->hash;
    return x < y ? -1 : x > y;
}

int cells_apply(struct cells *c, struct store *s, const fig_key **keys, const int64_t **vals,
                size_t *n)
{
    g_array_set_size(c->changed, 0);
    g_array_set_size(c->keys, 0);
    g_array_set_size(c->vals, 0);
    int rc = CCHC_OK;
    for (int view = 0; view < ROLLUP_VIEWS && rc == CCHC_OK; view++)
        rc = up_the_tree(c, view);
    if (rc == CCHC_OK)
        rc = make_resident(c, s);
    for (int view = 0; view < ROLLUP_VIEWS && rc == CCHC_OK; view++)
        rc = add_all(c, view);
    if (rc)
        return rc;
    g_array_sort(c->changed, by_hash);
    g_array_set_size(c->fresh, 0);
    for (guint i = 0; i < c->changed->len; i++) {
        const struct changed *ch = &g_array_index(c->changed, struct changed, i);
        struct cell *x = cell_at(c, ch->cell);
        for (uint32_t k = 0; k < x->n; k++)
            if (x->f[k].dirty) {
                fig_key key = KEY_OF(x->hash, x->f[k].id);
                g_array_append_val(c->keys, key);
                g_array_append_val(c->vals, x->f[k].v);
                x->f[k].dirty = 0;
            }
        x->flags &= ~(uint32_t)CELL_DIRTY;
        if (x->flags & CELL_NEW)
            g_array_append_val(c->fresh, ch->cell);
    }
    *keys = (const fig_key *)(const void *)c->keys->data;
    *vals = (const int64_t *)(const void *)c->vals->data;
    *n = c->keys->len;
    return CCHC_OK;
}
