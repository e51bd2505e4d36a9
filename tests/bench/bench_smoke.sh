#!/usr/bin/env bash
# The benchmark's data set, small, for exactness only (speed is
# measured by ops/bench, never by a timed test): a country-shaped registry of
# about 2,000 communes and 200,000 records for all four services, imported
# with the aggregator stopped and then applied from the journals. The root's
# all-time figures must be exactly what cchc-loadgen counted.
. "$CCHC_SRC/tests/lib.sh"

cchc-loadgen country --out "$T/data" --records 200000 --units 2000 >/dev/null
units=(--units "$T/data/units.tsv")
start_redis_durable
for s in dossier staffing finance egov; do start_service "$s" "${units[@]}"; done
for s in dossier staffing finance egov; do
    url="${s^^}_URL"
    cchc-import --batch 5000 --url "${!url}" "$T/data/$s-000.ndjson" >>"$T/import.out" 2>&1 ||
        fail "import $s: $(tail -n 3 "$T/import.out")"
done
grep -q "rejected [1-9]" "$T/import.out" && fail "rejected lines: $(cat "$T/import.out")"
start=$(date +%s.%N)
start_aggregator "${units[@]}"
wait_caught_up 300
took=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
events=$(rcli HGET cchc:v2:heartbeat:aggregator applied_events)

bad=0
while IFS=$'\t' read -r metric want; do
    got=$(rcli HGET cchc:v2:fig:vn:all "$metric")
    if [ "${got:-0}" != "$want" ]; then
        echo "vn all $metric: loadgen $want, redis ${got:-absent}" >&2
        bad=$((bad + 1))
    fi
done < <(jq -r '.all | to_entries[] | "\(.key)\t\(.value)"' "$T/data/expected.json")
[ "$bad" = 0 ] || fail "$bad figures differ"
echo "bench_smoke: exact; $(jq '.all | length' "$T/data/expected.json") root figures; ${events:-?} events applied from the journals in $took s"
