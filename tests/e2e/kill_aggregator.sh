#!/usr/bin/env bash
# kill -9 of the aggregator at random moments during a replay, then a restart:
# every figure is still exact (positions are applied atomically with totals).
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/e2e/rachgia_expect.sh"

start_redis --appendonly yes --appendfsync always
start_dossier
start_aggregator
cchc-loadgen rachgia-2022 --out "$T/data" >/dev/null
cchc-import --batch 500 --url "$DOSSIER_URL" "$T"/data/dossier-*.ndjson >"$T/import.out" 2>&1 &
import=$!
RANDOM=42
kills=0
while [ $kills -lt 5 ] || kill -0 $import 2>/dev/null; do
    sleep "0.$((RANDOM % 9 + 1))"
    kill -9 "$PID_aggregator" 2>/dev/null || true
    wait "$PID_aggregator" 2>/dev/null || true
    kills=$((kills + 1))
    start_aggregator
    [ $kills -lt 40 ] || break
done
wait $import || fail "import: $(cat "$T/import.out")"
wait_caught_up 240
check_rachgia_2022
echo "kill_aggregator: ok after $kills kills"
