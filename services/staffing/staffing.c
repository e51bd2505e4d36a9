/* cchc-staffing: organisation and staffing (forms 4 and 5), and the manually
 * reported indicators of the forms that no office system holds (forms 1 and
 * 2 and a few rows elsewhere: the Home Affairs office compiles them).
 * Headcounts, job-position approvals and indicators are levels; the rest
 * are counters. Metric names: services/README.md. */
#include "base/err.h"
#include "base/metric.h"
#include "ingest/ingest.h"
#include "ingest/ingest_level.h"
#include "service.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

static const char *const categories[] = {"cong-chuc", "hop-dong", "vien-chuc", "cbcc-xa",
                                         "kct-xa",    "kct-ap",   "nhd-ap",    NULL};

#define COUNT_MAX 10000000 /* people: a bound that catches a misplaced amount */
#define INDICATOR_MAX 1000000000000LL

/* The row of a form: its STT ("2.1", "1.5.3"), or an extra code a report
 * documents ("3.units"): lower-case words and numbers joined by dots. */
static int valid_row(const char *s, size_t n)
{
    if (n == 0 || n > 16 || s[0] == '.' || s[n - 1] == '.')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') || s[i] == '_' ||
              (s[i] == '.' && s[i + 1] != '.')))
            return 0;
    return 1;
}

static int on_headcount(void *state, const struct ingest_type *t, const struct ingest_record *r,
                        struct proto_event *ev, struct ingest_out *out, char *why, size_t cap)
{
    const char *cat;
    int64_t n[3];
    char name[3][96];
    if (ingest_enum(r->obj, "category", categories, &cat, why, cap) ||
        ingest_int(r->obj, "quota", 0, COUNT_MAX, &n[0], why, cap) ||
        ingest_int(r->obj, "present", 0, COUNT_MAX, &n[1], why, cap))
        return CCHC_EINVAL;
    n[2] = 0;
    if (json_object_get(r->obj, "qualified") &&
        ingest_int(r->obj, "qualified", 0, n[1], &n[2], why, cap))
        return CCHC_EINVAL;
    snprintf(name[0], sizeof name[0], "quota.%s", cat);
    snprintf(name[1], sizeof name[1], "present.%s", cat);
    snprintf(name[2], sizeof name[2], "qualified.%s", cat);
    const char *names[] = {name[0], name[1], name[2]};
    ev->cat = ev->key = proto_cstr(cat);
    return ingest_emit_level(out, r->levels, ev, names, n, 3);
}

/* recruited, transferred, trained, disciplined, streamlined: a count of people. */
static int on_counter(void *state, const struct ingest_type *t, const struct ingest_record *r,
                      struct proto_event *ev, struct ingest_out *out, char *why, size_t cap)
{
    const char *cat;
    int64_t count;
    char name[96];
    if (ingest_enum(r->obj, "category", categories, &cat, why, cap) ||
        ingest_int(r->obj, "count", 0, COUNT_MAX, &count, why, cap))
        return CCHC_EINVAL;
    snprintf(name, sizeof name, "%s.%s", t->name, cat);
    ev->cat = proto_cstr(cat);
    ev->n = count;
    ev->has = PROTO_HAS_N;
    ev->m[ev->nm++] = (struct proto_metric){proto_cstr(name), count};
    return ingest_emit(out, ev);
}

static int on_job_positions(void *state, const struct ingest_type *t, const struct ingest_record *r,
                            struct proto_event *ev, struct ingest_out *out, char *why, size_t cap)
{
    int approved;
    char name[96];
    if (ingest_bool(r->obj, "approved", &approved, why, cap))
        return CCHC_EINVAL;
    snprintf(name, sizeof name, "job_positions_approved.%s",
             unit_kind_name(units_kind(r->units, r->unit)));
    const char *names[] = {name};
    int64_t v = approved;
    return ingest_emit_level(out, r->levels, ev, names, &v, 1);
}

static int on_indicator(void *state, const struct ingest_type *t, const struct ingest_record *r,
                        struct proto_event *ev, struct ingest_out *out, char *why, size_t cap)
{
    const char *row;
    size_t row_len;
    int64_t form, value;
    char name[96];
    if (ingest_int(r->obj, "form", 1, 7, &form, why, cap) ||
        ingest_str(r->obj, "row", 16, &row, &row_len, why, cap) ||
        ingest_int(r->obj, "value", -INDICATOR_MAX, INDICATOR_MAX, &value, why, cap))
        return CCHC_EINVAL;
    if (!valid_row(row, row_len)) {
        snprintf(why, cap, "field \"row\": \"%.16s\" is not a form row like 2.1, 1.5.3 or 3.units",
                 row);
        return CCHC_EINVAL;
    }
    if (metric_is_rate(row, row_len)) {
        snprintf(why, cap,
                 "field \"row\": \"%.16s\": a row ending in " METRIC_RATE_SUFFIX
                 " is a rate, computed from its parts: send the parts",
                 row);
        return CCHC_EINVAL;
    }
    snprintf(name, sizeof name, "f%d.%s", (int)form, row);
    const char *names[] = {name};
    ev->key = proto_cstr(name); /* one series per form row */
    return ingest_emit_level(out, r->levels, ev, names, &value, 1);
}

/* The record types, each with its handler. */
static const struct ingest_type types[] = {
    {"headcount", on_headcount, NULL},
    {"recruited", on_counter, NULL},
    {"transferred", on_counter, NULL},
    {"trained", on_counter, NULL},
    {"disciplined", on_counter, NULL},
    {"streamlined", on_counter, NULL},
    {"job_positions", on_job_positions, NULL},
    {"indicator", on_indicator, NULL},
    {0},
};

struct ingest_service *cchc_service_new(void)
{
    struct ingest_service *svc = g_new0(struct ingest_service, 1);
    *svc = (struct ingest_service){
        .name = "staffing",
        .default_port = 8082,
        .types = types,
    };
    return svc;
}

void cchc_service_free(struct ingest_service *svc)
{
    g_free(svc);
}
