#!/usr/bin/env bash
# cchc-report forms 1-7 against a private redis-server holding a hand-made
# data set, and the CSV and XLSX outputs read back by independent code
# (python3's csv, zipfile and xml.etree) and compared with the JSON. Every
# expected figure is worked out by hand below. Run by ctest (CCHC_BIN, CCHC_SRC).
. "$CCHC_SRC/tests/lib.sh"

start_redis

P=kg                        # province
U=kg.rachgia                # the city, district level
D1=kg.rachgia.phong-noi-vu  # departments: district-level agencies
D2=kg.rachgia.phong-tu-phap
S1=kg.rachgia.truong-a      # public service units, district level
S2=kg.rachgia.truong-b
W1=kg.rachgia.p-vinh-loi    # wards: commune level
W2=kg.rachgia.p-an-binh
PD=kg.so-noi-vu             # a provincial department, province level

# unit ID LEVEL KIND NAME: a registry entry as the aggregator publishes it.
unit() {
    local parent=${1%.*}
    [ "$parent" = "$1" ] && parent=
    echo "HSET cchc:v2:unit:$1 name \"$4\" level $2 kind $3 parent \"$parent\"" >>"$T/cmds"
    echo "SADD cchc:v2:units $1" >>"$T/cmds"
}

# ev UNIT LEVEL DATE METRIC DELTA [METRIC DELTA ...]: what the aggregator does
# with an event: add each delta to {metric} and {level}:{metric} of the day
# of the unit and of every ancestor (a rollup is the sum of its children).
# The days are written, packed, once every event is in (put_days,
# tests/lib.sh). Levels are sent as changes, as the services publish them
# (services/README.md "Two kinds of metric").
ev() {
    local unit=$1 level=$2 date=$3 u
    shift 3
    u=$unit
    while :; do
        local args=("$@")
        while [ ${#args[@]} -gt 0 ]; do
            echo "$u $date ${args[0]} ${args[1]}" >>"$T/days"
            echo "$u $date $level:${args[0]} ${args[1]}" >>"$T/days"
            args=("${args[@]:2}")
        done
        [ "$u" = "${u%.*}" ] && break
        u=${u%.*}
    done
}

: >"$T/cmds"
: >"$T/days"
unit $P province government "Tỉnh Kiên Giang"
unit $U district government "Thành phố Rạch Giá"
unit $D1 district agency "Phòng Nội vụ"
unit $D2 district agency "Phòng Tư pháp"
unit $S1 district service-unit "Trường A"
unit $S2 district service-unit "Trường B"
unit $W1 commune government "Phường Vĩnh Lợi"
unit $W2 commune government "Phường An Bình"
unit $PD province agency "Sở Nội vụ"

# The window is 15/12/2021 .. 30/11/2022 (the 2022 report's). Days used:
BEFORE=2021-06-01 IN1=2022-01-10 IN2=2022-06-01 AFTER=2022-12-01

# ---- form 1: indicators of the city (levels f1.<row>)
ev $U district $BEFORE f1.1 10 f1.2.1 27 f1.2.2 20
ev $U district $IN1 f1.1 4 f1.2.2 7 f1.3.1 0 f1.3.2 8 f1.3.units 23 f1.4.2 5000 \
    f1.5.1 21 f1.5.2 13 f1.5.3 6 f1.5.4 1
ev $U district $AFTER f1.1 100 # after the window's end: not counted
# The one-stop shop's survey (counters): 5 forms before the window, 10 in it.
ev $U district $BEFORE survey 5 survey_satisfied 5
ev $U district $IN2 survey 10 survey_satisfied 9

# ---- form 2: 1.1 reported as 0, so the total 1 can be computed
ev $U district $IN1 f2.1.1 0 f2.1.2 1 f2.1.3 0 f2.3.1 2

# ---- form 3: the catalogue (levels at the city, which publishes it)
ev $U district $BEFORE procedures.district 262 procedures.commune 154
ev $U district $IN2 procedures.district 9 procedures_simplified 18 procedures_inter_same 12 \
    procedures_inter_cross 32 f3.1.3 9
ev $U district $AFTER procedures.district 5
# Dossiers of a provincial department: the province's row 3.1, not the city's.
ev $PD province $IN1 resolved 4 resolved_early 1 resolved_on_time 2 resolved_late 1

# ---- form 4: headcounts (levels) and cuts (counters)
ev $D1 district $BEFORE quota.cong-chuc 7 present.cong-chuc 6
ev $D1 district $IN1 present.cong-chuc 1 present.hop-dong 2
ev $D1 district $AFTER present.cong-chuc -3
ev $D2 district $IN1 quota.cong-chuc 4 present.cong-chuc 4
ev $W1 commune $IN1 quota.cong-chuc 3 present.cong-chuc 3 # commune level: not row 2.1
ev $D1 district $BEFORE streamlined.cong-chuc 1
ev $D1 district $IN2 streamlined.cong-chuc 2
ev $S1 district $BEFORE quota.vien-chuc 1000 present.vien-chuc 950
ev $S1 district $IN2 present.vien-chuc 5
ev $S1 district $AFTER quota.vien-chuc 100
ev $W1 commune $BEFORE quota.cbcc-xa 20 present.cbcc-xa 19 qualified.cbcc-xa 17 \
    quota.kct-xa 14 present.kct-xa 12 quota.kct-ap 12 present.kct-ap 12
ev $W2 commune $IN1 quota.cbcc-xa 24 present.cbcc-xa 23 qualified.cbcc-xa 20 \
    quota.nhd-ap 30 present.nhd-ap 25
ev $U district $IN1 f4.1.2 10000 f4.1.5.3 52

# ---- form 5: job positions (levels by unit kind), staff movements (counters)
ev $D1 district $BEFORE job_positions_approved.agency 1
ev $D2 district $BEFORE job_positions_approved.agency 1
ev $D2 district $AFTER job_positions_approved.agency -1
ev $S1 district $IN1 job_positions_approved.service-unit 1
ev $D1 district $BEFORE recruited.cong-chuc 5 trained.cong-chuc 100
ev $D1 district $IN2 recruited.cong-chuc 3 trained.cong-chuc 10
ev $W1 commune $IN2 transferred.cbcc-xa 1 trained.cbcc-xa 7
ev $S1 district $IN2 disciplined.vien-chuc 1 trained.vien-chuc 20

# ---- form 6: money in đồng
ev $U district $BEFORE investment_plan 150000000000 disbursed 10000000000 revenue 100000000000 \
    revenue_estimate 774300000000
ev $U district $IN1 investment_plan 46870000000 disbursed 100000000000 audit_due 110125714 \
    audit_paid 60000000
ev $U district $IN2 disbursed 50000500000 revenue 887249000000 audit_paid 50125714
ev $S1 district $BEFORE service_units 1 autonomy.tu-chu-mot-phan-10-30 1
ev $S2 district $BEFORE service_units 1 autonomy.nha-nuoc-dam-bao 1
ev $S2 district $IN2 autonomy.nha-nuoc-dam-bao -1 autonomy.tu-chu-chi-thuong-xuyen 1

# ---- form 7: documents (counters by the sender's level)
ev $D1 district $BEFORE documents_out 100
ev $D1 district $IN1 documents_out 10 documents_out_electronic 8 documents_in_electronic 5
ev $W1 commune $IN1 documents_out 4 documents_out_electronic 1 documents_in_electronic 3
# The online catalogue (levels at the city). Per procedure, codes with dots:
#   1.004227 level 3 all along; 1.001612 level 3 all along; 1.000001
#   eligible for level 3 but not offered; 2.000123 level 4 all along;
#   2.000456 level 4, withdrawn in the window; 2.000789 level 3, moved to
#   level 4 in the window; 1.009999 level 4 only after the window's end.
ev $U district $BEFORE online_eligible_l3.district 4 online_offered_l3.district 3 \
    online_eligible_l4.district 2 online_offered_l4.district 2 online_portal.district 4 \
    proc.1.004227.online_l3 1 proc.1.001612.online_l3 1 proc.2.000789.online_l3 1 \
    proc.2.000123.online_l4 1 proc.2.000456.online_l4 1 procedures_fee 3 \
    procedures_online_payment 2 email_users 28 email_staff 30 portal_news 100 \
    online_offered_l3.commune 1 online_offered_l4.commune 2
ev $U district $IN2 online_eligible_l3.district -1 online_offered_l3.district -1 \
    proc.2.000789.online_l3 -1 proc.2.000789.online_l4 1 proc.2.000456.online_l4 -1 \
    portal_news 8 portal_image 3 portal_document 2
ev $U district $AFTER proc.1.009999.online_l4 1 online_offered_l4.district 1
# Dossiers per procedure (received at district level unless said).
ev $D1 district $IN1 proc.1.004227.received 10 proc.1.004227.received_online 3 \
    proc.1.001612.received 5 proc.2.000123.received 20 proc.2.000123.received_online 6 \
    proc.2.000456.received 100 proc.2.000456.received_online 50 \
    proc.2.000789.received 7 proc.2.000789.received_online 1 \
    proc.1.009999.received 9 proc.1.009999.received_online 4
ev $D1 district $BEFORE proc.1.001612.received_online 2
ev $W1 commune $IN1 proc.1.004227.received 30 proc.1.004227.received_online 10

rcli <"$T/cmds" >"$T/cmds.out" || fail "loading the data set"
! grep -q ERR "$T/cmds.out" || fail "redis refused the data set: $(grep ERR "$T/cmds.out" | head -3)"
put_days <"$T/days" || fail "writing the days"

check() {
    local f=$1; shift
    for kv in "$@"; do expect "$f" "${kv%%=*}" "${kv#*=}"; done
}
W=(--from 2021-12-15 --to 2022-11-30)
# form N [UNIT]: the JSON of one form into $T/fN.json
form() {
    cchc-report --unit "${2:-$U}" "${W[@]}" --form "$1" --format json >"$T/f$1.json"
    echo "$T/f$1.json"
}

# ---- form 1. Levels are the sum of their changes up to the window's end:
# 1 = 10 + 4 = 14 (the +100 of 01/12/2022 is after it); 2.2 = 20 + 7 = 27;
# 2 = 27/27 = 100.00; 3.3 has no reported parts: null; 4.2 = 5000 basis
# points = 50.00; 3.inspected = 3.1 + 3.2 = 0 + 8; 8/23 = 34.78 (the report
# printed 34,7); in progress = 21 - 13 - 6 - 1 = 1. Survey in the window
# only: 10 forms, 9 satisfied = 90.00.
f=$(form 1)
check "$f" 1=14 2=100.00 2.1=27 2.2=27 3.1=0 3.2=8 3.3=null 3.3.1=null 3.3.2=null 4.1=null \
    4.2=50.00 5.1=21 5.2=13 5.3=6 5.4=1 6=null 6.1=null 7=null 3.units=23 3.inspected=8 \
    3.inspected_pct=34.78 5.in_progress=1 6.survey=10 6.survey_satisfied=9 \
    6.survey_satisfied_pct=90.00

# ---- form 2: 1 = 0 + 1 + 0; nothing to process after checking: rates null.
f=$(form 2)
check "$f" 1=1 1.1=0 1.2=1 1.3=0 2.1=null 2.2=null 2.2.1=null 3.1=2 3.2=null

# ---- form 3: 1.4.2 = 262 + 9 = 271 (+5 after the window left out),
# 1.4.3 = 154, 1.4.1 = 0, 1.4 = 425; 3.1 has no province-level dossier in
# the city: 0 resolved, rate null.
f=$(form 3)
check "$f" 1.1=18 1.2=null 1.3=9 1.4=425 1.4.1=0 1.4.2=271 1.4.3=154 2.1=12 2.2=32 2.3=null \
    3.1=null 3.1.1=0 3.1.2=0
# The province: 3.1.1 = 4 resolved by its department, on time 1 + 2 = 3: 75.00.
f=$(form 3 $P)
check "$f" 3.1=75.00 3.1.1=4 3.1.2=3 1.4.2=271

# ---- form 4. 2.1 = district quota: 7 (Nội vụ) + 4 (Tư pháp) = 11, the
# ward's 3 are commune level; 2.2 = 6 + 1 + 4 = 11 (the -3 after the window
# left out); 2.3 = 2; 2.4 = 2 cut in the window (1 before it is not);
# 3.1 = 1000 set before the window (+100 after it left out); 3.2 = 950 + 5.
# Commune officials roll up: quota 20 + 24 = 44, present 19 + 23 = 42,
# qualified 17 + 20 = 37: 37/42 = 88.10 %. 1.2 = 10000 basis points;
# 1.5 = null (1.5.1, 1.5.2 not reported).
f=$(form 4)
check "$f" 1.1=null 1.2=100.00 1.5=null 1.5.3=52 2.1=11 2.2=11 2.3=2 2.4=2 2.5=null \
    3.1=1000 3.2=955 3.3=0 cbcc-xa.quota=44 cbcc-xa.present=42 cbcc-xa.qualified=37 \
    cbcc-xa.qualified_pct=88.10 kct-xa.quota=14 kct-xa.present=12 kct-ap.quota=12 \
    kct-ap.present=12 nhd-ap.quota=30 nhd-ap.present=25
# Each ward alone: Vĩnh Lợi 20/19, 17 qualified = 89.47 %; An Bình 24/23.
f=$(form 4 $W1)
check "$f" cbcc-xa.quota=20 cbcc-xa.present=19 cbcc-xa.qualified_pct=89.47 2.1=0
f=$(form 4 $W2)
check "$f" cbcc-xa.quota=24 cbcc-xa.present=23 nhd-ap.present=25

# ---- form 5: agencies 1 + 1 = 2 (Tư pháp's withdrawal after the window
# left out); service units 1; recruited 3 in the window (5 before it are
# not); transferred 1; disciplined 1; trained 10 + 7 + 20 = 37.
f=$(form 5)
check "$f" 1.1=2 1.2=1 1.3=null 2.1=3 2.2=null 2.3=1 2.4=0 4.4=1 trained=37

# ---- form 6. Plan 150,000,000,000 + 46,870,000,000 = 196,870 million;
# disbursed in the window 100,000,000,000 + 50,000,500,000 = 150,000.5
# million (10,000,000,000 before it is not); 150,000,500,000 /
# 196,870,000,000 = 76.19 %. Units: 2; Trường B moved from state-funded
# to self-funding recurrent costs in the window. Revenue 887,249,000,000 =
# 887.2 billion, estimate 774.3; the rate comes from the đồng,
# 887,249/774,300 = 114.587 % -> 114.59 (from the rounded billions it would
# be 114.58). Audit 60,000,000 + 50,125,714 paid of 110,125,714 = 100.00.
f=$(form 6)
check "$f" 1=76.19 1.1=196870 1.2=150000.5 2.1=2 2.2=0 2.3=1 2.4=1 2.4.1=0 2.4.2=0 2.4.3=1 \
    2.5=0 2.6=null revenue=887.2 revenue_estimate=774.3 revenue_pct=114.59 audit_due=110125714 \
    audit_paid=110125714 audit_paid_pct=100.00

# ---- form 7. Documents sent: district 8 of 10 = 80.00, commune 1 of 4 =
# 25.00, all 9 of 14 = 64.29 (the 100 before the window left out); no
# province-level sender: null.
# Catalogue at the window's end: level 3 offered 3 - 1 = 2 of eligible
# 4 - 1 = 3 (66.67); level 4 offered 2 of 2 (1.009999 comes after the end);
# 6.3.1 = 2 + 2 = 4, all 4 on the portal.
# 6.1.3: level-3 procedures now are 1.004227 (3 online dossiers) and
# 1.001612 (online ones only before the window): 1. 6.2.3: level-4
# procedures now are 2.000123 (6 online) and 2.000789 (1 online): 2.
# 6.4.1: district dossiers of procedures offered at level 3 or 4 at the end:
# 10 + 5 + 20 + 7 = 42 (2.000456 withdrawn, 1.009999 not yet, and the
# ward's 30 are commune level); 6.4.2: 3 + 6 + 1 = 10; 10/42 = 23.81.
# 6.5 = 2 of 3 = 66.67. E-mail 28 of 30 = 93.33; portal posts in the window
# 8/3/2; wards' procedures at level 3-4: 1 + 2 = 3.
f=$(form 7)
check "$f" 5.2=64.29 5.2.1=null 5.2.2=80.00 5.2.3=25.00 6.1=66.67 6.1.1=3 6.1.2=2 6.1.3=1 \
    6.2=100.00 6.2.1=2 6.2.2=2 6.2.3=2 6.3=100.00 6.3.1=4 6.3.2=4 6.4=23.81 6.4.1=42 6.4.2=10 \
    6.5=66.67 6.5.1=3 6.5.2=2 5.2.2.in_electronic=5 5.2.2.out_electronic=8 5.2.2.out=10 \
    5.2.3.in_electronic=3 5.2.3.out_electronic=1 5.2.3.out=4 email.users=28 email.staff=30 \
    email.pct=93.33 portal.news=8 portal.image=3 portal.document=2 6.3.1.commune=3 1=null 3=null

# ---- --form all, JSON: seven lines, forms 1..7, each the same as alone.
cchc-report --unit $U "${W[@]}" --format json >"$T/all.json"
[ "$(jq -c .form "$T/all.json" | tr '\n' ' ')" = "1 2 3 4 5 6 7 " ] ||
    fail "--form all: $(jq -c .form "$T/all.json" | tr '\n' ' ')"
for n in 1 2 3 4 5 6 7; do
    cmp -s <(sed -n "${n}p" "$T/all.json") "$T/f$n.json" 2>/dev/null || {
        form $n >/dev/null
        cmp -s <(sed -n "${n}p" "$T/all.json") "$T/f$n.json" || fail "--form all line $n differs"
    }
done

# ---- text: Vietnamese separators, money in millions and billions
cchc-report --unit $U "${W[@]}" --form 6 >"$T/f6.txt"
grep -qE '^1\.1 +\|.*\| Triệu đồng +\| +196\.870$' "$T/f6.txt" || fail "text 1.1 not 196.870"
grep -qE '^1\.2 +\|.*\| Triệu đồng +\| +150\.000,5$' "$T/f6.txt" || fail "text 1.2 not 150.000,5"
grep -qE '^revenue +\|.*\| Tỷ đồng +\| +887,2$' "$T/f6.txt" || fail "text revenue not 887,2"
grep -qE '^1 +\|.*\| % +\| +76,19$' "$T/f6.txt" || fail "text 1 not 76,19"

# ---- CSV: one header, then one record per JSON row of every form, values
# as in the JSON (null empty). Read with python's csv module.
cchc-report --unit $U "${W[@]}" --format csv >"$T/all.csv"
head -c 28 "$T/all.csv" | od -c | grep -q '\\r  \\n' || fail "CSV header does not end in CRLF"
python3 - "$T/all.csv" "$T/all.json" <<'EOF' || fail "CSV differs from JSON"
import csv, json, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    recs = list(csv.reader(f))
assert recs[0] == ["form", "code", "label", "unit", "value"], recs[0]
# The JSON's values as its own text (93.56 stays "93.56"), null as None.
objs = [json.loads(l, parse_float=str, parse_int=str) for l in open(sys.argv[2])]
want = [(str(o["form"]), k, v) for o in objs for k, v in o["rows"].items()]
got = recs[1:]
assert len(got) == len(want), (len(got), len(want))
for (form, code, v), r in zip(want, got):
    assert len(r) == 5 and r[:2] == [form, code], (form, code, r)
    assert r[4] == ("" if v is None else v), (form, code, r[4], v)
# Labels with commas come back whole.
labels = {(r[0], r[1]): r[2] for r in got}
assert labels[("1", "3.1")] == "Số sở, ban, ngành đã kiểm tra", labels[("1", "3.1")]
EOF
# The raw bytes: a label with a comma is quoted, an empty value is empty.
grep -qF '1,3.1,"Số sở, ban, ngành đã kiểm tra","Cơ quan, đơn vị",0' "$T/all.csv" ||
    fail "CSV quoting: $(grep '^1,3\.1,' "$T/all.csv")"
grep -qF '1,3.3.1,Số vấn đề phát hiện qua kiểm tra,Vấn đề,' "$T/all.csv" ||
    fail "CSV empty value: $(grep '^1,3\.3\.1,' "$T/all.csv")"
# One form alone has the header too.
cchc-report --unit $U "${W[@]}" --form 6 --format csv >"$T/f6.csv"
[ "$(head -n 1 "$T/f6.csv")" = $'form,code,label,unit,value\r' ] || fail "CSV header of one form"
grep -qF $'6,1.2,Đã thực hiện,Triệu đồng,150000.5\r' "$T/f6.csv" || fail "CSV money row"

# ---- XLSX: every form a sheet; read the sheet XML back (an .xlsx is a zip)
# and compare with the JSON, number formats included.
cchc-report --unit $U "${W[@]}" --format xlsx --out "$T/all.xlsx"
python3 "$CCHC_SRC/tests/report/xlsx_check.py" "$T/all.xlsx" "$T/all.json" ||
    fail "workbook differs from JSON"
cchc-report --unit $U "${W[@]}" --form 7 --format xlsx --out "$T/f7.xlsx"
grep '^{"form":7,' "$T/all.json" >"$T/f7only.json" # as printed: jq would write 80.00 as 80
python3 "$CCHC_SRC/tests/report/xlsx_check.py" "$T/f7.xlsx" "$T/f7only.json" ||
    fail "one-form workbook differs from JSON"
# --out for text: the same bytes as stdout.
cchc-report --unit $U "${W[@]}" --form 6 --out "$T/f6-out.txt"
cmp -s "$T/f6.txt" "$T/f6-out.txt" || fail "--out text differs from stdout"

# ---- failures leave no half-written file, and an existing one untouched
expect_fail() {
    local want=$1 pattern=$2 rc=0; shift 2
    "$@" >"$T/out" 2>"$T/err" || rc=$?
    [ "$rc" = "$want" ] || fail "$*: exit $rc, want $want ($(cat "$T/err"))"
    grep -qE -- "$pattern" "$T/err" || fail "$*: stderr '$(cat "$T/err")' lacks $pattern"
}
expect_fail 2 "--out: required with --format xlsx" \
    cchc-report --unit $U --period 2022 --format xlsx
expect_fail 1 "cannot write $T/nowhere/r.xlsx" \
    cchc-report --unit $U --period 2022 --format xlsx --out "$T/nowhere/r.xlsx"
echo old >"$T/keep.xlsx"
expect_fail 1 "unknown unit" cchc-report --unit kg.nowhere --period 2022 --format xlsx \
    --out "$T/keep.xlsx"
[ "$(cat "$T/keep.xlsx")" = old ] || fail "a failed report replaced --out"
# A figure that contradicts the others (a negative count in a rate): exit 1,
# the existing file kept, no temporary left behind.
echo "$U $IN2 district:documents_out_electronic -100" >>"$T/days"
put_days <"$T/days" || fail "writing the days"
expect_fail 1 "form 7 row 5.2.2" cchc-report --unit $U "${W[@]}" --format xlsx \
    --out "$T/keep.xlsx"
[ "$(cat "$T/keep.xlsx")" = old ] || fail "a failed report replaced --out"
[ -z "$(find "$T" -name 'keep.xlsx.*')" ] || fail "temporary files left: $(ls "$T")"

echo "report_forms_test: ok"
