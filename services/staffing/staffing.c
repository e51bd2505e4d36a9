/* cchc-staffing: organisation and staffing (forms 4 and 5), and the manually
 * reported indicators of the forms that no office system holds (forms 1 and
 * 2 and a few rows elsewhere: the Home Affairs office compiles them).
 * Headcounts, job-position approvals and indicators are levels; the rest
 * are counters. Metric names: services/README.md. */
#include "base/err.h"
#include "ingest/ingest.h"
#include "ingest/ingest_level.h"

#include <stdio.h>
#include <string.h>

static const char *const categories[] = {"cong-chuc", "hop-dong", "vien-chuc", "cbcc-xa",
                                         "kct-xa",    "kct-ap",   "nhd-ap",    NULL};

#define COUNT_MAX 10000000 /* people: a bound that catches a misplaced amount */
#define INDICATOR_MAX 1000000000000LL

static struct proto_str str(const char *s)
{
    return (struct proto_str){s, (uint32_t)strlen(s)};
}

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

/* A record type's own part: checks its fields and emits its events. ev holds
 * what every event of the record carries (type, id, unit, at); the rest is zero. */
typedef int handler_fn(const struct units *units, const struct ingest_record *r,
                       struct proto_event *ev, struct ingest_out *out, char *why, size_t cap);

static int on_headcount(const struct units *units, const struct ingest_record *r,
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
    ev->cat = ev->key = str(cat);
    return ingest_emit_level(out, r->levels, ev, names, n, 3);
}

/* recruited, transferred, trained, disciplined, streamlined: a count of people. */
static int on_counter(const struct units *units, const struct ingest_record *r,
                      struct proto_event *ev, struct ingest_out *out, char *why, size_t cap)
{
    const char *cat;
    int64_t count;
    char name[96];
    if (ingest_enum(r->obj, "category", categories, &cat, why, cap) ||
        ingest_int(r->obj, "count", 0, COUNT_MAX, &count, why, cap))
        return CCHC_EINVAL;
    snprintf(name, sizeof name, "%s.%s", r->type, cat);
    ev->cat = str(cat);
    ev->n = count;
    ev->has = PROTO_HAS_N;
    ev->m[ev->nm++] = (struct proto_metric){str(name), count};
    return ingest_emit(out, ev);
}

static int on_job_positions(const struct units *units, const struct ingest_record *r,
                            struct proto_event *ev, struct ingest_out *out, char *why, size_t cap)
{
    int approved;
    char name[96];
    if (ingest_bool(r->obj, "approved", &approved, why, cap))
        return CCHC_EINVAL;
    snprintf(name, sizeof name, "job_positions_approved.%s",
             unit_kind_name(units_kind(units, r->unit)));
    const char *names[] = {name};
    int64_t v = approved;
    return ingest_emit_level(out, r->levels, ev, names, &v, 1);
}

static int on_indicator(const struct units *units, const struct ingest_record *r,
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
    if (row_len > 4 && memcmp(row + row_len - 4, "_pct", 4) == 0) {
        /* Names ending in _pct are the rates Redis derives (REDIS.md). */
        snprintf(why, cap,
                 "field \"row\": \"%.16s\": a row ending in _pct is a rate, computed from its "
                 "parts: send the parts",
                 row);
        return CCHC_EINVAL;
    }
    snprintf(name, sizeof name, "f%d.%s", (int)form, row);
    const char *names[] = {name};
    ev->key = str(name); /* one series per form row */
    return ingest_emit_level(out, r->levels, ev, names, &value, 1);
}

/* The record types, each with its handler; the service accepts these and
 * no other (main derives its `types` from here). */
static const struct {
    const char *type;
    handler_fn *fn;
} handlers[] = {
    {"headcount", on_headcount},         {"recruited", on_counter},
    {"transferred", on_counter},         {"trained", on_counter},
    {"disciplined", on_counter},         {"streamlined", on_counter},
    {"job_positions", on_job_positions}, {"indicator", on_indicator},
};
#define N_TYPES (sizeof handlers / sizeof handlers[0])

static int on_record(void *state, const struct units *units, const struct ingest_record *r,
                     struct ingest_out *out, char *why, size_t cap)
{
    char id[INGEST_ID_MAX + 1], type[48];
    snprintf(id, sizeof id, "%.*s", (int)r->id_len, r->id);
    snprintf(type, sizeof type, "staffing.%s", r->type);
    struct proto_event ev = {
        .type = str(type), .id = str(id), .unit = str(units_id(units, r->unit)), .at_ms = r->at_ms};
    for (size_t i = 0; i < N_TYPES; i++)
        if (strcmp(r->type, handlers[i].type) == 0)
            return handlers[i].fn(units, r, &ev, out, why, cap);
    snprintf(why, cap, "field \"type\": no handler for \"%.40s\"", r->type);
    return CCHC_EINVAL;
}

int main(int argc, char **argv)
{
    const char *types[N_TYPES + 1] = {0};
    for (size_t i = 0; i < N_TYPES; i++)
        types[i] = handlers[i].type;
    const struct ingest_service svc = {
        .name = "staffing",
        .default_port = 8082,
        .types = types,
        .record = on_record,
    };
    return ingest_main(argc, argv, &svc);
}
