#include "apply.h"

#include "base/err.h"
#include "base/log.h"
#include "base/period.h"
#include "bus/bus.h"
#include "cells.h"
#include "scope.h"
#include "figures/rollup.h"
#include "figures/rollup_write.h"
#include "http/prom.h"
#include "store/keys.h"
#include "proto/event.h"

#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct where {
    int unit;          /* -1: a checkpoint's mark */
    uint32_t at;       /* index in the delivered batch */
    uint64_t from, to; /* a mark: the journal positions its run covers */
};

/* Events of one publisher and epoch, held or in flight: of its journal,
 * or of its checkpoint (bus/retention.h: the position's field then ends in
 * "/checkpoint", and the marks among them move the journal's). */
struct pending {
    char field[128]; /* "publisher/epoch", the position's field */
    char publisher[64];
    uint64_t epoch, from, to;
    int ckpt;
};

struct apply {
    struct store *s;       /* borrowed */
    const struct units *u; /* borrowed */
    struct apply_config cfg;
    struct rollup *r;           /* what is held, summed */
    struct rollup_batch *batch; /* the flush being written */
    struct cells *cells;        /* what Redis holds */
    uint64_t stamp;             /* KEY_POS_STAMP as this aggregator last wrote or read it */
    GArray *pending;            /* struct pending: held, not sent yet */
    GArray *inflight;           /* struct pending: the flush Redis is working on */
    uint64_t inflight_figures;
    apply_durable_fn durable;
    void *durable_arg;
    GHashTable *reported; /* checkpoint field -> the position apply_position gave */
    GArray *decoded;      /* struct proto_event: one delivered batch */
    GArray *where;        /* struct where: each decoded event's unit and place in the batch */
    int broken;
    struct apply_stats st;
    /* Today's units (rollup.h): the day they are seen on, and the view,
     * "REGISTRY-DIGEST CHANGE-DAY", which Redis keeps under KEY_VIEW: a
     * Redis built under another view is rebuilt (view_stale). */
    int64_t today;
    char view[96];
    int view_stale;
    int64_t started_ns;            /* when the flush in flight was started */
    struct prom_histogram flush_s; /* from a flush's start to its reply */
};

static int64_t mono_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* A flush is in flight (its reply is unread) while it has positions. */
static int busy(const struct apply *a)
{
    return a->inflight->len > 0;
}

/* The events a list of positions covers: of journals (the marks' runs
 * counted as the events they fold), or of checkpoints. */
static uint64_t events_in(const GArray *list, int ckpt)
{
    uint64_t n = 0;
    for (guint i = 0; i < list->len; i++) {
        const struct pending *p = &g_array_index(list, struct pending, i);
        if (p->ckpt == ckpt)
            n += p->to - p->from;
    }
    return n;
}

/* Forgets everything held and cached: after this, only Redis counts. */
static void drop_held(struct apply *a)
{
    rollup_clear(a->r);
    g_array_set_size(a->pending, 0);
    g_array_set_size(a->inflight, 0);
    cells_reset(a->cells, 0);
}

/* Whatever failed, the connection may still owe replies (a flush in
 * flight, a batch half queued): it is dropped, so that the reconnect
 * starts with nothing pending on it. */
static int fail(struct apply *a, int rc)
{
    a->st.failures++;
    a->broken = 1;
    drop_held(a);
    store_abandon(a->s, cchc_strerror(rc));
    return rc;
}

/* Decodes the batch into a->decoded. On a live batch, any bad event rejects
 * the whole batch (the journal's copy is fetched instead); from the journal,
 * a bad event is skipped and counted, so one cannot stall the stream. */
static int decode(struct apply *a, const char *publisher, uint32_t count, const uint8_t *body,
                  size_t len, int trusted, int ckpt)
{
    size_t off = 0;
    char why[160];
    g_array_set_size(a->decoded, 0);
    g_array_set_size(a->where, 0);
    for (uint32_t i = 0; i < count; i++) {
        struct proto_event ev;
        if (proto_event_decode(body, len, &off, &ev, why, sizeof why)) {
            if (!trusted)
                return CCHC_EPROTO;
            cchc_error("journal event undecodable (%s): skipping the %u left of this batch", why,
                       count - i);
            a->st.rejected_events += count - i;
            return CCHC_OK;
        }
        struct where w = {-1, i, 0, 0};
        if (ckpt && proto_event_is_mark(&ev, &w.from, &w.to)) {
            g_array_append_val(a->decoded, ev);
            g_array_append_val(a->where, w);
            continue;
        }
        int unit;
        const char *bad;
        if (rollup_counts(a->r, &ev, &unit, &bad)) {
            if (!trusted)
                return CCHC_EPROTO;
            cchc_error("event %.*s (%.*s at %.*s) %s: skipped", (int)ev.id.len, ev.id.p,
                       (int)ev.type.len, ev.type.p, (int)ev.unit.len, ev.unit.p, bad);
            a->st.rejected_events++;
            continue;
        }
        if (a->cfg.scope && !scope_allows(a->cfg.scope, publisher, unit)) {
            a->st.rejected_events++; /* signed, but not its to say: skipped, live or replayed */
            continue;
        }
        w.unit = unit;
        g_array_append_val(a->decoded, ev);
        g_array_append_val(a->where, w);
    }
    return off == len || trusted ? CCHC_OK : CCHC_EPROTO;
}

static int start(struct apply *a);
static int finish(struct apply *a);

/* Events [seq, to) of publisher/epoch are held (of its checkpoint: ckpt). */
static int hold(struct apply *a, const char *publisher, uint64_t epoch, const char *field,
                uint64_t seq, uint64_t to, int ckpt)
{
    for (guint i = 0; i < a->pending->len; i++) {
        struct pending *p = &g_array_index(a->pending, struct pending, i);
        if (strcmp(p->field, field) != 0)
            continue;
        if (p->to != seq)
            return CCHC_ESTALE; /* bus_sub delivers in order: never */
        p->to = to;
        return CCHC_OK;
    }
    struct pending p = {.epoch = epoch, .from = seq, .to = to, .ckpt = ckpt};
    snprintf(p.field, sizeof p.field, "%s", field);
    snprintf(p.publisher, sizeof p.publisher, "%s", publisher);
    g_array_append_val(a->pending, p);
    return CCHC_OK;
}

/* Where field stands in what is held or in flight (the newest first). */
static int held_position(const struct apply *a, const char *field, uint64_t *next)
{
    const GArray *lists[] = {a->pending, a->inflight};
    for (int l = 0; l < 2; l++)
        for (guint i = 0; i < lists[l]->len; i++) {
            const struct pending *p = &g_array_index(lists[l], struct pending, i);
            if (strcmp(p->field, field) == 0) {
                *next = p->to; /* soon in Redis */
                return 1;
            }
        }
    return 0;
}

int apply_deliver(void *arg, const char *publisher, uint64_t epoch, uint64_t seq, uint32_t count,
                  const uint8_t *body, size_t len, int trusted, uint64_t *next)
{
    struct apply *a = arg;
    if (a->broken)
        return CCHC_ESTALE;
    int ckpt = (seq & BUS_CKPT) != 0;
    seq &= ~BUS_CKPT;
    int rc = decode(a, publisher, count, body, len, trusted, ckpt);
    if (rc)
        return rc; /* nothing of this batch is held */
    /* Of a checkpoint, the events' own position is the checkpoint's, and
     * each mark moves the journal's across the run it closes. */
    char field[128], journal_field[128];
    key_position_field(journal_field, sizeof journal_field, publisher, epoch);
    if (ckpt)
        key_checkpoint_field(field, sizeof field, publisher, epoch);
    else
        snprintf(field, sizeof field, "%s", journal_field);
    /* A subscriber may resume a checkpoint at a run's end it found by itself
     * (a store that followed the journal): the position moves there from
     * where Redis stands. */
    uint64_t at;
    if (ckpt && !held_position(a, field, &at)) {
        const uint64_t *given = g_hash_table_lookup(a->reported, field);
        at = given ? *given : seq;
    }
    if (ckpt && at != seq && (rc = hold(a, publisher, epoch, field, at, seq, 1)))
        return fail(a, rc);
    uint32_t held = 0; /* the batch's first events, held already */
    for (guint i = 0; i < a->decoded->len; i++) {
        const struct proto_event *ev = &g_array_index(a->decoded, struct proto_event, i);
        const struct where *w = &g_array_index(a->where, struct where, i);
        if (w->unit < 0) {
            if ((rc = hold(a, publisher, epoch, journal_field, w->from, w->to, 0)))
                return fail(a, rc);
        } else if (ev->nm && (rc = rollup_event(a->r, w->unit, ev)) == CCHC_ETOOBIG) {
            /* 65,536 metric names since start, or a sum out of int64: not
             * what a service sends (they bound both); skipping it whole is
             * better than failing over it forever. */
            cchc_error("event %.*s: too many distinct metric names, or a sum out of range: "
                       "skipped",
                       (int)ev->id.len, ev->id.p);
            a->st.rejected_events++;
        } else if (rc) {
            return fail(a, rc);
        }
        if (rollup_size(a->r) < a->cfg.flush_sums)
            continue;
        /* Enough held: up to this event, as the next flush (after the one in flight). */
        if ((rc = hold(a, publisher, epoch, field, seq + held, seq + w->at + 1, ckpt)))
            return fail(a, rc);
        held = w->at + 1;
        if ((busy(a) && (rc = finish(a))) || (rc = start(a)))
            return rc;
    }
    if (held < count && (rc = hold(a, publisher, epoch, field, seq + held, seq + count, ckpt)))
        return fail(a, rc);
    /* Where Redis will stand once what is held is written: a failed write
     * starts over from apply_connect, which asks every position again. */
    if (ckpt)
        g_hash_table_insert(a->reported, g_strdup(field), g_memdup2(&(uint64_t){seq + count}, 8));
    *next = (seq + count) | (ckpt ? BUS_CKPT : 0);
    return CCHC_OK;
}

int apply_position(void *arg, const char *publisher, uint64_t epoch, uint64_t *next, uint64_t *ckpt)
{
    struct apply *a = arg;
    if (a->broken)
        return CCHC_ESTALE;
    char field[128], ckpt_field[160];
    key_position_field(field, sizeof field, publisher, epoch);
    key_checkpoint_field(ckpt_field, sizeof ckpt_field, publisher, epoch);
    int have_next = held_position(a, field, next), have_ckpt = held_position(a, ckpt_field, ckpt);
    if (have_next && have_ckpt)
        return CCHC_OK;
    redisReply *r;
    int rc = busy(a) ? finish(a) : CCHC_OK; /* its reply comes first on the connection */
    if (rc == CCHC_OK)
        rc = store_command(a->s, &r, "HMGET %s %s %s", KEY_POS, field, ckpt_field);
    if (rc)
        return rc;
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 2) {
        freeReplyObject(r);
        return CCHC_EREDIS;
    }
    const redisReply *n = r->element[0], *c = r->element[1];
    if (!have_next)
        *next = n->type == REDIS_REPLY_STRING ? strtoull(n->str, NULL, 10) : 0;
    if (!have_ckpt)
        *ckpt = c->type == REDIS_REPLY_STRING ? strtoull(c->str, NULL, 10) : 0;
    freeReplyObject(r);
    g_hash_table_insert(a->reported, g_strdup(ckpt_field), g_memdup2(ckpt, sizeof *ckpt));
    return CCHC_OK;
}

static int64_t cached_value(void *arg, fig_key k)
{
    return cells_get(arg, k);
}

static int cached_is_new(void *arg, uint64_t hash)
{
    return cells_is_new(arg, hash);
}

static size_t cached_day(void *arg, uint64_t hash, const fig_key **keys)
{
    return cells_day_figures(arg, hash, keys);
}

/* Someone else wrote (a repair, another aggregator), or Redis came back
 * with less than it had: the caller starts over from what Redis holds. */
static void stale_warning(struct apply *a, const char *what)
{
    cchc_warn("apply: %s in Redis is not where this aggregator stands: starting over from Redis",
              what);
    a->st.stale_batches++;
}

/* Sends what is held as one flush and returns without waiting: Redis
 * writes it while the next one is gathered. The cache holds the new values
 * from now on; if the flush fails, the cache is emptied anyway. */
static int start(struct apply *a)
{
    if (a->pending->len == 0)
        return CCHC_OK;
    a->started_ns = mono_ns();
    const fig_key *keys;
    const int64_t *vals;
    size_t n;
    uint64_t loaded = cells_loaded(a->cells);
    int rc = cells_apply(a->cells, a->s, &keys, &vals, &n);
    a->st.hashes_loaded += cells_loaded(a->cells) - loaded;
    if (rc == CCHC_ETOOBIG) /* never with the sums the services allow (base/metric.h) */
        cchc_error("apply: a figure would leave int64, the days would name 2^24 periods, or a "
                   "hash loaded holds one metric name too many (logged above): flush refused");
    if (rc)
        return fail(a, rc);
    rollup_batch_clear(a->batch);
    rollup_batch_position(a->batch, KEY_POS_STAMP, a->stamp, a->stamp + 1);
    for (guint i = 0; i < a->pending->len; i++) {
        const struct pending *p = &g_array_index(a->pending, struct pending, i);
        rollup_batch_position(a->batch, p->field, p->from, p->to);
    }
    if ((rc = rollup_batch_figures(a->batch, a->r, keys, vals, n, cached_value, cached_day,
                                   cached_is_new, a->cells)))
        return fail(a, rc);
    char stale[192] = "";
    if ((rc = rollup_batch_send(a->s, KEY_POS, a->batch, stale, sizeof stale))) {
        if (rc == CCHC_ESTALE)
            stale_warning(a, stale);
        return fail(a, rc);
    }
    cells_written(a->cells); /* the month indexes are in this flush */
    g_array_set_size(a->inflight, 0);
    g_array_append_vals(a->inflight, a->pending->data, a->pending->len);
    g_array_set_size(a->pending, 0);
    a->inflight_figures = n;
    rollup_clear(a->r);
    return CCHC_OK;
}

/* Reads the reply of the flush in flight, waiting for it if need be. */
static int finish(struct apply *a)
{
    int rc = rollup_batch_result(a->s, a->batch);
    if (rc == CCHC_ESTALE)
        stale_warning(a, "a position, moved while the flush was sent");
    if (rc)
        return fail(a, rc);
    a->stamp++;
    prom_histogram_observe(&a->flush_s, (double)(mono_ns() - a->started_ns) / 1e9);
    a->st.applied_events += events_in(a->inflight, 0);
    a->st.checkpoint_events += events_in(a->inflight, 1);
    a->st.batches++;
    a->st.figures_written += a->inflight_figures;
    for (guint i = 0; i < a->inflight->len; i++) {
        const struct pending *p = &g_array_index(a->inflight, struct pending, i);
        if (a->durable && !p->ckpt)
            a->durable(a->durable_arg, p->publisher, p->epoch, p->to);
    }
    g_array_set_size(a->inflight, 0);
    cells_trim(a->cells);
    return CCHC_OK;
}

int apply_progress(struct apply *a, int wait)
{
    if (a->broken)
        return CCHC_ESTALE;
    int rc = CCHC_OK;
    if (busy(a) && (wait || store_reply_ready(a->s)))
        rc = finish(a);
    if (rc == CCHC_OK && !busy(a))
        rc = start(a);
    if (rc == CCHC_OK && wait && busy(a))
        rc = finish(a);
    return rc;
}

int apply_busy(const struct apply *a)
{
    return busy(a);
}

int apply_quiet(struct apply *a)
{
    if (a->broken)
        return CCHC_ESTALE;
    return busy(a) ? finish(a) : CCHC_OK;
}

void apply_on_durable(struct apply *a, apply_durable_fn fn, void *arg)
{
    a->durable = fn;
    a->durable_arg = arg;
}

int apply_broken(const struct apply *a)
{
    return a->broken;
}

static int publish_units(struct apply *a)
{
    size_t n = units_count(a->u);
    for (size_t i = 0; i < n; i++) {
        int p = units_parent_on(a->u, (int)i, UNIT_DAY_LAST); /* its latest */
        char key[KEY_LEN];
        key_unit(key, sizeof key, units_id(a->u, (int)i));
        store_append(a->s, "HSET %s name %s level %s kind %s parent %s", key,
                     units_name(a->u, (int)i), unit_level_name(units_level(a->u, (int)i)),
                     unit_kind_name(units_kind(a->u, (int)i)), p >= 0 ? units_id(a->u, p) : "");
        store_append(a->s, "SADD %s %s", KEY_UNITS, units_id(a->u, (int)i));
    }
    int rc = CCHC_OK;
    for (size_t i = 0; i < 2 * n; i++) {
        redisReply *r;
        int got = store_reply(a->s, &r);
        if (got)
            return got;
        if (r->type == REDIS_REPLY_ERROR)
            rc = CCHC_EREDIS;
        freeReplyObject(r);
    }
    return rc;
}

/* Every key of the layout, unlinked: the positions first, so that a wipe
 * cut short (a crash, Redis gone) leaves no position over figures it has
 * partly removed, and the next connect, finding none, wipes again. Then
 * SCAN's cursor, a thousand at a time. */
static int wipe(struct apply *a)
{
    char cursor[32] = "0";
    uint64_t n = 0;
    redisReply *p;
    int rc = store_command(a->s, &p, "UNLINK %s", KEY_POS);
    if (rc)
        return rc;
    rc = p->type == REDIS_REPLY_ERROR ? CCHC_EREDIS : CCHC_OK;
    freeReplyObject(p);
    if (rc)
        return rc;
    do {
        redisReply *r;
        rc = store_command(a->s, &r, "SCAN %s MATCH %s* COUNT 1000", cursor, KEYS_PREFIX);
        if (rc)
            return rc;
        if (r->type != REDIS_REPLY_ARRAY || r->elements != 2 ||
            r->element[0]->type != REDIS_REPLY_STRING || r->element[1]->type != REDIS_REPLY_ARRAY) {
            freeReplyObject(r);
            return CCHC_EREDIS;
        }
        snprintf(cursor, sizeof cursor, "%s", r->element[0]->str);
        const redisReply *keys = r->element[1];
        if (keys->elements) {
            const char **argv = g_new(const char *, keys->elements + 1);
            size_t *lens = g_new(size_t, keys->elements + 1);
            argv[0] = "UNLINK", lens[0] = 6;
            for (size_t i = 0; i < keys->elements; i++)
                argv[i + 1] = keys->element[i]->str, lens[i + 1] = keys->element[i]->len;
            redisReply *u = NULL;
            rc = store_appendv(a->s, (int)keys->elements + 1, argv, lens);
            if (rc == CCHC_OK && (rc = store_reply(a->s, &u)) == CCHC_OK &&
                u->type == REDIS_REPLY_ERROR)
                rc = CCHC_EREDIS;
            if (u)
                freeReplyObject(u);
            n += keys->elements;
            g_free(argv);
            g_free(lens);
        }
        freeReplyObject(r);
        if (rc)
            return rc;
    } while (strcmp(cursor, "0") != 0);
    if (n)
        cchc_info("rebuild: %llu keys of %s* unlinked", (unsigned long long)n, KEYS_PREFIX);
    return CCHC_OK;
}

int apply_check(struct apply *a)
{
    if (a->broken)
        return CCHC_ESTALE;
    redisReply *r;
    int rc = apply_quiet(a);
    if (rc == CCHC_OK)
        rc = store_command(a->s, &r, "HGET %s %s", KEY_POS, KEY_POS_STAMP);
    if (rc)
        return fail(a, rc);
    uint64_t found = r->type == REDIS_REPLY_STRING ? strtoull(r->str, NULL, 10) : 0;
    freeReplyObject(r);
    if (found == a->stamp)
        return CCHC_OK;
    stale_warning(a, "the stamp");
    return fail(a, CCHC_ESTALE);
}

int apply_rebuild(struct apply *a)
{
    int rc = apply_quiet(a);
    if (rc == CCHC_OK)
        rc = wipe(a);
    if (rc)
        return fail(a, rc);
    a->st.rebuilds++;
    a->stamp = 0; /* Redis starts over: its stamp with it */
    return apply_connect(a);
}

void apply_set_today(struct apply *a, int64_t today)
{
    a->today = today;
    rollup_set_today(a->r, today);
    int64_t change = units_change_day(a->u, today);
    char day[CCHC_DAY_LEN] = "-";
    if (change != UNIT_DAY_FIRST)
        cchc_day_format(change, day);
    snprintf(a->view, sizeof a->view, "%s %s", units_digest(a->u), day);
}

int apply_view_stale(const struct apply *a)
{
    return a->view_stale;
}

/* The view a Redis without positions is built under, and the day. */
static int write_view(struct apply *a)
{
    char day[CCHC_DAY_LEN];
    cchc_day_format(a->today, day);
    redisReply *r;
    int rc = store_command(a->s, &r, "HSET %s %s %s %s %s", KEY_VIEW, KEY_VIEW_VIEW, a->view,
                           KEY_VIEW_TODAY, day);
    if (rc == CCHC_OK) {
        rc = r->type == REDIS_REPLY_ERROR ? CCHC_EREDIS : CCHC_OK;
        freeReplyObject(r);
    }
    return rc;
}

int apply_connect(struct apply *a)
{
    /* The stamp, whether Redis holds anything at all, and its view, in one round trip. */
    store_append(a->s, "HGET %s %s", KEY_POS, KEY_POS_STAMP);
    store_append(a->s, "EXISTS %s", KEY_POS);
    store_append(a->s, "HGET %s %s", KEY_VIEW, KEY_VIEW_VIEW);
    redisReply *stamp = NULL, *exists = NULL, *view = NULL;
    int rc;
    if ((rc = store_reply(a->s, &stamp)) == CCHC_OK &&
        (rc = store_reply(a->s, &exists)) == CCHC_OK &&
        (rc = store_reply(a->s, &view)) == CCHC_OK && exists->type != REDIS_REPLY_INTEGER)
        rc = CCHC_EREDIS;
    /* Without positions, whatever figures are there were made by no
     * position anyone knows: the replay from the start lands on nothing. */
    if (rc == CCHC_OK && exists->integer == 0 && (rc = wipe(a)) == CCHC_OK)
        rc = write_view(a);
    if (rc == CCHC_OK) {
        a->view_stale = exists->integer != 0 &&
                        (view->type != REDIS_REPLY_STRING || strcmp(view->str, a->view) != 0);
        if (a->view_stale)
            cchc_info("Redis was built under another registry or other units of today (view "
                      "\"%s\", now \"%s\"): its history is re-attributed by a rebuild",
                      view->type == REDIS_REPLY_STRING ? view->str : "none", a->view);
    }
    if (rc == CCHC_OK)
        rc = publish_units(a);
    if (rc == CCHC_OK) {
        drop_held(a);
        uint64_t found = stamp->type == REDIS_REPLY_STRING ? strtoull(stamp->str, NULL, 10) : 0;
        /* Every flush this aggregator saw succeed moved the stamp one on, and
         * nothing else moves it back: Redis lost figures it had confirmed. */
        if (found < a->stamp) {
            cchc_error("Redis lost state: it holds stamp %llu, but this aggregator had written up "
                       "to %llu (FLUSHALL, a restart without persistence, an older backup?): "
                       "figures start over from what Redis holds (see ops/README.md, lost Redis "
                       "state)",
                       (unsigned long long)found, (unsigned long long)a->stamp);
            a->st.redis_lost++;
            a->st.lost_wrote_stamp = a->stamp;
            a->st.lost_found_stamp = found;
        }
        a->stamp = found;
        cells_reset(a->cells, exists->integer == 0);
        a->broken = 0;
    }
    if (stamp)
        freeReplyObject(stamp);
    if (exists)
        freeReplyObject(exists);
    if (view)
        freeReplyObject(view);
    return rc;
}

struct apply *apply_open(struct store *s, const struct units *u, const struct apply_config *cfg)
{
    struct apply *a = g_new0(struct apply, 1);
    a->s = s;
    a->u = u;
    a->cfg = *cfg;
    a->broken = 1; /* until apply_connect */
    a->pending = g_array_new(FALSE, FALSE, sizeof(struct pending));
    a->inflight = g_array_new(FALSE, FALSE, sizeof(struct pending));
    a->decoded = g_array_new(FALSE, FALSE, sizeof(struct proto_event));
    a->where = g_array_new(FALSE, FALSE, sizeof(struct where));
    a->reported = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    a->r = rollup_new(u);
    a->batch = rollup_batch_new();
    a->cells = cells_new(a->r, cfg->max_figures);
    prom_histogram_init(&a->flush_s, prom_latency_bounds, prom_latency_n);
    apply_set_today(a, cchc_day_of_ms((int64_t)time(NULL) * 1000));
    return a;
}

void apply_close(struct apply *a)
{
    if (!a)
        return;
    rollup_free(a->r);
    rollup_batch_free(a->batch);
    cells_free(a->cells);
    g_array_free(a->pending, TRUE);
    g_array_free(a->inflight, TRUE);
    g_array_free(a->decoded, TRUE);
    g_array_free(a->where, TRUE);
    g_hash_table_destroy(a->reported);
    g_free(a);
}

void apply_get_stats(const struct apply *a, struct apply_stats *st)
{
    *st = a->st;
}

const struct prom_histogram *apply_flush_histogram(const struct apply *a)
{
    return &a->flush_s;
}
