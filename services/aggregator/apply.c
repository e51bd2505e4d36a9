#include "apply.h"

#include "err.h"
#include "event.h"
#include "log.h"
#include "rollup.h"
#include "rollup_script.h"

#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POS_KEY "cchc:v1:pos"

struct apply {
    struct store *s;       /* borrowed */
    const struct units *u; /* borrowed */
    char sha[41];
    struct rollup *ops; /* one batch's operations, coalesced */
    struct apply_stats st;
};

/* Decodes the batch into a->ops. On a live batch, any bad event rejects the
 * whole batch (the journal's copy is fetched instead); from the journal, a
 * bad event is skipped and counted, so one cannot stall the stream. */
static int collect(struct apply *a, uint32_t count, const uint8_t *body, size_t len, int trusted)
{
    size_t off = 0;
    char why[160];
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
        int unit = units_find(a->u, ev.unit.p, ev.unit.len), bad = 0;
        for (uint32_t k = 0; k < ev.nm; k++)
            bad |= !rollup_metric_ok(&ev.m[k].name);
        if (bad || unit < 0) {
            if (!trusted)
                return CCHC_EPROTO;
            cchc_error("event %.*s (%.*s at %.*s) %s: skipped", (int)ev.id.len, ev.id.p,
                       (int)ev.type.len, ev.type.p, (int)ev.unit.len, ev.unit.p,
                       unit < 0 ? "names a unit not in the registry" : "has a bad metric name");
            a->st.rejected_events++;
            continue;
        }
        if (ev.nm)
            rollup_event(a->ops, a->u, unit, &ev);
    }
    return off == len || trusted ? CCHC_OK : CCHC_EPROTO;
}

static int run_script(struct apply *a, const char *field, uint64_t seq, uint32_t count,
                      redisReply **reply)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        int rc = rollup_script_append(a->s, a->sha, POS_KEY, field, seq, seq + count, a->ops);
        if (rc == CCHC_OK)
            rc = store_reply(a->s, reply);
        if (rc)
            return rc;
        if ((*reply)->type == REDIS_REPLY_ERROR && strncmp((*reply)->str, "NOSCRIPT", 8) == 0) {
            freeReplyObject(*reply);
            if ((rc = apply_load_script(a)))
                return rc;
            continue;
        }
        return CCHC_OK;
    }
    return CCHC_EREDIS;
}

int apply_deliver(void *arg, const char *publisher, uint64_t epoch, uint64_t seq, uint32_t count,
                  const uint8_t *body, size_t len, int trusted, uint64_t *next)
{
    struct apply *a = arg;
    rollup_clear(a->ops);
    int rc = collect(a, count, body, len, trusted);
    if (rc)
        return rc;

    char field[128];
    snprintf(field, sizeof field, "%s/%016" PRIx64, publisher, epoch);
    redisReply *r = NULL;
    rc = run_script(a, field, seq, count, &r);
    if (rc)
        return rc;
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 2 ||
        r->element[1]->type != REDIS_REPLY_STRING) {
        cchc_error("apply script: unexpected reply%s%s", r->type == REDIS_REPLY_ERROR ? ": " : "",
                   r->type == REDIS_REPLY_ERROR ? r->str : "");
        freeReplyObject(r);
        return CCHC_EREDIS;
    }
    int applied = r->element[0]->integer == 1;
    *next = strtoull(r->element[1]->str, NULL, 10);
    freeReplyObject(r);
    if (applied) {
        a->st.applied_events += count;
        a->st.batches++;
    } else {
        a->st.stale_batches++;
    }
    return CCHC_OK;
}

int apply_position(void *arg, const char *publisher, uint64_t epoch, uint64_t *next)
{
    struct apply *a = arg;
    char field[128];
    snprintf(field, sizeof field, "%s/%016" PRIx64, publisher, epoch);
    redisReply *r;
    int rc = store_command(a->s, &r, "HGET %s %s", POS_KEY, field);
    if (rc)
        return rc;
    if (r->type == REDIS_REPLY_ERROR) {
        freeReplyObject(r);
        return CCHC_EREDIS;
    }
    *next = r->type == REDIS_REPLY_STRING ? strtoull(r->str, NULL, 10) : 0;
    freeReplyObject(r);
    return CCHC_OK;
}

int apply_load_script(struct apply *a)
{
    return rollup_script_load(a->s, a->sha);
}

int apply_publish_units(struct apply *a)
{
    size_t n = units_count(a->u);
    for (size_t i = 0; i < n; i++) {
        int p = units_parent(a->u, (int)i);
        store_append(a->s, "HSET cchc:v1:unit:%s name %s level %s kind %s parent %s",
                     units_id(a->u, (int)i), units_name(a->u, (int)i),
                     unit_level_name(units_level(a->u, (int)i)),
                     unit_kind_name(units_kind(a->u, (int)i)), p >= 0 ? units_id(a->u, p) : "");
        store_append(a->s, "SADD cchc:v1:units %s", units_id(a->u, (int)i));
    }
    int rc = CCHC_OK;
    for (size_t i = 0; i < 2 * n && rc == CCHC_OK; i++) {
        redisReply *r;
        if ((rc = store_reply(a->s, &r)) == CCHC_OK) {
            if (r->type == REDIS_REPLY_ERROR)
                rc = CCHC_EREDIS;
            freeReplyObject(r);
        }
    }
    return rc;
}

int apply_open(struct store *s, const struct units *u, struct apply **out)
{
    struct apply *a = calloc(1, sizeof *a);
    if (!a)
        return CCHC_ENOMEM;
    a->s = s;
    a->u = u;
    if (rollup_new(&a->ops)) {
        free(a);
        return CCHC_ENOMEM;
    }
    *out = a;
    return CCHC_OK;
}

void apply_close(struct apply *a)
{
    if (!a)
        return;
    rollup_free(a->ops);
    free(a);
}

void apply_get_stats(const struct apply *a, struct apply_stats *st)
{
    *st = a->st;
}
