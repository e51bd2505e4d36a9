#!/usr/bin/env bash
# cchc-reconcile recomputes from the journals what Redis must hold and names
# every difference by unit, period and figure: none after a clean replay,
# exactly the ones made by hand after tampering with Redis. --repair puts
# them right (figures, rankings, rates, packed days) and every form figure
# is exact again.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/e2e/rachgia_expect.sh"

start_redis
for s in dossier staffing finance egov; do start_service $s; done
start_aggregator
cchc-loadgen rachgia-2022 --out "$T/data" >/dev/null
import_rachgia_2022 "$T/data"
wait_caught_up
journals=()
for s in "${SERVICES[@]}"; do journals+=("$s=$T/$s/events.journal"); done

cchc-reconcile "${journals[@]}" >"$T/clean.out" || fail "differences after a clean replay: $(tail "$T/clean.out")"
grep -q ' 0 differences$' "$T/clean.out" || fail "no summary: $(tail -n 3 "$T/clean.out")"

# Tamper: one figure counted twice, one lost, one that nothing explains, a
# day's figure changed and a day that is not a packed day at all.
W=kg.rachgia.p-an-binh
before=$(rcli HGET "cchc:v2:fig:$W:2022-03" received)
rcli HINCRBY "cchc:v2:fig:$W:2022-03" received 1 >/dev/null
rcli HDEL "cchc:v2:fig:kg.rachgia:2022" district:resolved_late >/dev/null
rcli HSET "cchc:v2:fig:kg.rachgia.mot-cua:2022-Q2" invented 3 >/dev/null
day=$(rcli HKEYS "cchc:v2:days:$W:2022-03" | sort | head -n 1)
packed=$(rcli HGET "cchc:v2:days:$W:2022-03" "$day")
day_received=$(day_fig "$W" "$day" received)
rcli HSET "cchc:v2:days:$W:2022-03" "$day" "${packed/ received=$day_received / received=$((day_received + 5)) }" >/dev/null
[ "$(day_fig "$W" "$day" received)" = $((day_received + 5)) ] || fail "the day was not tampered with"
bad_day=$(rcli HKEYS "cchc:v2:days:kg.rachgia:2022-03" | sort | tail -n 1)
bad_packed=$(rcli HGET "cchc:v2:days:kg.rachgia:2022-03" "$bad_day")
rcli HSET "cchc:v2:days:kg.rachgia:2022-03" "$bad_day" "received=1 garbage" >/dev/null
# and a month gone from a unit's index: cchc-report would read none of its days
month_score=$(rcli ZSCORE "cchc:v2:months:$W" 2022-05)
rcli ZREM "cchc:v2:months:$W" 2022-05 >/dev/null
set +e
cchc-reconcile "${journals[@]}" >"$T/tampered.out"
rc=$?
set -e
[ $rc = 1 ] || fail "reconcile exit $rc after tampering"
grep -qx "$W 2022-03 received: journals $before, redis $((before + 1))" "$T/tampered.out" ||
    fail "the double count is not named: $(grep -v '^#' "$T/tampered.out")"
grep -qE "^kg.rachgia 2022 district:resolved_late: journals [0-9]+, redis absent$" "$T/tampered.out" ||
    fail "the lost figure is not named: $(grep -v '^#' "$T/tampered.out")"
grep -qx "kg.rachgia.mot-cua 2022-Q2 invented: journals 0, redis 3" "$T/tampered.out" ||
    fail "the unexplained figure is not named: $(grep -v '^#' "$T/tampered.out")"
grep -qx "$W $day received: journals $day_received, redis $((day_received + 5))" "$T/tampered.out" ||
    fail "the day's figure is not named: $(grep -v '^#' "$T/tampered.out")"
grep -qx "cchc:v2:days:kg.rachgia:2022-03 field $bad_day: a pair without a figure before its '=': 'garbage'" "$T/tampered.out" ||
    fail "the broken day is not named: $(grep -v '^#' "$T/tampered.out")"
grep -qx "cchc:v2:months:$W 2022-05: journals $month_score, redis absent" "$T/tampered.out" ||
    fail "the month gone from the index is not named: $(grep -v '^#' "$T/tampered.out")"
grep -q ' 6 differences$' "$T/tampered.out" || fail "$(tail -n 1 "$T/tampered.out")"

# Repair: the figures, the days, the ranking of the ward, and the rates.
rate=$(rcli HGET cchc:v2:fig:kg.rachgia:2022 on_time_pct)
rcli HSET "cchc:v2:fig:kg.rachgia:2022" on_time_pct 1.00 >/dev/null
cchc-reconcile --repair "${journals[@]}" >"$T/repair.out" || fail "repair: $(tail -n 5 "$T/repair.out")"
grep -qx "# repaired 6 differences; comparing again" "$T/repair.out" || fail "$(cat "$T/repair.out")"
[ "$(tail -n 1 "$T/repair.out" | grep -o ' 0 differences$')" = " 0 differences" ] ||
    fail "left after repair: $(tail -n 1 "$T/repair.out")"
[ "$(rcli HGET "cchc:v2:fig:$W:2022-03" received)" = "$before" ] || fail "received not repaired"
[ "$(rcli ZSCORE cchc:v2:rank:kg.rachgia:commune:2022-03:received "$W")" = "$before" ] || fail "ranking not right"
[ "$(rcli HGET "cchc:v2:days:$W:2022-03" "$day")" = "$packed" ] || fail "the day not repaired"
[ "$(rcli HGET "cchc:v2:days:kg.rachgia:2022-03" "$bad_day")" = "$bad_packed" ] || fail "the broken day not repaired"
[ "$(rcli ZSCORE "cchc:v2:months:$W" 2022-05)" = "$month_score" ] || fail "the month not back in the index"
[ "$(rcli HGET cchc:v2:fig:kg.rachgia.mot-cua:2022-Q2 invented)" = 0 ] || fail "invented figure left"
[ "$(rcli HGET cchc:v2:repairs reconcile)" = 1 ] || fail "repairs not counted"
[ "$(rcli HGET cchc:v2:fig:kg.rachgia:2022 on_time_pct)" = "$rate" ] || fail "rates not recomputed"
check_rachgia_2022
cchc-reconcile "${journals[@]}" >"$T/after.out" || fail "differences after repair: $(tail "$T/after.out")"

# The repair moved the stamp under the aggregator's figure cells: its next
# flush is refused, it reads Redis again, and what it writes adds to the
# repaired figures, not to what it had cached.
[ "$(rcli HGET cchc:v2:pos stamp)" -gt 0 ] || fail "no stamp in cchc:v2:pos"
curl -sf -H @"$T/auth.header" -X POST --data-binary @- "$DOSSIER_URL" >/dev/null <<EOF2
{"id":"after-repair","type":"received","unit":"$W","at":"2022-03-01T09:00:00+07:00","dossier":"AR1","procedure":"1.001","field":"x","channel":"direct","due":"2022-03-10T17:00:00+07:00"}
EOF2
wait_caught_up
wait_for 10 grep -q "starting over from Redis" "$T/aggregator.log"
[ "$(rcli HGET "cchc:v2:fig:$W:2022-03" received)" = $((before + 1)) ] || fail "the record after the repair"
cchc-reconcile "${journals[@]}" >"$T/last.out" || fail "differences after the cache was refused: $(tail "$T/last.out")"
echo "reconcile: ok"
