/* cchc-reconcile: recomputes from the services' journals what Redis must
 * hold, up to each publisher's applied position, and reports every
 * difference by unit, period and figure. The same rollup as the aggregator
 * (common/rollup.c); journals are only read, so services may keep running. */
#include "config.h"
#include "err.h"
#include "event.h"
#include "journal.h"
#include "log.h"
#include "rollup.h"
#include "store.h"
#include "units.h"

#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef CCHC_DEFAULT_UNITS
#define CCHC_DEFAULT_UNITS "/usr/local/share/cchc/units.tsv"
#endif

struct feed {
    const struct units *u;
    struct rollup *expected;
    uint64_t applied; /* events [0, applied) are in Redis */
    uint64_t used, skipped;
};

static int on_event(void *arg, uint64_t seq, const uint8_t *buf, size_t len)
{
    struct feed *f = arg;
    if (seq >= f->applied)
        return CCHC_OK; /* not applied yet: lag, not a difference */
    struct proto_event ev;
    size_t off = 0;
    char why[160];
    int unit = -1, ok = proto_event_decode(buf, len, &off, &ev, why, sizeof why) == CCHC_OK;
    if (ok)
        unit = units_find(f->u, ev.unit.p, ev.unit.len);
    for (uint32_t i = 0; ok && i < ev.nm; i++)
        ok = rollup_metric_ok(&ev.m[i].name);
    if (!ok || unit < 0) {
        f->skipped++; /* the aggregator skips these too */
        return CCHC_OK;
    }
    rollup_event(f->expected, f->u, unit, &ev);
    f->used++;
    return CCHC_OK;
}

struct compare {
    struct store *s;
    GHashTable *keys; /* figures hashes expected: key -> GHashTable field -> int64 */
    uint64_t checked, differences;
    int err;
};

static void collect_figures(void *arg, char op, const char *key, const char *member, int64_t v)
{
    struct compare *c = arg;
    if (op != 'h')
        return; /* rankings, day indexes and rates follow from the figures */
    GHashTable *fields = g_hash_table_lookup(c->keys, key);
    if (!fields) {
        fields = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        g_hash_table_insert(c->keys, g_strdup(key), fields);
    }
    g_hash_table_insert(fields, g_strdup(member), g_memdup2(&v, sizeof v));
}

/* "cchc:v1:fig:UNIT:PERIOD" -> "UNIT PERIOD" */
static void describe(const char *key, char *out, size_t cap)
{
    const char *p = key + strlen("cchc:v1:fig:"), *colon = strrchr(p, ':');
    snprintf(out, cap, "%.*s %s", (int)(colon - p), p, colon + 1);
}

static int is_rate(const char *field)
{
    size_t n = strlen(field);
    return n > 4 && strcmp(field + n - 4, "_pct") == 0;
}

/* One HGETALL per expected hash, pipelined in chunks; both ways: a field
 * Redis lacks, a field Redis has that nothing explains, a value that differs. */
static void compare_all(struct compare *c)
{
    guint n;
    gpointer *keys = g_hash_table_get_keys_as_array(c->keys, &n);
    for (guint i0 = 0; i0 < n && !c->err; i0 += 512) {
        guint i1 = i0 + 512 < n ? i0 + 512 : n;
        for (guint i = i0; i < i1 && !c->err; i++)
            c->err = store_append(c->s, "HGETALL %s", (const char *)keys[i]);
        for (guint i = i0; i < i1 && !c->err; i++) {
            redisReply *r;
            if ((c->err = store_reply(c->s, &r)))
                break;
            GHashTable *want = g_hash_table_lookup(c->keys, keys[i]);
            GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
            char where[300];
            describe(keys[i], where, sizeof where);
            for (size_t k = 0; r->type == REDIS_REPLY_ARRAY && k + 1 < r->elements; k += 2) {
                const char *field = r->element[k]->str;
                if (is_rate(field))
                    continue;
                int64_t got = strtoll(r->element[k + 1]->str, NULL, 10);
                int64_t *exp = g_hash_table_lookup(want, field);
                g_hash_table_add(seen, (gpointer)field);
                c->checked++;
                if (!exp ? got != 0 : *exp != got) {
                    c->differences++;
                    printf("%s %s: journals %" PRId64 ", redis %" PRId64 "\n", where, field,
                           exp ? *exp : 0, got);
                }
            }
            GHashTableIter it;
            gpointer f, v;
            g_hash_table_iter_init(&it, want);
            while (g_hash_table_iter_next(&it, &f, &v))
                if (!g_hash_table_contains(seen, f) && *(int64_t *)v != 0) {
                    c->checked++;
                    c->differences++;
                    printf("%s %s: journals %" PRId64 ", redis absent\n", where, (char *)f,
                           *(int64_t *)v);
                }
            g_hash_table_destroy(seen);
            freeReplyObject(r);
        }
    }
    g_free(keys);
}

static int applied_position(struct store *s, const char *publisher, uint64_t epoch, uint64_t *pos)
{
    redisReply *r;
    int rc = store_command(s, &r, "HGET cchc:v1:pos %s/%016" PRIx64, publisher, epoch);
    if (rc)
        return rc;
    *pos = r->type == REDIS_REPLY_STRING ? strtoull(r->str, NULL, 10) : 0;
    freeReplyObject(r);
    return CCHC_OK;
}

int main(int argc, char **argv)
{
    cchc_log_init("cchc-reconcile");
    const char *redis_url = CCHC_REDIS_URL_DEFAULT, *units_path = CCHC_DEFAULT_UNITS;
    const struct cchc_opt opts[] = {
        {"--redis", "CCHC_REDIS_URL", CCHC_OPT_STR, &redis_url, 0, 0,
         "Redis URL (redis://HOST:PORT/DB or unix:///PATH)"},
        {"--units", "CCHC_UNITS", CCHC_OPT_STR, &units_path, 0, 0, "unit registry (TSV)"},
        {0},
    };
    char **rest;
    int nrest;
    cchc_opts_parse(argc, argv, opts,
                    "usage: cchc-reconcile [options] PUBLISHER=JOURNAL...\n"
                    "  e.g. cchc-reconcile dossier=/var/lib/cchc/dossier/events.journal\n"
                    "Recomputes from the journals the figures Redis must hold (up to each\n"
                    "publisher's applied position) and prints every difference as\n"
                    "'UNIT PERIOD FIELD: journals X, redis Y'. Exit 0: none; 1: some; 2: error.\n"
                    "Give every publisher the aggregator reads: a unit's figures sum them all.",
                    &rest, &nrest);
    if (nrest == 0) {
        fprintf(stderr, "error: no PUBLISHER=JOURNAL given (see --help)\n");
        return 2;
    }
    char why[512];
    struct units *u;
    if (units_load(units_path, &u, why, sizeof why)) {
        fprintf(stderr, "error: %s\n", why);
        return 2;
    }
    struct store *s;
    if (store_open(redis_url, 10000, &s)) {
        fprintf(stderr, "error: %s\n", store_errstr(s));
        return 2;
    }
    struct feed f = {.u = u};
    if (rollup_new(&f.expected))
        return 2;
    for (int i = 0; i < nrest; i++) {
        char *eq = strchr(rest[i], '=');
        if (!eq) {
            fprintf(stderr, "error: '%s' is not PUBLISHER=JOURNAL\n", rest[i]);
            return 2;
        }
        *eq = 0;
        uint64_t epoch, count;
        /* The epoch comes from the header before any record: read it first, then the position. */
        if (journal_scan(eq + 1, NULL, NULL, &epoch, &count, why, sizeof why) ||
            applied_position(s, rest[i], epoch, &f.applied) ||
            journal_scan(eq + 1, on_event, &f, &epoch, &count, why, sizeof why)) {
            fprintf(stderr, "error: %s\n", store_err(s) ? store_errstr(s) : why);
            return 2;
        }
        printf("# %s: journal %016" PRIx64 " holds %" PRIu64 " events, %" PRIu64
               " applied, %" PRIu64 " not yet\n",
               rest[i], epoch, count, f.applied, count > f.applied ? count - f.applied : 0);
    }
    struct compare c = {.s = s,
                        .keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                                      (GDestroyNotify)g_hash_table_destroy)};
    rollup_foreach(f.expected, collect_figures, &c);
    compare_all(&c);
    if (c.err) {
        fprintf(stderr, "error: %s\n", store_errstr(s));
        return 2;
    }
    printf("# %" PRIu64 " events used, %" PRIu64 " skipped; %u hashes, %" PRIu64
           " figures checked, %" PRIu64 " differences\n",
           f.used, f.skipped, g_hash_table_size(c.keys), c.checked, c.differences);
    g_hash_table_destroy(c.keys);
    rollup_free(f.expected);
    store_close(s);
    units_free(u);
    return c.differences ? 1 : 0;
}
