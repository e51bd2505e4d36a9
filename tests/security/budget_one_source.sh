#!/usr/bin/env bash
# Attack: one source takes the whole sums' bound of a service. Before, the
# bound was one pool per service: finance amounts of 10^15 (or one of 10^18,
# the old cap of one amount) from ONE source ("bad", any office system with a
# token, or a buggy one) took it all, and every other source's records for
# finance were refused for good. Now each source that may post to a service
# takes at most its share (ops/README.md, "Budgets per source"): here, with
# three sources on finance (lib.sh's "test", "bad", "good") and no budget=,
# a third of METRIC_COUNTERS_MAX each. bad's records past its share are
# refused whole, naming the field and bad's budget and use, counted
# (budgets.bad.refused_records, sums.refused_records) and kept in the reject
# log, across a restart (the accounts are rebuilt from the journal); good's
# records still go through and its figures are exact; nothing acknowledged
# is lost.
. "$CCHC_SRC/tests/lib.sh"

new_source bad 'finance.*' kg.rachgia
new_source good 'finance.*' kg.rachgia
NSRC=3 # test, bad, good: the sources that may post to finance
MAX=$(sed -n 's/^#define METRIC_COUNTERS_MAX \([0-9]*\)LL.*/\1/p' "$CCHC_SRC/common/base/metric.h")
[ "${MAX:-0}" -gt 0 ] || fail "cannot read METRIC_COUNTERS_MAX"
SHARE=$((MAX / NSRC))
AMT=1000000000000000 # 10^15, the largest amount (services/finance/finance.c)
FIT=$((SHARE / AMT)) # bad's records of AMT within its share
N=$((MAX / AMT))     # enough to take the whole pool, were it one
start_redis
start_service finance
start_aggregator
VL=kg.rachgia.p-vinh-loi AB=kg.rachgia.p-an-binh
rec() { printf '{"id":"%s","type":"%s","unit":"%s","at":"2022-04-0%sT08:00:00+07:00","amount":%s}\n' "$@"; }
# post_as NAME OUT: stdin's records as source NAME; the answer in OUT.
post_as() {
    local code
    code=$(curl -s -o "$2" -w '%{http_code}' -H @"$T/$1.header" --data-binary @- "$FINANCE_URL")
    [ "$code" = 200 ] || fail "$1: HTTP $code: $(head -c 300 "$2")"
}
# raw KEY: a figure of /v1/stats as written (jq would round 333333333333333333).
raw() { curl -sf "$FINANCE_BASE/v1/stats" | grep -o "$1" | head -n 1; }
budget() { raw "\"$1\":{\"counters\":[^}]*}" | grep -o "\"$2\":[0-9]*" | cut -d: -f2; }
fig() { rcli HGET "cchc:v2:fig:$1:all" "$2"; }
bad_batch() { for i in $(seq 1 "${1:-$N}"); do rec "b$i" revenue $AB 1 $AMT; done; }

# good's first records, then bad's flood.
{ rec g1 revenue $VL 1 123456789; rec g2 disbursement $VL 2 5000
  rec g3 revenue_estimate $VL 2 700000000; } | post_as good "$T/g1.json"
[ "$(jq .accepted "$T/g1.json")" = 3 ] || fail "good's first records: $(cat "$T/g1.json")"
bad_batch | post_as bad "$T/bad1.json"
[ "$(jq .accepted "$T/bad1.json")" = "$FIT" ] && [ "$(jq .rejected "$T/bad1.json")" = $((N - FIT)) ] ||
    fail "bad's flood: $(jq -c '{accepted,rejected}' "$T/bad1.json"), want $FIT accepted (its share)"
want="field \"amount\": source bad's budget of counter changes at this service is $SHARE (used $((FIT * AMT))): metric \"revenue\" ($AMT) would pass it"
jq -e --arg w "$want" '[.results[] | select(.status == "rejected") | .error | startswith($w)] | all and length > 0' \
    "$T/bad1.json" >/dev/null || fail "reason: $(jq -c '[.results[] | select(.status == "rejected")][0]' "$T/bad1.json")"
[ "$(budget bad refused_records)" = $((N - FIT)) ] || fail "not counted: $(raw '"budgets":{[^{]*{[^}]*}')"
[ "$(raw '"sums":{[^}]*}' | grep -o '"refused_records":[0-9]*' | cut -d: -f2)" = $((N - FIT)) ] ||
    fail "sums.refused_records: $(raw '"sums":{[^}]*}')"
[ "$(grep -c "source bad's budget of counter changes" "$T/finance/rejects.ndjson")" = $((N - FIT)) ] ||
    fail "not in the reject log"
# One amount past the cap of one record: refused, naming the field.
rec b-big revenue $AB 1 $((AMT + 1)) | post_as bad "$T/big.json"
[ "$(jq .rejected "$T/big.json")" = 1 ] && jq -e '.results[0].error | startswith("field \"amount\"")' \
    "$T/big.json" >/dev/null || fail "an amount past 10^15: $(cat "$T/big.json")"

# good is not starved: its next record goes through.
rec g4 revenue $VL 3 876543211 | post_as good "$T/g4.json"
[ "$(jq .accepted "$T/g4.json")" = 1 ] || fail "good starved by bad: $(cat "$T/g4.json")"
wait_caught_up 60
[ "$(fig $VL revenue)" = $((123456789 + 876543211)) ] || fail "good's revenue: $(fig $VL revenue)"
[ "$(fig $VL disbursed)" = 5000 ] || fail "good's disbursed: $(fig $VL disbursed)"
[ "$(fig $AB revenue)" = $((FIT * AMT)) ] || fail "bad's revenue: $(fig $AB revenue)"
[ "$(fig kg.rachgia revenue)" = $((FIT * AMT + 1000000000)) ] || fail "the city's revenue: $(fig kg.rachgia revenue)"
figures_dump "$T/before"

# Again, and across a restart: bad's share is rebuilt from the journal.
bad_batch | post_as bad "$T/bad2.json"
[ "$(jq .duplicate "$T/bad2.json")" = "$FIT" ] && [ "$(jq .rejected "$T/bad2.json")" = $((N - FIT)) ] ||
    fail "bad again: $(jq -c '{accepted,duplicate,rejected}' "$T/bad2.json")"
kill -9 "$PID_finance"
wait "$PID_finance" 2>/dev/null || true
start_service finance
[ "$(budget bad counters)" = $((FIT * AMT)) ] && [ "$(budget bad counters_max)" = "$SHARE" ] ||
    fail "bad's account after a restart: $(raw '"bad":{[^}]*}')"
[ "$(budget good counters)" = $((1000000000 + 5000)) ] || fail "good's account: $(raw '"good":{[^}]*}')"
rec x1 revenue $AB 4 $AMT | post_as bad "$T/x1.json"
[ "$(jq .rejected "$T/x1.json")" = 1 ] || fail "bad past its share after a restart: $(cat "$T/x1.json")"
[ "$(budget bad refused_records)" = 1 ] || fail "not counted after the restart"
wait_caught_up 60
figures_dump "$T/after"
cmp -s "$T/before" "$T/after" || fail "a figure changed: $(diff "$T/before" "$T/after" | head)"

# Nothing acknowledged was lost, and good still posts.
{ rec g1 revenue $VL 1 123456789; rec g2 disbursement $VL 2 5000
  rec g3 revenue_estimate $VL 2 700000000; rec g4 revenue $VL 3 876543211
  rec g5 revenue $VL 4 1; } | post_as good "$T/g5.json"
[ "$(jq .duplicate "$T/g5.json")" = 4 ] && [ "$(jq .accepted "$T/g5.json")" = 1 ] ||
    fail "good's records: $(cat "$T/g5.json")"
bad_batch "$FIT" | post_as bad "$T/bad3.json"
[ "$(jq .duplicate "$T/bad3.json")" = "$FIT" ] || fail "bad's acknowledged records lost"
wait_caught_up 60
[ "$(fig $VL revenue)" = $((1000000000 + 1)) ] || fail "good's revenue at the end: $(fig $VL revenue)"
echo "budget_one_source: bad took its share ($FIT of $N records), $((N - FIT)) refused and counted, across a restart; good's records went through"
