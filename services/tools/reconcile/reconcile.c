/* cchc-reconcile: recomputes from the services' journals what Redis must
 * hold, up to each publisher's applied position, and reports every
 * difference by unit, period and figure. It expands the events with the
 * rollup's own reference expansion (rollup_expand, common/figures/rollup.c),
 * against which the aggregator's cells are tested (cells_test.c); journals
 * are only read, so services may keep running.
 *
 * --repair writes the corrections the way the aggregator writes
 * (common/figures/rollup_write.c): figures, rankings, month indexes and rates, in
 * one atomic step, and only if the stamp every write moves is still what
 * it was when the comparison began: a comparison the aggregator overtook
 * is made again, never applied. The aggregator, seeing the stamp move,
 * forgets what it cached and reads Redis again. */
#include "base/config.h"
#include "base/err.h"
#include "base/log.h"
#include "base/metric.h"
#include "base/period.h"
#include "base/u64map.h"
#include "base/units.h"
#include "bus/journal.h"
#include "bus/retention.h"
#include "figures/fighash.h"
#include "figures/rollup.h"
#include "figures/rollup_write.h"
#include "proto/event.h"
#include "store/keys.h"
#include "store/store.h"

#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct run {
    uint64_t from, to; /* a checkpoint's run stands for the journal's [from, to) */
};

struct feed {
    const struct units *u;
    struct rollup *expected;
    uint64_t applied;  /* the journal's events [0, applied) are in Redis */
    uint64_t base;     /* the journal read starts there */
    uint64_t folded;   /* [0, folded) are summed in the checkpoint */
    uint64_t ckpt;     /* the checkpoint's events in Redis (a rebuild under way) */
    GArray *runs;      /* struct run: the checkpoint's, in order */
    uint64_t at, upto; /* the journal's events the scan counts: [at, upto) */
    uint64_t used, skipped;
};

static int count_event(struct feed *f, const struct proto_event *ev)
{
    int unit;
    const char *bad;
    if (rollup_counts(f->expected, ev, &unit, &bad)) {
        f->skipped++; /* the aggregator skips these too */
        return CCHC_OK;
    }
    int rc = rollup_event(f->expected, unit, ev);
    if (rc == CCHC_OK)
        f->used++;
    return rc;
}

static int on_event(void *arg, uint64_t seq, const uint8_t *buf, size_t len)
{
    struct feed *f = arg;
    if (seq < f->at || seq >= f->upto)
        return CCHC_OK; /* in the checkpoint, or not applied yet: lag, not a difference */
    struct proto_event ev;
    size_t off = 0;
    char why[160];
    if (proto_event_decode(buf, len, &off, &ev, why, sizeof why)) {
        f->skipped++;
        return CCHC_OK;
    }
    return count_event(f, &ev);
}

static int on_mark(void *arg, uint64_t seq, const uint8_t *buf, size_t len)
{
    struct feed *f = arg;
    struct proto_event ev;
    size_t off = 0;
    char why[160];
    struct run r;
    if (proto_event_decode(buf, len, &off, &ev, why, sizeof why) == CCHC_OK &&
        proto_event_is_mark(&ev, &r.from, &r.to))
        g_array_append_val(f->runs, r);
    return CCHC_OK;
}

/* A sum counts when its run is one the journal read no longer holds and
 * Redis has it: the whole run before both, or, a rebuild under way within
 * the run that starts at Redis' position, the events of the checkpoint it
 * has applied. */
static int on_sum(void *arg, uint64_t seq, const uint8_t *buf, size_t len)
{
    struct feed *f = arg;
    struct proto_event ev;
    size_t off = 0;
    char why[160];
    uint64_t from, to;
    if (proto_event_decode(buf, len, &off, &ev, why, sizeof why) ||
        proto_event_is_mark(&ev, &from, &to) || !(ev.has & PROTO_HAS_N2))
        return CCHC_OK;
    uint64_t start = (uint64_t)ev.n2, end = UINT64_MAX;
    for (guint i = 0; i < f->runs->len; i++)
        if (g_array_index(f->runs, struct run, i).from == start)
            end = g_array_index(f->runs, struct run, i).to;
    uint64_t upto = f->applied < f->base ? f->applied : f->base;
    if (end <= upto || (f->applied < f->base && start == f->applied && seq < f->ckpt))
        return count_event(f, &ev);
    return CCHC_OK;
}

struct fix {
    fig_key k;
    int64_t v; /* what the journals imply */
};

static int by_key(const void *a, const void *b)
{
    fig_key x = ((const struct fix *)a)->k, y = ((const struct fix *)b)->k;
    return x < y ? -1 : x > y;
}

struct compare {
    struct store *s;
    struct rollup *r;
    const fig_key *keys; /* every figure the journals imply, ascending */
    const int64_t *want;
    size_t n;
    uint64_t hashes, checked, differences;
    GArray *fixes; /* struct fix; with --repair: what would make Redis right */
    int err;
};

/* Index of k among the expected figures, or SIZE_MAX. */
static size_t find(const struct compare *c, fig_key k)
{
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->keys[mid] < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->n && c->keys[lo] == k ? lo : SIZE_MAX;
}

/* The expected value of k (0 when the journals imply nothing there). */
static int64_t expected(void *arg, fig_key k)
{
    const struct compare *c = arg;
    size_t at = find(c, k);
    return at == SIZE_MAX ? 0 : c->want[at];
}

/* Every figure the journals imply for a day: it is written whole. */
static size_t expected_day(void *arg, uint64_t hash, const fig_key **keys)
{
    const struct compare *c = arg;
    size_t lo = 0, hi = c->n;
    while (lo < hi) { /* the first key of the hash */
        size_t mid = lo + (hi - lo) / 2;
        if (FIG_HASH(c->keys[mid]) < hash)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < c->n && FIG_HASH(c->keys[end]) == hash)
        end++;
    *keys = c->keys + lo;
    return end - lo;
}

static int always_new(void *arg, uint64_t hash)
{
    (void)arg, (void)hash;
    return 1; /* a repaired day always gets its month's index entry */
}

static void difference(struct compare *c, fig_key k, const char *field, int64_t want, int64_t got,
                       int absent)
{
    char where[320];
    uint32_t period = FIG_PERIOD(k);
    snprintf(where, sizeof where, "%s %s", units_id(rollup_units(c->r), FIG_UNIT(k)),
             rollup_period_name(c->r, period));
    c->differences++;
    if (absent)
        printf("%s %s: journals %" PRId64 ", redis absent\n", where, field, want);
    else
        printf("%s %s: journals %" PRId64 ", redis %" PRId64 "\n", where, field, want, got);
    if (c->fixes) {
        struct fix x = {k, want};
        g_array_append_val(c->fixes, x);
    }
}

struct seen_hash {
    struct compare *c;
    size_t i, end; /* the hash's expected figures */
    guint8 *seen;
};

/* One figure Redis holds, against what the journals imply. */
static int compare_figure(void *arg, const char *field, size_t len, int64_t got)
{
    struct seen_hash *h = arg;
    struct compare *c = h->c;
    uint64_t hash = FIG_HASH(c->keys[h->i]);
    uint32_t period = FIG_HASH_PERIOD(hash), level, metric;
    int unit = FIG_HASH_UNIT(hash);
    c->checked++;
    if (rollup_field_parse(c->r, field, len, &level, &metric)) {
        c->differences++; /* not a figure name at all: shown, not repaired */
        printf("%s %s %.*s: journals nothing, redis %" PRId64 "\n",
               units_id(rollup_units(c->r), unit), rollup_period_name(c->r, period), (int)len,
               field, got);
        return CCHC_OK;
    }
    fig_key key = FIG_KEY(period, unit, level, metric);
    size_t at = find(c, key);
    int64_t want = at == SIZE_MAX ? 0 : c->want[at];
    if (at != SIZE_MAX)
        h->seen[at - h->i] = 1;
    if (want != got) {
        char name[PROTO_METRIC_NAME_MAX + 32];
        snprintf(name, sizeof name, "%.*s", (int)len, field);
        difference(c, key, name, want, got, 0);
    }
    return CCHC_OK;
}

/* Hash [i, end) of the expected figures against Redis' reply, both ways: a
 * figure Redis lacks, a figure Redis has that nothing explains, a value
 * that differs. A day Redis holds that is no packed day is one difference,
 * repaired by writing the day again. */
static void compare_hash(struct compare *c, size_t i, size_t end, const redisReply *r, guint8 *seen)
{
    uint64_t hash = FIG_HASH(c->keys[i]);
    char field[PROTO_METRIC_NAME_MAX + 32], why[512];
    struct seen_hash h = {c, i, end, seen};
    int absent;
    if (fighash_each(c->r, hash, r, &absent, compare_figure, &h, why, sizeof why)) {
        c->differences++;
        printf("%s\n", why);
        for (size_t j = i; j < end && c->fixes; j++) {
            struct fix x = {c->keys[j], c->want[j]};
            g_array_append_val(c->fixes, x);
        }
        return;
    }
    /* A day holds every figure its events named, 0 included (a report tells
     * 0 from never reported): absent is a difference there. */
    int day = rollup_period_day(c->r, FIG_HASH_PERIOD(hash)) != ROLLUP_DAY_NONE;
    for (size_t j = i; j < end; j++)
        if (!seen[j - i] && (c->want[j] != 0 || day)) {
            c->checked++;
            rollup_field_name(c->r, c->keys[j], field, sizeof field);
            difference(c, c->keys[j], field, c->want[j], 0, 1);
        }
}

/* One read per expected hash, pipelined in chunks. */
static void compare_all(struct compare *c)
{
    GByteArray *seen = g_byte_array_new();
    for (size_t i0 = 0; i0 < c->n && !c->err;) {
        size_t starts[512], nh = 0, i = i0;
        for (; i < c->n && nh < 512; nh++) {
            starts[nh] = i;
            uint64_t hash = FIG_HASH(c->keys[i]);
            c->err = fighash_read(c->s, c->r, hash);
            while (i < c->n && FIG_HASH(c->keys[i]) == hash)
                i++;
        }
        for (size_t h = 0; h < nh && !c->err; h++) {
            redisReply *r;
            if ((c->err = store_reply(c->s, &r)))
                break;
            size_t end = h + 1 < nh ? starts[h + 1] : i;
            g_byte_array_set_size(seen, (guint)(end - starts[h]));
            memset(seen->data, 0, end - starts[h]);
            compare_hash(c, starts[h], end, r, seen->data);
            c->hashes++;
            freeReplyObject(r);
        }
        i0 = i;
    }
    g_byte_array_free(seen, TRUE);
}

/* Every month with a day the journals imply must be in its unit's index of
 * months, scored with the month's first day: cchc-report reads no month
 * that is not. A month that is not is one difference, repaired by writing
 * one of its days again (which puts the month in the index). */
static void compare_months(struct compare *c)
{
    struct u64map seen; /* (month, unit) -> index of the first key of one of its days */
    u64map_init(&seen);
    GArray *months = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    for (size_t i = 0; i < c->n; i++) {
        uint32_t period = FIG_PERIOD(c->keys[i]);
        if (rollup_period_day(c->r, period) == ROLLUP_DAY_NONE)
            continue;
        uint64_t m =
            FIG_HASH(FIG_KEY(rollup_period_month(c->r, period), FIG_UNIT(c->keys[i]), 0, 0));
        int created;
        int64_t *at = u64map_slot(&seen, m, &created);
        if (created) {
            *at = (int64_t)i;
            g_array_append_val(months, m);
        }
    }
    char key[KEY_LEN];
    for (guint i0 = 0; i0 < months->len && !c->err; i0 += 512) {
        guint end = i0 + 512 < months->len ? i0 + 512 : months->len;
        for (guint i = i0; i < end && !c->err; i++) {
            uint64_t m = g_array_index(months, uint64_t, i);
            key_months(key, sizeof key, units_id(rollup_units(c->r), FIG_HASH_UNIT(m)));
            c->err = store_append(c->s, "ZSCORE %s %s", key,
                                  rollup_period_name(c->r, FIG_HASH_PERIOD(m)));
        }
        for (guint i = i0; i < end && !c->err; i++) {
            redisReply *r;
            if ((c->err = store_reply(c->s, &r)))
                break;
            uint64_t m = g_array_index(months, uint64_t, i);
            const char *month = rollup_period_name(c->r, FIG_HASH_PERIOD(m));
            int64_t first, last;
            cchc_period_range(month, &first, &last);
            char want[24];
            snprintf(want, sizeof want, "%" PRId64, first);
            c->checked++;
            if (r->type == REDIS_REPLY_ERROR) {
                c->err = CCHC_EREDIS;
                fprintf(stderr, "error: redis refused ZSCORE of a month index: %s\n", r->str);
                freeReplyObject(r);
                break; /* the pipeline is left half read: the store is given up below */
            }
            int ok = r->type == REDIS_REPLY_STRING && strcmp(r->str, want) == 0;
            if (!ok) {
                key_months(key, sizeof key, units_id(rollup_units(c->r), FIG_HASH_UNIT(m)));
                c->differences++;
                printf("%s %s: journals %s, redis %s\n", key, month, want,
                       r->type == REDIS_REPLY_STRING ? r->str : "absent");
                size_t at = (size_t)*u64map_find(&seen, m);
                for (size_t j = at;
                     c->fixes && j < c->n && FIG_HASH(c->keys[j]) == FIG_HASH(c->keys[at]); j++) {
                    struct fix x = {c->keys[j], c->want[j]};
                    g_array_append_val(c->fixes, x);
                }
            }
            freeReplyObject(r);
        }
    }
    g_array_free(months, TRUE);
    u64map_free(&seen);
}

/* Where the aggregator stands in a journal and in its checkpoint. */
static int applied_position(struct store *s, const char *publisher, uint64_t epoch, uint64_t *pos,
                            uint64_t *ckpt)
{
    redisReply *r;
    char field[128], ckpt_field[160];
    key_position_field(field, sizeof field, publisher, epoch);
    key_checkpoint_field(ckpt_field, sizeof ckpt_field, publisher, epoch);
    int rc = store_command(s, &r, "HMGET %s %s %s", KEY_POS, field, ckpt_field);
    if (rc)
        return rc;
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 2) {
        freeReplyObject(r);
        return CCHC_EREDIS;
    }
    *pos = r->element[0]->type == REDIS_REPLY_STRING ? strtoull(r->element[0]->str, NULL, 10) : 0;
    *ckpt = r->element[1]->type == REDIS_REPLY_STRING ? strtoull(r->element[1]->str, NULL, 10) : 0;
    freeReplyObject(r);
    return CCHC_OK;
}

/* One service: its journal, then its checkpoint's sums (bus/retention.h)
 * of what the journal no longer holds, each as far as Redis has applied
 * them. The journal first: retention writes a run before it drops the
 * journal's events, so a checkpoint read after the journal reaches at least
 * where the journal read starts (B), and the runs up to B are what it
 * dropped. Redis at P: the journal's [B, P) count, and the runs that end by
 * min(P, B); P before B (a rebuild under way, or a Redis put back), the run
 * that starts at P as far as its checkpoint position too. */
static int feed_journal(struct store *s, const char *name, const char *path, struct feed *f,
                        uint64_t *epoch, uint64_t *count, char *why, size_t why_cap)
{
    char ckpt[4200];
    uint64_t base = 0;
    if (journal_peek_epoch(path, epoch)) {
        snprintf(why, why_cap, "%s: not a cchc journal", path);
        return CCHC_EINVAL;
    }
    if (applied_position(s, name, *epoch, &f->applied, &f->ckpt)) {
        snprintf(why, why_cap, "%s", store_errstr(s));
        return CCHC_EREDIS;
    }
    f->at = 0, f->upto = f->applied;
    int rc = journal_scan(path, on_event, f, epoch, &base, count, why, why_cap);
    if (rc)
        return rc;
    *count += base; /* the journal's end */
    f->base = base;
    f->folded = 0;
    g_array_set_size(f->runs, 0);
    retention_path(path, *epoch, ckpt, sizeof ckpt);
    FILE *probe = fopen(ckpt, "r");
    if (probe) {
        fclose(probe);
        /* Its runs first: where the journal and Redis stand among them. */
        rc = retention_scan(ckpt, on_mark, f, &f->folded, why, why_cap);
        int at_base = base == 0;
        for (guint i = 0; rc == CCHC_OK && i < f->runs->len; i++) {
            const struct run *r = &g_array_index(f->runs, struct run, i);
            at_base |= r->to == base;
            if (f->applied < base && r->from < f->applied && f->applied < r->to) {
                snprintf(why, why_cap,
                         "%.150s: Redis stands at event %" PRIu64
                         ", within the run of events %" PRIu64 "..%" PRIu64
                         " its checkpoint has summed: it cannot be compared (the "
                         "aggregator rebuilds such a Redis from nothing)",
                         path, f->applied, r->from, r->to - 1);
                rc = CCHC_EINVAL;
            }
        }
        if (rc == CCHC_OK && !at_base)
            f->folded = 0; /* no run ends where the journal starts: said below */
        /* Then the sums of those runs only. */
        uint64_t later;
        if (rc == CCHC_OK)
            rc = retention_scan(ckpt, on_sum, f, &later, why, why_cap);
    }
    if (rc == CCHC_OK && base > f->folded) {
        /* Figures are totals since the start: without the first events nothing adds up. */
        snprintf(why, why_cap,
                 "%.150s: the journal starts at event %" PRIu64 " but its checkpoint (%.150s) "
                 "covers only %" PRIu64 ": the history is incomplete (ops/README.md, retention)",
                 path, base, ckpt, f->folded);
        return CCHC_EINVAL;
    }
    return rc;
}

/* Applies the corrections, guarded by the stamp read before the positions
 * were: CCHC_ESTALE when anything was written meanwhile (nothing applied). */
static int repair(struct store *s, struct compare *c, uint64_t stamp)
{
    struct rollup_batch *b = rollup_batch_new();
    /* Ascending, as rollup_batch_figures wants them. */
    size_t n = c->fixes->len;
    struct fix *fixes = (struct fix *)(void *)c->fixes->data;
    qsort(fixes, n, sizeof *fixes, by_key);
    fig_key *keys = g_new(fig_key, n + 1);
    int64_t *vals = g_new(int64_t, n + 1);
    for (size_t i = 0; i < n; i++)
        keys[i] = fixes[i].k, vals[i] = fixes[i].v;
    const char *count[] = {"HINCRBY", KEY_REPAIRS, KEY_REPAIRS_RECONCILE, "1"};
    rollup_batch_position(b, KEY_POS_STAMP, stamp, stamp + 1);
    rollup_batch_command(b, 4, count);
    int rc = rollup_batch_figures(b, c->r, keys, vals, n, expected, expected_day, always_new, c);
    char stale[192];
    if (rc == CCHC_OK && (rc = rollup_batch_send(s, KEY_POS, b, stale, sizeof stale)) == CCHC_OK)
        rc = rollup_batch_result(s, b);
    if (rc && rc != CCHC_ESTALE)
        fprintf(stderr, "error: the repair failed: %s\n",
                store_err(s) ? store_errstr(s) : cchc_strerror(rc));
    rollup_batch_free(b);
    g_free(keys);
    g_free(vals);
    return rc;
}

/* One comparison of every journal with Redis; with repair, the corrections
 * are collected and applied. *differences gets how many were found. */
static int reconcile(struct store *s, const struct units *u, char **journals, int n, int do_repair,
                     uint64_t *differences)
{
    char why[512];
    redisReply *r;
    /* Before anything is read: the repair applies only if no write moved it since. */
    if (store_command(s, &r, "HGET " KEY_POS " " KEY_POS_STAMP)) {
        fprintf(stderr, "error: %s\n", store_errstr(s));
        return CCHC_EREDIS;
    }
    uint64_t stamp = r->type == REDIS_REPLY_STRING ? strtoull(r->str, NULL, 10) : 0;
    freeReplyObject(r);
    struct feed f = {.u = u, .runs = g_array_new(FALSE, FALSE, sizeof(struct run))};
    f.expected = rollup_new(u);
    /* Today's units as the aggregator saw them (REDIS.md, KEY_VIEW). */
    if (store_command(s, &r, "HGET " KEY_VIEW " " KEY_VIEW_TODAY)) {
        fprintf(stderr, "error: %s\n", store_errstr(s));
        rollup_free(f.expected);
        g_array_free(f.runs, TRUE);
        return CCHC_EREDIS;
    }
    int64_t today;
    if (r->type == REDIS_REPLY_STRING && cchc_day_parse(r->str, &today) == CCHC_OK)
        rollup_set_today(f.expected, today);
    freeReplyObject(r);
    int rc = CCHC_OK;
    for (int i = 0; i < n && rc == CCHC_OK; i++) {
        char name[128];
        const char *eq = strchr(journals[i], '='), *path = eq + 1;
        snprintf(name, sizeof name, "%.*s", (int)(eq - journals[i]), journals[i]);
        uint64_t epoch, count;
        /* The epoch comes from the header: read it first, then the position. */
        if ((rc = feed_journal(s, name, path, &f, &epoch, &count, why, sizeof why))) {
            fprintf(stderr, "error: %s\n", why);
        } else {
            uint64_t end = count;
            printf("# %s: journal %016" PRIx64 " holds %" PRIu64 " events (%" PRIu64
                   " of them summed in its checkpoint), %" PRIu64 " applied, %" PRIu64 " not yet\n",
                   name, epoch, end, f.base, f.applied, end > f.applied ? end - f.applied : 0);
        }
    }
    struct compare c = {.s = s, .r = f.expected};
    if (do_repair)
        c.fixes = g_array_new(FALSE, FALSE, sizeof(struct fix));
    if (rc == CCHC_OK && (rc = rollup_expand(f.expected, &c.keys, &c.want, &c.n)))
        fprintf(stderr, "error: out of memory\n");
    if (rc == CCHC_OK) {
        compare_all(&c);
        if (!c.err)
            compare_months(&c);
        if (c.err) {
            fprintf(stderr, "error: %s\n", store_errstr(s));
            rc = c.err;
        } else {
            printf("# %" PRIu64 " events used, %" PRIu64 " skipped; %" PRIu64 " hashes, %" PRIu64
                   " figures checked, %" PRIu64 " differences\n",
                   f.used, f.skipped, c.hashes, c.checked, c.differences);
        }
    }
    *differences = c.differences;
    if (rc == CCHC_OK && do_repair && c.fixes->len)
        rc = repair(s, &c, stamp);
    if (do_repair)
        g_array_free(c.fixes, TRUE);
    rollup_free(f.expected);
    g_array_free(f.runs, TRUE);
    return rc;
}

int main(int argc, char **argv)
{
    cchc_log_init("cchc-reconcile");
    const char *redis_url = CCHC_REDIS_URL_DEFAULT, *units_path = units_default_path();
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
    uint64_t differences = 0;
    int rc = CCHC_ESTALE;
    for (int attempt = 0; attempt < 5 && rc == CCHC_ESTALE; attempt++) {
        rc = reconcile(s, u, rest, nrest, do_repair, &differences);
        if (rc == CCHC_ESTALE)
            printf("# the aggregator applied events during the comparison: comparing again\n");
    }
    if (rc == CCHC_OK && do_repair && differences) {
        printf("# repaired %" PRIu64 " differences; comparing again\n", differences);
        rc = reconcile(s, u, rest, nrest, 0, &differences);
    }
    if (rc == CCHC_ESTALE)
        fprintf(stderr, "error: the aggregator kept applying events; nothing was repaired: "
                        "run again at a quieter moment, or with the aggregator stopped\n");
    store_close(s);
    units_free(u);
    return rc ? 2 : differences ? 1 : 0;
}
