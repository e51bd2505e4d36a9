#include "base/u64map.h"

#include <glib.h>
#include <string.h>

#define INITIAL_CAP 4096

static size_t home(uint64_t key, size_t cap)
{
    return (size_t)((key * 0x9E3779B97F4A7C15ull) >> 20) & (cap - 1);
}

static void grow(struct u64map *m, size_t cap)
{
    uint64_t *keys = g_new(uint64_t, cap);
    int64_t *vals = g_new(int64_t, cap);
    memset(keys, 0xff, cap * sizeof *keys);
    for (size_t i = 0; i < m->cap; i++) {
        if (m->keys[i] == U64MAP_EMPTY)
            continue;
        size_t j = home(m->keys[i], cap);
        while (keys[j] != U64MAP_EMPTY)
            j = (j + 1) & (cap - 1);
        keys[j] = m->keys[i];
        vals[j] = m->vals[i];
    }
    g_free(m->keys);
    g_free(m->vals);
    m->keys = keys, m->vals = vals, m->cap = cap;
}

void u64map_init(struct u64map *m)
{
    *m = (struct u64map){0};
    grow(m, INITIAL_CAP);
}

void u64map_free(struct u64map *m)
{
    g_free(m->keys);
    g_free(m->vals);
    *m = (struct u64map){0};
}

void u64map_clear(struct u64map *m)
{
    /* A table that once grew large but was little used gives the memory back:
     * clearing is then not a memset of the largest size ever seen. */
    if (m->cap > INITIAL_CAP && m->n < m->cap / 8) {
        uint64_t *keys = m->keys;
        int64_t *vals = m->vals;
        *m = (struct u64map){0};
        g_free(keys);
        g_free(vals);
        grow(m, INITIAL_CAP);
        return;
    }
    if (m->keys)
        memset(m->keys, 0xff, m->cap * sizeof *m->keys);
    m->n = 0;
}

int64_t *u64map_slot(struct u64map *m, uint64_t key, int *created)
{
    if (2 * (m->n + 1) > m->cap)
        grow(m, m->cap ? 2 * m->cap : INITIAL_CAP);
    size_t j = home(key, m->cap);
    while (m->keys[j] != U64MAP_EMPTY && m->keys[j] != key)
        j = (j + 1) & (m->cap - 1);
    if (created)
        *created = m->keys[j] == U64MAP_EMPTY;
    if (m->keys[j] == U64MAP_EMPTY) {
        m->keys[j] = key;
        m->vals[j] = 0;
        m->n++;
    }
    return &m->vals[j];
}

int64_t *u64map_find(const struct u64map *m, uint64_t key)
{
    if (m->cap == 0)
        return NULL;
    size_t j = home(key, m->cap);
    while (m->keys[j] != U64MAP_EMPTY) {
        if (m->keys[j] == key)
            return &m->vals[j];
        j = (j + 1) & (m->cap - 1);
    }
    return NULL;
}
