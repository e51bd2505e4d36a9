/* The script runs inside Redis, atomically. KEYS[1] = cchc:v1:pos.
 * ARGV[1] = "publisher/epoch", ARGV[2] = the position this batch starts at,
 * ARGV[3] = the position after it, then operations of 4 or 2 arguments:
 *   h KEY FIELD DELTA    HINCRBY
 *   z KEY MEMBER DELTA   ZINCRBY
 *   a KEY MEMBER SCORE   ZADD
 *   r KEY                recompute the derived rates of a figures hash
 * Returns {1, new position} when applied, {0, current position} when the
 * batch does not start where the store stands (then nothing is changed).
 * Lua numbers are doubles: the rate division is corrected so it stays exact. */
#include "rollup_script.h"

#include "err.h"
#include "log.h"

#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

const char rollup_script_lua[] =
    "local function pct(num, den)\n"
    "  if den <= 0 then return '' end\n"
    "  local a, b = num * 20000 + den, 2 * den\n"
    "  local q = math.floor(a / b)\n"
    "  if q * b > a then q = q - 1 elseif (q + 1) * b <= a then q = q + 1 end\n"
    "  if num > 0 and q == 0 then q = 1 end\n"
    "  if num < den and q >= 10000 then q = 9999 end\n"
    "  return string.format('%d.%02d', math.floor(q / 100), q % 100)\n"
    "end\n"
    "local function rates(key)\n"
    "  for _, p in ipairs({'', 'district:', 'commune:'}) do\n"
    "    local v = redis.call('HMGET', key, p .. 'resolved', p .. 'resolved_early',\n"
    "                         p .. 'resolved_on_time')\n"
    "    local den = tonumber(v[1] or '0')\n"
    "    local num = tonumber(v[2] or '0') + tonumber(v[3] or '0')\n"
    "    redis.call('HSET', key, p .. 'on_time_pct', pct(num, den))\n"
    "  end\n"
    "end\n"
    "local cur = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')\n"
    "if cur ~= tonumber(ARGV[2]) then return {0, tostring(cur)} end\n"
    "local i, n = 4, #ARGV\n"
    "while i <= n do\n"
    "  local op = ARGV[i]\n"
    "  if op == 'h' then redis.call('HINCRBY', ARGV[i+1], ARGV[i+2], ARGV[i+3]); i = i + 4\n"
    "  elseif op == 'z' then redis.call('ZINCRBY', ARGV[i+1], ARGV[i+3], ARGV[i+2]); i = i + 4\n"
    "  elseif op == 'a' then redis.call('ZADD', ARGV[i+1], ARGV[i+3], ARGV[i+2]); i = i + 4\n"
    "  elseif op == 'r' then rates(ARGV[i+1]); i = i + 2\n"
    "  else return redis.error_reply('cchc apply: bad op ' .. tostring(op)) end\n"
    "end\n"
    "redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])\n"
    "return {1, ARGV[3]}\n";

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

/* The script's arguments: strings and their lengths, for store_appendv. */
struct args {
    GPtrArray *argv; /* owns its strings */
    GArray *lens;    /* size_t */
};

static void push(struct args *a, const char *str)
{
    size_t n = strlen(str);
    g_ptr_array_add(a->argv, g_strndup(str, n));
    g_array_append_val(a->lens, n);
}

static void push_op(void *arg, char op, const char *key, const char *member, int64_t value)
{
    struct args *a = arg;
    char buf[32] = {op, 0};
    push(a, buf);
    push(a, key);
    if (op == 'r')
        return;
    push(a, member);
    snprintf(buf, sizeof buf, "%" PRId64, value);
    push(a, buf);
}

int rollup_script_append(struct store *s, const char *sha, const char *pos_key,
                         const char *pos_field, uint64_t from, uint64_t to,
                         const struct rollup *ops)
{
    struct args a = {g_ptr_array_new_with_free_func(g_free),
                     g_array_new(FALSE, FALSE, sizeof(size_t))};
    char buf[32];
    push(&a, "EVALSHA");
    push(&a, sha);
    push(&a, "1");
    push(&a, pos_key);
    push(&a, pos_field);
    snprintf(buf, sizeof buf, "%" PRIu64, from);
    push(&a, buf);
    snprintf(buf, sizeof buf, "%" PRIu64, to);
    push(&a, buf);
    rollup_foreach(ops, push_op, &a);
    int rc = store_appendv(s, (int)a.argv->len, (const char **)a.argv->pdata,
                           (const size_t *)(void *)a.lens->data);
    g_ptr_array_free(a.argv, TRUE);
    g_array_free(a.lens, TRUE);
    return rc;
}
