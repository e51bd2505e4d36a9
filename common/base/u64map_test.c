/* The one table of the rollup and the figure cells: a key inserted is found
 * with its value, however many there are, whatever their hash; a cleared
 * table holds nothing and gives back what it grew to. */
#include "base/u64map.h"
#include "base/err.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* Where key sits in m's slots, or SIZE_MAX: the table's layout is public. */
static size_t slot_of(const struct u64map *m, uint64_t key)
{
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i] == key)
            return i;
    return SIZE_MAX;
}

static int64_t *must_insert(struct u64map *m, uint64_t key, int64_t value)
{
    int created = -1;
    int64_t *v = u64map_slot(m, key, &created);
    assert_non_null(v);
    assert_int_equal(created, 1);
    assert_int_equal(*v, 0);
    *v = value;
    return v;
}

static void must_find(const struct u64map *m, uint64_t key, int64_t value)
{
    int64_t *v = u64map_find(m, key);
    if (!v)
        fail_msg("key %llu not found", (unsigned long long)key);
    if (*v != value)
        fail_msg("key %llu: %lld, want %lld", (unsigned long long)key, (long long)*v,
                 (long long)value);
}

static void test_insert_find_created(void **unused)
{
    struct u64map m;
    u64map_init(&m);
    assert_int_equal(m.n, 0);
    must_insert(&m, 42, 7);
    must_insert(&m, 0, -5); /* 0 is a key like any other */
    must_insert(&m, U64MAP_EMPTY - 1, INT64_MAX);
    assert_int_equal(m.n, 3);

    /* Again: the same slot, not created, the value kept. */
    int created = -1;
    int64_t *v = u64map_slot(&m, 42, &created);
    assert_non_null(v);
    assert_int_equal(created, 0);
    assert_int_equal(*v, 7);
    *v += 1;
    assert_int_equal(m.n, 3);
    /* created may be NULL. */
    v = u64map_slot(&m, 42, NULL);
    assert_non_null(v);
    assert_int_equal(*v, 8);
    v = u64map_slot(&m, 43, NULL);
    assert_non_null(v);
    assert_int_equal(*v, 0);
    assert_int_equal(m.n, 4);

    must_find(&m, 42, 8);
    must_find(&m, 0, -5);
    must_find(&m, U64MAP_EMPTY - 1, INT64_MAX);
    must_find(&m, 43, 0);
    assert_null(u64map_find(&m, 41));
    assert_null(u64map_find(&m, 44));
    assert_null(u64map_find(&m, U64MAP_EMPTY - 2));
    u64map_free(&m);
    assert_null(m.keys);
    assert_int_equal(m.cap, 0);
}

/* Far past the initial capacity: every key is still found with its value,
 * and the table stays at most half full. */
static void test_growth(void **unused)
{
    struct u64map m;
    u64map_init(&m);
    size_t cap0 = m.cap;
    const uint64_t n = 100000;
    for (uint64_t i = 0; i < n; i++)
        must_insert(&m, i * 7919 + 1, (int64_t)i * 3 - 1000);
    assert_int_equal(m.n, n);
    assert_true(m.cap > cap0);
    assert_true(m.cap >= 2 * m.n);
    assert_int_equal(m.cap & (m.cap - 1), 0);
    for (uint64_t i = 0; i < n; i++)
        must_find(&m, i * 7919 + 1, (int64_t)i * 3 - 1000);
    for (uint64_t i = 0; i < n; i += 97)
        assert_null(u64map_find(&m, i * 7919 + 2));
    /* Inserting them again creates nothing. */
    for (uint64_t i = 0; i < n; i += 13) {
        int created = -1;
        int64_t *v = u64map_slot(&m, i * 7919 + 1, &created);
        assert_non_null(v);
        assert_int_equal(created, 0);
        assert_int_equal(*v, (int64_t)i * 3 - 1000);
    }
    assert_int_equal(m.n, n);
    u64map_free(&m);
}

/* A zeroed table (never initialised, or freed) finds nothing and grows on
 * the first insertion. */
static void test_empty(void **unused)
{
    struct u64map m = {0};
    assert_null(u64map_find(&m, 0));
    assert_null(u64map_find(&m, 1));
    must_insert(&m, 1, 11);
    must_find(&m, 1, 11);
    assert_true(m.cap >= 2);
    u64map_free(&m);
    assert_null(u64map_find(&m, 1));

    u64map_init(&m);
    for (uint64_t k = 0; k < 1000; k++)
        assert_null(u64map_find(&m, k));
    u64map_clear(&m); /* clearing an empty table */
    assert_null(u64map_find(&m, 0));
    u64map_free(&m);
}

static void test_clear(void **unused)
{
    struct u64map m;
    u64map_init(&m);
    size_t cap0 = m.cap;

    /* A small table: cleared in place. */
    for (uint64_t k = 1; k <= 100; k++)
        must_insert(&m, k, (int64_t)k);
    u64map_clear(&m);
    assert_int_equal(m.n, 0);
    assert_int_equal(m.cap, cap0);
    for (uint64_t k = 1; k <= 100; k++)
        assert_null(u64map_find(&m, k));
    /* Inserted anew after a clear: created, from 0. */
    must_insert(&m, 5, 55);
    must_find(&m, 5, 55);

    /* Grown large and still full: cleared, the size kept. */
    const uint64_t big = 4 * cap0;
    for (uint64_t k = 1; k <= big; k++)
        *u64map_slot(&m, k, NULL) = (int64_t)k;
    size_t cap_big = m.cap;
    assert_true(cap_big > cap0);
    u64map_clear(&m);
    assert_int_equal(m.n, 0);
    assert_int_equal(m.cap, cap_big);
    for (uint64_t k = 1; k <= big; k++)
        assert_null(u64map_find(&m, k));

    /* Large but little used: a clear gives the memory back. */
    for (uint64_t k = 1; k <= 10; k++)
        must_insert(&m, k * 1000003, (int64_t)k);
    assert_int_equal(m.cap, cap_big);
    u64map_clear(&m);
    assert_int_equal(m.n, 0);
    assert_int_equal(m.cap, cap0);
    assert_non_null(m.keys);
    for (uint64_t k = 1; k <= 10; k++)
        assert_null(u64map_find(&m, k * 1000003));
    /* and the smaller table works. */
    for (uint64_t k = 1; k <= 1000; k++)
        must_insert(&m, k * 31, -(int64_t)k);
    for (uint64_t k = 1; k <= 1000; k++)
        must_find(&m, k * 31, -(int64_t)k);
    assert_int_equal(m.cap, cap0);
    u64map_free(&m);
}

/* Keys whose hash lands on the same slot, found without knowing the hash:
 * each alone in an empty table, where it sits is its home. */
#define CHAIN 4
static void colliding_keys(uint64_t out[CHAIN])
{
    struct u64map probe;
    u64map_init(&probe);
    size_t cap = probe.cap;
    uint32_t *count = calloc(cap, sizeof *count);
    uint64_t(*seen)[CHAIN] = calloc(cap, sizeof *seen);
    assert_non_null(count);
    assert_non_null(seen);
    for (uint64_t k = 1;; k++) {
        assert_true(k < 10 * 1000 * 1000);
        u64map_clear(&probe);
        assert_non_null(u64map_slot(&probe, k, NULL));
        size_t home = slot_of(&probe, k);
        assert_true(home < cap);
        seen[home][count[home]++] = k;
        if (count[home] == CHAIN) {
            memcpy(out, seen[home], sizeof seen[home]);
            break;
        }
    }
    free(count);
    free(seen);
    u64map_free(&probe);
}

static void test_collisions(void **unused)
{
    uint64_t k[CHAIN];
    colliding_keys(k);
    struct u64map m;
    u64map_init(&m);
    /* The first three share a slot and probe past each other. */
    for (int i = 0; i < 3; i++)
        must_insert(&m, k[i], 100 + i);
    size_t s0 = slot_of(&m, k[0]), s1 = slot_of(&m, k[1]), s2 = slot_of(&m, k[2]);
    assert_true(s0 != s1 && s1 != s2 && s0 != s2);
    assert_int_equal(s1, (s0 + 1) & (m.cap - 1));
    assert_int_equal(s2, (s0 + 2) & (m.cap - 1));
    for (int i = 0; i < 3; i++)
        must_find(&m, k[i], 100 + i);
    /* The fourth has the same home and is not there: the chain is walked to
     * its end, not stopped at a key that only shares the hash. */
    assert_null(u64map_find(&m, k[3]));
    int created = -1;
    int64_t *v = u64map_slot(&m, k[1], &created);
    assert_int_equal(created, 0);
    assert_int_equal(*v, 101);
    must_insert(&m, k[3], 103);
    for (int i = 0; i < CHAIN; i++)
        must_find(&m, k[i], 100 + i);
    /* The chain survives growth. */
    const uint64_t more = 3 * m.cap;
    for (uint64_t j = 0; j < more; j++) {
        uint64_t key = 0x8000000000000000ull + j;
        *u64map_slot(&m, key, NULL) = 7;
    }
    assert_true(m.cap > more);
    for (int i = 0; i < CHAIN; i++)
        must_find(&m, k[i], 100 + i);
    u64map_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_insert_find_created),
        cmocka_unit_test(test_growth),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_clear),
        cmocka_unit_test(test_collisions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
