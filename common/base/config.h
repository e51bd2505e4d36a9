/* Configuration in three steps (common/README.md, Conventions): defaults are the values the
 * caller put in the destinations, then environment variables, then flags
 * override; every value is validated and a bad one is named with its flag and
 * variable. --help prints the table. */
#ifndef CCHC_CONFIG_H
#define CCHC_CONFIG_H

enum cchc_opt_type {
    CCHC_OPT_STR,  /* dst is const char ** */
    CCHC_OPT_INT,  /* dst is long *, checked against [min, max] */
    CCHC_OPT_FLAG, /* dst is int *, set to 1 by the flag, no value */
};

struct cchc_opt {
    const char *flag; /* "--listen" */
    const char *env;  /* "CCHC_DOSSIER_LISTEN", or NULL */
    enum cchc_opt_type type;
    void *dst;
    long min, max;
    const char *help;
};

/* Parses env then argv against opts (terminated by a zeroed entry). Prints
 * usage and exits 0 on --help; prints the problem and exits 2 on a bad flag
 * or value. Positional arguments are left in *rest / *nrest (NULL if none). */
void cchc_opts_parse(int argc, char **argv, const struct cchc_opt *opts, const char *usage,
                     char ***rest, int *nrest);

#endif
