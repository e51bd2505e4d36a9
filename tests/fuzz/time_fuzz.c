/* fuzz_time: any bytes as an RFC 3339 time (cchc_time_parse). An accepted
 * time written back (cchc_time_format, whole seconds in UTC+7) parses to the
 * same second. */
#include "base/err.h"
#include "base/period.h"
#include "fuzz.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int64_t ms = 0;
    int rc = cchc_time_parse((const char *)data, size, &ms);
    if (rc) {
        FUZZ_CHECK(rc == CCHC_EINVAL, "rc %d", rc);
        return 0;
    }
    char out[64];
    cchc_time_format(ms, out, sizeof out);
    if (strlen(out) != 25)
        return 0; /* a year past 9999 once in UTC+7: not RFC 3339 */
    int64_t again = 0;
    rc = cchc_time_parse(out, strlen(out), &again);
    FUZZ_CHECK(rc == CCHC_OK, "\"%.*s\" formatted as \"%s\", which does not parse", (int)size,
               (const char *)data, out);
    int64_t sec = ms / 1000 - (ms % 1000 < 0);
    FUZZ_CHECK(again == sec * 1000, "\"%.*s\" = %lld ms, formatted \"%s\" = %lld ms", (int)size,
               (const char *)data, (long long)ms, out, (long long)again);
    return 0;
}
