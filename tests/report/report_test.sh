#!/usr/bin/env bash
# cchc-report against a private redis-server holding a small hand-made data
# set laid out as services/aggregator/REDIS.md says, every expected figure
# worked out by hand below. Run by ctest (CCHC_BIN, CCHC_SRC).
. "$CCHC_SRC/tests/lib.sh"

start_redis

U=kg.rachgia
# day DATE FIELD VALUE...: one day's figures of $U, packed, in its month's
# days hash (put_days, tests/lib.sh).
day() {
    local date=$1
    shift
    while [ $# -gt 0 ]; do
        echo "$U $date $1 $2"
        shift 2
    done | put_days
}

rcli HSET cchc:v2:unit:$U name "Thành phố Rạch Giá" level district parent kg >/dev/null
rcli HSET cchc:v2:unit:kg.empty name "Đơn vị chưa có số liệu" level commune parent kg >/dev/null
rcli SADD cchc:v2:units $U kg.empty >/dev/null

# Before the window (15/12/2021 .. 30/11/2022): what was carried over.
#   district: received 10 + 5 = 15, resolved 4 + 2 = 6  -> carried over 9
#   commune:  received 3,          resolved 1           -> carried over 2
#   feedback_received 9 before the window: not counted in 3.4.1.
day 2021-11-20 district:received 10 district:resolved 4 commune:received 3 \
    commune:resolved 1 feedback_received 9 received 13 resolved 5
day 2021-12-14 district:received 5 district:resolved 2 received 5 resolved 2
# In the window: its first day, the last day of 2022-Q1, its last day.
day 2021-12-15 district:received 20 district:received_online 4 district:received_direct 12 \
    district:received_postal 4 district:resolved 8 district:resolved_early 3 \
    district:resolved_on_time 4 district:resolved_late 1 district:returned_postal 2 \
    commune:received 7 commune:received_direct 7 \
    commune:resolved 6 commune:resolved_early 6 feedback_received 2 feedback_resolved 1 survey 4
day 2022-03-14 district:received 6 district:received_online 1 district:received_direct 5 \
    district:resolved 10 district:resolved_early 2 district:resolved_on_time 5 \
    district:resolved_late 3 district:returned_postal 1 \
    commune:received 1 commune:received_online 1 commune:resolved 2 commune:resolved_on_time 1 \
    commune:resolved_late 1 feedback_received 1 feedback_resolved 1
day 2022-11-30 district:received 2002 district:received_direct 2000 \
    district:received_postal 2 district:resolved 1001 district:resolved_on_time 1001
# After the window: must not count anywhere.
day 2022-12-01 district:received 1000 district:resolved 1000 district:resolved_late 1000 \
    commune:resolved 1000 feedback_received 1000
# Another unit's figures: not $U's.
echo "kg.rachgia.p-vinh-loi 2022-01-01 commune:resolved 500" | put_days

# check FILE ROW=VALUE...: rows of a JSON report, as printed.
check() {
    local f=$1; shift
    for kv in "$@"; do expect "$f" "${kv%%=*}" "${kv#*=}"; done
}

# ---- the window 15/12/2021 .. 30/11/2022
rcli CONFIG RESETSTAT >/dev/null
cchc-report --unit $U --from 2021-12-15 --to 2022-11-30 --form 3 --format json >"$T/year.json"
[ "$(wc -l <"$T/year.json")" = 1 ] || fail "the JSON report is not one line"
jq -e '.form == 3 and .unit == "kg.rachgia" and .from == "2021-12-15" and .to == "2022-11-30"' \
    "$T/year.json" >/dev/null || fail "JSON header: $(cat "$T/year.json")"
# Two round trips: the unit and its months, then one HGETALL per month that
# begins before the window's end: 2021-12, 2022-01, 2022-03 and 2022-12
# (2022-11-15 .. 2022-12-14, whose 2022-12-01 is read but not counted).
stats=$(rcli INFO commandstats)
grep -q '^cmdstat_hgetall:calls=5,' <<<"$stats" || fail "HGETALL calls: $(grep hgetall <<<"$stats")"
grep -q '^cmdstat_zrangebyscore:calls=1,' <<<"$stats" || fail "ZRANGEBYSCORE calls"
# Indicators nobody reported (f3.<row>) are null; the catalogue has no
# procedure in this data set: 0; no province-level dossier: 0 resolved, so
# rate 3.1 divides by zero: null.
for r in 1.2 1.3 2.3 3.1; do
    expect "$T/year.json" "$r" null
done
for r in 1.1 1.4 1.4.1 1.4.2 1.4.3 2.1 2.2 3.1.1 3.1.2; do
    expect "$T/year.json" "$r" 0
done
# District: resolved 8 + 10 + 1001 = 1019; on time (early + on time)
# (3 + 4) + (2 + 5) + 1001 = 1015; 1015/1019 = 99.607 % -> 99.61.
# Commune: resolved 6 + 2 = 8, on time 6 + 1 = 7: 87.50 %.
# PAKN in the window: received 2 + 1 = 3, resolved 1 + 1 = 2: 66.67 %.
check "$T/year.json" 3.2.1=1019 3.2.2=1015 3.2=99.61 3.3.1=8 3.3.2=7 3.3=87.50 \
    3.4.1=3 3.4.2=2 3.4=66.67
# District text figures: new 20 + 6 + 2002 = 2028 (online 4 + 1 = 5, direct
# 12 + 5 + 2000 = 2017, postal 4 + 2 = 6: direct or postal 2023); carried
# over 9; handled 9 + 2028 = 2037; late 1 + 3 = 4 of 1019 = 0.39 %; pending
# 2037 - 1019 = 1018; back by post 2 + 1 = 3 of the 6 received by post = 50.00 %.
check "$T/year.json" 3.2.received=2037 3.2.carried_over=9 3.2.new=2028 3.2.online=5 \
    3.2.direct_or_postal=2023 3.2.postal=6 3.2.returned_postal=3 3.2.returned_postal_pct=50.00 \
    3.2.late=4 3.2.late_pct=0.39 3.2.pending=1018
# Commune: new 7 + 1 = 8 (online 1, direct 7); carried over 3 - 1 = 2;
# handled 10; late 1 of 8 = 12.50 %; pending 10 - 8 = 2; nothing by post,
# so the postal rate divides by zero: null.
check "$T/year.json" 3.3.received=10 3.3.carried_over=2 3.3.new=8 3.3.online=1 \
    3.3.direct_or_postal=7 3.3.postal=0 3.3.returned_postal=0 3.3.returned_postal_pct=null \
    3.3.late=1 3.3.late_pct=12.50 3.3.pending=2
# Every row is one of those checked above: 13 + 9 form rows + 2 x 11.
[ "$(jq '.rows | length' "$T/year.json")" = 52 ] || fail "rows: $(jq -c '.rows | keys' "$T/year.json")"

# ---- --period: 2022-Q1 is 15/12/2021 .. 14/03/2022 (the 30/11 day falls out).
# District resolved 8 + 10 = 18, on time 7 + 7 = 14: 77.78 %; new 26; handled
# 9 + 26 = 35; pending 35 - 18 = 17.
cchc-report --unit $U --period 2022-Q1 --form 3 --format json >"$T/q1.json"
jq -e '.from == "2021-12-15" and .to == "2022-03-14"' "$T/q1.json" >/dev/null ||
    fail "2022-Q1 window: $(cat "$T/q1.json")"
check "$T/q1.json" 3.2.1=18 3.2.2=14 3.2=77.78 3.2.new=26 3.2.received=35 3.2.pending=17 \
    3.3.1=8 3.4.1=3
# 2022-05 (15/04 .. 14/05/2022) has no day: counts 0, rates empty (0/0), and
# every day before it is carried over: district received 15 + 26 = 41,
# resolved 6 + 18 = 24 -> 17; commune received 3 + 8 = 11, resolved 1 + 8 = 9 -> 2.
cchc-report --unit $U --period 2022-05 --form 3 --format json >"$T/may.json"
check "$T/may.json" 3.2.1=0 3.2=null 3.2.carried_over=17 3.2.received=17 3.2.pending=17 \
    3.3.carried_over=2 3.4=null

# ---- a registered unit without figures: all zero, exit 0
cchc-report --unit kg.empty --period 2022 --form 3 --format json >"$T/empty.json"
check "$T/empty.json" 3.2.1=0 3.2=null 3.2.carried_over=0

# ---- --form all in JSON: one object a line (NDJSON), one per form
cchc-report --unit $U --period 2022 --form all --format json >"$T/all.json"
[ "$(jq -c .form "$T/all.json" | tr '\n' ' ')" = "1 2 3 4 5 6 7 " ] ||
    fail "--form all: $(cat "$T/all.json")"

# ---- text, as the forms print: Vietnamese separators, labels, the window
cchc-report --unit $U --from 2021-12-15 --to 2022-11-30 >"$T/year.txt"
for want in "Biểu mẫu 3 — Cải cách thủ tục hành chính" "Thành phố Rạch Giá (kg.rachgia" \
    "từ 15/12/2021 đến 30/11/2022" "Chỉ tiêu thống kê" "Đơn vị tính" "Số liệu" \
    "Tỷ lệ hồ sơ TTHC do UBND các huyện, thành phố tiếp nhận được giải quyết đúng hạn" \
    "Tổng số PAKN đã tiếp nhận (trực tiếp hoặc do cơ quan có thẩm quyền chuyển đến)"; do
    grep -qF "$want" "$T/year.txt" || fail "text lacks '$want'"
done
grep -qE '^3\.2 +\|.*\| % +\| +99,61$' "$T/year.txt" || fail "text row 3.2 is not 99,61"
grep -qE '^3\.2\.1 +\|.*\| Hồ sơ +\| +1\.019$' "$T/year.txt" || fail "text row 3.2.1 is not 1.019"
grep -qE '^3\.2\.received +\|.*\| +2\.037$' "$T/year.txt" || fail "text 3.2.received not 2.037"
grep -qE '^3\.3 +\|.*\| +87,50$' "$T/year.txt" || fail "text row 3.3 is not 87,50"
grep -qE '^1\.2 +\| Số TTHC công bố mới +\| Thủ tục$' "$T/year.txt" ||
    fail "text row 1.2 is not empty"
# Aligned in code points: every full row as wide as its table's header. awk
# counts bytes, so UTF-8 continuation bytes are dropped first (one code point
# = one byte left).
LC_ALL=C sed 's/[\x80-\xbf]//g' "$T/year.txt" |
    awk -F' [|] ' '/^STT/ { w = length($0) } NF == 4 && length($0) != w { print; bad = 1 }
        END { exit bad }' || fail "text table not aligned"

# ---- --redis wins over CCHC_REDIS_URL
CCHC_REDIS_URL=unix:///nonexistent/redis.sock \
    cchc-report --redis "$READER_URL" --unit $U --period 2022 --format json >/dev/null ||
    fail "--redis does not win over CCHC_REDIS_URL"

# ---- failures: exit 1 with a message, or 2 naming the option
# expect_fail STATUS PATTERN CMD...: CMD exits STATUS and says PATTERN on stderr.
expect_fail() {
    local want=$1 pattern=$2 rc=0; shift 2
    "$@" >"$T/out" 2>"$T/err" || rc=$?
    [ "$rc" = "$want" ] || fail "$*: exit $rc, want $want ($(cat "$T/err"))"
    grep -qE -- "$pattern" "$T/err" || fail "$*: stderr '$(cat "$T/err")' lacks $pattern"
    [ ! -s "$T/out" ] || fail "$*: printed on stdout: $(cat "$T/out")"
}
expect_fail 1 "unknown unit 'kg.nowhere'" cchc-report --unit kg.nowhere --period 2022
expect_fail 1 "cannot reach Redis" cchc-report --redis unix:///nonexistent/redis.sock \
    --unit $U --period 2022
# Figures Redis should never hold: refused with the key, not summed as 0.
rcli HSET cchc:v2:unit:kg.bad name "Hỏng" level commune >/dev/null
echo "kg.bad 2022-01-01 commune:resolved 1" | put_days
rcli HSET cchc:v2:days:kg.bad:2022-01 2022-01-01 "commune:resolved=12x" >/dev/null
expect_fail 1 "cchc:v2:days:kg.bad:2022-01 field 2022-01-01: a value that is not a 64-bit integer: 'commune:resolved=12x'" \
    cchc-report --unit kg.bad --period 2022
rcli HSET cchc:v2:days:kg.bad:2022-01 2022-01-01 "resolved=1 commune:resolved=1" >/dev/null
expect_fail 1 "cchc:v2:days:kg.bad:2022-01 field 2022-01-01: figures out of ascending order" \
    cchc-report --unit kg.bad --period 2022
rcli HSET cchc:v2:days:kg.bad:2022-01 2022-01-01 "commune:resolved=1" 2022-01 "resolved=1" >/dev/null
expect_fail 1 "cchc:v2:days:kg.bad:2022-01 has field '2022-01', not a day" \
    cchc-report --unit kg.bad --period 2022
rcli HDEL cchc:v2:days:kg.bad:2022-01 2022-01 >/dev/null
rcli HSET cchc:v2:days:kg.bad:2022-01 2022-01-16 "resolved=1" >/dev/null
expect_fail 1 "cchc:v2:days:kg.bad:2022-01 has day 2022-01-16, which is in month 2022-02" \
    cchc-report --unit kg.bad --period 2022
rcli HSET cchc:v2:unit:kg.wrong name "Sai kiểu" level commune >/dev/null
rcli SET cchc:v2:months:kg.wrong oops >/dev/null
expect_fail 1 "redis refused to read cchc:v2:months:kg.wrong: WRONGTYPE" \
    cchc-report --unit kg.wrong --period 2022
rcli HSET cchc:v2:unit:kg.notmonth name "Sai tháng" level commune >/dev/null
rcli ZADD cchc:v2:months:kg.notmonth 18976 2022-Q1 >/dev/null
expect_fail 1 "cchc:v2:months:kg.notmonth: a member is not a month" \
    cchc-report --unit kg.notmonth --period 2022
expect_fail 2 "--unit" cchc-report --period 2022
expect_fail 2 "--unit 'kg rachgia'" cchc-report --unit "kg rachgia" --period 2022
expect_fail 2 "--from" cchc-report --unit $U --to 2022-11-30
expect_fail 2 "--from '2022-02-30'" cchc-report --unit $U --from 2022-02-30 --to 2022-11-30
expect_fail 2 "--to '2021-01-01'" cchc-report --unit $U --from 2022-01-01 --to 2021-01-01
expect_fail 2 "--period '2022-Q5'" cchc-report --unit $U --period 2022-Q5
expect_fail 2 "--period" cchc-report --unit $U --period 2022 --from 2022-01-01
expect_fail 2 "--format 'xml'" cchc-report --unit $U --period 2022 --format xml
expect_fail 2 "--form '8'" cchc-report --unit $U --period 2022 --form 8
expect_fail 2 "--form 'x'" cchc-report --unit $U --period 2022 --form x
expect_fail 2 "--redis 'http://x'" cchc-report --redis http://x --unit $U --period 2022
expect_fail 2 "--bogus" cchc-report --bogus
expect_fail 2 "--unit" cchc-report --unit

# ---- --help: exit 0, every option and the environment variable
cchc-report --help >"$T/help" || fail "--help exited $?"
for want in --unit --from --to --period --form --format --out --redis --help CCHC_REDIS_URL \
    csv xlsx; do
    grep -qF -- "$want" "$T/help" || fail "--help lacks $want"
done

echo "report_test: ok"
