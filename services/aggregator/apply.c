#include "apply.h"

#include "apply_script.h"
#include "err.h"
#include "event.h"
#include "log.h"
#include "period.h"

#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POS_KEY "cchc:v1:pos"
#define SEP '\x1f' /* never in unit ids, periods or metric names */

struct apply {
    struct store *s;       /* borrowed */
    const struct units *u; /* borrowed */
    char sha[41];
    /* One batch's operations, coalesced: "op SEP key SEP member" -> int64 sum
     * (for 'a', the score; for 'r', unused). */
    GHashTable *ops;
    struct apply_stats st;
};

/* Metric names become Redis field and key parts: a safe alphabet, a bound. */
static int metric_ok(const struct proto_str *m)
{
    if (m->len == 0 || m->len > PROTO_METRIC_NAME_MAX || m->p[0] < 'a' || m->p[0] > 'z')
        return 0;
    for (uint32_t i = 0; i < m->len; i++) {
        char c = m->p[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-'))
            return 0;
    }
    return 1;
}

static void op_add(struct apply *a, char op, const char *key, const char *member, int64_t v,
                   int sum)
{
    char k[512];
    snprintf(k, sizeof k, "%c%c%s%c%s", op, SEP, key, SEP, member);
    gpointer old = g_hash_table_lookup(a->ops, k);
    if (old)
        *(int64_t *)old = sum ? *(int64_t *)old + v : v;
    else
        g_hash_table_insert(a->ops, g_strdup(k), g_memdup2(&v, sizeof v));
}

/* Every ancestor of the event's unit, every period of its day: the event's
 * metric deltas, as subtree totals and split by the level where it happened. */
static void add_event(struct apply *a, int unit, const struct proto_event *ev)
{
    int64_t day = cchc_day_of_ms(ev->at_ms);
    struct cchc_periods p;
    char dayname[CCHC_DAY_LEN];
    cchc_periods_of_day(day, &p);
    cchc_day_format(day, dayname);
    const char *periods[] = {dayname, p.month, p.quarter, p.half, p.year, "all"};
    const char *level = unit_level_name(units_level(a->u, unit));
    char key[256], field[256], m[PROTO_METRIC_NAME_MAX + 1];
    for (int u = unit; u >= 0; u = units_parent(a->u, u)) {
        const char *id = units_id(a->u, u);
        snprintf(key, sizeof key, "cchc:v1:days:%s", id);
        op_add(a, 'a', key, dayname, day, 0);
        for (size_t pi = 0; pi < sizeof periods / sizeof *periods; pi++) {
            snprintf(key, sizeof key, "cchc:v1:fig:%s:%s", id, periods[pi]);
            for (uint32_t i = 0; i < ev->nm; i++) {
                snprintf(m, sizeof m, "%.*s", (int)ev->m[i].name.len, ev->m[i].name.p);
                op_add(a, 'h', key, m, ev->m[i].value, 1);
                snprintf(field, sizeof field, "%s:%s", level, m);
                op_add(a, 'h', key, field, ev->m[i].value, 1);
            }
            if (pi == 0)
                continue; /* days: no rankings, no rates (readers sum them) */
            op_add(a, 'r', key, "", 0, 0);
            for (uint32_t i = 0; i < ev->nm; i++) {
                if (memchr(ev->m[i].name.p, '.', ev->m[i].name.len))
                    continue; /* details (categories, procedures) are not ranked */
                char rk[256];
                snprintf(rk, sizeof rk, "cchc:v1:rank:%s:%.*s", periods[pi], (int)ev->m[i].name.len,
                         ev->m[i].name.p);
                op_add(a, 'z', rk, id, ev->m[i].value, 1);
            }
        }
    }
}

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
            bad |= !metric_ok(&ev.m[k].name);
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
            add_event(a, unit, &ev);
    }
    return off == len || trusted ? CCHC_OK : CCHC_EPROTO;
}

/* argv[1] is the script's SHA1: the same after a reload, since the script is. */
static int run_script(struct apply *a, GPtrArray *argv, GArray *lens, redisReply **reply)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        int rc = store_appendv(a->s, (int)argv->len, (const char **)argv->pdata,
                               (const size_t *)(void *)lens->data);
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
    g_hash_table_remove_all(a->ops);
    int rc = collect(a, count, body, len, trusted);
    if (rc)
        return rc;

    /* EVALSHA sha 1 pos "publisher/epoch" from to op... */
    GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
    GArray *lens = g_array_new(FALSE, FALSE, sizeof(size_t));
#define PUSH(s, n)                                                                                 \
    do {                                                                                           \
        size_t n_ = (n);                                                                           \
        g_ptr_array_add(argv, g_strndup((s), n_));                                                 \
        g_array_append_val(lens, n_);                                                              \
    } while (0)
    char buf[128];
    PUSH("EVALSHA", 7);
    PUSH(a->sha, 40);
    PUSH("1", 1);
    PUSH(POS_KEY, strlen(POS_KEY));
    int n = snprintf(buf, sizeof buf, "%s/%016" PRIx64, publisher, epoch);
    PUSH(buf, (size_t)n);
    n = snprintf(buf, sizeof buf, "%" PRIu64, seq);
    PUSH(buf, (size_t)n);
    n = snprintf(buf, sizeof buf, "%" PRIu64, seq + count);
    PUSH(buf, (size_t)n);
    /* Rates last: they read the totals this batch has just changed. */
    for (int rates = 0; rates < 2; rates++) {
        GHashTableIter it;
        gpointer k, v;
        g_hash_table_iter_init(&it, a->ops);
        while (g_hash_table_iter_next(&it, &k, &v)) {
            const char *op = k, *key = op + 2, *member = strchr(key, SEP);
            if ((*op == 'r') != rates)
                continue;
            PUSH(op, 1);
            PUSH(key, (size_t)(member - key));
            if (rates)
                continue;
            member++;
            PUSH(member, strlen(member));
            n = snprintf(buf, sizeof buf, "%" PRId64, *(int64_t *)v);
            PUSH(buf, (size_t)n);
        }
    }
#undef PUSH
    redisReply *r = NULL;
    rc = run_script(a, argv, lens, &r);
    g_ptr_array_free(argv, TRUE);
    g_array_free(lens, TRUE);
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
    redisReply *r;
    int rc = store_command(a->s, &r, "SCRIPT LOAD %s", apply_script_lua);
    if (rc)
        return rc;
    if (r->type != REDIS_REPLY_STRING || r->len != 40) {
        cchc_error("SCRIPT LOAD failed: %s", r->type == REDIS_REPLY_ERROR ? r->str : "?");
        freeReplyObject(r);
        return CCHC_EREDIS;
    }
    memcpy(a->sha, r->str, 40);
    a->sha[40] = 0;
    freeReplyObject(r);
    return CCHC_OK;
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
    a->ops = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    *out = a;
    return CCHC_OK;
}

void apply_close(struct apply *a)
{
    if (!a)
        return;
    g_hash_table_destroy(a->ops);
    free(a);
}

void apply_get_stats(const struct apply *a, struct apply_stats *st)
{
    *st = a->st;
}
