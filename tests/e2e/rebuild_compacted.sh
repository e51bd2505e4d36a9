#!/usr/bin/env bash
# Redis is a cache: the figures come back from the journals alone, however
# often retention compacted them. The Rạch Giá dossiers go in part by part
# with a 1 MiB journal limit, so the journal is compacted again and again
# and most events live on only as sums in its checkpoint. Then Redis is
# lost in five ways, and each time the aggregator rebuilds every figure,
# byte for byte what it had (figures_dump), and the report's 2022 figures:
#   - FLUSHALL under the running aggregator: it notices within a heartbeat
#     and replays the checkpoint, then the journal;
#   - FLUSHALL while it is stopped: at start, the same;
#   - a position moved to one the checkpoint has no run for (a Redis from
#     an older copy): it empties Redis and rebuilds from nothing;
#   - Redis put back from a copy taken where the first run ends: it finds
#     its place in the checkpoint and replays only the runs after it;
#   - a figure damaged, then `cchc-aggregator --rebuild`.
# cchc-reconcile reads the same compacted journal: no difference, then the
# damaged figure named, then repaired.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/e2e/rachgia_expect.sh"

start_redis
start_dossier --journal-max-mb 1
start_aggregator
cchc-loadgen rachgia-2022 --out "$T/data" >/dev/null
files=("$T"/data/dossier-*.ndjson)
split -n l/6 -d --additional-suffix=.ndjson "${files[0]}" "$T/part-"
stats() { curl -sf "$DOSSIER_BASE/v1/stats"; }
# The operator's copy of Redis, taken when Redis stood exactly where the
# first run of the checkpoint ends: the first part goes in while the
# aggregator is paused (nothing is acknowledged, so nothing folded), then
# it catches up and retention folds all of it (the aggregator caught up,
# nothing since).
all_folded() { [ "$(stats | jq '.journal_base == .journal_next_seq')" = true ]; }
first=1
for part in "$T"/part-*.ndjson; do
    [ "$first" = 1 ] && kill -STOP "$PID_aggregator"
    cchc-import --batch 500 --url "$DOSSIER_URL" "$part" >>"$T/import.out" 2>&1 ||
        fail "import: $(cat "$T/import.out")"
    [ "$first" = 1 ] && kill -CONT "$PID_aggregator"
    wait_caught_up 120
    if [ "$first" = 1 ]; then
        wait_for 30 all_folded
        redis_copy save "$T/copy"
        first=0
    fi
done
compactions=$(grep -c "retention: dropped" "$T/dossier.log" || true)
[ "$compactions" -ge 3 ] || fail "only $compactions compactions"
base=$(stats | jq .journal_base)
epoch=$(stats | jq -r .journal_epoch)
journal="$T/dossier/events.journal"
[ -s "$T/dossier/checkpoint-$epoch.journal" ] || fail "no checkpoint beside the journal"
echo "rebuild_compacted: $compactions compactions, journal from event $base"
figures_dump "$T/before"
[ "$(wc -l <"$T/before")" -gt 1000 ] || fail "too few keys to compare: $(wc -l <"$T/before")"

# cchc-reconcile on the compacted journal: the checkpoint's sums, then the rest.
rc=0
cchc-reconcile "dossier=$journal" >"$T/clean.out" 2>"$T/clean.err" || rc=$?
[ "$rc" = 0 ] || fail "reconcile exited $rc: $(tail -n 5 "$T/clean.out" "$T/clean.err")"
grep -qE "^# dossier: .*\\(([1-9][0-9]*) of them summed in its checkpoint\\)" "$T/clean.out" ||
    fail "reconcile did not read the checkpoint: $(head -n 3 "$T/clean.out")"
grep -q " 0 differences" "$T/clean.out" || fail "reconcile: $(tail -n 1 "$T/clean.out")"
W=kg.rachgia.p-vinh-loi
rcli HINCRBY "cchc:v2:fig:$W:2022" received 1 >/dev/null
if cchc-reconcile "dossier=$journal" >"$T/tampered.out"; then
    fail "reconcile missed a damaged figure: $(tail -n 3 "$T/tampered.out")"
fi
grep -q "^$W 2022 received: journals" "$T/tampered.out" ||
    fail "reconcile did not name the damaged figure: $(head -n 5 "$T/tampered.out")"
cchc-reconcile --repair "dossier=$journal" >"$T/repair.out" || fail "repair: $(tail -n 3 "$T/repair.out")"
cchc-reconcile "dossier=$journal" >"$T/after.out" || fail "after repair: $(tail -n 3 "$T/after.out")"
echo "rebuild_compacted: reconcile on the compacted journal: $(tail -n 1 "$T/clean.out")"

heartbeat() { rcli HGET cchc:v2:heartbeat:aggregator "$1"; }
same_figures() { # same_figures WHAT: every figure as before
    wait_caught_up 120
    figures_dump "$T/after-$1"
    cmp -s "$T/before" "$T/after-$1" ||
        fail "$1: figures differ from before: $(diff "$T/before" "$T/after-$1" | head -n 6)"
    check_rachgia_2022
    [ "$(heartbeat replay_refused_sources)" = 0 ] || fail "$1: a source refuses"
}
restart_aggregator() {
    kill "$PID_aggregator"
    wait "$PID_aggregator" 2>/dev/null || true
    start_aggregator "$@"
}
checkpoint_events() { local n; n=$(heartbeat checkpoint_events); echo "${n:-0}"; }

# 1. FLUSHALL under the running aggregator, no event coming.
rcli FLUSHALL >/dev/null
wait_for 30 grep -q 'Redis lost state' "$T/aggregator.log"
wait_for 60 caught_up
same_figures flushall
[ "$(checkpoint_events)" -gt 0 ] || fail "the checkpoint was not replayed"
echo "rebuild_compacted: FLUSHALL: rebuilt from $(checkpoint_events) checkpoint events and the journal"

# 2. FLUSHALL while it is stopped.
kill "$PID_aggregator"
wait "$PID_aggregator" 2>/dev/null || true
rcli FLUSHALL >/dev/null
start_aggregator
same_figures stopped
[ "$(checkpoint_events)" -gt 0 ] || fail "stopped: the checkpoint was not replayed"

# 3. A position the checkpoint has no run for: Redis as an older copy would hold it.
kill "$PID_aggregator"
wait "$PID_aggregator" 2>/dev/null || true
rcli HSET cchc:v2:pos "dossier/$epoch" 1 >/dev/null
rcli HDEL cchc:v2:pos "dossier/$epoch/checkpoint" >/dev/null
start_aggregator
wait_for 60 grep -q 'rebuilding Redis from nothing' "$T/aggregator.log"
same_figures stale
[ "$(heartbeat rebuilds)" -ge 1 ] || fail "stale: no rebuild counted"

# 4. Redis put back from the copy: it stands where the first run ends, which
# the aggregator finds in the checkpoint, and goes on from there.
kill "$PID_aggregator"
wait "$PID_aggregator" 2>/dev/null || true
redis_copy restore "$T/copy"
# What it holds is the first run's events: reconcile finds them so.
cchc-reconcile "dossier=$journal" >"$T/copy.out" 2>&1 || fail "reconcile on the copy: $(tail -n 3 "$T/copy.out")"
grep -q " 0 differences" "$T/copy.out" || fail "reconcile on the copy: $(tail -n 1 "$T/copy.out")"
rebuilds=$(grep -c 'rebuilding Redis from nothing' "$T/aggregator.log")
start_aggregator
same_figures copy
[ "$(grep -c 'rebuilding Redis from nothing' "$T/aggregator.log")" = "$rebuilds" ] ||
    fail "copy: rebuilt from nothing, when the copy stood at a run's end"
[ "$(checkpoint_events)" -gt 0 ] || fail "copy: the later runs were not replayed"

# 5. A damaged figure, and --rebuild.
rcli HSET "cchc:v2:fig:$W:2022" received 7 >/dev/null
restart_aggregator --rebuild
wait_for 30 grep -q -- 'rebuild: emptying Redis' "$T/aggregator.log"
same_figures rebuild
echo "rebuild_compacted: every figure rebuilt exactly, five times"
