/* Configuration in three steps: the defaults in the destinations, then the
 * environment, then flags. A bad value, an unknown option or --help ends the
 * program: those run in a child whose exit status and output are checked. */
#include "base/config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

/* The destinations, reset to their defaults before each parse. */
static const char *listen_url, *name;
static long port, workers;
static int verbose;

static const struct cchc_opt opts[] = {
    {"--listen", "CCHC_TEST_LISTEN", CCHC_OPT_STR, &listen_url, 0, 0, "where to listen"},
    {"--port", "CCHC_TEST_PORT", CCHC_OPT_INT, &port, 1, 65535, "port"},
    {"--workers", NULL, CCHC_OPT_INT, &workers, -4, 64, "worker threads"},
    {"--name", NULL, CCHC_OPT_STR, &name, 0, 0, "a name"},
    {"--verbose", "CCHC_TEST_VERBOSE", CCHC_OPT_FLAG, &verbose, 0, 0, "say more"},
    {0},
};

static const char usage[] = "usage: cchc-test [OPTIONS] FILE...";

static int reset(void **unused)
{
    listen_url = "tcp://127.0.0.1:8080";
    name = NULL;
    port = 8080;
    workers = 4;
    verbose = 0;
    unsetenv("CCHC_TEST_LISTEN");
    unsetenv("CCHC_TEST_PORT");
    unsetenv("CCHC_TEST_VERBOSE");
    return 0;
}

#define ARGC(a) ((int)(sizeof(a) / sizeof *(a)) - 1) /* arrays end with NULL */

static void test_defaults(void **unused)
{
    char *argv[] = {"cchc-test", NULL};
    char **rest = (char **)&rest;
    int nrest = -1;
    cchc_opts_parse(ARGC(argv), argv, opts, usage, &rest, &nrest);
    assert_string_equal(listen_url, "tcp://127.0.0.1:8080");
    assert_null(name);
    assert_int_equal(port, 8080);
    assert_int_equal(workers, 4);
    assert_int_equal(verbose, 0);
    assert_null(rest);
    assert_int_equal(nrest, 0);
    /* without rest: no positional arguments is fine */
    cchc_opts_parse(ARGC(argv), argv, opts, usage, NULL, NULL);
    assert_int_equal(port, 8080);
    /* an empty variable is as if unset */
    setenv("CCHC_TEST_PORT", "", 1);
    setenv("CCHC_TEST_LISTEN", "", 1);
    cchc_opts_parse(ARGC(argv), argv, opts, usage, NULL, NULL);
    assert_int_equal(port, 8080);
    assert_string_equal(listen_url, "tcp://127.0.0.1:8080");
}

static void test_environment(void **unused)
{
    setenv("CCHC_TEST_LISTEN", "ipc:///tmp/x", 1);
    setenv("CCHC_TEST_PORT", "9000", 1);
    setenv("CCHC_TEST_VERBOSE", "1", 1);
    char *argv[] = {"cchc-test", NULL};
    cchc_opts_parse(ARGC(argv), argv, opts, usage, NULL, NULL);
    assert_string_equal(listen_url, "ipc:///tmp/x");
    assert_int_equal(port, 9000);
    assert_int_equal(workers, 4);
    assert_int_equal(verbose, 1);
    /* a flag variable of "0" is off */
    setenv("CCHC_TEST_VERBOSE", "0", 1);
    cchc_opts_parse(ARGC(argv), argv, opts, usage, NULL, NULL);
    assert_int_equal(verbose, 0);
    /* the range's ends are in it */
    setenv("CCHC_TEST_PORT", "1", 1);
    cchc_opts_parse(ARGC(argv), argv, opts, usage, NULL, NULL);
    assert_int_equal(port, 1);
    setenv("CCHC_TEST_PORT", "65535", 1);
    cchc_opts_parse(ARGC(argv), argv, opts, usage, NULL, NULL);
    assert_int_equal(port, 65535);
}

static void test_flags_override(void **unused)
{
    setenv("CCHC_TEST_LISTEN", "ipc:///tmp/x", 1);
    setenv("CCHC_TEST_PORT", "9000", 1);
    setenv("CCHC_TEST_VERBOSE", "0", 1);
    /* --flag=value and --flag value */
    char *argv[] = {"cchc-test",
                    "--listen=tcp://0.0.0.0:1",
                    "--port",
                    "7000",
                    "--workers=-4",
                    "--name",
                    "a=b",
                    "--verbose",
                    NULL};
    cchc_opts_parse(ARGC(argv), argv, opts, usage, NULL, NULL);
    assert_string_equal(listen_url, "tcp://0.0.0.0:1");
    assert_int_equal(port, 7000);
    assert_int_equal(workers, -4);
    assert_string_equal(name, "a=b");
    assert_int_equal(verbose, 1);

    /* the last one wins; a flag may be turned off with =0 */
    reset(NULL);
    char *argv2[] = {"cchc-test", "--port=1", "--port",       "2", "--verbose", "--verbose=0",
                     "--name=",   "--listen", "--not-a-flag", NULL};
    cchc_opts_parse(ARGC(argv2), argv2, opts, usage, NULL, NULL);
    assert_int_equal(port, 2);
    assert_int_equal(verbose, 0);
    assert_string_equal(name, "");
    assert_string_equal(listen_url, "--not-a-flag"); /* a value is whatever follows */
}

static void test_rest(void **unused)
{
    char *argv[] = {"cchc-test", "a.csv", "--port", "5", "-", "b.csv",
                    "-x",        "--",    "--port", "c", NULL};
    char **rest = NULL;
    int nrest = -1;
    cchc_opts_parse(ARGC(argv), argv, opts, usage, &rest, &nrest);
    assert_int_equal(port, 5);
    assert_int_equal(nrest, 6);
    assert_non_null(rest);
    const char *want[] = {"a.csv", "-", "b.csv", "-x", "--port", "c"};
    for (int i = 0; i < 6; i++)
        assert_string_equal(rest[i], want[i]);

    char *argv2[] = {"cchc-test", "--", NULL};
    cchc_opts_parse(ARGC(argv2), argv2, opts, usage, &rest, &nrest);
    assert_null(rest);
    assert_int_equal(nrest, 0);
}

/* What a child that parsed argv said and how it ended. */
struct ended {
    int code; /* exit status, or -1 when it did not exit */
    char out[8192], err[8192];
};

static void slurp(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    ssize_t r;
    while (n + 1 < cap && (r = read(fd, buf + n, cap - 1 - n)) > 0)
        n += (size_t)r;
    buf[n] = 0;
    close(fd);
}

/* Runs cchc_opts_parse in a child; the child exits 100 if the parse returns. */
static void run(char **argv, int with_rest, struct ended *e)
{
    int out[2], err[2];
    assert_int_equal(pipe(out), 0);
    assert_int_equal(pipe(err), 0);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(out[1], 1);
        dup2(err[1], 2);
        close(out[0]), close(out[1]), close(err[0]), close(err[1]);
        int argc = 0;
        while (argv[argc])
            argc++;
        char **rest;
        int nrest;
        cchc_opts_parse(argc, argv, opts, usage, with_rest ? &rest : NULL,
                        with_rest ? &nrest : NULL);
        fflush(stdout);
        fflush(stderr);
        _exit(100);
    }
    close(out[1]);
    close(err[1]);
    /* Small outputs: the child never fills a pipe, so read one after the other. */
    slurp(out[0], e->out, sizeof e->out);
    slurp(err[0], e->err, sizeof e->err);
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    e->code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The child exits 2 with exactly want on stderr and nothing on stdout. */
static void must_fail(char **argv, const char *want)
{
    struct ended e;
    run(argv, 1, &e);
    if (e.code != 2)
        fail_msg("%s ...: exit %d, want 2 (stderr '%s')", argv[1], e.code, e.err);
    if (strcmp(e.err, want) != 0)
        fail_msg("stderr\n  got  '%s'\n  want '%s'", e.err, want);
    assert_string_equal(e.out, "");
}

static void test_bad_flags(void **unused)
{
    static const struct {
        char *args[4];
        const char *want;
    } cases[] = {
        {{"--port=0"}, "error: --port='0': must be between 1 and 65535\n"},
        {{"--port", "65536"}, "error: --port='65536': must be between 1 and 65535\n"},
        {{"--port=-1"}, "error: --port='-1': must be between 1 and 65535\n"},
        {{"--workers=-5"}, "error: --workers='-5': must be between -4 and 64\n"},
        {{"--workers", "65"}, "error: --workers='65': must be between -4 and 64\n"},
        {{"--port=80x"}, "error: --port='80x': not an integer\n"},
        {{"--port="}, "error: --port='': not an integer\n"},
        {{"--port", "eighty"}, "error: --port='eighty': not an integer\n"},
        {{"--port", " "}, "error: --port=' ': not an integer\n"},
        {{"--port", "1.5"}, "error: --port='1.5': not an integer\n"},
        {{"--port=99999999999999999999"}, "error: --port='99999999999999999999': not an integer\n"},
        {{"--port"}, "error: option --port needs a value (see --help)\n"},
        {{"--nope"}, "error: unknown option '--nope' (see --help)\n"},
        {{"--nope=3"}, "error: unknown option '--nope' (see --help)\n"},
        {{"--po", "1"}, "error: unknown option '--po' (see --help)\n"},
        {{"--portx=1"}, "error: unknown option '--portx' (see --help)\n"},
        {{"--PORT=1"}, "error: unknown option '--PORT' (see --help)\n"},
        {{"--port=1", "--", "a", "--bad"}, NULL}, /* after --: not an option */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *argv[6] = {"cchc-test"};
        for (int k = 0; k < 4 && cases[i].args[k]; k++)
            argv[k + 1] = cases[i].args[k];
        if (cases[i].want) {
            must_fail(argv, cases[i].want);
        } else {
            struct ended e;
            run(argv, 1, &e);
            assert_int_equal(e.code, 100);
            assert_string_equal(e.err, "");
        }
    }
}

static void test_bad_environment(void **unused)
{
    char *argv[] = {"cchc-test", NULL};
    setenv("CCHC_TEST_PORT", "abc", 1);
    must_fail(argv, "error: CCHC_TEST_PORT='abc': not an integer\n");
    setenv("CCHC_TEST_PORT", "0", 1);
    must_fail(argv, "error: CCHC_TEST_PORT='0': must be between 1 and 65535\n");
    setenv("CCHC_TEST_PORT", "70000", 1);
    must_fail(argv, "error: CCHC_TEST_PORT='70000': must be between 1 and 65535\n");
    /* A bad variable fails even when a flag would override it. */
    char *argv2[] = {"cchc-test", "--port=5", NULL};
    setenv("CCHC_TEST_PORT", "12 ", 1);
    must_fail(argv2, "error: CCHC_TEST_PORT='12 ': not an integer\n");
    /* A good variable and a bad flag: the flag is named. */
    setenv("CCHC_TEST_PORT", "12", 1);
    char *argv3[] = {"cchc-test", "--port=0", NULL};
    must_fail(argv3, "error: --port='0': must be between 1 and 65535\n");
}

static void test_unexpected_argument(void **unused)
{
    struct ended e;
    char *argv[] = {"cchc-test", "--port=5", "file.csv", "more.csv", NULL};
    run(argv, 0, &e);
    assert_int_equal(e.code, 2);
    assert_string_equal(e.err, "error: unexpected argument 'file.csv' (see --help)\n");
    run(argv, 1, &e);
    assert_int_equal(e.code, 100);
}

static void must_contain(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("'%s' not in:\n%s", part, text);
}

/* The line of --help for flag. */
static void help_line(const char *out, const char *flag, char *line, size_t cap)
{
    char start[64];
    snprintf(start, sizeof start, "\n  %s ", flag);
    const char *p = strstr(out, start);
    if (!p)
        fail_msg("no line for %s in:\n%s", flag, out);
    p += 1;
    size_t n = strcspn(p, "\n");
    assert_true(n < cap);
    memcpy(line, p, n);
    line[n] = 0;
}

static void test_help(void **unused)
{
    const char *helps[] = {"--help", "-h"};
    for (int h = 0; h < 2; h++) {
        struct ended e;
        /* --help wins even after a bad positional and before a bad flag */
        char *argv[] = {"cchc-test", "x", (char *)helps[h], "--nope", NULL};
        run(argv, 0, &e);
        assert_int_equal(e.code, 0);
        assert_string_equal(e.err, "");
        assert_true(strncmp(e.out, usage, strlen(usage)) == 0);
        char line[256];
        help_line(e.out, "--listen", line, sizeof line);
        must_contain(line, "where to listen");
        must_contain(line, "[tcp://127.0.0.1:8080]");
        must_contain(line, "env CCHC_TEST_LISTEN");
        help_line(e.out, "--port", line, sizeof line);
        must_contain(line, "port [8080]");
        must_contain(line, "env CCHC_TEST_PORT");
        help_line(e.out, "--workers", line, sizeof line);
        must_contain(line, "worker threads [4]");
        assert_null(strstr(line, "env"));
        help_line(e.out, "--name", line, sizeof line);
        must_contain(line, "a name");
        assert_null(strstr(line, "[")); /* no default */
        assert_null(strstr(line, "env"));
        help_line(e.out, "--verbose", line, sizeof line);
        must_contain(line, "say more");
        must_contain(line, "env CCHC_TEST_VERBOSE");
        assert_null(strstr(line, "["));
        help_line(e.out, "--help", line, sizeof line);
        must_contain(line, "print this help and exit");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_defaults, reset),
        cmocka_unit_test_setup(test_environment, reset),
        cmocka_unit_test_setup(test_flags_override, reset),
        cmocka_unit_test_setup(test_rest, reset),
        cmocka_unit_test_setup(test_bad_flags, reset),
        cmocka_unit_test_setup(test_bad_environment, reset),
        cmocka_unit_test_setup(test_unexpected_argument, reset),
        cmocka_unit_test_setup(test_help, reset),
    };
    return cmocka_run_group_tests(tests, NULL, reset);
}
