#!/usr/bin/env bash
# Attack: an admin wipes Redis (FLUSHALL) after retention has dropped the
# journal's oldest events. They live on as sums in the journal's checkpoint
# (common/bus/retention.h), so Redis, a cache, comes back by itself: the
# aggregator logs "Redis lost state" within a heartbeat, replays the
# checkpoint and then the journal, and nobody refuses anything. /healthz
# is 200 again with a note of the loss; every accepted record is counted
# once, the ones before the wipe, the one that came with it and those
# after; the service's records are still its own (duplicates).
. "$CCHC_SRC/tests/lib.sh"

start_redis
start_dossier --journal-max-mb 1
start_aggregator
W=kg.rachgia.p-vinh-loi
batch() { # batch PREFIX N: N received dossiers
    for i in $(seq 1 "$2"); do
        printf '{"id":"%s%d","type":"received","unit":"%s","at":"2022-05-02T08:00:00+07:00","dossier":"%s%d","procedure":"p","field":"f","channel":"direct","due":"2022-05-28T17:00:00+07:00"}\n' "$1" "$i" "$W" "$1" "$i"
    done
}
stats() { curl -sf "$DOSSIER_BASE/v1/stats"; }
batch a 6000 | post "$DOSSIER_URL" >/dev/null
wait_caught_up 60
# Retention runs after a request, once the aggregator has acknowledged.
compacted() { batch "b$RANDOM" 1 | post "$DOSSIER_URL" >/dev/null; [ "$(stats | jq .journal_base)" -gt 0 ]; }
wait_for 60 compacted
wait_caught_up 60
heartbeat() { rcli HGET cchc:v2:heartbeat:aggregator "$1"; }
[ "$(heartbeat replay_refused_sources)" = 0 ] || fail "refused before the attack"

health() { agg_health >"$T/health.out"; tail -n 1 "$T/health.out"; }
health_json() { head -n -1 "$T/health.out"; }
code_is() { [ "$(health)" = "$1" ]; }
wait_for 20 code_is 200
rcli FLUSHALL >/dev/null
batch c 1 | post "$DOSSIER_URL" >/dev/null # comes while Redis is empty
wait_for 30 grep -q 'Redis lost state' "$T/aggregator.log"
lost_counted() { [ "$(heartbeat redis_lost)" -ge 1 ]; }
wait_for 10 lost_counted || fail "the loss was not counted"
wait_caught_up 60
[ "$(heartbeat checkpoint_events)" -gt 0 ] || fail "the checkpoint was not replayed"
[ "$(heartbeat replay_refused_sources)" = 0 ] || fail "a source refuses: $(health)"
wait_for 30 code_is 200
[ "$(health_json | jq -r .status)" = ok ] || fail "rebuilt, but: $(health_json)"
health_json | jq -r .note | grep -q '^redis lost state at ' || fail "no note of the loss: $(health_json)"
echo "rebuilt: $(health_json)"
batch a 3 | post "$DOSSIER_URL" >"$T/again.json"
[ "$(jq .duplicate "$T/again.json")" = 3 ] || fail "the service lost records: $(cat "$T/again.json")"
batch d 2 | post "$DOSSIER_URL" >/dev/null
wait_caught_up 60
accepted=$(stats | jq .accepted)
[ "$(rcli HGET "cchc:v2:fig:$W:all" received)" = "$accepted" ] ||
    fail "figures after the rebuild: $(rcli HGET "cchc:v2:fig:$W:all" received) received, $accepted accepted"
echo "redis_lost_compacted: the loss logged and counted; Redis rebuilt from the checkpoint and the journal, every record counted once"
