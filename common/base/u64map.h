/* A map from 64-bit keys to int64 values: open addressing, linear probing,
 * no allocation per entry. The rollup and the aggregator's figure cells key
 * everything by numbers (rollup.h), so this is their one table. */
#ifndef CCHC_U64MAP_H
#define CCHC_U64MAP_H

#include <stddef.h>
#include <stdint.h>

#define U64MAP_EMPTY UINT64_MAX /* the one key that cannot be stored */

struct u64map {
    uint64_t *keys; /* U64MAP_EMPTY where free */
    int64_t *vals;
    size_t cap, n; /* cap: a power of two, at least twice n */
};

void u64map_init(struct u64map *m);
void u64map_free(struct u64map *m);
void u64map_clear(struct u64map *m);
/* The value at key, inserted as 0 (and *created set) when absent. The
 * pointer is good until the next insertion. */
int64_t *u64map_slot(struct u64map *m, uint64_t key, int *created);
/* The value at key, or NULL. */
int64_t *u64map_find(const struct u64map *m, uint64_t key);

#endif
