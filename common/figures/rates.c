#include "figures/rates.h"

#include "base/err.h"
#include "base/rate.h"
#include "store/keys.h"

#include <string.h>

int rollup_rates_init(struct rollup *r, struct rollup_rates *ids)
{
    if (rollup_metric_id(r, "resolved", 8, &ids->resolved) ||
        rollup_metric_id(r, "resolved_early", 14, &ids->early) ||
        rollup_metric_id(r, "resolved_on_time", 16, &ids->on_time))
        return CCHC_ETOOBIG;
    return CCHC_OK;
}

int64_t rollup_rates_put(struct rollup_batch *b, const struct rollup_rates *ids, uint64_t hash,
                         int split, rollup_value_fn value, void *arg)
{
    static const int levels[] = {0, UNIT_DISTRICT + 1, UNIT_COMMUNE + 1};
    uint32_t period = FIG_HASH_PERIOD(hash);
    int unit = FIG_HASH_UNIT(hash);
    int64_t total = -1;
    for (int i = 0; i < (split ? 3 : 1); i++) {
        int64_t den = value(arg, FIG_KEY(period, unit, levels[i], ids->resolved));
        int64_t num, bp;
        char field[64], out[CCHC_RATE_LEN] = "";
        key_field(field, sizeof field, levels[i], "on_time" METRIC_RATE_SUFFIX);
        /* A sum beyond int64 is no count of dossiers: no rate, as for 0 of 0. */
        if (!__builtin_add_overflow(value(arg, FIG_KEY(period, unit, levels[i], ids->early)),
                                    value(arg, FIG_KEY(period, unit, levels[i], ids->on_time)),
                                    &num) &&
            cchc_rate_bp(num, den, &bp) == CCHC_OK) {
            cchc_rate_format(bp, '.', out);
            if (i == 0)
                total = bp;
        }
        rollup_batch_pair(b, field, strlen(field), out, strlen(out));
    }
    return total;
}
