/* Figures to Redis commands, with no Redis: rollup_batch_figures and the
 * batch under it. The commands a batch will send are read back from its
 * wire bytes (rollup_batch_wire) with hiredis's own reader, as argv lists,
 * and compared with the hashes, packed days, rates, month indexes and
 * rankings of services/aggregator/REDIS.md, every expected value written
 * out here by hand. */
#include "figures/rollup_write.h"
#include "base/err.h"
#include "base/period.h"

#include <hiredis/hiredis.h>
#include <hiredis/read.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#define PAIRS_MAX 1000 /* fields of one HSET, members of one ZADD */

static struct units *units;

/* A province, a district under it and a commune under that. */
enum { P, D, C };
static const char *const unit_ids[] = {"p", "p.d", "p.d.c"};
static const char registry[] = "p\tprovince\tgovernment\tTỉnh P\n"
                               "p.d\tdistrict\tgovernment\tHuyện D\n"
                               "p.d.c\tcommune\tgovernment\tXã C\n";
#define L_DISTRICT (1 + UNIT_DISTRICT) /* a fig_key's level of a district part */
#define L_COMMUNE (1 + UNIT_COMMUNE)

static int setup(void **unused)
{
    char why[512];
    if (units_load_text("registry", registry, &units, why, sizeof why)) {
        fprintf(stderr, "%s\n", why);
        return -1;
    }
    return 0;
}

static int teardown(void **unused)
{
    units_free(units);
    return 0;
}

/* ---- the wire, read back as commands ---- */

struct cmd {
    size_t argc;
    char **argv; /* NUL-terminated copies; len[i] counts the bytes */
    size_t *len;
};

struct wire {
    size_t n;
    struct cmd *c;
};

/* Every command of b, parsed by hiredis's reader: each must be an array of
 * bulk strings, the bytes must end with a whole command, and there must be
 * as many as the batch says. */
static struct wire parse(const struct rollup_batch *b)
{
    size_t len = 99, ncmds = 99;
    const char *p = rollup_batch_wire(b, &len, &ncmds);
    struct wire w = {0, NULL};
    redisReader *rd = redisReaderCreate();
    assert_non_null(rd);
    if (len)
        assert_int_equal(redisReaderFeed(rd, p, len), REDIS_OK);
    for (;;) {
        void *v = NULL;
        if (redisReaderGetReply(rd, &v) != REDIS_OK)
            fail_msg("command %zu: not RESP: %s", w.n, rd->errstr);
        if (!v)
            break;
        redisReply *r = v;
        if (r->type != REDIS_REPLY_ARRAY || r->elements == 0)
            fail_msg("command %zu: reply type %d, want a non-empty array", w.n, r->type);
        w.c = realloc(w.c, (w.n + 1) * sizeof *w.c);
        assert_non_null(w.c);
        struct cmd *c = &w.c[w.n++];
        c->argc = r->elements;
        c->argv = calloc(r->elements, sizeof *c->argv);
        c->len = calloc(r->elements, sizeof *c->len);
        assert_non_null(c->argv);
        assert_non_null(c->len);
        for (size_t i = 0; i < r->elements; i++) {
            const redisReply *e = r->element[i];
            if (e->type != REDIS_REPLY_STRING)
                fail_msg("command %zu argument %zu: type %d, want a bulk string", w.n - 1, i,
                         e->type);
            c->argv[i] = malloc(e->len + 1);
            assert_non_null(c->argv[i]);
            memcpy(c->argv[i], e->str, e->len);
            c->argv[i][e->len] = 0;
            c->len[i] = e->len;
        }
        freeReplyObject(r);
    }
    if (rd->len != rd->pos)
        fail_msg("%zu bytes after the last whole command", rd->len - rd->pos);
    redisReaderFree(rd);
    if (w.n != ncmds)
        fail_msg("%zu commands in the wire, the batch says %zu", w.n, ncmds);
    return w;
}

static void wire_free(struct wire *w)
{
    for (size_t i = 0; i < w->n; i++) {
        for (size_t j = 0; j < w->c[i].argc; j++)
            free(w->c[i].argv[j]);
        free(w->c[i].argv);
        free(w->c[i].len);
    }
    free(w->c);
    w->c = NULL;
    w->n = 0;
}

static int arg_is(const struct cmd *c, size_t i, const char *s)
{
    return i < c->argc && c->len[i] == strlen(s) && memcmp(c->argv[i], s, c->len[i]) == 0;
}

/* c is exactly argv[0..argc). */
static void cmd_is(const struct cmd *c, size_t argc, const char *const *argv)
{
    if (c->argc != argc)
        fail_msg("%s %s...: %zu arguments, want %zu", c->argv[0], c->argc > 1 ? c->argv[1] : "",
                 c->argc, argc);
    for (size_t i = 0; i < argc; i++)
        if (!arg_is(c, i, argv[i]))
            fail_msg("%s argument %zu: '%s', want '%s'", argv[0], i, c->argv[i], argv[i]);
}

/* Commands `cmd key ...` in w. */
static size_t count_cmds(const struct wire *w, const char *cmd, const char *key)
{
    size_t n = 0;
    for (size_t i = 0; i < w->n; i++)
        n += arg_is(&w->c[i], 0, cmd) && arg_is(&w->c[i], 1, key);
    return n;
}

/* The pairs of the i-th command `cmd key ...` of w. */
static size_t pairs_of(const struct wire *w, const char *cmd, const char *key, size_t i)
{
    for (size_t j = 0, k = 0; j < w->n; j++)
        if (arg_is(&w->c[j], 0, cmd) && arg_is(&w->c[j], 1, key) && k++ == i)
            return (w->c[j].argc - 2) / 2;
    fail_msg("%s %s: no command %zu", cmd, key, i);
    return 0;
}

/* ---- what the commands must set, by hand ---- */

/* HSET key a z: field a gets value z; ZADD key z a: member a gets score z. */
struct want {
    char cmd[8], key[128], a[128], z[512];
    int seen;
};
static struct want want[4096];
static size_t nwant;

static void want_pair(const char *cmd, const char *key, const char *a, const char *z)
{
    assert_true(nwant < sizeof want / sizeof *want);
    struct want *w = &want[nwant++];
    snprintf(w->cmd, sizeof w->cmd, "%s", cmd);
    snprintf(w->key, sizeof w->key, "%s", key);
    snprintf(w->a, sizeof w->a, "%s", a);
    snprintf(w->z, sizeof w->z, "%s", z);
    w->seen = 0;
}

static void want_i64(const char *cmd, const char *key, const char *a, int64_t v)
{
    char z[32];
    snprintf(z, sizeof z, "%" PRId64, v);
    want_pair(cmd, key, a, z);
}

static struct want *want_find(const char *cmd, const char *key, const char *a, size_t alen)
{
    for (size_t i = 0; i < nwant; i++)
        if (strcmp(want[i].cmd, cmd) == 0 && strcmp(want[i].key, key) == 0 &&
            strlen(want[i].a) == alen && memcmp(want[i].a, a, alen) == 0)
            return &want[i];
    return NULL;
}

/* Every command of w is an HSET or ZADD of at most PAIRS_MAX pairs, each
 * pair one of want, with its value, once; and every pair of want is there. */
static void check_pairs(const struct wire *w)
{
    for (size_t i = 0; i < w->n; i++) {
        const struct cmd *c = &w->c[i];
        int hset = arg_is(c, 0, "HSET"), zadd = arg_is(c, 0, "ZADD");
        if (!hset && !zadd)
            fail_msg("command %zu: unexpected %s", i, c->argv[0]);
        if (c->argc < 4 || c->argc % 2)
            fail_msg("command %zu: %s %s with %zu arguments", i, c->argv[0], c->argv[1], c->argc);
        size_t pairs = (c->argc - 2) / 2;
        if (pairs > PAIRS_MAX)
            fail_msg("command %zu: %s %s with %zu pairs, more than %d", i, c->argv[0], c->argv[1],
                     pairs, PAIRS_MAX);
        for (size_t j = 2; j < c->argc; j += 2) {
            /* HSET: field value; ZADD: score member */
            size_t a = hset ? j : j + 1, z = hset ? j + 1 : j;
            struct want *x = want_find(c->argv[0], c->argv[1], c->argv[a], c->len[a]);
            if (!x)
                fail_msg("%s %s: unexpected '%s' = '%s'", c->argv[0], c->argv[1], c->argv[a],
                         c->argv[z]);
            if (x->seen++)
                fail_msg("%s %s: '%s' twice", c->argv[0], c->argv[1], c->argv[a]);
            if (!arg_is(c, z, x->z))
                fail_msg("%s %s '%s': '%s', want '%s'", c->argv[0], c->argv[1], c->argv[a],
                         c->argv[z], x->z);
        }
    }
    for (size_t i = 0; i < nwant; i++)
        if (!want[i].seen)
            fail_msg("%s %s: '%s' = '%s' missing", want[i].cmd, want[i].key, want[i].a, want[i].z);
}

/* ---- the Redis the test pretends is there ---- */

struct world {
    struct rollup *r;
    const fig_key *keys; /* the batch: what rollup_expand gave */
    const int64_t *deltas;
    size_t n;
    fig_key before_k[32]; /* what Redis held before it */
    int64_t before_v[32];
    size_t nbefore;
    uint32_t day;     /* the period id of the one day of the events */
    size_t asked_new; /* new_day calls */
    fig_key day_keys[32];
};

static int64_t before_of(const struct world *w, fig_key k)
{
    for (size_t i = 0; i < w->nbefore; i++)
        if (w->before_k[i] == k)
            return w->before_v[i];
    return 0;
}

/* What the hash holds for k once the batch is applied. */
static int64_t value_after(void *arg, fig_key k)
{
    const struct world *w = arg;
    int64_t v = before_of(w, k);
    for (size_t i = 0; i < w->n; i++)
        if (w->keys[i] == k)
            v += w->deltas[i];
    return v;
}

/* Every figure of a day: those of the batch (Redis held none of the day). */
static size_t day_figures(void *arg, uint64_t hash, const fig_key **keys)
{
    struct world *w = arg;
    size_t n = 0;
    if (FIG_HASH_PERIOD(hash) != w->day)
        fail_msg("day_figures asked about period %u, not the day", FIG_HASH_PERIOD(hash));
    for (size_t i = 0; i < w->n; i++)
        if (FIG_HASH(w->keys[i]) == hash) {
            assert_true(n < 32);
            w->day_keys[n++] = w->keys[i];
        }
    /* in an order of their own: the writer sorts them by name */
    for (size_t i = 0; i < n / 2; i++) {
        fig_key t = w->day_keys[i];
        w->day_keys[i] = w->day_keys[n - 1 - i];
        w->day_keys[n - 1 - i] = t;
    }
    *keys = w->day_keys;
    return n;
}

static size_t no_days(void *arg, uint64_t hash, const fig_key **keys)
{
    fail_msg("day_figures asked about hash %llx: the batch has no day", (unsigned long long)hash);
    return 0;
}

/* The days of p.d.c and p are new to Redis, that of p.d is not. */
static int new_day(void *arg, uint64_t hash)
{
    struct world *w = arg;
    w->asked_new++;
    if (FIG_HASH_PERIOD(hash) != w->day)
        fail_msg("new_day asked about period %u, not a day", FIG_HASH_PERIOD(hash));
    return FIG_HASH_UNIT(hash) == C || FIG_HASH_UNIT(hash) == P;
}

static int64_t zero(void *arg, fig_key k)
{
    return 0;
}

static int never_new(void *arg, uint64_t hash)
{
    return 0;
}

static fig_key key_of(struct rollup *r, int unit, const char *period, int level, const char *metric)
{
    uint32_t pid, mid;
    assert_int_equal(rollup_period_id(r, period, &pid), CCHC_OK);
    assert_int_equal(rollup_metric_id(r, metric, strlen(metric), &mid), CCHC_OK);
    return FIG_KEY(pid, unit, level, mid);
}

static int by_key(const void *a, const void *b)
{
    fig_key x = *(const fig_key *)a, y = *(const fig_key *)b;
    return x < y ? -1 : x > y;
}

/* ---- 1. events to hashes, days, rates, month indexes and rankings ---- */

/* The six periods of 2022-01-10 (local): the day, and the official month
 * (2021-12-15 .. 2022-01-14), quarter, half and year, and all. The month
 * begins 18976 days after 1970-01-01 (2021-12-15: 1639526400 s / 86400). */
static const char *const periods[] = {"2022-01-10", "2022-01", "2022-Q1", "2022-H1", "2022", "all"};
#define MONTH_NUMBER "18976"

/* What Redis held before the batch (the rest: nothing). */
static const struct held {
    int unit;
    const char *period;
    int level;
    const char *metric;
    int64_t v;
} held[] = {
    {P, "2022", 0, "resolved", 19996},
    {P, "2022", 0, "resolved_early", 9000},
    {P, "2022", 0, "resolved_on_time", 10997},
    {P, "all", 0, "resolved", 49996},
    {P, "2022-H1", 0, "resolved", -10},
    {D, "2022", 0, "resolved", 19996},
    {D, "2022", 0, "resolved_early", 1},
    {D, "2022-Q1", L_DISTRICT, "resolved", 2},
    {D, "2022-Q1", L_DISTRICT, "resolved_on_time", 2}, /* not in the batch */
    {D, "2022-01", 0, "received", -10},
    {C, "all", 0, "resolved_on_time", 1},
};

/* The fields the two events change in each hash of a unit (in its six
 * periods alike, but that a commune's official periods are not split by
 * level) and their sums: the commune's event reaches p.d.c, p.d and p, the
 * district's p.d and p only. */
struct field {
    const char *name;
    int64_t v;
};
static const struct field fields_c[] = {
    {"received", 4},         {"commune:received", 4},
    {"resolved", 3},         {"commune:resolved", 3},
    {"resolved_early", 1},   {"commune:resolved_early", 1},
    {"resolved_on_time", 1}, {"commune:resolved_on_time", 1},
    {"received.online", 2},  {"commune:received.online", 2},
};
static const struct field fields_dp[] = {
    {"received", 5},          {"commune:received", 4},
    {"district:received", 1}, {"resolved", 4},
    {"commune:resolved", 3},  {"district:resolved", 1},
    {"resolved_early", 1},    {"commune:resolved_early", 1},
    {"resolved_on_time", 1},  {"commune:resolved_on_time", 1},
    {"received.online", 2},   {"commune:received.online", 2},
};

/* Where Redis held something, the value after the batch: the sum above
 * plus what was held. */
static const struct after {
    int unit;
    const char *period, *field;
    int64_t v;
} after[] = {
    {P, "2022", "resolved", 4 + 19996},         {P, "2022", "resolved_early", 1 + 9000},
    {P, "2022", "resolved_on_time", 1 + 10997}, {P, "all", "resolved", 4 + 49996},
    {P, "2022-H1", "resolved", 4 - 10},         {D, "2022", "resolved", 4 + 19996},
    {D, "2022", "resolved_early", 1 + 1},       {D, "2022-Q1", "district:resolved", 1 + 2},
    {D, "2022-01", "received", 5 - 10},         {C, "all", "resolved_on_time", 1 + 1},
};

static int64_t after_of(int unit, const char *period, const struct field *f)
{
    for (size_t i = 0; i < sizeof after / sizeof *after; i++)
        if (after[i].unit == unit && strcmp(after[i].period, period) == 0 &&
            strcmp(after[i].field, f->name) == 0)
            return after[i].v;
    return f->v;
}

/* The rates of every official hash: on_time_pct, and but for the commune
 * district:on_time_pct, commune:on_time_pct, (early + on time) / resolved of
 * what the hash holds after the batch, as the forms print them. */
static const struct rates {
    int unit;
    const char *period, *total, *district, *commune;
} rates[] = {
    /* 2/3 = 66.666..% -> 66.67; a commune's hash is not split */
    {C, "2022-01", "66.67", NULL, NULL},
    {C, "2022-Q1", "66.67", NULL, NULL},
    {C, "2022-H1", "66.67", NULL, NULL},
    {C, "2022", "66.67", NULL, NULL},
    {C, "all", "100.00", NULL, NULL}, /* 3/3: all of them */
    /* 2/4; the district's one resolved, not on time: 0/1 -> 0.00 */
    /* no district part: nothing resolved -> "" */
    {D, "2022-01", "50.00", "0.00", "66.67"},
    {D, "2022-Q1", "50.00", "66.67", "66.67"}, /* district 2/3: on time held in Redis */
    {D, "2022-H1", "50.00", "0.00", "66.67"},
    {D, "2022", "0.02", "0.00", "66.67"}, /* 3/20000 = 1.5 bp, half up */
    {D, "all", "50.00", "0.00", "66.67"},
    {P, "2022-01", "50.00", "0.00", "66.67"},
    {P, "2022-Q1", "50.00", "0.00", "66.67"},
    {P, "2022-H1", "", "0.00", "66.67"},   /* resolved -6: no rate */
    {P, "2022", "99.99", "0.00", "66.67"}, /* 19999/20000 = 99.995: not 100.00 */
    {P, "all", "0.01", "0.00", "66.67"},   /* 2/50000 = 0.4 bp: not 0.00 */
};

/* A day's packed figures (REDIS.md), in byte order of the figure. */
static const char packed_c[] =
    "commune:received=4 commune:received.online=2 commune:resolved=3 commune:resolved_early=1 "
    "commune:resolved_on_time=1 received=4 received.online=2 resolved=3 resolved_early=1 "
    "resolved_on_time=1";
static const char packed_dp[] =
    "commune:received=4 commune:received.online=2 commune:resolved=3 commune:resolved_early=1 "
    "commune:resolved_on_time=1 district:received=1 district:resolved=1 received=5 "
    "received.online=2 resolved=4 resolved_early=1 resolved_on_time=1";

static const char *rate_of(int unit, const char *period)
{
    for (size_t i = 0; i < sizeof rates / sizeof *rates; i++)
        if (rates[i].unit == unit && strcmp(rates[i].period, period) == 0)
            return rates[i].total;
    fail_msg("no rate of %s %s", unit_ids[unit], period);
    return NULL;
}

static void want_events(void)
{
    char key[128];
    nwant = 0;
    for (int u = P; u <= C; u++) {
        snprintf(key, sizeof key, "cchc:v2:days:%s:2022-01", unit_ids[u]);
        want_pair("HSET", key, "2022-01-10", u == C ? packed_c : packed_dp);
        for (size_t p = 1; p < 6; p++) {
            snprintf(key, sizeof key, "cchc:v2:fig:%s:%s", unit_ids[u], periods[p]);
            const struct field *f = u == C ? fields_c : fields_dp;
            size_t nf =
                u == C ? sizeof fields_c / sizeof *fields_c : sizeof fields_dp / sizeof *fields_dp;
            for (size_t i = 0; i < nf; i++)
                if (u != C || !strchr(f[i].name, ':'))
                    want_i64("HSET", key, f[i].name, after_of(u, periods[p], &f[i]));
            /* rankings among the unit's siblings, but for the root */
            const char *parent = u == C ? "p.d" : "p", *level = u == C ? "commune" : "district";
            char rank[128];
            for (size_t i = 0; u != P && i < nf; i++)
                if (strcmp(f[i].name, "received") == 0 || strcmp(f[i].name, "resolved") == 0) {
                    snprintf(rank, sizeof rank, "cchc:v2:rank:%s:%s:%s:%s", parent, level,
                             periods[p], f[i].name);
                    want_i64("ZADD", rank, unit_ids[u], after_of(u, periods[p], &f[i]));
                }
            if (u != P) {
                snprintf(rank, sizeof rank, "cchc:v2:rank:%s:%s:%s:on_time_pct", parent, level,
                         periods[p]);
                want_pair("ZADD", rank, unit_ids[u], rate_of(u, periods[p]));
            }
        }
    }
    for (size_t i = 0; i < sizeof rates / sizeof *rates; i++) {
        snprintf(key, sizeof key, "cchc:v2:fig:%s:%s", unit_ids[rates[i].unit], rates[i].period);
        want_pair("HSET", key, "on_time_pct", rates[i].total);
        if (rates[i].district)
            want_pair("HSET", key, "district:on_time_pct", rates[i].district);
        if (rates[i].commune)
            want_pair("HSET", key, "commune:on_time_pct", rates[i].commune);
    }
    want_pair("ZADD", "cchc:v2:months:p.d.c", "2022-01", MONTH_NUMBER);
    want_pair("ZADD", "cchc:v2:months:p", "2022-01", MONTH_NUMBER);
}

static struct proto_event event(const char *at, size_t nm, const char *const *names,
                                const int64_t *values)
{
    struct proto_event pe;
    memset(&pe, 0, sizeof pe);
    assert_int_equal(cchc_time_parse(at, strlen(at), &pe.at_ms), CCHC_OK);
    for (size_t i = 0; i < nm; i++) {
        pe.m[i].name = (struct proto_str){names[i], (uint32_t)strlen(names[i])};
        pe.m[i].value = values[i];
    }
    pe.nm = (uint32_t)nm;
    return pe;
}

static void test_events(void **unused)
{
    struct world w;
    memset(&w, 0, sizeof w);
    w.r = rollup_new(units);
    static const char *const cm[] = {"received", "resolved", "resolved_early", "resolved_on_time",
                                     "received.online"};
    static const int64_t cv[] = {4, 3, 1, 1, 2};
    static const char *const dm[] = {"received", "resolved"};
    static const int64_t dv[] = {1, 1};
    struct proto_event ec = event("2022-01-10T09:00:00+07:00", 5, cm, cv);
    struct proto_event ed = event("2022-01-10T23:59:59+07:00", 2, dm, dv);
    assert_int_equal(rollup_event(w.r, C, &ec), CCHC_OK);
    assert_int_equal(rollup_event(w.r, D, &ed), CCHC_OK);
    assert_int_equal(rollup_expand(w.r, &w.keys, &w.deltas, &w.n), CCHC_OK);
    /* p.d.c: its day with 10 figures, 5 official hashes with 5; p.d and p:
     * 6 hashes of 12 each */
    assert_int_equal(w.n, 10 + 5 * 5 + 12 * 12);
    assert_int_equal(rollup_period_id(w.r, "2022-01-10", &w.day), CCHC_OK);
    for (size_t i = 0; i < sizeof held / sizeof *held; i++) {
        w.before_k[w.nbefore] =
            key_of(w.r, held[i].unit, held[i].period, held[i].level, held[i].metric);
        w.before_v[w.nbefore++] = held[i].v;
    }
    int64_t *vals = malloc(w.n * sizeof *vals);
    assert_non_null(vals);
    for (size_t i = 0; i < w.n; i++)
        vals[i] = before_of(&w, w.keys[i]) + w.deltas[i];

    struct rollup_batch *b = rollup_batch_new();
    assert_int_equal(rollup_batch_position(b, "stamp", 7, 8), CCHC_OK);
    assert_int_equal(
        rollup_batch_figures(b, w.r, w.keys, vals, w.n, value_after, day_figures, new_day, &w),
        CCHC_OK);
    assert_int_equal(w.asked_new, 3); /* the day of each unit, once */

    struct wire wr = parse(b);
    want_events();
    check_pairs(&wr);
    /* one HSET per day and official hash, one ZADD per month index and per
     * ranking (3 indicators of p.d.c among p.d's children and of p.d among
     * p's, in 5 periods): 3 + 15 + 2 + 30 */
    assert_int_equal(wr.n, 3 + 15 + 2 + 30);
    for (int u = P; u <= C; u++)
        for (size_t p = 1; p < 6; p++) {
            char key[128];
            snprintf(key, sizeof key, "cchc:v2:fig:%s:%s", unit_ids[u], periods[p]);
            assert_int_equal(count_cmds(&wr, "HSET", key), 1);
        }
    assert_int_equal(count_cmds(&wr, "HSET", "cchc:v2:days:p.d.c:2022-01"), 1);
    assert_int_equal(count_cmds(&wr, "ZADD", "cchc:v2:months:p.d.c"), 1);
    assert_int_equal(count_cmds(&wr, "ZADD", "cchc:v2:months:p.d"), 0);
    assert_int_equal(count_cmds(&wr, "ZADD", "cchc:v2:rank:p.d:commune:2022:received"), 1);
    assert_int_equal(count_cmds(&wr, "ZADD", "cchc:v2:rank:p:district:all:on_time_pct"), 1);
    wire_free(&wr);
    rollup_batch_free(b);
    free(vals);
    rollup_free(w.r);
}

/* ---- 2. a hash of more than PAIRS_MAX fields: several HSETs ---- */

static int64_t split_value(size_t i)
{
    return (i % 2 ? -1 : 1) * (int64_t)i * 1000003;
}

/* The commands of key hold total pairs: as many full ones as fit, then the rest. */
static void chunks(const struct wire *w, const char *key, size_t total)
{
    size_t n = (total + PAIRS_MAX - 1) / PAIRS_MAX;
    assert_int_equal(count_cmds(w, "HSET", key), n);
    for (size_t k = 0; k < n; k++)
        assert_int_equal(pairs_of(w, "HSET", key, k),
                         k + 1 < n ? PAIRS_MAX : total - k * PAIRS_MAX);
}

/* A year hash of nday fields and an `all` hash of nall fields, of a
 * district: each with its 3 rates. */
static void split(size_t nday, size_t nall)
{
    struct rollup *r = rollup_new(units);
    size_t n = nday + nall;
    fig_key *keys = malloc(n * sizeof *keys);
    int64_t *vals = malloc(n * sizeof *vals);
    assert_non_null(keys);
    assert_non_null(vals);
    char name[48];
    nwant = 0;
    /* not indicators ranked, and nothing resolved: no rankings */
    for (size_t i = 0; i < nday; i++) {
        snprintf(name, sizeof name, "year.m%zu", i);
        keys[i] = key_of(r, D, "2022", 0, name);
        want_i64("HSET", "cchc:v2:fig:p.d:2022", name, split_value(i));
    }
    for (size_t i = 0; i < nall; i++) {
        snprintf(name, sizeof name, "all.m%zu", i);
        keys[nday + i] = key_of(r, D, "all", L_COMMUNE, name);
        snprintf(name, sizeof name, "commune:all.m%zu", i);
        want_i64("HSET", "cchc:v2:fig:p.d:all", name, split_value(nday + i));
    }
    const char *const hashes[] = {"cchc:v2:fig:p.d:2022", "cchc:v2:fig:p.d:all"};
    for (int h = 0; h < 2; h++) {
        want_pair("HSET", hashes[h], "on_time_pct", "");
        want_pair("HSET", hashes[h], "district:on_time_pct", "");
        want_pair("HSET", hashes[h], "commune:on_time_pct", "");
    }
    /* the values follow their keys into ascending order */
    fig_key *sorted = malloc(n * sizeof *sorted);
    assert_non_null(sorted);
    memcpy(sorted, keys, n * sizeof *keys);
    qsort(sorted, n, sizeof *sorted, by_key);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            if (keys[j] == sorted[i]) {
                vals[i] = split_value(j);
                break;
            }

    struct rollup_batch *b = rollup_batch_new();
    assert_int_equal(rollup_batch_figures(b, r, sorted, vals, n, zero, no_days, never_new, NULL),
                     CCHC_OK);
    struct wire w = parse(b);
    check_pairs(&w); /* none over PAIRS_MAX, none lost, none twice */
    chunks(&w, "cchc:v2:fig:p.d:2022", nday + 3);
    chunks(&w, "cchc:v2:fig:p.d:all", nall + 3);
    wire_free(&w);
    rollup_batch_free(b);
    free(sorted);
    free(keys);
    free(vals);
    rollup_free(r);
}

static void test_split(void **unused)
{
    split(1001, 2001); /* 1000 + 4; 1000 + 1000 + 4 */
    split(997, 998);   /* exactly full: 997 and the rates: 1000; the rates overflow: 1000 + 1 */
    split(1, 999);     /* 4; 1000 + 2 */
}

/* ---- 3. the batch itself: whole commands, clear, positions ---- */

static void test_batch(void **unused)
{
    struct rollup_batch *b = rollup_batch_new();
    size_t len = 99, ncmds = 99;
    rollup_batch_wire(b, &len, &ncmds);
    assert_int_equal(len, 0);
    assert_int_equal(ncmds, 0);

    assert_int_equal(rollup_batch_position(b, "stamp", 41, 42), CCHC_OK);
    assert_int_equal(rollup_batch_position(b, "dossier/00000000000000ab", 0, 1234567), CCHC_OK);
    /* pairs of the same key join one command; an open command is not in
     * the wire until closed */
    rollup_batch_open(b, "HSET", "cchc:v2:fig:p:all");
    rollup_batch_pair(b, "a", 1, "1", 1);
    rollup_batch_open(b, "HSET", "cchc:v2:fig:p:all");
    rollup_batch_pair(b, "b\0c", 3, "", 0); /* bytes, not C strings */
    rollup_batch_wire(b, &len, &ncmds);
    assert_int_equal(len, 0);
    assert_int_equal(ncmds, 0);
    /* a whole command ends the open one first */
    const char *incr[] = {"HINCRBY", "cchc:v2:repairs", "reconcile", "1"};
    assert_int_equal(rollup_batch_command(b, 4, incr), CCHC_OK);
    const char *odd[] = {"SET", "k y", "", "a\r\n$3\r\nb"};
    assert_int_equal(rollup_batch_command(b, 4, odd), CCHC_OK);
    rollup_batch_open(b, "ZADD", "cchc:v2:days:p");
    rollup_batch_score_i64(b, 19002, "2022-01-10");
    rollup_batch_open(b, "HSET", "cchc:v2:fig:p:2022"); /* another key: another command */
    rollup_batch_pair_i64(b, "x", 5);
    rollup_batch_close(b);
    rollup_batch_close(b); /* nothing open: nothing */

    struct wire w = parse(b);
    assert_int_equal(w.n, 5);
    assert_int_equal(w.c[0].argc, 6);
    assert_true(arg_is(&w.c[0], 0, "HSET") && arg_is(&w.c[0], 1, "cchc:v2:fig:p:all"));
    assert_true(arg_is(&w.c[0], 2, "a") && arg_is(&w.c[0], 3, "1"));
    assert_int_equal(w.c[0].len[4], 3);
    assert_memory_equal(w.c[0].argv[4], "b\0c", 3);
    assert_int_equal(w.c[0].len[5], 0);
    cmd_is(&w.c[1], 4, incr);
    cmd_is(&w.c[2], 4, odd);
    const char *days[] = {"ZADD", "cchc:v2:days:p", "19002", "2022-01-10"};
    cmd_is(&w.c[3], 4, days);
    const char *fig[] = {"HSET", "cchc:v2:fig:p:2022", "x", "5"};
    cmd_is(&w.c[4], 4, fig);
    wire_free(&w);

    /* positions go in the HMGET and HSET of the send, not among the commands */
    const char *wire = rollup_batch_wire(b, &len, &ncmds);
    assert_null(memmem(wire, len, "dossier", 7));
    assert_null(memmem(wire, len, "stamp", 5));
    assert_null(memmem(wire, len, "1234567", 7));

    /* clear empties the batch, an open command included */
    rollup_batch_open(b, "HSET", "cchc:v2:fig:p.d:all");
    rollup_batch_pair(b, "gone", 4, "1", 1);
    rollup_batch_clear(b);
    rollup_batch_wire(b, &len, &ncmds);
    assert_int_equal(len, 0);
    assert_int_equal(ncmds, 0);
    rollup_batch_close(b);
    rollup_batch_wire(b, &len, &ncmds);
    assert_int_equal(len, 0);
    assert_int_equal(ncmds, 0);
    /* and is good for a new batch */
    rollup_batch_open(b, "HSET", "cchc:v2:fig:p.d:all");
    rollup_batch_pair(b, "kept", 4, "2", 1);
    rollup_batch_close(b);
    w = parse(b);
    assert_int_equal(w.n, 1);
    const char *kept[] = {"HSET", "cchc:v2:fig:p.d:all", "kept", "2"};
    cmd_is(&w.c[0], 4, kept);
    wire_free(&w);
    rollup_batch_free(b);
    rollup_batch_free(NULL);
}

/* ---- 4. numbers in decimal, sign and extremes ---- */

static const struct num {
    int64_t v;
    const char *s;
} nums[] = {
    {0, "0"},
    {1, "1"},
    {-1, "-1"},
    {9, "9"},
    {10, "10"},
    {-10, "-10"},
    {-2147483649LL, "-2147483649"},
    {4294967296LL, "4294967296"},
    {INT64_MAX, "9223372036854775807"},
    {-INT64_MAX, "-9223372036854775807"},
    {INT64_MIN, "-9223372036854775808"},
};
#define NNUMS (sizeof nums / sizeof *nums)

static void test_numbers(void **unused)
{
    struct rollup_batch *b = rollup_batch_new();
    rollup_batch_open(b, "HSET", "h");
    for (size_t i = 0; i < NNUMS; i++)
        rollup_batch_pair_i64(b, "f", nums[i].v);
    rollup_batch_open(b, "ZADD", "z");
    for (size_t i = 0; i < NNUMS; i++)
        rollup_batch_score_i64(b, nums[i].v, "m");
    rollup_batch_close(b);
    struct wire w = parse(b);
    assert_int_equal(w.n, 2);
    assert_int_equal(w.c[0].argc, 2 + 2 * NNUMS);
    assert_int_equal(w.c[1].argc, 2 + 2 * NNUMS);
    for (size_t i = 0; i < NNUMS; i++) {
        assert_true(arg_is(&w.c[0], 2 + 2 * i, "f"));
        if (!arg_is(&w.c[0], 3 + 2 * i, nums[i].s))
            fail_msg("HSET value %s printed '%s'", nums[i].s, w.c[0].argv[3 + 2 * i]);
        if (!arg_is(&w.c[1], 2 + 2 * i, nums[i].s))
            fail_msg("ZADD score %s printed '%s'", nums[i].s, w.c[1].argv[2 + 2 * i]);
        assert_true(arg_is(&w.c[1], 3 + 2 * i, "m"));
    }
    wire_free(&w);
    rollup_batch_clear(b);

    /* through rollup_batch_figures: the hash (no indicator ranked) */
    struct rollup *r = rollup_new(units);
    fig_key keys[NNUMS];
    int64_t vals[NNUMS];
    char name[32];
    nwant = 0;
    for (size_t i = 0; i < NNUMS; i++) {
        snprintf(name, sizeof name, "n%zu", i);
        keys[i] = key_of(r, D, "2022-Q1", 0, name);
        vals[i] = nums[i].v;
        want_pair("HSET", "cchc:v2:fig:p.d:2022-Q1", name, nums[i].s);
    }
    want_pair("HSET", "cchc:v2:fig:p.d:2022-Q1", "on_time_pct", "");
    want_pair("HSET", "cchc:v2:fig:p.d:2022-Q1", "district:on_time_pct", "");
    want_pair("HSET", "cchc:v2:fig:p.d:2022-Q1", "commune:on_time_pct", "");
    assert_int_equal(rollup_batch_figures(b, r, keys, vals, NNUMS, zero, no_days, never_new, NULL),
                     CCHC_OK);
    w = parse(b);
    check_pairs(&w);
    assert_int_equal(w.n, 1);
    wire_free(&w);
    rollup_batch_free(b);
    rollup_free(r);
}

/* Days of one unit's month, whatever their order among the keys, go into
 * one HSET of its days hash; each month new to Redis into its index once. */
static fig_key month_keys[3];
static size_t one_day(void *arg, uint64_t hash, const fig_key **keys)
{
    for (int i = 0; i < 3; i++)
        if (FIG_HASH(month_keys[i]) == hash) {
            *keys = &month_keys[i];
            return 1;
        }
    fail_msg("not a day of the batch");
    return 0;
}

static int always(void *arg, uint64_t hash)
{
    return 1;
}

static void test_days_by_month(void **unused)
{
    struct rollup *r = rollup_new(units);
    /* 2022-01-12 is named first: its period id comes before 2022-01-10's */
    month_keys[0] = key_of(r, C, "2022-01-12", 0, "received");
    month_keys[1] = key_of(r, C, "2022-01-20", 0, "received"); /* the month 2022-02 */
    month_keys[2] = key_of(r, C, "2022-01-10", 0, "received");
    fig_key keys[3];
    memcpy(keys, month_keys, sizeof keys);
    qsort(keys, 3, sizeof *keys, by_key);
    int64_t vals[3] = {0, 0, 0};
    struct rollup_batch *b = rollup_batch_new();
    assert_int_equal(rollup_batch_figures(b, r, keys, vals, 3, zero, one_day, always, NULL),
                     CCHC_OK);
    struct wire w = parse(b);
    nwant = 0;
    want_pair("HSET", "cchc:v2:days:p.d.c:2022-01", "2022-01-10", "received=0");
    want_pair("HSET", "cchc:v2:days:p.d.c:2022-01", "2022-01-12", "received=0");
    want_pair("HSET", "cchc:v2:days:p.d.c:2022-02", "2022-01-20", "received=0");
    want_pair("ZADD", "cchc:v2:months:p.d.c", "2022-01", "18976");
    want_pair("ZADD", "cchc:v2:months:p.d.c", "2022-02", "19007"); /* 2022-01-15 */
    check_pairs(&w);
    assert_int_equal(count_cmds(&w, "HSET", "cchc:v2:days:p.d.c:2022-01"), 1);
    assert_int_equal(count_cmds(&w, "HSET", "cchc:v2:days:p.d.c:2022-02"), 1);
    assert_int_equal(w.n, 4);
    wire_free(&w);
    rollup_batch_free(b);
    rollup_free(r);
}

/* A unit whose resolved went back to none (a repair) loses its rate's
 * score; one that never resolved anything gets none. */
static void test_rate_gone(void **unused)
{
    struct rollup *r = rollup_new(units);
    fig_key keys[2] = {key_of(r, C, "2022", 0, "resolved"), key_of(r, D, "2022", 0, "received")};
    int64_t vals[2] = {0, 3};
    if (keys[1] < keys[0]) {
        fig_key t = keys[0];
        keys[0] = keys[1], keys[1] = t;
        vals[0] = 3, vals[1] = 0;
    }
    struct rollup_batch *b = rollup_batch_new();
    assert_int_equal(rollup_batch_figures(b, r, keys, vals, 2, zero, no_days, never_new, NULL),
                     CCHC_OK);
    struct wire w = parse(b);
    size_t zrem = 0;
    for (size_t i = 0; i < w.n; i++)
        if (arg_is(&w.c[i], 0, "ZREM")) {
            const char *zrem_cmd[] = {"ZREM", "cchc:v2:rank:p.d:commune:2022:on_time_pct", "p.d.c"};
            cmd_is(&w.c[i], 3, zrem_cmd);
            zrem++;
        } else if (arg_is(&w.c[i], 0, "ZADD")) {
            /* the totals ranked; no rate of either */
            assert_true(arg_is(&w.c[i], 1, "cchc:v2:rank:p.d:commune:2022:resolved") ||
                        arg_is(&w.c[i], 1, "cchc:v2:rank:p:district:2022:received"));
        }
    assert_int_equal(zrem, 1);
    wire_free(&w);
    rollup_batch_free(b);
    rollup_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_events),    cmocka_unit_test(test_split),
        cmocka_unit_test(test_batch),     cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_rate_gone), cmocka_unit_test(test_days_by_month),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
