#include "ingest/ingest.h"

#include "ingest/ingest_level.h"

#include "base/config.h"
#include "base/err.h"
#include "base/log.h"
#include "base/period.h"
#include "bus/bus.h"
#include "bus/journal.h"
#include "bus/retention.h"

#include <arpa/inet.h>
#include <errno.h>
#include <glib.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct ingest_out {
    GByteArray *body; /* encoded events, back to back */
    GArray *ends;     /* size_t: end of event i in body */
};

struct ingest {
    const struct ingest_service *svc;
    struct units *units;
    struct journal *j;
    /* HTTP threads parse lines on their own, then, one request at a time
     * under this lock, decide them against the state (ids, dossiers,
     * levels) and append their events; the main thread compacts under it
     * too (journal.h: one appending thread at a time). State changes and
     * journal order are thus the same order. */
    pthread_mutex_t journal_mu;
    struct retention *retention;
    uint64_t skip_below; /* at start: journal events the checkpoint replayed already */
    struct bus_pub *pub;
    GHashTable *ids; /* record ids already accepted; owns its keys */
    struct snapshots *levels;
    FILE *rejects;
    struct ingest_out out;
    uint8_t *enc; /* scratch for encoding one event */
    size_t enc_cap;
    uint64_t accepted, duplicate, rejected, requests, events;
};

int ingest_emit(struct ingest_out *out, const struct proto_event *ev)
{
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    int rc = proto_event_encode(ev, &buf, &len, &cap);
    if (rc == CCHC_OK) {
        g_byte_array_append(out->body, buf, (guint)len);
        size_t end = out->body->len;
        g_array_append_val(out->ends, end);
    }
    free(buf);
    return rc;
}

/* ---- JSON text without a DOM: the answer and the reject log are written once. */

static void put_json_str(GString *s, const char *p, size_t n)
{
    gchar *valid = NULL;
    if (!g_utf8_validate(p, (gssize)n, NULL))
        p = valid = g_utf8_make_valid(p, (gssize)n), n = strlen(valid);
    g_string_append_c(s, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '"' || c == '\\')
            g_string_append_c(s, '\\'), g_string_append_c(s, (char)c);
        else if (c == '\n')
            g_string_append(s, "\\n");
        else if (c == '\r')
            g_string_append(s, "\\r");
        else if (c == '\t')
            g_string_append(s, "\\t");
        else if (c < 0x20)
            g_string_append_printf(s, "\\u%04x", c);
        else
            g_string_append_c(s, (char)c);
    }
    g_string_append_c(s, '"');
    g_free(valid);
}

static void log_reject(struct ingest *in, const char *source, long line, const char *error,
                       const char *raw, size_t raw_len)
{
    GString *s = g_string_sized_new(raw_len + 256);
    char now[40];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    cchc_time_format((int64_t)ts.tv_sec * 1000, now, sizeof now);
    g_string_append(s, "{\"logged\":\"");
    g_string_append(s, now);
    g_string_append(s, "\",\"source\":");
    put_json_str(s, source, strlen(source));
    g_string_append_printf(s, ",\"line\":%ld,\"error\":", line);
    put_json_str(s, error, strlen(error));
    if (g_utf8_validate(raw, (gssize)raw_len, NULL)) {
        g_string_append(s, ",\"record\":");
        put_json_str(s, raw, raw_len);
    } else {
        gchar *b64 = g_base64_encode((const guchar *)raw, raw_len);
        g_string_append_printf(s, ",\"record_base64\":\"%s\"", b64);
        g_free(b64);
    }
    g_string_append(s, "}\n");
    fwrite(s->str, 1, s->len, in->rejects);
    g_string_free(s, TRUE);
}

/* ---- one line */

enum verdict { ACCEPTED, DUPLICATE, REJECTED };

/* The last object key before line[pos]: names the field jansson stopped at. */
static int last_key(const char *line, size_t pos, char *key, size_t cap)
{
    for (size_t i = pos; i-- > 1;) {
        if (line[i] != ':')
            continue;
        size_t e = i;
        while (e > 0 && (line[e - 1] == ' ' || line[e - 1] == '\t'))
            e--;
        if (e == 0 || line[e - 1] != '"')
            continue;
        size_t b = e - 1;
        while (b > 0 && line[b - 1] != '"')
            b--;
        if (b == 0 || e - 1 - b >= cap)
            return 0;
        snprintf(key, cap, "%.*s", (int)(e - 1 - b), line + b);
        return 1;
    }
    return 0;
}

/* One line of a request, through its two steps. */
struct line {
    const char *text;
    size_t n;
    long lineno;
    enum verdict v;
    json_t *obj;            /* parsed: owned until decided */
    struct ingest_record r; /* its common fields, once parsed */
    char *why;              /* REJECTED: the reason (owned) */
    char id[INGEST_ID_MAX + 1];
};

static void reject(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void reject(struct line *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    l->why = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    l->v = REJECTED;
}

/* Step one, on any HTTP thread, touching no state: the JSON and the fields
 * every record has. Leaves l->obj set, or l->v REJECTED. */
static void parse_line(const struct ingest *in, struct line *l)
{
    char why[512];
    l->v = ACCEPTED;
    if (l->n > INGEST_LINE_MAX)
        return reject(l, "line longer than %d bytes (%zu)", INGEST_LINE_MAX, l->n);
    const gchar *bad;
    if (!g_utf8_validate(l->text, (gssize)l->n, &bad))
        return reject(l, "invalid UTF-8 at byte %zu", (size_t)(bad - l->text) + 1);
    json_error_t jerr;
    l->obj = json_loadb(l->text, l->n, JSON_REJECT_DUPLICATES, &jerr);
    if (!l->obj) {
        char key[64];
        if (strstr(jerr.text, "too big") &&
            last_key(l->text, (size_t)jerr.position, key, sizeof key))
            return reject(l, "field \"%s\": integer out of range (int64)", key);
        return reject(l, "malformed JSON at column %d: %s", jerr.column, jerr.text);
    }
    const char *unit;
    size_t unit_len;
    l->r = (struct ingest_record){.obj = l->obj, .levels = in->levels};
    if (!json_is_object(l->obj))
        return reject(l, "not a JSON object");
    if (ingest_str(l->obj, "id", INGEST_ID_MAX, &l->r.id, &l->r.id_len, why, sizeof why) ||
        ingest_enum(l->obj, "type", in->svc->types, &l->r.type, why, sizeof why) ||
        ingest_str(l->obj, "unit", UNIT_ID_MAX, &unit, &unit_len, why, sizeof why) ||
        ingest_time(l->obj, "at", &l->r.at_ms, why, sizeof why))
        return reject(l, "%s", why);
    if ((l->r.unit = units_find(in->units, unit, unit_len)) < 0)
        return reject(l, "field \"unit\": unknown unit \"%.*s\"", (int)unit_len, unit);
}

/* Step two, under journal_mu: against the state, and the events into in->out. */
static void decide_line(struct ingest *in, struct line *l)
{
    char why[512];
    if (l->v == ACCEPTED) {
        if (g_hash_table_contains(in->ids, l->r.id)) {
            l->v = DUPLICATE;
        } else {
            guint mark = in->out.ends->len;
            if (in->svc->record(in->svc->state, in->units, &l->r, &in->out, why, sizeof why) !=
                CCHC_OK) {
                g_array_set_size(in->out.ends, mark);
                g_byte_array_set_size(in->out.body,
                                      mark ? g_array_index(in->out.ends, size_t, mark - 1) : 0);
                reject(l, "%s", why);
            } else {
                g_hash_table_add(in->ids, g_strndup(l->r.id, l->r.id_len));
            }
        }
    }
    if (l->v != REJECTED) {
        /* The id lives in obj: copy it out before obj goes. */
        memcpy(l->id, l->r.id, l->r.id_len);
        l->id[l->r.id_len] = 0;
    }
    if (l->obj)
        json_decref(l->obj);
    l->obj = NULL;
}

/* ---- one request: lines in, durable events out, an answer per line */

/* Lines parsed before they are decided. Few: the JSON of every parsed line
 * is alive until it is decided, and malloc slows down when many small
 * objects live at once; yet enough that two requests do not wait on each
 * other's every line. 16 was the best of 4, 16, 64 and 512 on the country
 * data set (two clients: 157k, 215k, 200k, 193k records/s). */
#define CHUNK_LINES 16

/* Decides a parsed chunk (under journal_mu): its events join in->out, the
 * events of every request in the order their records were decided, which
 * is the order they are journaled in. */
static void decide_chunk(struct ingest *in, struct line *lines, size_t n, const char *source,
                         uint64_t *first_seq, uint64_t *counts)
{
    for (size_t i = 0; i < n; i++) {
        struct line *l = &lines[i];
        guint before = in->out.ends->len;
        decide_line(in, l);
        if (in->out.ends->len > before && *first_seq == UINT64_MAX)
            *first_seq = journal_next_seq(in->j) + before;
        if (l->v == REJECTED)
            log_reject(in, source, l->lineno, l->why, l->text, l->n);
        counts[l->v]++;
    }
}

/* Makes every decided event durable (one write and one fdatasync: group
 * commit), publishes them, and returns the journal position after them. */
static uint64_t commit(struct ingest *in, int rejected)
{
    uint32_t n = in->out.ends->len;
    uint64_t seq0 = journal_next_seq(in->j);
    for (uint32_t i = 0; i < n; i++) {
        size_t a = i ? g_array_index(in->out.ends, size_t, i - 1) : 0;
        size_t b = g_array_index(in->out.ends, size_t, i);
        if (journal_append(in->j, in->out.body->data + a, b - a))
            cchc_die("journal append failed; exiting so that state is rebuilt from the journal");
    }
    if (n && journal_sync(in->j))
        cchc_die("journal sync failed: %s; exiting so that state is rebuilt from the journal",
                 strerror(errno));
    if (rejected && (fflush(in->rejects) || fdatasync(fileno(in->rejects))))
        cchc_die("reject log write failed: %s", strerror(errno));
    if (n)
        bus_pub_batch(in->pub, seq0, in->out.body->data, (const size_t *)(void *)in->out.ends->data,
                      n);
    if (n && retention_run(in->retention, in->j, in->pub))
        cchc_die("journal retention failed; exiting so that state is rebuilt from the journal");
    in->events += n;
    g_byte_array_set_size(in->out.body, 0);
    g_array_set_size(in->out.ends, 0);
    return seq0 + n;
}

/* Each line's result, into the answer's "results". */
static void put_results(GString *results, const struct line *lines, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct line *l = &lines[i];
        g_string_append_printf(results, "%s{\"line\":%ld,", results->len ? "," : "", l->lineno);
        if (l->v == REJECTED) {
            g_string_append(results, "\"status\":\"rejected\",\"error\":");
            put_json_str(results, l->why, strlen(l->why));
        } else {
            g_string_append(results, "\"id\":");
            put_json_str(results, l->id, strlen(l->id));
            g_string_append(results, l->v == ACCEPTED ? ",\"status\":\"accepted\""
                                                      : ",\"status\":\"duplicate\"");
        }
        g_string_append_c(results, '}');
        g_free(l->why);
    }
}

static void process(struct ingest *in, const char *body, size_t len, const char *source,
                    long first_line, GString *answer)
{
    struct line *chunk = g_new(struct line, CHUNK_LINES);
    GString *results = g_string_sized_new(len / 4 + 64);
    uint64_t counts[3] = {0}, first_seq = UINT64_MAX, upto = 0, epoch = 0;
    long lineno = first_line - 1;
    size_t n = 0;
    for (size_t pos = 0; pos <= len;) {
        /* Parsed on this thread, in parallel with other requests. */
        if (pos < len) {
            const char *text = body + pos, *nl = memchr(text, '\n', len - pos);
            size_t tn = nl ? (size_t)(nl - text) : len - pos;
            pos += tn + (nl != NULL);
            lineno++;
            if (tn && text[tn - 1] == '\r')
                tn--;
            size_t k = 0;
            while (k < tn && (text[k] == ' ' || text[k] == '\t'))
                k++;
            if (k < tn) {
                chunk[n] = (struct line){.text = text, .n = tn, .lineno = lineno};
                parse_line(in, &chunk[n++]);
            }
            if (n < CHUNK_LINES && pos < len)
                continue;
        } else {
            pos++; /* past the end: decide what is left, then commit */
        }
        /* Decided one request at a time, in turns. */
        pthread_mutex_lock(&in->journal_mu);
        decide_chunk(in, chunk, n, source, &first_seq, counts);
        if (pos > len) {
            upto = commit(in, counts[REJECTED] > 0);
            epoch = journal_epoch(in->j);
            in->requests++;
            in->accepted += counts[ACCEPTED], in->duplicate += counts[DUPLICATE];
            in->rejected += counts[REJECTED];
        }
        pthread_mutex_unlock(&in->journal_mu);
        put_results(results, chunk, n);
        n = 0;
    }
    g_free(chunk);

    /* `events`: once cchc:v1:pos passes `to`, this request's events are all
     * visible in Redis (other requests' events may lie between `from` and
     * `to`). */
    g_string_append_printf(
        answer,
        "{\"accepted\":%llu,\"duplicate\":%llu,\"rejected\":%llu,"
        "\"events\":{\"epoch\":\"%016llx\",\"from\":%llu,\"to\":%llu},"
        "\"results\":[",
        (unsigned long long)counts[ACCEPTED], (unsigned long long)counts[DUPLICATE],
        (unsigned long long)counts[REJECTED], (unsigned long long)epoch,
        (unsigned long long)(first_seq == UINT64_MAX ? upto : first_seq), (unsigned long long)upto);
    g_string_append_len(answer, results->str, (gssize)results->len);
    g_string_append(answer, "]}\n");
    g_string_free(results, TRUE);
}

/* ---- HTTP */

struct upload {
    GByteArray *body;
    int too_big;
};

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, GString *text,
                             const char *type)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(text->len, text->str, MHD_RESPMEM_MUST_COPY);
    MHD_add_response_header(r, "Content-Type", type);
    enum MHD_Result ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    g_string_free(text, TRUE);
    return ok;
}

static GString *error_json(const char *msg)
{
    GString *s = g_string_new("{\"error\":");
    put_json_str(s, msg, strlen(msg));
    g_string_append(s, "}\n");
    return s;
}

static void stats_subscriber(void *arg, const char *name, uint64_t next)
{
    GString *s = arg;
    g_string_append_printf(s, "%s\"%s\":%llu", s->str[s->len - 1] == '{' ? "" : ",", name,
                           (unsigned long long)next);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *data,
                                  size_t *data_size, void **con_cls)
{
    struct ingest *in = cls;
    if (strcmp(method, "GET") == 0) {
        if (strcmp(url, "/healthz") == 0)
            return reply(c, MHD_HTTP_OK, g_string_new("ok\n"), "text/plain");
        if (strcmp(url, "/v1/stats") == 0) {
            GString *s = g_string_new(NULL);
            pthread_mutex_lock(&in->journal_mu); /* the main thread may be compacting */
            g_string_append_printf(
                s,
                "{\"service\":\"%s\",\"accepted\":%llu,\"duplicate\":%llu,\"rejected\":%llu,"
                "\"requests\":%llu,\"events\":%llu,\"journal_epoch\":\"%016llx\","
                "\"journal_next_seq\":%llu,\"journal_base\":%llu,\"journal_bytes\":%llu,"
                "\"subscribers\":{",
                in->svc->name, (unsigned long long)in->accepted, (unsigned long long)in->duplicate,
                (unsigned long long)in->rejected, (unsigned long long)in->requests,
                (unsigned long long)in->events, (unsigned long long)journal_epoch(in->j),
                (unsigned long long)journal_next_seq(in->j),
                (unsigned long long)journal_base(in->j), (unsigned long long)journal_bytes(in->j));
            pthread_mutex_unlock(&in->journal_mu);
            bus_pub_subscribers(in->pub, stats_subscriber, s);
            g_string_append(s, "}}\n");
            return reply(c, MHD_HTTP_OK, s, "application/json");
        }
        return reply(c, MHD_HTTP_NOT_FOUND, error_json("no such path"), "application/json");
    }
    if (strcmp(method, "POST") != 0 || strcmp(url, "/v1/records") != 0)
        return reply(c, MHD_HTTP_NOT_FOUND, error_json("POST NDJSON to /v1/records"),
                     "application/json");
    struct upload *up = *con_cls;
    if (!up) {
        up = calloc(1, sizeof *up);
        if (!up)
            return MHD_NO;
        up->body = g_byte_array_new();
        *con_cls = up;
        return MHD_YES;
    }
    if (*data_size) {
        if (up->body->len + *data_size > INGEST_BODY_MAX)
            up->too_big = 1;
        else
            g_byte_array_append(up->body, (const guint8 *)data, (guint)*data_size);
        *data_size = 0;
        return MHD_YES;
    }
    if (up->too_big) {
        char msg[96];
        snprintf(msg, sizeof msg, "request body over %u bytes: send smaller batches",
                 INGEST_BODY_MAX);
        return reply(c, MHD_HTTP_CONTENT_TOO_LARGE, error_json(msg), "application/json");
    }
    const char *src = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CCHC-Source");
    const char *fl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CCHC-First-Line");
    char source[256];
    snprintf(source, sizeof source, "%s", src && *src ? src : "http");
    long first = fl ? strtol(fl, NULL, 10) : 1;
    GString *answer = g_string_new(NULL);
    process(in, (const char *)up->body->data, up->body->len, source, first > 0 ? first : 1, answer);
    return reply(c, MHD_HTTP_OK, answer, "application/json");
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct upload *up = *con_cls;
    if (up) {
        g_byte_array_free(up->body, TRUE);
        free(up);
        *con_cls = NULL;
    }
}

/* ---- start-up */

static int rebuild(void *arg, uint64_t seq, const uint8_t *buf, size_t len)
{
    struct ingest *in = arg;
    if (seq < in->skip_below)
        return CCHC_OK;
    struct proto_event ev;
    size_t off = 0;
    char why[128];
    if (proto_event_decode(buf, len, &off, &ev, why, sizeof why)) {
        cchc_error("journal event %llu: %s", (unsigned long long)seq, why);
        return CCHC_ECORRUPT;
    }
    g_hash_table_add(in->ids, g_strndup(ev.id.p, ev.id.len)); /* a set: adding twice is fine */
    in->events++;
    int rc = ingest_replay_level(in->levels, &ev);
    if (rc == CCHC_OK && in->svc->replay)
        rc = in->svc->replay(in->svc->state, in->units, &ev);
    return rc;
}

static int parse_listen(const char *s, struct sockaddr_in *sa)
{
    const char *colon = strrchr(s, ':');
    if (!colon)
        return CCHC_EINVAL;
    char host[64];
    snprintf(host, sizeof host, "%.*s", (int)(colon - s), s);
    char *end;
    long port = strtol(colon + 1, &end, 10);
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    if (*end || port < 0 || port > 65535 || inet_pton(AF_INET, host, &sa->sin_addr) != 1)
        return CCHC_EINVAL;
    return CCHC_OK;
}

static void write_port_file(const char *path, unsigned port)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f || fprintf(f, "%u\n", port) < 0 || fclose(f) || rename(tmp, path))
        cchc_die("cannot write port file %s: %s", path, strerror(errno));
}

int ingest_main(int argc, char **argv, const struct ingest_service *svc)
{
    char prog[64], usage[512], data_def[256], pub_def[256], rep_def[256], listen_def[64];
    char env_listen[64], env_data[64], env_pub[64], env_rep[64];
    snprintf(prog, sizeof prog, "cchc-%s", svc->name);
    cchc_log_init(prog);
    const char *base = getenv("CCHC_DATA_DIR");
    snprintf(data_def, sizeof data_def, "%s/%s", base && *base ? base : "/var/lib/cchc", svc->name);
    snprintf(pub_def, sizeof pub_def, "ipc:///tmp/cchc-%s.pub", svc->name);
    snprintf(rep_def, sizeof rep_def, "ipc:///tmp/cchc-%s.replay", svc->name);
    snprintf(listen_def, sizeof listen_def, "127.0.0.1:%d", svc->default_port);
    char up[16];
    snprintf(up, sizeof up, "%s", svc->name);
    for (char *p = up; *p; p++)
        *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
    snprintf(env_listen, sizeof env_listen, "CCHC_%s_LISTEN", up);
    snprintf(env_data, sizeof env_data, "CCHC_%s_DATA", up);
    snprintf(env_pub, sizeof env_pub, "CCHC_%s_PUB", up);
    snprintf(env_rep, sizeof env_rep, "CCHC_%s_REPLAY", up);
    snprintf(usage, sizeof usage,
             "usage: %s [options]\n"
             "Accepts %s records as NDJSON (POST /v1/records), journals them durably,\n"
             "and publishes their events on the cchc bus. GET /healthz, GET /v1/stats.",
             prog, svc->name);

    const char *listen = listen_def, *data = data_def, *pub_url = pub_def, *rep_url = rep_def;
    const char *units_path = units_default_path(), *port_file = NULL, *publisher = svc->name;
    long journal_max_mb = 1024, http_threads = 2;
    const struct cchc_opt opts[] = {
        {"--listen", env_listen, CCHC_OPT_STR, &listen, 0, 0,
         "HTTP address HOST:PORT (port 0: any)"},
        {"--data", env_data, CCHC_OPT_STR, &data, 0, 0, "folder for the journal and reject log"},
        {"--pub", env_pub, CCHC_OPT_STR, &pub_url, 0, 0, "bus address events are published on"},
        {"--replay", env_rep, CCHC_OPT_STR, &rep_url, 0, 0, "bus address answering replays"},
        {"--units", "CCHC_UNITS", CCHC_OPT_STR, &units_path, 0, 0, "unit registry (TSV)"},
        {"--publisher", NULL, CCHC_OPT_STR, &publisher, 0, 0, "publisher id on the bus"},
        {"--port-file", NULL, CCHC_OPT_STR, &port_file, 0, 0, "write the bound HTTP port here"},
        {"--http-threads", "CCHC_HTTP_THREADS", CCHC_OPT_INT, &http_threads, 1, 64,
         "threads parsing requests (they take turns to journal)"},
        {"--journal-max-mb", "CCHC_JOURNAL_MAX_MB", CCHC_OPT_INT, &journal_max_mb, 0, 1 << 20,
         "compact the journal past this size, keeping what a durable subscriber has not "
         "applied (0: never)"},
        {0},
    };
    cchc_opts_parse(argc, argv, opts, usage, NULL, NULL);

    struct sockaddr_in sa;
    if (parse_listen(listen, &sa))
        cchc_die("--listen '%s': want IPv4 HOST:PORT", listen);
    struct ingest in = {.svc = svc};
    pthread_mutex_init(&in.journal_mu, NULL);
    char why[512];
    if (units_load(units_path, &in.units, why, sizeof why))
        cchc_die("%s", why);
    if (g_mkdir_with_parents(data, 0755))
        cchc_die("--data %s: cannot create: %s", data, strerror(errno));
    in.ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    if (snapshots_new(&in.levels))
        cchc_die("out of memory");
    in.out.body = g_byte_array_new();
    in.out.ends = g_array_new(FALSE, FALSE, sizeof(size_t));
    char path[4096];
    snprintf(path, sizeof path, "%s/events.journal", data);
    if (retention_open(path, (uint64_t)journal_max_mb << 20, rebuild, &in, &in.retention, why,
                       sizeof why))
        cchc_die("%s", why);
    in.skip_below = retention_folded(in.retention);
    if (journal_open(path, rebuild, &in, &in.j, why, sizeof why) ||
        retention_check(in.retention, in.j, why, sizeof why))
        cchc_die("%s", why);
    in.skip_below = 0;
    snprintf(path, sizeof path, "%s/rejects.ndjson", data);
    if (!(in.rejects = fopen(path, "a")))
        cchc_die("%s: %s", path, strerror(errno));

    /* Signals go to the thread that waits for them, not to the HTTP or bus threads. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    snprintf(path, sizeof path, "%s/subscribers", data);
    if (bus_pub_open(publisher, pub_url, rep_url, in.j, path, &in.pub, why, sizeof why))
        cchc_die("%s", why);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, &in,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_NOTIFY_COMPLETED, on_completed,
        NULL, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)http_threads, MHD_OPTION_END);
    if (!d)
        cchc_die("--listen %s: cannot start HTTP server: %s", listen, strerror(errno));
    unsigned port = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT)->port;
    if (port_file)
        write_port_file(port_file, port);
    cchc_info("listening on port %u; journal %016llx at %llu events; bus %s, replay %s", port,
              (unsigned long long)journal_epoch(in.j), (unsigned long long)journal_next_seq(in.j),
              pub_url, rep_url);

    /* Retention also runs when no record comes: a subscriber catches up later. */
    int sig;
    while ((sig = sigtimedwait(&sigs, NULL, &(struct timespec){.tv_sec = 1})) < 0) {
        pthread_mutex_lock(&in.journal_mu);
        if (retention_run(in.retention, in.j, in.pub))
            cchc_die("journal retention failed; exiting so that state is rebuilt from the journal");
        pthread_mutex_unlock(&in.journal_mu);
    }
    cchc_info("signal %d: stopping", sig);
    MHD_stop_daemon(d);
    bus_pub_close(in.pub);
    retention_close(in.retention);
    journal_close(in.j);
    fclose(in.rejects);
    units_free(in.units);
    g_hash_table_destroy(in.ids);
    snapshots_free(in.levels);
    g_byte_array_free(in.out.body, TRUE);
    g_array_free(in.out.ends, TRUE);
    return 0;
}
