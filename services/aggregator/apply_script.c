/* Runs inside Redis, atomically. KEYS[1] = cchc:v1:pos.
 * ARGV[1] = "publisher/epoch", ARGV[2] = the position this batch starts at,
 * ARGV[3] = the position after it, then operations of 4 or 2 arguments:
 *   h KEY FIELD DELTA    HINCRBY
 *   z KEY MEMBER DELTA   ZINCRBY
 *   a KEY MEMBER SCORE   ZADD
 *   r KEY                recompute the derived rates of a figures hash
 * Returns {1, new position} when applied, {0, current position} when the
 * batch does not start where the store stands (then nothing is changed).
 * Lua numbers are doubles: the rate division is corrected so it stays exact. */
#include "apply_script.h"

const char apply_script_lua[] =
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
