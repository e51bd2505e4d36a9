#include "store/day.h"

#include "base/err.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void day_pack_add(GString *out, const char *figure, size_t len, int64_t v)
{
    if (out->len)
        g_string_append_c(out, ' ');
    g_string_append_len(out, figure, (gssize)len);
    /* Not printf: a day is packed for every day a flush changes. */
    char num[24], *p = num + sizeof num;
    uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do
        *--p = (char)('0' + m % 10);
    while (m /= 10);
    if (v < 0)
        *--p = '-';
    *--p = '=';
    g_string_append_len(out, p, num + sizeof num - p);
}

static int fail(struct day_reader *r, const char **why, const char *what)
{
    *why = what;
    r->off = SIZE_MAX;
    return CCHC_ECORRUPT;
}

int day_next(struct day_reader *r, const char **figure, size_t *len, int64_t *v, const char **why)
{
    *why = NULL;
    if (r->off == SIZE_MAX)
        return fail(r, why, "an earlier pair was not a figure and a value");
    if (r->off >= r->len)
        return CCHC_ENOTFOUND;
    if (r->off > 0 && r->s[r->off++] != ' ')
        return fail(r, why, "pairs are not separated by one space");
    const char *p = r->s + r->off, *end = memchr(p, ' ', r->len - r->off);
    size_t n = end ? (size_t)(end - p) : r->len - r->off;
    const char *eq = memchr(p, '=', n);
    if (!eq || eq == p)
        return fail(r, why, "a pair without a figure before its '='");
    size_t flen = (size_t)(eq - p), vlen = n - flen - 1;
    char num[24];
    if (vlen == 0 || vlen >= sizeof num)
        return fail(r, why, "a value that is not a 64-bit integer");
    memcpy(num, eq + 1, vlen);
    num[vlen] = 0;
    char *stop;
    errno = 0;
    long long x = strtoll(num, &stop, 10);
    if (errno || *stop || !(num[0] == '-' || (num[0] >= '0' && num[0] <= '9')))
        return fail(r, why, "a value that is not a 64-bit integer");
    if (r->prev) {
        size_t m = r->prev_len < flen ? r->prev_len : flen;
        int c = memcmp(r->prev, p, m);
        if (c > 0 || (c == 0 && r->prev_len >= flen))
            return fail(r, why, "figures out of ascending order (or repeated)");
    }
    r->prev = p;
    r->prev_len = flen;
    r->off += n;
    *figure = p;
    *len = flen;
    *v = x;
    return CCHC_OK;
}
