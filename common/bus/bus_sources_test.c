/* bus_sources_parse: "PUB,REPLAY;PUB,REPLAY" into sources, as it is written
 * in bus_sub.c: parts are split at ';' and at spaces (strtok, so empty parts
 * are skipped), each must be two addresses, neither empty, around one comma,
 * and at most max of them. */
#include "bus/bus.h"
#include "base/err.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#define MAX 8

struct want {
    const char *spec;
    int max;
    int n;
    const char *urls[MAX][2];
};

static void must_parse(const struct want *w)
{
    char spec[1024];
    struct bus_source src[MAX + 1];
    snprintf(spec, sizeof spec, "%s", w->spec);
    memset(src, 0x5a, sizeof src);
    int n = -1;
    int rc = bus_sources_parse(spec, src, w->max, &n);
    if (rc != CCHC_OK)
        fail_msg("must_parse '%s': rc %d", w->spec, rc);
    if (n != w->n)
        fail_msg("must_parse '%s': %d sources, want %d", w->spec, n, w->n);
    for (int i = 0; i < n; i++) {
        if (strcmp(src[i].pub_url, w->urls[i][0]) || strcmp(src[i].replay_url, w->urls[i][1]))
            fail_msg("must_parse '%s': source %d is '%s','%s', want '%s','%s'", w->spec, i,
                     src[i].pub_url, src[i].replay_url, w->urls[i][0], w->urls[i][1]);
        assert_int_equal(src[i].recv_buffer, 0);
        /* the strings point into spec */
        assert_true(src[i].pub_url >= spec && src[i].pub_url < spec + sizeof spec);
        assert_true(src[i].replay_url >= spec && src[i].replay_url < spec + sizeof spec);
    }
    /* nothing written past *n */
    const unsigned char *rest = (const unsigned char *)&src[n];
    for (size_t b = 0; b < sizeof src[0]; b++)
        assert_int_equal(rest[b], 0x5a);
}

static void must_not_parse(const char *text, int max)
{
    char spec[1024];
    struct bus_source src[MAX + 1];
    snprintf(spec, sizeof spec, "%s", text);
    int n = -1;
    int rc = bus_sources_parse(spec, src, max, &n);
    if (rc != CCHC_EINVAL)
        fail_msg("must_not_parse '%s' (max %d): rc %d, %d sources", text, max, rc, n);
}

static const struct want good[] = {
    {"tcp://10.0.0.1:7001,tcp://10.0.0.1:7002",
     MAX,
     1,
     {{"tcp://10.0.0.1:7001", "tcp://10.0.0.1:7002"}}},
    {"ipc:///tmp/a.pub,ipc:///tmp/a.replay;ipc:///tmp/b.pub,ipc:///tmp/b.replay;"
     "tcp://h:1,tcp://h:2;tcp://k:3,tcp://k:4",
     4,
     4,
     {{"ipc:///tmp/a.pub", "ipc:///tmp/a.replay"},
      {"ipc:///tmp/b.pub", "ipc:///tmp/b.replay"},
      {"tcp://h:1", "tcp://h:2"},
      {"tcp://k:3", "tcp://k:4"}}},
    {"ipc:///tmp/cchc-dossier.pub,ipc:///tmp/cchc-dossier.replay;"
     "ipc:///tmp/cchc-staffing.pub,ipc:///tmp/cchc-staffing.replay;"
     "ipc:///tmp/cchc-finance.pub,ipc:///tmp/cchc-finance.replay;"
     "ipc:///tmp/cchc-egov.pub,ipc:///tmp/cchc-egov.replay",
     4,
     4,
     {{"ipc:///tmp/cchc-dossier.pub", "ipc:///tmp/cchc-dossier.replay"},
      {"ipc:///tmp/cchc-staffing.pub", "ipc:///tmp/cchc-staffing.replay"},
      {"ipc:///tmp/cchc-finance.pub", "ipc:///tmp/cchc-finance.replay"},
      {"ipc:///tmp/cchc-egov.pub", "ipc:///tmp/cchc-egov.replay"}}},
    /* exactly max */
    {"a,b", 1, 1, {{"a", "b"}}},
    /* a trailing ';', empty parts and spaces are skipped */
    {"a,b;", MAX, 1, {{"a", "b"}}},
    {";;a,b;;c,d;", MAX, 2, {{"a", "b"}, {"c", "d"}}},
    {"  a,b ; c,d  ", MAX, 2, {{"a", "b"}, {"c", "d"}}},
    /* a space separates like ';' */
    {"a,b c,d", MAX, 2, {{"a", "b"}, {"c", "d"}}},
};

static void test_good(void **unused)
{
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        must_parse(&good[i]);
}

static void test_malformed(void **unused)
{
    static const char *bad[] = {
        "",                   /* nothing */
        ";",                  /* only separators */
        " ; ;",               /* */
        "a",                  /* no comma */
        "tcp://h:1", "a,b;c", /* the second has no comma */
        "a;b,c",              /* the first */
        "a ,b",               /* a space cuts a source in two */
        "a, b",               /* */
        "a,b;c;d,e",          /* */
        "a,b\tc,d",           /* a tab does not separate: a comma in a URL */
        "a,b,c",              /* one comma, two addresses */
        ",b",                 /* neither address empty */
        "a,",                 /* */
        ",",                  /* */
        "a,b;,c",             /* */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        must_not_parse(bad[i], MAX);
    /* more than max */
    must_not_parse("a,b;c,d", 1);
    must_not_parse("a,b", 0);
    must_not_parse("a,b;c,d;e,f;g,h", 3);
    /* a trailing ';' does not count as one more */
    struct want w = {"a,b;c,d;", 2, 2, {{"a", "b"}, {"c", "d"}}};
    must_parse(&w);
}

/* The defaults are ipc sockets in the private runtime folder. */
static void test_default(void **state)
{
    setenv("CCHC_RUN_DIR", "/r/x", 1);
    assert_string_equal(bus_sources_default(), "ipc:///r/x/dossier.pub,ipc:///r/x/dossier.replay;"
                                               "ipc:///r/x/staffing.pub,ipc:///r/x/staffing.replay;"
                                               "ipc:///r/x/finance.pub,ipc:///r/x/finance.replay;"
                                               "ipc:///r/x/egov.pub,ipc:///r/x/egov.replay");
    char url[256];
    bus_default_url("egov", "pub", url, sizeof url);
    assert_string_equal(url, "ipc:///r/x/egov.pub");
    unsetenv("CCHC_RUN_DIR");
    unsetenv("XDG_RUNTIME_DIR");
    bus_run_dir(url, sizeof url);
    char want[64];
    snprintf(want, sizeof want, geteuid() == 0 ? "/run/cchc" : "/tmp/cchc-%u", (unsigned)geteuid());
    assert_string_equal(url, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_default),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
