#include "base/rate.h"

#include "base/err.h"

#include <stdio.h>

int cchc_rate_bp(int64_t num, int64_t den, int64_t *bp)
{
    if (num < 0 || den < 0)
        return CCHC_EINVAL;
    if (den == 0)
        return CCHC_ENOTFOUND;
    /* round(num * 10000 / den) half up is floor((num * 20000 + den) / (2 * den)).
     * In 128 bits num * 20000 + den stays below 2^79: no input overflows. */
    __int128 q = ((__int128)num * 20000 + den) / ((__int128)den * 2);
    /* The forms never call a share strictly between 0 and 100 % "0.00" or
     * "100.00": that would claim none or all when some but not all. */
    if (num > 0 && q == 0)
        q = 1;
    if (num < den && q >= 10000)
        q = 9999;
    if (q > INT64_MAX)
        return CCHC_ETOOBIG;
    *bp = (int64_t)q;
    return CCHC_OK;
}

void cchc_rate_format(int64_t bp, char sep, char out[CCHC_RATE_LEN])
{
    /* Split on the magnitude in unsigned arithmetic so that INT64_MIN, which
     * cchc_rate_bp never produces, still prints without overflow. */
    uint64_t mag = bp < 0 ? (uint64_t)0 - (uint64_t)bp : (uint64_t)bp;
    snprintf(out, CCHC_RATE_LEN, "%s%llu%c%02llu", bp < 0 ? "-" : "",
             (unsigned long long)(mag / 100), sep, (unsigned long long)(mag % 100));
}
