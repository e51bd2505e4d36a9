/* cchc-finance: public finance (form 6). Amounts are integer đồng, never
 * floating point. Estimates, the investment plan and each public service
 * unit's autonomy category are levels; revenue, disbursements and audit
 * remittances are counters. Metric names: services/README.md. */
#include "base/err.h"
#include "ingest/ingest.h"
#include "ingest/ingest_level.h"

#include <stdio.h>
#include <string.h>

static const char *const autonomy[] = {"tu-chu-chi-dau-tu",
                                       "tu-chu-chi-thuong-xuyen",
                                       "tu-chu-mot-phan-70-100",
                                       "tu-chu-mot-phan-30-70",
                                       "tu-chu-mot-phan-10-30",
                                       "nha-nuoc-dam-bao",
                                       NULL};
static const char *const types[] = {
    "revenue",  "revenue_estimate", "investment_plan", "disbursement",
    "autonomy", "audit_due",        "audit_paid",      NULL};

/* One record's amount: a bound far above any budget that keeps every sum
 * of a year's records inside int64 (9.2e18 đồng). */
#define AMOUNT_MAX 1000000000000000000LL

static struct proto_str str(const char *s)
{
    return (struct proto_str){s, (uint32_t)strlen(s)};
}

static int on_record(void *state, const struct units *units, const struct ingest_record *r,
                     struct ingest_out *out, char *why, size_t cap)
{
    char id[INGEST_ID_MAX + 1], type[48];
    snprintf(id, sizeof id, "%.*s", (int)r->id_len, r->id);
    snprintf(type, sizeof type, "finance.%s", r->type);
    struct proto_event ev = {
        .type = str(type), .id = str(id), .unit = str(units_id(units, r->unit)), .at_ms = r->at_ms};
    if (strcmp(r->type, "autonomy") == 0) {
        const char *cat;
        if (ingest_enum(r->obj, "category", autonomy, &cat, why, cap))
            return CCHC_EINVAL;
        /* One-hot over the categories, plus the unit itself: a unit that
         * changes category moves from one count to the other. */
        char name[7][64];
        const char *names[7];
        int64_t v[7];
        int k = 0;
        for (; autonomy[k]; k++) {
            snprintf(name[k], sizeof name[k], "autonomy.%s", autonomy[k]);
            names[k] = name[k];
            v[k] = strcmp(autonomy[k], cat) == 0;
        }
        names[k] = "service_units";
        v[k++] = 1;
        ev.cat = str(cat);
        return ingest_emit_level(out, r->levels, &ev, names, v, k);
    }
    int64_t amount;
    if (ingest_int(r->obj, "amount", 0, AMOUNT_MAX, &amount, why, cap))
        return CCHC_EINVAL;
    ev.n = amount;
    ev.has = PROTO_HAS_N;
    if (strcmp(r->type, "revenue_estimate") == 0 || strcmp(r->type, "investment_plan") == 0) {
        const char *names[] = {r->type};
        return ingest_emit_level(out, r->levels, &ev, names, &amount, 1);
    }
    const char *metric = strcmp(r->type, "disbursement") == 0 ? "disbursed" : r->type;
    ev.m[ev.nm++] = (struct proto_metric){str(metric), amount};
    return ingest_emit(out, &ev);
}

int main(int argc, char **argv)
{
    const struct ingest_service svc = {
        .name = "finance",
        .default_port = 8083,
        .types = types,
        .record = on_record,
    };
    return ingest_main(argc, argv, &svc);
}
