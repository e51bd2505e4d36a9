/* cchc-loadgen: writes reference data sets, NDJSON record files whose replay
 * must give known figures, and expected.json with those figures as counted
 * from the records written. The same arguments always give the same bytes. */
#include "loadgen.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_FILES 1000

static void usage(FILE *f)
{
    fputs("usage: cchc-loadgen SCENARIO --out DIR [--files N] [--shuffle SEED]\n"
          "       cchc-loadgen country --out DIR [--records N] [--units N] [--days N]\n"
          "       cchc-loadgen angiang-2025 --out DIR\n"
          "       cchc-loadgen --help\n"
          "\n"
          "Writes one file set per service, DIR/dossier-000.ndjson .., staffing-000.ndjson ..,\n"
          "finance-000.ndjson .., egov-000.ndjson .. (records for cchc-dossier, cchc-staffing,\n"
          "cchc-finance, cchc-egov), and DIR/expected.json (the figures the records count to,\n"
          "for the scenario's window). The generator checks those counts against the\n"
          "scenario's design figures and exits non-zero, writing nothing, if they differ.\n"
          "Output is byte-identical for the same arguments.\n"
          "\n"
          "scenarios:\n"
          "  rachgia-2022     Rach Gia's 2022 report (No. 326/BC-UBND): forms 1-7 and the\n"
          "                   text's figures, window 2021-12-15 .. 2022-11-30 (UTC+7), about\n"
          "                   355,000 records\n"
          "  country          for benchmarks: a registry shaped like a country (units.tsv:\n"
          "                   provinces, 10 districts each, 15 communes each) and records\n"
          "                   from 2023-01-01 over --days days, 80% dossiers, 8% documents,\n"
          "                   6% revenue, 6% recruitment; expected.json: their totals at\n"
          "                   the root\n"
          "  angiang-2025     dossiers across the two-tier reform of 2025-07-01 at Rach Gia's\n"
          "                   communes and their successors (ops/units/angiang-2025.tsv):\n"
          "                   DIR/dossier-000.ndjson (cchc's records), DIR/dvcqg-000.jsonl\n"
          "                   (DongBoHoSoMC records, for cchc-import --format dvcqg) and\n"
          "                   expected.json: form 3 per unit as recorded and, for the two\n"
          "                   new wards, as of 2025-12-14\n"
          "options:\n"
          "  --out DIR        where to write (created if missing)\n"
          "  --files N        split each service's records into N files in contiguous chunks\n"
          "                   (1..1000, default 1); their concatenation is the single-file output\n"
          "  --shuffle SEED   the same lines of each service in a pseudo-random order (unsigned\n"
          "                   64-bit seed), so resolutions often come before their dossiers and\n"
          "                   old snapshots after new ones; default: time order\n"
          "  --records N      country: about N records (default 1,000,000)\n"
          "  --units N        country: about N communes (default 10,000)\n"
          "  --days N         country: over N days (default 365: history; 1: a live day)\n"
          "  --omit-record I  leave out the I-th record (0-based) of the dossier, staffing,\n"
          "                   finance and egov records, each in time order, one after the\n"
          "                   other: to see the self-check fail\n",
          f);
}

struct args {
    const char *scenario;
    const char *out;
    unsigned long files;
    int shuffle;
    uint64_t seed;
    long long omit;                          /* -1: none */
    unsigned long long records, units, days; /* country */
};

static int parse_number(const char *flag, const char *s, unsigned long long max,
                        unsigned long long *v)
{
    char *end;
    errno = 0;
    if (!s || !*s || *s == '-') {
        fprintf(stderr, "cchc-loadgen: %s needs a number\n", flag);
        return -1;
    }
    *v = strtoull(s, &end, 10);
    if (errno || *end || *v > max) {
        fprintf(stderr, "cchc-loadgen: %s: \"%s\" is not a number in 0..%llu\n", flag, s, max);
        return -1;
    }
    return 0;
}

/* 0: run; 1: --help done; -1: bad usage, already reported. */
static int parse_args(int argc, char **argv, struct args *a)
{
    unsigned long long v;
    *a = (struct args){.files = 1, .omit = -1, .records = 1000000, .units = 10000, .days = 365};
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(s, "--help") || !strcmp(s, "-h")) {
            usage(stdout);
            return 1;
        } else if (!strcmp(s, "--out")) {
            if (!next) {
                fprintf(stderr, "cchc-loadgen: --out needs a folder\n");
                return -1;
            }
            a->out = argv[++i];
        } else if (!strcmp(s, "--files")) {
            if (parse_number(s, next, MAX_FILES, &v))
                return -1;
            if (v == 0) {
                fprintf(stderr, "cchc-loadgen: --files must be at least 1\n");
                return -1;
            }
            a->files = (unsigned long)v;
            i++;
        } else if (!strcmp(s, "--shuffle")) {
            if (parse_number(s, next, UINT64_MAX, &v))
                return -1;
            a->shuffle = 1;
            a->seed = (uint64_t)v;
            i++;
        } else if (!strcmp(s, "--records")) {
            if (parse_number(s, next, 1000000000, &a->records))
                return -1;
            i++;
        } else if (!strcmp(s, "--days")) {
            if (parse_number(s, next, 3650, &a->days) || a->days == 0) {
                fprintf(stderr, "cchc-loadgen: --days: 1..3650\n");
                return -1;
            }
            i++;
        } else if (!strcmp(s, "--units")) {
            if (parse_number(s, next, 148500, &a->units))
                return -1;
            i++;
        } else if (!strcmp(s, "--omit-record")) {
            if (parse_number(s, next, LLONG_MAX, &v))
                return -1;
            a->omit = (long long)v;
            i++;
        } else if (s[0] != '-' && !a->scenario) {
            a->scenario = s;
        } else {
            fprintf(stderr, "cchc-loadgen: unexpected argument \"%s\" (see --help)\n", s);
            return -1;
        }
    }
    if (!a->scenario || !a->out) {
        fprintf(stderr, "cchc-loadgen: %s (see --help)\n",
                a->scenario ? "--out DIR is required" : "name a scenario");
        return -1;
    }
    if (strcmp(a->scenario, "rachgia-2022") && strcmp(a->scenario, "country") &&
        strcmp(a->scenario, "angiang-2025")) {
        fprintf(stderr,
                "cchc-loadgen: unknown scenario \"%s\" (known: rachgia-2022, country, "
                "angiang-2025)\n",
                a->scenario);
        return -1;
    }
    if (!strcmp(a->scenario, "angiang-2025") && (a->shuffle || a->omit >= 0 || a->files != 1)) {
        fprintf(stderr, "cchc-loadgen: angiang-2025 takes --out only\n");
        return -1;
    }
    if (!strcmp(a->scenario, "country") && (a->shuffle || a->omit >= 0 || a->files != 1)) {
        fprintf(stderr, "cchc-loadgen: country takes --records, --units and --days only\n");
        return -1;
    }
    return 0;
}

static int by_time(const void *a, const void *b)
{
    const struct lg_record *x = a, *y = b;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    return x->ref < y->ref ? -1 : x->ref > y->ref;
}

/* Every record once, in time order; the sort key is unique, so the order does
 * not depend on qsort's. Then each service's records together, in the order
 * of lg_service, the time order kept within each (n[s] of service s). */
static struct lg_record *make_records(const struct lg_data *d, size_t n[LG_N_SERVICES])
{
    struct lg_record *r = malloc((2 * d->n_dossiers + d->n_feedback + d->n_items + 1) * sizeof *r);
    size_t k = 0;
    if (!r) {
        fprintf(stderr, "cchc-loadgen: out of memory\n");
        return NULL;
    }
    for (size_t i = 0; i < d->n_dossiers; i++) {
        const struct lg_dossier *x = &d->dossiers[i];
        r[k++] = (struct lg_record){x->received, (uint32_t)i, LG_RECEIVED};
        if (x->resolved >= 0)
            r[k++] = (struct lg_record){x->resolved, (uint32_t)i, LG_RESOLVED};
    }
    for (size_t i = 0; i < d->n_feedback; i++)
        r[k++] = (struct lg_record){d->feedback[i].at, (uint32_t)i, LG_FEEDBACK};
    for (size_t i = 0; i < d->n_items; i++)
        r[k++] = (struct lg_record){d->items[i].at, (uint32_t)i, LG_ITEM};
    qsort(r, k, sizeof *r, by_time);
    struct lg_record *out = malloc((k + 1) * sizeof *out);
    if (!out) {
        fprintf(stderr, "cchc-loadgen: out of memory\n");
        free(r);
        return NULL;
    }
    size_t j = 0;
    for (int s = 0; s < LG_N_SERVICES; s++) {
        n[s] = 0;
        for (size_t i = 0; i < k; i++)
            if (lg_record_service(d, &r[i]) == s) {
                out[j++] = r[i];
                n[s]++;
            }
    }
    free(r);
    return out;
}

static void shuffle_records(struct lg_record *r, size_t n, uint64_t seed)
{
    struct lg_rng rng = {seed};
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)lg_rng_below(&rng, i);
        struct lg_record t = r[i - 1];
        r[i - 1] = r[j];
        r[j] = t;
    }
}

static int make_dirs(const char *path)
{
    char buf[4096];
    size_t len = strlen(path);
    if (len == 0 || len >= sizeof buf) {
        fprintf(stderr, "cchc-loadgen: --out: bad path\n");
        return -1;
    }
    memcpy(buf, path, len + 1);
    for (char *p = buf + 1;; p++) {
        if (*p != '/' && *p)
            continue;
        char c = *p;
        *p = 0;
        if (mkdir(buf, 0777) && errno != EEXIST) {
            fprintf(stderr, "cchc-loadgen: mkdir %s: %s\n", buf, strerror(errno));
            return -1;
        }
        if (!c)
            return 0;
        *p = c;
    }
}

/* A data set written before with more files would leave extra chunks that an
 * import of dossier-*.ndjson (or staffing-*, ...) would pick up. */
static int remove_stale(const char *dir, unsigned long files)
{
    DIR *dp = opendir(dir);
    struct dirent *e;
    if (!dp) {
        fprintf(stderr, "cchc-loadgen: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    while ((e = readdir(dp))) {
        unsigned k;
        int end = 0, stale = 0;
        char path[4200], fmt[64];
        for (int s = 0; s < LG_N_SERVICES && !stale; s++) {
            size_t len = strlen(lg_service_names[s]);
            snprintf(fmt, sizeof fmt, "%s-%%3u.ndjson%%n", lg_service_names[s]);
            end = 0;
            stale = strlen(e->d_name) == len + strlen("-000.ndjson") &&
                    sscanf(e->d_name, fmt, &k, &end) == 1 && end == (int)strlen(e->d_name) &&
                    k >= files;
        }
        if (!stale)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (unlink(path) && errno != ENOENT) {
            fprintf(stderr, "cchc-loadgen: unlink %s: %s\n", path, strerror(errno));
            closedir(dp);
            return -1;
        }
    }
    closedir(dp);
    return 0;
}

/* Written under a temporary name and renamed, so a reader never sees half a file. */
static FILE *open_tmp(const char *path, char *tmp, size_t cap)
{
    if ((size_t)snprintf(tmp, cap, "%s.tmp", path) >= cap) {
        fprintf(stderr, "cchc-loadgen: %s: path too long\n", path);
        return NULL;
    }
    FILE *f = fopen(tmp, "w");
    if (!f)
        fprintf(stderr, "cchc-loadgen: %s: %s\n", tmp, strerror(errno));
    return f;
}

static int close_tmp(FILE *f, const char *tmp, const char *path)
{
    int bad = ferror(f);
    if (fclose(f) || bad) {
        fprintf(stderr, "cchc-loadgen: writing %s failed: %s\n", tmp, strerror(errno));
        unlink(tmp);
        return -1;
    }
    if (rename(tmp, path)) {
        fprintf(stderr, "cchc-loadgen: rename %s: %s\n", tmp, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

static int write_chunk(const char *path, const struct lg_data *d, const struct lg_record *r,
                       size_t n)
{
    char tmp[4200], line[1024];
    static char iobuf[1 << 20];
    FILE *f = open_tmp(path, tmp, sizeof tmp);
    if (!f)
        return -1;
    setvbuf(f, iobuf, _IOFBF, sizeof iobuf);
    for (size_t i = 0; i < n; i++) {
        size_t len = lg_record_format(d, &r[i], line, sizeof line);
        if (!len || fwrite(line, 1, len, f) != len) {
            fprintf(stderr, "cchc-loadgen: %s: %s\n", tmp,
                    len ? strerror(errno) : "record too long");
            fclose(f);
            unlink(tmp);
            return -1;
        }
    }
    return close_tmp(f, tmp, path);
}

static int write_records(const char *dir, const char *service, const struct lg_data *d,
                         const struct lg_record *r, size_t n, unsigned long files)
{
    char path[4200];
    for (unsigned long i = 0; i < files; i++) {
        size_t lo = n * i / files, hi = n * (i + 1) / files;
        snprintf(path, sizeof path, "%s/%s-%03lu.ndjson", dir, service, i);
        if (write_chunk(path, d, r + lo, hi - lo))
            return -1;
    }
    return 0;
}

static int write_expected(const char *dir, const char *scenario, const struct lg_window *w,
                          const struct lg_counts *c, const size_t n[LG_N_SERVICES])
{
    char path[4200], tmp[4300];
    snprintf(path, sizeof path, "%s/expected.json", dir);
    FILE *f = open_tmp(path, tmp, sizeof tmp);
    if (!f)
        return -1;
    if (lg_write_expected(f, scenario, w, c, n)) {
        fprintf(stderr, "cchc-loadgen: %s: %s\n", tmp, strerror(errno));
        fclose(f);
        unlink(tmp);
        return -1;
    }
    return close_tmp(f, tmp, path);
}

int main(int argc, char **argv)
{
    struct args a;
    struct lg_data d = {0};
    struct lg_window w;
    struct lg_targets t;
    struct lg_counts c = {0};
    struct lg_record *recs = NULL;
    size_t n[LG_N_SERVICES] = {0}, total = 0;
    int rc = 1, p = parse_args(argc, argv, &a);
    if (p)
        return p > 0 ? 0 : 2;
    if (strlen(a.out) > 4000) {
        fprintf(stderr, "cchc-loadgen: --out: path too long\n");
        return 2;
    }
    if (!strcmp(a.scenario, "angiang-2025"))
        return make_dirs(a.out) || lg_angiang_2025(a.out) ? 1 : 0;
    if (!strcmp(a.scenario, "country"))
        return make_dirs(a.out) || lg_country(a.out, a.records, (uint32_t)a.units, (uint32_t)a.days)
                   ? 1
                   : 0;
    if (lg_rachgia_2022(&d, &w, &t))
        return 1;
    if (!(recs = make_records(&d, n)))
        goto cleanup;
    for (int s = 0; s < LG_N_SERVICES; s++)
        total += n[s];
    if (a.omit >= 0 && (size_t)a.omit < total) {
        size_t i = (size_t)a.omit, s = 0, before = 0;
        while (i >= before + n[s])
            before += n[s++];
        memmove(recs + i, recs + i + 1, (total - i - 1) * sizeof *recs);
        n[s]--;
        total--;
    }
    if (lg_count(&d, recs, total, &w, &c))
        goto cleanup;
    if (lg_check(&c, &t)) {
        fprintf(stderr, "cchc-loadgen: %s does not give its design figures; nothing written\n",
                a.scenario);
        goto cleanup;
    }
    if (make_dirs(a.out) || remove_stale(a.out, a.files))
        goto cleanup;
    for (size_t s = 0, at = 0; s < LG_N_SERVICES; at += n[s++]) {
        /* Each set shuffled with a seed of its own, the dossiers' the given one. */
        if (a.shuffle)
            shuffle_records(recs + at, n[s], a.seed ^ (0x9e3779b97f4a7c15u * s));
        if (write_records(a.out, lg_service_names[s], &d, recs + at, n[s], a.files))
            goto cleanup;
    }
    if (write_expected(a.out, a.scenario, &w, &c, n))
        goto cleanup;
    printf("%s: %zu records (%zu dossier: %zu dossiers, %zu feedback; %zu staffing, %zu finance, "
           "%zu egov) in %lu file(s) each under %s%s\n",
           a.scenario, total, n[LG_SVC_DOSSIER], d.n_dossiers, d.n_feedback, n[LG_SVC_STAFFING],
           n[LG_SVC_FINANCE], n[LG_SVC_EGOV], a.files, a.out, a.shuffle ? ", shuffled" : "");
    rc = 0;
cleanup:
    free(recs);
    lg_counts_free(&c);
    lg_data_free(&d);
    return rc;
}
