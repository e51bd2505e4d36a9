#!/usr/bin/env bash
# Attack: an admin wipes Redis (FLUSHALL) under a running pipeline. The
# aggregator notices that Redis holds less than it had written (the stamp of
# its flushes went back), says so in its log ("Redis lost state") and in the
# heartbeat (redis_lost, the stamps written and found), and starts over from
# what Redis holds: with the services' journals whole, the figures come back
# exactly as they were, and a record posted after the wipe counts once.
# Its /healthz says so: 503 "degraded", "redis lost state ... rebuilding"
# (with the stamps) while the figures are not whole (here: the service is
# paused, so nothing can be replayed yet), then 200 "ok" with a note of the
# loss and of the rebuild once every source has caught up.
. "$CCHC_SRC/tests/lib.sh"

start_redis
start_dossier
start_aggregator
W=kg.rachgia.p-vinh-loi
rec() { # rec ID DOSSIER DAY: a dossier received and resolved at W
    printf '{"id":"%s-r","type":"received","unit":"%s","at":"2022-05-%02dT08:00:00+07:00","dossier":"%s","procedure":"p","field":"f","channel":"direct","due":"2022-05-28T17:00:00+07:00"}\n' "$1" "$W" "$3" "$2"
    printf '{"id":"%s-s","type":"resolved","unit":"%s","at":"2022-05-%02dT09:00:00+07:00","dossier":"%s","return_channel":"direct"}\n' "$1" "$W" "$3" "$2"
}
for i in 1 2 3; do rec "a$i" "D$i" "$i"; done | post "$DOSSIER_URL" >/dev/null
wait_caught_up 60
figures_dump "$T/before"
grep -q "fig:$W:2022" "$T/before" || fail "no figures to lose"
heartbeat() { rcli HGET cchc:v2:heartbeat:aggregator "$1"; }
lost_is() { [ "$(heartbeat redis_lost)" = "$1" ]; }
[ "$(heartbeat redis_lost)" = 0 ] || fail "Redis lost state before the attack"

health() { agg_health >"$T/health.out"; tail -n 1 "$T/health.out"; }
health_json() { head -n -1 "$T/health.out"; }
code_is() { [ "$(health)" = "$1" ]; }
wait_for 20 code_is 200
[ "$(health_json | jq 'has("redis_lost")')" = false ] || fail "a loss before the attack: $(health_json)"

# 1. Wiped, and the aggregator's connection dropped: found on reconnect.
# The service is paused meanwhile: the figures cannot be rebuilt yet.
kill -STOP "$PID_dossier"
rcli FLUSHALL >/dev/null
rcli CLIENT KILL USER aggregator >/dev/null
wait_for 30 lost_is 1
code_is 503 || fail "lost and not rebuilt, but /healthz: $(health_json)"
[ "$(health_json | jq -r .status)" = degraded ] || fail "status: $(health_json)"
health_json | jq -r '.reasons[]' | grep -q '^redis lost state at .*rebuilding the figures from the services. journals' ||
    fail "reason: $(health_json)"
[ "$(health_json | jq .redis_lost.found_stamp)" = 0 ] || fail "healthz: found stamp $(health_json)"
[ "$(health_json | jq .redis_lost.wrote_stamp)" = "$(heartbeat redis_lost_wrote_stamp)" ] ||
    fail "healthz: wrote stamp $(health_json), heartbeat $(heartbeat redis_lost_wrote_stamp)"
[ "$(health_json | jq .redis_lost.rebuilt)" = false ] || fail "rebuilt already? $(health_json)"
echo "lost, service paused: $(health_json)"
sleep 2
code_is 503 || fail "503 did not last while not rebuilt: $(health_json)"
kill -CONT "$PID_dossier"
grep -q 'Redis lost state: it holds stamp 0, but this aggregator had written up to' \
    "$T/aggregator.log" || fail "the loss was not logged"
[ "$(heartbeat redis_lost_found_stamp)" = 0 ] || fail "heartbeat: wrong stamp found"
[ "$(heartbeat redis_lost_wrote_stamp)" -ge 1 ] || fail "heartbeat: no stamp written"
wait_caught_up 60
figures_dump "$T/healed"
cmp -s "$T/before" "$T/healed" || fail "figures not rebuilt: $(diff "$T/before" "$T/healed" | head)"
wait_for 20 code_is 200
[ "$(health_json | jq -r .status)" = ok ] || fail "rebuilt, but: $(health_json)"
[ "$(health_json | jq .redis_lost.rebuilt)" = true ] || fail "healthz: not rebuilt: $(health_json)"
[ "$(health_json | jq .redis_lost.times)" = 1 ] || fail "healthz: times $(health_json)"
health_json | jq -r .note | grep -q '^redis lost state at .*; the figures are whole again since .*every source caught up' ||
    fail "note: $(health_json)"
echo "rebuilt: $(health_json)"

# 2. Wiped while running: found at the next flush, which the wipe refuses.
rcli FLUSHALL >/dev/null
rec a4 D4 4 | post "$DOSSIER_URL" >/dev/null
wait_for 30 lost_is 2
wait_caught_up 60
expect "$(report "$W" 2022-01-01 2022-12-31)" 3.3.1 4
wait_for 20 code_is 200
[ "$(health_json | jq .redis_lost.times)" = 2 ] || fail "healthz: second loss $(health_json)"
[ "$(health_json | jq .redis_lost.rebuilt)" = true ] || fail "healthz: second rebuild $(health_json)"
echo "redis_flushall: detected twice, reported (log, heartbeat, /healthz), figures rebuilt from the journal"
