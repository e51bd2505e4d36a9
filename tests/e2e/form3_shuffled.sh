#!/usr/bin/env bash
# The same records in another order (resolutions before their dossiers) give the same figures.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/e2e/rachgia_expect.sh"

start_redis
start_dossier
start_aggregator
cchc-loadgen rachgia-2022 --out "$T/data" --shuffle 20221214 >/dev/null
cchc-import --url "$DOSSIER_URL" "$T"/data/dossier-*.ndjson >"$T/import.out"
grep -q 'rejected 0$' "$T/import.out" || fail "import: $(cat "$T/import.out")"
wait_caught_up
check_rachgia_2022
held=$(jq -r .accepted <(curl -sf "$DOSSIER_BASE/v1/stats"))
echo "form3_shuffled: ok ($held records)"
