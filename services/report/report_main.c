/* cchc-report: prints the CCHC statistical forms of a unit over a window of
 * days, from Redis only (the aggregator's totals, services/aggregator/REDIS.md).
 * Options here; where figures come from in figures.c, what the rows are in
 * form<N>.c, how they print in render_text.c and render_json.c. */
#include "config.h"
#include "err.h"
#include "figures.h"
#include "forms.h"
#include "period.h"
#include "render.h"
#include "store.h"
#include "sums.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REDIS_TIMEOUT_MS 5000
#define UNIT_MAX 200

static const char usage[] =
    "usage: cchc-report --unit UNIT (--from YYYY-MM-DD --to YYYY-MM-DD | --period NAME)\n"
    "                   [--form 3|all] [--format text|json] [--redis URL]\n"
    "\n"
    "Prints the CCHC statistical forms (Biểu mẫu) of a unit and its subtree for a\n"
    "window of days, both included, reading Redis only. Rates have two decimals,\n"
    "rounded half up, never 0.00 or 100.00 for a share strictly between; a\n"
    "division by zero prints empty (JSON null).\n"
    "\n"
    "  --period takes an official period, cut on the 14th/15th: 2022 (15/12/2021 -\n"
    "  14/12/2022), 2022-H1, 2022-Q1 (15/12/2021 - 14/03/2022), 2022-05 (15/04 - 14/05).\n"
    "  --format json prints one line per form, the contract of DESIGN.md:\n"
    "    {\"form\":3,\"unit\":\"kg.rachgia\",\"from\":\"2021-12-15\",\"to\":\"2022-11-30\",\n"
    "     \"rows\":{\"3.2.1\":45148,\"3.2\":93.56,\"1.1\":null,...}}\n"
    "  (--form all: one such object a line, NDJSON). Forms implemented: 3.\n"
    "\n"
    "Environment: CCHC_REDIS_URL (--redis wins over it).\n"
    "Exit status: 0 printed, 1 Redis unreachable or failing, unknown unit, bad\n"
    "figures; 2 bad usage.\n";

struct args {
    const char *unit, *from, *to, *period, *form, *format, *redis_url;
    /* validated */
    int64_t from_day, to_day;
    const struct report_form *one; /* NULL: every implemented form */
    int json;
};

static int usage_error(const char *option, const char *value, const char *why)
{
    if (value)
        fprintf(stderr, "error: %s '%s': %s (see --help)\n", option, value, why);
    else
        fprintf(stderr, "error: %s: %s (see --help)\n", option, why);
    return 2;
}

/* Unit ids are dotted ASCII slugs (DOMAIN.md); anything else cannot be one,
 * and is better refused here than looked up as a Redis key. */
static int valid_unit(const char *u)
{
    size_t n = strlen(u);
    if (n == 0 || n > UNIT_MAX)
        return 0;
    for (const char *p = u; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '-' || *p == '_'))
            return 0;
    return 1;
}

/* Step three of the configuration: every value checked, the bad one named.
 * 0, or the exit status 2 after the message. */
static int validate(struct args *a)
{
    if (!a->unit)
        return usage_error("--unit", NULL, "required, e.g. --unit kg.rachgia");
    if (!valid_unit(a->unit))
        return usage_error("--unit", a->unit, "not a unit id (letters, digits, '.', '-', '_')");
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
    if (strcmp(a->format, "json") == 0)
        a->json = 1;
    else if (strcmp(a->format, "text") != 0)
        return usage_error("--format", a->format, "must be text or json");
    if (strcmp(a->form, "all") != 0) {
        char *end;
        errno = 0;
        long n = strtol(a->form, &end, 10);
        if (errno || end == a->form || *end || n < 1 || n > 7)
            return usage_error("--form", a->form, "must be a form number 1..7, or all");
        if (!(a->one = report_form_find((int)n)))
            return usage_error("--form", a->form, "not implemented yet (implemented: 3, all)");
    }
    return 0;
}

static int print_forms(const struct args *a, const struct report_ctx *c)
{
    for (const struct report_form *const *f = report_forms; *f; f++) {
        if (a->one && *f != a->one)
            continue;
        const char *failed = "?";
        int rc = a->json ? report_render_json(stdout, *f, c, &failed)
                         : report_render_text(stdout, *f, c, &failed);
        if (rc == CCHC_EIO) {
            fprintf(stderr, "error: writing the report: %s\n", strerror(errno));
            return 1;
        }
        if (rc) {
            fprintf(stderr, "error: form %d row %s: %s (figures in Redis contradict each other)\n",
                    (*f)->number, failed, cchc_strerror(rc));
            return 1;
        }
    }
    if (fflush(stdout) != 0) {
        fprintf(stderr, "error: writing the report: %s\n", strerror(errno));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    /* Step one: defaults. */
    struct args a = {.form = "all", .format = "text", .redis_url = CCHC_REDIS_URL_DEFAULT};
    const struct cchc_opt opts[] = {
        {"--unit", NULL, CCHC_OPT_STR, &a.unit, 0, 0, "unit id, e.g. kg.rachgia (required)"},
        {"--from", NULL, CCHC_OPT_STR, &a.from, 0, 0, "first day of the window, YYYY-MM-DD"},
        {"--to", NULL, CCHC_OPT_STR, &a.to, 0, 0, "last day of the window, YYYY-MM-DD, included"},
        {"--period", NULL, CCHC_OPT_STR, &a.period, 0, 0,
         "official period instead of --from/--to: 2022, 2022-H1, 2022-Q1, 2022-05"},
        {"--form", NULL, CCHC_OPT_STR, &a.form, 0, 0, "form number (3), or all implemented"},
        {"--format", NULL, CCHC_OPT_STR, &a.format, 0, 0, "text or json"},
        {"--redis", "CCHC_REDIS_URL", CCHC_OPT_STR, &a.redis_url, 0, 0,
         "Redis: redis://HOST:PORT/DB or unix:///PATH[?db=N]"},
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
    char why[512];
    int rc = store_open(a.redis_url, REDIS_TIMEOUT_MS, &s);
    if (rc == CCHC_EINVAL) {
        status = usage_error("--redis", a.redis_url, store_errstr(s));
        goto cleanup;
    }
    if (rc) {
        fprintf(stderr, "error: cannot reach Redis at %s: %s\n", a.redis_url,
                s ? store_errstr(s) : cchc_strerror(rc));
        status = 1;
        goto cleanup;
    }
    if ((rc = report_sums_new(&sums))) {
        fprintf(stderr, "error: %s\n", cchc_strerror(rc));
        status = 1;
        goto cleanup;
    }
    rc = report_figures_load(s, a.unit, a.from_day, a.to_day, &info, sums, why, sizeof why);
    if (rc) {
        fprintf(stderr, "error: %s\n", why);
        status = 1;
        goto cleanup;
    }
    struct report_ctx c = {a.unit, &info, a.from_day, a.to_day, sums};
    status = print_forms(&a, &c);
cleanup:
    report_sums_free(sums);
    store_close(s);
    return status;
}
