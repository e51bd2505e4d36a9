/* cchc-dossier: dossiers received and resolved at the one-stop shops.
 *
 * Its own part: a dossier's due date decides early / on time / late when it
 * is resolved, so the service remembers every dossier it has seen (on
 * disk, in its state: ingest/state.h); a
 * resolution that arrives before its dossier is journaled as held
 * ("dossier.held", no figures) and turned into "dossier.resolved" when the
 * dossier comes. Figures count at the unit that received the dossier. */
#include "base/err.h"
#include "base/metric.h"
#include "base/period.h"
#include "ingest/dvcqg.h"
#include "ingest/ingest.h"
#include "ingest/ingest_level.h"
#include "ingest/sources.h"
#include "ingest/state.h"
#include "service.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DOSSIER_ID_MAX 128
#define CODE_MAX 64

static const char *const channels[] = {"direct", "online", "postal", NULL};
static const char *const feedback_status[] = {"received", "resolved", NULL};
static const char *const tiers[] = {"province", "district", "commune", NULL};
static const char *const inter_agency[] = {"none", "same_level", "cross_level", NULL};

/* A dossier as the handlers see it, read from and written back to the
 * state on disk (STATE_SERVICE, ingest/state.h) under its key. */
struct dossier {
    int received; /* it came: unit, received_ms, due_ms, channel hold */
    int unit;     /* where it was received; -1 while only a held resolution is known */
    int64_t received_ms, due_ms;
    const char *channel; /* one of channels[] */
    int resolved;
    /* What its state records (on_state) counted besides: each once. */
    int not_accepted, withdrawn, stopped, supplement, financial;
    /* A resolution that came first, kept until the dossier arrives. */
    int held;
    char held_id[INGEST_ID_MAX + 1];
    int64_t held_ms;
    const char *held_return; /* one of channels[] */
};

/* Dossier ids are namespaced per source, like record ids (ingest/lines.h):
 * the key is "SOURCE/DOSSIER", and "/DOSSIER" for a dossier journaled
 * without a source, which every source finds (after its own). A resolution
 * from one source never reaches another source's dossier. The service keeps
 * nothing in memory: its dossiers are in the state on disk, packed as
 * received_ms, due_ms, held_ms (8 bytes each), flags (FL_*), the channel's
 * and the held return channel's index in channels[], the lengths of the
 * unit's id and the held resolution's id (1 byte each), then both. The unit
 * is kept by its id, not its index, which an edited registry may move. No
 * timer acts on a due date: it only tells early, on time or late when the
 * resolution comes, so nothing needs the dossiers in due-date order. */
enum {
    FL_RECEIVED = 1,
    FL_RESOLVED = 2,
    FL_HELD = 4,
    FL_NOT_ACCEPTED = 8,
    FL_WITHDRAWN = 16,
    FL_STOPPED = 32,
    FL_SUPPLEMENT = 64,
    FL_FINANCIAL = 128,
};
#define PACK_HEAD 29

static const char *intern_channel(const char *s, size_t n)
{
    for (const char *const *c = channels; *c; c++)
        if (strlen(*c) == n && memcmp(*c, s, n) == 0)
            return *c;
    return NULL;
}

static uint8_t channel_index(const char *c)
{
    for (uint8_t i = 0; channels[i]; i++)
        if (channels[i] == c)
            return i;
    return 0xff;
}

static const char *channel_at(uint8_t i)
{
    return i < G_N_ELEMENTS(channels) - 1 ? channels[i] : NULL;
}

#define KEY_MAX (SOURCE_NAME_MAX + DOSSIER_ID_MAX + 2)

/* The dossier under key, into d: 1, or 0 (d then empty) when there is none. */
static int dossier_get(struct state_db *db, const struct units *units, const char *key, size_t kn,
                       struct dossier *d)
{
    const uint8_t *v;
    size_t vn;
    *d = (struct dossier){.unit = -1};
    if (!state_get(db, STATE_SERVICE, key, kn, (const void **)&v, &vn) || vn < PACK_HEAD ||
        vn != (size_t)PACK_HEAD + v[27] + v[28])
        return 0;
    memcpy(&d->received_ms, v, 8);
    memcpy(&d->due_ms, v + 8, 8);
    memcpy(&d->held_ms, v + 16, 8);
    d->received = !!(v[24] & FL_RECEIVED);
    d->resolved = !!(v[24] & FL_RESOLVED);
    d->held = !!(v[24] & FL_HELD);
    d->not_accepted = !!(v[24] & FL_NOT_ACCEPTED);
    d->withdrawn = !!(v[24] & FL_WITHDRAWN);
    d->stopped = !!(v[24] & FL_STOPPED);
    d->supplement = !!(v[24] & FL_SUPPLEMENT);
    d->financial = !!(v[24] & FL_FINANCIAL);
    d->channel = channel_at(v[25]);
    d->held_return = channel_at(v[26]);
    if (d->received) /* -1 if the registry lost the unit: see on_resolved */
        d->unit = units_find(units, (const char *)v + PACK_HEAD, v[27]);
    memcpy(d->held_id, v + PACK_HEAD + v[27], v[28]);
    d->held_id[v[28]] = 0;
    return 1;
}

static void dossier_put(struct state_db *db, const struct units *units, const char *key, size_t kn,
                        const struct dossier *d)
{
    uint8_t v[PACK_HEAD + UNIT_ID_MAX + INGEST_ID_MAX];
    const char *unit = d->received && d->unit >= 0 ? units_id(units, d->unit) : "";
    size_t un = strlen(unit), hn = d->held ? strlen(d->held_id) : 0;
    un = un > UNIT_ID_MAX ? 0 : un;
    hn = hn > INGEST_ID_MAX ? 0 : hn;
    memcpy(v, &d->received_ms, 8);
    memcpy(v + 8, &d->due_ms, 8);
    memcpy(v + 16, &d->held_ms, 8);
    v[24] = (uint8_t)((d->received ? FL_RECEIVED : 0) | (d->resolved ? FL_RESOLVED : 0) |
                      (d->held ? FL_HELD : 0) | (d->not_accepted ? FL_NOT_ACCEPTED : 0) |
                      (d->withdrawn ? FL_WITHDRAWN : 0) | (d->stopped ? FL_STOPPED : 0) |
                      (d->supplement ? FL_SUPPLEMENT : 0) | (d->financial ? FL_FINANCIAL : 0));
    v[25] = d->received ? channel_index(d->channel) : 0xff;
    v[26] = d->held ? channel_index(d->held_return) : 0xff;
    v[27] = (uint8_t)un, v[28] = (uint8_t)hn;
    memcpy(v + PACK_HEAD, unit, un);
    memcpy(v + PACK_HEAD + un, d->held_id, hn);
    state_put(db, STATE_SERVICE, key, kn, v, PACK_HEAD + un + hn);
}

/* A source's dossier id; or, when it has none, a dossier journaled before
 * sources (everyone's), but only one received at `unit`, the unit of the
 * record asking: a source may speak for that unit (its scope was checked),
 * and for no other dossier's. 1 with d and the key it is under (key, *kn);
 * 0 with d empty and the source's own key, to create it under. */
static int lookup(struct state_db *db, const struct units *units, struct proto_str src,
                  const char *id, size_t n, int unit, struct dossier *d, char key[KEY_MAX],
                  size_t *kn)
{
    char legacy[KEY_MAX];
    int own = snprintf(key, KEY_MAX, "%.*s/%.*s", (int)src.len, src.p ? src.p : "", (int)n, id);
    if (dossier_get(db, units, key, (size_t)own, d)) {
        *kn = (size_t)own;
        return 1;
    }
    if (src.len && unit >= 0) {
        int ln = snprintf(legacy, sizeof legacy, "/%.*s", (int)n, id);
        if (dossier_get(db, units, legacy, (size_t)ln, d) && d->received && d->unit == unit) {
            memcpy(key, legacy, (size_t)ln + 1);
            *kn = (size_t)ln;
            return 1;
        }
    }
    *d = (struct dossier){.unit = -1};
    *kn = (size_t)own;
    return 0;
}

/* Early: on a day before the due day; late: after the due instant. */
static const char *outcome(int64_t resolved_ms, int64_t due_ms)
{
    if (resolved_ms > due_ms)
        return "late";
    return cchc_day_of_ms(resolved_ms) < cchc_day_of_ms(due_ms) ? "early" : "on_time";
}

static void metric(struct proto_event *ev, const char *name, int64_t v)
{
    ev->m[ev->nm++] = (struct proto_metric){proto_cstr(name), v};
}

/* At the unit acting on the day it was resolved (units_acting_on): a
 * dossier received before a merge and resolved after it is resolved by the
 * merged unit, as recorded, and counts once under today's units. */
static int emit_resolved(struct ingest_out *out, const struct units *units, const char *dossier,
                         const struct dossier *d, const char *rec_id, int64_t at_ms,
                         const char *ret, struct proto_str src, struct proto_str digest)
{
    struct proto_event ev = {
        .src = src,
        .digest = digest,
        .type = proto_cstr("dossier.resolved"),
        .id = proto_cstr(rec_id),
        .unit = proto_cstr(units_id(units, units_acting_on(units, d->unit, cchc_day_of_ms(at_ms)))),
        .at_ms = at_ms,
        .dossier = proto_cstr(dossier),
        .cat = proto_cstr(d->channel),
        .cat2 = proto_cstr(ret),
        .outcome = proto_cstr(outcome(at_ms, d->due_ms)),
        .due_ms = d->due_ms,
        .rat_ms = d->received_ms,
        .has = PROTO_HAS_DUE | PROTO_HAS_RAT,
    };
    char m[2][48];
    snprintf(m[0], sizeof m[0], "resolved_%s", ev.outcome.p);
    snprintf(m[1], sizeof m[1], "returned_%s", ret);
    metric(&ev, "resolved", 1);
    metric(&ev, m[0], 1);
    metric(&ev, m[1], 1);
    return ingest_emit(out, &ev);
}

/* ev becomes the event of a dossier received: its fields and metrics,
 * whose names are written to m (which must live until ev is emitted). */
static int received_event(struct proto_event *ev, char m[3][96], const char *dkey,
                          const char *procedure, size_t plen, const char *field,
                          const char *channel, int64_t due, char *why, size_t cap)
{
    ev->dossier = proto_cstr(dkey);
    ev->procedure = (struct proto_str){procedure, (uint32_t)plen};
    ev->field = proto_cstr(field);
    ev->cat = proto_cstr(channel);
    ev->due_ms = due;
    ev->has = PROTO_HAS_DUE;
    snprintf(m[0], 96, "received_%s", channel);
    if (metric_proc(m[1], 96, procedure, plen, "received") ||
        metric_proc(m[2], 96, procedure, plen, "received_online")) {
        snprintf(why, cap, "field \"procedure\": too long for a metric name");
        return CCHC_EINVAL;
    }
    metric(ev, "received", 1);
    metric(ev, m[0], 1);
    metric(ev, m[1], 1);
    if (strcmp(channel, "online") == 0)
        metric(ev, m[2], 1);
    return CCHC_OK;
}

static int on_received(void *state, const struct ingest_type *t, const struct ingest_record *r,
                       struct proto_event *ev, struct ingest_out *out, char *why, size_t cap)
{
    const struct units *units = r->units;
    const char *dossier, *procedure, *field, *channel;
    size_t dlen, plen;
    int64_t due;
    if (ingest_str(r->obj, "dossier", DOSSIER_ID_MAX, &dossier, &dlen, why, cap) ||
        ingest_procedure(r->obj, "procedure", &procedure, &plen, why, cap) ||
        ingest_str(r->obj, "field", CODE_MAX, &field, NULL, why, cap) ||
        ingest_enum(r->obj, "channel", channels, &channel, why, cap) ||
        ingest_time(r->obj, "due", &due, why, cap))
        return CCHC_EINVAL;
    if (due < r->at_ms) {
        snprintf(why, cap, "field \"due\": before \"at\", the time the dossier was received");
        return CCHC_EINVAL;
    }
    struct dossier d;
    char key[KEY_MAX];
    size_t kn;
    int found = lookup(r->db, units, ev->src, dossier, dlen, r->unit, &d, key, &kn);
    if (found && d.received) {
        snprintf(why, cap, "field \"dossier\": dossier \"%.*s\" was already received", (int)dlen,
                 dossier);
        return CCHC_EINVAL;
    }
    if (d.held && d.held_ms < r->at_ms) {
        snprintf(why, cap,
                 "field \"at\": after the resolution already recorded for dossier \"%.*s\"",
                 (int)dlen, dossier);
        return CCHC_EINVAL;
    }
    char dkey[DOSSIER_ID_MAX + 1];
    snprintf(dkey, sizeof dkey, "%.*s", (int)dlen, dossier);
    char m[3][96];
    if (received_event(ev, m, dkey, procedure, plen, field, channel, due, why, cap))
        return CCHC_EINVAL;
    if (d.held) { /* the held resolution's names count before any state changes */
        char rn[2][48];
        snprintf(rn[0], sizeof rn[0], "resolved_%s", outcome(d.held_ms, due));
        snprintf(rn[1], sizeof rn[1], "returned_%s", d.held_return);
        const char *names[] = {"resolved", rn[0], rn[1]};
        int rc = ingest_reserve_names(out, names, 3);
        if (rc)
            return rc;
    }
    int rc = ingest_emit(out, ev);
    if (rc)
        return rc;
    /* Written back only once all is emitted: a refused resolution takes
     * nothing of the record. */
    d.received = 1;
    d.unit = r->unit;
    d.received_ms = r->at_ms;
    d.due_ms = due;
    d.channel = channel;
    if (d.held) {
        rc = emit_resolved(out, units, dkey, &d, d.held_id, d.held_ms, d.held_return, ev->src,
                           (struct proto_str){0});
        if (rc)
            return rc;
        d.held = 0;
        d.resolved = 1;
        d.held_id[0] = 0;
    }
    dossier_put(r->db, units, key, kn, &d);
    return rc;
}

static int on_resolved(void *state, const struct ingest_type *t, const struct ingest_record *r,
                       struct proto_event *ev, struct ingest_out *out, char *why, size_t cap)
{
    const struct units *units = r->units;
    const char *dossier, *ret;
    size_t dlen;
    if (ingest_str(r->obj, "dossier", DOSSIER_ID_MAX, &dossier, &dlen, why, cap) ||
        ingest_enum(r->obj, "return_channel", channels, &ret, why, cap))
        return CCHC_EINVAL;
    struct dossier d;
    char key[KEY_MAX];
    size_t kn;
    int found = lookup(r->db, units, ev->src, dossier, dlen, r->unit, &d, key, &kn);
    if (found && (d.resolved || d.held)) {
        snprintf(why, cap, "field \"dossier\": dossier \"%.*s\" was already resolved", (int)dlen,
                 dossier);
        return CCHC_EINVAL;
    }
    if (found && d.received && d.unit < 0) {
        snprintf(why, cap,
                 "field \"dossier\": dossier \"%.*s\" was received at a unit no longer in the "
                 "registry",
                 (int)dlen, dossier);
        return CCHC_EINVAL;
    }
    if (found && r->at_ms < d.received_ms) {
        snprintf(why, cap, "field \"at\": before dossier \"%.*s\" was received", (int)dlen,
                 dossier);
        return CCHC_EINVAL;
    }
    char dkey[DOSSIER_ID_MAX + 1];
    snprintf(dkey, sizeof dkey, "%.*s", (int)dlen, dossier);
    if (found) {
        int rc = emit_resolved(out, units, dkey, &d, ev->id.p, r->at_ms, ret, ev->src, ev->digest);
        if (rc == CCHC_OK) {
            d.resolved = 1;
            dossier_put(r->db, units, key, kn, &d);
        }
        return rc;
    }
    ev->type = proto_cstr("dossier.held");
    ev->dossier = proto_cstr(dkey);
    ev->cat2 = proto_cstr(ret);
    int rc = ingest_emit(out, ev);
    if (rc)
        return rc;
    d.held = 1;
    snprintf(d.held_id, sizeof d.held_id, "%s", ev->id.p);
    d.held_ms = r->at_ms;
    d.held_return = ret;
    dossier_put(r->db, units, key, kn, &d);
    return CCHC_OK;
}

/* A dossier's state as the national portal knows it (ingest/dvcqg.h),
 * with its numbers. */
enum {
    ST_REGISTERED = 1,
    ST_ACCEPTED,
    ST_NOT_ACCEPTED,
    ST_IN_PROCESS,
    ST_SUPPLEMENT,
    ST_FINANCIAL,
    ST_WITHDRAWN,
    ST_STOPPED,
    ST_DONE,
    ST_RETURNED,
};
static const char *const status_names[] = {
    NULL,
    "registered",
    "accepted",
    "not accepted",
    "in process",
    "supplement requested",
    "waiting for financial obligations",
    "withdrawn",
    "processing stopped",
    "done",
    "result returned",
};
static const char *const returns[] = {"direct", "postal", NULL};

/* What ended a dossier, if anything: a name for messages, or NULL. */
static const char *ended_as(const struct dossier *d)
{
    return d->resolved ? "resolved" : d->withdrawn ? "withdrawn" : d->stopped ? "stopped" : NULL;
}

/* One more event of a state record, beside its first: a copy of ev's
 * source, id and digest, of type "dossier.KIND" with one metric KIND. */
static int emit_fact(struct ingest_out *out, const struct proto_event *ev, const char *kind,
                     const char *unit, int64_t at_ms, const char *dkey, const char *channel)
{
    char type[48];
    snprintf(type, sizeof type, "dossier.%s", kind);
    struct proto_event f = {
        .src = ev->src,
        .digest = ev->digest,
        .type = proto_cstr(type),
        .id = ev->id,
        .unit = proto_cstr(unit),
        .at_ms = at_ms,
        .dossier = proto_cstr(dkey),
        .cat = proto_cstr(channel),
    };
    metric(&f, kind, 1);
    return ingest_emit(out, &f);
}

/* A dossier's whole current state (services/README.md, "DVCQG
 * records"): each fact it shows for the first time becomes an event, each
 * once, whatever the order the states come in; a state that shows nothing
 * new is journaled as "dossier.state", without figures. */
static int on_state(void *state, const struct ingest_type *t, const struct ingest_record *r,
                    struct proto_event *ev, struct ingest_out *out, char *why, size_t cap)
{
    const struct units *units = r->units;
    const char *dossier, *procedure, *field, *channel, *ret = "direct";
    size_t dlen, plen;
    int64_t status, received = 0, due = 0, ended = 0, returned = 0;
    int has_received, has_due, has_ended, has_returned;
    if (ingest_str(r->obj, "dossier", DOSSIER_ID_MAX, &dossier, &dlen, why, cap) ||
        ingest_procedure(r->obj, "procedure", &procedure, &plen, why, cap) ||
        ingest_str(r->obj, "field", CODE_MAX, &field, NULL, why, cap) ||
        ingest_enum(r->obj, "channel", channels, &channel, why, cap) ||
        ingest_int(r->obj, "status", ST_REGISTERED, ST_RETURNED, &status, why, cap) ||
        ingest_opt_time(r->obj, "received", &received, &has_received, why, cap) ||
        ingest_opt_time(r->obj, "due", &due, &has_due, why, cap) ||
        ingest_opt_time(r->obj, "ended", &ended, &has_ended, why, cap) ||
        ingest_opt_time(r->obj, "returned", &returned, &has_returned, why, cap) ||
        (json_object_get(r->obj, "return_channel") &&
         ingest_enum(r->obj, "return_channel", returns, &ret, why, cap)))
        return CCHC_EINVAL;
    const char *sn = status_names[status];
    int accepted = status != ST_REGISTERED && status != ST_NOT_ACCEPTED;
    int ends = status >= ST_WITHDRAWN;
    if (accepted && !has_received) {
        snprintf(why, cap,
                 "field \"received\": missing: status %d (%s) needs the time the "
                 "dossier was accepted",
                 (int)status, sn);
        return CCHC_EINVAL;
    }
    if (accepted && !has_due) {
        snprintf(why, cap, "field \"due\": missing: status %d (%s) needs the due date", (int)status,
                 sn);
        return CCHC_EINVAL;
    }
    if (ends && !has_ended) {
        snprintf(why, cap,
                 "field \"ended\": missing: status %d (%s) needs the time "
                 "processing ended",
                 (int)status, sn);
        return CCHC_EINVAL;
    }
    if (has_received && has_due && due < received) {
        snprintf(why, cap, "field \"due\": before the time the dossier was received");
        return CCHC_EINVAL;
    }
    if (has_received && has_ended && ended < received) {
        snprintf(why, cap, "field \"ended\": before the time the dossier was received");
        return CCHC_EINVAL;
    }
    if (has_ended && has_returned && returned < ended) {
        snprintf(why, cap, "field \"returned\": before the time processing ended");
        return CCHC_EINVAL;
    }
    struct dossier d;
    char key[KEY_MAX], dkey[DOSSIER_ID_MAX + 1];
    size_t kn;
    lookup(r->db, units, ev->src, dossier, dlen, r->unit, &d, key, &kn);
    snprintf(dkey, sizeof dkey, "%.*s", (int)dlen, dossier);
    /* States no dossier passes through both of: the first stands. */
    if (d.held) {
        snprintf(why, cap,
                 "field \"dossier\": dossier \"%s\" has a resolution record waiting "
                 "for its received record: send one or the other, not both",
                 dkey);
        return CCHC_EINVAL;
    }
    if (status == ST_NOT_ACCEPTED && d.received) {
        snprintf(why, cap, "field \"status\": 3 (not accepted), but dossier \"%s\" was accepted",
                 dkey);
        return CCHC_EINVAL;
    }
    if (accepted && d.not_accepted) {
        snprintf(why, cap, "field \"status\": %d (%s), but dossier \"%s\" was not accepted",
                 (int)status, sn, dkey);
        return CCHC_EINVAL;
    }
    const char *as = ended_as(&d);
    int resolves = status == ST_DONE || status == ST_RETURNED;
    if (ends && as && !(resolves ? d.resolved : status == ST_WITHDRAWN ? d.withdrawn : d.stopped)) {
        snprintf(why, cap, "field \"status\": %d (%s), but dossier \"%s\" ended already, %s",
                 (int)status, sn, dkey, as);
        return CCHC_EINVAL;
    }
    if (d.received && d.unit < 0) {
        snprintf(why, cap,
                 "field \"dossier\": dossier \"%s\" was received at a unit no longer "
                 "in the registry",
                 dkey);
        return CCHC_EINVAL;
    }
    /* The facts, in the order they happened; the first goes in ev. */
    int n = 0;
    char m[3][96];
    if (accepted && !d.received) {
        if (!units_valid_on(units, r->unit, cchc_day_of_ms(received))) {
            char on[CCHC_DAY_LEN];
            cchc_day_format(cchc_day_of_ms(received), on);
            snprintf(why, cap,
                     "field \"received\": dossier \"%s\" was received on %s, when \"%s\" was "
                     "not valid: send the state it had then, under the unit that received it",
                     dkey, on, units_id(units, r->unit));
            return CCHC_EINVAL;
        }
        ev->type = proto_cstr("dossier.received");
        ev->at_ms = received;
        if (received_event(ev, m, dkey, procedure, plen, field, channel, due, why, cap))
            return CCHC_EINVAL;
        int rc = ingest_emit(out, ev);
        if (rc)
            return rc;
        n++;
        d.received = 1;
        d.unit = r->unit;
        d.received_ms = received;
        d.due_ms = due;
        d.channel = channel;
    }
    const char *at_unit = units_id(units, d.received ? d.unit : r->unit);
    struct {
        int now, *seen;
        const char *kind, *unit;
        int64_t at_ms;
    } facts[] = {
        /* No time is sent for a request: it counts where and when the dossier was received. */
        {status == ST_SUPPLEMENT, &d.supplement, "supplement_requested", at_unit, d.received_ms},
        {status == ST_FINANCIAL, &d.financial, "financial_obligation", at_unit, d.received_ms},
        {status == ST_NOT_ACCEPTED, &d.not_accepted, "not_accepted", at_unit,
         has_ended      ? ended
         : has_received ? received
                        : r->at_ms},
        {status == ST_WITHDRAWN, &d.withdrawn, "withdrawn", NULL, ended},
        {status == ST_STOPPED, &d.stopped, "stopped", NULL, ended},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(facts); i++) {
        if (!facts[i].now || *facts[i].seen)
            continue;
        const char *unit =
            facts[i].unit ? facts[i].unit
                          : units_id(units, units_acting_on(units, d.unit, cchc_day_of_ms(ended)));
        int rc = emit_fact(out, ev, facts[i].kind, unit, facts[i].at_ms, dkey, channel);
        if (rc)
            return rc;
        *facts[i].seen = 1;
        n++;
    }
    if (resolves && !d.resolved) {
        d.due_ms = due; /* the due date in force when it was resolved */
        int rc = emit_resolved(out, units, dkey, &d, ev->id.p, ended, ret, ev->src, ev->digest);
        if (rc)
            return rc;
        d.resolved = 1;
        n++;
    }
    if (n == 0) {
        ev->dossier = proto_cstr(dkey);
        int rc = ingest_emit(out, ev);
        if (rc)
            return rc;
    }
    dossier_put(r->db, units, key, kn, &d);
    return CCHC_OK;
}

/* The catalogue of procedures in force: a level per procedure and tier. */
static int on_procedure(void *state, const struct ingest_type *t, const struct ingest_record *r,
                        struct proto_event *ev, struct ingest_out *out, char *why, size_t cap)
{
    const char *proc, *field, *tier, *inter;
    size_t plen;
    int simplified, fee, payment, withdrawn;
    if (ingest_procedure(r->obj, "procedure", &proc, &plen, why, cap) ||
        ingest_str(r->obj, "field", CODE_MAX, &field, NULL, why, cap) ||
        ingest_enum(r->obj, "tier", tiers, &tier, why, cap) ||
        ingest_bool(r->obj, "simplified", &simplified, why, cap) ||
        ingest_enum(r->obj, "inter_agency", inter_agency, &inter, why, cap) ||
        ingest_bool(r->obj, "fee", &fee, why, cap) ||
        ingest_bool(r->obj, "online_payment", &payment, why, cap) ||
        ingest_opt_bool(r->obj, "withdrawn", 0, &withdrawn, why, cap))
        return CCHC_EINVAL;
    char count[48], key[64];
    snprintf(count, sizeof count, "procedures.%s", tier);
    const char *names[] = {count,
                           "procedures_simplified",
                           "procedures_inter_same",
                           "procedures_inter_cross",
                           "procedures_fee",
                           "procedures_online_payment"};
    int in = !withdrawn;
    int64_t v[] = {in,
                   in && simplified,
                   in && strcmp(inter, "same_level") == 0,
                   in && strcmp(inter, "cross_level") == 0,
                   in && fee,
                   in && payment};
    snprintf(key, sizeof key, "%.*s|%s", (int)plen, proc, tier);
    ev->key = proto_cstr(key);
    ev->procedure = (struct proto_str){proc, (uint32_t)plen};
    ev->field = proto_cstr(field);
    ev->cat = proto_cstr(tier);
    return ingest_emit_level(out, r->levels, ev, names, v, 6);
}

static int on_feedback(void *state, const struct ingest_type *t, const struct ingest_record *r,
                       struct proto_event *ev, struct ingest_out *out, char *why, size_t cap)
{
    const char *status;
    if (ingest_enum(r->obj, "status", feedback_status, &status, why, cap))
        return CCHC_EINVAL;
    char m[32];
    snprintf(m, sizeof m, "feedback_%s", status);
    ev->cat = proto_cstr(status);
    metric(ev, m, 1);
    return ingest_emit(out, ev);
}

static int on_survey(void *state, const struct ingest_type *t, const struct ingest_record *r,
                     struct proto_event *ev, struct ingest_out *out, char *why, size_t cap)
{
    int satisfied;
    if (ingest_bool(r->obj, "satisfied", &satisfied, why, cap))
        return CCHC_EINVAL;
    ev->b = satisfied;
    ev->has = PROTO_HAS_B;
    metric(ev, "survey", 1);
    if (satisfied)
        metric(ev, "survey_satisfied", 1);
    return ingest_emit(out, ev);
}

/* The record types, each with its handler. A record's events are
 * "dossier.<type>", but for a resolution that comes before its dossier:
 * "dossier.held" until the dossier comes. */
static const struct ingest_type types[] = {
    {"received", on_received, NULL},
    {"resolved", on_resolved, NULL},
    {"feedback", on_feedback, NULL},
    {"survey", on_survey, NULL},
    {"procedure", on_procedure, NULL},
    {DVCQG_TYPE, on_state, NULL},
    {0},
};

static int is(const struct proto_str *s, const char *lit)
{
    return s->len == strlen(lit) && memcmp(s->p, lit, s->len) == 0;
}

/* Brings the dossiers up to date with the journal, in journal order. */
static int on_replay(void *state, const struct units *units, struct state_db *db,
                     const struct proto_event *ev)
{
    if (!ev->dossier.p)
        return CCHC_OK;
    int unit = units_find(units, ev->unit.p, ev->unit.len);
    struct dossier d;
    char key[KEY_MAX];
    size_t kn;
    lookup(db, units, ev->src, ev->dossier.p, ev->dossier.len, unit, &d, key, &kn);
    if (is(&ev->type, "dossier.received")) {
        if (unit < 0)
            return CCHC_ENOTFOUND; /* the registry lost a unit the journal uses */
        d.received = 1;
        d.unit = unit;
        d.received_ms = ev->at_ms;
        d.due_ms = ev->due_ms;
        d.channel = intern_channel(ev->cat.p, ev->cat.len);
    } else if (is(&ev->type, "dossier.held")) {
        d.held = 1;
        snprintf(d.held_id, sizeof d.held_id, "%.*s", (int)ev->id.len, ev->id.p);
        d.held_ms = ev->at_ms;
        d.held_return = intern_channel(ev->cat2.p, ev->cat2.len);
    } else if (is(&ev->type, "dossier.resolved")) {
        d.resolved = 1;
        d.held = 0;
        d.held_id[0] = 0;
    } else if (is(&ev->type, "dossier.not_accepted")) {
        d.not_accepted = 1;
    } else if (is(&ev->type, "dossier.withdrawn")) {
        d.withdrawn = 1;
    } else if (is(&ev->type, "dossier.stopped")) {
        d.stopped = 1;
    } else if (is(&ev->type, "dossier.supplement_requested")) {
        d.supplement = 1;
    } else if (is(&ev->type, "dossier.financial_obligation")) {
        d.financial = 1;
    } else {
        return CCHC_OK;
    }
    dossier_put(db, units, key, kn, &d);
    return CCHC_OK;
}

struct ingest_service *cchc_service_new(void)
{
    struct ingest_service *svc = g_new0(struct ingest_service, 1);
    *svc = (struct ingest_service){
        .name = "dossier",
        .default_port = 8081,
        .types = types,
        .state = NULL,
        .replay = on_replay,
        .dvcqg = 1,
    };
    return svc;
}

void cchc_service_free(struct ingest_service *svc)
{
    g_free(svc);
}
