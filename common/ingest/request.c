/* One request: lines in, durable and published events out, an answer per
 * line. */
#include "ingest/service.h"

#include "base/json.h"
#include "base/log.h"
#include "base/period.h"

#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Lines parsed before they are decided. Few: the JSON of every parsed line
 * is alive until it is decided, and malloc slows down when many small
 * objects live at once; yet enough that two requests do not wait on each
 * other's every line. 16 was the best of 4, 16, 64 and 512 on the country
 * data set (two clients: 157k, 215k, 200k, 193k records/s). */
#define CHUNK_LINES 16

/* One line of the reject log (ops/README.md): what, where from, and the
 * record as it came, or in base64 when it is not UTF-8. */
static void log_reject(struct ingest *in, const char *source, const struct ingest_line *l)
{
    GString *s = g_string_sized_new(l->n + 256);
    char now[40];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    cchc_time_format((int64_t)ts.tv_sec * 1000, now, sizeof now);
    g_string_append_c(s, '{');
    json_key(s, "logged");
    json_cstr(s, now);
    json_key(s, "source");
    json_cstr(s, source);
    json_key(s, "line");
    json_int(s, l->lineno);
    json_key(s, "error");
    json_cstr(s, l->why);
    if (g_utf8_validate(l->text, (gssize)l->n, NULL)) {
        json_key(s, "record");
        json_str(s, l->text, l->n);
    } else {
        gchar *b64 = g_base64_encode((const guchar *)l->text, l->n);
        json_key(s, "record_base64");
        json_cstr(s, b64);
        g_free(b64);
    }
    g_string_append(s, "}\n");
    fwrite(s->str, 1, s->len, in->rejects);
    g_string_free(s, TRUE);
}

/* Decides a parsed chunk (under journal_mu): its events join the queue, the
 * events of every request in the order their records were decided, which
 * is the order they are journaled in. */
static void decide_chunk(struct ingest *in, struct ingest_line *lines, size_t n, const char *source,
                         uint64_t *first_seq, uint64_t *counts)
{
    const uint8_t *body;
    const size_t *ends;
    for (size_t i = 0; i < n; i++) {
        struct ingest_line *l = &lines[i];
        uint32_t before = ingest_lines_events(in->lines, &body, &ends);
        ingest_line_decide(in->lines, l);
        if (ingest_lines_events(in->lines, &body, &ends) > before && *first_seq == UINT64_MAX)
            *first_seq = journal_next_seq(in->j) + before;
        if (l->v == INGEST_REJECTED)
            log_reject(in, source, l);
        counts[l->v]++;
    }
}

/* Makes every decided event durable (one write and one fdatasync: group
 * commit), publishes them, and returns the journal position after them. */
static uint64_t commit(struct ingest *in, int rejected)
{
    const uint8_t *body;
    const size_t *ends;
    uint32_t n = ingest_lines_events(in->lines, &body, &ends);
    uint64_t seq0 = journal_next_seq(in->j);
    for (uint32_t i = 0; i < n; i++) {
        size_t a = i ? ends[i - 1] : 0;
        if (journal_append(in->j, body + a, ends[i] - a))
            cchc_die("journal append failed; exiting so that state is rebuilt from the journal");
    }
    if (n && journal_sync(in->j))
        cchc_die("journal sync failed: %s; exiting so that state is rebuilt from the journal",
                 strerror(errno));
    if (rejected && (fflush(in->rejects) || fdatasync(fileno(in->rejects))))
        cchc_die("reject log write failed: %s", strerror(errno));
    if (n)
        bus_pub_batch(in->pub, seq0, body, ends, n);
    if (n && retention_run(in->retention, in->j, in->pub))
        cchc_die("journal retention failed; exiting so that state is rebuilt from the journal");
    in->events += n;
    ingest_lines_clear_events(in->lines);
    return seq0 + n;
}

/* Each line's result, into the answer's "results". */
static void put_results(GString *results, struct ingest_line *lines, size_t n)
{
    static const char *const status[] = {"accepted", "duplicate", "rejected"};
    for (size_t i = 0; i < n; i++) {
        struct ingest_line *l = &lines[i];
        json_sep(results);
        g_string_append_c(results, '{');
        json_key(results, "line");
        json_int(results, l->lineno);
        if (l->v != INGEST_REJECTED) {
            json_key(results, "id");
            json_cstr(results, l->id);
        }
        json_key(results, "status");
        json_cstr(results, status[l->v]);
        if (l->v == INGEST_REJECTED) {
            json_key(results, "error");
            json_cstr(results, l->why);
        }
        g_string_append_c(results, '}');
        ingest_line_done(l);
    }
}

void ingest_request(struct ingest *in, const char *body, size_t len, const char *source,
                    long first_line, GString *answer)
{
    struct ingest_line *chunk = g_new(struct ingest_line, CHUNK_LINES);
    GString *results = g_string_sized_new(len / 4 + 64);
    g_string_append_c(results, '[');
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
                chunk[n] = (struct ingest_line){.text = text, .n = tn, .lineno = lineno};
                ingest_line_parse(in->lines, &chunk[n++]);
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
            upto = commit(in, counts[INGEST_REJECTED] > 0);
            epoch = journal_epoch(in->j);
            in->requests++;
            in->accepted += counts[INGEST_ACCEPTED], in->duplicate += counts[INGEST_DUPLICATE];
            in->rejected += counts[INGEST_REJECTED];
        }
        pthread_mutex_unlock(&in->journal_mu);
        put_results(results, chunk, n);
        n = 0;
    }
    g_free(chunk);
    g_string_append_c(results, ']');

    /* `events`: once the position of this journal in Redis passes `to`, this
     * request's events are all visible there (other requests' events may lie
     * between `from` and `to`). */
    char epoch_hex[17];
    snprintf(epoch_hex, sizeof epoch_hex, "%016llx", (unsigned long long)epoch);
    g_string_append_c(answer, '{');
    json_key(answer, "accepted");
    json_int(answer, (int64_t)counts[INGEST_ACCEPTED]);
    json_key(answer, "duplicate");
    json_int(answer, (int64_t)counts[INGEST_DUPLICATE]);
    json_key(answer, "rejected");
    json_int(answer, (int64_t)counts[INGEST_REJECTED]);
    json_key(answer, "events");
    g_string_append_c(answer, '{');
    json_key(answer, "epoch");
    json_cstr(answer, epoch_hex);
    json_key(answer, "from");
    json_int(answer, (int64_t)(first_seq == UINT64_MAX ? upto : first_seq));
    json_key(answer, "to");
    json_int(answer, (int64_t)upto);
    g_string_append_c(answer, '}');
    json_key(answer, "results");
    g_string_append_len(answer, results->str, (gssize)results->len);
    g_string_append(answer, "}\n");
    g_string_free(results, TRUE);
}

static void num(GString *s, const char *key, uint64_t v)
{
    json_key(s, key);
    json_int(s, (int64_t)v);
}

static void stats_subscriber(void *arg, const char *name, uint64_t next)
{
    num(arg, name, next);
}

void ingest_stats(struct ingest *in, GString *s)
{
    pthread_mutex_lock(&in->journal_mu); /* the main thread may be compacting */
    uint64_t c[] = {in->accepted,
                    in->duplicate,
                    in->rejected,
                    in->requests,
                    in->events,
                    journal_epoch(in->j),
                    journal_next_seq(in->j),
                    journal_base(in->j),
                    journal_bytes(in->j)};
    pthread_mutex_unlock(&in->journal_mu);
    char epoch_hex[17];
    snprintf(epoch_hex, sizeof epoch_hex, "%016llx", (unsigned long long)c[5]);
    g_string_append_c(s, '{');
    json_key(s, "service");
    json_cstr(s, in->svc->name);
    num(s, "accepted", c[0]);
    num(s, "duplicate", c[1]);
    num(s, "rejected", c[2]);
    num(s, "requests", c[3]);
    num(s, "events", c[4]);
    json_key(s, "journal_epoch");
    json_cstr(s, epoch_hex);
    num(s, "journal_next_seq", c[6]);
    num(s, "journal_base", c[7]);
    num(s, "journal_bytes", c[8]);
    json_key(s, "subscribers");
    g_string_append_c(s, '{');
    bus_pub_subscribers(in->pub, stats_subscriber, s);
    g_string_append_c(s, '}');
    struct bus_pub_stats bs; /* the replay socket: what it served and refused */
    bus_pub_get_stats(in->pub, &bs);
    json_key(s, "bus");
    g_string_append_c(s, '{');
    num(s, "replays_served", bs.replays_served);
    num(s, "acks_taken", bs.acks_taken);
    num(s, "bad_requests", bs.bad_requests);
    num(s, "stranger_requests", bs.stranger_requests);
    num(s, "bad_mac_requests", bs.bad_mac_requests);
    num(s, "refused_acks", bs.refused_acks);
    g_string_append(s, "}}\n");
}
