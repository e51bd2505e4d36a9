/* cchc-import: streams record files to a cchc service in batches: cchc's
 * NDJSON, or (--format dvcqg) the DVCQG dossier records office systems send
 * the national portal, envelopes or bare records one JSON value a line,
 * posted to cchc-dossier's /v1/dvcqg. It shows progress on a terminal, prints every rejected line
 * as FILE:LINE and a summary at the end. Sending a batch again after a failure is safe: the service
 * treats a record id it has seen as a duplicate. --parallel batches are in flight at once (the
 * service parses them on its --http-threads); their order does not matter, a service takes records
 * in any order. */
#include "base/config.h"
#include "base/err.h"
#include "base/log.h"
#include "ingest/limits.h"

#include <curl/curl.h>
#include <errno.h>
#include <glib.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PARALLEL_MAX 32

/* Clears a secret: volatile, so the stores are not optimised away. */
static void wipe(char *p, size_t n)
{
    volatile char *v = p;
    while (n--)
        *v++ = 0;
}

struct totals {
    uint64_t lines, accepted, duplicate, rejected, bytes;
    uint64_t conflicts; /* rejected: the id was accepted before with other content */
    int shown;
};

struct opts {
    const char *url, *token_file, *cacert, *format;
    int dvcqg;
    char auth[128]; /* "Authorization: Bearer TOKEN" */
    long batch, retry_s, show, parallel;
};

/* A batch on its way: filled by the reader, sent by a sender. */
struct job {
    const char *file; /* NULL: the sender stops */
    long first_line;
    GString *body;
};

/* A queue of pointers; taking from an empty one waits. */
struct queue {
    pthread_mutex_t mu;
    pthread_cond_t nonempty;
    GQueue items;
};

/* What the senders share. The reader takes a free body (waiting while all
 * are in flight: that bounds memory), fills it, and queues it. */
struct pool {
    const struct opts *o;
    struct queue todo, free; /* struct job *, GString * */
    pthread_mutex_t mu;      /* totals and stderr */
    struct totals *t;
    atomic_int failed; /* a batch could not be sent: stop reading */
};

static void queue_init(struct queue *q)
{
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->nonempty, NULL);
    g_queue_init(&q->items);
}

static void queue_push(struct queue *q, void *item)
{
    pthread_mutex_lock(&q->mu);
    g_queue_push_tail(&q->items, item);
    pthread_cond_signal(&q->nonempty);
    pthread_mutex_unlock(&q->mu);
}

static void *queue_pop(struct queue *q)
{
    pthread_mutex_lock(&q->mu);
    while (g_queue_is_empty(&q->items))
        pthread_cond_wait(&q->nonempty, &q->mu);
    void *item = g_queue_pop_head(&q->items);
    pthread_mutex_unlock(&q->mu);
    return item;
}

/* Only once no thread uses q: what is left in it is the caller's. */
static void queue_clear(struct queue *q)
{
    g_queue_clear(&q->items);
    pthread_cond_destroy(&q->nonempty);
    pthread_mutex_destroy(&q->mu);
}

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

/* why = `WHEREfield "NAME": missing`, or `: not WANT` when it is there. */
static int bad_field(char *why, size_t cap, const char *where, const char *name, const json_t *v,
                     const char *want)
{
    snprintf(why, cap, "%sfield \"%s\": %s%s", where, name, v ? "not " : "missing", v ? want : "");
    return CCHC_EPROTO;
}

static int get_count(const json_t *answer, const char *name, uint64_t *out, char *why, size_t cap)
{
    json_t *v = json_object_get(answer, name);
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return bad_field(why, cap, "", name, v, "a count");
    *out = (uint64_t)json_integer_value(v);
    return CCHC_OK;
}

/* Checks every result's status, and the line and error of each rejected one. */
static int check_results(const json_t *results, uint64_t rejected, char *why, size_t cap)
{
    uint64_t seen = 0;
    size_t i;
    json_t *r;
    json_array_foreach(results, i, r)
    {
        char where[40];
        snprintf(where, sizeof where, "results[%zu]: ", i);
        if (!json_is_object(r)) {
            snprintf(why, cap, "%snot an object", where);
            return CCHC_EPROTO;
        }
        json_t *st = json_object_get(r, "status"), *v;
        const char *status = json_string_value(st);
        if (!status || (strcmp(status, "accepted") != 0 && strcmp(status, "duplicate") != 0 &&
                        strcmp(status, "rejected") != 0))
            return bad_field(why, cap, where, "status", st, "accepted|duplicate|rejected");
        if (strcmp(status, "rejected") != 0)
            continue;
        seen++;
        if (!json_is_integer(v = json_object_get(r, "line")))
            return bad_field(why, cap, where, "line", v, "an integer");
        if (!json_is_string(v = json_object_get(r, "error")))
            return bad_field(why, cap, where, "error", v, "a string");
    }
    if (seen != rejected) {
        snprintf(why, cap, "field \"rejected\": %llu, but %llu results are rejected",
                 (unsigned long long)rejected, (unsigned long long)seen);
        return CCHC_EPROTO;
    }
    return CCHC_OK;
}

/* Checks the fields of the answer this program reads (README.md, "What the
 * services answer"), in any order: the counts n (accepted, duplicate,
 * rejected) and one result per line. The results themselves are read only
 * when some line was rejected: the counts say all the rest. */
static int check_answer(const json_t *j, uint64_t n[3], json_t **results, char *why, size_t cap)
{
    if (!json_is_object(j)) {
        snprintf(why, cap, "not a JSON object");
        return CCHC_EPROTO;
    }
    if (get_count(j, "accepted", &n[0], why, cap) || get_count(j, "duplicate", &n[1], why, cap) ||
        get_count(j, "rejected", &n[2], why, cap))
        return CCHC_EPROTO;
    if (!json_is_array(*results = json_object_get(j, "results")))
        return bad_field(why, cap, "", "results", *results, "an array");
    if (json_array_size(*results) != n[0] + n[1] + n[2]) {
        snprintf(why, cap,
                 "field \"results\": %zu results, but accepted + duplicate + rejected = %llu",
                 json_array_size(*results), (unsigned long long)(n[0] + n[1] + n[2]));
        return CCHC_EPROTO;
    }
    return n[2] ? check_results(*results, n[2], why, cap) : CCHC_OK;
}

/* Reads the service's answer (parsed once, outside the lock) into the
 * totals; prints rejected lines. */
static int account(const char *file, const GString *answer, struct totals *t, const struct opts *o,
                   pthread_mutex_t *mu)
{
    char why[256];
    uint64_t n[3];
    json_t *results = NULL;
    json_error_t err;
    json_t *j = json_loadb(answer->str, answer->len, 0, &err);
    int rc = j ? check_answer(j, n, &results, why, sizeof why) : CCHC_EPROTO;
    if (!j)
        snprintf(why, sizeof why, "not JSON: %s", err.text);
    pthread_mutex_lock(mu);
    if (rc != CCHC_OK) {
        fprintf(stderr, "%s: the service's answer is not understood (%s): %.200s\n", file, why,
                answer->str);
    } else {
        t->accepted += n[0];
        t->duplicate += n[1];
        t->rejected += n[2];
        for (size_t i = 0; n[2] && i < json_array_size(results); i++) {
            json_t *r = json_array_get(results, i);
            if (strcmp(json_string_value(json_object_get(r, "status")), "rejected") != 0)
                continue;
            if (strstr(json_string_value(json_object_get(r, "error")),
                       "was accepted before with other content"))
                t->conflicts++;
            if (t->shown++ < o->show)
                fprintf(stderr, "%s:%lld: %s\n", file,
                        (long long)json_integer_value(json_object_get(r, "line")),
                        json_string_value(json_object_get(r, "error")));
        }
    }
    pthread_mutex_unlock(mu);
    json_decref(j);
    return rc;
}

/* POSTs one batch, retrying while the service is unreachable or failing. */
static int send_batch(CURL *c, const char *file, long first_line, const GString *body,
                      struct totals *t, const struct opts *o, pthread_mutex_t *mu)
{
    char h1[512], h2[64];
    snprintf(h1, sizeof h1, "X-CCHC-Source: %s", file);
    snprintf(h2, sizeof h2, "X-CCHC-First-Line: %ld", first_line);
    struct curl_slist *hs = curl_slist_append(
        NULL, o->dvcqg ? "Content-Type: application/json" : "Content-Type: application/x-ndjson");
    hs = curl_slist_append(hs, h1);
    hs = curl_slist_append(hs, h2);
    hs = curl_slist_append(hs, "Expect:");
    hs = curl_slist_append(hs, o->auth);
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
        if (o->cacert)
            curl_easy_setopt(c, CURLOPT_CAINFO, o->cacert);
        CURLcode cc = curl_easy_perform(c);
        long status = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        if (cc == CURLE_OK && status == 200) {
            rc = account(file, answer, t, o, mu);
            break;
        }
        if (cc == CURLE_OK && (status == 401 || status == 403)) {
            fprintf(stderr,
                    "%s:%ld: the service refused the credential (HTTP %ld: %s): %.300s"
                    "check --token-file / CCHC_TOKEN_FILE and the service's sources file\n",
                    file, first_line, status,
                    status == 401 ? "no valid token" : "the token may not post to this service",
                    answer->str);
            rc = CCHC_EINVAL;
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

static void *sender(void *arg)
{
    struct pool *p = arg;
    CURL *c = curl_easy_init();
    for (;;) {
        struct job *j = queue_pop(&p->todo);
        if (!j->file) {
            g_free(j);
            break;
        }
        if (!c || (!atomic_load(&p->failed) &&
                   send_batch(c, j->file, j->first_line, j->body, p->t, p->o, &p->mu) != CCHC_OK))
            atomic_store(&p->failed, 1);
        g_string_truncate(j->body, 0);
        queue_push(&p->free, j->body);
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
    queue_push(&p->todo, j);
}

/* Waits until no batch is in flight. */
static void drain(struct pool *p)
{
    GString *held[PARALLEL_MAX + 1];
    int n = (int)p->o->parallel + 1;
    for (int i = 0; i < n; i++)
        held[i] = queue_pop(&p->free);
    for (int i = 0; i < n; i++)
        queue_push(&p->free, held[i]);
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
    GString *body = queue_pop(&p->free);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0, first = 1, in_batch = 0;
    while (!atomic_load(&p->failed) && (n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        pthread_mutex_lock(&p->mu);
        t->lines++;
        t->bytes += (uint64_t)n;
        pthread_mutex_unlock(&p->mu);
        /* A line over the limit is rejected by the service anyway: send enough
         * of it to be recognised and kept in the reject log, not the whole. */
        if (n > INGEST_LINE_MAX + 1 && !p->o->dvcqg) {
            line[INGEST_LINE_MAX + 1] = '\n';
            n = INGEST_LINE_MAX + 2;
        }
        g_string_append_len(body, line, n);
        if (n && line[n - 1] != '\n')
            g_string_append_c(body, '\n');
        /* Lines as the service counts them (blank ones too): a batch stays
         * within INGEST_LINES_MAX, since --batch does. */
        if (++in_batch >= p->o->batch || body->len >= (4u << 20)) {
            queue_batch(p, path, first, body);
            body = queue_pop(&p->free);
            in_batch = 0;
            first = lineno + 1;
            if (tty && now_s() - last > 0.2) {
                pthread_mutex_lock(&p->mu);
                progress(path, t, t0, 0);
                pthread_mutex_unlock(&p->mu);
                last = now_s();
            }
        }
    }
    if (in_batch && !atomic_load(&p->failed))
        queue_batch(p, path, first, body);
    else
        queue_push(&p->free, body);
    drain(p);
    if (tty)
        progress(path, t, t0, 1);
    free(line);
    if (f != stdin)
        fclose(f);
    return atomic_load(&p->failed) ? CCHC_EIO : CCHC_OK;
}

int main(int argc, char **argv)
{
    cchc_log_init("cchc-import");
    static const char url_records[] = "http://127.0.0.1:8081/v1/records";
    struct opts o = {.url = url_records,
                     .format = "ndjson",
                     .batch = 5000,
                     .retry_s = 60,
                     .show = 50,
                     .parallel = 2};
    const struct cchc_opt opts[] = {
        {"--url", "CCHC_IMPORT_URL", CCHC_OPT_STR, &o.url, 0, 0,
         "the service's records endpoint (dossier 8081, staffing 8082, finance 8083, egov 8084; "
         "with --format dvcqg, http://127.0.0.1:8081/v1/dvcqg)"},
        {"--format", "CCHC_IMPORT_FORMAT", CCHC_OPT_STR, &o.format, 0, 0,
         "ndjson (cchc's records) or dvcqg (DongBoHoSoMC envelopes or records, one JSON value a "
         "line, to cchc-dossier)"},
        {"--token-file", "CCHC_TOKEN_FILE", CCHC_OPT_STR, &o.token_file, 0, 0,
         "file holding the source's token (required; never the token itself on a command line)"},
        {"--cacert", "CCHC_CACERT", CCHC_OPT_STR, &o.cacert, 0, 0,
         "CA certificate (PEM) to check an https:// service against"},
        {"--batch", NULL, CCHC_OPT_INT, &o.batch, 1, INGEST_LINES_MAX,
         "lines per request (at most the services' INGEST_LINES_MAX)"},
        {"--retry-seconds", NULL, CCHC_OPT_INT, &o.retry_s, 0, 86400,
         "keep retrying a batch this long while the service is down"},
        {"--show-rejects", NULL, CCHC_OPT_INT, &o.show, 0, 1000000,
         "print at most this many rejected lines"},
        {"--parallel", "CCHC_IMPORT_PARALLEL", CCHC_OPT_INT, &o.parallel, 1, PARALLEL_MAX,
         "batches in flight at once (1: the journal keeps the files' order)"},
        {0},
    };
    char **files;
    int nfiles;
    cchc_opts_parse(argc, argv, opts,
                    "usage: cchc-import [options] FILE...   (FILE '-' is standard input)\n"
                    "Streams NDJSON records (or, --format dvcqg, DVCQG dossier records) to a\n"
                    "cchc service. Prints FILE:LINE: error for each rejected line (for a\n"
                    "DVCQG envelope, its record as data[K]) and a summary. Exit 0: every\n"
                    "record accepted or a duplicate; 1: some rejected (kept in the service's\n"
                    "reject log),\n"
                    "conflicts among them (an id accepted before with other content);\n"
                    "2: a FILE could not be opened, the service could not be reached or\n"
                    "refused a batch (401: no valid token; 403: the token's source may not\n"
                    "post to this service), or its answer was not understood.",
                    &files, &nfiles);
    if (strcmp(o.format, "dvcqg") == 0) {
        o.dvcqg = 1;
        if (o.url == url_records)
            o.url = "http://127.0.0.1:8081/v1/dvcqg";
    } else if (strcmp(o.format, "ndjson") != 0) {
        fprintf(stderr, "error: --format %s: want ndjson or dvcqg\n", o.format);
        return 2;
    }
    if (nfiles == 0) {
        fprintf(stderr, "error: no FILE given (see --help)\n");
        return 2;
    }
    if (!o.token_file || !*o.token_file) {
        fprintf(stderr, "error: no --token-file (or CCHC_TOKEN_FILE): the services take records "
                        "only with a source's token (ops/README.md, \"Sources and tokens\")\n");
        return 2;
    }
    gchar *token = NULL;
    GError *gerr = NULL;
    if (!g_file_get_contents(o.token_file, &token, NULL, &gerr)) {
        fprintf(stderr, "error: --token-file: %s\n", gerr->message);
        return 2;
    }
    g_strstrip(token);
    size_t tn = strlen(token);
    int hex = tn == 64;
    for (size_t i = 0; hex && i < tn; i++)
        hex = g_ascii_isxdigit(token[i]);
    if (!hex) {
        fprintf(stderr, "error: --token-file %s: want a token of 64 hex digits (ops/new-source)\n",
                o.token_file);
        return 2;
    }
    snprintf(o.auth, sizeof o.auth, "Authorization: Bearer %s", token);
    wipe(token, tn);
    g_free(token);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    struct totals t = {0};
    struct pool p = {.o = &o, .t = &t};
    queue_init(&p.todo);
    queue_init(&p.free);
    pthread_mutex_init(&p.mu, NULL);
    atomic_init(&p.failed, 0);
    for (long i = 0; i <= o.parallel; i++)
        queue_push(&p.free, g_string_sized_new(1 << 20));
    pthread_t senders[PARALLEL_MAX];
    for (long i = 0; i < o.parallel; i++)
        if ((errno = pthread_create(&senders[i], NULL, sender, &p))) {
            fprintf(stderr, "error: cannot start a sender thread: %s\n", strerror(errno));
            return 2;
        }
    int failed = 0;
    for (int i = 0; i < nfiles && !failed; i++)
        failed = import_file(&p, files[i]) != CCHC_OK;
    for (long i = 0; i < o.parallel; i++)
        queue_batch(&p, NULL, 0, NULL);
    for (long i = 0; i < o.parallel; i++)
        pthread_join(senders[i], NULL);
    for (GString *b; (b = g_queue_pop_head(&p.free.items));)
        g_string_free(b, TRUE);
    queue_clear(&p.todo);
    queue_clear(&p.free);
    pthread_mutex_destroy(&p.mu);
    curl_global_cleanup();
    if (t.shown > o.show)
        fprintf(stderr, "... and %d more rejected lines\n", t.shown - (int)o.show);
    char records[48] = "";
    if (o.dvcqg) /* a line may be an envelope of many records */
        snprintf(records, sizeof records, " (%llu records)",
                 (unsigned long long)(t.accepted + t.duplicate + t.rejected));
    printf("%s: %llu lines%s: accepted %llu, duplicate %llu, rejected %llu\n",
           failed ? "incomplete" : "done", (unsigned long long)t.lines, records,
           (unsigned long long)t.accepted, (unsigned long long)t.duplicate,
           (unsigned long long)t.rejected);
    if (t.conflicts)
        fprintf(stderr,
                "%llu rejected lines are conflicts: their id was accepted before with other "
                "content (the first record stands; send a change under a new id)\n",
                (unsigned long long)t.conflicts);
    return failed ? 2 : t.rejected ? 1 : 0;
}
