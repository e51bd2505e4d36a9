#!/usr/bin/env bash
# The 2025 year (2024-12-15 .. 2025-12-14) across the two-tier reform of
# 1 July, under ops/units/angiang-2025.tsv: cchc-loadgen angiang-2025's
# dossiers at Rạch Giá's communes and their two successor wards, half as
# cchc's records, half as DVCQG records found by the units' codes, many
# received before the change and resolved after it. Every form 3 row
# cchc-report prints equals the generator's own count:
#   - as recorded, each old ward with its own figures up to 30 June, each
#     new ward with what happened there after;
#   - as of 2025-12-14, phường Rạch Giá and phường Vĩnh Thông with their
#     predecessors' history, each dossier once;
# and the as-of report is the predecessors' up to 30 June plus the ward's
# own from 1 July, row by row.
. "$CCHC_SRC/tests/lib.sh"
export CCHC_UNITS="$CCHC_SRC/ops/units/angiang-2025.tsv"

start_redis
start_dossier
start_aggregator
cchc-loadgen angiang-2025 --out "$T/data" >"$T/loadgen.out"
E="$T/data/expected.json"
cchc-import --url "$DOSSIER_URL" "$T/data/dossier-000.ndjson" >"$T/import.out" 2>&1 || fail "NDJSON: $(cat "$T/import.out")"
cchc-import --format dvcqg --url "$DOSSIER_BASE/v1/dvcqg" "$T/data/dvcqg-000.jsonl" >"$T/dvcqg.out" 2>&1 ||
    fail "DVCQG: $(tail -5 "$T/dvcqg.out")"
grep -q "accepted $(jq .records.dvcqg "$E"), duplicate 0, rejected 0" "$T/dvcqg.out" || fail "DVCQG: $(cat "$T/dvcqg.out")"
wait_caught_up 120
[ "$(jq .crossing "$E")" -gt 50 ] || fail "too few dossiers cross the change: $(jq .crossing "$E")"

FROM=$(jq -r .from "$E") TO=$(jq -r .to "$E") ASOF=$(jq -r .as_of "$E")
report_json() { # OUT UNIT FROM TO [flags]
    CCHC_REDIS_URL=$READER_URL cchc-report --unit "$2" --from "$3" --to "$4" --form 3 --format json \
        "${@:5}" >"$1"
}
check_rows() { # REPORT VIEW UNIT: every row the generator counted for the unit (rates as
    # the report prints them: strings in expected.json)
    local k
    for k in $(jq -r --arg v "$2" --arg u "$3" '.[$v][$u] | keys[]' "$E"); do
        expect "$1" "$k" "$(jq -r --arg v "$2" --arg u "$3" --arg k "$k" '.[$v][$u][$k]' "$E")"
        checked=$((checked + 1))
    done
}
checked=0
for u in $(jq -r '.as_recorded | keys[]' "$E"); do
    report_json "$T/rec-$u.json" "$u" "$FROM" "$TO"
    check_rows "$T/rec-$u.json" as_recorded "$u"
done
for u in $(jq -r '.today | keys[]' "$E"); do
    report_json "$T/today-$u.json" "$u" "$FROM" "$TO" --as-of "$ASOF"
    check_rows "$T/today-$u.json" today "$u"
    # The predecessors' figures up to 30 June plus the ward's own from 1 July.
    for p in $(jq -r --arg u "$u" '.predecessors[$u][]' "$E"); do
        report_json "$T/before-$p.json" "$p" "$FROM" 2025-06-30
    done
    report_json "$T/after-$u.json" "$u" 2025-07-01 "$TO"
    for k in 3.3.1 3.3.2 3.3.received 3.3.carried_over 3.3.new 3.3.online 3.3.direct_or_postal \
        3.3.postal 3.3.late 3.3.pending 3.3.returned_postal 3.3.not_accepted 3.3.supplement \
        3.3.withdrawn 3.3.stopped; do
        sum=$(json_row "$T/after-$u.json" "$k")
        for p in $(jq -r --arg u "$u" '.predecessors[$u][]' "$E"); do
            sum=$((sum + $(json_row "$T/before-$p.json" "$k")))
        done
        expect "$T/today-$u.json" "$k" "$sum"
    done
    # As recorded over the year, the ward holds only its own.
    [ "$(json_row "$T/rec-$u.json" 3.3.new)" -lt "$(json_row "$T/today-$u.json" 3.3.new)" ] ||
        fail "$u: as recorded $(json_row "$T/rec-$u.json" 3.3.new), as of today $(json_row "$T/today-$u.json" 3.3.new)"
done
[ "$checked" = $((16 * 18)) ] || fail "checked $checked figures, want $((16 * 18))"
echo "angiang_2025: ok: $checked figures; $(cat "$T/loadgen.out")"
