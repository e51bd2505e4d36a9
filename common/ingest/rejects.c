/* The reject log: bounded entries, one write and one fdatasync a request,
 * rotation, counters of what was not kept. */
#include "ingest/rejects.h"

#include "base/err.h"
#include "base/json.h"
#include "base/log.h"
#include "base/period.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct rejects {
    pthread_mutex_t mu;
    char *path;
    int fd;
    uint64_t size, file_max;
    unsigned files;
    /* counters, under mu */
    uint64_t kept_lines, kept_bytes, truncated_lines, dropped_lines, dropped_bytes, rotations,
        write_errors;
};

struct rejects_batch {
    char *source, *src;
    GString *s;
    uint64_t lines, truncated, dropped_lines, dropped_bytes;
    long first_dropped;
};

/* At most max bytes of p[0..n), not cutting a UTF-8 sequence in two. */
size_t rejects_prefix_len(const char *p, size_t n, size_t max)
{
    if (n <= max)
        return n;
    size_t k = max;
    for (int back = 0; back < 3 && k > 0 && ((unsigned char)p[k] & 0xC0) == 0x80; back++)
        k--;
    return k;
}

void rejects_entry(GString *s, const char *logged, const char *source, const char *src, long lineno,
                   const char *reason, const char *text, size_t n)
{
    g_string_append_c(s, '{');
    json_key(s, "logged");
    json_cstr(s, logged);
    json_key(s, "source");
    json_str(s, source, rejects_prefix_len(source, strlen(source), REJECTS_REASON_MAX));
    if (src) { /* a name of the sources file: short, checked there */
        json_key(s, "src");
        json_cstr(s, src);
    }
    json_key(s, "line");
    json_int(s, lineno);
    json_key(s, "error");
    json_str(s, reason, rejects_prefix_len(reason, strlen(reason), REJECTS_REASON_MAX));
    json_key(s, "length");
    json_int(s, (int64_t)n);
    size_t keep = rejects_prefix_len(text, n, REJECTS_RECORD_MAX);
    if (g_utf8_validate(text, (gssize)keep, NULL)) {
        json_key(s, "record");
        json_str(s, text, keep);
    } else {
        gchar *b64 = g_base64_encode((const guchar *)text, keep);
        json_key(s, "record_base64");
        json_cstr(s, b64);
        g_free(b64);
    }
    if (keep < n) {
        unsigned char h[crypto_generichash_BYTES];
        char hex[2 * sizeof h + 1];
        crypto_generichash(h, sizeof h, (const unsigned char *)text, n, NULL, 0);
        sodium_bin2hex(hex, sizeof hex, h, sizeof h);
        json_key(s, "truncated");
        g_string_append(s, "true");
        json_key(s, "blake2b");
        json_cstr(s, hex);
    }
    g_string_append(s, "}\n");
}

static void now_text(char *out, size_t cap)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    cchc_time_format((int64_t)ts.tv_sec * 1000, out, cap);
}

int rejects_open(const char *path, uint64_t file_max, unsigned files, struct rejects **out,
                 char *why, size_t why_cap)
{
    if (sodium_init() < 0) {
        snprintf(why, why_cap, "libsodium cannot start");
        return CCHC_EIO;
    }
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    struct stat st;
    if (fd < 0 || fstat(fd, &st)) {
        snprintf(why, why_cap, "%s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return CCHC_EIO;
    }
    struct rejects *r = g_new0(struct rejects, 1);
    pthread_mutex_init(&r->mu, NULL);
    r->path = g_strdup(path);
    r->fd = fd;
    r->size = (uint64_t)st.st_size;
    r->file_max = file_max < REJECTS_REQUEST_MAX ? REJECTS_REQUEST_MAX : file_max;
    r->files = files;
    *out = r;
    return CCHC_OK;
}

void rejects_close(struct rejects *r)
{
    if (!r)
        return;
    close(r->fd);
    pthread_mutex_destroy(&r->mu);
    g_free(r->path);
    g_free(r);
}

struct rejects_batch *rejects_batch_new(const char *source, const char *src)
{
    struct rejects_batch *b = g_new0(struct rejects_batch, 1);
    b->source = g_strdup(source);
    b->src = g_strdup(src);
    b->s = g_string_new(NULL);
    return b;
}

void rejects_batch_add(struct rejects_batch *b, long lineno, const char *reason, const char *text,
                       size_t n)
{
    /* Each entry is at most REJECTS_ENTRY_MAX: stop before one could pass
     * the request's bound. */
    if (b->dropped_lines || b->s->len + REJECTS_ENTRY_MAX > REJECTS_REQUEST_MAX) {
        if (!b->dropped_lines++)
            b->first_dropped = lineno;
        b->dropped_bytes += n;
        return;
    }
    char now[40];
    now_text(now, sizeof now);
    rejects_entry(b->s, now, b->source, b->src, lineno, reason, text, n);
    b->lines++;
    b->truncated += n > REJECTS_RECORD_MAX;
}

/* path -> path.1 -> ... -> path.files, under mu; the oldest goes. */
static void rotate(struct rejects *r)
{
    char from[4096], to[4096];
    for (unsigned i = r->files; i > 1; i--) {
        snprintf(from, sizeof from, "%s.%u", r->path, i - 1);
        snprintf(to, sizeof to, "%s.%u", r->path, i);
        rename(from, to); /* absent is fine */
    }
    int fd;
    if (r->files) {
        snprintf(to, sizeof to, "%s.1", r->path);
        if (rename(r->path, to))
            cchc_error("reject log %s: cannot rotate: %s", r->path, strerror(errno));
        fd = open(r->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    } else {
        fd = open(r->path, O_WRONLY | O_APPEND | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    }
    if (fd < 0) {
        cchc_error("reject log %s: cannot reopen: %s", r->path, strerror(errno));
        return; /* keep writing to the old one */
    }
    close(r->fd);
    r->fd = fd;
    r->size = 0;
    r->rotations++;
}

void rejects_commit(struct rejects *r, struct rejects_batch *b)
{
    if (b->dropped_lines) {
        char now[40];
        now_text(now, sizeof now);
        g_string_append_c(b->s, '{');
        json_key(b->s, "logged");
        json_cstr(b->s, now);
        json_key(b->s, "source");
        json_str(b->s, b->source,
                 rejects_prefix_len(b->source, strlen(b->source), REJECTS_REASON_MAX));
        json_key(b->s, "not_kept_from_line");
        json_int(b->s, b->first_dropped);
        json_key(b->s, "not_kept_lines");
        json_int(b->s, (int64_t)b->dropped_lines);
        json_key(b->s, "not_kept_bytes");
        json_int(b->s, (int64_t)b->dropped_bytes);
        g_string_append(b->s, "}\n");
    }
    pthread_mutex_lock(&r->mu);
    if (b->s->len) {
        if (r->size && r->size + b->s->len > r->file_max)
            rotate(r);
        size_t off = 0;
        while (off < b->s->len) {
            ssize_t w = write(r->fd, b->s->str + off, b->s->len - off);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                break;
            off += (size_t)w;
        }
        r->size += off;
        if (off < b->s->len || fdatasync(r->fd)) {
            if (!r->write_errors++)
                cchc_error("reject log %s: write failed: %s (counted in /v1/stats)", r->path,
                           strerror(errno));
            r->dropped_lines += b->lines;
            r->dropped_bytes += b->s->len - off;
        } else {
            r->kept_lines += b->lines;
            r->kept_bytes += b->s->len;
            r->truncated_lines += b->truncated;
        }
    }
    r->dropped_lines += b->dropped_lines;
    r->dropped_bytes += b->dropped_bytes;
    pthread_mutex_unlock(&r->mu);
    g_string_free(b->s, TRUE);
    g_free(b->source);
    g_free(b->src);
    g_free(b);
}

void rejects_stats(struct rejects *r, GString *s)
{
    pthread_mutex_lock(&r->mu);
    uint64_t c[] = {r->kept_lines,    r->kept_bytes, r->truncated_lines, r->dropped_lines,
                    r->dropped_bytes, r->rotations,  r->write_errors,    r->size};
    pthread_mutex_unlock(&r->mu);
    static const char *const names[] = {"kept_lines",     "kept_bytes",     "truncated_lines",
                                        "not_kept_lines", "not_kept_bytes", "rotations",
                                        "write_errors",   "file_bytes"};
    g_string_append_c(s, '{');
    for (size_t i = 0; i < G_N_ELEMENTS(c); i++) {
        json_key(s, names[i]);
        json_int(s, (int64_t)c[i]);
    }
    g_string_append_c(s, '}');
}
