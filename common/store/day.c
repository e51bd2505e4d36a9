#include "store/day.h"

#include "base/err.h"

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

static int fail(struct day_reader *r, const char **why, const char *what, const char *pair,
                size_t n)
{
    *why = what;
    r->bad = pair;
    r->bad_len = n;
    r->off = SIZE_MAX;
    return CCHC_ECORRUPT;
}

static int figure_byte(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == ':' || c == '-';
}

/* p[0..n) as a decimal int64, strictly: no sign but a leading '-', no
 * leading zero, no -0. */
static int parse_i64(const char *p, size_t n, int64_t *v)
{
    int neg = n > 0 && p[0] == '-';
    size_t i = (size_t)neg;
    if (i == n || (p[i] == '0' && (n - i > 1 || neg)))
        return -1;
    uint64_t m = 0, lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        unsigned d = (unsigned)(p[i] - '0');
        if (m > (lim - d) / 10)
            return -1;
        m = m * 10 + d;
    }
    *v = neg ? (int64_t)(0 - m) : (int64_t)m;
    return 0;
}

int day_next(struct day_reader *r, const char **figure, size_t *len, int64_t *v, const char **why)
{
    *why = NULL;
    if (r->off == SIZE_MAX) {
        *why = "an earlier pair was not a figure and a value";
        return CCHC_ECORRUPT;
    }
    if (r->off >= r->len)
        return CCHC_ENOTFOUND;
    if (r->off > 0 && r->s[r->off++] != ' ')
        return fail(r, why, "pairs are not separated by one space", r->s + r->off - 1, 1);
    const char *p = r->s + r->off, *end = memchr(p, ' ', r->len - r->off);
    size_t n = end ? (size_t)(end - p) : r->len - r->off;
    const char *eq = memchr(p, '=', n);
    if (!eq || eq == p)
        return fail(r, why, "a pair without a figure before its '='", p, n);
    size_t flen = (size_t)(eq - p);
    for (size_t i = 0; i < flen; i++)
        if (!figure_byte(p[i]))
            return fail(r, why, "a figure with a byte no figure has", p, n);
    int64_t x;
    if (parse_i64(eq + 1, n - flen - 1, &x))
        return fail(r, why, "a value that is not a 64-bit integer", p, n);
    if (r->prev) {
        size_t m = r->prev_len < flen ? r->prev_len : flen;
        int c = memcmp(r->prev, p, m);
        if (c > 0 || (c == 0 && r->prev_len >= flen))
            return fail(r, why, "figures out of ascending order (or repeated)", p, n);
    }
    r->prev = p;
    r->prev_len = flen;
    r->off += n;
    *figure = p;
    *len = flen;
    *v = x;
    return CCHC_OK;
}
