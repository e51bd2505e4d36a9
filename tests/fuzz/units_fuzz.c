/* fuzz_units: any text as a unit registry (units_load_text). A registry
 * that loads finds each of its units by id, each id is valid, and each
 * parent is a registered unit whose id is the child's prefix. */
#include "base/err.h"
#include "base/units.h"
#include "fuzz.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = 0;
    struct units *u = NULL;
    char why[512];
    why[0] = 0;
    int rc = units_load_text("fuzz.tsv", text, &u, why, sizeof why);
    free(text);
    if (rc) {
        FUZZ_CHECK(u == NULL, "a refused registry was returned");
        FUZZ_CHECK(memchr(why, 0, sizeof why) && why[0], "no reason given (rc %d)", rc);
        return 0;
    }
    size_t n = units_count(u);
    for (size_t i = 0; i < n; i++) {
        const char *id = units_id(u, (int)i);
        size_t len = strlen(id);
        FUZZ_CHECK(units_id_valid(id, len), "invalid id \"%s\" loaded", id);
        FUZZ_CHECK(units_find(u, id, len) == (int)i, "\"%s\" not found at its index", id);
        FUZZ_CHECK(units_name(u, (int)i) != NULL, "no name");
        FUZZ_CHECK(unit_level_name(units_level(u, (int)i)) != NULL, "bad level");
        FUZZ_CHECK(unit_kind_name(units_kind(u, (int)i)) != NULL, "bad kind");
        int p = units_parent(u, (int)i);
        if (p < 0)
            continue;
        FUZZ_CHECK((size_t)p < n, "parent %d of %zu units", p, n);
        const char *pid = units_id(u, p);
        size_t pl = strlen(pid);
        FUZZ_CHECK(pl < len && !memcmp(pid, id, pl) && id[pl] == '.', "parent \"%s\" of \"%s\"",
                   pid, id);
    }
    units_free(u);
    return 0;
}
