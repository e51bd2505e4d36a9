/* cchc-import: streams NDJSON record files to a cchc service in batches,
 * shows progress on a terminal, prints every rejected line as FILE:LINE and
 * a summary at the end. Sending a batch again after a failure is safe: the
 * service treats a record id it has seen as a duplicate. */
#include "config.h"
#include "err.h"
#include "ingest.h"
#include "log.h"

#include <curl/curl.h>
#include <errno.h>
#include <glib.h>
#include <jansson.h>
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
    long batch, retry_s, show;
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

/* Reads the service's answer; prints rejected lines. */
static int account(const char *file, const GString *answer, struct totals *t, const struct opts *o)
{
    json_error_t err;
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
                      struct totals *t, const struct opts *o)
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
            rc = account(file, answer, t, o);
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

static int import_file(CURL *c, const char *path, struct totals *t, const struct opts *o)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return CCHC_EIO;
    }
    int tty = isatty(2);
    double t0 = now_s(), last = 0;
    GString *body = g_string_sized_new(1 << 20);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0, first = 1, in_batch = 0;
    int rc = CCHC_OK;
    while (rc == CCHC_OK && (n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        t->lines++;
        t->bytes += (uint64_t)n;
        /* A line over the limit is rejected by the service anyway: send enough
         * of it to be recognised and kept in the reject log, not the whole. */
        if (n > INGEST_LINE_MAX + 1) {
            line[INGEST_LINE_MAX + 1] = '\n';
            n = INGEST_LINE_MAX + 2;
        }
        g_string_append_len(body, line, n);
        if (n && line[n - 1] != '\n')
            g_string_append_c(body, '\n');
        if (++in_batch >= o->batch || body->len >= (4u << 20)) {
            rc = send_batch(c, path, first, body, t, o);
            g_string_truncate(body, 0);
            in_batch = 0;
            first = lineno + 1;
            if (tty && now_s() - last > 0.2) {
                progress(path, t, t0, 0);
                last = now_s();
            }
        }
    }
    if (rc == CCHC_OK && in_batch)
        rc = send_batch(c, path, first, body, t, o);
    if (tty)
        progress(path, t, t0, 1);
    free(line);
    g_string_free(body, TRUE);
    if (f != stdin)
        fclose(f);
    return rc;
}

int main(int argc, char **argv)
{
    cchc_log_init("cchc-import");
    struct opts o = {
        .url = "http://127.0.0.1:8081/v1/records", .batch = 5000, .retry_s = 60, .show = 50};
    const struct cchc_opt opts[] = {
        {"--url", "CCHC_IMPORT_URL", CCHC_OPT_STR, &o.url, 0, 0,
         "the service's records endpoint (dossier 8081, staffing 8082, finance 8083, egov 8084)"},
        {"--batch", NULL, CCHC_OPT_INT, &o.batch, 1, 100000, "records per request"},
        {"--retry-seconds", NULL, CCHC_OPT_INT, &o.retry_s, 0, 86400,
         "keep retrying a batch this long while the service is down"},
        {"--show-rejects", NULL, CCHC_OPT_INT, &o.show, 0, 1000000,
         "print at most this many rejected lines"},
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
    CURL *c = curl_easy_init();
    struct totals t = {0};
    int failed = 0;
    for (int i = 0; i < nfiles && !failed; i++)
        failed = import_file(c, files[i], &t, &o) != CCHC_OK;
    curl_easy_cleanup(c);
    curl_global_cleanup();
    if (t.shown > o.show)
        fprintf(stderr, "... and %d more rejected lines\n", t.shown - (int)o.show);
    printf("%s: %llu lines: accepted %llu, duplicate %llu, rejected %llu\n",
           failed ? "incomplete" : "done", (unsigned long long)t.lines,
           (unsigned long long)t.accepted, (unsigned long long)t.duplicate,
           (unsigned long long)t.rejected);
    return failed ? 2 : t.rejected ? 1 : 0;
}
