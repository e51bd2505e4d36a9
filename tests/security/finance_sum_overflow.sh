#!/usr/bin/env bash
# Attack: finance amounts that add up past int64. One amount could be up to
# 10^18 dong, so before the bound ten revenue records of 10^18 at one unit,
# all accepted, summed past 9.22 x 10^18 in the aggregator: undefined
# behaviour, in practice a wrapped, negative revenue. Now one amount is at
# most 10^15 (services/finance/finance.c), and the service bounds what it
# takes (common/base/metric.h): counter changes add up to at most
# METRIC_COUNTERS_MAX (10^18) in magnitude, and each level series' largest
# value to METRIC_LEVELS_MAX (5 x 10^17) over its series. Here lib.sh's
# "test" is finance's only source, so its share (ops/README.md, "Budgets per
# source") is the whole bound. A record past it is rejected whole, naming
# the field, the metric and the bound with what was used, counted
# (sums.refused_records), and kept in the reject log; the bound holds across
# a restart; no figure moves, and every record taken is in the figures.
. "$CCHC_SRC/tests/lib.sh"

start_redis
start_service finance
start_aggregator
R=kg.rachgia
MAX=$(sed -n 's/^#define METRIC_COUNTERS_MAX \([0-9]*\)LL.*/\1/p' "$CCHC_SRC/common/base/metric.h")
LMAX=$(sed -n 's/^#define METRIC_LEVELS_MAX \([0-9]*\)LL.*/\1/p' "$CCHC_SRC/common/base/metric.h")
[ "${MAX:-0}" -gt 0 ] && [ "${LMAX:-0}" -gt 0 ] || fail "cannot read the bounds"
AMT=1000000000000000 # 10^15, the largest amount
rec() { printf '{"id":"%s","type":"%s","unit":"%s","at":"2022-04-0%sT08:00:00+07:00","amount":%s}\n' "$@"; }
stat() { curl -sf "$FINANCE_BASE/v1/stats" | jq -r "$1"; }
# sum NAME: a figure of /v1/stats "sums" as written (jq would print 1e+18).
sum() { curl -sf "$FINANCE_BASE/v1/stats" | grep -o "\"sums\":{[^}]*}" | grep -o "\"$1\":[0-9]*" | cut -d: -f2; }
# The records up to the bound: 600 amounts of 10^15 at the city and 400 at a
# commune (10^18 of revenue), and an estimate.
taken() {
    for i in $(seq 1 600); do rec "r$i" revenue $R 1 $AMT; done
    for i in $(seq 1 400); do rec "s$i" revenue $R.p-vinh-loi 2 $AMT; done
    rec e1 revenue_estimate $R 1 $AMT
}
taken | post "$FINANCE_URL" >"$T/ok.json"
[ "$(jq .accepted "$T/ok.json")" = 1001 ] || fail "the records within the bound: $(jq -c '{accepted,rejected}' "$T/ok.json")"
wait_caught_up 60
figures_dump "$T/before"
[ "$(rcli HGET cchc:v2:fig:$R:all revenue)" = "$MAX" ] || fail "revenue not summed: $(rcli HGET cchc:v2:fig:$R:all revenue)"

# Past it: one dong more of revenue, ten records of 10^15 of disbursement.
# (The levels' bound, 5 x 10^17, is out of finance's reach now: a series
# (unit, type) holds at most 10^15, and 87 units x 2 level types make 174
# series; its check is in common_ingest_lines test_sums.)
attack() {
    { rec x1 revenue $R 3 1
      for i in $(seq 2 11); do rec "x$i" disbursement $R.p-vinh-loi 3 $AMT; done; } |
        post "$FINANCE_URL" >"$T/attack$1.json"
    [ "$(jq .accepted "$T/attack$1.json")" = 0 ] && [ "$(jq .rejected "$T/attack$1.json")" = 11 ] ||
        fail "past the bound ($1): $(head -c 600 "$T/attack$1.json")"
    jq -e --arg max "$MAX" '[.results[].error | select(test("the bound of this service.s counter changes is " + $max + " \\(METRIC_COUNTERS_MAX, used " + $max + "; source test.s budget " + $max + ", used " + $max + "\\)"))] | length == 11' \
        "$T/attack$1.json" >/dev/null || fail "reasons ($1): $(jq -c '.results[0]' "$T/attack$1.json")"
    jq -e '.results[0].error | startswith("field \"amount\": ") and contains("metric \"revenue\" would pass it")' \
        "$T/attack$1.json" >/dev/null || fail "the field and metric are not named: $(jq -c '.results[0]' "$T/attack$1.json")"
    jq -e '.results[1].error | contains("metric \"disbursed\" would pass it")' \
        "$T/attack$1.json" >/dev/null || fail "the metric is not named: $(jq -c '.results[1]' "$T/attack$1.json")"
}
attack 1
[ "$(stat .sums.refused_records)" = 11 ] || fail "not counted: $(stat .sums)"
[ "$(stat .budgets.test.refused_records)" = 11 ] || fail "not counted for the source: $(stat .budgets)"
[ "$(sum counters)" = "$MAX" ] || fail "counters: $(sum counters)"
[ "$(grep -c 'the bound of this service' "$T/finance/rejects.ndjson")" = 11 ] || fail "not in the reject log"
# One amount past 10^15: refused, naming the field.
rec big revenue $R 3 $((AMT + 1)) | post "$FINANCE_URL" >"$T/big.json"
[ "$(jq .rejected "$T/big.json")" = 1 ] && jq -e '.results[0].error | startswith("field \"amount\"")' \
    "$T/big.json" >/dev/null || fail "an amount past 10^15: $(cat "$T/big.json")"

# Across a restart: the bound is rebuilt from the journal.
kill -9 "$PID_finance"
wait "$PID_finance" 2>/dev/null || true
start_service finance
attack 2
[ "$(sum levels)" = "$AMT" ] || fail "levels after restart: $(sum levels)"
[ "$(sum levels_max)" = "$LMAX" ] || fail "levels_max: $(sum levels_max)"

wait_caught_up 60
figures_dump "$T/after"
cmp -s "$T/before" "$T/after" || fail "a figure changed: $(diff "$T/before" "$T/after" | head)"
taken | post "$FINANCE_URL" >"$T/again.json"
[ "$(jq .duplicate "$T/again.json")" = 1001 ] || fail "records taken were lost: $(jq -c '{accepted,duplicate,rejected}' "$T/again.json")"
echo "finance_sum_overflow: 22 records past the bound refused and counted, across a restart; figures unchanged"
