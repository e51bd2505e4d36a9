#!/usr/bin/env bash
# DVCQG dossier records (DongBoHoSoMC) through both doors of cchc-dossier:
# half as envelopes POSTed to /v1/dvcqg (one pretty-printed over many
# lines), half with cchc-import --format dvcqg (envelopes and bare records),
# the service killed between the two. Every status path, a due date moved
# after a supplement, states sent twice and out of order, local times
# either side of midnight UTC (tests/e2e/dvcqg_gen.py, which counts the
# form 3 figures itself); bad records rejected naming the field, the good
# ones beside them taken; everything sent again is a duplicate. The
# figures cchc-report prints equal the generator's, for each commune and
# the province, over the 2025 year and over a window with carried-over
# dossiers.
. "$CCHC_SRC/tests/lib.sh"

printf '%s\n' \
    $'t\tprovince\tgovernment\tTỉnh T\tcode=89' \
    $'t.a\tcommune\tgovernment\tXã A\tcode=30001' \
    $'t.b\tcommune\tgovernment\tPhường B\tcode=30002\tmadonvi=000.00.31.H01' >"$T/units.tsv"
export CCHC_UNITS="$T/units.tsv"
start_redis
start_dossier
start_aggregator
read -r total half < <(python3 "$CCHC_SRC/tests/e2e/dvcqg_gen.py" "$T")

# Beside the generated ones: an envelope with a bad record and a good one,
# a bad envelope, a value that is not JSON.
good='{"MaHoSo":"G1","MaTTHC":"1.004227","MaLinhVuc":"G09-TP","KenhThucHien":"2","TrangThaiHoSo":"1","NgayTiepNhan":"20250301080000"}'
bad='{"MaHoSo":"B1","MaTTHC":"1.004227","MaLinhVuc":"G09-TP","KenhThucHien":"1","TrangThaiHoSo":"2","NgayTiepNhan":"20250301080000","NgayHenTra":"20250230170000"}'
lines=$(wc -l <"$T/post.json")
{
    echo "{\"service\":\"DongBoHoSoMC\",\"isUpdating\":\"False\",\"madonvi\":\"30001\",\"data\":[$bad,$good]}"
    echo '{"service":"DongBoHoSo","madonvi":"30001","data":[]}'
    echo '{"service":"DongBoHoSoMC","isUpdating":"yes","data":[]}'
    echo '{"service":"DongBoHoSoMC","madonvi":30001,"data":[]}'
    echo '{"service":"DongBoHoSoMC","data":{}}'
    echo '{"MaHoSo": "B2", oops}'
} >>"$T/post.json"
curl -sf -X POST -H @"$T/auth.header" -H 'Content-Type: application/json' \
    --data-binary @"$T/post.json" "$DOSSIER_BASE/v1/dvcqg" >"$T/post.answer" ||
    fail "POST /v1/dvcqg failed"
[ "$(jq .rejected "$T/post.answer")" = 6 ] || fail "rejected: $(jq -c '[.results[] | select(.status == "rejected")]' "$T/post.answer")"
[ "$(jq '.accepted + .duplicate' "$T/post.answer")" = $((half + 1)) ] ||
    fail "accepted + duplicate: $(jq '.accepted + .duplicate' "$T/post.answer"), want $((half + 1))"
has_result() { # LINE STATUS [ERROR]
    jq -e --argjson l "$1" --arg s "$2" --arg e "${3:-}" \
        '[.results[] | select(.line == $l and .status == $s and ($e == "" or .error == $e))] | length > 0' \
        "$T/post.answer" >/dev/null || fail "no result $2 at line $1 ${3:+($3)}: $(jq -c --argjson l "$1" '[.results[] | select(.line == $l)]' "$T/post.answer")"
}
has_result $((lines + 1)) rejected 'data[0]: field "NgayHenTra": not a time as yyyyMMddHHmmss (local time, UTC+7)'
has_result $((lines + 1)) accepted
has_result $((lines + 2)) rejected 'field "service": not "DongBoHoSoMC" (an envelope of dossier records has "service":"DongBoHoSoMC")'
has_result $((lines + 3)) rejected 'field "isUpdating": not "True" or "False"'
has_result $((lines + 4)) rejected 'field "madonvi": must be a string'
has_result $((lines + 5)) rejected 'field "data": must be an array of DongBoHoSoMC records'
has_result $((lines + 6)) rejected "malformed JSON at line $((lines + 6)) column 21: string or '}' expected near 'oops'"
# The pretty-printed envelope's records all answer for its first line.
has_result 1 accepted
# The rejected records are kept, each with its reason.
[ "$(jq -s '[.[] | select(.error | startswith("data[0]: field \"NgayHenTra\""))] | length' \
    "$T/dossier/rejects.ndjson")" = 1 ] || fail "the reject log: $(cat "$T/dossier/rejects.ndjson")"

# Killed: the state on disk may be behind the journal; the start replays it.
kill -9 "$PID_dossier"
wait "$PID_dossier" 2>/dev/null || true
start_dossier
echo '{"MaHoSo":"B3","MaTTHC":"1.004227","MaLinhVuc":"G09-TP","KenhThucHien":"4","TrangThaiHoSo":"2","NgayTiepNhan":"20250301080000","NgayHenTra":"20250305170000","madonvi":"30001"}' >>"$T/import.jsonl"
rc=0
cchc-import --format dvcqg --url "$DOSSIER_BASE/v1/dvcqg" "$T/import.jsonl" >"$T/import.out" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "cchc-import exit $rc, want 1: $(cat "$T/import.out")"
n=$(wc -l <"$T/import.jsonl")
grep -q "import.jsonl:$n: field \"KenhThucHien\": not 1 (direct), 2 (online) or 3 (postal)" "$T/import.out" ||
    fail "the bad line is not named: $(cat "$T/import.out")"
grep -q "^done: $n lines ($n records): .* rejected 1$" "$T/import.out" || fail "summary: $(cat "$T/import.out")"

# Everything again, through the other door: nothing new.
cchc-import --format dvcqg --url "$DOSSIER_BASE/v1/dvcqg" "$T/post.json" >"$T/again.out" 2>&1 || true
grep -q "accepted 0, duplicate $((half + 1)), rejected 6" "$T/again.out" || fail "sent again: $(cat "$T/again.out")"
curl -sf -X POST -H @"$T/auth.header" --data-binary @"$T/import.jsonl" "$DOSSIER_BASE/v1/dvcqg" >"$T/again.answer"
[ "$(jq .accepted "$T/again.answer")" = 0 ] || fail "import.jsonl posted again took $(jq .accepted "$T/again.answer")"

wait_caught_up 60
checked=0
while IFS=$'\t' read -r unit from to row value; do
    out="$T/report-$unit-$from.json"
    [ -s "$out" ] || CCHC_REDIS_URL=$READER_URL cchc-report --unit "$unit" --from "$from" --to "$to" \
        --form 3 --format json >"$out"
    expect "$out" "$row" "$value"
    checked=$((checked + 1))
done <"$T/expect.tsv"
[ "$checked" = 90 ] || fail "checked $checked figures, want 90"
# Not all zero: every row the generator counts has figures at the province.
for row in 3.3.not_accepted 3.3.supplement 3.3.withdrawn 3.3.stopped 3.3.late 3.3.carried_over; do
    awk -F'\t' -v r="$row" '$1 == "t" && $4 == r && $5 > 0 { ok = 1 } END { exit !ok }' "$T/expect.tsv" ||
        fail "the generator gives no $row"
done
echo "ok: $total records ($half posted), $checked figures as counted"
