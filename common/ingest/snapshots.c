#include "ingest/snapshots.h"

#include "base/err.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    int64_t at_ms;
    int64_t v[SNAP_VALUES];
};

struct snapshots {
    GHashTable *series; /* key (owned) -> GArray of struct entry, sorted by at_ms */
};

static void free_series(gpointer p)
{
    g_array_free(p, TRUE);
}

struct snapshots *snapshots_new(void)
{
    struct snapshots *s = g_new0(struct snapshots, 1);
    s->series = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, free_series);
    return s;
}

void snapshots_free(struct snapshots *s)
{
    if (!s)
        return;
    g_hash_table_destroy(s->series);
    g_free(s);
}

/* First entry at or after at_ms. Series are short (a snapshot a month or so),
 * but binary search keeps a long one cheap too. */
static guint lower_bound(const GArray *a, int64_t at_ms)
{
    guint lo = 0, hi = a->len;
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        if (g_array_index(a, struct entry, mid).at_ms < at_ms)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int snapshots_put(struct snapshots *s, const char *key, int64_t at_ms, const int64_t *v, int n,
                  struct snap_step steps[2], int *nsteps)
{
    if (n < 1 || n > SNAP_VALUES)
        return CCHC_EINVAL;
    GArray *a = g_hash_table_lookup(s->series, key);
    if (!a) {
        a = g_array_new(FALSE, TRUE, sizeof(struct entry));
        g_hash_table_insert(s->series, g_strdup(key), a);
    }
    guint i = lower_bound(a, at_ms);
    int same = i < a->len && g_array_index(a, struct entry, i).at_ms == at_ms;
    struct entry old = {0}; /* the level in force at at_ms before this snapshot */
    if (same)
        old = g_array_index(a, struct entry, i);
    else if (i > 0)
        old = g_array_index(a, struct entry, i - 1);
    struct entry e = {.at_ms = at_ms};
    memcpy(e.v, v, (size_t)n * sizeof *v);
    memset(steps, 0, 2 * sizeof *steps);
    steps[0].at_ms = at_ms;
    for (int k = 0; k < n; k++)
        steps[0].dv[k] = e.v[k] - old.v[k];
    *nsteps = 1;
    guint next = same ? i + 1 : i;
    if (next < a->len) {
        /* The newer snapshot's step was (its value - old); now it is (its value - v). */
        steps[1].at_ms = g_array_index(a, struct entry, next).at_ms;
        for (int k = 0; k < n; k++)
            steps[1].dv[k] = old.v[k] - e.v[k];
        *nsteps = 2;
    }
    if (same)
        g_array_index(a, struct entry, i) = e;
    else
        g_array_insert_val(a, i, e);
    return CCHC_OK;
}

void snapshots_at(const struct snapshots *s, const char *key, int64_t at_ms, int64_t *v, int n)
{
    memset(v, 0, (size_t)n * sizeof *v);
    GArray *a = g_hash_table_lookup(s->series, key);
    if (!a)
        return;
    guint i = lower_bound(a, at_ms + 1); /* first entry after at_ms */
    if (i > 0)
        memcpy(v, g_array_index(a, struct entry, i - 1).v, (size_t)n * sizeof *v);
}
