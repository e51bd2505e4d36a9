#include "figures/rollup_write.h"

#include "base/err.h"
#include "base/log.h"
#include "base/rate.h"
#include "store/keys.h"

#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fields of one HSET or members of one ZADD: smaller commands keep Redis'
 * own buffers small. */
#define PAIRS_PER_COMMAND 1000

struct rollup_batch {
    GByteArray *out; /* the writes, in Redis' wire protocol */
    GByteArray *cur; /* the arguments of the open command */
    uint32_t cur_argc, cur_pairs;
    char cur_key[256]; /* the open command's key ("" when none is open) */
    size_t ncmds;      /* commands in out */
    GPtrArray *fields; /* positions: field (owned), from, to */
    GArray *from, *to; /* uint64_t */
};

static void put_raw(GByteArray *b, const char *s, size_t n)
{
    g_byte_array_append(b, (const guint8 *)s, (guint)n);
}

/* The decimal digits of v, written backwards from end; returns the start. */
static char *digits(char *end, uint64_t v)
{
    do
        *--end = (char)('0' + v % 10);
    while (v /= 10);
    return end;
}

static void put_bulk(GByteArray *b, const char *s, size_t n)
{
    char head[32], *p = digits(head + sizeof head - 2, n);
    head[sizeof head - 2] = '\r', head[sizeof head - 1] = '\n';
    *--p = '$';
    put_raw(b, p, (size_t)(head + sizeof head - p));
    put_raw(b, s, n);
    put_raw(b, "\r\n", 2);
}

static void put_str(GByteArray *b, const char *s)
{
    put_bulk(b, s, strlen(s));
}

static void put_i64(GByteArray *b, int64_t v)
{
    char buf[24], *end = buf + sizeof buf;
    char *p = digits(end, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v);
    if (v < 0)
        *--p = '-';
    put_bulk(b, p, (size_t)(end - p));
}

static void put_count(GByteArray *b, char kind, uint64_t n)
{
    char buf[32], *p = digits(buf + sizeof buf - 2, n);
    buf[sizeof buf - 2] = '\r', buf[sizeof buf - 1] = '\n';
    *--p = kind;
    put_raw(b, p, (size_t)(buf + sizeof buf - p));
}

int rollup_batch_new(struct rollup_batch **out)
{
    struct rollup_batch *b = calloc(1, sizeof *b);
    if (!b)
        return CCHC_ENOMEM;
    b->out = g_byte_array_new();
    b->cur = g_byte_array_new();
    b->fields = g_ptr_array_new_with_free_func(g_free);
    b->from = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    b->to = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    *out = b;
    return CCHC_OK;
}

void rollup_batch_free(struct rollup_batch *b)
{
    if (!b)
        return;
    g_byte_array_free(b->out, TRUE);
    g_byte_array_free(b->cur, TRUE);
    g_ptr_array_free(b->fields, TRUE);
    g_array_free(b->from, TRUE);
    g_array_free(b->to, TRUE);
    free(b);
}

void rollup_batch_clear(struct rollup_batch *b)
{
    g_byte_array_set_size(b->out, 0);
    g_byte_array_set_size(b->cur, 0);
    b->cur_key[0] = 0;
    b->ncmds = 0;
    g_ptr_array_set_size(b->fields, 0);
    g_array_set_size(b->from, 0);
    g_array_set_size(b->to, 0);
}

int rollup_batch_position(struct rollup_batch *b, const char *field, uint64_t from, uint64_t to)
{
    g_ptr_array_add(b->fields, g_strdup(field));
    g_array_append_val(b->from, from);
    g_array_append_val(b->to, to);
    return CCHC_OK;
}

static void close_command(struct rollup_batch *b)
{
    if (!b->cur_key[0])
        return;
    put_count(b->out, '*', b->cur_argc);
    put_raw(b->out, (const char *)b->cur->data, b->cur->len);
    g_byte_array_set_size(b->cur, 0);
    b->cur_key[0] = 0;
    b->ncmds++;
}

/* Starts `CMD key` unless that command on that key is open with room. */
static void open_command(struct rollup_batch *b, const char *cmd, const char *key)
{
    if (b->cur_key[0] && b->cur_pairs < PAIRS_PER_COMMAND && strcmp(b->cur_key, key) == 0)
        return;
    close_command(b);
    put_str(b->cur, cmd);
    put_str(b->cur, key);
    snprintf(b->cur_key, sizeof b->cur_key, "%s", key);
    b->cur_argc = 2;
    b->cur_pairs = 0;
}

/* A field and its value (HSET), or a score and its member (ZADD: score_first). */
static void pair(struct rollup_batch *b, const char *name, int64_t v, int score_first)
{
    if (score_first)
        put_i64(b->cur, v);
    put_str(b->cur, name);
    if (!score_first)
        put_i64(b->cur, v);
    b->cur_argc += 2;
    b->cur_pairs++;
}

static void pair_str(struct rollup_batch *b, const char *name, const char *value)
{
    put_str(b->cur, name);
    put_str(b->cur, value);
    b->cur_argc += 2;
    b->cur_pairs++;
}

int rollup_batch_command(struct rollup_batch *b, int argc, const char *const *argv)
{
    close_command(b);
    put_count(b->out, '*', (uint64_t)argc);
    for (int i = 0; i < argc; i++)
        put_str(b->out, argv[i]);
    b->ncmds++;
    return CCHC_OK;
}

struct ranked {
    uint32_t period, metric;
    int unit;
    int64_t v;
};

static int by_ranking(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->period != y->period)
        return x->period < y->period ? -1 : 1;
    if (x->metric != y->metric)
        return x->metric < y->metric ? -1 : 1;
    return (x->unit > y->unit) - (x->unit < y->unit);
}

/* on_time_pct, district:on_time_pct and commune:on_time_pct of one hash:
 * resolved early or on time over resolved, as the forms print it (empty
 * when nothing was resolved). */
static void rates(struct rollup_batch *b, uint64_t hash, rollup_value_fn value, void *arg,
                  const uint32_t m[3])
{
    static const int levels[] = {0, UNIT_DISTRICT + 1, UNIT_COMMUNE + 1};
    uint32_t period = FIG_HASH_PERIOD(hash);
    int unit = FIG_HASH_UNIT(hash);
    for (int i = 0; i < 3; i++) {
        int64_t den = value(arg, FIG_KEY(period, unit, levels[i], m[0]));
        int64_t num = value(arg, FIG_KEY(period, unit, levels[i], m[1])) +
                      value(arg, FIG_KEY(period, unit, levels[i], m[2]));
        int64_t bp;
        char field[64], out[CCHC_RATE_LEN] = "";
        snprintf(field, sizeof field, "%s%son_time_pct",
                 levels[i] ? unit_level_name((enum unit_level)(levels[i] - 1)) : "",
                 levels[i] ? ":" : "");
        if (cchc_rate_bp(num, den, &bp) == CCHC_OK)
            cchc_rate_format(bp, '.', out);
        pair_str(b, field, out);
    }
}

int rollup_batch_figures(struct rollup_batch *b, struct rollup *r, const fig_key *keys,
                         const int64_t *vals, size_t n, rollup_value_fn value,
                         rollup_new_day_fn new_day, void *arg)
{
    const struct units *u = rollup_units(r);
    uint32_t m[3];
    if (rollup_metric_id(r, "resolved", 8, &m[0]) ||
        rollup_metric_id(r, "resolved_early", 14, &m[1]) ||
        rollup_metric_id(r, "resolved_on_time", 16, &m[2]))
        return CCHC_ETOOBIG;
    GArray *ranks = g_array_new(FALSE, FALSE, sizeof(struct ranked));
    char key[512], field[PROTO_METRIC_NAME_MAX + 32];
    for (size_t i = 0; i < n;) {
        uint64_t hash = FIG_HASH(keys[i]);
        uint32_t period = FIG_PERIOD(keys[i]);
        int unit = FIG_UNIT(keys[i]);
        const char *pname = rollup_period_name(r, period), *uname = units_id(u, unit);
        int64_t day = rollup_period_day(r, period);
        rollup_hash_key(r, hash, key, sizeof key);
        size_t end = i;
        for (; end < n && FIG_HASH(keys[end]) == hash; end++) {
            open_command(b, "HSET", key);
            rollup_field_name(r, keys[end], field, sizeof field);
            pair(b, field, vals[end], 0);
            if (day == ROLLUP_DAY_NONE && FIG_LEVEL(keys[end]) == 0 &&
                rollup_metric_ranked(r, FIG_METRIC(keys[end]))) {
                struct ranked k = {period, FIG_METRIC(keys[end]), unit, vals[end]};
                g_array_append_val(ranks, k);
            }
        }
        if (day == ROLLUP_DAY_NONE) {
            open_command(b, "HSET", key);
            rates(b, hash, value, arg, m);
        } else if (new_day(arg, hash)) {
            char daykey[512];
            key_days(daykey, sizeof daykey, uname);
            open_command(b, "ZADD", daykey);
            pair(b, pname, day, 1);
        }
        i = end;
    }
    g_array_sort(ranks, by_ranking);
    for (guint i = 0; i < ranks->len; i++) {
        const struct ranked *k = &g_array_index(ranks, struct ranked, i);
        key_rank(key, sizeof key, rollup_period_name(r, k->period),
                 rollup_metric_name(r, k->metric));
        open_command(b, "ZADD", key);
        pair(b, units_id(u, k->unit), k->v, 1);
    }
    close_command(b);
    g_array_free(ranks, TRUE);
    return CCHC_OK;
}

/* HMGET or HSET of pos_key with the batch's position fields (and their new
 * values: set). */
static int positions(struct store *s, const char *pos_key, const struct rollup_batch *b, int set)
{
    size_t n = b->fields->len, argc = 2 + n * (set ? 2 : 1);
    const char **argv = malloc(argc * sizeof *argv);
    size_t *lens = malloc(argc * sizeof *lens);
    char(*to)[24] = malloc((n + 1) * sizeof *to);
    int rc = CCHC_ENOMEM;
    if (argv && lens && to) {
        argv[0] = set ? "HSET" : "HMGET", argv[1] = pos_key;
        size_t j = 2;
        for (size_t i = 0; i < n; i++) {
            argv[j++] = g_ptr_array_index(b->fields, i);
            if (set) {
                snprintf(to[i], sizeof to[i], "%" PRIu64, g_array_index(b->to, uint64_t, i));
                argv[j++] = to[i];
            }
        }
        for (size_t i = 0; i < argc; i++)
            lens[i] = strlen(argv[i]);
        rc = store_appendv(s, (int)argc, argv, lens);
    }
    free(argv);
    free(lens);
    free(to);
    return rc;
}

int rollup_batch_send(struct store *s, const char *pos_key, const struct rollup_batch *b,
                      char *stale, size_t stale_cap)
{
    redisReply *w = NULL, *cur = NULL;
    int rc = store_append(s, "WATCH %s", pos_key);
    if (rc == CCHC_OK && b->fields->len)
        rc = positions(s, pos_key, b, 0);
    if (rc == CCHC_OK)
        rc = store_reply(s, &w);
    if (rc == CCHC_OK && b->fields->len)
        rc = store_reply(s, &cur);
    if (rc == CCHC_OK &&
        (w->type == REDIS_REPLY_ERROR ||
         (cur && (cur->type != REDIS_REPLY_ARRAY || cur->elements != b->fields->len))))
        rc = CCHC_EREDIS;
    for (size_t i = 0; rc == CCHC_OK && cur && i < cur->elements; i++) {
        const redisReply *e = cur->element[i];
        uint64_t have = e->type == REDIS_REPLY_STRING ? strtoull(e->str, NULL, 10) : 0;
        if (have != g_array_index(b->from, uint64_t, i)) {
            snprintf(stale, stale_cap, "%s=%" PRIu64, (const char *)g_ptr_array_index(b->fields, i),
                     have);
            rc = CCHC_ESTALE;
        }
    }
    if (w)
        freeReplyObject(w);
    if (cur)
        freeReplyObject(cur);
    if (rc == CCHC_ESTALE) {
        redisReply *u;
        if (store_command(s, &u, "UNWATCH") == CCHC_OK)
            freeReplyObject(u);
        return CCHC_ESTALE;
    }
    if (rc == CCHC_OK)
        rc = store_append(s, "MULTI");
    if (rc == CCHC_OK && b->out->len)
        rc = store_append_raw(s, (const char *)b->out->data, b->out->len);
    if (rc == CCHC_OK && b->fields->len)
        rc = positions(s, pos_key, b, 1);
    if (rc == CCHC_OK)
        rc = store_append(s, "EXEC");
    return rc == CCHC_OK ? store_send(s) : rc;
}

int rollup_batch_result(struct store *s, const struct rollup_batch *b)
{
    /* MULTI, every command queued, the positions, EXEC: one reply each. */
    size_t replies = 1 + b->ncmds + (b->fields->len ? 1 : 0) + 1;
    int rc = CCHC_OK;
    for (size_t i = 0; i < replies; i++) {
        redisReply *r;
        int got = store_reply(s, &r);
        if (got)
            return got;
        if (i + 1 < replies) {
            if (r->type == REDIS_REPLY_ERROR && rc == CCHC_OK) {
                cchc_error("write batch: command %zu refused: %s", i, r->str);
                rc = CCHC_EREDIS;
            }
        } else if (r->type == REDIS_REPLY_NIL) {
            rc = rc ? rc : CCHC_ESTALE; /* a watched position moved: nothing applied */
        } else if (r->type != REDIS_REPLY_ARRAY) {
            cchc_error("write batch: EXEC: %s", r->type == REDIS_REPLY_ERROR ? r->str : "?");
            rc = rc ? rc : CCHC_EREDIS;
        } else {
            for (size_t k = 0; k < r->elements && rc == CCHC_OK; k++)
                if (r->element[k]->type == REDIS_REPLY_ERROR) {
                    /* EXEC does not roll back: the positions moved without
                     * this write. Only a key of the wrong type does this. */
                    cchc_error("write batch: command %zu failed: %s; the positions moved without "
                               "it: run cchc-reconcile --repair",
                               k, r->element[k]->str);
                    rc = CCHC_EREDIS;
                }
        }
        freeReplyObject(r);
    }
    return rc;
}
