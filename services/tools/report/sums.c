#include "sums.h"

#include "base/err.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

/* One entry a field, holding both spans, keyed by its own name so that a
 * field costs one allocation however many days carry it. */
struct entry {
    int64_t v[REPORT_SPANS];
    char name[];
};

struct report_sums {
    GHashTable *by_field; /* name -> struct entry *, owns the entries */
};

struct report_sums *report_sums_new(void)
{
    struct report_sums *s = g_new0(struct report_sums, 1);
    s->by_field = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
    return s;
}

void report_sums_free(struct report_sums *s)
{
    if (!s)
        return;
    g_hash_table_destroy(s->by_field);
    g_free(s);
}

int report_sums_add(struct report_sums *s, enum report_span span, const char *field, int64_t v)
{
    struct entry *e = g_hash_table_lookup(s->by_field, field);
    if (!e) {
        size_t n = strlen(field) + 1;
        e = g_malloc0(sizeof *e + n);
        memcpy(e->name, field, n);
        g_hash_table_insert(s->by_field, e->name, e);
    }
    int64_t sum;
    if (__builtin_add_overflow(e->v[span], v, &sum))
        return CCHC_ETOOBIG;
    e->v[span] = sum;
    return CCHC_OK;
}

int64_t report_sums_get(const struct report_sums *s, enum report_span span, const char *field)
{
    const struct entry *e = g_hash_table_lookup(s->by_field, field);
    return e ? e->v[span] : 0;
}

int report_sums_has(const struct report_sums *s, const char *field)
{
    return g_hash_table_contains(s->by_field, field);
}

int report_sums_each(const struct report_sums *s, int (*fn)(const char *field, void *arg),
                     void *arg)
{
    GHashTableIter it;
    gpointer key;
    g_hash_table_iter_init(&it, s->by_field);
    while (g_hash_table_iter_next(&it, &key, NULL)) {
        int rc = fn(key, arg);
        if (rc)
            return rc;
    }
    return 0;
}
