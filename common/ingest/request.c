/* One request: lines in, durable and published events out, an answer per
 * line. */
#include "ingest/service.h"

#include "base/err.h"
#include "base/json.h"
#include "base/log.h"
#include "base/period.h"
#include "ingest/feed.h"

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

/* Decides a parsed chunk (under journal_mu): its events join the queue, the
 * events of every request in the order their records were decided, which
 * is the order they are journaled in. */
static void decide_chunk(struct ingest *in, struct ingest_line *lines, size_t n,
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
        const char *src = l->src ? l->src->name : "";
        struct ingest_counts *c = g_hash_table_lookup(in->by_source, src);
        if (!c) {
            c = g_new0(struct ingest_counts, 1);
            g_hash_table_insert(in->by_source, g_strdup(src), c);
        }
        c->verdict[l->v]++;
        if (l->v == INGEST_REJECTED) {
            in->out_of_scope += l->why_kind == INGEST_WHY_SCOPE;
            in->conflicts += l->why_kind == INGEST_WHY_CONFLICT;
            c->why[l->why_kind]++;
        }
        counts[l->v]++;
    }
}

/* Makes every decided event durable (one write and one fdatasync: group
 * commit), publishes them, and returns the journal position after them. */
static uint64_t commit(struct ingest *in)
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
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (n && journal_sync(in->j))
        cchc_die("journal sync failed: %s; exiting so that state is rebuilt from the journal",
                 strerror(errno));
    if (n) {
        clock_gettime(CLOCK_MONOTONIC, &t1);
        prom_histogram_observe(&in->fsync_s, (double)(t1.tv_sec - t0.tv_sec) +
                                                 (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    }
    if (n)
        bus_pub_batch(in->pub, seq0, body, ends, n);
    in->events += n;
    in->state_pending += n;
    ingest_lines_clear_events(in->lines);
    if (in->state_pending && now_ms() - in->state_at_ms >= STATE_COMMIT_MS)
        ingest_state_commit(in);
    return seq0 + n;
}

int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int ingest_state_commit(struct ingest *in)
{
    const uint8_t *body;
    const size_t *ends;
    if (ingest_lines_events(in->lines, &body, &ends))
        return 0; /* a request's decided lines are not journaled yet: the state would run ahead */
    char why[512];
    if (in->state_pending && ingest_lines_commit(in->lines, journal_epoch(in->j),
                                                 journal_next_seq(in->j), why, sizeof why))
        cchc_die("%s; exiting so that the state is brought up to the journal at start", why);
    in->state_pending = 0;
    in->state_at_ms = now_ms();
    /* Retention only now, with the state durable up to the journal's end:
     * it never drops an event the state on disk does not hold. */
    if (retention_run(in->retention, in->j, in->pub))
        cchc_die("journal retention failed; exiting so that state is rebuilt from the journal");
    return 1;
}

/* Each line's result, into the answer's "results"; a rejected line into
 * the reject log's batch. Past `budget` bytes of results, a reason is
 * replaced by a short fixed text (README.md, "What the services answer"). */
static void put_results(GString *results, struct rejects_batch *rb, size_t budget,
                        struct ingest_line *lines, size_t n)
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
            rejects_batch_add(rb, l->lineno, l->why, l->text, l->n);
            json_key(results, "error");
            if (results->len > budget)
                json_cstr(results, INGEST_REASON_NOT_KEPT);
            else
                json_str(results, l->why,
                         rejects_prefix_len(l->why, strlen(l->why), INGEST_REASON_MAX));
        }
        g_string_append_c(results, '}');
        ingest_line_done(l);
    }
}

int ingest_request(struct ingest *in, const struct source *src, enum ingest_format format,
                   const char *body, size_t len, const char *source, long first_line,
                   GString *answer)
{
    struct feed feed;
    size_t nlines = feed_open(&feed, format == INGEST_FORMAT_DVCQG, body, len, first_line);
    if (nlines > INGEST_LINES_MAX) {
        feed_free(&feed);
        atomic_fetch_add(&in->too_many_lines, 1);
        g_string_append_printf(answer,
                               "{\"error\":\"%zu %s in one request, over the limit of %u: "
                               "send smaller batches; no line was taken\"}\n",
                               nlines, format == INGEST_FORMAT_DVCQG ? "records" : "lines",
                               INGEST_LINES_MAX);
        return CCHC_ETOOBIG;
    }
    /* The results: at most 4 bytes a byte of the body, and 64 KiB, with a
     * reason each; past that the reasons are cut short (limits.h). */
    size_t budget = ((size_t)64 << 10) + 4 * len;
    struct rejects_batch *rb = rejects_batch_new(source, src ? src->name : NULL);
    struct ingest_line *chunk = g_new(struct ingest_line, CHUNK_LINES);
    GString *results = g_string_sized_new(MIN(len, budget) / 4 + 64);
    g_string_append_c(results, '[');
    uint64_t counts[3] = {0}, first_seq = UINT64_MAX, upto = 0, epoch = 0;
    size_t n = 0;
    for (int more = 1; more;) {
        /* Parsed on this thread, in parallel with other requests. */
        if ((more = feed_next(&feed, src, &chunk[n]))) {
            if (!chunk[n].why)
                ingest_line_parse(in->lines, &chunk[n]);
            if (++n < CHUNK_LINES)
                continue;
        }
        /* Decided one request at a time, in turns; past the last, committed. */
        pthread_mutex_lock(&in->journal_mu);
        decide_chunk(in, chunk, n, &first_seq, counts);
        if (!more) {
            upto = commit(in);
            epoch = journal_epoch(in->j);
            in->requests++;
            in->accepted += counts[INGEST_ACCEPTED], in->duplicate += counts[INGEST_DUPLICATE];
            in->rejected += counts[INGEST_REJECTED];
        }
        pthread_mutex_unlock(&in->journal_mu);
        put_results(results, rb, budget, chunk, n);
        n = 0;
    }
    g_free(chunk);
    feed_free(&feed);
    /* The reject log is durable before the answer, as the journal is. */
    rejects_commit(in->rejects, rb);
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
    return CCHC_OK;
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

/* A source's budgets (lines.h, "Budgets per source"). */
static void stats_budget(void *arg, const struct ingest_budget *b)
{
    GString *s = arg;
    json_key(s, b->name); /* "": events journaled before sources */
    g_string_append_c(s, '{');
    num(s, "counters", b->counters);
    num(s, "counters_max", b->counters_max);
    num(s, "levels", b->levels);
    num(s, "levels_max", b->levels_max);
    num(s, "names", b->names);
    num(s, "names_max", b->names_max);
    num(s, "refused_records", b->refused_records);
    json_key(s, "in_sources_file");
    g_string_append(s, b->current ? "true" : "false");
    g_string_append_c(s, '}');
}

void ingest_stats(struct ingest *in, const struct http_server *http, GString *s)
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
                    journal_bytes(in->j),
                    in->unauthorized,
                    in->forbidden,
                    in->out_of_scope,
                    in->conflicts};
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
    num(s, "unauthorized", c[9]);
    num(s, "forbidden", c[10]);
    num(s, "out_of_scope", c[11]);
    num(s, "conflicts", c[12]);
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
    /* The bounds (ops/README.md, "Limits"): what was refused, not kept. */
    static const char *const refused[] = HTTP_REFUSED_NAMES;
    G_STATIC_ASSERT(G_N_ELEMENTS(refused) == HTTP_REFUSED_N);
    json_key(s, "http_refused");
    g_string_append_c(s, '{');
    for (int i = 0; i < HTTP_REFUSED_N; i++) {
        num(s, refused[i], http_server_refused(http, i));
        if (i == HTTP_REFUSED_BODY) /* the service's own, beside the body's bound */
            num(s, "too_many_lines", atomic_load(&in->too_many_lines));
    }
    g_string_append_c(s, '}');
    json_key(s, "reject_log");
    rejects_stats(in->rejects, s);
    unsigned names, names_max;
    uint64_t names_refused;
    struct ingest_sums sums;
    GString *budgets = g_string_new("{");
    pthread_mutex_lock(&in->journal_mu);
    ingest_lines_names(in->lines, &names, &names_max, &names_refused);
    ingest_lines_sums(in->lines, &sums);
    ingest_lines_budgets(in->lines, stats_budget, budgets);
    pthread_mutex_unlock(&in->journal_mu);
    g_string_append_c(budgets, '}');
    json_key(s, "sums");
    g_string_append_c(s, '{');
    num(s, "counters", sums.counters);
    num(s, "counters_max", sums.counters_max);
    num(s, "levels", sums.levels);
    num(s, "levels_max", sums.levels_max);
    num(s, "refused_records", sums.refused_records);
    g_string_append_c(s, '}');
    json_key(s, "metric_names");
    g_string_append_c(s, '{');
    num(s, "count", names);
    num(s, "max", names_max);
    num(s, "refused_records", names_refused);
    g_string_append_c(s, '}');
    json_key(s, "budgets");
    g_string_append_len(s, budgets->str, (gssize)budgets->len);
    uint64_t commits, state_bytes;
    double commit_s;
    pthread_mutex_lock(&in->journal_mu);
    state_stats(in->db, &commits, &commit_s, &state_bytes);
    pthread_mutex_unlock(&in->journal_mu);
    json_key(s, "state"); /* the state on disk: its commits, and the time they took */
    g_string_append_c(s, '{');
    num(s, "commits", commits);
    num(s, "commit_ms", (uint64_t)(commit_s * 1000));
    num(s, "bytes", state_bytes);
    g_string_append_c(s, '}');
    g_string_free(budgets, TRUE);
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
    num(s, "refused_connections", bs.refused_connections);
    g_string_append(s, "}}\n");
}

/* One sample with the service's label, the source's when given, and
 * another when given. */
static void sample_of(GString *s, const char *name, const char *service, const char *source,
                      const char *key, const char *value, uint64_t v)
{
    GString *l = g_string_new(NULL);
    prom_label(l, "service", service);
    if (source)
        prom_label(l, "source", source);
    if (key)
        prom_label(l, key, value);
    prom_u64(s, name, l->str, v);
    g_string_free(l, TRUE);
}

static void sample(GString *s, const char *name, const char *service, const char *key,
                   const char *value, uint64_t v)
{
    sample_of(s, name, service, NULL, key, value, v);
}

void ingest_metrics(struct ingest *in, const struct http_server *http, GString *s)
{
    static const char *const verdicts[] = {"accepted", "duplicate", "rejected"};
    static const char *const whys[] = INGEST_WHY_NAMES;
    static const char *const refused[] = HTTP_REFUSED_NAMES;
    G_STATIC_ASSERT(G_N_ELEMENTS(whys) == INGEST_WHY_N);
    const char *svc = in->svc->name;
    GString *records = g_string_new(NULL), *rejected = g_string_new(NULL);
    pthread_mutex_lock(&in->journal_mu);
    uint64_t events = in->events, requests = in->requests, bytes = journal_bytes(in->j),
             next = journal_next_seq(in->j);
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, in->by_source);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        const struct ingest_counts *c = v;
        for (int i = 0; i < 3; i++)
            sample_of(records, "cchc_records_total", svc, k, "result", verdicts[i], c->verdict[i]);
        for (int i = 0; i < INGEST_WHY_N; i++)
            sample_of(rejected, "cchc_records_rejected_total", svc, k, "reason", whys[i],
                      c->why[i]);
    }
    pthread_mutex_unlock(&in->journal_mu);
    prom_family(s, "cchc_records_total", PROM_COUNTER,
                "Records decided, by source and result (accepted, duplicate, rejected).");
    g_string_append_len(s, records->str, (gssize)records->len);
    prom_family(s, "cchc_records_rejected_total", PROM_COUNTER,
                "Records rejected, by source and reason (field, scope, conflict, budget).");
    g_string_append_len(s, rejected->str, (gssize)rejected->len);
    g_string_free(records, TRUE);
    g_string_free(rejected, TRUE);
    prom_family(s, "cchc_requests_total", PROM_COUNTER, "POST requests answered.");
    sample(s, "cchc_requests_total", svc, NULL, NULL, requests);
    prom_family(s, "cchc_http_refused_total", PROM_COUNTER,
                "Requests or connections refused by the HTTP face, by reason.");
    sample(s, "cchc_http_refused_total", svc, "reason", "unauthorized",
           atomic_load(&in->unauthorized));
    sample(s, "cchc_http_refused_total", svc, "reason", "forbidden", atomic_load(&in->forbidden));
    sample(s, "cchc_http_refused_total", svc, "reason", "too_many_lines",
           atomic_load(&in->too_many_lines));
    for (int i = 0; i < HTTP_REFUSED_N; i++)
        sample(s, "cchc_http_refused_total", svc, "reason", refused[i],
               http_server_refused(http, i));
    prom_family(s, "cchc_http_request_duration_seconds", PROM_HISTOGRAM,
                "Time from a POST's headers to its answer, by path.");
    for (int i = 0; i < 2; i++) {
        if (i == INGEST_FORMAT_DVCQG && !in->svc->dvcqg)
            continue;
        GString *l = g_string_new(NULL);
        prom_label(l, "service", svc);
        prom_label(l, "path", i == INGEST_FORMAT_DVCQG ? "/v1/dvcqg" : "/v1/records");
        prom_histogram_write(s, "cchc_http_request_duration_seconds", l->str, &in->post_s[i]);
        g_string_free(l, TRUE);
    }
    prom_family(s, "cchc_journal_bytes", PROM_GAUGE, "Bytes of the journal on disk.");
    sample(s, "cchc_journal_bytes", svc, NULL, NULL, bytes);
    prom_family(s, "cchc_journal_next_sequence", PROM_GAUGE,
                "The sequence number the next event journaled gets.");
    sample(s, "cchc_journal_next_sequence", svc, NULL, NULL, next);
    prom_family(s, "cchc_journal_fsync_duration_seconds", PROM_HISTOGRAM,
                "Time of each journal sync (one per group of requests).");
    GString *l = g_string_new(NULL);
    prom_label(l, "service", svc);
    prom_histogram_write(s, "cchc_journal_fsync_duration_seconds", l->str, &in->fsync_s);
    g_string_free(l, TRUE);
    prom_family(s, "cchc_events_published_total", PROM_COUNTER,
                "Events journaled and published on the bus.");
    sample(s, "cchc_events_published_total", svc, NULL, NULL, events);
    struct bus_pub_stats bs;
    bus_pub_get_stats(in->pub, &bs);
    prom_family(s, "cchc_bus_replay_requests_total", PROM_COUNTER,
                "Replay requests served to subscribers.");
    sample(s, "cchc_bus_replay_requests_total", svc, NULL, NULL, bs.replays_served);
    prom_family(s, "cchc_bus_requests_refused_total", PROM_COUNTER,
                "Replay requests and acknowledgements refused, by reason.");
    sample(s, "cchc_bus_requests_refused_total", svc, "reason", "bad_request", bs.bad_requests);
    sample(s, "cchc_bus_requests_refused_total", svc, "reason", "stranger", bs.stranger_requests);
    sample(s, "cchc_bus_requests_refused_total", svc, "reason", "bad_mac", bs.bad_mac_requests);
    sample(s, "cchc_bus_requests_refused_total", svc, "reason", "ack", bs.refused_acks);
    sample(s, "cchc_bus_requests_refused_total", svc, "reason", "connection",
           bs.refused_connections);
}
