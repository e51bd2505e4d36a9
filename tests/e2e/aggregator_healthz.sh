#!/usr/bin/env bash
# The aggregator's HTTP face: GET /healthz is 200 "ok" while the figures move
# and are whole, 503 "down" with the reason "redis unreachable" while
# redis-server is killed, and 200 again once it is back (durable: nothing
# lost, so no "redis_lost"); while redis-server is paused (SIGSTOP) and the
# aggregator's loop waits on it, /healthz still answers at once, 503 "down",
# "has not moved"; GET /v1/stats carries every counter of the heartbeat, and
# its applied events are what the service journaled.
. "$CCHC_SRC/tests/lib.sh"

start_redis_durable
start_dossier
start_aggregator
W=kg.rachgia.p-vinh-loi
rec() { # rec ID DAY: a dossier received and resolved at W
    printf '{"id":"%s-r","type":"received","unit":"%s","at":"2022-05-%02dT08:00:00+07:00","dossier":"%s","procedure":"p","field":"f","channel":"direct","due":"2022-05-28T17:00:00+07:00"}\n' "$1" "$W" "$2" "$1"
    printf '{"id":"%s-s","type":"resolved","unit":"%s","at":"2022-05-%02dT09:00:00+07:00","dossier":"%s","return_channel":"direct"}\n' "$1" "$W" "$2" "$1"
}
health() { agg_health >"$T/health.out"; tail -n 1 "$T/health.out"; }
health_json() { head -n -1 "$T/health.out"; }
code_is() { [ "$(health)" = "$1" ]; }

for i in 1 2 3; do rec "d$i" "$i"; done | post "$DOSSIER_URL" >/dev/null
wait_caught_up 60
wait_for 20 code_is 200
[ "$(health_json | jq -r .status)" = ok ] || fail "healthy but: $(health_json)"
[ "$(health_json | jq '.reasons | length')" = 0 ] || fail "reasons while healthy: $(health_json)"
[ "$(health_json | jq -r .redis)" = connected ] || fail "redis: $(health_json)"
[ "$(health_json | jq 'has("redis_lost")')" = false ] || fail "a loss nobody made: $(health_json)"
[ "$(health_json | jq -c '[.live, .ready]')" = '[true,true]' ] || fail "live, ready: $(health_json)"
livez() { curl -s -o /dev/null --max-time 5 -w '%{http_code}' "$AGG_HTTP/livez"; }
[ "$(livez)" = 200 ] || fail "/livez: $(livez)"
echo "healthy: $(health_json)"

# /v1/stats: the heartbeat's counters, the same figures.
stats=$(curl -sf "$AGG_HTTP/v1/stats") || fail "no /v1/stats"
next=$(curl -sf "$DOSSIER_BASE/v1/stats" | jq .journal_next_seq)
[ "$(jq .applied_events <<<"$stats")" = "$next" ] || fail "applied_events: $(jq .applied_events <<<"$stats"), journaled $next"
beat_applied() { [ "$(rcli HGET cchc:v2:heartbeat:aggregator applied_events)" = "$next" ]; }
wait_for 10 beat_applied
for f in $(rcli HKEYS cchc:v2:heartbeat:aggregator); do
    jq -e --arg f "$f" 'has($f)' <<<"$stats" >/dev/null || [ "$f" = at_ms ] ||
        fail "/v1/stats has no $f of the heartbeat"
done
[ "$(jq .redis_lost <<<"$stats")" = 0 ] || fail "stats: redis_lost $(jq .redis_lost <<<"$stats")"
curl -s -o /dev/null -w '%{http_code}' "$AGG_HTTP/nothing" | grep -qx 404 || fail "an unknown path is not 404"
curl -s -o /dev/null -w '%{http_code}' -X POST "$AGG_HTTP/healthz" | grep -qx 404 || fail "POST is not refused"

# Redis killed: 503 "down", "redis unreachable", said within seconds.
figures_dump "$T/before"
kill -9 "$REDIS_PID"
wait "$REDIS_PID" 2>/dev/null || true
wait_for 20 code_is 503
[ "$(health_json | jq -r .status)" = down ] || fail "status: $(health_json)"
health_json | jq -r '.reasons[]' | grep -q '^redis unreachable' || fail "reason: $(health_json)"
echo "redis killed: $(health_json)"
[ "$(health_json | jq -r .redis)" = unreachable ] || fail "redis: $(health_json)"
# Live, not ready: its loop turns, waiting for Redis.
[ "$(health_json | jq -c '[.live, .ready]')" = '[true,false]' ] || fail "live, ready: $(health_json)"
[ "$(livez)" = 200 ] || fail "/livez while Redis is down: $(livez)"
# It is still said a while later (every answer reads the aggregator's own state).
sleep 2
code_is 503 || fail "503 did not last: $(health_json)"

# Back: 200 again, nothing lost (appendfsync always), figures as before.
start_redis_durable
wait_for 30 code_is 200
[ "$(health_json | jq -r .status)" = ok ] || fail "after restart: $(health_json)"
[ "$(health_json | jq 'has("redis_lost")')" = false ] || fail "a durable Redis lost state: $(health_json)"
figures_dump "$T/after"
cmp -s "$T/before" "$T/after" || fail "figures changed: $(diff "$T/before" "$T/after" | head)"
rec d4 4 | post "$DOSSIER_URL" >/dev/null
wait_caught_up 60
expect "$(report "$W" 2022-01-01 2022-12-31)" 3.3.1 4
code_is 200 || fail "after a new record: $(health_json)"

# Redis paused: the aggregator's loop waits on it (up to its 30 s timeout);
# /healthz answers meanwhile, from the aggregator's own state.
kill -STOP "$REDIS_PID"
rec d5 5 | post "$DOSSIER_URL" >/dev/null
wait_for 25 code_is 503
health_json | jq -r '.reasons[]' | grep -q 'has not moved for\|^redis unreachable' ||
    fail "paused Redis, reason: $(health_json)"
stuck_said() { code_is 503 && health_json | jq -r '.reasons[]' | grep -q 'has not moved for'; }
wait_for 25 stuck_said
# Neither live nor ready: the loop is stuck.
[ "$(health_json | jq -c '[.live, .ready]')" = '[false,false]' ] || fail "live, ready: $(health_json)"
[ "$(livez)" = 503 ] || fail "/livez while stuck: $(livez)"
echo "redis paused: $(health_json)"
kill -CONT "$REDIS_PID"
wait_for 60 code_is 200
wait_caught_up 60
expect "$(report "$W" 2022-01-01 2022-12-31)" 3.3.1 5
echo "aggregator_healthz: 200 healthy, 503 redis unreachable, 200 back, 503 while Redis hangs, 200 back"
