#!/usr/bin/env bash
# Attack: finance amounts up to the sums' bound, then retention and a
# restart, then more. Retention folds the dropped events into a checkpoint;
# before, it kept them without their metric changes, so after a restart the
# service had forgotten what its counters added up to and took another
# 10^18, and another, until the aggregator's sums left int64 and every flush
# failed. Now the checkpoint keeps each event whole: the bound (and the
# metric names' cap) is rebuilt from it, the record past it is refused and
# counted, and no figure moves.
. "$CCHC_SRC/tests/lib.sh"

start_redis
start_service finance --journal-max-mb 1
start_aggregator
R=kg.rachgia
rec() { printf '{"id":"%s","type":"revenue","unit":"%s","at":"2022-04-01T08:00:00+07:00","amount":%s}\n' "$@"; }
sum() { curl -sf "$FINANCE_BASE/v1/stats" | grep -o '"sums":{[^}]*}' | grep -o "\"$1\":[0-9]*" | cut -d: -f2; }
# 10^18 of revenue: a thousand amounts of 10^15 (the largest amount).
big() { for i in $(seq 1 1000); do rec "big$i" $R 1000000000000000; done; }
big | post "$FINANCE_URL" >"$T/big.json"
[ "$(jq .accepted "$T/big.json")" = 1000 ] || fail "the big records: $(jq -c '{accepted,rejected}' "$T/big.json")"
# Over a MiB of small records, so that retention drops the big ones.
for i in $(seq 1 15000); do rec "s$i" $R.p-vinh-loi 0; done | post "$FINANCE_URL" >/dev/null
wait_caught_up 60
compacted() {
    rec "t$RANDOM$RANDOM" $R.p-vinh-loi 0 | post "$FINANCE_URL" >/dev/null
    [ "$(curl -sf "$FINANCE_BASE/v1/stats" | jq .journal_base)" -gt 1 ]
}
wait_for 60 compacted
wait_caught_up 60
figures_dump "$T/before"
kill -9 "$PID_finance"
wait "$PID_finance" 2>/dev/null || true
start_service finance --journal-max-mb 1
[ "$(sum counters)" = 1000000000000000000 ] || fail "the bound was not rebuilt: counters $(sum counters)"
# ... and the source's account (ops/README.md, "Budgets per source"), from the events' src.
[ "$(curl -sf "$FINANCE_BASE/v1/stats" | grep -o '"test":{"counters":[0-9]*' | cut -d: -f3)" = 1000000000000000000 ] ||
    fail "the source's account was not rebuilt: $(curl -sf "$FINANCE_BASE/v1/stats" | grep -o '"budgets":{.*')"
rec more $R 1 | post "$FINANCE_URL" >"$T/more.json"
[ "$(jq .rejected "$T/more.json")" = 1 ] || fail "taken past the bound after compaction: $(cat "$T/more.json")"
[ "$(sum refused_records)" = 1 ] || fail "not counted"
wait_caught_up 60
figures_dump "$T/after"
cmp -s "$T/before" "$T/after" || fail "a figure changed: $(diff "$T/before" "$T/after" | head)"
big | post "$FINANCE_URL" >"$T/again.json"
[ "$(jq .duplicate "$T/again.json")" = 1000 ] || fail "the big records were lost: $(jq -c '{duplicate,rejected}' "$T/again.json")"
echo "sum_bound_after_compaction: the bound rebuilt from the checkpoint; the record past it refused"
