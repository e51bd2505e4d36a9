/* The HTTP mechanism on a real socket: what route answers comes from the
 * polling thread even while a deferred request is being worked; a deferred
 * request gets its whole body and its answer; a Content-Length over the
 * cap is a 413 before any body is read; connections over the per-address
 * cap are closed at accept; each refusal is counted. */
#include "http/server.h"

#include "base/err.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cmocka.h>

static _Atomic int release_work; /* the slow deferred request may finish */
static _Atomic int working;      /* a slow deferred request is being worked */

static int route(void *arg, struct http_request *r, struct http_answer *a)
{
    if (strcmp(r->url, "/quick") == 0) {
        *a = (struct http_answer){
            .status = 200, .body = g_string_new("quick\n"), .type = "text/plain"};
        return HTTP_ANSWER;
    }
    if (strcmp(r->url, "/echo") == 0 || strcmp(r->url, "/slow") == 0) {
        r->user = g_strdup(r->url);
        return HTTP_DEFER + 0;
    }
    return http_answer_error(a, 404, "no such path");
}

static void work(void *arg, struct http_request *r, struct http_answer *a)
{
    if (strcmp(r->user, "/slow") == 0) {
        atomic_store(&working, 1);
        while (!atomic_load(&release_work))
            usleep(1000);
    }
    a->body = g_string_new(NULL);
    g_string_append_printf(a->body, "%zu:%.*s", r->len, (int)r->len, (const char *)r->body);
}

static struct http_server *start(unsigned *port, unsigned per_ip)
{
    struct sockaddr_in sa;
    assert_int_equal(http_listen_parse("127.0.0.1:0", &sa), CCHC_OK);
    struct http_opts o = {.max_connections = 64,
                          .max_per_ip = per_ip,
                          .request_timeout_s = 10,
                          .idle_timeout_s = 10,
                          .max_buffered = 1 << 20,
                          .body_max = 1000,
                          .queues = 1,
                          .threads = {1}};
    struct http_handlers hd = {.route = route, .work = work};
    struct http_server *h;
    assert_int_equal(http_server_start(&sa, &o, &hd, &h, port), CCHC_OK);
    assert_true(*port > 0);
    return h;
}

static int dial(unsigned port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct timeval tv = {.tv_sec = 5}; /* a test that waits longer has failed */
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    return fd;
}

/* Sends req on a new connection and reads the answer to its end. */
static GString *ask(unsigned port, const char *req)
{
    int fd = dial(port);
    assert_int_equal(send(fd, req, strlen(req), MSG_NOSIGNAL), (ssize_t)strlen(req));
    GString *out = g_string_new(NULL);
    char buf[4096];
    ssize_t n;
    while ((n = recv(fd, buf, sizeof buf, 0)) > 0)
        g_string_append_len(out, buf, n);
    close(fd);
    return out;
}

static void *ask_slow(void *arg)
{
    unsigned port = *(unsigned *)arg;
    return ask(port, "POST /slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                     "Content-Length: 4\r\n\r\nslow");
}

static void test_routes_and_deferred(void **state)
{
    unsigned port;
    struct http_server *h = start(&port, 0);
    GString *a = ask(port, "GET /quick HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert_non_null(strstr(a->str, "HTTP/1.1 200"));
    assert_non_null(strstr(a->str, "\r\n\r\nquick\n"));
    g_string_free(a, TRUE);
    a = ask(port, "POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                  "Content-Length: 11\r\n\r\nhello world");
    assert_non_null(strstr(a->str, "HTTP/1.1 200"));
    assert_non_null(strstr(a->str, "\r\n\r\n11:hello world"));
    g_string_free(a, TRUE);
    a = ask(port, "GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert_non_null(strstr(a->str, "HTTP/1.1 404"));
    assert_non_null(strstr(a->str, "{\"error\":\"no such path\"}"));
    g_string_free(a, TRUE);

    /* A deferred request held in work: the polling thread still answers. */
    atomic_store(&release_work, 0);
    atomic_store(&working, 0);
    pthread_t t;
    pthread_create(&t, NULL, ask_slow, &port);
    while (!atomic_load(&working))
        usleep(1000);
    a = ask(port, "GET /quick HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert_non_null(strstr(a->str, "\r\n\r\nquick\n"));
    g_string_free(a, TRUE);
    atomic_store(&release_work, 1);
    void *slow;
    pthread_join(t, &slow);
    assert_non_null(strstr(((GString *)slow)->str, "\r\n\r\n4:slow"));
    g_string_free(slow, TRUE);
    for (int i = 0; i < HTTP_REFUSED_N; i++)
        assert_int_equal(http_server_refused(h, i), 0);
    http_server_stop(h);
}

static void test_body_over_cap(void **state)
{
    unsigned port;
    struct http_server *h = start(&port, 0);
    /* 413 at the headers: the body is never sent, the answer comes anyway. */
    int fd = dial(port);
    const char *req = "POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                      "Content-Length: 1000000000\r\n\r\n";
    send(fd, req, strlen(req), MSG_NOSIGNAL);
    char buf[1024];
    ssize_t n = recv(fd, buf, sizeof buf - 1, 0);
    assert_true(n > 0);
    buf[n] = 0;
    assert_non_null(strstr(buf, "HTTP/1.1 413"));
    assert_non_null(strstr(buf, "request body over 1000 bytes"));
    close(fd);
    assert_int_equal(http_server_refused(h, HTTP_REFUSED_BODY), 1);
    /* Not for what route answers itself (no body is read for it). */
    GString *a = ask(port, "POST /quick HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                           "Content-Length: 1000000000\r\n\r\n");
    assert_non_null(strstr(a->str, "HTTP/1.1 200"));
    g_string_free(a, TRUE);
    assert_int_equal(http_server_refused(h, HTTP_REFUSED_BODY), 1);
    /* A deferred GET takes no body: one announced, or chunked, is refused at
     * the headers (it would hold memory of the POSTs' cap, with no credential). */
    a = ask(port, "GET /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                  "Content-Length: 999\r\n\r\n");
    assert_non_null(strstr(a->str, "HTTP/1.1 413"));
    assert_non_null(strstr(a->str, "this request takes no body"));
    g_string_free(a, TRUE);
    a = ask(port, "GET /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                  "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
    assert_non_null(strstr(a->str, "HTTP/1.1 413"));
    g_string_free(a, TRUE);
    assert_int_equal(http_server_refused(h, HTTP_REFUSED_BODY), 3);
    /* Without one, it is worked as before. */
    a = ask(port, "GET /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert_non_null(strstr(a->str, "HTTP/1.1 200"));
    assert_non_null(strstr(a->str, "0:"));
    g_string_free(a, TRUE);
    http_server_stop(h);
}

static void test_per_ip_cap(void **state)
{
    unsigned port;
    struct http_server *h = start(&port, 2);
    int a = dial(port), b = dial(port);
    usleep(200 * 1000); /* both accepted */
    int c = dial(port); /* accepted by the kernel, closed at MHD's accept */
    char buf[16];
    errno = 0;
    ssize_t n = recv(c, buf, sizeof buf, 0);
    assert_true(n == 0 || (n < 0 && errno == ECONNRESET)); /* closed, not timed out */
    assert_int_equal(http_server_refused(h, HTTP_REFUSED_PER_IP), 1);
    close(a);
    close(b);
    close(c);
    http_server_stop(h);
}

static void test_listen_parse(void **state)
{
    struct sockaddr_in sa;
    assert_int_equal(http_listen_parse("127.0.0.1:8090", &sa), CCHC_OK);
    assert_int_equal(ntohs(sa.sin_port), 8090);
    assert_int_equal(http_listen_parse("0.0.0.0:0", &sa), CCHC_OK);
    assert_int_equal(http_listen_parse("localhost:80", &sa), CCHC_EINVAL);
    assert_int_equal(http_listen_parse("127.0.0.1", &sa), CCHC_EINVAL);
    assert_int_equal(http_listen_parse("127.0.0.1:65536", &sa), CCHC_EINVAL);
    assert_int_equal(http_listen_parse("127.0.0.1:80x", &sa), CCHC_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_routes_and_deferred),
        cmocka_unit_test(test_body_over_cap),
        cmocka_unit_test(test_per_ip_cap),
        cmocka_unit_test(test_listen_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
