#include "store/keys.h"

#include "base/err.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* parts joined by ':' after the prefix, cut to cap like snprintf. Not
 * snprintf: a flush names a key for every hash it writes. */
static void join(char *out, size_t cap, const char *kind, const char *const *parts, int n)
{
    size_t at = 0;
    const char *first[] = {KEYS_PREFIX, kind};
    for (int i = -2; i < n && cap; i++) {
        const char *s = i < 0 ? first[i + 2] : parts[i];
        if (i > 0 && at + 1 < cap)
            out[at++] = ':';
        size_t len = strlen(s);
        if (len > cap - 1 - at)
            len = cap - 1 - at;
        memcpy(out + at, s, len);
        at += len;
    }
    if (cap)
        out[at] = 0;
}

void key_fig(char *out, size_t cap, const char *unit, const char *period)
{
    join(out, cap, "fig:", (const char *const[]){unit, period}, 2);
}

void key_days(char *out, size_t cap, const char *unit, const char *month)
{
    join(out, cap, "days:", (const char *const[]){unit, month}, 2);
}

void key_months(char *out, size_t cap, const char *unit)
{
    join(out, cap, "months:", (const char *const[]){unit}, 1);
}

void key_rank(char *out, size_t cap, const char *parent, const char *level, const char *period,
              const char *indicator)
{
    join(out, cap, "rank:", (const char *const[]){parent, level, period, indicator}, 4);
}

void key_unit(char *out, size_t cap, const char *unit)
{
    snprintf(out, cap, KEYS_PREFIX "unit:%s", unit);
}

void key_position_field(char *out, size_t cap, const char *publisher, uint64_t epoch)
{
    snprintf(out, cap, "%s/%016" PRIx64, publisher, epoch);
}

void key_checkpoint_field(char *out, size_t cap, const char *publisher, uint64_t epoch)
{
    snprintf(out, cap, "%s/%016" PRIx64 "/checkpoint", publisher, epoch);
}

void key_field(char *out, size_t cap, int level, const char *metric)
{
    if (level)
        snprintf(out, cap, "%s:%s", unit_level_name((enum unit_level)(level - 1)), metric);
    else
        snprintf(out, cap, "%s", metric);
}

int key_field_parse(const char *field, size_t len, int *level, size_t *metric_off)
{
    *level = 0;
    *metric_off = 0;
    const char *colon = memchr(field, ':', len);
    if (!colon)
        return CCHC_OK;
    for (int l = UNIT_PROVINCE; l <= UNIT_COMMUNE; l++) {
        const char *name = unit_level_name((enum unit_level)l);
        if ((size_t)(colon - field) == strlen(name) && memcmp(field, name, strlen(name)) == 0) {
            *level = l + 1;
            *metric_off = (size_t)(colon + 1 - field);
            return CCHC_OK;
        }
    }
    return CCHC_ENOTFOUND;
}
