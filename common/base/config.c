#include "base/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* v as --help shows it: a password in a URL's user part
 * (scheme://USER:PASSWORD@HOST) becomes ***, whatever the option. */
static void shown(const char *v, char *out, size_t cap)
{
    const char *scheme = strstr(v, "://");
    const char *user = scheme ? scheme + 3 : NULL;
    const char *at = user ? strchr(user, '@') : NULL;
    const char *colon = at ? memchr(user, ':', (size_t)(at - user)) : NULL;
    const char *slash = user ? strchr(user, '/') : NULL;
    if (!colon || (slash && slash < at)) {
        snprintf(out, cap, "%s", v);
        return;
    }
    snprintf(out, cap, "%.*s***%s", (int)(colon + 1 - v), v, at);
}

static void print_usage(FILE *f, const struct cchc_opt *opts, const char *usage)
{
    fprintf(f, "%s\nOptions (flags override environment variables):\n", usage);
    for (const struct cchc_opt *o = opts; o->flag; o++) {
        char def[300] = "", v[256];
        if (o->type == CCHC_OPT_STR && *(const char **)o->dst) {
            shown(*(const char **)o->dst, v, sizeof v);
            snprintf(def, sizeof def, " [%s]", v);
        } else if (o->type == CCHC_OPT_INT)
            snprintf(def, sizeof def, " [%ld]", *(long *)o->dst);
        fprintf(f, "  %-20s %s%s%s%s\n", o->flag, o->help, def, o->env ? "  env " : "",
                o->env ? o->env : "");
    }
    fprintf(f, "  %-20s %s\n", "--help", "print this help and exit");
}

static void bad(const struct cchc_opt *o, const char *from, const char *value, const char *why)
{
    fprintf(stderr, "error: %s='%s': %s\n", from[0] == '-' ? o->flag : o->env, value, why);
    exit(2);
}

static void set(const struct cchc_opt *o, const char *value, const char *from)
{
    if (o->type == CCHC_OPT_STR) {
        *(const char **)o->dst = value;
        return;
    }
    if (o->type == CCHC_OPT_FLAG) {
        *(int *)o->dst = value[0] && strcmp(value, "0") != 0;
        return;
    }
    char *end;
    errno = 0;
    long v = strtol(value, &end, 10);
    if (errno || end == value || *end)
        bad(o, from, value, "not an integer");
    if (v < o->min || v > o->max) {
        char why[96];
        snprintf(why, sizeof why, "must be between %ld and %ld", o->min, o->max);
        bad(o, from, value, why);
    }
    *(long *)o->dst = v;
}

void cchc_opts_parse(int argc, char **argv, const struct cchc_opt *opts, const char *usage,
                     char ***rest, int *nrest)
{
    for (const struct cchc_opt *o = opts; o->flag; o++) {
        const char *v = o->env ? getenv(o->env) : NULL;
        if (v && *v)
            set(o, v, "environment");
    }
    int n = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            print_usage(stdout, opts, usage);
            exit(0);
        }
        if (strcmp(a, "--") == 0) {
            while (++i < argc)
                argv[n++] = argv[i];
            break;
        }
        if (strncmp(a, "--", 2) != 0) {
            argv[n++] = argv[i];
            continue;
        }
        const char *eq = strchr(a, '=');
        size_t flen = eq ? (size_t)(eq - a) : strlen(a);
        const struct cchc_opt *o = opts;
        while (o->flag && (strlen(o->flag) != flen || strncmp(o->flag, a, flen) != 0))
            o++;
        if (!o->flag) {
            fprintf(stderr, "error: unknown option '%.*s' (see --help)\n", (int)flen, a);
            exit(2);
        }
        const char *v;
        if (o->type == CCHC_OPT_FLAG)
            v = eq ? eq + 1 : "1";
        else if (eq)
            v = eq + 1;
        else if (i + 1 < argc)
            v = argv[++i];
        else {
            fprintf(stderr, "error: option %s needs a value (see --help)\n", o->flag);
            exit(2);
        }
        set(o, v, o->flag);
    }
    if (rest) {
        *rest = n ? argv : NULL;
        *nrest = n;
    } else if (n) {
        fprintf(stderr, "error: unexpected argument '%s' (see --help)\n", argv[0]);
        exit(2);
    }
}
