#!/usr/bin/env bash
# kill -9 of redis-server during a replay. With appendonly/appendfsync always
# nothing applied is lost; with no persistence at all Redis comes back empty,
# and the aggregator, whose positions went with the figures, applies the
# journals again from the start. Either way every figure ends exact.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/e2e/rachgia_expect.sh"

mode=${1:-durable}
redis_args=(--appendonly yes --appendfsync always)
[ "$mode" = volatile ] && redis_args=(--appendonly no --save '')
start_redis "${redis_args[@]}"
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
    start_redis "${redis_args[@]}"
done
wait $import || fail "import: $(cat "$T/import.out")"
wait_caught_up 240
check_rachgia_2022
echo "kill_redis ($mode): ok after $kills kills of redis-server"
