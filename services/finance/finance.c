/* cchc-finance: public finance (form 6). Amounts are integer đồng, never
 * floating point. Estimates, the investment plan and each public service
 * unit's autonomy category are levels; revenue, disbursements and audit
 * remittances are counters. Metric names: services/README.md. */
#include "base/err.h"
#include "ingest/ingest.h"
#include "ingest/ingest_level.h"
#include "service.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

static const char *const autonomy[] = {"tu-chu-chi-dau-tu",
                                       "tu-chu-chi-thuong-xuyen",
                                       "tu-chu-mot-phan-70-100",
                                       "tu-chu-mot-phan-30-70",
                                       "tu-chu-mot-phan-10-30",
                                       "nha-nuoc-dam-bao",
                                       NULL};

/* One record's amount: at most 10^15 đồng (a million billion), ten times a
 * whole province's yearly budget (about 10^14) and half Vietnam's state
 * budget, so that it catches a misplaced amount, and far below the sums'
 * bound (METRIC_COUNTERS_MAX, 10^18: a thousand such records) that keeps
 * every figure inside int64; each source's share of that bound
 * (ops/README.md, "Budgets per source") takes many records, too. */
#define AMOUNT_MAX 1000000000000000LL

static int on_autonomy(void *state, const struct ingest_type *t, const struct ingest_record *r,
                       struct proto_event *ev, struct ingest_out *out, char *why, size_t cap)
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
    ev->cat = proto_cstr(cat);
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
static int on_level(void *state, const struct ingest_type *t, const struct ingest_record *r,
                    struct proto_event *ev, struct ingest_out *out, char *why, size_t cap)
{
    int64_t n;
    if (amount(r, ev, &n, why, cap))
        return CCHC_EINVAL;
    const char *names[] = {t->metric};
    return ingest_emit_level(out, r->levels, ev, names, &n, 1);
}

/* An amount received or paid: a counter. */
static int on_counter(void *state, const struct ingest_type *t, const struct ingest_record *r,
                      struct proto_event *ev, struct ingest_out *out, char *why, size_t cap)
{
    int64_t n;
    if (amount(r, ev, &n, why, cap))
        return CCHC_EINVAL;
    ev->m[ev->nm++] = (struct proto_metric){proto_cstr(t->metric), n};
    return ingest_emit(out, ev);
}

/* The record types, each with its handler and the figure its amount moves. */
static const struct ingest_type types[] = {
    {"revenue", on_counter, "revenue"},
    {"revenue_estimate", on_level, "revenue_estimate"},
    {"investment_plan", on_level, "investment_plan"},
    {"disbursement", on_counter, "disbursed"},
    {"autonomy", on_autonomy, NULL},
    {"audit_due", on_counter, "audit_due"},
    {"audit_paid", on_counter, "audit_paid"},
    {0},
};

struct ingest_service *cchc_service_new(void)
{
    struct ingest_service *svc = g_new0(struct ingest_service, 1);
    *svc = (struct ingest_service){
        .name = "finance",
        .default_port = 8083,
        .types = types,
    };
    return svc;
}

void cchc_service_free(struct ingest_service *svc)
{
    g_free(svc);
}
