/* The Redis URL forms of store.h: redis://[USER[:PASSWORD]@]HOST:PORT[/DB],
 * unix:///PATH[?db=DB], credentials, and the default, through the parser store_open uses; and
 * store_open itself on URLs it refuses or cannot reach, which needs no Redis server. */
#include "store/store.h"
#include "base/err.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

struct want {
    const char *url, *host, *path;
    int port, db;
};

static void must_parse(const struct want *w)
{
    struct store_url u;
    memset(&u, 0x5a, sizeof u);
    int rc = store_url_parse(w->url, &u);
    if (rc != CCHC_OK)
        fail_msg("must_parse '%s': rc %d", w->url, rc);
    if (w->host) {
        assert_null(u.path);
        if (!u.host || strcmp(u.host, w->host) != 0)
            fail_msg("must_parse '%s': host '%s', want '%s'", w->url, u.host ? u.host : "(null)",
                     w->host);
    } else {
        assert_null(u.host);
        if (!u.path || strcmp(u.path, w->path) != 0)
            fail_msg("must_parse '%s': path '%s', want '%s'", w->url, u.path ? u.path : "(null)",
                     w->path);
    }
    if (u.port != w->port || u.db != w->db)
        fail_msg("must_parse '%s': port %d db %d, want port %d db %d", w->url, u.port, u.db,
                 w->port, w->db);
    store_url_free(&u);
    assert_null(u.host);
    assert_null(u.path);
}

static void must_not_parse(const char *url)
{
    struct store_url u;
    memset(&u, 0x5a, sizeof u);
    int rc = store_url_parse(url, &u);
    if (rc != CCHC_EINVAL)
        fail_msg("must_not_parse '%s': rc %d", url, rc);
    assert_null(u.host);
    assert_null(u.path);
}

static const struct want good[] = {
    {CCHC_REDIS_URL_DEFAULT, "127.0.0.1", NULL, 6379, 0},
    {"redis://127.0.0.1:6379/0", "127.0.0.1", NULL, 6379, 0},
    {"redis://redis:6380/3", "redis", NULL, 6380, 3},
    {"redis://cache.example.org:1/15", "cache.example.org", NULL, 1, 15},
    {"redis://h:65535", "h", NULL, 65535, 0},
    {"redis://localhost", "localhost", NULL, 6379, 0}, /* the port may be left out */
    {"redis://localhost/2", "localhost", NULL, 6379, 2},
    {"redis://h:6379/", "h", NULL, 6379, 0},
    {"unix:///var/run/redis/redis.sock", NULL, "/var/run/redis/redis.sock", 0, 0},
    {"unix:///tmp/r.sock?db=5", NULL, "/tmp/r.sock", 0, 5},
    {"unix:///tmp/r.sock?db=0", NULL, "/tmp/r.sock", 0, 0},
};

static void test_good(void **unused)
{
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        must_parse(&good[i]);
}

static void test_bad(void **unused)
{
    static const char *bad[] = {
        "",
        "redis://",
        "redis://:6379",
        "redis://:6379/0",
        "redis:///0",
        "redis://h:0",
        "redis://h:65536",
        "redis://h:-1",
        "redis://h:",
        "redis://h:x/0",
        "redis://h:/0",
        "unix://",
        "unix://?db=1",
        "http://h:6379",
        "REDIS://h:6379",
        "tcp://h:6379",
        "h:6379",
        "redis:/h:6379",
        "redis:h:6379",
        "unix:/tmp/r.sock",
        "127.0.0.1:6379",
        /* numbers are whole and in range, a path absolute, the port before the db */
        "redis://h:6379x",
        "redis://h:6379/x",
        "redis://h:6379/-1",
        "redis://h:6379/0x",
        "redis://h:6379/65536",
        "redis://h:4294967297",
        "redis://h:06379000",
        "unix:///tmp/r.sock?db=x",
        "unix:///tmp/r.sock?db=4294967299",
        "unix:///tmp/r.sock?db=",
        "unix://r.sock",
        "unix:///",
        "redis://h/0:5",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        must_not_parse(bad[i]);
}

/* store_open refuses a bad URL before it connects, with the URL in errstr,
 * and still hands back the store to close. */
static void test_open_bad_url(void **unused)
{
    static const char *bad[] = {"redis://h:0", "unix://", "nonsense"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct store *s = NULL;
        assert_int_equal(store_open(bad[i], 100, &s), CCHC_EINVAL);
        assert_non_null(s);
        assert_int_equal(store_err(s), CCHC_EINVAL);
        char want[300];
        snprintf(want, sizeof want,
                 "bad redis url '%s' (want redis://[USER[:PASSWORD]@]HOST:PORT/DB or "
                 "unix:///PATH, with ?db=, ?user=, ?password_file=)",
                 bad[i]);
        assert_string_equal(store_errstr(s), want);
        assert_int_equal(store_fd(s), -1);
        redisReply *r;
        assert_int_equal(store_command(s, &r, "PING"), CCHC_EINVAL);
        store_close(s);
    }
}

/* Credentials: user and password in the authority (%XX decoded), or user
 * and password file in the query; never a password in a message. */
static void test_credentials(void **unused)
{
    const struct {
        const char *url, *host, *path, *user, *pass, *file;
        int db;
    } cases[] = {
        {"redis://reader:s3cret@redis:6379/0", "redis", NULL, "reader", "s3cret", NULL, 0},
        {"redis://:only-pass@h/2", "h", NULL, NULL, "only-pass", NULL, 2},
        {"redis://agg:p%40ss%3Aw%2Fd@h", "h", NULL, "agg", "p@ss:w/d", NULL, 0},
        {"redis://a:b@c@h:1", "h", NULL, "a", "b@c", NULL, 0}, /* the last '@' */
        {"redis://h:7/1?user=agg&password_file=/run/secrets/redis", "h", NULL, "agg", NULL,
         "/run/secrets/redis", 1},
        {"unix:///tmp/r.sock?db=3&user=reader&password_file=/p", NULL, "/tmp/r.sock", "reader",
         NULL, "/p", 3},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct store_url u;
        if (store_url_parse(cases[i].url, &u) != CCHC_OK)
            fail_msg("'%s' refused", cases[i].url);
        if (cases[i].host)
            assert_string_equal(u.host, cases[i].host);
        else
            assert_string_equal(u.path, cases[i].path);
        const char *got[] = {u.user, u.pass, u.password_file};
        const char *want[] = {cases[i].user, cases[i].pass, cases[i].file};
        for (int k = 0; k < 3; k++)
            if (want[k] ? !got[k] || strcmp(got[k], want[k]) : got[k] != NULL)
                fail_msg("'%s' part %d: '%s', want '%s'", cases[i].url, k,
                         got[k] ? got[k] : "(null)", want[k] ? want[k] : "(null)");
        assert_int_equal(u.db, cases[i].db);
        store_url_free(&u);
    }
    static const char *bad[] = {
        "redis://u:p%4@h",  "redis://u:p%00@h", "unix:///tmp/r.sock?user=",
        "unix:///r?pass=x", "redis://h?db=1",   "redis://h?user=a&user=b",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        must_not_parse(bad[i]);
    /* a refused URL's message hides its password */
    struct store *s;
    assert_int_equal(store_open("redis://agg:hunter2@h:0", 100, &s), CCHC_EINVAL);
    assert_null(strstr(store_errstr(s), "hunter2"));
    assert_non_null(strstr(store_errstr(s), "redis://agg:***@h:0"));
    store_close(s);
    /* a password file that is not there is named */
    assert_int_equal(store_open("unix:///tmp/r.sock?password_file=/nonexistent/pw", 100, &s),
                     CCHC_EINVAL);
    assert_non_null(strstr(store_errstr(s), "redis password file"));
    assert_non_null(strstr(store_errstr(s), "/nonexistent/pw"));
    store_close(s);
}

/* A good URL nobody answers at: the store is returned failed, and the error
 * names where it tried, which shows what the parser found. */
static void test_open_unreachable(void **unused)
{
    char dir[] = "/tmp/cchc-store-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char url[128], want[160];
    snprintf(url, sizeof url, "unix://%s/none.sock?db=3", dir);
    struct store *s = NULL;
    assert_int_equal(store_open(url, 100, &s), CCHC_EREDIS);
    assert_non_null(s);
    assert_int_equal(store_err(s), CCHC_EREDIS);
    snprintf(want, sizeof want, "redis %s/none.sock: ", dir);
    if (strncmp(store_errstr(s), want, strlen(want)) != 0)
        fail_msg("errstr '%s', want it to start with '%s'", store_errstr(s), want);
    assert_int_equal(store_fd(s), -1);
    store_close(s);
    assert_int_equal(rmdir(dir), 0);

    /* A TCP port bound but not listening refuses the connection. */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof a;
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
    int port = ntohs(a.sin_port);
    snprintf(url, sizeof url, "redis://127.0.0.1:%d/1", port);
    assert_int_equal(store_open(url, 100, &s), CCHC_EREDIS);
    snprintf(want, sizeof want, "redis 127.0.0.1:%d: ", port);
    if (strncmp(store_errstr(s), want, strlen(want)) != 0)
        fail_msg("errstr '%s', want it to start with '%s'", store_errstr(s), want);
    store_close(s);
    close(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),
        cmocka_unit_test(test_bad),
        cmocka_unit_test(test_open_bad_url),
        cmocka_unit_test(test_credentials),
        cmocka_unit_test(test_open_unreachable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
