#include "bus/journal.h"

#include "base/err.h"
#include "base/log.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define HEADER_LEN 32
#define MAGIC "CCHCJRN1"

struct journal {
    char *path;
    int fd;
    uint64_t epoch, base;
    /* offs[i] is the file offset of record base+i; offs has n+1 entries, the
     * last one being the end of the file, so record i spans offs[i]..offs[i+1). */
    uint64_t *offs;
    size_t n, cap;
    size_t durable; /* records [0, durable) are synced */
    uint8_t *pend;  /* appended, not yet written */
    size_t pend_len, pend_cap;
    /* Guards, for readers on other threads: offs (may move), n, durable,
     * and fd and base (compaction replaces both). */
    pthread_mutex_t mu;
};

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = v, p[1] = v >> 8, p[2] = v >> 16, p[3] = v >> 24;
}

static uint32_t get32(const uint8_t *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

static uint64_t get64(const uint8_t *p)
{
    return get32(p) | (uint64_t)get32(p + 4) << 32;
}

static void push_off(struct journal *j, uint64_t off)
{
    if (j->n + 1 >= j->cap) {
        size_t cap = j->cap ? 2 * j->cap : 4096;
        pthread_mutex_lock(&j->mu);
        j->offs = g_renew(uint64_t, j->offs, cap);
        j->cap = cap;
        pthread_mutex_unlock(&j->mu);
    }
    j->offs[++j->n] = off;
}

static int sync_dir(const char *path)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = 0;
    else
        snprintf(dir, sizeof dir, ".");
    int fd = open(dir[0] ? dir : "/", O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return CCHC_EIO;
    int rc = fsync(fd);
    close(fd);
    return rc ? CCHC_EIO : CCHC_OK;
}

static int create(struct journal *j, const char *path, char *why, size_t cap)
{
    uint8_t h[HEADER_LEN] = {0};
    memcpy(h, MAGIC, 8);
    do {
        if (getrandom(&j->epoch, sizeof j->epoch, 0) != sizeof j->epoch) {
            snprintf(why, cap, "%s: getrandom: %s", path, strerror(errno));
            return CCHC_EIO;
        }
    } while (j->epoch == 0);
    j->base = 0;
    put64(h + 8, j->epoch);
    put64(h + 16, j->base);
    if (pwrite(j->fd, h, sizeof h, 0) != (ssize_t)sizeof h || fdatasync(j->fd) || sync_dir(path)) {
        snprintf(why, cap, "%s: cannot write journal header: %s", path, strerror(errno));
        return CCHC_EIO;
    }
    j->offs[0] = HEADER_LEN;
    return CCHC_OK;
}

/* Reads records from byte `from` on, checks each, feeds fn, and (when j is
 * given) records their offsets; stops at the end or at the first record that
 * is cut short or fails its CRC. *end is where the intact records end. */
static int walk(int fd, const char *path, uint64_t size, uint64_t base, journal_scan_fn fn,
                void *arg, struct journal *j, uint64_t *end, uint64_t *count, char *why, size_t cap,
                uint64_t from)
{
    uint8_t *buf = g_malloc(JOURNAL_RECORD_MAX);
    uint64_t off = from, n = 0;
    int rc = CCHC_OK;
    while (off + 8 <= size) {
        uint8_t rh[8];
        if (pread(fd, rh, 8, (off_t)off) != 8)
            break;
        uint32_t len = get32(rh), crc = get32(rh + 4);
        if (len == 0 || len > JOURNAL_RECORD_MAX || off + 8 + len > size)
            break;
        if (pread(fd, buf, len, (off_t)(off + 8)) != (ssize_t)len)
            break;
        if ((uint32_t)crc32(0, buf, len) != crc)
            break;
        if (fn && (rc = fn(arg, base + n, buf, len))) {
            snprintf(why, cap, "%s: record %llu rejected while reading it back", path,
                     (unsigned long long)(base + n));
            break;
        }
        off += 8 + len;
        n++;
        if (j)
            push_off(j, off);
    }
    g_free(buf);
    *end = off;
    *count = n;
    return rc;
}

/* Whether an intact record (a plausible length and its CRC) starts anywhere
 * after the bad record at bad, and where. Only the last write can be torn,
 * and nothing is written after it, so an intact record after a bad one
 * means damage, not a crash. The record the bad one's length points to is
 * tried first; then every byte of a window of two records' worth, in which
 * any record that follows must start if the bad one's length is damaged. */
static int intact_after(int fd, uint64_t bad, uint64_t size, uint64_t *at)
{
    uint8_t rh[8];
    if (pread(fd, rh, 8, (off_t)bad) == 8) {
        uint64_t next = bad + 8 + get32(rh);
        if (get32(rh) <= JOURNAL_RECORD_MAX && next + 8 <= size) {
            uint64_t end, n;
            char why[8];
            if (walk(fd, "", size, 0, NULL, NULL, NULL, &end, &n, why, sizeof why, next) ==
                    CCHC_OK &&
                n > 0) {
                *at = next;
                return 1;
            }
        }
    }
    size_t win = (size_t)(size - bad < 2 * (JOURNAL_RECORD_MAX + 8) ? size - bad
                                                                    : 2 * (JOURNAL_RECORD_MAX + 8));
    uint8_t *w = g_malloc(win ? win : 1);
    int found = 0;
    if (pread(fd, w, win, (off_t)bad) == (ssize_t)win)
        for (size_t i = 1; i + 8 <= win && !found; i++) {
            uint32_t len = get32(w + i);
            if (len == 0 || len > JOURNAL_RECORD_MAX || i + 8 + len > win)
                continue;
            if ((uint32_t)crc32(0, w + i + 8, len) == get32(w + i + 4)) {
                *at = bad + i;
                found = 1;
            }
        }
    g_free(w);
    return found;
}

/* After the intact records end at off: a torn tail (nothing intact after
 * it), or damage, which is never cut. */
static int check_tail(int fd, const char *path, uint64_t off, uint64_t size, uint64_t seq,
                      char *why, size_t cap)
{
    uint64_t at;
    if (off >= size || !intact_after(fd, off, size, &at))
        return CCHC_OK;
    snprintf(why, cap,
             "%s: record %llu at byte %llu fails its check, yet an intact record follows at "
             "byte %llu: the journal was damaged before its last write, and nothing was cut "
             "(see ops/README.md, journal damage)",
             path, (unsigned long long)seq, (unsigned long long)off, (unsigned long long)at);
    return CCHC_ECORRUPT;
}

static int read_header(int fd, const char *path, uint64_t *epoch, uint64_t *base, char *why,
                       size_t cap)
{
    uint8_t h[HEADER_LEN];
    if (pread(fd, h, sizeof h, 0) != (ssize_t)sizeof h || memcmp(h, MAGIC, 8) != 0) {
        snprintf(why, cap, "%s: not a cchc journal (bad header)", path);
        return CCHC_ECORRUPT;
    }
    *epoch = get64(h + 8);
    *base = get64(h + 16);
    return CCHC_OK;
}

static int load(struct journal *j, const char *path, journal_scan_fn fn, void *arg, char *why,
                size_t cap)
{
    struct stat st;
    if (fstat(j->fd, &st)) {
        snprintf(why, cap, "%s: %s", path, strerror(errno));
        return CCHC_EIO;
    }
    uint64_t size = (uint64_t)st.st_size, off, n;
    int rc = read_header(j->fd, path, &j->epoch, &j->base, why, cap);
    if (rc)
        return rc;
    j->offs[0] = HEADER_LEN;
    if ((rc = walk(j->fd, path, size, j->base, fn, arg, j, &off, &n, why, cap, HEADER_LEN)) ||
        (rc = check_tail(j->fd, path, off, size, j->base + j->n, why, cap)))
        return rc;
    if (off < size) {
        /* Only the last write can be torn: it was never synced, so never acknowledged. */
        cchc_warn("%s: cutting a torn tail of %llu bytes after record %llu", path,
                  (unsigned long long)(size - off), (unsigned long long)(j->base + j->n));
        if (ftruncate(j->fd, (off_t)off) || fdatasync(j->fd)) {
            snprintf(why, cap, "%s: cannot cut torn tail: %s", path, strerror(errno));
            return CCHC_EIO;
        }
    }
    j->durable = j->n;
    return CCHC_OK;
}

int journal_peek_epoch(const char *path, uint64_t *epoch)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return CCHC_ENOTFOUND;
    uint64_t base;
    char why[16];
    int rc = read_header(fd, path, epoch, &base, why, sizeof why);
    close(fd);
    return rc ? CCHC_ENOTFOUND : CCHC_OK;
}

int journal_scan(const char *path, journal_scan_fn fn, void *arg, uint64_t *epoch, uint64_t *base,
                 uint64_t *count, char *why, size_t why_cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, why_cap, "%s: %s", path, strerror(errno));
        return CCHC_EIO;
    }
    struct stat st;
    uint64_t end;
    int rc = fstat(fd, &st) ? CCHC_EIO : read_header(fd, path, epoch, base, why, why_cap);
    if (rc == CCHC_OK)
        rc = walk(fd, path, (uint64_t)st.st_size, *base, fn, arg, NULL, &end, count, why, why_cap,
                  HEADER_LEN);
    if (rc == CCHC_OK)
        rc = check_tail(fd, path, end, (uint64_t)st.st_size, *base + *count, why, why_cap);
    close(fd);
    return rc;
}

int journal_open(const char *path, journal_scan_fn fn, void *arg, struct journal **out, char *why,
                 size_t why_cap)
{
    struct journal *j = g_new0(struct journal, 1);
    pthread_mutex_init(&j->mu, NULL);
    j->cap = 4096;
    j->offs = g_new(uint64_t, j->cap);
    j->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    j->path = g_strdup(path);
    int rc;
    if (j->fd < 0) {
        snprintf(why, why_cap, "%s: %s", path, strerror(errno));
        rc = CCHC_EIO;
    } else {
        struct stat st;
        rc = fstat(j->fd, &st) ? CCHC_EIO
             : st.st_size == 0 ? create(j, path, why, why_cap)
                               : load(j, path, fn, arg, why, why_cap);
    }
    if (rc) {
        journal_close(j);
        return rc;
    }
    if (lseek(j->fd, (off_t)j->offs[j->n], SEEK_SET) < 0) {
        journal_close(j);
        return CCHC_EIO;
    }
    *out = j;
    return CCHC_OK;
}

void journal_close(struct journal *j)
{
    if (!j)
        return;
    if (j->fd >= 0)
        close(j->fd);
    pthread_mutex_destroy(&j->mu);
    g_free(j->path);
    g_free(j->offs);
    g_free(j->pend);
    g_free(j);
}

uint64_t journal_epoch(const struct journal *j)
{
    return j->epoch;
}

uint64_t journal_base(struct journal *j)
{
    pthread_mutex_lock(&j->mu);
    uint64_t b = j->base;
    pthread_mutex_unlock(&j->mu);
    return b;
}

uint64_t journal_bytes(const struct journal *j)
{
    return j->offs[j->n];
}

uint64_t journal_next_seq(const struct journal *j)
{
    return j->base + j->n;
}

uint64_t journal_durable(struct journal *j)
{
    pthread_mutex_lock(&j->mu);
    uint64_t d = j->base + j->durable;
    pthread_mutex_unlock(&j->mu);
    return d;
}

int journal_append(struct journal *j, const uint8_t *ev, size_t len)
{
    if (len == 0 || len > JOURNAL_RECORD_MAX)
        return CCHC_ETOOBIG;
    if (j->pend_len + 8 + len > j->pend_cap) {
        size_t cap = j->pend_cap ? j->pend_cap : 1 << 16;
        while (cap < j->pend_len + 8 + len)
            cap *= 2;
        j->pend = g_realloc(j->pend, cap);
        j->pend_cap = cap;
    }
    uint8_t *p = j->pend + j->pend_len;
    put32(p, (uint32_t)len);
    put32(p + 4, (uint32_t)crc32(0, ev, (uInt)len));
    memcpy(p + 8, ev, len);
    j->pend_len += 8 + len;
    push_off(j, j->offs[j->n] + 8 + len);
    return CCHC_OK;
}

int journal_sync(struct journal *j)
{
    size_t done = 0;
    while (done < j->pend_len) {
        ssize_t w = write(j->fd, j->pend + done, j->pend_len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return CCHC_EIO;
        done += (size_t)w;
    }
    if (j->pend_len && fdatasync(j->fd))
        return CCHC_EIO;
    j->pend_len = 0;
    pthread_mutex_lock(&j->mu);
    j->durable = j->n;
    pthread_mutex_unlock(&j->mu);
    return CCHC_OK;
}

int journal_read(struct journal *j, uint64_t from, uint32_t max_events, size_t max_bytes,
                 uint8_t **buf, size_t *len, uint32_t *count)
{
    pthread_mutex_lock(&j->mu);
    if (from < j->base || from >= j->base + j->durable) {
        pthread_mutex_unlock(&j->mu);
        return CCHC_ENOTFOUND;
    }
    size_t i0 = (size_t)(from - j->base), i1 = i0;
    uint64_t start = j->offs[i0];
    while (i1 < j->durable && i1 - i0 < max_events &&
           (i1 == i0 || j->offs[i1 + 1] - start <= max_bytes))
        i1++;
    uint64_t end = j->offs[i1];
    size_t raw_len = (size_t)(end - start);
    uint8_t *raw = g_malloc(raw_len);
    /* Still under the lock: a compaction may replace the file. */
    int rc = pread(j->fd, raw, raw_len, (off_t)start) != (ssize_t)raw_len ? CCHC_EIO : CCHC_OK;
    pthread_mutex_unlock(&j->mu);
    if (rc) {
        g_free(raw);
        return rc;
    }
    /* Strip the record headers in place: the payloads concatenated are a frame body. */
    size_t r = 0, w = 0;
    while (r + 8 <= raw_len) {
        uint32_t l = get32(raw + r);
        memmove(raw + w, raw + r + 8, l);
        w += l;
        r += 8 + l;
    }
    *buf = raw;
    *len = w;
    *count = (uint32_t)(i1 - i0);
    return CCHC_OK;
}

/* Writes the header and records [k, n) of j into a new file beside it. */
static int write_tail(struct journal *j, size_t k, const char *tmp, int *out_fd)
{
    int fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return CCHC_EIO;
    uint8_t h[HEADER_LEN] = {0};
    memcpy(h, MAGIC, 8);
    put64(h + 8, j->epoch);
    put64(h + 16, j->base + k);
    int rc = pwrite(fd, h, sizeof h, 0) == (ssize_t)sizeof h ? CCHC_OK : CCHC_EIO;
    uint8_t *buf = g_malloc(1 << 20);
    uint64_t from = j->offs[k], to = j->offs[j->n], out = HEADER_LEN;
    while (rc == CCHC_OK && from < to) {
        size_t len = to - from < (1 << 20) ? (size_t)(to - from) : (1 << 20);
        if (pread(j->fd, buf, len, (off_t)from) != (ssize_t)len ||
            pwrite(fd, buf, len, (off_t)out) != (ssize_t)len)
            rc = CCHC_EIO;
        from += len, out += len;
    }
    g_free(buf);
    if (rc == CCHC_OK && (fdatasync(fd) || lseek(fd, (off_t)out, SEEK_SET) < 0))
        rc = CCHC_EIO;
    if (rc) {
        close(fd);
        unlink(tmp);
        return rc;
    }
    *out_fd = fd;
    return CCHC_OK;
}

int journal_each(struct journal *j, uint64_t from, uint64_t to, journal_scan_fn fn, void *arg)
{
    if (from < j->base || to > j->base + j->durable)
        return CCHC_ENOTFOUND;
    uint8_t *buf = NULL;
    int rc = CCHC_OK;
    for (uint64_t seq = from; rc == CCHC_OK && seq < to; seq++) {
        size_t i = (size_t)(seq - j->base), len = (size_t)(j->offs[i + 1] - j->offs[i]) - 8;
        buf = g_realloc(buf, len);
        rc = pread(j->fd, buf, len, (off_t)(j->offs[i] + 8)) == (ssize_t)len ? CCHC_OK : CCHC_EIO;
        if (rc == CCHC_OK)
            rc = fn(arg, seq, buf, len);
    }
    g_free(buf);
    return rc;
}

int journal_truncate(struct journal *j, uint64_t keep)
{
    if (keep < j->base || keep > j->base + j->n || j->pend_len)
        return CCHC_EINVAL;
    size_t k = (size_t)(keep - j->base);
    if (ftruncate(j->fd, (off_t)j->offs[k]) || fdatasync(j->fd) ||
        lseek(j->fd, (off_t)j->offs[k], SEEK_SET) < 0)
        return CCHC_EIO;
    pthread_mutex_lock(&j->mu);
    j->n = k;
    if (j->durable > k)
        j->durable = k;
    pthread_mutex_unlock(&j->mu);
    return CCHC_OK;
}

int journal_compact(struct journal *j, uint64_t cut, char *why, size_t why_cap)
{
    if (cut <= j->base)
        return CCHC_OK;
    if (cut > j->base + j->durable || j->pend_len) {
        snprintf(why, why_cap, "%s: cannot compact up to %llu: not durable yet", j->path,
                 (unsigned long long)cut);
        return CCHC_EINVAL;
    }
    size_t k = (size_t)(cut - j->base);
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.compact", j->path);
    int fd, rc = write_tail(j, k, tmp, &fd);
    /* The rename is the commit: a crash before it leaves the old journal whole. */
    if (rc == CCHC_OK && rename(tmp, j->path)) {
        close(fd);
        unlink(tmp);
        rc = CCHC_EIO;
    }
    if (rc) {
        snprintf(why, why_cap, "%s: compaction failed: %s", j->path, strerror(errno));
        return rc;
    }
    /* Renamed: from here on the new file is the journal, whatever else fails. */
    if (sync_dir(j->path)) {
        snprintf(why, why_cap, "%s: compacted, but the folder cannot be synced: %s", j->path,
                 strerror(errno));
        rc = CCHC_EIO;
    }
    pthread_mutex_lock(&j->mu);
    close(j->fd);
    j->fd = fd;
    uint64_t shift = j->offs[k] - HEADER_LEN;
    for (size_t i = k; i <= j->n; i++)
        j->offs[i - k] = j->offs[i] - shift;
    j->n -= k;
    j->durable -= k;
    j->base = cut;
    pthread_mutex_unlock(&j->mu);
    return rc;
}
