#!/usr/bin/env bash
# Attack: finance amounts that add up past int64. One amount may be up to
# 10^18 dong, so before the bound ten revenue records of 10^18 at one unit,
# all accepted, summed past 9.22 x 10^18 in the aggregator: undefined
# behaviour, in practice a wrapped, negative revenue. Now the service bounds
# what it takes (common/base/metric.h): counter changes add up to at most
# METRIC_COUNTERS_MAX (10^18) in magnitude, and each level series' largest
# value to METRIC_LEVELS_MAX (5 x 10^17) over its series. A record past
# either is rejected whole, naming the metric, counted (sums.refused_records),
# and kept in the reject log; the bound holds across a restart; no figure
# moves, and every record taken is in the figures.
. "$CCHC_SRC/tests/lib.sh"

start_redis
start_service finance
start_aggregator
R=kg.rachgia
rec() { printf '{"id":"%s","type":"%s","unit":"%s","at":"2022-04-0%sT08:00:00+07:00","amount":%s}\n' "$@"; }
stat() { curl -sf "$FINANCE_BASE/v1/stats" | jq -r "$1"; }
# sum NAME: a figure of /v1/stats "sums" as written (jq would print 1e+18).
sum() { curl -sf "$FINANCE_BASE/v1/stats" | grep -o "\"sums\":{[^}]*}" | grep -o "\"$1\":[0-9]*" | cut -d: -f2; }

# Up to the bound: taken.
{ rec r1 revenue $R 1 600000000000000000; rec r2 revenue $R.p-vinh-loi 2 400000000000000000
  rec e1 revenue_estimate $R 1 500000000000000000; } | post "$FINANCE_URL" >"$T/ok.json"
[ "$(jq .accepted "$T/ok.json")" = 3 ] || fail "the records within the bound: $(cat "$T/ok.json")"
wait_caught_up 60
figures_dump "$T/before"
[ "$(rcli HGET cchc:v1:fig:$R:all revenue)" = 1000000000000000000 ] || fail "revenue not summed"

# Past it: one dong more of revenue, ten records of 10^18, a second estimate.
attack() {
    { rec x1 revenue $R 3 1
      for i in $(seq 2 11); do rec "x$i" disbursement $R.p-vinh-loi 3 1000000000000000000; done
      rec x12 revenue_estimate $R.p-vinh-loi 3 1
      rec x13 investment_plan $R 3 1; } | post "$FINANCE_URL" >"$T/attack$1.json"
    [ "$(jq .accepted "$T/attack$1.json")" = 0 ] && [ "$(jq .rejected "$T/attack$1.json")" = 13 ] ||
        fail "past the bound ($1): $(head -c 600 "$T/attack$1.json")"
    jq -e '[.results[].error | select(test("would take the sums of what this service has taken past their bound"))] | length == 13' \
        "$T/attack$1.json" >/dev/null || fail "reasons ($1): $(jq -c '.results[0]' "$T/attack$1.json")"
    jq -e '.results[0].error | startswith("metric \"revenue\"")' "$T/attack$1.json" >/dev/null ||
        fail "the metric is not named: $(jq -c '.results[0]' "$T/attack$1.json")"
}
attack 1
[ "$(stat .sums.refused_records)" = 13 ] || fail "not counted: $(stat .sums)"
[ "$(sum counters)" = 1000000000000000000 ] || fail "counters: $(sum counters)"
[ "$(grep -c 'past their bound' "$T/finance/rejects.ndjson")" = 13 ] || fail "not in the reject log"

# Across a restart: the bound is rebuilt from the journal.
kill -9 "$PID_finance"
wait "$PID_finance" 2>/dev/null || true
start_service finance
attack 2
[ "$(sum levels)" = 500000000000000000 ] || fail "levels after restart: $(sum levels)"

wait_caught_up 60
figures_dump "$T/after"
cmp -s "$T/before" "$T/after" || fail "a figure changed: $(diff "$T/before" "$T/after" | head)"
{ rec r1 revenue $R 1 600000000000000000; rec r2 revenue $R.p-vinh-loi 2 400000000000000000
  rec e1 revenue_estimate $R 1 500000000000000000; } | post "$FINANCE_URL" >"$T/again.json"
[ "$(jq .duplicate "$T/again.json")" = 3 ] || fail "records taken were lost: $(cat "$T/again.json")"
echo "finance_sum_overflow: 26 records past the bound refused and counted, across a restart; figures unchanged"
