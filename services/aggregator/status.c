/* The aggregator's state for its HTTP face (status.h). */
#include "status.h"

#include "base/json.h"
#include "health.h"
#include "http/prom.h"
#include "http/server.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* What the main loop saw at its last turn. */
struct snap {
    int nsources;
    int64_t turned_mono_ms; /* the main loop's last turn */
    int turned;
    int connected;
    char redis_error[256];
    int64_t down_since_ms; /* wall clock; 0 while connected */
    struct apply_stats as;
    struct bus_sub_stats bs;
    uint64_t out_of_scope;
    /* The last loss of Redis state: when the main loop first saw the
     * counter move, and when the figures were whole again (every source
     * caught up, none refusing, nothing in flight), or 0. */
    uint64_t lost_seen;
    int64_t lost_at_ms, rebuilt_at_ms;
    struct bus_sub_source src[STATUS_SOURCES_MAX];
    int nsrc;
};

struct status {
    pthread_mutex_t mu;
    struct snap v;                        /* under mu, written by the main loop */
    const struct prom_histogram *flush_s; /* the apply's (atomic) */
};

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct status *status_new(int nsources)
{
    struct status *st = g_new0(struct status, 1);
    pthread_mutex_init(&st->mu, NULL);
    st->v.nsources = nsources;
    return st;
}

void status_free(struct status *st)
{
    if (!st)
        return;
    pthread_mutex_destroy(&st->mu);
    g_free(st);
}

void status_update(struct status *st, int connected, const char *redis_error,
                   const struct apply_stats *as, const struct bus_sub_stats *bs,
                   const struct bus_sub_source *src, int nsrc, uint64_t out_of_scope, int busy)
{
    int64_t now = wall_ms();
    pthread_mutex_lock(&st->mu);
    struct snap *v = &st->v;
    v->turned_mono_ms = mono_ms();
    v->turned = 1;
    if (connected)
        v->down_since_ms = 0;
    else if (!v->down_since_ms)
        v->down_since_ms = now;
    v->connected = connected;
    snprintf(v->redis_error, sizeof v->redis_error, "%s",
             !connected && redis_error ? redis_error : "");
    v->as = *as;
    v->bs = *bs;
    v->out_of_scope = out_of_scope;
    v->nsrc = nsrc < STATUS_SOURCES_MAX ? nsrc : STATUS_SOURCES_MAX;
    memcpy(v->src, src, (size_t)v->nsrc * sizeof *src);
    if (as->redis_lost != v->lost_seen) {
        v->lost_seen = as->redis_lost;
        v->lost_at_ms = now;
        v->rebuilt_at_ms = 0;
    }
    if (v->lost_seen && !v->rebuilt_at_ms && connected && !busy && bs->refused_sources == 0 &&
        bs->behind_sources == 0)
        v->rebuilt_at_ms = now;
    pthread_mutex_unlock(&st->mu);
}

static void rfc3339(GString *out, int64_t ms)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    char buf[40];
    gmtime_r(&t, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    g_string_append(out, buf);
}

static void num(GString *s, const char *key, uint64_t v)
{
    json_key(s, key);
    json_int(s, (int64_t)v);
}

/* "redis lost state at T (it held stamp F; this aggregator had written up to W)" */
static void lost_text(GString *r, const struct snap *st)
{
    g_string_append(r, "redis lost state at ");
    rfc3339(r, st->lost_at_ms);
    g_string_append_printf(r, " (it held stamp %llu; this aggregator had written up to %llu)",
                           (unsigned long long)st->as.lost_found_stamp,
                           (unsigned long long)st->as.lost_wrote_stamp);
}

unsigned status_healthz(struct status *s, GString *out)
{
    pthread_mutex_lock(&s->mu);
    struct snap st = s->v;
    pthread_mutex_unlock(&s->mu);
    int64_t stuck = st.turned ? mono_ms() - st.turned_mono_ms : 0;
    const char *status = "ok";
    GPtrArray *reasons = g_ptr_array_new_with_free_func(g_free);
    GString *r = g_string_new(NULL);
    if (!st.turned) {
        status = "down";
        g_ptr_array_add(reasons, g_strdup("starting: not connected to Redis yet"));
    } else if (stuck > STATUS_STUCK_MS) {
        status = "down";
        g_ptr_array_add(reasons, g_strdup_printf("the aggregator has not moved for %lld s (a "
                                                 "Redis command that does not return?)",
                                                 (long long)(stuck / 1000)));
    }
    if (st.turned && !st.connected) {
        status = "down";
        g_string_assign(r, "redis unreachable");
        if (st.redis_error[0])
            g_string_append_printf(r, ": %s", st.redis_error);
        if (st.down_since_ms) {
            g_string_append(r, " (since ");
            rfc3339(r, st.down_since_ms);
            g_string_append(r, ")");
        }
        g_ptr_array_add(reasons, g_strdup(r->str));
    }
    int lost = st.lost_seen && !st.rebuilt_at_ms;
    if (st.bs.refused_sources) {
        if (strcmp(status, "ok") == 0)
            status = "degraded";
        g_string_truncate(r, 0);
        if (lost) {
            lost_text(r, &st);
            g_string_append(r, "; ");
        }
        g_string_append_printf(r,
                               "%llu source(s) refuse to replay events this aggregator needs "
                               "(gone from their journals): the figures are incomplete, "
                               "waiting for an operator (ops/README.md, \"Lost Redis state\")",
                               (unsigned long long)st.bs.refused_sources);
        g_ptr_array_add(reasons, g_strdup(r->str));
    } else if (lost) {
        if (strcmp(status, "ok") == 0)
            status = "degraded";
        g_string_truncate(r, 0);
        lost_text(r, &st);
        g_string_append(r, ": rebuilding the figures from the services' journals");
        g_ptr_array_add(reasons, g_strdup(r->str));
    }
    /* Live: the main loop turns. Ready: that, Redis reachable, the figures
     * whole and not too far behind the publishers. */
    int live = st.turned && stuck <= STATUS_STUCK_MS;
    int ready = strcmp(status, "ok") == 0 && st.bs.lag_events <= STATUS_READY_LAG_EVENTS;
    if (ready == 0 && strcmp(status, "ok") == 0)
        g_ptr_array_add(reasons, g_strdup_printf("%llu events behind the publishers, over the %u "
                                                 "of ready",
                                                 (unsigned long long)st.bs.lag_events,
                                                 STATUS_READY_LAG_EVENTS));
    unsigned code = ready ? 200 : 503;

    g_string_append_c(out, '{');
    json_key(out, "status");
    json_cstr(out, status);
    json_key(out, "live");
    g_string_append(out, live ? "true" : "false");
    json_key(out, "ready");
    g_string_append(out, ready ? "true" : "false");
    json_key(out, "reasons");
    g_string_append_c(out, '[');
    for (guint i = 0; i < reasons->len; i++) {
        json_sep(out);
        json_cstr(out, reasons->pdata[i]);
    }
    g_string_append_c(out, ']');
    if (st.lost_seen && st.rebuilt_at_ms) {
        g_string_truncate(r, 0);
        lost_text(r, &st);
        g_string_append(r, "; the figures are whole again since ");
        rfc3339(r, st.rebuilt_at_ms);
        g_string_append(r, ": every source caught up from its journal, none refusing");
        json_key(out, "note");
        json_cstr(out, r->str);
    }
    json_key(out, "redis");
    json_cstr(out, !st.turned ? "starting" : st.connected ? "connected" : "unreachable");
    json_key(out, "sources");
    g_string_append_c(out, '{');
    num(out, "count", (uint64_t)st.nsources);
    num(out, "behind", st.bs.behind_sources);
    num(out, "lag_events", st.bs.lag_events);
    num(out, "refusing_replay", st.bs.refused_sources);
    g_string_append_c(out, '}');
    num(out, "applied_events", st.as.applied_events);
    num(out, "last_turn_ms_ago", (uint64_t)(stuck > 0 ? stuck : 0));
    if (st.lost_seen) {
        json_key(out, "redis_lost");
        g_string_append_c(out, '{');
        num(out, "times", st.as.redis_lost);
        json_key(out, "at");
        g_string_append_c(out, '"');
        rfc3339(out, st.lost_at_ms);
        g_string_append_c(out, '"');
        num(out, "wrote_stamp", st.as.lost_wrote_stamp);
        num(out, "found_stamp", st.as.lost_found_stamp);
        json_key(out, "rebuilt");
        g_string_append(out, st.rebuilt_at_ms ? "true" : "false");
        if (st.rebuilt_at_ms) {
            json_key(out, "rebuilt_at");
            g_string_append_c(out, '"');
            rfc3339(out, st.rebuilt_at_ms);
            g_string_append_c(out, '"');
        }
        g_string_append_c(out, '}');
    }
    g_string_append(out, "}\n");
    g_string_free(r, TRUE);
    g_ptr_array_free(reasons, TRUE);
    return code;
}

unsigned status_livez(struct status *s)
{
    pthread_mutex_lock(&s->mu);
    int ok = s->v.turned && mono_ms() - s->v.turned_mono_ms <= STATUS_STUCK_MS;
    pthread_mutex_unlock(&s->mu);
    return ok ? 200 : 503;
}

void status_stats(struct status *s, const uint64_t *refused, GString *out)
{
    pthread_mutex_lock(&s->mu);
    struct snap st = s->v;
    pthread_mutex_unlock(&s->mu);
    struct health_field f[HEALTH_FIELDS];
    health_fields(&st.as, &st.bs, st.out_of_scope, f);
    g_string_append_c(out, '{');
    num(out, "pid", (uint64_t)getpid());
    for (int i = 0; i < HEALTH_FIELDS; i++)
        num(out, f[i].name, f[i].value);
    json_key(out, "redis_connected");
    g_string_append(out, st.connected ? "true" : "false");
    num(out, "sources", (uint64_t)st.nsources);
    num(out, "behind_sources", st.bs.behind_sources);
    num(out, "lag_events", st.bs.lag_events);
    static const char *const names[] = HTTP_REFUSED_NAMES;
    G_STATIC_ASSERT(G_N_ELEMENTS(names) == HTTP_REFUSED_N);
    json_key(out, "http_refused");
    g_string_append_c(out, '{');
    for (int i = 0; i < HTTP_REFUSED_N; i++)
        num(out, names[i], refused[i]);
    g_string_append(out, "}}\n");
}

void status_set_flush_histogram(struct status *st, const struct prom_histogram *h)
{
    st->flush_s = h;
}

/* One family of one sample, labelled service="aggregator" and, when given, key. */
static void one(GString *s, const char *name, enum prom_type type, const char *help, uint64_t v)
{
    prom_family(s, name, type, help);
    prom_u64(s, name, "service=\"aggregator\"", v);
}

/* A sample labelled service="aggregator" and key="value": an integer, or
 * seconds when secs is not NULL. */
static void labelled(GString *s, const char *name, const char *key, const char *value, uint64_t v,
                     const double *secs)
{
    GString *l = g_string_new(NULL);
    prom_label(l, "service", "aggregator");
    prom_label(l, key, value);
    if (secs)
        prom_f64(s, name, l->str, *secs);
    else
        prom_u64(s, name, l->str, v);
    g_string_free(l, TRUE);
}

void status_metrics(struct status *s, const uint64_t *refused, GString *out)
{
    static const char *const refused_names[] = HTTP_REFUSED_NAMES;
    pthread_mutex_lock(&s->mu);
    struct snap st = s->v;
    pthread_mutex_unlock(&s->mu);
    const struct apply_stats *a = &st.as;
    const struct bus_sub_stats *b = &st.bs;
    one(out, "cchc_aggregator_redis_up", PROM_GAUGE, "1 while Redis answers.", st.connected);
    one(out, "cchc_aggregator_events_applied_total", PROM_COUNTER,
        "Events applied to Redis (durable there).", a->applied_events);
    one(out, "cchc_aggregator_events_rejected_total", PROM_COUNTER,
        "Events not applied: a unit not in the registry, a bad metric, out of scope.",
        a->rejected_events);
    one(out, "cchc_aggregator_checkpoint_events_total", PROM_COUNTER,
        "Sums and marks applied from publishers' checkpoints.", a->checkpoint_events);
    one(out, "cchc_aggregator_flushes_total", PROM_COUNTER, "Writes to Redis that succeeded.",
        a->batches);
    one(out, "cchc_aggregator_figures_written_total", PROM_COUNTER,
        "Figures written to Redis by the flushes.", a->figures_written);
    one(out, "cchc_aggregator_redis_errors_total", PROM_COUNTER,
        "Flushes or reads of Redis that failed (the aggregator started over).", a->failures);
    one(out, "cchc_aggregator_redis_lost_total", PROM_COUNTER,
        "Times Redis was found holding less than the aggregator wrote.", a->redis_lost);
    one(out, "cchc_aggregator_rebuilds_total", PROM_COUNTER,
        "Times Redis was emptied and rebuilt from the journals.", a->rebuilds);
    prom_family(out, "cchc_aggregator_flush_duration_seconds", PROM_HISTOGRAM,
                "From the start of a flush to Redis' reply.");
    if (s->flush_s)
        prom_histogram_write(out, "cchc_aggregator_flush_duration_seconds",
                             "service=\"aggregator\"", s->flush_s);
    one(out, "cchc_bus_frames_received_total", PROM_COUNTER, "Frames taken from the bus.",
        b->frames);
    prom_family(out, "cchc_bus_frames_rejected_total", PROM_COUNTER,
                "Frames refused, by reason (bus keys, ops/README.md).");
    const struct {
        const char *reason;
        uint64_t v;
    } rej[] = {{"no_mac", b->no_mac},
               {"bad_mac", b->bad_mac},
               {"unknown_publisher", b->unknown_publisher},
               {"old", b->old_frames},
               {"old_epoch", b->old_epoch_frames},
               {"bad_answer", b->bad_answers},
               {"undecodable", b->rejected_frames}};
    for (size_t i = 0; i < G_N_ELEMENTS(rej); i++)
        labelled(out, "cchc_bus_frames_rejected_total", "reason", rej[i].reason, rej[i].v, NULL);
    one(out, "cchc_bus_gaps_total", PROM_COUNTER, "Gaps in a publisher's sequence noticed.",
        b->gaps);
    one(out, "cchc_bus_replayed_events_total", PROM_COUNTER, "Events fetched by replay requests.",
        b->replayed_events);
    one(out, "cchc_bus_replay_failures_total", PROM_COUNTER, "Replay requests that failed.",
        b->replay_failures);
    one(out, "cchc_bus_redials_total", PROM_COUNTER, "Sources silent too long, dialed again.",
        b->redials);
    one(out, "cchc_bus_refused_sources", PROM_GAUGE,
        "Sources refusing a replay (what is needed is gone).", b->refused_sources);
    prom_family(out, "cchc_aggregator_lag_events", PROM_GAUGE,
                "Events a publisher announced that are not applied yet.");
    for (int i = 0; i < st.nsrc; i++)
        if (st.src[i].publisher[0])
            labelled(out, "cchc_aggregator_lag_events", "publisher", st.src[i].publisher,
                     st.src[i].known && st.src[i].head > st.src[i].next
                         ? st.src[i].head - st.src[i].next
                         : 0,
                     NULL);
    prom_family(out, "cchc_aggregator_lag_seconds", PROM_GAUGE,
                "How long a publisher's events have waited to be applied (0: caught up).");
    for (int i = 0; i < st.nsrc; i++)
        if (st.src[i].publisher[0]) {
            double secs = (double)st.src[i].behind_ms / 1000;
            labelled(out, "cchc_aggregator_lag_seconds", "publisher", st.src[i].publisher, 0,
                     &secs);
        }
    prom_family(out, "cchc_http_refused_total", PROM_COUNTER,
                "Requests or connections refused by the HTTP face, by reason.");
    for (int i = 0; i < HTTP_REFUSED_N; i++)
        labelled(out, "cchc_http_refused_total", "reason", refused_names[i], refused[i], NULL);
}
