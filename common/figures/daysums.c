#include "figures/daysums.h"

#include "base/u64map.h"

#include <glib.h>

#define CHUNK 6
#define NONE UINT32_MAX
#define DAY_BIAS (1 << 23)
#define GROUP_KEY(unit, day) (((uint64_t)((day) + DAY_BIAS) & 0xffffff) << 20 | (uint64_t)(unit))

struct chunk {
    uint32_t next, n;
    uint32_t fig[CHUNK];
    int64_t v[CHUNK];
};

struct group {
    int64_t day;
    int unit, depth;
    uint32_t first, last; /* chunks */
};

struct daysums {
    struct u64map index; /* GROUP_KEY -> group number */
    GArray *groups;      /* struct group */
    GArray *chunks;      /* struct chunk */
    GArray *depth[DAYSUMS_DEPTHS];
    size_t entries;
};

struct daysums *daysums_new(void)
{
    struct daysums *d = g_new0(struct daysums, 1);
    u64map_init(&d->index);
    d->groups = g_array_new(FALSE, FALSE, sizeof(struct group));
    d->chunks = g_array_new(FALSE, FALSE, sizeof(struct chunk));
    for (int i = 0; i < DAYSUMS_DEPTHS; i++)
        d->depth[i] = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    return d;
}

void daysums_free(struct daysums *d)
{
    if (!d)
        return;
    u64map_free(&d->index);
    g_array_free(d->groups, TRUE);
    g_array_free(d->chunks, TRUE);
    for (int i = 0; i < DAYSUMS_DEPTHS; i++)
        g_array_free(d->depth[i], TRUE);
    g_free(d);
}

void daysums_clear(struct daysums *d)
{
    u64map_clear(&d->index);
    g_array_set_size(d->groups, 0);
    g_array_set_size(d->chunks, 0);
    for (int i = 0; i < DAYSUMS_DEPTHS; i++)
        g_array_set_size(d->depth[i], 0);
    d->entries = 0;
}

size_t daysums_groups(const struct daysums *d)
{
    return d->groups->len;
}

size_t daysums_entries(const struct daysums *d)
{
    return d->entries;
}

static struct group *group_at(const struct daysums *d, uint32_t g)
{
    return &g_array_index(d->groups, struct group, g);
}

static struct chunk *chunk_at(const struct daysums *d, uint32_t c)
{
    return &g_array_index(d->chunks, struct chunk, c);
}

uint32_t daysums_group(struct daysums *d, int unit, int64_t day, int depth)
{
    int created;
    int64_t *slot = u64map_slot(&d->index, GROUP_KEY(unit, day), &created);
    if (!created)
        return (uint32_t)*slot;
    g_assert(depth >= 0 && depth < DAYSUMS_DEPTHS); /* the registry's own bound */
    uint32_t g = d->groups->len;
    *slot = g;
    struct group x = {day, unit, depth, NONE, NONE};
    g_array_append_val(d->groups, x);
    g_array_append_val(d->depth[depth], g);
    return g;
}

int daysums_group_unit(const struct daysums *d, uint32_t g)
{
    return group_at(d, g)->unit;
}

int64_t daysums_group_day(const struct daysums *d, uint32_t g)
{
    return group_at(d, g)->day;
}

size_t daysums_at_depth(const struct daysums *d, int depth, const uint32_t **groups)
{
    *groups = (const uint32_t *)(const void *)d->depth[depth]->data;
    return d->depth[depth]->len;
}

int64_t *daysums_find(struct daysums *d, uint32_t g, uint32_t fig)
{
    for (uint32_t c = group_at(d, g)->first; c != NONE;) {
        struct chunk *k = chunk_at(d, c);
        for (uint32_t i = 0; i < k->n; i++)
            if (k->fig[i] == fig)
                return &k->v[i];
        c = k->next;
    }
    return NULL;
}

int64_t *daysums_slot(struct daysums *d, uint32_t g, uint32_t fig)
{
    int64_t *v = daysums_find(d, g, fig);
    if (v)
        return v;
    struct group *x = group_at(d, g);
    if (x->last == NONE || chunk_at(d, x->last)->n == CHUNK) {
        struct chunk k = {.next = NONE};
        uint32_t c = d->chunks->len;
        g_array_append_val(d->chunks, k);
        if (x->last == NONE)
            x->first = c;
        else
            chunk_at(d, x->last)->next = c;
        x->last = c;
    }
    struct chunk *k = chunk_at(d, x->last);
    k->fig[k->n] = fig;
    k->v[k->n] = 0;
    d->entries++;
    return &k->v[k->n++];
}

int daysums_next(const struct daysums *d, uint32_t g, uint32_t *it, uint32_t *fig, int64_t *sum)
{
    /* *it: 0 before the first, else (chunk << 3 | index) + 1 of the last given */
    uint32_t c, i;
    if (*it == 0) {
        c = group_at(d, g)->first, i = 0;
    } else {
        c = (*it - 1) >> 3, i = ((*it - 1) & 7) + 1;
        if (i == chunk_at(d, c)->n)
            c = chunk_at(d, c)->next, i = 0;
    }
    if (c == NONE || i >= chunk_at(d, c)->n)
        return 0;
    const struct chunk *k = chunk_at(d, c);
    *fig = k->fig[i];
    *sum = k->v[i];
    *it = (c << 3 | i) + 1;
    return 1;
}
