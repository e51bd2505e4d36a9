/* cchc-units: checks unit registries (ops/units/README.md) before a
 * deployment loads them, naming the line of every problem, and says what
 * a good one holds on a day. */
#include "base/config.h"
#include "base/log.h"
#include "base/period.h"
#include "base/units.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* "FILE: ok: N units; on DAY: P provinces, D districts, C communes". */
static void summary(const char *path, int64_t day)
{
    struct units *u;
    char why[1024];
    if (units_load(path, &u, why, sizeof why)) {
        fprintf(stderr, "%s\n", why); /* units_check found nothing: never */
        return;
    }
    size_t at[3] = {0};
    for (size_t i = 0; i < units_count(u); i++)
        if (units_valid_on(u, (int)i, day) && units_kind(u, (int)i) == UNIT_GOVERNMENT)
            at[units_level(u, (int)i)]++;
    char d[CCHC_DAY_LEN];
    cchc_day_format(day, d);
    printf("%s: ok: %zu units; governments on %s: %zu provinces, %zu districts, %zu communes\n",
           path, units_count(u), d, at[UNIT_PROVINCE], at[UNIT_DISTRICT], at[UNIT_COMMUNE]);
    units_free(u);
}

int main(int argc, char **argv)
{
    cchc_log_init("cchc-units");
    const char *on = NULL;
    const struct cchc_opt opts[] = {
        {"--on", NULL, CCHC_OPT_STR, &on, 0, 0,
         "the day (YYYY-MM-DD) the summary counts units on (default: today, UTC+7)"},
        {0},
    };
    char **rest;
    int nrest;
    cchc_opts_parse(argc, argv, opts,
                    "usage: cchc-units check [--on DAY] FILE...\n"
                    "Checks unit registries (format: ops/units/README.md): prints FILE:LINE:\n"
                    "what for every problem (a bad column, a parent not listed before its\n"
                    "child, a cycle of parents, two parents on one day, a successor that does\n"
                    "not exist or is not valid the day after, a split without history=, a\n"
                    "parent not valid while its child is, one code on two units at once), or\n"
                    "FILE: ok and how many governments of each level are valid on DAY.\n"
                    "Exit 0: every file is good; 1: problems; 2: a file cannot be read.",
                    &rest, &nrest);
    if (nrest < 2 || strcmp(rest[0], "check") != 0) {
        fprintf(stderr, "usage: cchc-units check [--on DAY] FILE... (--help)\n");
        return 2;
    }
    int64_t day = cchc_day_of_ms((int64_t)time(NULL) * 1000);
    if (on && cchc_day_parse(on, &day)) {
        fprintf(stderr, "cchc-units: --on: '%s' is not a date YYYY-MM-DD\n", on);
        return 2;
    }
    int worst = 0;
    for (int k = 1; k < nrest; k++) {
        int n = units_check(rest[k], stdout);
        if (n < 0)
            worst = 2;
        else if (n > 0 && worst < 1)
            worst = 1;
        else if (n == 0)
            summary(rest[k], day);
    }
    return worst;
}
