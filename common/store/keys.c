#include "store/keys.h"

#include "base/err.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void key_fig(char *out, size_t cap, const char *unit, const char *period)
{
    snprintf(out, cap, KEYS_PREFIX "fig:%s:%s", unit, period);
}

void key_days(char *out, size_t cap, const char *unit, const char *month)
{
    snprintf(out, cap, KEYS_PREFIX "days:%s:%s", unit, month);
}

void key_months(char *out, size_t cap, const char *unit)
{
    snprintf(out, cap, KEYS_PREFIX "months:%s", unit);
}

void key_rank(char *out, size_t cap, const char *parent, const char *level, const char *period,
              const char *indicator)
{
    snprintf(out, cap, KEYS_PREFIX "rank:%s:%s:%s:%s", parent, level, period, indicator);
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
