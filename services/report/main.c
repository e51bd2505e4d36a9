/* cchc-report: prints the CCHC forms for a unit and a window from Redis. */
#include "config.h"
#include "err.h"
#include "figures.h"
#include "forms.h"
#include "log.h"
#include "period.h"
#include "render.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage_error(const char *msg, const char *value)
{
    fprintf(stderr, "error: %s%s%s (see --help)\n", msg, value ? ": " : "", value ? value : "");
    return 2;
}

int main(int argc, char **argv)
{
    cchc_log_init("cchc-report");
    const char *redis_url = CCHC_REDIS_URL_DEFAULT, *unit = NULL, *from = NULL, *to = NULL;
    const char *period = NULL, *form = "all", *format = "text";
    const struct cchc_opt opts[] = {
        {"--unit", NULL, CCHC_OPT_STR, &unit, 0, 0, "unit id, e.g. kg.rachgia (required)"},
        {"--from", NULL, CCHC_OPT_STR, &from, 0, 0, "first day YYYY-MM-DD (with --to)"},
        {"--to", NULL, CCHC_OPT_STR, &to, 0, 0, "last day YYYY-MM-DD, included"},
        {"--period", NULL, CCHC_OPT_STR, &period, 0, 0,
         "an official period instead: 2022, 2022-H1, 2022-Q1, 2022-05"},
        {"--form", NULL, CCHC_OPT_STR, &form, 0, 0, "form number, or all"},
        {"--format", NULL, CCHC_OPT_STR, &format, 0, 0, "text or json"},
        {"--redis", "CCHC_REDIS_URL", CCHC_OPT_STR, &redis_url, 0, 0,
         "Redis URL (redis://HOST:PORT/DB or unix:///PATH)"},
        {0},
    };
    cchc_opts_parse(
        argc, argv, opts,
        "usage: cchc-report --unit UNIT (--from DAY --to DAY | --period NAME)\n"
        "                   [--form N|all] [--format text|json]\n"
        "Prints the CCHC statistical forms for a unit's subtree over a window,\n"
        "from Redis only. Official periods are cut on the 14th/15th (a year runs\n"
        "from 15 December to 14 December). JSON: one object a form, one a line:\n"
        "{\"form\":3,\"unit\":..,\"from\":..,\"to\":..,\"rows\":{\"3.2.1\":45148,...}}.\n"
        "Forms implemented: 3.",
        NULL, NULL);
    if (!unit)
        return usage_error("--unit is required", NULL);
    int64_t a, b;
    if (period) {
        if (from || to)
            return usage_error("give --period or --from/--to, not both", NULL);
        if (cchc_period_range(period, &a, &b))
            return usage_error("--period is not 2022, 2022-H1, 2022-Q1 or 2022-05", period);
    } else {
        if (!from || !to)
            return usage_error("--from and --to (or --period) are required", NULL);
        if (cchc_day_parse(from, &a))
            return usage_error("--from is not a date YYYY-MM-DD", from);
        if (cchc_day_parse(to, &b))
            return usage_error("--to is not a date YYYY-MM-DD", to);
        if (b < a)
            return usage_error("--to is before --from", to);
    }
    int json = strcmp(format, "json") == 0;
    if (!json && strcmp(format, "text") != 0)
        return usage_error("--format must be text or json", format);
    const struct form_def *one = NULL;
    if (strcmp(form, "all") != 0 && !(one = forms_find(atoi(form))))
        return usage_error("--form: no such form (implemented: 3)", form);

    struct store *s;
    if (store_open(redis_url, 5000, &s)) {
        fprintf(stderr, "error: %s\n", store_errstr(s));
        store_close(s);
        return 1;
    }
    struct figures fig;
    int rc = figures_load(s, unit, a, b, &fig);
    if (rc) {
        if (rc == CCHC_ENOTFOUND)
            fprintf(stderr,
                    "error: unknown unit '%s' (not in the registry the aggregator loaded)\n", unit);
        else
            fprintf(stderr, "error: reading Redis: %s\n", store_errstr(s));
        figures_free(&fig);
        store_close(s);
        return 1;
    }
    struct report_ctx c = {unit, a, b, &fig};
    for (const struct form_def *const *f = forms_all; *f; f++)
        if (!one || *f == one)
            (json ? render_json : render_text)(stdout, *f, &c);
    figures_free(&fig);
    store_close(s);
    return fflush(stdout) == 0 ? 0 : 1;
}
