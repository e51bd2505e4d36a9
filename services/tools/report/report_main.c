/* cchc-report: prints the CCHC statistical forms of a unit over a window of
 * days, from Redis only (the aggregator's totals, services/aggregator/REDIS.md).
 * Options here; where figures come from in figures.c, what the rows are in
 * form<N>.c, how they print in render_*.c. */
#include "base/config.h"
#include "base/err.h"
#include "base/period.h"
#include "base/units.h"
#include "forms.h"
#include "load.h"
#include "render.h"
#include "store/store.h"
#include "sums.h"

#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define REDIS_TIMEOUT_MS 5000

static const char usage[] =
    "usage: cchc-report --unit UNIT (--from YYYY-MM-DD --to YYYY-MM-DD | --period NAME)\n"
    "                   [--form 1..7|all] [--format text|json|csv|xlsx] [--out FILE]\n"
    "                   [--as-of YYYY-MM-DD [--units FILE]] [--redis URL]\n"
    "\n"
    "Prints the CCHC statistical forms (Biểu mẫu 1-7) of a unit and its subtree for\n"
    "a window of days, both included, reading Redis only. Counters are summed over\n"
    "the window; levels (headcounts, catalogues, plans, manual indicators) are the\n"
    "value in force at its last day. Rates have two decimals, rounded half up,\n"
    "never 0.00 or 100.00 for a share strictly between; a division by zero, or an\n"
    "indicator nobody reported, prints empty (JSON null).\n"
    "\n"
    "  --period takes an official period, cut on the 14th/15th: 2022 (15/12/2021 -\n"
    "  14/12/2022), 2022-H1, 2022-Q1 (15/12/2021 - 14/03/2022), 2022-05 (15/04 - 14/05).\n"
    "  --format json prints one line per form, the contract of\n"
    "  services/tools/report/README.md:\n"
    "    {\"form\":3,\"unit\":\"kg.rachgia\",\"from\":\"2021-12-15\",\"to\":\"2022-11-30\",\n"
    "     \"rows\":{\"3.2.1\":45148,\"3.2\":93.56,\"1.2\":null,...}}\n"
    "  (--form all: one such object a line, NDJSON).\n"
    "  --format csv prints RFC 4180 records form,code,label,unit,value (UTF-8, CRLF),\n"
    "  one header, then one record per JSON row of every form asked for.\n"
    "  --format xlsx writes an Excel workbook, one sheet per form; it needs --out.\n"
    "  --out FILE writes there instead of stdout, replacing FILE only once the\n"
    "  whole report is written.\n"
    "  --as-of DATE reports today's units: the unit, valid on DATE, with the\n"
    "  history of every unit it succeeded (merged into it, or split with it\n"
    "  named history=, in the registry --units, env CCHC_UNITS) added, each\n"
    "  predecessor's days once. Without it, figures are as recorded: each event\n"
    "  under the units in force on its day. A window in which the report's\n"
    "  provinces had no district (the two-tier system since 1 July 2025, by the\n"
    "  registry --units) has no district rows.\n"
    "\n"
    "Environment: CCHC_REDIS_URL (--redis wins over it), CCHC_UNITS (--units).\n"
    "Exit status: 0 printed, 1 Redis unreachable or failing, unknown unit, bad\n"
    "figures, output not written; 2 bad usage.\n";

enum format { FMT_TEXT, FMT_JSON, FMT_CSV, FMT_XLSX };

struct args {
    const char *unit, *from, *to, *period, *form, *format, *out, *redis_url, *as_of, *units;
    /* validated */
    int64_t from_day, to_day, as_of_day;
    const struct report_form *one; /* NULL: every form */
    enum format fmt;
};

static int usage_error(const char *option, const char *value, const char *why)
{
    if (value)
        fprintf(stderr, "error: %s '%s': %s (see --help)\n", option, value, why);
    else
        fprintf(stderr, "error: %s: %s (see --help)\n", option, why);
    return 2;
}

/* Step three of the configuration: every value checked, the bad one named.
 * 0, or the exit status 2 after the message. */
static int validate(struct args *a)
{
    if (!a->unit)
        return usage_error("--unit", NULL, "required, e.g. --unit kg.rachgia");
    /* Refused here rather than looked up as a Redis key. */
    if (!units_id_valid(a->unit, strlen(a->unit)))
        return usage_error("--unit", a->unit,
                           "not a unit id (lower-case ASCII letters, digits, '-', dots)");
    if (a->period) {
        if (a->from || a->to)
            return usage_error("--period", a->period, "give --period or --from/--to, not both");
        if (cchc_period_range(a->period, &a->from_day, &a->to_day))
            return usage_error("--period", a->period,
                               "not an official period: 2022, 2022-H1, 2022-Q1, 2022-05");
    } else {
        if (!a->from)
            return usage_error("--from", NULL, "required (or --period), e.g. --from 2021-12-15");
        if (!a->to)
            return usage_error("--to", NULL, "required (or --period), e.g. --to 2022-11-30");
        if (cchc_day_parse(a->from, &a->from_day))
            return usage_error("--from", a->from, "not a date YYYY-MM-DD");
        if (cchc_day_parse(a->to, &a->to_day))
            return usage_error("--to", a->to, "not a date YYYY-MM-DD");
        if (a->to_day < a->from_day)
            return usage_error("--to", a->to, "is before --from");
    }
    if (a->as_of && cchc_day_parse(a->as_of, &a->as_of_day))
        return usage_error("--as-of", a->as_of, "not a date YYYY-MM-DD");
    static const char *const formats[] = {"text", "json", "csv", "xlsx"};
    a->fmt = (enum format) - 1;
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++)
        if (strcmp(a->format, formats[i]) == 0)
            a->fmt = (enum format)i;
    if (a->fmt == (enum format) - 1)
        return usage_error("--format", a->format, "must be text, json, csv or xlsx");
    if (a->fmt == FMT_XLSX && !a->out)
        return usage_error("--out", NULL, "required with --format xlsx: a workbook is a file");
    if (a->out && !*a->out)
        return usage_error("--out", a->out, "not a file name");
    if (strcmp(a->form, "all") != 0) {
        char *end;
        errno = 0;
        long n = strtol(a->form, &end, 10);
        if (errno || end == a->form || *end || n < 1 || n > 7)
            return usage_error("--form", a->form, "must be a form number 1..7, or all");
        if (!(a->one = report_form_find((int)n)))
            return usage_error("--form", a->form, "not implemented");
    }
    return 0;
}

/* Where the report goes: stdout, or a temporary file beside --out that
 * replaces it by rename(2) once everything is written, so a failure never
 * leaves a half-written report under the name asked for. */
struct output {
    FILE *f;   /* NULL for a workbook, which libxlsxwriter writes itself */
    char *tmp; /* the temporary file, NULL for stdout */
};

static int output_open(const struct args *a, struct output *o)
{
    *o = (struct output){.f = stdout};
    if (!a->out)
        return 0;
    size_t n = strlen(a->out) + sizeof ".XXXXXX";
    o->tmp = g_malloc(n);
    snprintf(o->tmp, n, "%s.XXXXXX", a->out);
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        fprintf(stderr, "error: cannot write %s: %s\n", a->out, strerror(errno));
        g_free(o->tmp);
        o->tmp = NULL;
        return 1;
    }
    /* mkstemp makes the file private; a report is as readable as any file
     * the user creates. */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0 || (a->fmt != FMT_XLSX && !(o->f = fdopen(fd, "w")))) {
        fprintf(stderr, "error: cannot write %s: %s\n", o->tmp, strerror(errno));
        close(fd);
        unlink(o->tmp);
        g_free(o->tmp);
        o->tmp = NULL;
        return 1;
    }
    if (a->fmt == FMT_XLSX) {
        o->f = NULL;
        if (close(fd) != 0) {
            fprintf(stderr, "error: cannot write %s: %s\n", o->tmp, strerror(errno));
            unlink(o->tmp);
            g_free(o->tmp);
            o->tmp = NULL;
            return 1;
        }
    }
    return 0;
}

/* Puts the report in place (ok) or removes what was written (!ok). The
 * exit status: 0, or 1 when the report could not be put in place. */
static int output_close(const struct args *a, struct output *o, int ok)
{
    int status = 0;
    if (o->f && o->f != stdout && fclose(o->f) != 0 && ok) {
        fprintf(stderr, "error: writing %s: %s\n", o->tmp, strerror(errno));
        status = 1;
    } else if (o->f == stdout && fflush(stdout) != 0 && ok) {
        fprintf(stderr, "error: writing the report: %s\n", strerror(errno));
        status = 1;
    }
    if (o->tmp) {
        if (ok && !status && rename(o->tmp, a->out) != 0) {
            fprintf(stderr, "error: cannot write %s: %s\n", a->out, strerror(errno));
            status = 1;
        }
        if (!ok || status)
            unlink(o->tmp);
        g_free(o->tmp);
    }
    return status;
}

static int print_forms(const struct args *a, const struct report_ctx *c, struct output *o)
{
    struct report_xlsx *x = NULL;
    char why[256];
    int status = 0, first = 1;
    if (a->fmt == FMT_XLSX)
        x = report_xlsx_open(o->tmp);
    for (const struct report_form *const *f = report_forms; *f && !status; f++) {
        if (a->one && *f != a->one)
            continue;
        const char *failed = "?";
        int rc = CCHC_OK;
        switch (a->fmt) {
        case FMT_TEXT:
            rc = report_render_text(o->f, *f, c, &failed);
            break;
        case FMT_JSON:
            rc = report_render_json(o->f, *f, c, &failed);
            break;
        case FMT_CSV:
            rc = report_render_csv(o->f, *f, c, first, &failed);
            break;
        case FMT_XLSX:
            rc = report_render_xlsx(x, *f, c, &failed);
            break;
        }
        first = 0;
        if (rc == CCHC_EIO) {
            fprintf(stderr, "error: writing the report: %s\n", strerror(errno));
            status = 1;
        } else if (rc) {
            fprintf(stderr, "error: form %d row %s: %s (figures in Redis contradict each other)\n",
                    (*f)->number, failed, cchc_strerror(rc));
            status = 1;
        }
    }
    if (x && report_xlsx_close(x, why, sizeof why) != CCHC_OK && !status) {
        fprintf(stderr, "error: writing the workbook %s: %s\n", a->out, why);
        status = 1;
    }
    return status;
}

int main(int argc, char **argv)
{
    /* Step one: defaults. */
    struct args a = {.form = "all",
                     .format = "text",
                     .redis_url = CCHC_REDIS_URL_DEFAULT,
                     .units = units_default_path()};
    struct output o = {0};
    const struct cchc_opt opts[] = {
        {"--unit", NULL, CCHC_OPT_STR, &a.unit, 0, 0, "unit id, e.g. kg.rachgia (required)"},
        {"--from", NULL, CCHC_OPT_STR, &a.from, 0, 0, "first day of the window, YYYY-MM-DD"},
        {"--to", NULL, CCHC_OPT_STR, &a.to, 0, 0, "last day of the window, YYYY-MM-DD, included"},
        {"--period", NULL, CCHC_OPT_STR, &a.period, 0, 0,
         "official period instead of --from/--to: 2022, 2022-H1, 2022-Q1, 2022-05"},
        {"--form", NULL, CCHC_OPT_STR, &a.form, 0, 0, "form number 1..7, or all"},
        {"--format", NULL, CCHC_OPT_STR, &a.format, 0, 0, "text, json, csv or xlsx"},
        {"--out", NULL, CCHC_OPT_STR, &a.out, 0, 0,
         "write to FILE instead of stdout (required for xlsx)"},
        {"--redis", "CCHC_REDIS_URL", CCHC_OPT_STR, &a.redis_url, 0, 0,
         "Redis: redis://HOST:PORT/DB or unix:///PATH[?db=N]"},
        {"--as-of", NULL, CCHC_OPT_STR, &a.as_of, 0, 0,
         "today's units on DATE: the unit with its predecessors' history"},
        {"--units", "CCHC_UNITS", CCHC_OPT_STR, &a.units, 0, 0,
         "unit registry (TSV) --as-of reads the successions from"},
        {0},
    };
    /* Step two: environment, then flags (exits 0 on --help, 2 on an unknown flag). */
    cchc_opts_parse(argc, argv, opts, usage, NULL, NULL);
    int status = validate(&a);
    if (status)
        return status;

    struct store *s = NULL;
    struct report_sums *sums = NULL;
    struct report_unit info;
    char why[512], why_units[512];
    /* The registry, for --as-of and the two-tier forms; a report without
     * --as-of does without it. */
    struct units *units = NULL;
    if (units_load(a.units, &units, why_units, sizeof why_units))
        units = NULL;
    int rc = store_open(a.redis_url, REDIS_TIMEOUT_MS, &s);
    char shown[256];
    store_url_shown(a.redis_url, shown, sizeof shown);
    if (rc == CCHC_EINVAL) {
        status = usage_error("--redis", shown, store_errstr(s));
        goto cleanup;
    }
    if (rc) {
        fprintf(stderr, "error: cannot reach Redis at %s: %s\n", shown,
                s ? store_errstr(s) : cchc_strerror(rc));
        status = 1;
        goto cleanup;
    }
    sums = report_sums_new();
    struct report_query q = {a.unit, a.from_day, a.to_day, a.as_of != NULL, a.as_of_day, 0};
    rc = report_load(s, units, why_units, &q, &info, sums, why, sizeof why);
    if (rc) {
        fprintf(stderr, "error: %s\n", why);
        status = 1;
        goto cleanup;
    }
    /* Only now that the figures are in: a report that cannot be computed
     * never touches --out. */
    if ((status = output_open(&a, &o)))
        goto cleanup;
    struct report_ctx c = {a.unit,   &info, a.from_day,
                           a.to_day, sums,  report_no_districts(units, &q)};
    status = print_forms(&a, &c, &o);
    int closed = output_close(&a, &o, status == 0);
    status = status ? status : closed;
cleanup:
    report_sums_free(sums);
    store_close(s);
    units_free(units);
    return status;
}
