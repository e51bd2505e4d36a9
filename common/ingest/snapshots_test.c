/* Levels from snapshots: summing the published steps up to any moment gives
 * the level in force then, whatever order the snapshots arrived in. */
#include "ingest/snapshots.h"
#include "base/err.h"
#include "ingest/state_tmp.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define MAXSTEPS 4096

/* The histories live in a state on disk: a new, empty one for each. */
static struct state_db *db;
static char *db_dir;

static struct snapshots *fresh(void)
{
    state_tmp_remove(db, db_dir);
    db_dir = NULL;
    db = state_tmp_open(&db_dir);
    return snapshots_new(db);
}

static int teardown(void **unused)
{
    state_tmp_remove(db, db_dir);
    return 0;
}

/* What a subscriber sums: every step ever published. */
struct ledger {
    struct snap_step steps[MAXSTEPS];
    int n;
};

static void put(struct snapshots *s, struct ledger *l, int64_t at, int64_t a, int64_t b)
{
    int64_t v[2] = {a, b};
    struct snap_step st[2];
    int n;
    assert_int_equal(snapshots_put(s, "u/headcount/cong-chuc", at, v, 2, st, &n), CCHC_OK);
    for (int i = 0; i < n; i++)
        l->steps[l->n++] = st[i];
}

static int64_t level(const struct ledger *l, int64_t at, int k)
{
    int64_t sum = 0;
    for (int i = 0; i < l->n; i++)
        if (l->steps[i].at_ms <= at)
            sum += l->steps[i].dv[k];
    return sum;
}

static void test_in_order(void **unused)
{
    struct snapshots *s;
    static struct ledger l;
    l.n = 0;
    s = fresh();
    put(s, &l, 100, 7, 6);
    put(s, &l, 200, 7, 7); /* a later headcount replaces the earlier one */
    assert_int_equal(level(&l, 99, 1), 0);
    assert_int_equal(level(&l, 150, 1), 6); /* a window ending before it sees the earlier */
    assert_int_equal(level(&l, 200, 1), 7);
    assert_int_equal(level(&l, 10000, 0), 7);
    snapshots_free(s);
}

static void test_late_arrival_and_same_time(void **unused)
{
    struct snapshots *s;
    static struct ledger l;
    l.n = 0;
    s = fresh();
    put(s, &l, 300, 9, 8);
    put(s, &l, 100, 5, 5); /* older, arrives later: must not change the level after 300 */
    assert_int_equal(level(&l, 150, 0), 5);
    assert_int_equal(level(&l, 300, 0), 9);
    put(s, &l, 200, 6, 6); /* in between */
    assert_int_equal(level(&l, 250, 1), 6);
    assert_int_equal(level(&l, 400, 1), 8);
    put(s, &l, 200, 7, 1); /* same time: the later arrival wins */
    assert_int_equal(level(&l, 250, 1), 1);
    assert_int_equal(level(&l, 400, 1), 8);
    int64_t v[2];
    snapshots_at(s, "u/headcount/cong-chuc", 250, v, 2);
    assert_int_equal(v[0], 7);
    snapshots_free(s);
}

/* Any order of the same snapshots gives the same levels at every moment. */
static void test_random_orders(void **unused)
{
    static struct ledger l;
    srand(12345);
    int64_t at[40], a[40], b[40];
    for (int i = 0; i < 40; i++)
        at[i] = 1000 + 10 * i, a[i] = rand() % 100, b[i] = rand() % 100;
    for (int round = 0; round < 200; round++) {
        int order[40];
        for (int i = 0; i < 40; i++)
            order[i] = i;
        for (int i = 39; i > 0; i--) {
            int j = rand() % (i + 1), t = order[i];
            order[i] = order[j], order[j] = t;
        }
        struct snapshots *s;
        l.n = 0;
        s = fresh();
        for (int i = 0; i < 40; i++)
            put(s, &l, at[order[i]], a[order[i]], b[order[i]]);
        for (int i = 0; i < 40; i++) {
            assert_int_equal(level(&l, at[i], 0), a[i]);
            assert_int_equal(level(&l, at[i] + 5, 1), b[i]);
        }
        assert_int_equal(level(&l, 999, 0), 0);
        snapshots_free(s);
    }
}

/* Series lie side by side on disk: one's neighbours are never another's
 * (a key that is another's prefix, times before 1970), and what was
 * committed is there after a reopen. */
static void test_neighbours_and_reopen(void **unused)
{
    struct snapshots *s = fresh();
    int64_t v[1], got[1];
    struct snap_step st[2];
    int n;
    v[0] = 5;
    assert_int_equal(snapshots_put(s, "ab", -1000, v, 1, st, &n), CCHC_OK);
    assert_int_equal(n, 1);
    v[0] = 3;
    assert_int_equal(snapshots_put(s, "a", 500, v, 1, st, &n), CCHC_OK);
    assert_int_equal(n, 1); /* "ab" at -1000 is no step of "a" */
    assert_int_equal(st[0].dv[0], 3);
    v[0] = 4;
    assert_int_equal(snapshots_put(s, "a", -2000, v, 1, st, &n), CCHC_OK);
    assert_int_equal(n, 2);
    assert_int_equal(st[1].at_ms, 500);
    assert_int_equal(st[1].dv[0], -4);
    snapshots_at(s, "a", -1, got, 1);
    assert_int_equal(got[0], 4);
    snapshots_at(s, "ab", 10000, got, 1);
    assert_int_equal(got[0], 5);
    snapshots_at(s, "b", 10000, got, 1);
    assert_int_equal(got[0], 0);
    char why[256];
    assert_int_equal(state_commit(db, 1, 3, why, sizeof why), CCHC_OK);
    snapshots_free(s);
    state_close(db);
    db = state_tmp_open(&db_dir);
    s = snapshots_new(db);
    snapshots_at(s, "a", 600, got, 1);
    assert_int_equal(got[0], 3);
    snapshots_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_in_order),
        cmocka_unit_test(test_late_arrival_and_same_time),
        cmocka_unit_test(test_random_orders),
        cmocka_unit_test(test_neighbours_and_reopen),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
