#!/usr/bin/env bash
# cchc-reconcile recomputes from the journals what Redis must hold and names
# every difference by unit, period and figure: none after a clean replay,
# exactly the ones made by hand after tampering with Redis.
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

# Tamper: one figure counted twice, one lost, one that nothing explains.
W=kg.rachgia.p-an-binh
before=$(rcli HGET "cchc:v1:fig:$W:2022-03" received)
rcli HINCRBY "cchc:v1:fig:$W:2022-03" received 1 >/dev/null
rcli HDEL "cchc:v1:fig:kg.rachgia:2022" district:resolved_late >/dev/null
rcli HSET "cchc:v1:fig:kg.rachgia.mot-cua:2022-Q2" invented 3 >/dev/null
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
grep -q ' 3 differences$' "$T/tampered.out" || fail "$(tail -n 1 "$T/tampered.out")"
echo "reconcile: ok"
