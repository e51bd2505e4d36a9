/* cchc-import: streams NDJSON record files to a cchc service in batches,
 * shows progress on a terminal, prints every rejected line as FILE:LINE and
 * a summary at the end. Sending a batch again after a failure is safe: the
 * service treats a record id it has seen as a duplicate. --parallel batches
 * are in flight at once (the service parses them on as many threads); their
 * order does not matter, a service takes records in any order. */
#include "base/config.h"
#include "base/err.h"
#include "base/log.h"
#include "ingest/limits.h"

#include <curl/curl.h>
#include <errno.h>
#include <glib.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct totals {
    uint64_t lines, accepted, duplicate, rejected, bytes;
    int shown;
};

struct opts {
    const char *url;
    long batch, retry_s, show, parallel;
};

/* A batch on its way: filled by the reader, sent by a sender. */
struct job {
    const char *file; /* NULL: the sender stops */
    long first_line;
    GString *body;
};

/* What the senders share. The reader takes a free body (waiting while all
 * are in flight: that bounds memory), fills it, and queues it. */
struct pool {
    const struct opts *o;
    GAsyncQueue *todo, *free; /* struct job *, GString * */
    GMutex mu;                /* totals and stderr */
    struct totals *t;
    gint failed; /* a batch could not be sent: stop reading */
    GThread **senders;
};

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
    g_string_append_len(arg, p, (gssize)(size * n));
    return size * n;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Reads the service's answer; prints rejected lines. The results (one per
 * line) are read only when some line was rejected: the counts before them
 * say all the rest, and parsing a 50,000-line answer costs more than the
 * service took to write it. */
static int account(const char *file, const GString *answer, struct totals *t, const struct opts *o)
{
    json_error_t err;
    const char *cut = strstr(answer->str, ",\"results\":[");
    if (cut) {
        GString *head = g_string_new_len(answer->str, cut - answer->str);
        g_string_append_c(head, '}');
        json_t *h = json_loadb(head->str, head->len, 0, &err);
        g_string_free(head, TRUE);
        json_t *rej = h ? json_object_get(h, "rejected") : NULL;
        if (json_is_integer(rej) && json_integer_value(rej) == 0) {
            t->accepted += (uint64_t)json_integer_value(json_object_get(h, "accepted"));
            t->duplicate += (uint64_t)json_integer_value(json_object_get(h, "duplicate"));
            json_decref(h);
            return CCHC_OK;
        }
        json_decref(h);
    }
    json_t *j = json_loadb(answer->str, answer->len, 0, &err);
    json_t *results = j ? json_object_get(j, "results") : NULL;
    if (!json_is_array(results)) {
        fprintf(stderr, "%s: the service's answer is not understood: %.200s\n", file, answer->str);
        json_decref(j);
        return CCHC_EPROTO;
    }
    t->accepted += (uint64_t)json_integer_value(json_object_get(j, "accepted"));
    t->duplicate += (uint64_t)json_integer_value(json_object_get(j, "duplicate"));
    t->rejected += (uint64_t)json_integer_value(json_object_get(j, "rejected"));
    size_t i;
    json_t *r;
    json_array_foreach(results, i, r)
    {
        const char *status = json_string_value(json_object_get(r, "status"));
        if (!status || strcmp(status, "rejected") != 0)
            continue;
        if (t->shown++ < o->show)
            fprintf(stderr, "%s:%lld: %s\n", file,
                    (long long)json_integer_value(json_object_get(r, "line")),
                    json_string_value(json_object_get(r, "error")));
    }
    json_decref(j);
    return CCHC_OK;
}

/* POSTs one batch, retrying while the service is unreachable or failing. */
static int send_batch(CURL *c, const char *file, long first_line, const GString *body,
                      struct totals *t, const struct opts *o, GMutex *mu)
{
    char h1[512], h2[64];
    snprintf(h1, sizeof h1, "X-CCHC-Source: %s", file);
    snprintf(h2, sizeof h2, "X-CCHC-First-Line: %ld", first_line);
    struct curl_slist *hs = curl_slist_append(NULL, "Content-Type: application/x-ndjson");
    hs = curl_slist_append(hs, h1);
    hs = curl_slist_append(hs, h2);
    hs = curl_slist_append(hs, "Expect:");
    GString *answer = g_string_new(NULL);
    double deadline = now_s() + (double)o->retry_s;
    int rc = CCHC_EIO;
    for (int attempt = 0;; attempt++) {
        g_string_truncate(answer, 0);
        curl_easy_setopt(c, CURLOPT_URL, o->url);
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, hs);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body->str);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body->len);
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, answer);
        CURLcode cc = curl_easy_perform(c);
        long status = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        if (cc == CURLE_OK && status == 200) {
            g_mutex_lock(mu);
            rc = account(file, answer, t, o);
            g_mutex_unlock(mu);
            break;
        }
        if (cc == CURLE_OK && status >= 400 && status < 500) {
            fprintf(stderr, "%s:%ld: the service refused the batch (HTTP %ld): %.300s\n", file,
                    first_line, status, answer->str);
            rc = CCHC_EINVAL;
            break;
        }
        if (now_s() > deadline) {
            fprintf(stderr, "%s:%ld: giving up after %d attempts: %s\n", file, first_line,
                    attempt + 1, cc != CURLE_OK ? curl_easy_strerror(cc) : "HTTP error");
            break;
        }
        usleep(attempt < 10 ? 100000 : 500000);
    }
    g_string_free(answer, TRUE);
    curl_slist_free_all(hs);
    return rc;
}

static void progress(const char *file, const struct totals *t, double t0, int final)
{
    double dt = now_s() - t0;
    fprintf(stderr, "\r%s: %llu lines, %.1f MB, %.0f lines/s%s", file, (unsigned long long)t->lines,
            t->bytes / 1e6, dt > 0 ? t->lines / dt : 0.0, final ? "\n" : "   ");
}

static gpointer sender(gpointer arg)
{
    struct pool *p = arg;
    CURL *c = curl_easy_init();
    for (;;) {
        struct job *j = g_async_queue_pop(p->todo);
        if (!j->file) {
            g_free(j);
            break;
        }
        if (!c || (!g_atomic_int_get(&p->failed) &&
                   send_batch(c, j->file, j->first_line, j->body, p->t, p->o, &p->mu) != CCHC_OK))
            g_atomic_int_set(&p->failed, 1);
        g_string_truncate(j->body, 0);
        g_async_queue_push(p->free, j->body);
        g_free(j);
    }
    if (c)
        curl_easy_cleanup(c);
    return NULL;
}

static void queue_batch(struct pool *p, const char *file, long first_line, GString *body)
{
    struct job *j = g_new(struct job, 1);
    *j = (struct job){file, first_line, body};
    g_async_queue_push(p->todo, j);
}

/* Waits until no batch is in flight. */
static void drain(struct pool *p)
{
    GString *held[64];
    int n = (int)p->o->parallel + 1;
    for (int i = 0; i < n; i++)
        held[i] = g_async_queue_pop(p->free);
    for (int i = 0; i < n; i++)
        g_async_queue_push(p->free, held[i]);
}

static int import_file(struct pool *p, const char *path)
{
    struct totals *t = p->t;
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return CCHC_EIO;
    }
    int tty = isatty(2);
    double t0 = now_s(), last = 0;
    GString *body = g_async_queue_pop(p->free);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0, first = 1, in_batch = 0;
    while (!g_atomic_int_get(&p->failed) && (n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        g_mutex_lock(&p->mu);
        t->lines++;
        t->bytes += (uint64_t)n;
        g_mutex_unlock(&p->mu);
        /* A line over the limit is rejected by the service anyway: send enough
         * of it to be recognised and kept in the reject log, not the whole. */
        if (n > INGEST_LINE_MAX + 1) {
            line[INGEST_LINE_MAX + 1] = '\n';
            n = INGEST_LINE_MAX + 2;
        }
        g_string_append_len(body, line, n);
        if (n && line[n - 1] != '\n')
            g_string_append_c(body, '\n');
        if (++in_batch >= p->o->batch || body->len >= (4u << 20)) {
            queue_batch(p, path, first, body);
            body = g_async_queue_pop(p->free);
            in_batch = 0;
            first = lineno + 1;
            if (tty && now_s() - last > 0.2) {
                g_mutex_lock(&p->mu);
                progress(path, t, t0, 0);
                g_mutex_unlock(&p->mu);
                last = now_s();
            }
        }
    }
    if (in_batch && !g_atomic_int_get(&p->failed))
        queue_batch(p, path, first, body);
    else
        g_async_queue_push(p->free, body);
    drain(p);
    if (tty)
        progress(path, t, t0, 1);
    free(line);
    if (f != stdin)
        fclose(f);
    return g_atomic_int_get(&p->failed) ? CCHC_EIO : CCHC_OK;
}

int main(int argc, char **argv)
{
    cchc_log_init("cchc-import");
    struct opts o = {.url = "http://127.0.0.1:8081/v1/records",
                     .batch = 5000,
                     .retry_s = 60,
                     .show = 50,
                     .parallel = 2};
    const struct cchc_opt opts[] = {
        {"--url", "CCHC_IMPORT_URL", CCHC_OPT_STR, &o.url, 0, 0,
         "the service's records endpoint (dossier 8081, staffing 8082, finance 8083, egov 8084)"},
        {"--batch", NULL, CCHC_OPT_INT, &o.batch, 1, 100000, "records per request"},
        {"--retry-seconds", NULL, CCHC_OPT_INT, &o.retry_s, 0, 86400,
         "keep retrying a batch this long while the service is down"},
        {"--show-rejects", NULL, CCHC_OPT_INT, &o.show, 0, 1000000,
         "print at most this many rejected lines"},
        {"--parallel", "CCHC_IMPORT_PARALLEL", CCHC_OPT_INT, &o.parallel, 1, 32,
         "batches in flight at once (1: the journal keeps the files' order)"},
        {0},
    };
    char **files;
    int nfiles;
    cchc_opts_parse(argc, argv, opts,
                    "usage: cchc-import [options] FILE...   (FILE '-' is standard input)\n"
                    "Streams NDJSON records to a cchc service. Prints FILE:LINE: error for\n"
                    "each rejected line and a summary. Exit 0: every line accepted or a\n"
                    "duplicate; 1: some lines rejected (kept in the service's reject log);\n"
                    "2: the service could not be reached or refused a batch.",
                    &files, &nfiles);
    if (nfiles == 0) {
        fprintf(stderr, "error: no FILE given (see --help)\n");
        return 2;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    struct totals t = {0};
    struct pool p = {.o = &o, .t = &t, .todo = g_async_queue_new(), .free = g_async_queue_new()};
    g_mutex_init(&p.mu);
    for (long i = 0; i <= o.parallel; i++)
        g_async_queue_push(p.free, g_string_sized_new(1 << 20));
    p.senders = g_new(GThread *, o.parallel);
    for (long i = 0; i < o.parallel; i++)
        p.senders[i] = g_thread_new("sender", sender, &p);
    int failed = 0;
    for (int i = 0; i < nfiles && !failed; i++)
        failed = import_file(&p, files[i]) != CCHC_OK;
    for (long i = 0; i < o.parallel; i++)
        queue_batch(&p, NULL, 0, NULL);
    for (long i = 0; i < o.parallel; i++)
        g_thread_join(p.senders[i]);
    g_free(p.senders);
    for (GString *b; (b = g_async_queue_try_pop(p.free));)
        g_string_free(b, TRUE);
    g_async_queue_unref(p.todo);
    g_async_queue_unref(p.free);
    g_mutex_clear(&p.mu);
    curl_global_cleanup();
    if (t.shown > o.show)
        fprintf(stderr, "... and %d more rejected lines\n", t.shown - (int)o.show);
    printf("%s: %llu lines: accepted %llu, duplicate %llu, rejected %llu\n",
           failed ? "incomplete" : "done", (unsigned long long)t.lines,
           (unsigned long long)t.accepted, (unsigned long long)t.duplicate,
           (unsigned long long)t.rejected);
    return failed ? 2 : t.rejected ? 1 : 0;
}
