/* The reject log's bounds, on real files in a private folder: an entry of
 * the worst input stays within REJECTS_ENTRY_MAX and is valid JSON with the
 * line's length and hash; a request keeps at most REJECTS_REQUEST_MAX and
 * counts the rest in a closing entry; the files rotate and the oldest goes. */
#include "ingest/rejects.h"

#include <jansson.h>
#include <setjmp.h>
#include <sodium.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

static char dir[] = "/tmp/cchc-rejects-test.XXXXXX";

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) ? -1 : (long)st.st_size;
}

static json_t *counters(struct rejects *r)
{
    GString *s = g_string_new(NULL);
    rejects_stats(r, s);
    json_t *j = json_loads(s->str, 0, NULL);
    g_string_free(s, TRUE);
    assert_non_null(j);
    return j;
}

static int64_t counter(struct rejects *r, const char *name)
{
    json_t *j = counters(r);
    int64_t v = json_integer_value(json_object_get(j, name));
    json_decref(j);
    return v;
}

static void test_entry_bound(void **unused)
{
    /* Control bytes escape to six bytes each: the worst a byte can do. */
    size_t n = 4u << 20;
    char *line = g_malloc(n), reason[1024], source[1024];
    memset(line, 1, n);
    memset(reason, 1, sizeof reason - 1);
    reason[sizeof reason - 1] = 0;
    memset(source, '"', sizeof source - 1);
    source[sizeof source - 1] = 0;
    GString *s = g_string_new(NULL);
    rejects_entry(s, "2022-03-01T08:30:00+07:00", source, NULL, 123456789, reason, line, n);
    assert_true(s->len <= REJECTS_ENTRY_MAX);
    json_error_t err;
    json_t *j = json_loads(s->str, 0, &err);
    assert_non_null(j);
    assert_int_equal(json_integer_value(json_object_get(j, "length")), (json_int_t)n);
    assert_true(json_is_true(json_object_get(j, "truncated")));
    assert_int_equal(json_string_length(json_object_get(j, "record")), REJECTS_RECORD_MAX);
    unsigned char h[crypto_generichash_BYTES];
    char hex[2 * sizeof h + 1];
    crypto_generichash(h, sizeof h, (const unsigned char *)line, n, NULL, 0);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    assert_string_equal(json_string_value(json_object_get(j, "blake2b")), hex);
    json_decref(j);

    /* A short line is kept whole, with no hash; bytes that are not UTF-8 in base64. */
    g_string_truncate(s, 0);
    rejects_entry(s, "t", "http", NULL, 1, "bad", "\xff\xfe", 2);
    j = json_loads(s->str, 0, &err);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "record_base64")), "//4=");
    assert_null(json_object_get(j, "blake2b"));
    json_decref(j);
    g_string_free(s, TRUE);
    g_free(line);
}

static void test_request_bound(void **unused)
{
    char path[256];
    snprintf(path, sizeof path, "%s/req.ndjson", dir);
    struct rejects *r;
    char why[256];
    assert_int_equal(rejects_open(path, 64u << 20, 2, &r, why, sizeof why), 0);
    struct rejects_batch *b = rejects_batch_new("http", NULL);
    long lines = 100000;
    for (long i = 1; i <= lines; i++)
        rejects_batch_add(b, i, "malformed JSON at column 1: '[' or '{' expected near 'x'", "x", 1);
    rejects_commit(r, b);
    long size = file_size(path);
    assert_true(size > 0 && size <= (long)REJECTS_REQUEST_MAX + 512);
    int64_t kept = counter(r, "kept_lines"), not_kept = counter(r, "not_kept_lines");
    assert_true(kept > 0);
    assert_int_equal(kept + not_kept, lines);
    assert_int_equal(counter(r, "not_kept_bytes"), not_kept);
    /* The last line says what was not kept, from where. */
    FILE *f = fopen(path, "r");
    char buf[4096], last[4096] = "";
    while (fgets(buf, sizeof buf, f))
        memcpy(last, buf, sizeof buf);
    fclose(f);
    json_t *j = json_loads(last, 0, NULL);
    assert_non_null(j);
    assert_int_equal(json_integer_value(json_object_get(j, "not_kept_lines")), not_kept);
    assert_int_equal(json_integer_value(json_object_get(j, "not_kept_from_line")), kept + 1);
    json_decref(j);
    rejects_close(r);
}

static void test_rotation(void **unused)
{
    char path[256], p1[300], p2[300], p3[300];
    snprintf(path, sizeof path, "%s/rot.ndjson", dir);
    snprintf(p1, sizeof p1, "%s.1", path);
    snprintf(p2, sizeof p2, "%s.2", path);
    snprintf(p3, sizeof p3, "%s.3", path);
    struct rejects *r;
    char why[256];
    /* The cap is at least one request's bound: 1 MiB here. */
    assert_int_equal(rejects_open(path, 1, 2, &r, why, sizeof why), 0);
    char *line = g_malloc(900);
    memset(line, 'y', 900);
    for (int req = 0; req < 12; req++) {
        struct rejects_batch *b = rejects_batch_new("http", NULL);
        for (int i = 0; i < 400; i++)
            rejects_batch_add(b, i + 1, "bad", line, 900);
        rejects_commit(r, b);
    }
    g_free(line);
    assert_true(counter(r, "rotations") >= 2);
    assert_true(file_size(path) <= (long)REJECTS_REQUEST_MAX);
    assert_true(file_size(p1) > 0 && file_size(p1) <= (long)REJECTS_REQUEST_MAX);
    assert_true(file_size(p2) > 0 && file_size(p2) <= (long)REJECTS_REQUEST_MAX);
    assert_int_equal(file_size(p3), -1); /* the oldest went */
    assert_int_equal(counter(r, "write_errors"), 0);
    rejects_close(r);
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_entry_bound),
        cmocka_unit_test(test_request_bound),
        cmocka_unit_test(test_rotation),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd))
        rc = rc ? rc : 1;
    return rc;
}
