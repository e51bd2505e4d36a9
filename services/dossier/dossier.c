/* cchc-dossier: dossiers received and resolved at the one-stop shops.
 *
 * Its own part: a dossier's due date decides early / on time / late when it
 * is resolved, so the service remembers every dossier it has seen; a
 * resolution that arrives before its dossier is journaled as held
 * ("dossier.held", no figures) and turned into "dossier.resolved" when the
 * dossier comes. Figures count at the unit that received the dossier. */
#include "base/err.h"
#include "base/metric.h"
#include "base/period.h"
#include "ingest/ingest.h"
#include "ingest/ingest_level.h"
#include "ingest/sources.h"
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

struct dossier {
    int unit; /* where it was received; -1 while only a held resolution is known */
    int64_t received_ms, due_ms;
    const char *channel; /* one of channels[] */
    int resolved;
    /* A resolution that came first, kept until the dossier arrives. */
    int held;
    char *held_id;
    int64_t held_ms;
    const char *held_return; /* one of channels[] */
};

/* Dossier ids are namespaced per source, like record ids (ingest/lines.h):
 * the key is "SOURCE/DOSSIER", and "/DOSSIER" for a dossier journaled
 * without a source, which every source finds (after its own). A resolution
 * from one source never reaches another source's dossier. */
struct state {
    GHashTable *dossiers; /* "SOURCE/DOSSIER" (owned) -> struct dossier (owned) */
    uint64_t legacy;      /* dossiers journaled without a source */
};

static void dossier_free(gpointer p)
{
    struct dossier *d = p;
    g_free(d->held_id);
    g_free(d);
}

static const char *intern_channel(const char *s, size_t n)
{
    for (const char *const *c = channels; *c; c++)
        if (strlen(*c) == n && memcmp(*c, s, n) == 0)
            return *c;
    return NULL;
}

#define KEY_MAX (SOURCE_NAME_MAX + DOSSIER_ID_MAX + 2)

/* A source's dossier id; or, not to create one, a dossier journaled before
 * sources (everyone's), but only one received at `unit`, the unit of the
 * record asking: a source may speak for that unit (its scope was checked),
 * and for no other dossier's. */
static struct dossier *lookup(struct state *st, struct proto_str src, const char *id, size_t n,
                              int create, int unit)
{
    char key[KEY_MAX];
    snprintf(key, sizeof key, "%.*s/%.*s", (int)src.len, src.p ? src.p : "", (int)n, id);
    struct dossier *d = g_hash_table_lookup(st->dossiers, key);
    if (!d && !create && st->legacy && src.len && unit >= 0) {
        char legacy[KEY_MAX];
        snprintf(legacy, sizeof legacy, "/%.*s", (int)n, id);
        d = g_hash_table_lookup(st->dossiers, legacy);
        if (d && d->unit != unit)
            d = NULL;
    }
    if (!d && create) {
        d = g_new0(struct dossier, 1);
        d->unit = -1;
        g_hash_table_insert(st->dossiers, g_strdup(key), d);
    }
    return d;
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

static int emit_resolved(struct ingest_out *out, const struct units *units, const char *dossier,
                         const struct dossier *d, const char *rec_id, int64_t at_ms,
                         const char *ret, struct proto_str src, struct proto_str digest)
{
    struct proto_event ev = {
        .src = src,
        .digest = digest,
        .type = proto_cstr("dossier.resolved"),
        .id = proto_cstr(rec_id),
        .unit = proto_cstr(units_id(units, d->unit)),
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

static int on_received(void *state, const struct ingest_type *t, const struct ingest_record *r,
                       struct proto_event *ev, struct ingest_out *out, char *why, size_t cap)
{
    struct state *st = state;
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
    struct dossier *d = lookup(st, ev->src, dossier, dlen, 0, r->unit);
    if (d && d->unit >= 0) {
        snprintf(why, cap, "field \"dossier\": dossier \"%.*s\" was already received", (int)dlen,
                 dossier);
        return CCHC_EINVAL;
    }
    if (d && d->held && d->held_ms < r->at_ms) {
        snprintf(why, cap,
                 "field \"at\": after the resolution already recorded for dossier \"%.*s\"",
                 (int)dlen, dossier);
        return CCHC_EINVAL;
    }
    char dkey[DOSSIER_ID_MAX + 1];
    snprintf(dkey, sizeof dkey, "%.*s", (int)dlen, dossier);
    ev->dossier = proto_cstr(dkey);
    ev->procedure = proto_cstr(procedure);
    ev->field = proto_cstr(field);
    ev->cat = proto_cstr(channel);
    ev->due_ms = due;
    ev->has = PROTO_HAS_DUE;
    char m[3][96];
    snprintf(m[0], sizeof m[0], "received_%s", channel);
    if (metric_proc(m[1], sizeof m[1], procedure, plen, "received") ||
        metric_proc(m[2], sizeof m[2], procedure, plen, "received_online")) {
        snprintf(why, cap, "field \"procedure\": too long for a metric name");
        return CCHC_EINVAL;
    }
    metric(ev, "received", 1);
    metric(ev, m[0], 1);
    metric(ev, m[1], 1);
    if (strcmp(channel, "online") == 0)
        metric(ev, m[2], 1);
    if (d && d->held) { /* the held resolution's names count before any state changes */
        char rn[2][48];
        snprintf(rn[0], sizeof rn[0], "resolved_%s", outcome(d->held_ms, due));
        snprintf(rn[1], sizeof rn[1], "returned_%s", d->held_return);
        const char *names[] = {"resolved", rn[0], rn[1]};
        int rc = ingest_reserve_names(out, names, 3);
        if (rc)
            return rc;
    }
    int rc = ingest_emit(out, ev);
    if (rc)
        return rc;
    d = lookup(st, ev->src, dossier, dlen, 1, -1);
    struct dossier was = *d; /* a refused resolution takes nothing of the record */
    d->unit = r->unit;
    d->received_ms = r->at_ms;
    d->due_ms = due;
    d->channel = channel;
    if (d->held) {
        rc = emit_resolved(out, units, dkey, d, d->held_id, d->held_ms, d->held_return, ev->src,
                           (struct proto_str){0});
        if (rc) {
            *d = was;
            return rc;
        }
        d->held = 0;
        d->resolved = 1;
        g_free(d->held_id);
        d->held_id = NULL;
    }
    return rc;
}

static int on_resolved(void *state, const struct ingest_type *t, const struct ingest_record *r,
                       struct proto_event *ev, struct ingest_out *out, char *why, size_t cap)
{
    struct state *st = state;
    const struct units *units = r->units;
    const char *dossier, *ret;
    size_t dlen;
    if (ingest_str(r->obj, "dossier", DOSSIER_ID_MAX, &dossier, &dlen, why, cap) ||
        ingest_enum(r->obj, "return_channel", channels, &ret, why, cap))
        return CCHC_EINVAL;
    struct dossier *d = lookup(st, ev->src, dossier, dlen, 0, r->unit);
    if (d && (d->resolved || d->held)) {
        snprintf(why, cap, "field \"dossier\": dossier \"%.*s\" was already resolved", (int)dlen,
                 dossier);
        return CCHC_EINVAL;
    }
    if (d && r->at_ms < d->received_ms) {
        snprintf(why, cap, "field \"at\": before dossier \"%.*s\" was received", (int)dlen,
                 dossier);
        return CCHC_EINVAL;
    }
    char dkey[DOSSIER_ID_MAX + 1];
    snprintf(dkey, sizeof dkey, "%.*s", (int)dlen, dossier);
    if (d) {
        int rc = emit_resolved(out, units, dkey, d, ev->id.p, r->at_ms, ret, ev->src, ev->digest);
        if (rc == CCHC_OK)
            d->resolved = 1;
        return rc;
    }
    ev->type = proto_cstr("dossier.held");
    ev->dossier = proto_cstr(dkey);
    ev->cat2 = proto_cstr(ret);
    int rc = ingest_emit(out, ev);
    if (rc)
        return rc;
    d = lookup(st, ev->src, dossier, dlen, 1, -1);
    d->held = 1;
    d->held_id = g_strdup(ev->id.p);
    d->held_ms = r->at_ms;
    d->held_return = ret;
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
    {"received", on_received, NULL},   {"resolved", on_resolved, NULL},
    {"feedback", on_feedback, NULL},   {"survey", on_survey, NULL},
    {"procedure", on_procedure, NULL}, {0},
};

static int is(const struct proto_str *s, const char *lit)
{
    return s->len == strlen(lit) && memcmp(s->p, lit, s->len) == 0;
}

/* Rebuilds the dossier table from the journal, in journal order. */
static int on_replay(void *state, const struct units *units, const struct proto_event *ev)
{
    struct state *st = state;
    if (!ev->dossier.p)
        return CCHC_OK;
    if (!ev->src.p)
        st->legacy++;
    int unit = units_find(units, ev->unit.p, ev->unit.len);
    struct dossier *d = lookup(st, ev->src, ev->dossier.p, ev->dossier.len, 0, unit);
    if (!d)
        d = lookup(st, ev->src, ev->dossier.p, ev->dossier.len, 1, -1);
    if (is(&ev->type, "dossier.received")) {
        d->unit = units_find(units, ev->unit.p, ev->unit.len);
        if (d->unit < 0)
            return CCHC_ENOTFOUND; /* the registry lost a unit the journal uses */
        d->received_ms = ev->at_ms;
        d->due_ms = ev->due_ms;
        d->channel = intern_channel(ev->cat.p, ev->cat.len);
    } else if (is(&ev->type, "dossier.held")) {
        d->held = 1;
        d->held_id = g_strndup(ev->id.p, ev->id.len);
        d->held_ms = ev->at_ms;
        d->held_return = intern_channel(ev->cat2.p, ev->cat2.len);
    } else if (is(&ev->type, "dossier.resolved")) {
        d->resolved = 1;
        d->held = 0;
        g_free(d->held_id);
        d->held_id = NULL;
    }
    return CCHC_OK;
}

struct ingest_service *cchc_service_new(void)
{
    struct state *st = g_new0(struct state, 1);
    st->dossiers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, dossier_free);
    struct ingest_service *svc = g_new0(struct ingest_service, 1);
    *svc = (struct ingest_service){
        .name = "dossier",
        .default_port = 8081,
        .types = types,
        .state = st,
        .replay = on_replay,
    };
    return svc;
}

void cchc_service_free(struct ingest_service *svc)
{
    struct state *st = svc->state;
    g_hash_table_destroy(st->dossiers);
    g_free(st);
    g_free(svc);
}
