/* A row's value as text, for every renderer: counts, rates in basis points,
 * and money held in đồng but printed in millions or billions. Integers only,
 * so no double ever decides a printed digit. */
#include "forms.h"

#include "base/rate.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Digits of mag, grouped by three with sep when sep is not 0. */
static void digits(uint64_t mag, char sep, char *out, size_t cap)
{
    char d[24];
    int n = snprintf(d, sizeof d, "%" PRIu64, mag);
    size_t o = 0;
    for (int i = 0; i < n && o + 2 < cap; i++) {
        out[o++] = d[i];
        int left = n - i - 1;
        if (sep && left > 0 && left % 3 == 0)
            out[o++] = sep;
    }
    out[o] = 0;
}

/* mag đồng in units of 10^exp đồng, rounded half up to `decimals` decimals;
 * with trim, trailing zero decimals (and a bare separator) are dropped. */
static void scaled(uint64_t mag, int exp, int decimals, int trim, char group, char point, char *out,
                   size_t cap)
{
    uint64_t unit = 1, step = 1;
    for (int i = 0; i < exp; i++)
        unit *= 10;
    for (int i = 0; i < exp - decimals; i++)
        step *= 10;
    /* Half up on the magnitude; 2^64 - 1 đồng is far beyond any budget, but
     * the quotient is taken before adding so nothing can wrap. */
    uint64_t q = mag / step + (mag % step >= (step + 1) / 2);
    uint64_t per = unit / step; /* 10^decimals */
    digits(q / per, group, out, cap);
    if (decimals == 0)
        return;
    size_t o = strlen(out);
    char frac[24];
    snprintf(frac, sizeof frac, "%0*" PRIu64, decimals, q % per);
    int n = decimals;
    while (trim && n > 0 && frac[n - 1] == '0')
        n--;
    if (n > 0 && o + 1 + (size_t)n < cap)
        snprintf(out + o, cap - o, "%c%.*s", point, n, frac);
}

void report_value_format(const struct report_value *v, enum report_style style,
                         char out[REPORT_VALUE_LEN])
{
    char group = style == REPORT_VN ? '.' : style == REPORT_EN ? ',' : 0;
    char point = style == REPORT_VN ? ',' : '.';
    if (v->empty) {
        out[0] = 0;
        return;
    }
    if (v->rate) {
        cchc_rate_format(v->v, point, out);
        return;
    }
    /* The magnitude in unsigned arithmetic: -INT64_MIN does not fit int64_t. */
    uint64_t mag = v->v < 0 ? (uint64_t)0 - (uint64_t)v->v : (uint64_t)v->v;
    char *p = out;
    if (v->v < 0)
        *p++ = '-';
    size_t cap = REPORT_VALUE_LEN - (size_t)(p - out);
    switch (v->scale) {
    case REPORT_MILLIONS:
        scaled(mag, 6, 3, 1, group, point, p, cap);
        break;
    case REPORT_BILLIONS:
        scaled(mag, 9, 1, 0, group, point, p, cap);
        break;
    default:
        digits(mag, group, p, cap);
    }
    /* Rounding can leave nothing but zeros: no "-0". */
    if (v->v < 0 && strspn(p, "0.,") == strlen(p))
        memmove(out, p, strlen(p) + 1);
}
