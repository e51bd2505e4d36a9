#!/usr/bin/env bash
# kill -9 of cchc-dossier at random moments while records are imported: nothing
# it acknowledged is lost (its journal keeps it; a torn tail was never
# acknowledged and the import sends it again), and the figures end exact.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/e2e/rachgia_expect.sh"

start_redis
start_dossier
port=$(cat "$T/dossier.port")
start_aggregator
cchc-loadgen rachgia-2022 --out "$T/data" >/dev/null
lines=$(cat "$T"/data/dossier-*.ndjson | wc -l)
cchc-import --batch 500 --retry-seconds 60 --url "$DOSSIER_URL" "$T"/data/dossier-*.ndjson \
    >"$T/import.out" 2>"$T/import.err" &
import=$!
RANDOM=7
kills=0
while kill -0 $import 2>/dev/null && [ $kills -lt 8 ]; do
    sleep "0.$((RANDOM % 9 + 1))"
    kill -9 "$PID_dossier" 2>/dev/null || true
    wait "$PID_dossier" 2>/dev/null || true
    kills=$((kills + 1))
    start_dossier --listen "127.0.0.1:$port"
done
wait $import || fail "import: $(cat "$T/import.out" "$T/import.err")"
[ $kills -ge 5 ] || fail "only $kills kills happened before the import ended"
# Every line was answered accepted or duplicate (a retried batch), none lost or rejected.
read -r acc dup rej < <(sed -E 's/.*accepted ([0-9]+), duplicate ([0-9]+), rejected ([0-9]+).*/\1 \2 \3/' "$T/import.out")
[ "$rej" = 0 ] || fail "rejected $rej"
[ $((acc + dup)) -ge "$lines" ] || fail "accepted $acc + duplicate $dup < $lines lines"
stats=$(curl -sf "$DOSSIER_BASE/v1/stats")
wait_caught_up 240
check_rachgia_2022
echo "kill_dossier: ok after $kills kills; journal holds $(jq .journal_next_seq <<<"$stats") events"
