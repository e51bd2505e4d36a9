#!/usr/bin/env bash
# Attack: an admin wipes Redis (FLUSHALL) after retention has dropped the
# journal's oldest events. They are gone from everywhere but the lost Redis,
# so the figures cannot come back by themselves. The aggregator must not
# stall in silence: it logs "Redis lost state", and, when the service
# refuses to replay what its journal no longer holds, logs that and counts
# it in the heartbeat (replay_refused_sources) for as long as it lasts
# (ops/README.md, lost Redis state). The service's journal keeps everything
# it still holds, and its records are still its own (duplicates). /healthz
# answers 503 "degraded" with the loss (when, the stamps) and the refusing
# source for as long as it lasts, whatever comes; once an operator restores
# Redis from its last copy (here: a copy taken before the wipe, put back and
# the connections dropped, as a restart of redis-server would), the
# aggregator replays what came after it, and /healthz is 200 again with a
# note of the loss; every accepted record is counted once.
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
# The operator's last copy of Redis: every key, dumped.
redis_copy() { # redis_copy save|restore FILE
    /usr/bin/python3 - "$REDIS_SOCK" "$T/secrets/redis-admin.pw" "$@" <<'PY'
import sys, pickle, redis
r = redis.Redis(unix_socket_path=sys.argv[1], username="admin",
                password=open(sys.argv[2]).readline().strip())
if sys.argv[3] == "save":
    pickle.dump({k: r.dump(k) for k in r.scan_iter(count=1000)}, open(sys.argv[4], "wb"))
else:
    r.flushall()
    for k, v in pickle.load(open(sys.argv[4], "rb")).items():
        r.restore(k, 0, v, replace=True)
PY
}
redis_copy save "$T/copy"

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
code_is 503 || fail "lost with a source refusing, but /healthz: $(health_json)"
[ "$(health_json | jq -r .status)" = degraded ] || fail "status: $(health_json)"
health_json | jq -r '.reasons[]' |
    grep -q '^redis lost state at .*; 1 source(s) refuse to replay .*the figures are incomplete, waiting for an operator' ||
    fail "reason: $(health_json)"
[ "$(health_json | jq .sources.refusing_replay)" = 1 ] || fail "refusing: $(health_json)"
[ "$(health_json | jq .redis_lost.found_stamp)" = 0 ] || fail "found stamp: $(health_json)"
[ "$(health_json | jq .redis_lost.wrote_stamp)" = "$(heartbeat redis_lost_wrote_stamp)" ] ||
    fail "wrote stamp: $(health_json), heartbeat $(heartbeat redis_lost_wrote_stamp)"
echo "lost, compacted: $(health_json)"
batch a 3 | post "$DOSSIER_URL" >"$T/again.json"
[ "$(jq .duplicate "$T/again.json")" = 3 ] || fail "the service lost records: $(cat "$T/again.json")"
batch d 2 | post "$DOSSIER_URL" >/dev/null # new records: still not in the figures
sleep 2
code_is 503 || fail "/healthz stopped saying so: $(health_json)"

# The operator restores Redis from its copy: what came after it is replayed.
redis_copy restore "$T/copy"
rcli CLIENT KILL USER aggregator >/dev/null
wait_for 60 refused_is 0
wait_caught_up 60
wait_for 30 code_is 200
[ "$(health_json | jq -r .status)" = ok ] || fail "restored, but: $(health_json)"
health_json | jq -r .note | grep -q '^redis lost state at ' || fail "no note of the loss: $(health_json)"
echo "restored: $(health_json)"
accepted=$(stats | jq .accepted)
[ "$(rcli HGET "cchc:v2:fig:$W:all" received)" = "$accepted" ] ||
    fail "figures after the restore: $(rcli HGET "cchc:v2:fig:$W:all" received) received, $accepted accepted"
echo "redis_lost_compacted: the loss and the refused replay logged, in the heartbeat and /healthz until restored"
