/* The rollup: events added at a unit reach every ancestor, as subtree totals
 * and split by the level where they happened, in the six periods of their day
 * (the day, and the official month, quarter, half, year cut on the 15th, and
 * "all"), as far as REDIS.md keeps them: official periods keep no
 * procedure's figures, and a commune's no split by level. The figures
 * expected are written out here by hand. A figure is named by its Redis key
 * and field; a day's key is its month's days hash and the day. */
#include "figures/rollup.h"
#include "base/err.h"
#include "base/period.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

static struct units *units;

/* A province, a district under it, a commune under that, and an agency of
 * the district (at district level, like a one-stop shop). */
enum { P, D, C, A };
static const char registry[] = "p\tprovince\tgovernment\tTỉnh P\n"
                               "p.d\tdistrict\tgovernment\tHuyện D\n"
                               "p.d.c\tcommune\tgovernment\tXã C\n"
                               "p.d.a\tdistrict\tagency\tBộ phận một cửa\n";

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

static struct rollup *new_rollup(void)
{
    struct rollup *r;
    r = rollup_new(units);
    assert_ptr_equal(rollup_units(r), units);
    return r;
}

static int64_t ms(const char *rfc3339)
{
    int64_t v;
    assert_int_equal(cchc_time_parse(rfc3339, strlen(rfc3339), &v), CCHC_OK);
    return v;
}

/* An event at unit, at time `at`, with up to three metrics. */
struct ev {
    int unit;
    const char *at;
    const char *metric[3];
    int64_t value[3];
    /* by hand: the unit and its ancestors, the level where it happened, the
     * six periods of its local day */
    const char *ancestors[3];
    const char *level;
    const char *periods[6];
};

#define DAY_2021_12_15 "2021-12-15", "2022-01", "2022-Q1", "2022-H1", "2022", "all"
#define DAY_2021_12_14 "2021-12-14", "2021-12", "2021-Q4", "2021-H2", "2021", "all"
#define DAY_2022_12_14 "2022-12-14", "2022-12", "2022-Q4", "2022-H2", "2022", "all"
#define DAY_2022_12_15 "2022-12-15", "2023-01", "2023-Q1", "2023-H1", "2023", "all"
#define DAY_2022_03_15 "2022-03-15", "2022-04", "2022-Q2", "2022-H1", "2022", "all"
#define DAY_2022_06_15 "2022-06-15", "2022-07", "2022-Q3", "2022-H2", "2022", "all"

static const struct ev events[] = {
    {C,
     "2021-12-15T10:00:00+07:00",
     {"received", "solved", "received.online"},
     {2, 1, 2},
     {"p.d.c", "p.d", "p"},
     "commune",
     {DAY_2021_12_15}},
    {A,
     "2021-12-15T12:00:00+07:00",
     {"received"},
     {5},
     {"p.d.a", "p.d", "p"},
     "district",
     {DAY_2021_12_15}},
    /* the last instant of the year 2022, and the first of 2023 */
    {D, "2022-12-14T16:59:59.999Z", {"received"}, {7}, {"p.d", "p"}, "district", {DAY_2022_12_14}},
    {C,
     "2022-12-14T17:00:00Z",
     {"received"},
     {1},
     {"p.d.c", "p.d", "p"},
     "commune",
     {DAY_2022_12_15}},
    /* the same day, unit and metrics as the first: summed with it */
    {C,
     "2021-12-15T23:59:59+07:00",
     {"solved", "received"},
     {-3, 3},
     {"p.d.c", "p.d", "p"},
     "commune",
     {DAY_2021_12_15}},
    /* the last day of 2021, at the province itself */
    {P, "2021-12-14T23:59:59+07:00", {"received"}, {10}, {"p"}, "province", {DAY_2021_12_14}},
    {A,
     "2022-03-15T00:00:00+07:00",
     {"received"},
     {4},
     {"p.d.a", "p.d", "p"},
     "district",
     {DAY_2022_03_15}},
    {C,
     "2022-06-15T09:00:00+07:00",
     {"solved"},
     {6},
     {"p.d.c", "p.d", "p"},
     "commune",
     {DAY_2022_06_15}},
    /* a procedure's figure */
    {A,
     "2022-03-15T10:00:00+07:00",
     {"proc.1.2.received", "received"},
     {1, 1},
     {"p.d.a", "p.d", "p"},
     "district",
     {DAY_2022_03_15}},
};
#define NEVENTS (sizeof events / sizeof *events)

static struct proto_event proto_of(const struct ev *e)
{
    struct proto_event pe;
    memset(&pe, 0, sizeof pe);
    pe.at_ms = ms(e->at);
    for (int i = 0; i < 3 && e->metric[i]; i++) {
        pe.m[i].name = (struct proto_str){e->metric[i], (uint32_t)strlen(e->metric[i])};
        pe.m[i].value = e->value[i];
        pe.nm++;
    }
    return pe;
}

/* The expected figures: (hash key, field) -> value. */
struct fig {
    char key[96], field[96];
    int64_t v;
    int seen;
};
static struct fig want[1024];
static size_t nwant;

static void want_add(const char *unit, const char *const *periods, int p, const char *field,
                     int64_t v)
{
    char key[96];
    if (p == 0)
        snprintf(key, sizeof key, "cchc:v2:days:%s:%s %s", unit, periods[1], periods[0]);
    else
        snprintf(key, sizeof key, "cchc:v2:fig:%s:%s", unit, periods[p]);
    for (size_t i = 0; i < nwant; i++)
        if (strcmp(want[i].key, key) == 0 && strcmp(want[i].field, field) == 0) {
            want[i].v += v;
            return;
        }
    assert_true(nwant < sizeof want / sizeof *want);
    struct fig *f = &want[nwant++];
    snprintf(f->key, sizeof f->key, "%s", key);
    snprintf(f->field, sizeof f->field, "%s", field);
    f->v = v;
    f->seen = 0;
}

static void want_event(const struct ev *e)
{
    for (int a = 0; a < 3 && e->ancestors[a]; a++)
        for (int p = 0; p < 6; p++)
            for (int m = 0; m < 3 && e->metric[m]; m++) {
                char split[96];
                snprintf(split, sizeof split, "%s:%s", e->level, e->metric[m]);
                if (p > 0 && strncmp(e->metric[m], "proc.", 5) == 0)
                    continue; /* a procedure's figures: in the days only */
                want_add(e->ancestors[a], e->periods, p, e->metric[m], e->value[m]);
                if (p == 0 || strcmp(e->ancestors[a], "p.d.c") != 0) /* the commune */
                    want_add(e->ancestors[a], e->periods, p, split, e->value[m]);
            }
}

static struct fig *want_find(const char *key, const char *field)
{
    for (size_t i = 0; i < nwant; i++)
        if (strcmp(want[i].key, key) == 0 && strcmp(want[i].field, field) == 0)
            return &want[i];
    return NULL;
}

/* The name of a figures hash: its key, and for a day the day. */
static void hash_name(struct rollup *r, uint64_t hash, char *out, size_t cap)
{
    char key[128];
    uint32_t period = FIG_HASH_PERIOD(hash);
    rollup_hash_key(r, hash, key, sizeof key);
    if (rollup_period_day(r, period) == ROLLUP_DAY_NONE)
        snprintf(out, cap, "%s", key);
    else
        snprintf(out, cap, "%s %s", key, rollup_period_name(r, period));
}

/* What rollup_expand gave, named. */
struct got {
    size_t n;
    const fig_key *keys;
    const int64_t *deltas;
};

static struct got expand(struct rollup *r)
{
    struct got g;
    assert_int_equal(rollup_expand(r, &g.keys, &g.deltas, &g.n), CCHC_OK);
    for (size_t i = 1; i < g.n; i++)
        if (!(g.keys[i - 1] < g.keys[i]))
            fail_msg("keys %zu and %zu out of order", i - 1, i);
    return g;
}

/* The value of one figure in g, found by its names; fails if absent. */
static int64_t got_value(struct rollup *r, const struct got *g, const char *key, const char *field,
                         int *found)
{
    *found = 0;
    for (size_t i = 0; i < g->n; i++) {
        char k[160], f[128];
        hash_name(r, FIG_HASH(g->keys[i]), k, sizeof k);
        rollup_field_name(r, g->keys[i], f, sizeof f);
        if (strcmp(k, key) == 0 && strcmp(f, field) == 0) {
            *found = 1;
            return g->deltas[i];
        }
    }
    return 0;
}

static void must_be(struct rollup *r, const struct got *g, const char *key, const char *field,
                    int64_t v)
{
    int found;
    int64_t have = got_value(r, g, key, field, &found);
    if (!found)
        fail_msg("%s %s: absent, want %lld", key, field, (long long)v);
    if (have != v)
        fail_msg("%s %s: %lld, want %lld", key, field, (long long)have, (long long)v);
}

static void must_be_absent(struct rollup *r, const struct got *g, const char *key,
                           const char *field)
{
    int found;
    int64_t have = got_value(r, g, key, field, &found);
    if (found)
        fail_msg("%s %s: %lld, want absent", key, field, (long long)have);
}

static void test_expand(void **unused)
{
    struct rollup *r = new_rollup();
    nwant = 0;
    for (size_t i = 0; i < NEVENTS; i++) {
        struct proto_event pe = proto_of(&events[i]);
        assert_int_equal(rollup_event(r, events[i].unit, &pe), CCHC_OK);
        want_event(&events[i]);
    }
    /* stage one: (unit, day, metric) sums; the fifth event adds to the
     * first's, and the last to the seventh's received */
    assert_int_equal(rollup_size(r), 10);

    struct got g = expand(r);
    assert_int_equal(g.n, nwant);
    for (size_t i = 0; i < g.n; i++) {
        char k[160], f[128];
        hash_name(r, FIG_HASH(g.keys[i]), k, sizeof k);
        rollup_field_name(r, g.keys[i], f, sizeof f);
        struct fig *w = want_find(k, f);
        if (!w)
            fail_msg("unexpected figure %s %s = %lld", k, f, (long long)g.deltas[i]);
        if (w->seen++)
            fail_msg("figure %s %s twice", k, f);
        if (g.deltas[i] != w->v)
            fail_msg("%s %s: %lld, want %lld", k, f, (long long)g.deltas[i], (long long)w->v);
        /* the key's parts agree with its names */
        assert_int_equal(FIG_HASH_PERIOD(FIG_HASH(g.keys[i])), FIG_PERIOD(g.keys[i]));
        assert_int_equal(FIG_HASH_UNIT(FIG_HASH(g.keys[i])), FIG_UNIT(g.keys[i]));
        const char *metric = strchr(f, ':') ? strchr(f, ':') + 1 : f;
        assert_string_equal(rollup_metric_name(r, FIG_METRIC(g.keys[i])), metric);
    }

    /* Some of them once more, added up by hand from the table of events. */
    must_be(r, &g, "cchc:v2:fig:p:2022", "received", 2 + 5 + 7 + 3 + 4 + 1);
    must_be(r, &g, "cchc:v2:fig:p:2022", "commune:received", 2 + 3);
    must_be(r, &g, "cchc:v2:fig:p:2022", "district:received", 5 + 7 + 4 + 1);
    must_be_absent(r, &g, "cchc:v2:fig:p:2022", "province:received");
    must_be(r, &g, "cchc:v2:fig:p:2022", "solved", 1 - 3 + 6);
    must_be(r, &g, "cchc:v2:fig:p:2021", "received", 10);
    must_be(r, &g, "cchc:v2:fig:p:2021", "province:received", 10);
    must_be(r, &g, "cchc:v2:fig:p:2021-Q4", "received", 10);
    must_be(r, &g, "cchc:v2:fig:p:2021-12", "received", 10);
    must_be_absent(r, &g, "cchc:v2:fig:p.d:2021", "received");
    must_be(r, &g, "cchc:v2:fig:p:2023", "received", 1);
    must_be(r, &g, "cchc:v2:fig:p:2023-01", "commune:received", 1);
    must_be(r, &g, "cchc:v2:days:p.d.c:2023-01 2022-12-15", "received", 1);
    must_be_absent(r, &g, "cchc:v2:fig:p.d.c:2022-12", "received");
    must_be(r, &g, "cchc:v2:fig:p.d:2022-12", "received", 7);
    must_be(r, &g, "cchc:v2:days:p.d:2022-12 2022-12-14", "district:received", 7);
    must_be(r, &g, "cchc:v2:fig:p:all", "received", 2 + 5 + 7 + 1 + 3 + 10 + 4 + 1);
    must_be(r, &g, "cchc:v2:fig:p:all", "commune:received", 2 + 1 + 3);
    must_be(r, &g, "cchc:v2:fig:p:all", "district:received", 5 + 7 + 4 + 1);
    must_be(r, &g, "cchc:v2:fig:p:all", "province:received", 10);
    must_be(r, &g, "cchc:v2:days:p.d.c:2022-01 2021-12-15", "solved", 1 - 3);
    must_be(r, &g, "cchc:v2:fig:p.d.c:2022-01", "received.online", 2);
    must_be(r, &g, "cchc:v2:fig:p.d.a:2022-Q1", "received", 5);
    must_be(r, &g, "cchc:v2:fig:p.d.a:2022-Q2", "received", 4 + 1);
    must_be(r, &g, "cchc:v2:fig:p.d.a:2022-04", "district:received", 4 + 1);
    must_be(r, &g, "cchc:v2:fig:p.d:2022-H1", "received", 2 + 5 + 3 + 4 + 1);
    must_be(r, &g, "cchc:v2:fig:p.d:2022-H2", "received", 7);
    must_be(r, &g, "cchc:v2:fig:p.d:2022-H2", "solved", 6);
    must_be(r, &g, "cchc:v2:fig:p.d:2022-Q3", "commune:solved", 6);
    must_be(r, &g, "cchc:v2:fig:p.d:2022-07", "solved", 6);
    must_be_absent(r, &g, "cchc:v2:fig:p.d.a:2022", "commune:received");
    must_be_absent(r, &g, "cchc:v2:fig:p.d.c:2022", "district:received");
    /* a commune's official periods are not split by level; its days are */
    must_be(r, &g, "cchc:v2:fig:p.d.c:2022", "received", 2 + 3);
    must_be_absent(r, &g, "cchc:v2:fig:p.d.c:2022", "commune:received");
    must_be_absent(r, &g, "cchc:v2:fig:p.d.c:all", "commune:solved");
    must_be(r, &g, "cchc:v2:days:p.d.c:2022-01 2021-12-15", "commune:received", 2 + 3);
    /* a procedure's figures are in the days only, split there too */
    must_be(r, &g, "cchc:v2:days:p.d.a:2022-04 2022-03-15", "proc.1.2.received", 1);
    must_be(r, &g, "cchc:v2:days:p:2022-04 2022-03-15", "district:proc.1.2.received", 1);
    must_be_absent(r, &g, "cchc:v2:fig:p.d.a:2022-04", "proc.1.2.received");
    must_be_absent(r, &g, "cchc:v2:fig:p:all", "district:proc.1.2.received");
    must_be_absent(r, &g, "cchc:v2:fig:p:all", "proc.1.2.received");

    /* Expanding again gives the same: the sums are not used up. */
    fig_key *k1 = malloc(g.n * sizeof *k1);
    int64_t *d1 = malloc(g.n * sizeof *d1);
    assert_non_null(k1);
    assert_non_null(d1);
    memcpy(k1, g.keys, g.n * sizeof *k1);
    memcpy(d1, g.deltas, g.n * sizeof *d1);
    struct got g2 = expand(r);
    assert_int_equal(g2.n, g.n);
    assert_memory_equal(g2.keys, k1, g.n * sizeof *k1);
    assert_memory_equal(g2.deltas, d1, g.n * sizeof *d1);
    free(k1);
    free(d1);

    /* Periods are named once: a day's period ids are those of its names. */
    uint32_t id;
    assert_int_equal(rollup_period_id(r, "2022-Q1", &id), CCHC_OK);
    assert_string_equal(rollup_period_name(r, id), "2022-Q1");
    assert_true(rollup_period_day(r, id) == ROLLUP_DAY_NONE);
    assert_int_equal(rollup_period_id(r, "2021-12-15", &id), CCHC_OK);
    int64_t day;
    assert_int_equal(cchc_day_parse("2021-12-15", &day), CCHC_OK);
    assert_true(rollup_period_day(r, id) == day);
    rollup_free(r);
}

/* rollup_clear forgets the sums; names and ids stay. */
static void test_clear(void **unused)
{
    struct rollup *r = new_rollup();
    for (size_t i = 0; i < NEVENTS; i++) {
        struct proto_event pe = proto_of(&events[i]);
        assert_int_equal(rollup_event(r, events[i].unit, &pe), CCHC_OK);
    }
    struct got g = expand(r);
    assert_true(g.n > 0);
    uint32_t q1, received;
    assert_int_equal(rollup_period_id(r, "2022-Q1", &q1), CCHC_OK);
    assert_int_equal(rollup_metric_id(r, "received", 8, &received), CCHC_OK);

    rollup_clear(r);
    assert_int_equal(rollup_size(r), 0);
    g = expand(r);
    assert_int_equal(g.n, 0);

    /* the second event alone, after the clear */
    struct proto_event pe = proto_of(&events[1]);
    assert_int_equal(rollup_event(r, events[1].unit, &pe), CCHC_OK);
    assert_int_equal(rollup_size(r), 1);
    g = expand(r);
    assert_int_equal(g.n, 3 * 6 * 2); /* 3 units, 6 periods, total and district part */
    must_be(r, &g, "cchc:v2:fig:p:all", "received", 5);
    must_be(r, &g, "cchc:v2:fig:p:2022", "district:received", 5);
    must_be_absent(r, &g, "cchc:v2:fig:p:2023", "received");
    uint32_t id;
    assert_int_equal(rollup_period_id(r, "2022-Q1", &id), CCHC_OK);
    assert_int_equal(id, q1);
    assert_int_equal(rollup_metric_id(r, "received", 8, &id), CCHC_OK);
    assert_int_equal(id, received);
    rollup_free(r);
}

static void test_names(void **unused)
{
    struct rollup *r = new_rollup();
    uint32_t q1, received, online;
    assert_int_equal(rollup_period_id(r, "2022-Q1", &q1), CCHC_OK);
    assert_int_equal(rollup_metric_id(r, "receivedXYZ", 8, &received), CCHC_OK);
    assert_string_equal(rollup_metric_name(r, received), "received");
    assert_int_equal(rollup_metric_id(r, "received.online", 15, &online), CCHC_OK);
    assert_true(online != received);
    assert_true(rollup_metric_ranked(r, received));
    assert_false(rollup_metric_ranked(r, online)); /* not an indicator ranked */
    uint32_t resolved, late;
    assert_int_equal(rollup_metric_id(r, "resolved", 8, &resolved), CCHC_OK);
    assert_int_equal(rollup_metric_id(r, "resolved_late", 13, &late), CCHC_OK);
    assert_true(rollup_metric_ranked(r, resolved));
    assert_false(rollup_metric_ranked(r, late));

    char buf[128];
    rollup_hash_key(r, FIG_HASH(FIG_KEY(q1, C, 0, received)), buf, sizeof buf);
    assert_string_equal(buf, "cchc:v2:fig:p.d.c:2022-Q1");
    rollup_hash_key(r, FIG_HASH(FIG_KEY(q1, P, 3, online)), buf, sizeof buf);
    assert_string_equal(buf, "cchc:v2:fig:p:2022-Q1");
    /* a day's hash is its month's days hash */
    uint32_t day, month;
    assert_int_equal(rollup_period_id(r, "2022-03-15", &day), CCHC_OK);
    rollup_hash_key(r, FIG_HASH(FIG_KEY(day, C, 0, received)), buf, sizeof buf);
    assert_string_equal(buf, "cchc:v2:days:p.d.c:2022-04");
    assert_string_equal(rollup_period_name(r, rollup_period_month(r, day)), "2022-04");
    assert_int_equal(rollup_period_id(r, "2022-04", &month), CCHC_OK);
    assert_int_equal(rollup_period_month(r, day), month);
    assert_int_equal(rollup_period_month(r, month), month);
    assert_int_equal(rollup_period_month(r, q1), q1);
    rollup_field_name(r, FIG_KEY(q1, C, 0, received), buf, sizeof buf);
    assert_string_equal(buf, "received");
    rollup_field_name(r, FIG_KEY(q1, P, 1, received), buf, sizeof buf);
    assert_string_equal(buf, "province:received");
    rollup_field_name(r, FIG_KEY(q1, P, 2, received), buf, sizeof buf);
    assert_string_equal(buf, "district:received");
    rollup_field_name(r, FIG_KEY(q1, P, 1 + UNIT_COMMUNE, received), buf, sizeof buf);
    assert_string_equal(buf, "commune:received");
    rollup_field_name(r, FIG_KEY(q1, D, 1 + UNIT_COMMUNE, online), buf, sizeof buf);
    assert_string_equal(buf, "commune:received.online");

    /* field names round-trip through rollup_field_parse */
    uint32_t ms_[] = {received, online};
    for (int m = 0; m < 2; m++)
        for (uint32_t level = 0; level < 4; level++) {
            rollup_field_name(r, FIG_KEY(q1, A, level, ms_[m]), buf, sizeof buf);
            uint32_t l2 = 99, m2 = 99;
            assert_int_equal(rollup_field_parse(r, buf, strlen(buf), &l2, &m2), CCHC_OK);
            assert_int_equal(l2, level);
            assert_int_equal(m2, ms_[m]);
        }
    uint32_t level, metric;
    /* the length counts, not a NUL */
    assert_int_equal(rollup_field_parse(r, "commune:receivedXYZ", 16, &level, &metric), CCHC_OK);
    assert_int_equal(level, 1 + UNIT_COMMUNE);
    assert_int_equal(metric, received);
    /* a new metric gets the next id */
    assert_int_equal(rollup_field_parse(r, "district:solved", 15, &level, &metric), CCHC_OK);
    assert_int_equal(level, 1 + UNIT_DISTRICT);
    assert_int_equal(metric, late + 1);
    assert_string_equal(rollup_metric_name(r, metric), "solved");

    static const char *not_figures[] = {
        "received_pct",
        "commune:received_pct",
        "on_time_pct",
        "city:received",
        ":received",
        "commune:",
        "",
        "Received",
        "communes:received",
        "commun:received",
        "commune:district:received",
        "COMMUNE:received",
        "commune :received",
        "commune:1st",
    };
    for (size_t i = 0; i < sizeof not_figures / sizeof *not_figures; i++) {
        const char *f = not_figures[i];
        int rc = rollup_field_parse(r, f, strlen(f), &level, &metric);
        if (rc != CCHC_ENOTFOUND)
            fail_msg("rollup_field_parse '%s': rc %d, want CCHC_ENOTFOUND", f, rc);
    }
    /* "pct" alone, or _pct inside, is a metric */
    assert_int_equal(rollup_field_parse(r, "pct", 3, &level, &metric), CCHC_OK);
    assert_int_equal(rollup_field_parse(r, "x_pctx", 6, &level, &metric), CCHC_OK);
    rollup_free(r);
}

/* The 16 bits of a metric id: the 65,537th name is one too many. */
static void test_too_many_metrics(void **unused)
{
    struct rollup *r = new_rollup();
    char name[32];
    uint32_t id;
    for (uint32_t i = 0; i < (1u << 16); i++) {
        int len = snprintf(name, sizeof name, "m%u", i);
        if (rollup_metric_id(r, name, (size_t)len, &id) != CCHC_OK || id != i)
            fail_msg("metric %u: id %u", i, id);
    }
    assert_int_equal(rollup_metric_id(r, "m0", 2, &id), CCHC_OK);
    assert_int_equal(id, 0);
    assert_int_equal(rollup_metric_id(r, "one-more", 8, &id), CCHC_ETOOBIG);
    uint32_t level;
    assert_int_equal(rollup_field_parse(r, "commune:one-more", 16, &level, &id), CCHC_ETOOBIG);
    struct proto_event pe;
    memset(&pe, 0, sizeof pe);
    pe.nm = 1;
    pe.m[0].name = (struct proto_str){"one-more", 8};
    pe.m[0].value = 1;
    assert_int_equal(rollup_event(r, C, &pe), CCHC_ETOOBIG);
    rollup_free(r);
}

/* Sums are checked: an event that would take one out of int64 adds none of
 * its sums, and one that fits still goes in; a period's sum that would
 * leave int64 stops the expansion rather than wrap. */
static void test_sum_overflow(void **unused)
{
    struct rollup *r = new_rollup();
    struct proto_event pe;
    memset(&pe, 0, sizeof pe);
    pe.at_ms = ms("2022-05-02T09:00:00+07:00");
    pe.nm = 1;
    pe.m[0] = (struct proto_metric){{"amount", 6}, INT64_MAX - 1};
    assert_int_equal(rollup_event(r, C, &pe), CCHC_OK);
    pe.nm = 2;
    pe.m[0] = (struct proto_metric){{"other", 5}, 5};
    pe.m[1] = (struct proto_metric){{"amount", 6}, 2};
    assert_int_equal(rollup_event(r, C, &pe), CCHC_ETOOBIG);
    /* one name twice in an event: the two add up before the check */
    pe.m[0] = (struct proto_metric){{"amount", 6}, 1};
    pe.m[1] = (struct proto_metric){{"amount", 6}, 1};
    assert_int_equal(rollup_event(r, C, &pe), CCHC_ETOOBIG);
    pe.nm = 1;
    pe.m[0] = (struct proto_metric){{"amount", 6}, 1};
    assert_int_equal(rollup_event(r, C, &pe), CCHC_OK);
    pe.m[0] = (struct proto_metric){{"amount", 6}, INT64_MIN};
    assert_int_equal(rollup_event(r, C, &pe), CCHC_OK); /* back to -1 */
    struct got g = expand(r);
    must_be(r, &g, "cchc:v2:days:p.d.c:2022-05 2022-05-02", "amount", -1);
    must_be_absent(r, &g, "cchc:v2:days:p.d.c:2022-05 2022-05-02", "other");

    /* two days that fit alone, but not in their year */
    rollup_clear(r);
    pe.m[0] = (struct proto_metric){{"amount", 6}, INT64_MAX};
    assert_int_equal(rollup_event(r, C, &pe), CCHC_OK);
    pe.at_ms = ms("2022-05-03T09:00:00+07:00");
    pe.m[0].value = 1;
    assert_int_equal(rollup_event(r, C, &pe), CCHC_OK);
    const fig_key *keys;
    const int64_t *deltas;
    size_t n;
    assert_int_equal(rollup_expand(r, &keys, &deltas, &n), CCHC_ETOOBIG);
    rollup_free(r);
}

/* The two views under a registry that changes on 2023-01-01: commune c1
 * merged into m (its heir), the district d abolished into the province,
 * commune c2 moved under the province. As recorded (the days), each event
 * counts where and under whom it happened, but at the heir for a day after
 * its unit's end; under today's units (the periods), at today's unit under
 * today's tree, each once. */
static void test_today(void **unused)
{
    static const char dated[] = "p\tprovince\tgovernment\tP\n"
                                "p.d\tdistrict\tgovernment\tD\tto=2022-12-31\tsuccessors=p\n"
                                "p.d.c1\tcommune\tgovernment\tC1\tto=2022-12-31\tsuccessors=p.m\n"
                                "p.d.c2\tcommune\tgovernment\tC2\tparent=p@2023-01-01\n"
                                "p.m\tcommune\tgovernment\tM\tfrom=2023-01-01\n";
    char why[512];
    struct units *u;
    if (units_load_text("dated", dated, &u, why, sizeof why))
        fail_msg("%s", why);
    enum { TP, TD, TC1, TC2, TM };
    struct {
        int unit;
        const char *at;
        int64_t n;
    } evs[] = {
        {TC1, "2022-12-01T09:00:00+07:00", 1},  /* c1 under d, before the change */
        {TC1, "2023-01-05T09:00:00+07:00", 10}, /* after c1's end, a past-dated merge: at m */
        {TD, "2022-11-20T09:00:00+07:00", 100}, /* the district's own */
        {TC2, "2022-12-02T09:00:00+07:00", 1000}, {TC2, "2023-01-06T09:00:00+07:00", 10000},
    };
    for (int view = 0; view < 2; view++) {
        struct rollup *r = rollup_new(u);
        if (view)
            rollup_set_today(r, cchc_day_from_civil(2026, 12, 1));
        for (size_t i = 0; i < sizeof evs / sizeof *evs; i++) {
            struct proto_event pe = {.at_ms = ms(evs[i].at), .nm = 1};
            pe.m[0] = (struct proto_metric){{"received", 8}, evs[i].n};
            assert_int_equal(rollup_event(r, evs[i].unit, &pe), CCHC_OK);
        }
        struct got g = expand(r);
        /* The days, as recorded, in either view. */
        must_be(r, &g, "cchc:v2:days:p.d.c1:2022-12 2022-12-01", "received", 1);
        must_be(r, &g, "cchc:v2:days:p.d:2022-12 2022-12-01", "commune:received", 1);
        must_be(r, &g, "cchc:v2:days:p.m:2023-01 2023-01-05", "received", 10);
        must_be(r, &g, "cchc:v2:days:p:2023-01 2023-01-05", "commune:received", 10);
        must_be(r, &g, "cchc:v2:days:p.d:2022-12 2022-12-02", "commune:received", 1000);
        must_be(r, &g, "cchc:v2:days:p:2023-01 2023-01-06", "commune:received", 10000);
        must_be_absent(r, &g, "cchc:v2:days:p.d:2023-01 2023-01-06", "received");
        must_be(r, &g, "cchc:v2:fig:p:2022", "received", 1 + 100 + 1000);
        must_be(r, &g, "cchc:v2:fig:p:2023", "received", 10 + 10000);
        if (!view) { /* the periods as recorded too */
            must_be(r, &g, "cchc:v2:fig:p.d.c1:2022", "received", 1);
            must_be(r, &g, "cchc:v2:fig:p.d:2022", "received", 1 + 100 + 1000);
            must_be(r, &g, "cchc:v2:fig:p:2022", "district:received", 100);
            must_be_absent(r, &g, "cchc:v2:fig:p.m:2022", "received");
        } else { /* today: c1's history at m, d's at p, nothing left at c1 or d */
            must_be(r, &g, "cchc:v2:fig:p.m:2022", "received", 1);
            must_be(r, &g, "cchc:v2:fig:p.m:all", "received", 11);
            must_be(r, &g, "cchc:v2:fig:p.d.c2:all", "received", 11000);
            must_be(r, &g, "cchc:v2:fig:p:2022", "district:received", 100);
            must_be_absent(r, &g, "cchc:v2:fig:p:2022", "province:received");
            must_be(r, &g, "cchc:v2:fig:p:2022", "commune:received", 1001);
            must_be_absent(r, &g, "cchc:v2:fig:p.d.c1:2022", "received");
            must_be_absent(r, &g, "cchc:v2:fig:p.d:2022", "received");
            must_be_absent(r, &g, "cchc:v2:fig:p.d:all", "received");
        }
        must_be(r, &g, "cchc:v2:fig:p:all", "received", 11111);
        rollup_free(r);
    }
    units_free(u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expand),
        cmocka_unit_test(test_today),
        cmocka_unit_test(test_clear),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_too_many_metrics),
        cmocka_unit_test(test_sum_overflow),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
