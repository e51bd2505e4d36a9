#!/usr/bin/env bash
# Attack: an admin wipes Redis (FLUSHALL) after retention has dropped the
# journal's oldest events. They are gone from everywhere but the lost Redis,
# so the figures cannot come back by themselves. The aggregator must not
# stall in silence: it logs "Redis lost state", and, when the service
# refuses to replay what its journal no longer holds, logs that and counts
# it in the heartbeat (replay_refused_sources) for as long as it lasts
# (ops/README.md, lost Redis state). The service's journal keeps everything
# it still holds, and its records are still its own (duplicates).
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
heartbeat() { rcli HGET cchc:v1:heartbeat:aggregator "$1"; }
[ "$(heartbeat replay_refused_sources)" = 0 ] || fail "refused before the attack"

rcli FLUSHALL >/dev/null
batch c 1 | post "$DOSSIER_URL" >/dev/null # the next flush finds Redis wiped
refused_is() { [ "$(heartbeat replay_refused_sources)" = "$1" ]; }
wait_for 60 refused_is 1
[ "$(heartbeat redis_lost)" -ge 1 ] || fail "the loss was not counted"
grep -q 'Redis lost state' "$T/aggregator.log" || fail "the loss was not logged"
grep -q 'publisher dossier refuses events from 0' "$T/aggregator.log" || fail "the refusal was not logged"
# It stays said while it lasts, every heartbeat.
sleep 2
refused_is 1 || fail "the heartbeat stopped saying so"
batch a 3 | post "$DOSSIER_URL" >"$T/again.json"
[ "$(jq .duplicate "$T/again.json")" = 3 ] || fail "the service lost records: $(cat "$T/again.json")"
echo "redis_lost_compacted: the loss and the refused replay logged and in the heartbeat"
