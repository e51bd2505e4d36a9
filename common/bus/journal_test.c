/* The journal keeps every synced record across a reopen, cuts a torn tail
 * (a crash in the middle of a write) and nothing else: damage before the
 * last write is refused, not cut. It reads ranges. */
#include "bus/journal.h"
#include "base/err.h"

#include <glib.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

static char dir[] = "/tmp/cchc-journal-XXXXXX";
static char path[256];

struct seen {
    uint64_t n;
    char last[64];
};

static int count(void *arg, uint64_t seq, const uint8_t *ev, size_t len)
{
    struct seen *s = arg;
    assert_int_equal(seq, s->n);
    s->n++;
    snprintf(s->last, sizeof s->last, "%.*s", (int)len, (const char *)ev);
    return CCHC_OK;
}

static struct journal *open_j(struct seen *s)
{
    struct journal *j;
    char why[256];
    memset(s, 0, sizeof *s);
    assert_int_equal(journal_open(path, count, s, &j, why, sizeof why), CCHC_OK);
    return j;
}

static void append_n(struct journal *j, int from, int n)
{
    for (int i = from; i < from + n; i++) {
        char ev[32];
        int len = snprintf(ev, sizeof ev, "event-%d", i);
        assert_int_equal(journal_append(j, (const uint8_t *)ev, (size_t)len), CCHC_OK);
    }
}

static void test_reopen_keeps_synced(void **unused)
{
    struct seen s;
    struct journal *j = open_j(&s);
    uint64_t epoch = journal_epoch(j);
    assert_true(epoch != 0);
    append_n(j, 0, 100);
    assert_int_equal(journal_durable(j), 0);
    assert_int_equal(journal_sync(j), CCHC_OK);
    assert_int_equal(journal_durable(j), 100);
    journal_close(j);

    j = open_j(&s);
    assert_int_equal(s.n, 100);
    assert_string_equal(s.last, "event-99");
    assert_true(journal_epoch(j) == epoch);
    assert_int_equal(journal_next_seq(j), 100);
    journal_close(j);
}

/* Appended but never synced, then the process dies: not there, and never acknowledged. */
static void test_unsynced_is_not_there(void **unused)
{
    struct seen s;
    struct journal *j = open_j(&s);
    append_n(j, 100, 5);
    journal_close(j); /* no sync: the buffer is lost like in a crash */
    j = open_j(&s);
    assert_int_equal(s.n, 100);
    journal_close(j);
}

static void test_torn_tail_is_cut(void **unused)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    off_t good = st.st_size;
    /* Every way a last write can be torn: a header cut short, a payload cut short,
     * a whole record with a bad checksum. */
    const uint8_t torn[][16] = {
        {7, 0, 0},
        {9, 0, 0, 0, 1, 2, 3, 4, 'x', 'y'},
        {3, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef, 'a', 'b', 'c'},
    };
    const size_t lens[] = {3, 10, 11};
    for (size_t k = 0; k < 3; k++) {
        int fd = open(path, O_WRONLY | O_APPEND);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, torn[k], lens[k]), (ssize_t)lens[k]);
        close(fd);
        struct seen s;
        struct journal *j = open_j(&s);
        assert_int_equal(s.n, 100);
        assert_string_equal(s.last, "event-99");
        journal_close(j);
        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(st.st_size, good);
    }
    /* After the cut, appending goes on at the right sequence. */
    struct seen s;
    struct journal *j = open_j(&s);
    append_n(j, 100, 1);
    assert_int_equal(journal_sync(j), CCHC_OK);
    journal_close(j);
    j = open_j(&s);
    assert_int_equal(s.n, 101);
    assert_string_equal(s.last, "event-100");
    journal_close(j);
}

static void test_read_ranges(void **unused)
{
    struct seen s;
    struct journal *j = open_j(&s);
    uint8_t *buf;
    size_t len;
    uint32_t n;
    assert_int_equal(journal_read(j, 10, 3, 1 << 20, &buf, &len, &n), CCHC_OK);
    assert_int_equal(n, 3);
    assert_memory_equal(buf, "event-10event-11event-12", len);
    g_free(buf);
    /* A byte limit still returns at least one event. */
    assert_int_equal(journal_read(j, 0, 1000, 1, &buf, &len, &n), CCHC_OK);
    assert_int_equal(n, 1);
    g_free(buf);
    assert_int_equal(journal_read(j, 100, 1000, 1 << 20, &buf, &len, &n), CCHC_OK);
    assert_int_equal(n, 1);
    g_free(buf);
    assert_int_equal(journal_read(j, 101, 10, 1 << 20, &buf, &len, &n), CCHC_ENOTFOUND);
    journal_close(j);
}

struct from {
    uint64_t first, next;
};

static int contiguous(void *arg, uint64_t seq, const uint8_t *ev, size_t len)
{
    struct from *f = arg;
    char want[32];
    snprintf(want, sizeof want, "event-%llu", (unsigned long long)seq);
    assert_int_equal(len, strlen(want));
    assert_memory_equal(ev, want, len);
    if (f->next == 0)
        f->first = seq;
    else
        assert_int_equal(seq, f->next);
    f->next = seq + 1;
    return CCHC_OK;
}

/* Retention: the events before the cut are gone, those after keep their
 * sequence numbers, the epoch stays, and appending goes on; the whole
 * journal survives a reopen; a cut past what is durable is refused. */
static void test_compact(void **unused)
{
    struct journal *j;
    char why[256];
    struct from f = {0};
    assert_int_equal(journal_open(path, contiguous, &f, &j, why, sizeof why), CCHC_OK);
    assert_int_equal(f.next, 101);
    uint64_t epoch = journal_epoch(j), bytes = journal_bytes(j);
    struct from seen = {0};
    assert_int_equal(journal_each(j, 10, 20, contiguous, &seen), CCHC_OK);
    assert_int_equal(seen.first, 10);
    assert_int_equal(seen.next, 20);
    assert_int_equal(journal_each(j, 10, 102, contiguous, &seen), CCHC_ENOTFOUND);

    append_n(j, 101, 1);
    assert_int_equal(journal_compact(j, 60, why, sizeof why), CCHC_EINVAL); /* unsynced */
    assert_int_equal(journal_sync(j), CCHC_OK);
    assert_int_equal(journal_compact(j, 200, why, sizeof why), CCHC_EINVAL); /* not durable */
    assert_int_equal(journal_compact(j, 60, why, sizeof why), CCHC_OK);
    assert_int_equal(journal_base(j), 60);
    assert_int_equal(journal_next_seq(j), 102);
    assert_true(journal_epoch(j) == epoch);
    assert_true(journal_bytes(j) < bytes);
    uint8_t *buf;
    size_t len;
    uint32_t n;
    assert_int_equal(journal_read(j, 59, 10, 1 << 20, &buf, &len, &n), CCHC_ENOTFOUND);
    assert_int_equal(journal_read(j, 60, 2, 1 << 20, &buf, &len, &n), CCHC_OK);
    assert_memory_equal(buf, "event-60event-61", len);
    g_free(buf);
    assert_int_equal(journal_compact(j, 50, why, sizeof why), CCHC_OK); /* behind base: nothing */
    append_n(j, 102, 3);
    assert_int_equal(journal_sync(j), CCHC_OK);
    journal_close(j);

    f = (struct from){0};
    assert_int_equal(journal_open(path, contiguous, &f, &j, why, sizeof why), CCHC_OK);
    assert_int_equal(f.first, 60);
    assert_int_equal(f.next, 105);
    assert_int_equal(journal_base(j), 60);
    assert_true(journal_epoch(j) == epoch);
    uint64_t peek;
    assert_int_equal(journal_peek_epoch(path, &peek), CCHC_OK);
    assert_true(peek == epoch);
    journal_close(j);
    f = (struct from){0};
    uint64_t e, base, count;
    assert_int_equal(journal_scan(path, contiguous, &f, &e, &base, &count, why, sizeof why),
                     CCHC_OK);
    assert_int_equal(f.first, 60);
    assert_int_equal(base, 60);
    assert_int_equal(count, 45);
}

/* A journal of n records "event-I" at p, closed; the byte offset of each
 * record in offs[0..n]. */
static void make_journal(const char *p, int n, off_t *offs)
{
    struct journal *j;
    char why[256];
    unlink(p);
    assert_int_equal(journal_open(p, NULL, NULL, &j, why, sizeof why), CCHC_OK);
    off_t off = 32;
    for (int i = 0; i < n; i++) {
        char ev[32];
        int len = snprintf(ev, sizeof ev, "event-%d", i);
        offs[i] = off;
        off += 8 + len;
        assert_int_equal(journal_append(j, (const uint8_t *)ev, (size_t)len), CCHC_OK);
    }
    offs[n] = off;
    assert_int_equal(journal_sync(j), CCHC_OK);
    journal_close(j);
}

/* Flips the bits of mask in the byte at `at`. */
static void poke(const char *p, off_t at, uint8_t mask)
{
    int fd = open(p, O_RDWR);
    uint8_t b;
    assert_true(fd >= 0);
    assert_int_equal(pread(fd, &b, 1, at), 1);
    b ^= mask;
    assert_int_equal(pwrite(fd, &b, 1, at), 1);
    close(fd);
}

/* Damage before the last write is never taken for a torn tail: the journal
 * is refused whole, named with the record and the byte, and not cut. The
 * last record damaged is a torn tail (no crash could be told from it). */
static void test_damage_is_not_cut(void **unused)
{
    char p[300], why[256];
    snprintf(p, sizeof p, "%s/damaged", dir);
    off_t offs[101];
    struct journal *j;
    struct stat st;
    const struct {
        int record;
        off_t at; /* into the record */
        uint8_t mask;
    } cases[] = {
        {50, 8, 0x20}, /* the payload: the CRC fails, the record after is intact */
        {50, 4, 0xff}, /* the CRC itself */
        {50, 3, 0x7f}, /* the length, far past the file */
        {50, 0, 0x01}, /* the length, off by one */
        {0, 8, 0x20},  /* the first record */
        {98, 9, 0x01}, /* the last but one */
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        make_journal(p, 100, offs);
        assert_int_equal(stat(p, &st), 0);
        off_t size = st.st_size;
        off_t at = offs[cases[k].record];
        poke(p, at + cases[k].at, cases[k].mask);
        int rc = journal_open(p, NULL, NULL, &j, why, sizeof why);
        if (rc != CCHC_ECORRUPT)
            fail_msg("case %zu: journal_open %d, want CCHC_ECORRUPT", k, rc);
        char want[96];
        snprintf(want, sizeof want, "record %d at byte %lld fails its check", cases[k].record,
                 (long long)at);
        if (!strstr(why, want))
            fail_msg("case %zu: '%s' does not say '%s'", k, why, want);
        assert_non_null(strstr(why, "nothing was cut"));
        assert_int_equal(stat(p, &st), 0);
        assert_int_equal(st.st_size, size); /* nothing cut */
        uint64_t e, base, count;
        assert_int_equal(journal_scan(p, NULL, NULL, &e, &base, &count, why, sizeof why),
                         CCHC_ECORRUPT);
    }
    /* The last record damaged: a torn tail, cut, the others kept. */
    make_journal(p, 100, offs);
    poke(p, offs[99] + 8, 0x20);
    struct seen s = {0};
    assert_int_equal(journal_open(p, count, &s, &j, why, sizeof why), CCHC_OK);
    assert_int_equal(s.n, 99);
    journal_close(j);
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_size, offs[99]);
    unlink(p);
}

static void test_not_a_journal(void **unused)
{
    char other[300];
    snprintf(other, sizeof other, "%s/other", dir);
    FILE *f = fopen(other, "w");
    fputs("this is not a journal, it is a text file of some length", f);
    fclose(f);
    struct journal *j;
    char why[256];
    assert_int_equal(journal_open(other, NULL, NULL, &j, why, sizeof why), CCHC_ECORRUPT);
    assert_non_null(strstr(why, "not a cchc journal"));
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof path, "%s/events.journal", dir);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reopen_keeps_synced),
        cmocka_unit_test(test_unsynced_is_not_there),
        cmocka_unit_test(test_torn_tail_is_cut),
        cmocka_unit_test(test_read_ranges),
        cmocka_unit_test(test_compact),
        cmocka_unit_test(test_damage_is_not_cut),
        cmocka_unit_test(test_not_a_journal),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return rc;
}
