#include "base/metric.h"

#include "base/err.h"

#include <stdio.h>
#include <string.h>

#define PROC_PREFIX "proc."
#define ONLINE_SUFFIX ".online_l"

int metric_is_rate(const char *p, size_t n)
{
    size_t k = sizeof METRIC_RATE_SUFFIX - 1;
    return n >= k && memcmp(p + n - k, METRIC_RATE_SUFFIX, k) == 0;
}

int metric_name_ok(const char *p, size_t n)
{
    if (n == 0 || n > METRIC_NAME_MAX || p[0] < 'a' || p[0] > 'z')
        return 0;
    if (metric_is_rate(p, n))
        return 0; /* a figure must never look like a rate */
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-'))
            return 0;
    }
    return 1;
}

int metric_is_proc(const char *p, size_t n)
{
    return n > sizeof PROC_PREFIX - 1 && memcmp(p, PROC_PREFIX, sizeof PROC_PREFIX - 1) == 0;
}

int metric_proc(char *out, size_t cap, const char *code, size_t len, const char *what)
{
    int n = snprintf(out, cap, PROC_PREFIX "%.*s.%s", (int)len, code, what);
    return n < 0 || (size_t)n >= cap ? CCHC_ETOOBIG : CCHC_OK;
}

int metric_proc_online(char *out, size_t cap, const char *code, size_t len, int level)
{
    char what[16];
    snprintf(what, sizeof what, "%s%d", &ONLINE_SUFFIX[1], level);
    return metric_proc(out, cap, code, len, what);
}

int metric_proc_online_parse(const char *name, const char **code, size_t *len, int *level)
{
    size_t n = strlen(name), pl = sizeof PROC_PREFIX - 1, sl = sizeof ONLINE_SUFFIX - 1;
    if (n <= pl + sl + 1 || strncmp(name, PROC_PREFIX, pl) != 0)
        return CCHC_ENOTFOUND;
    const char *tail = name + n - sl - 1;
    int l = tail[sl] - '0';
    if (strncmp(tail, ONLINE_SUFFIX, sl) != 0 || (l != 3 && l != 4))
        return CCHC_ENOTFOUND;
    *code = name + pl;
    *len = n - pl - sl - 1;
    *level = l;
    return CCHC_OK;
}
