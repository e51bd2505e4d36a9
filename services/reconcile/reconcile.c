/* cchc-reconcile: recomputes from the services' journals what Redis must
 * hold, up to each publisher's applied position, and reports every
 * difference by unit, period and figure. The same rollup as the aggregator
 * (common/rollup.c); journals are only read, so services may keep running.
 *
 * --repair applies the corrections with the aggregator's own script
 * (common/rollup_script.c): figures, rankings, day indexes and rates, in
 * one atomic step, and only if no position moved since the comparison
 * began (WATCH cchc:v1:pos): a comparison the aggregator overtook is made
 * again, never applied. */
#include "config.h"
#include "err.h"
#include "event.h"
#include "journal.h"
#include "log.h"
#include "period.h"
#include "rollup.h"
#include "rollup_script.h"
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
    struct rollup *fix; /* with --repair: what would make Redis right */
    int err;
};

/* "cchc:v1:fig:UNIT:PERIOD": the unit into unit[], the period returned
 * (pointing into key). */
static const char *split_key(const char *key, char *unit, size_t cap)
{
    const char *p = key + strlen("cchc:v1:fig:"), *colon = strrchr(p, ':');
    snprintf(unit, cap, "%.*s", (int)(colon - p), p);
    return colon + 1;
}

/* One difference, into the corrections: the figure (by the difference: the
 * WATCH guarantees nothing else moves it meanwhile), its ranking and day
 * index (set outright: they may be wrong or right on their own), and the
 * rates of its hash (what the aggregator writes along with a figure). */
static void add_fix(struct compare *c, const char *key, const char *field, int64_t want,
                    int64_t got)
{
    if (!c->fix || want == got)
        return;
    rollup_add(c->fix, 'h', key, field, want - got);
    char unit[256], k[512];
    const char *period = split_key(key, unit, sizeof unit);
    int64_t day;
    if (cchc_day_parse(period, &day) == CCHC_OK) {
        snprintf(k, sizeof k, "cchc:v1:days:%s", unit);
        rollup_add(c->fix, 'a', k, period, day);
        return;
    }
    rollup_add(c->fix, 'r', key, "", 0);
    if (!strchr(field, '.') && !strchr(field, ':')) {
        snprintf(k, sizeof k, "cchc:v1:rank:%s:%s", period, field);
        rollup_add(c->fix, 'a', k, unit, want);
    }
}

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
    char unit[256];
    const char *period = split_key(key, unit, sizeof unit);
    snprintf(out, cap, "%s %s", unit, period);
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
                    add_fix(c, keys[i], field, exp ? *exp : 0, got);
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
                    add_fix(c, keys[i], f, *(int64_t *)v, 0);
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

/* Applies the corrections, guarded by the WATCH taken before the positions
 * were read; done is the repair count read then. CCHC_ESTALE when a
 * position (or another repair) moved meanwhile: nothing applied. */
static int repair(struct store *s, const struct rollup *fix, uint64_t done)
{
    char sha[41];
    redisReply *r;
    int rc = rollup_script_load(s, sha);
    if (rc)
        return rc;
    store_append(s, "MULTI");
    rollup_script_append(s, sha, "cchc:v1:repairs", "reconcile", done, done + 1, fix);
    store_append(s, "EXEC");
    for (int i = 0; i < 3 && rc == CCHC_OK; i++) {
        if ((rc = store_reply(s, &r)))
            break;
        if (i == 2) {
            const redisReply *e =
                r->type == REDIS_REPLY_ARRAY && r->elements == 1 ? r->element[0] : NULL;
            if (r->type == REDIS_REPLY_NIL)
                rc = CCHC_ESTALE; /* EXEC refused: a watched key moved */
            else if (e && e->type == REDIS_REPLY_ARRAY && e->elements == 2 &&
                     e->element[0]->type == REDIS_REPLY_INTEGER)
                rc = e->element[0]->integer == 1 ? CCHC_OK : CCHC_ESTALE;
            else {
                fprintf(stderr, "error: the repair script failed: %s\n",
                        e && e->type == REDIS_REPLY_ERROR ? e->str : "unexpected reply");
                rc = CCHC_EREDIS;
            }
        }
        freeReplyObject(r);
    }
    return rc;
}

/* One comparison of every journal with Redis; with fix, the corrections
 * are collected and applied. *differences gets how many were found. */
static int reconcile(struct store *s, const struct units *u, char **journals, int n,
                     struct rollup *fix, uint64_t *differences)
{
    char why[512];
    redisReply *r;
    uint64_t done = 0;
    if (fix) {
        /* Before anything is read: EXEC then refuses if the aggregator (or
         * another repair) wrote a position since. */
        rollup_clear(fix);
        int ok = store_command(s, &r, "WATCH cchc:v1:pos cchc:v1:repairs") == CCHC_OK;
        if (ok) {
            ok = r->type == REDIS_REPLY_STATUS;
            freeReplyObject(r);
        }
        if (!ok || store_command(s, &r, "HGET cchc:v1:repairs reconcile")) {
            fprintf(stderr, "error: cannot WATCH the positions: %s\n", store_errstr(s));
            return CCHC_EREDIS;
        }
        done = r->type == REDIS_REPLY_STRING ? strtoull(r->str, NULL, 10) : 0;
        freeReplyObject(r);
    }
    struct feed f = {.u = u};
    if (rollup_new(&f.expected))
        return CCHC_ENOMEM;
    int rc = CCHC_OK;
    for (int i = 0; i < n && rc == CCHC_OK; i++) {
        char name[128];
        const char *eq = strchr(journals[i], '='), *path = eq + 1;
        snprintf(name, sizeof name, "%.*s", (int)(eq - journals[i]), journals[i]);
        uint64_t epoch, base, count;
        /* The epoch comes from the header: read it first, then the position. */
        if (journal_peek_epoch(path, &epoch)) {
            fprintf(stderr, "error: %s: not a cchc journal\n", path);
            rc = CCHC_EINVAL;
        } else if (applied_position(s, name, epoch, &f.applied) ||
                   journal_scan(path, on_event, &f, &epoch, &base, &count, why, sizeof why)) {
            fprintf(stderr, "error: %s\n", store_err(s) ? store_errstr(s) : why);
            rc = CCHC_EIO;
        } else if (base > 0) {
            /* Figures are totals since the start: without the first events nothing adds up. */
            fprintf(stderr,
                    "error: %s: the journal starts at event %" PRIu64
                    ", the events before it were dropped by retention (ops/README.md); "
                    "reconcile needs journals from event 0\n",
                    path, base);
            rc = CCHC_EINVAL;
        } else {
            printf("# %s: journal %016" PRIx64 " holds %" PRIu64 " events, %" PRIu64
                   " applied, %" PRIu64 " not yet\n",
                   name, epoch, count, f.applied, count > f.applied ? count - f.applied : 0);
        }
    }
    struct compare c = {.s = s,
                        .fix = fix,
                        .keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                                      (GDestroyNotify)g_hash_table_destroy)};
    if (rc == CCHC_OK) {
        rollup_foreach(f.expected, collect_figures, &c);
        compare_all(&c);
        if (c.err) {
            fprintf(stderr, "error: %s\n", store_errstr(s));
            rc = c.err;
        } else {
            printf("# %" PRIu64 " events used, %" PRIu64 " skipped; %u hashes, %" PRIu64
                   " figures checked, %" PRIu64 " differences\n",
                   f.used, f.skipped, g_hash_table_size(c.keys), c.checked, c.differences);
        }
    }
    *differences = c.differences;
    if (rc == CCHC_OK && fix && c.differences)
        rc = repair(s, fix, done);
    else if (fix && store_command(s, &r, "UNWATCH") == CCHC_OK)
        freeReplyObject(r);
    g_hash_table_destroy(c.keys);
    rollup_free(f.expected);
    return rc;
}

int main(int argc, char **argv)
{
    cchc_log_init("cchc-reconcile");
    const char *redis_url = CCHC_REDIS_URL_DEFAULT, *units_path = CCHC_DEFAULT_UNITS;
    int do_repair = 0;
    const struct cchc_opt opts[] = {
        {"--redis", "CCHC_REDIS_URL", CCHC_OPT_STR, &redis_url, 0, 0,
         "Redis URL (redis://HOST:PORT/DB or unix:///PATH)"},
        {"--units", "CCHC_UNITS", CCHC_OPT_STR, &units_path, 0, 0, "unit registry (TSV)"},
        {"--repair", NULL, CCHC_OPT_FLAG, &do_repair, 0, 0,
         "apply the corrections to Redis, then compare again"},
        {0},
    };
    char **rest;
    int nrest;
    cchc_opts_parse(argc, argv, opts,
                    "usage: cchc-reconcile [options] PUBLISHER=JOURNAL...\n"
                    "  e.g. cchc-reconcile dossier=/var/lib/cchc/dossier/events.journal\n"
                    "Recomputes from the journals the figures Redis must hold (up to each\n"
                    "publisher's applied position) and prints every difference as\n"
                    "'UNIT PERIOD FIELD: journals X, redis Y'. Exit 0: none (or, with\n"
                    "--repair, all repaired); 1: some left; 2: error.\n"
                    "Give every publisher the aggregator reads: a unit's figures sum them all.\n"
                    "--repair applies the corrections atomically, only if the aggregator applied\n"
                    "nothing meanwhile (otherwise it compares again, up to 5 times).",
                    &rest, &nrest);
    if (nrest == 0) {
        fprintf(stderr, "error: no PUBLISHER=JOURNAL given (see --help)\n");
        return 2;
    }
    for (int i = 0; i < nrest; i++)
        if (!strchr(rest[i], '=') || strchr(rest[i], '=') - rest[i] >= 64) {
            fprintf(stderr, "error: '%s' is not PUBLISHER=JOURNAL\n", rest[i]);
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
    struct rollup *fix = NULL;
    if (do_repair && rollup_new(&fix))
        return 2;
    uint64_t differences = 0;
    int rc = CCHC_ESTALE;
    for (int attempt = 0; attempt < 5 && rc == CCHC_ESTALE; attempt++) {
        rc = reconcile(s, u, rest, nrest, fix, &differences);
        if (rc == CCHC_ESTALE)
            printf("# the aggregator applied events during the comparison: comparing again\n");
    }
    if (rc == CCHC_OK && fix && differences) {
        printf("# repaired %" PRIu64 " differences; comparing again\n", differences);
        rc = reconcile(s, u, rest, nrest, NULL, &differences);
    }
    if (rc == CCHC_ESTALE)
        fprintf(stderr, "error: the aggregator kept applying events; nothing was repaired: "
                        "run again at a quieter moment, or with the aggregator stopped\n");
    rollup_free(fix);
    store_close(s);
    units_free(u);
    return rc ? 2 : differences ? 1 : 0;
}
