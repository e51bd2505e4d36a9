/* The "country" scenario, for benchmarks: a registry shaped like a country
 * (provinces, districts, communes) and records over `days` days from
 * 2023-01-01 (a year by default; one day is what a live stream looks like to
 * the aggregator), mostly dossiers, for all four services, in time order. expected.json holds what
 * the records add up to at the root for all time, counted here by the generator's own rules (late
 * iff resolved after due; early iff resolved on a local day before due's). */
#include "loadgen.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DELAY_DAYS 20 /* a dossier is resolved within this many days */

enum {
    M_RECEIVED,
    M_RECEIVED_DIRECT,
    M_RECEIVED_ONLINE,
    M_RECEIVED_POSTAL,
    M_RESOLVED,
    M_EARLY,
    M_ON_TIME,
    M_LATE,
    M_DOCS_IN,
    M_DOCS_OUT,
    M_REVENUE,
    M_RECRUITED,
    M_COUNT
};
static const char *const metric_names[M_COUNT] = {
    "received",     "received_direct", "received_online",  "received_postal",
    "resolved",     "resolved_early",  "resolved_on_time", "resolved_late",
    "documents_in", "documents_out",   "revenue",          "recruited.cong-chuc"};
static const char *const channels[] = {"direct", "online", "postal"};

struct pending { /* a resolution due on a later day */
    uint64_t dossier;
    uint32_t unit;
    int64_t at, due;
};

struct out {
    FILE *f[LG_N_SERVICES];
    uint64_t n[LG_N_SERVICES];
    int64_t total[M_COUNT];
};

static void unit_id(char *buf, size_t cap, uint32_t u, uint32_t per_p, uint32_t per_d)
{
    snprintf(buf, cap, "vn.p%02u.d%02u.c%02u", u / per_p + 1, u % per_p / per_d + 1, u % per_d + 1);
}

static int write_units(const char *dir, uint32_t provinces, uint32_t districts, uint32_t communes)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/units.tsv", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "# cchc-loadgen country: %u provinces x %u districts x %u communes\n", provinces,
            districts, communes);
    fprintf(f, "vn\tprovince\tgovernment\tViệt Nam\n");
    for (uint32_t p = 1; p <= provinces; p++) {
        fprintf(f, "vn.p%02u\tprovince\tgovernment\tTỉnh %u\n", p, p);
        for (uint32_t d = 1; d <= districts; d++) {
            fprintf(f, "vn.p%02u.d%02u\tdistrict\tgovernment\tHuyện %u.%u\n", p, d, p, d);
            for (uint32_t c = 1; c <= communes; c++)
                fprintf(f, "vn.p%02u.d%02u.c%02u\tcommune\tgovernment\tXã %u.%u.%u\n", p, d, c, p,
                        d, c);
        }
    }
    return fclose(f) ? -1 : 0;
}

static int open_files(struct out *o, const char *dir)
{
    for (int s = 0; s < LG_N_SERVICES; s++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s-000.ndjson", dir, lg_service_names[s]);
        if (!(o->f[s] = fopen(path, "w")))
            return -1;
    }
    return 0;
}

int lg_country(const char *dir, uint64_t records, uint32_t units, uint32_t days)
{
    /* About units communes: 10 districts a province, 15 communes a district. */
    uint32_t communes = 15, districts = 10;
    uint32_t provinces = (units + districts * communes - 1) / (districts * communes);
    if (provinces < 1)
        provinces = 1;
    if (provinces > 99)
        provinces = 99;
    uint32_t leaves = provinces * districts * communes;
    struct out o = {0};
    int rc = -1;
    struct pending *due[MAX_DELAY_DAYS + 1] = {0};
    size_t n_due[MAX_DELAY_DAYS + 1] = {0}, cap_due[MAX_DELAY_DAYS + 1] = {0};
    if (write_units(dir, provinces, districts, communes) || open_files(&o, dir))
        goto done;
    struct lg_rng rng = {0x636368632d636f75u};
    uint64_t per_day = records / days + 1, dossiers = 0, seq = 0, written = 0, pending = 0;
    int64_t day0 = lg_day_from_civil(2023, 1, 1);
    char unit[64], at[LG_TIME_LEN], when[LG_TIME_LEN];
    for (int64_t day = 0; (written < records && day < days) || pending; day++) {
        /* Resolutions that fall on this day first: their dossiers came earlier. */
        size_t slot = (size_t)(day % (MAX_DELAY_DAYS + 1));
        for (size_t i = 0; i < n_due[slot]; i++) {
            struct pending *p = &due[slot][i];
            unit_id(unit, sizeof unit, p->unit, districts * communes, communes);
            lg_time_format(p->at, at);
            int64_t rday = p->at / LG_DAY, dday = p->due / LG_DAY;
            int m = p->at > p->due ? M_LATE : rday < dday ? M_EARLY : M_ON_TIME;
            fprintf(o.f[LG_SVC_DOSSIER],
                    "{\"id\":\"x%" PRIu64 "\",\"type\":\"resolved\",\"unit\":\"%s\",\"at\":\"%s\","
                    "\"dossier\":\"D%" PRIu64 "\",\"return_channel\":\"direct\"}\n",
                    p->dossier, unit, at, p->dossier);
            o.total[M_RESOLVED]++, o.total[m]++, o.n[LG_SVC_DOSSIER]++, written++;
        }
        pending -= n_due[slot];
        n_due[slot] = 0;
        for (uint64_t k = 0; k < per_day && written < records && day < days; k++) {
            uint32_t u = (uint32_t)lg_rng_below(&rng, leaves);
            unit_id(unit, sizeof unit, u, districts * communes, communes);
            int64_t t = (day0 + day) * LG_DAY + 7 * 3600 + (int64_t)lg_rng_below(&rng, 11 * 3600);
            lg_time_format(t, at);
            uint64_t x = lg_rng_below(&rng, 100);
            seq++;
            if (x < 80) { /* a dossier, resolved 1 hour to 20 days later */
                uint64_t d = ++dossiers;
                int ch = (int)lg_rng_below(&rng, 3);
                int64_t due_t = t + LG_DAY + (int64_t)lg_rng_below(&rng, 14 * LG_DAY);
                lg_time_format(due_t, when);
                fprintf(o.f[LG_SVC_DOSSIER],
                        "{\"id\":\"r%" PRIu64 "\",\"type\":\"received\",\"unit\":\"%s\","
                        "\"at\":\"%s\",\"dossier\":\"D%" PRIu64 "\",\"procedure\":\"1.%03u\","
                        "\"field\":\"f\",\"channel\":\"%s\",\"due\":\"%s\"}\n",
                        d, unit, at, d, (unsigned)(d % 50), channels[ch], when);
                o.total[M_RECEIVED]++, o.total[M_RECEIVED_DIRECT + ch]++;
                o.n[LG_SVC_DOSSIER]++, written++;
                int64_t rt = t + 3600 + (int64_t)lg_rng_below(&rng, MAX_DELAY_DAYS * LG_DAY);
                int64_t rday = rt / LG_DAY - (day0 + day);
                if (rday < 1)
                    rday = 1; /* same-day resolutions go to tomorrow's list, still after */
                size_t s = (size_t)((day + rday) % (MAX_DELAY_DAYS + 1));
                if (n_due[s] == cap_due[s]) {
                    size_t cap = cap_due[s] ? 2 * cap_due[s] : 1024;
                    struct pending *np = realloc(due[s], cap * sizeof *np);
                    if (!np)
                        goto done;
                    due[s] = np, cap_due[s] = cap;
                }
                if (rt < (day0 + day + rday) * LG_DAY)
                    rt = (day0 + day + rday) * LG_DAY + 8 * 3600;
                due[s][n_due[s]++] = (struct pending){d, u, rt, due_t};
                pending++;
            } else if (x < 88) {
                int in = (int)lg_rng_below(&rng, 2);
                fprintf(o.f[LG_SVC_EGOV],
                        "{\"id\":\"e%" PRIu64 "\",\"type\":\"document\",\"unit\":\"%s\","
                        "\"at\":\"%s\",\"direction\":\"%s\",\"electronic\":true}\n",
                        seq, unit, at, in ? "in" : "out");
                o.total[in ? M_DOCS_IN : M_DOCS_OUT]++, o.n[LG_SVC_EGOV]++, written++;
            } else if (x < 94) {
                int64_t amount = 1000 + (int64_t)lg_rng_below(&rng, 1000000000);
                fprintf(o.f[LG_SVC_FINANCE],
                        "{\"id\":\"f%" PRIu64 "\",\"type\":\"revenue\",\"unit\":\"%s\","
                        "\"at\":\"%s\",\"amount\":%" PRId64 "}\n",
                        seq, unit, at, amount);
                o.total[M_REVENUE] += amount, o.n[LG_SVC_FINANCE]++, written++;
            } else {
                int64_t count = 1 + (int64_t)lg_rng_below(&rng, 3);
                fprintf(o.f[LG_SVC_STAFFING],
                        "{\"id\":\"s%" PRIu64 "\",\"type\":\"recruited\",\"unit\":\"%s\","
                        "\"at\":\"%s\",\"category\":\"cong-chuc\",\"count\":%" PRId64 "}\n",
                        seq, unit, at, count);
                o.total[M_RECRUITED] += count, o.n[LG_SVC_STAFFING]++, written++;
            }
        }
    }
    char path[4200];
    snprintf(path, sizeof path, "%s/expected.json", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        goto done;
    fprintf(f, "{\"scenario\":\"country\",\"units\":%u,\"root\":\"vn\",\"records\":{",
            leaves + 1 + provinces + provinces * districts);
    for (int s = 0; s < LG_N_SERVICES; s++)
        fprintf(f, "%s\"%s\":%" PRIu64, s ? "," : "", lg_service_names[s], o.n[s]);
    fprintf(f, "},\"all\":{");
    for (int m = 0; m < M_COUNT; m++)
        fprintf(f, "%s\"%s\":%" PRId64, m ? "," : "", metric_names[m], o.total[m]);
    fprintf(f, "}}\n");
    rc = fclose(f) ? -1 : 0;
    printf("country: %" PRIu64 " records (%" PRIu64 " dossier, %" PRIu64 " staffing, %" PRIu64
           " finance, %" PRIu64 " egov) at %u communes of %u provinces under %s\n",
           written, o.n[LG_SVC_DOSSIER], o.n[LG_SVC_STAFFING], o.n[LG_SVC_FINANCE],
           o.n[LG_SVC_EGOV], leaves, provinces, dir);
done:
    for (int s = 0; s < LG_N_SERVICES; s++)
        if (o.f[s] && fclose(o.f[s]))
            rc = -1;
    for (int s = 0; s <= MAX_DELAY_DAYS; s++)
        free(due[s]);
    return rc;
}
