#!/usr/bin/env bash
# cchc-loadgen rachgia-2022: the same bytes on every run, the same lines when
# shuffled or split, well-formed records of the four services, and, counted
# here with jq and awk apart from the generator, the figures of Rach Gia's
# 2022 report (forms 1-7 and its text, services/DOMAIN.md).
set -euo pipefail

: "${CCHC_BIN:?run from ctest, or set CCHC_BIN to the bin/ folder of a build}"
: "${CCHC_SRC:?set CCHC_SRC to the source tree}"
export LC_ALL=C # byte order for sort, join and string comparison of times
LG="$CCHC_BIN/cchc-loadgen"
HERE="$CCHC_SRC/tests/loadgen"
REGISTRY="$CCHC_SRC/ops/units/rachgia.tsv"
SERVICES="dossier staffing finance egov"
FROM=2021-12-15T00:00:00+07:00 # the window, [FROM, TO)
TO=2022-12-01T00:00:00+07:00
T=$(mktemp -d "${TMPDIR:-/tmp}/cchc-loadgen.XXXXXX")
trap 'rm -rf "$T"' EXIT

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# --- the command line ---------------------------------------------------------
"$LG" --help | grep -q rachgia-2022 || fail "--help does not name the scenario"
"$LG" --help | grep -q staffing-000 || fail "--help does not name the staffing files"
! "$LG" rachgia-2022 >/dev/null 2>&1 || fail "ran without --out"
! "$LG" no-such-scenario --out "$T/x" >/dev/null 2>&1 || fail "ran an unknown scenario"
! "$LG" rachgia-2022 --out "$T/x" --files 0 >/dev/null 2>&1 || fail "accepted --files 0"
# Dropping one record must trip the self-check, and then nothing is written:
# an early dossier record here, records of the other services below.
omit_fails() { # INDEX WHAT
    if "$LG" rachgia-2022 --out "$T/x" --omit-record "$1" >/dev/null 2>"$T/omit.err"; then
        fail "the self-check let a data set without $2 through"
    fi
    grep -q 'self-check' "$T/omit.err" || fail "no self-check message: $(cat "$T/omit.err")"
    [ ! -e "$T/x" ] || fail "a failed self-check still wrote files"
}
omit_fails 100 "its 101st dossier record"

# --- deterministic, split, shuffled -------------------------------------------
start=$(date +%s%N)
"$LG" rachgia-2022 --out "$T/a" >/dev/null
now=$(date +%s%N)
ms=$(( (now - start) / 1000000 ))
echo "generated in ${ms} ms"
"$LG" rachgia-2022 --out "$T/b" >/dev/null
A="$T/a/dossier-000.ndjson"
for s in $SERVICES; do
    [ -s "$T/a/$s-000.ndjson" ] || fail "no $s records"
    cmp "$T/a/$s-000.ndjson" "$T/b/$s-000.ndjson" || fail "two runs wrote different $s records"
done
cmp "$T/a/expected.json" "$T/b/expected.json" || fail "two runs wrote different expected.json"

"$LG" rachgia-2022 --out "$T/c" --files 3 >/dev/null
for s in $SERVICES; do
    [ "$(ls "$T"/c/$s-*.ndjson | wc -l)" = 3 ] || fail "--files 3 did not write 3 $s files"
    cat "$T"/c/$s-00{0,1,2}.ndjson | cmp - "$T/a/$s-000.ndjson" ||
        fail "the 3 $s files are not the single file cut in 3"
done
"$LG" rachgia-2022 --out "$T/c" >/dev/null
for s in $SERVICES; do
    [ "$(ls "$T"/c/$s-*.ndjson | wc -l)" = 1 ] || fail "a rerun with fewer files left stale $s ones"
done

"$LG" rachgia-2022 --out "$T/s" --shuffle 20221214 --files 2 >/dev/null
"$LG" rachgia-2022 --out "$T/s2" --shuffle 20221214 --files 2 >/dev/null
for s in $SERVICES; do
    cat "$T"/s/$s-00{0,1}.ndjson >"$T/shuffled-$s"
    cat "$T"/s2/$s-00{0,1}.ndjson | cmp - "$T/shuffled-$s" || fail "the same seed shuffled $s differently"
    ! cmp -s "$T/shuffled-$s" "$T/a/$s-000.ndjson" || fail "--shuffle kept the time order of $s"
    sort "$T/a/$s-000.ndjson" >"$T/sorted-$s"
    sort "$T/shuffled-$s" | cmp - "$T/sorted-$s" || fail "--shuffle changed the set of $s lines"
done
cmp "$T/a/expected.json" "$T/s/expected.json" || fail "--shuffle changed expected.json"
early=$(awk 'match($0, /"dossier":"[^"]*"/) {
                 d = substr($0, RSTART, RLENGTH)
                 if ($0 ~ /"type":"resolved"/) { if (!(d in seen)) n++ } else seen[d] = 1
             } END { print n + 0 }' "$T/shuffled-dossier")
[ "$early" -gt 1000 ] || fail "only $early resolutions come before their dossiers when shuffled"

# Dropping a counted record of another service trips the self-check too: the
# final headcount of a department's civil servants, an online service.
n_dossier=$(wc -l <"$A")
n_staffing=$(wc -l <"$T/a/staffing-000.ndjson")
n_finance=$(wc -l <"$T/a/finance-000.ndjson")
n_egov=$(wc -l <"$T/a/egov-000.ndjson")
line=$(grep -n '"unit":"kg.rachgia.phong-kinh-te","at":"2022-11-18[^"]*","category":"cong-chuc"' \
    "$T/a/staffing-000.ndjson" | cut -d: -f1)
[ -n "$line" ] || fail "no final headcount of the Kinh tế department"
omit_fails $((n_dossier + line - 1)) "a department's headcount"
line=$(grep -n -m1 '"type":"online_service"' "$T/a/egov-000.ndjson" | cut -d: -f1)
omit_fails $((n_dossier + n_staffing + n_finance + line - 1)) "an online service"

# --- well-formed records ------------------------------------------------------
# The dossier files through records.jq; at the same time the other services'
# records, and the dossier files' procedure and survey ones, through items.jq.
{
    grep -h -E '"type":"(procedure|survey)"' "$A"
    cat "$T/a/staffing-000.ndjson" "$T/a/finance-000.ndjson" "$T/a/egov-000.ndjson"
} | jq -r -f "$HERE/items.jq" >"$T/items" 2>"$T/items.err" &
items_pid=$!
jq -r -f "$HERE/records.jq" "$A" >"$T/rows" || fail "a line is not valid JSON"
wait $items_pid || fail "a line of the other services is not valid JSON: $(head -3 "$T/items.err")"
[ "$(wc -l <"$T/rows")" = "$n_dossier" ] || fail "not exactly one JSON value a line"
[ "$(wc -l <"$T/items")" = "$(($(grep -c '^J' "$T/rows") + n_staffing + n_finance + n_egov))" ] ||
    fail "not exactly one JSON value a line (other services)"
if grep '^E' "$T/rows" "$T/items" | head -5 | grep .; then fail "malformed records (line: problem above)"; fi
time_re='[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\+07:00'
{
    grep '^R' "$T/rows" | cut -f4,5 | tr '\t' '\n'
    grep '^[XF]' "$T/rows" | awk -F'\t' '{ print ($1 == "X") ? $4 : $3 }'
    cut -f3 "$T/items"
} | grep -Evx "$time_re" | head -5 >"$T/bad-times" || true
[ ! -s "$T/bad-times" ] || fail "times not RFC 3339 at +07:00: $(cat "$T/bad-times")"
awk -F'\t' '{ for (i = 2; i <= NF; i++) if ($i == "") { print; exit } }' "$T/rows" "$T/items" >"$T/empty"
[ ! -s "$T/empty" ] || fail "a record with an empty field: $(cat "$T/empty")"
# (J rows are the procedure and survey records that items.jq reads too.)
grep -v '^J' "$T/rows" | cat - "$T/items" | awk -F'\t' '{ print $NF }' | sort | uniq -d >"$T/dup-ids"
[ ! -s "$T/dup-ids" ] || fail "record ids used twice: $(head -5 "$T/dup-ids")"
# Every unit a record names is in the registry (figures.awk checks the items'
# and the kind of the units of autonomy records).
grep -v '^J' "$T/rows" | awk -F'\t' '$1 != "F" { print $3 }' | sort -u >"$T/units"
grep -v '^#' "$REGISTRY" | cut -f1 | sort | comm -23 "$T/units" - >"$T/unregistered"
[ ! -s "$T/unregistered" ] || fail "units not in ops/units/rachgia.tsv: $(head -3 "$T/unregistered")"

# --- every resolution joined to its dossier ------------------------------------
grep '^R' "$T/rows" | cut -f2-6 | sort -t$'\t' -k1,1 >"$T/received" # dossier unit at due channel
grep '^X' "$T/rows" | cut -f2-5 | sort -t$'\t' -k1,1 >"$T/resolved" # dossier unit at return_channel
for f in received resolved; do
    cut -f1 "$T/$f" | uniq -d | head -3 >"$T/dup"
    [ ! -s "$T/dup" ] || fail "dossiers $f twice: $(cat "$T/dup")"
done
join -t$'\t' -v2 "$T/received" "$T/resolved" | head -3 >"$T/orphans"
[ ! -s "$T/orphans" ] || fail "resolutions of dossiers never received: $(cat "$T/orphans")"

# --- the figures, counted from the records --------------------------------------
{
    join -t$'\t' -a1 -e '' -o 0,1.2,1.3,1.4,1.5,2.2,2.3,2.4 "$T/received" "$T/resolved" |
        sed 's/^/D\t/'
    grep '^F' "$T/rows"
} | jq -R -r --arg from "$FROM" --arg to "$TO" \
    -f "$HERE/classify.jq" | sort | uniq -c >"$T/signatures"
if grep -m3 ' ERROR|' "$T/signatures"; then fail "dossiers resolved elsewhere or before receipt"; fi
jq -R -n '
    reduce (inputs | capture("^ *(?<n>[0-9]+) (?<g>[^|]*)\\|(?<f>.*)$")) as $s ({};
        ($s.n | tonumber) as $n
        | reduce ($s.g | split(",")[]) as $g (.;
            reduce ($s.f | split(",")[] | select(. != "")) as $f (.;
                if $g == "pakn" then .[$f] += $n else .[$g][$f] += $n end)))' \
    "$T/signatures" >"$T/counted.json"

# The requirement: form 3 and the report text (services/DOMAIN.md). Where the report
# contradicts itself the arithmetic wins: the branch received 260 + 38,550 =
# 38,810, not the 38,395 its text prints.
check() { # GROUP FIGURE VALUE
    local got
    got=$(jq -r --arg g "$1" --arg f "$2" 'if $g == "pakn" then .[$f] else .[$g][$f] end // 0' \
        "$T/counted.json")
    [ "$got" = "$3" ] || fail "$1 $2: the records count $got, the report says $3"
}
while read -r group figure value; do
    check "$group" "$figure" "$value"
done <<'EOF'
city resolved 45148
city on_time 42241
city late 2907
city carried_over 404
city online 732
city new_direct_or_postal 44614
city received_total 45750
city pending_end 602
city postal 5298
city returned_postal 680
wards resolved 106075
wards on_time 106070
wards late 5
wards carried_over 27
wards online 23
wards new_direct_or_postal 106093
wards received_total 106143
wards pending_end 68
vpdkdd carried_over 260
vpdkdd new_direct_or_postal 38550
vpdkdd received_total 38810
vpdkdd resolved 38646
vpdkdd on_time 35843
vpdkdd late 2803
vpdkdd pending_end 164
mot-cua carried_over 144
mot-cua online 732
mot-cua new_direct_or_postal 6064
mot-cua postal 5298
mot-cua received_total 6940
mot-cua resolved 6502
mot-cua on_time 6398
mot-cua late 104
mot-cua pending_end 438
mot-cua returned_postal 680
pakn feedback_received 5
pakn feedback_resolved 5
EOF

# expected.json says what the records count to, figure for figure.
jq -e --slurpfile c "$T/counted.json" '
    . as $e | $c[0] as $c
    | all("city", "vpdkdd", "mot-cua", "wards"; . as $g
          | all($e[$g] | keys[]; . as $f | ($c[$g][$f] // 0) == $e[$g][$f]))
      and .feedback_received == $c.feedback_received
      and .feedback_resolved == $c.feedback_resolved' "$T/a/expected.json" >/dev/null ||
    fail "expected.json differs from the figures counted here: $(cat "$T/counted.json")"


# --- the other forms, counted from the records --------------------------------
# figures.awk: the catalogues, staffing, finance, e-government, and form 7's
# dossier rows (the dossiers joined with the online catalogue: procedures
# offered online at level 3 or 4 at the window's end, district-level dossiers
# received in the window of those).
grep '^R' "$T/rows" |
    awk -F'\t' -v from="$FROM" -v to="$TO" -f "$HERE/figures.awk" "$REGISTRY" "$T/items" - >"$T/figures"
if grep -m5 '^ERROR' "$T/figures"; then fail "records that break the rules above"; fi
declare -A F
while read -r name value; do F[$name]=$value; done <"$T/figures"
want() { # NAME VALUE WHY
    [ "${F[$1]:-}" = "$2" ] || fail "$1: the records give ${F[$1]:-nothing}, the report $2 ($3)"
}
# The requirement (services/DOMAIN.md). Where the report contradicts itself, the
# arithmetic: 6.4.1 is the 17,045 its note divides by, not the 17,323 of its
# table; the documents issued (5,162 and 9,242) are what the printed
# electronic counts and rates imply.
while read -r name value why; do
    want "$name" "$value" "$why"
done <<'EOF'
procedures.total 425 form 3 row 1.4
procedures.province 0 form 3 row 1.4.1
procedures.district 271 form 3 row 1.4.2
procedures.commune 154 form 3 row 1.4.3
procedures.simplified 18 form 3 row 1.1
procedures.inter_same 12 form 3 row 2.1
procedures.inter_cross 32 form 3 row 2.2
procedures.fee 271 form 7 row 6.5.1
procedures.online_payment 271 form 7 row 6.5.2
online.district.eligible_l3 22 form 7 row 6.1.1
online.district.offered_l3 22 form 7 row 6.1.2
online.district.eligible_l4 130 form 7 row 6.2.1
online.district.offered_l4 130 form 7 row 6.2.2
online.district.offered 152 form 7 row 6.3.1
online.district.portal 152 form 7 row 6.3.2
online.commune.offered 59 text: the wards offer 59 procedures at levels 3-4
form7.6.1.3 2 form 7 row 6.1.3
form7.6.2.3 100 form 7 row 6.2.3
form7.6.4.1 17045 form 7 row 6.4.1, as its note (the table prints 17,323)
form7.6.4.2 732 form 7 row 6.4.2
form7.6.4 4.29 form 7 row 6.4
survey 162 form 1 row 6.1
quota.district.cong-chuc 96 form 4 row 2.1
present.district.cong-chuc 92 form 4 row 2.2
present.district.hop-dong 7 form 4 row 2.3
streamlined.cong-chuc 0 form 4 row 2.4
quota.district.vien-chuc 1914 form 4 row 3.1
present.district.vien-chuc 1807 form 4 row 3.2
quota.commune.cbcc-xa 264 text: commune officials 258/264
present.commune.cbcc-xa 258 text: commune officials 258/264
qualified.commune.cbcc-xa 233 text: 233 meet the training standard
quota.commune.kct-xa 164 text: commune non-professional staff 141/164
present.commune.kct-xa 141 text: commune non-professional staff 141/164
quota.commune.kct-ap 144 text: hamlet non-professional staff 144/144
present.commune.kct-ap 144 text: hamlet non-professional staff 144/144
quota.commune.nhd-ap 360 text: hamlet workers 306/360
present.commune.nhd-ap 306 text: hamlet workers 306/360
job_positions.agency 11 form 5 row 1.1
job_positions.service-unit 52 form 5 row 1.2
recruited.cong-chuc 11 form 5 row 2.1
transferred.cbcc-xa 1 form 5 row 2.3
recruited.vien-chuc 0 form 5 row 2.4
disciplined.vien-chuc 1 form 5 row 4.4
trained 409 text: 409 sent to training
money.investment_plan 196870000000 form 6 row 1.1
money.disbursement 196870000000 form 6 row 1.2
service_units 60 form 6 row 2.1
autonomy.tu-chu-chi-dau-tu 0 form 6 row 2.2
autonomy.tu-chu-chi-thuong-xuyen 5 form 6 row 2.3
autonomy.tu-chu-mot-phan-70-100 0 form 6 row 2.4.1
autonomy.tu-chu-mot-phan-30-70 0 form 6 row 2.4.2
autonomy.tu-chu-mot-phan-10-30 28 form 6 rows 2.4 and 2.4.3
autonomy.nha-nuoc-dam-bao 27 form 6 row 2.5
money.audit_due 110125714 text: audit findings to remit
money.audit_paid 110125714 text: remitted
documents.district.out_electronic 4412 text: the city issued 4,412 electronically
documents.district.out 5162 what 4,412 at 85.47 % implies
documents.district.pct 85.47 form 7 row 5.2.2
documents.district.in 7073 text: the city received 7,073
documents.district.in_electronic 7073 text: the city received 7,073
documents.commune.out_electronic 3561 text: the wards issued 3,561 electronically
documents.commune.out 9242 one of 9,241-9,243 that 3,561 at 38.53 % implies
documents.commune.pct 38.53 form 7 row 5.2.3
documents.commune.in 25334 text: the wards received 25,334
documents.commune.in_electronic 25334 text: the wards received 25,334
portal.news 80 text: 80 news items
portal.image 322 text: 322 images
portal.document 226 text: 226 documents
indicator.f1.1 14 form 1 row 1
indicator.f1.2.1 27 form 1 row 2.1
indicator.f1.2.2 27 form 1 row 2.2
indicator.f1.3.1 0 form 1 row 3.1
indicator.f1.3.2 8 form 1 row 3.2
indicator.f1.3.3.1 0 form 1 row 3.3.1
indicator.f1.3.3.2 0 form 1 row 3.3.2
indicator.f1.4.1 0 form 1 row 4.1
indicator.f1.4.2 0 form 1 row 4.2
indicator.f1.5.1 21 form 1 row 5.1
indicator.f1.5.2 13 form 1 row 5.2
indicator.f1.5.3 6 form 1 row 5.3
indicator.f1.5.4 1 form 1 row 5.4
indicator.f1.6 1 form 1 row 6
indicator.f1.6.1 162 form 1 row 6.1
indicator.f1.6.2 1 form 1 row 6.2
indicator.f1.7 0 form 1 row 7
indicator.f1.3.units 23 text: 8 of 23 units inspected
indicator.f2.1.2 1 form 2 row 1.2
indicator.f2.1.3 0 form 2 row 1.3
indicator.f2.2.1 0 form 2 row 2.1
indicator.f2.2.2.1 0 form 2 row 2.2.1
indicator.f2.2.2.2 0 form 2 row 2.2.2
indicator.f2.3.1 2 form 2 row 3.1
indicator.f2.3.2.1 0 form 2 row 3.2.1
indicator.f2.3.2.2 0 form 2 row 3.2.2
indicator.f3.1.2 0 form 3 row 1.2
indicator.f3.1.3 9 form 3 row 1.3: 2 replaced + 7 abolished
indicator.f3.2.3 0 form 3 row 2.3
indicator.f4.1.2 10000 form 4 row 1.2 (100 %, in basis points)
indicator.f4.1.5.3 52 form 4 row 1.5.3
indicator.f4.1.5.4 100 form 4 row 1.5.4 (1 %)
indicator.f4.2.5 0 form 4 row 2.5
indicator.f4.3.4 0 form 4 row 3.4
indicator.f5.1.3 0 form 5 row 1.3
indicator.f5.2.2 0 form 5 row 2.2
indicator.f5.2.5 0 form 5 row 2.5
indicator.f5.3 0 form 5 row 3
indicator.f5.4.2 0 form 5 row 4.2
indicator.f5.4.3 0 form 5 row 4.3
indicator.f7.1 0 form 7 row 1
indicator.f7.2 1 form 7 row 2
indicator.f7.4 0 form 7 row 4
indicator.f7.5.1.2 10000 form 7 row 5.1.2 (100 %)
indicator.f7.5.1.3 10000 form 7 row 5.1.3 (100 %)
indicator.f7.5.3.2 10000 form 7 row 5.3.2 (100 %)
indicator.f7.5.3.3 10000 form 7 row 5.3.3 (100 %)
EOF
[ "$(grep -c '^indicator\.' "$T/figures")" = 47 ] || fail "indicators other than the 47 rows above"
# Every department's civil servants (the report's footnote 9).
while read -r dept present quota; do
    want "cong-chuc.kg.rachgia.$dept.present" "$present" "footnote 9"
    want "cong-chuc.kg.rachgia.$dept.quota" "$quota" "footnote 9"
done <<'EOF'
phong-noi-vu 7 7
phong-kinh-te 8 8
phong-tai-chinh-ke-hoach 10 10
phong-lao-dong-tbxh 7 7
phong-van-hoa-thong-tin 4 5
phong-tu-phap 4 4
phong-quan-ly-do-thi 8 9
phong-thanh-tra 6 7
phong-van-phong-hdnd-ubnd 22 23
phong-tai-nguyen-moi-truong 7 7
phong-giao-duc-dao-tao 9 9
EOF
# "Over 93 %" of the staff use official e-mail.
case "${F[email.pct]}" in 93.*) ;; *) fail "e-mail use ${F[email.pct]} %, the report says over 93 %" ;; esac
# Money as the forms print it, in bash's 64-bit integers (awk's doubles are not
# exact at this size): revenue 887,2 of 774,3 tỷ = 114.58 %, disbursement
# 196,870 of 196,870 triệu = 100.00 %, audit findings all remitted.
rate() { local b=$((($1 * 20000 + $2) / (2 * $2))); printf '%d.%02d' $((b / 100)) $((b % 100)); }
tenths_bn() { local x=$((($1 * 20 + 1000000000) / 2000000000)); printf '%d.%d' $((x / 10)) $((x % 10)); }
rev=${F[money.revenue]} est=${F[money.revenue_estimate]}
[ "$(tenths_bn "$rev")" = 887.2 ] || fail "revenue prints $(tenths_bn "$rev") tỷ, the report 887.2"
[ "$(tenths_bn "$est")" = 774.3 ] || fail "the estimate prints $(tenths_bn "$est") tỷ, the report 774.3"
[ "$(rate "$rev" "$est")" = 114.58 ] || fail "revenue is $(rate "$rev" "$est") % of the estimate, not 114.58"
plan=${F[money.investment_plan]}
[ $((plan % 1000000)) = 0 ] && [ $((plan / 1000000)) = 196870 ] || fail "the plan is not 196,870 million"
[ "$(rate "${F[money.disbursement]}" "$plan")" = 100.00 ] || fail "disbursement not 100.00 % of the plan"
[ "$(rate "${F[money.audit_paid]}" "${F[money.audit_due]}")" = 100.00 ] || fail "audit findings not all remitted"
# The records that must not count are there: snapshots after the window's end
# in every service, snapshots a later one replaces, counters outside the
# window, procedures withdrawn before its end.
for t in procedure headcount investment_plan online_service; do
    [ "${F[noise.after.$t]:-0}" -gt 0 ] || fail "no $t snapshot after the window's end"
    [ "${F[noise.replaced.$t]:-0}" -gt 0 ] || fail "no $t snapshot that a later one replaces"
done
for t in survey trained disbursement document; do
    [ "${F[noise.outside.$t]:-0}" -gt 0 ] || fail "no $t record outside the window"
done
[ "${F[noise.withdrawn]:-0}" -gt 0 ] || fail "no procedure withdrawn before the window's end"
[ "${F[noise.online_ever.l3]:-0}" -gt 2 ] || fail "no level-3 procedure with online dossiers outside the window only"

# expected.json says what the records count to, here too.
jq -r '"procedures.district \(.catalogue.procedures.district)",
       "procedures.commune \(.catalogue.procedures.commune)",
       "procedures.simplified \(.catalogue.simplified)",
       "procedures.inter_cross \(.catalogue.inter_cross)",
       "online.district.offered_l4 \(.online.district.offered_l4)",
       "form7.6.4.1 \(.form7.district.received_of_online_procedures)",
       "form7.6.4.2 \(.form7.district.received_online)",
       "form7.6.1.3 \(.form7.district.l3_with_online)",
       "form7.6.2.3 \(.form7.district.l4_with_online)",
       "survey \(.survey.survey)",
       "survey.satisfied \(.survey.survey_satisfied)",
       "present.district.cong-chuc \(.staffing.headcount["cong-chuc"].present)",
       "quota.district.vien-chuc \(.staffing.headcount["vien-chuc"].quota)",
       "qualified.commune.cbcc-xa \(.staffing.headcount["cbcc-xa"].qualified)",
       "trained.vien-chuc \(.staffing.trained["vien-chuc"])",
       "job_positions.service-unit \(.staffing.job_positions_approved["service-unit"])",
       "indicator.f3.1.3 \(.staffing.indicators["f3.1.3"])",
       "money.revenue \(.finance.revenue)",
       "money.disbursement \(.finance.disbursed)",
       "autonomy.nha-nuoc-dam-bao \(.finance.autonomy["nha-nuoc-dam-bao"])",
       "documents.commune.out \(.egov.documents.commune.out)",
       "portal.image \(.egov.portal.image)",
       "email.users \(.egov.email_users)"' "$T/a/expected.json" >"$T/expected-pairs"
while read -r name value; do
    [ "${F[$name]:-}" = "$value" ] || fail "expected.json: $name $value, the records count ${F[$name]:-nothing}"
done <"$T/expected-pairs"

echo "loadgen_rachgia_2022: ok ($((n_dossier + n_staffing + n_finance + n_egov)) records, $early resolutions first when shuffled)"
