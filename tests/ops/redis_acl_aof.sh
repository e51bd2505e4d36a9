#!/usr/bin/env bash
# Redis with cchc's users (ops/redis-users.acl) and its durable appends
# (ops/redis-durable) keeps what the aggregator wrote across a crash: a
# MULTI/EXEC of the aggregator's user is in Redis again after kill -9 and a
# restart. (Redis 7.0 replays its append-only file as the default user and
# drops each EXEC that user's rules forbid; see ops/redis-users.acl.) And the
# default user, which must allow everything for that, still lets nobody in.
. "$CCHC_SRC/tests/lib.sh"

start_redis_durable
tx() {
    printf 'MULTI\nHSET cchc:v2:pos stamp %s\nHSET cchc:v2:fig:x:all received %s\nEXEC\n' "$1" "$1" |
        rcli_as aggregator >/dev/null
}
tx 1
tx 2
kill -9 "$REDIS_PID"
wait "$REDIS_PID" 2>/dev/null || true
start_redis_durable
[ "$(rcli HGET cchc:v2:pos stamp)" = 2 ] || fail "a MULTI/EXEC was lost across the restart: $(rcli HGETALL cchc:v2:pos)"
[ "$(rcli HGET cchc:v2:fig:x:all received)" = 2 ] || fail "figure lost across the restart"
! grep -q 'AOF-loading-client' "$T/redis.log" || fail "Redis refused part of its AOF: $(grep -m1 CRITICAL "$T/redis.log")"
for a in PING "AUTH default x" "HELLO 3 AUTH default x" "HGET cchc:v2:pos stamp"; do
    read -ra argv <<<"$a"
    out=$(redis-cli -s "$REDIS_SOCK" "${argv[@]}" 2>&1 || true)
    [[ $out == *NOAUTH* || $out == *WRONGPASS* ]] || fail "the default user let '$a' in: $out"
done
echo "redis_acl_aof: transactions kept across a crash; the default user lets nobody in"
