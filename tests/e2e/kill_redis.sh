#!/usr/bin/env bash
# kill -9 of redis-server during a replay. With ops/redis-durable (appendfsync always)
# nothing applied is lost; with no persistence at all Redis comes back empty,
# and the aggregator, whose positions went with the figures, applies the
# journals again from the start. Either way every figure ends exact.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/e2e/rachgia_expect.sh"

mode=${1:-durable}
start_redis_for_mode() { if [ "$mode" = durable ]; then start_redis_durable; else start_redis; fi; }
start_redis_for_mode
start_dossier
start_aggregator
cchc-loadgen rachgia-2022 --out "$T/data" >/dev/null
cchc-import --batch 500 --url "$DOSSIER_URL" "$T"/data/dossier-*.ndjson >"$T/import.out" 2>&1 &
import=$!
RANDOM=11
kills=0
while [ $kills -lt 3 ]; do
    sleep "1.$((RANDOM % 9))"
    kill -9 "$REDIS_PID"
    wait "$REDIS_PID" 2>/dev/null || true
    kills=$((kills + 1))
    sleep 0.$((RANDOM % 5 + 1)) # the aggregator finds Redis gone
    start_redis_for_mode
done
wait $import || fail "import: $(cat "$T/import.out")"
wait_caught_up 240
check_rachgia_2022
echo "kill_redis ($mode): ok after $kills kills of redis-server"
