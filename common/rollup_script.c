/* The script runs inside Redis, atomically. KEYS[1] = the position hash.
 * ARGV[1] = how many positions; then, for each, its field, the value it
 * must have (absent counts as "0") and the value it gets; then commands,
 * each as its argument count followed by its arguments.
 * Returns {1} when applied, {0, field, current} when a position differs
 * (then nothing is changed). The commands are checked before any runs, so
 * a bad batch changes nothing either. */
#include "rollup_script.h"

#include "err.h"
#include "log.h"
#include "rate.h"

#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char rollup_script_lua[] =
    "local npos = tonumber(ARGV[1])\n"
    "local set = {}\n"
    "for j = 0, npos - 1 do\n"
    "  local f = ARGV[2 + 3 * j]\n"
    "  local cur = redis.call('HGET', KEYS[1], f) or '0'\n"
    "  if cur ~= ARGV[3 + 3 * j] then return {0, f, cur} end\n"
    "  set[#set + 1] = f\n"
    "  set[#set + 1] = ARGV[4 + 3 * j]\n"
    "end\n"
    "local first, n = 2 + 3 * npos, #ARGV\n"
    "local allowed = {HSET = true, ZADD = true, HINCRBY = true}\n"
    "local i = first\n"
    "while i <= n do\n"
    "  local argc = tonumber(ARGV[i])\n"
    "  if not argc or argc < 2 or i + argc > n or not allowed[ARGV[i + 1]] then\n"
    "    return redis.error_reply('cchc apply: bad command at argument ' .. i)\n"
    "  end\n"
    "  i = i + 1 + argc\n"
    "end\n"
    "i = first\n"
    "while i <= n do\n"
    "  local argc = tonumber(ARGV[i])\n"
    "  redis.call(unpack(ARGV, i + 1, i + argc))\n"
    "  i = i + 1 + argc\n"
    "end\n"
    "if npos > 0 then redis.call('HSET', KEYS[1], unpack(set)) end\n"
    "return {1}\n";

/* Fields of one HSET or members of one ZADD: Lua's unpack has a stack limit
 * (8,000 values in Redis' Lua), and a smaller command keeps Redis' own
 * buffers small. */
#define PAIRS_PER_COMMAND 500

int rollup_script_load(struct store *s, char sha[41])
{
    redisReply *r;
    int rc = store_command(s, &r, "SCRIPT LOAD %s", rollup_script_lua);
    if (rc)
        return rc;
    if (r->type != REDIS_REPLY_STRING || r->len != 40) {
        cchc_error("SCRIPT LOAD failed: %s", r->type == REDIS_REPLY_ERROR ? r->str : "?");
        freeReplyObject(r);
        return CCHC_EREDIS;
    }
    memcpy(sha, r->str, 40);
    sha[40] = 0;
    freeReplyObject(r);
    return CCHC_OK;
}

struct arg {
    size_t off, len; /* into bytes */
};

struct arglist {
    GByteArray *bytes;
    GArray *args; /* struct arg */
};

struct rollup_batch {
    struct arglist pos, cmds;
    uint32_t npos;
    size_t argc_at; /* index in cmds of the open command's count, or SIZE_MAX */
    uint32_t open_pairs;
    char open_key[256];
};

static void push(struct arglist *l, const char *s, size_t n)
{
    struct arg a = {l->bytes->len, n};
    g_byte_array_append(l->bytes, (const guint8 *)s, (guint)n);
    g_array_append_val(l->args, a);
}

static void push_str(struct arglist *l, const char *s)
{
    push(l, s, strlen(s));
}

static void push_i64(struct arglist *l, int64_t v)
{
    char buf[24];
    int n = snprintf(buf, sizeof buf, "%" PRId64, v);
    push(l, buf, (size_t)n);
}

int rollup_batch_new(struct rollup_batch **out)
{
    struct rollup_batch *b = calloc(1, sizeof *b);
    if (!b)
        return CCHC_ENOMEM;
    b->pos = (struct arglist){g_byte_array_new(), g_array_new(FALSE, FALSE, sizeof(struct arg))};
    b->cmds = (struct arglist){g_byte_array_new(), g_array_new(FALSE, FALSE, sizeof(struct arg))};
    b->argc_at = SIZE_MAX;
    *out = b;
    return CCHC_OK;
}

void rollup_batch_free(struct rollup_batch *b)
{
    if (!b)
        return;
    g_byte_array_free(b->pos.bytes, TRUE);
    g_array_free(b->pos.args, TRUE);
    g_byte_array_free(b->cmds.bytes, TRUE);
    g_array_free(b->cmds.args, TRUE);
    free(b);
}

void rollup_batch_clear(struct rollup_batch *b)
{
    g_byte_array_set_size(b->pos.bytes, 0);
    g_array_set_size(b->pos.args, 0);
    g_byte_array_set_size(b->cmds.bytes, 0);
    g_array_set_size(b->cmds.args, 0);
    b->npos = 0;
    b->argc_at = SIZE_MAX;
}

size_t rollup_batch_args(const struct rollup_batch *b)
{
    return b->pos.args->len + b->cmds.args->len;
}

int rollup_batch_position(struct rollup_batch *b, const char *field, uint64_t from, uint64_t to)
{
    char buf[24];
    push_str(&b->pos, field);
    snprintf(buf, sizeof buf, "%" PRIu64, from);
    push_str(&b->pos, buf);
    snprintf(buf, sizeof buf, "%" PRIu64, to);
    push_str(&b->pos, buf);
    b->npos++;
    return CCHC_OK;
}

/* The open command's argument count, written over its placeholder. */
static void close_command(struct rollup_batch *b)
{
    if (b->argc_at == SIZE_MAX)
        return;
    size_t argc = b->cmds.args->len - b->argc_at - 1;
    char buf[24];
    int n = snprintf(buf, sizeof buf, "%zu", argc);
    /* The placeholder is the last bytes' neighbour: rewrite it as a new arg. */
    struct arg *a = &g_array_index(b->cmds.args, struct arg, b->argc_at);
    a->off = b->cmds.bytes->len;
    a->len = (size_t)n;
    g_byte_array_append(b->cmds.bytes, (const guint8 *)buf, (guint)n);
    b->argc_at = SIZE_MAX;
}

/* Starts `CMD key` unless that command on that key is open with room. */
static void open_command(struct rollup_batch *b, const char *cmd, const char *key)
{
    if (b->argc_at != SIZE_MAX && b->open_pairs < PAIRS_PER_COMMAND &&
        strcmp(b->open_key, key) == 0)
        return;
    close_command(b);
    b->argc_at = b->cmds.args->len;
    push(&b->cmds, "", 0); /* the count, once known */
    push_str(&b->cmds, cmd);
    push_str(&b->cmds, key);
    snprintf(b->open_key, sizeof b->open_key, "%s", key);
    b->open_pairs = 0;
}

int rollup_batch_command(struct rollup_batch *b, int argc, const char *const *argv)
{
    close_command(b);
    push_i64(&b->cmds, argc);
    for (int i = 0; i < argc; i++)
        push_str(&b->cmds, argv[i]);
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
 * resolved early or on time over resolved, as the forms print it. */
static void rates(struct rollup_batch *b, struct rollup *r, uint64_t hash, rollup_value_fn value,
                  void *arg, const uint32_t m[3])
{
    static const int levels[] = {0, UNIT_DISTRICT + 1, UNIT_COMMUNE + 1};
    for (int i = 0; i < 3; i++) {
        uint32_t period = (uint32_t)(hash >> 20);
        int unit = (int)(hash & 0xfffff);
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
        push_str(&b->cmds, field);
        push_str(&b->cmds, out);
        b->open_pairs++;
    }
    (void)r;
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
        snprintf(key, sizeof key, "cchc:v1:fig:%s:%s", uname, pname);
        size_t end = i;
        for (; end < n && FIG_HASH(keys[end]) == hash; end++) {
            open_command(b, "HSET", key);
            rollup_field_name(r, keys[end], field, sizeof field);
            push_str(&b->cmds, field);
            push_i64(&b->cmds, vals[end]);
            b->open_pairs++;
            if (day == ROLLUP_DAY_NONE && FIG_LEVEL(keys[end]) == 0 &&
                rollup_metric_ranked(r, FIG_METRIC(keys[end]))) {
                struct ranked k = {period, FIG_METRIC(keys[end]), unit, vals[end]};
                g_array_append_val(ranks, k);
            }
        }
        if (day == ROLLUP_DAY_NONE) {
            open_command(b, "HSET", key);
            rates(b, r, hash, value, arg, m);
        } else if (new_day(arg, hash)) {
            char daykey[512];
            snprintf(daykey, sizeof daykey, "cchc:v1:days:%s", uname);
            open_command(b, "ZADD", daykey);
            push_i64(&b->cmds, day);
            push_str(&b->cmds, pname);
            b->open_pairs++;
        }
        i = end;
    }
    g_array_sort(ranks, by_ranking);
    for (guint i = 0; i < ranks->len; i++) {
        const struct ranked *k = &g_array_index(ranks, struct ranked, i);
        snprintf(key, sizeof key, "cchc:v1:rank:%s:%s", rollup_period_name(r, k->period),
                 rollup_metric_name(r, k->metric));
        open_command(b, "ZADD", key);
        push_i64(&b->cmds, k->v);
        push_str(&b->cmds, units_id(u, k->unit));
        b->open_pairs++;
    }
    close_command(b);
    g_array_free(ranks, TRUE);
    return CCHC_OK;
}

int rollup_batch_append(struct store *s, const char *sha, const char *pos_key,
                        const struct rollup_batch *b)
{
    size_t head = 5, argc = head + b->pos.args->len + b->cmds.args->len;
    const char **argv = malloc(argc * sizeof *argv);
    size_t *lens = malloc(argc * sizeof *lens);
    if (!argv || !lens) {
        free(argv);
        free(lens);
        return CCHC_ENOMEM;
    }
    char npos[16];
    snprintf(npos, sizeof npos, "%" PRIu32, b->npos);
    const char *fixed[] = {"EVALSHA", sha, "1", pos_key, npos};
    for (size_t i = 0; i < head; i++) {
        argv[i] = fixed[i];
        lens[i] = strlen(fixed[i]);
    }
    size_t j = head;
    const struct arglist *lists[] = {&b->pos, &b->cmds};
    for (int l = 0; l < 2; l++)
        for (guint i = 0; i < lists[l]->args->len; i++, j++) {
            const struct arg *a = &g_array_index(lists[l]->args, struct arg, i);
            argv[j] = (const char *)lists[l]->bytes->data + a->off;
            lens[j] = a->len;
        }
    int rc = store_appendv(s, (int)argc, argv, lens);
    free(argv);
    free(lens);
    return rc;
}
