#!/usr/bin/env bash
# A subscriber too slow for the bus: PUB drops frames, the aggregator sees the
# gaps (in frames and heartbeats), fetches them from the journal, and ends exact.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/e2e/rachgia_expect.sh"

start_redis
start_dossier
start_aggregator --recv-buffer 1 --apply-delay-ms 20
cchc-loadgen rachgia-2022 --out "$T/data" >/dev/null
cchc-import --batch 300 --url "$DOSSIER_URL" "$T"/data/dossier-*.ndjson >"$T/import.out"
wait_caught_up 240
check_rachgia_2022
sleep 1.2 # one more heartbeat of the aggregator
gaps=$(rcli HGET cchc:v2:heartbeat:aggregator gaps)
replayed=$(rcli HGET cchc:v2:heartbeat:aggregator replayed_events)
[ "${gaps:-0}" -gt 0 ] || fail "no gap happened: the test did not make the subscriber slow"
[ "${replayed:-0}" -gt 0 ] || fail "gaps but nothing replayed"
echo "slow_subscriber: ok; $gaps gaps, $replayed events replayed from the journal"
