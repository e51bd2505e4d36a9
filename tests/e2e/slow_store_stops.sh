#!/usr/bin/env bash
# An aggregator far behind, with a slow store (one Redis round trip per
# event: --flush-sums 1, every write fsynced), still turns its main loop
# and stops on SIGTERM within about one replay page: each bus_sub_poll is
# bounded in time (common/bus/bus_sub.c, POLL_SLICE_MS). Before, every
# queued heartbeat of the publisher fetched one more page inside one poll,
# and the aggregator neither beat nor stopped until it had caught up. What
# it applied stays exact: a new aggregator ends on every event once.
. "$CCHC_SRC/tests/lib.sh"

start_redis_durable
start_dossier
n=60000
for i in $(seq "$n"); do
    printf '{"id":"r%d","type":"received","unit":"kg.rachgia.p-vinh-loi","at":"2022-05-02T08:00:00+07:00","dossier":"D%d","procedure":"p","field":"f","channel":"online","due":"2022-05-06T17:00:00+07:00"}\n' "$i" "$i"
done >"$T/received.ndjson"
cchc-import --url "$DOSSIER_URL" "$T/received.ndjson" >"$T/import.out"
epoch=$(curl -sf "$DOSSIER_BASE/v1/stats" | jq -r .journal_epoch)
pos() { rcli HGET cchc:v2:pos "dossier/$epoch" 2>/dev/null || echo 0; }

applying() { [ "$(pos)" -gt 0 ]; }
start_aggregator --flush-sums 1
wait_for 30 applying
p0=$(pos) t0=$(date +%s.%N)
sleep 3
p1=$(pos) t1=$(date +%s.%N)
rate=$(awk -v a="$p0" -v b="$p1" -v s="$t0" -v e="$t1" 'BEGIN { printf "%d", (b - a) / (e - s) + 1 }')
# One replay page (8,192 events) may go whole; a poll's slice more.
bound=$(awk -v r="$rate" 'BEGIN { printf "%d", 2 * 8192 / r + 5 }')
left=$(awk -v r="$rate" -v p="$p1" -v n="$n" 'BEGIN { printf "%d", (n - p) / r }')
[ "$left" -gt $((2 * bound)) ] ||
    fail "at $rate events/s the aggregator would end in $left s, near the bound of $bound s: the test proves nothing"
# The main loop turns: /healthz is answered and not "has not moved".
code=$(agg_health | tail -n 1)
[ "$code" != 000 ] || fail "/healthz did not answer"
agg_health | grep -q "has not moved" && fail "the main loop stood still: $(agg_health | head -n 1)"
start=$(date +%s.%N)
kill -TERM "$PID_aggregator"
for _ in $(seq $((bound * 10))); do kill -0 "$PID_aggregator" 2>/dev/null || break; sleep 0.1; done
kill -0 "$PID_aggregator" 2>/dev/null &&
    fail "SIGTERM: still running after $bound s at $rate events/s ($(pos) of $n applied)"
took=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
stopped_at=$(pos)

start_aggregator
wait_caught_up 120
got=$(rcli HGET cchc:v2:fig:kg:all received)
[ "$got" = "$n" ] || fail "after the restart: $got received, want $n"
echo "slow_store_stops: ok; $rate events/s, stopped in $took s (bound $bound s) at $stopped_at of $n; then exact"
