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

/* One record's amount: a bound far above any budget that keeps every sum
 * of a year's records inside int64 (9.2e18 đồng). */
#define AMOUNT_MAX 1000000000000000000LL

static struct proto_str str(const char *s)
{
    return (struct proto_str){s, (uint32_t)strlen(s)};
}

/* A record type's own part: checks its fields and emits its events. ev holds
 * what every event of the record carries (type, id, unit, at); the rest is
 * zero. metric: the figure the record's amount moves. */
typedef int handler_fn(const char *metric, const struct ingest_record *r, struct proto_event *ev,
                       struct ingest_out *out, char *why, size_t cap);

static int on_autonomy(const char *metric, const struct ingest_record *r, struct proto_event *ev,
                       struct ingest_out *out, char *why, size_t cap)
{
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
    ev->cat = str(cat);
    return ingest_emit_level(out, r->levels, ev, names, v, k);
}

static int amount(const struct ingest_record *r, struct proto_event *ev, int64_t *out, char *why,
                  size_t cap)
{
    if (ingest_int(r->obj, "amount", 0, AMOUNT_MAX, out, why, cap))
        return CCHC_EINVAL;
    ev->n = *out;
    ev->has = PROTO_HAS_N;
    return CCHC_OK;
}

/* An amount in force (an estimate, a plan): a level. */
static int on_level(const char *metric, const struct ingest_record *r, struct proto_event *ev,
                    struct ingest_out *out, char *why, size_t cap)
{
    int64_t n;
    if (amount(r, ev, &n, why, cap))
        return CCHC_EINVAL;
    const char *names[] = {metric};
    return ingest_emit_level(out, r->levels, ev, names, &n, 1);
}

/* An amount received or paid: a counter. */
static int on_counter(const char *metric, const struct ingest_record *r, struct proto_event *ev,
                      struct ingest_out *out, char *why, size_t cap)
{
    int64_t n;
    if (amount(r, ev, &n, why, cap))
        return CCHC_EINVAL;
    ev->m[ev->nm++] = (struct proto_metric){str(metric), n};
    return ingest_emit(out, ev);
}

/* The record types, each with its handler and metric; the service accepts
 * these and no other (main derives its `types` from here). */
static const struct {
    const char *type;
    handler_fn *fn;
    const char *metric;
} handlers[] = {
    {"revenue", on_counter, "revenue"},
    {"revenue_estimate", on_level, "revenue_estimate"},
    {"investment_plan", on_level, "investment_plan"},
    {"disbursement", on_counter, "disbursed"},
    {"autonomy", on_autonomy, NULL},
    {"audit_due", on_counter, "audit_due"},
    {"audit_paid", on_counter, "audit_paid"},
};
#define N_TYPES (sizeof handlers / sizeof handlers[0])

static int on_record(void *state, const struct units *units, const struct ingest_record *r,
                     struct ingest_out *out, char *why, size_t cap)
{
    char id[INGEST_ID_MAX + 1], type[48];
    snprintf(id, sizeof id, "%.*s", (int)r->id_len, r->id);
    snprintf(type, sizeof type, "finance.%s", r->type);
    struct proto_event ev = {
        .type = str(type), .id = str(id), .unit = str(units_id(units, r->unit)), .at_ms = r->at_ms};
    for (size_t i = 0; i < N_TYPES; i++)
        if (strcmp(r->type, handlers[i].type) == 0)
            return handlers[i].fn(handlers[i].metric, r, &ev, out, why, cap);
    snprintf(why, cap, "field \"type\": no handler for \"%.40s\"", r->type);
    return CCHC_EINVAL;
}

int main(int argc, char **argv)
{
    const char *types[N_TYPES + 1] = {0};
    for (size_t i = 0; i < N_TYPES; i++)
        types[i] = handlers[i].type;
    const struct ingest_service svc = {
        .name = "finance",
        .default_port = 8083,
        .types = types,
        .record = on_record,
    };
    return ingest_main(argc, argv, &svc);
}
