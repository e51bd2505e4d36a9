#!/usr/bin/env bash
# A registry change dated in the past re-attributes history by a rebuild:
# dossiers at communes t.a, t.b, t.c through 2025 under a registry without
# dates; then the registry learns that t.a and t.b were merged into t.m on
# 1 July 2025. The aggregator, started again with it, finds Redis built
# under another registry (cchc:v2:view) and rebuilds it from the journals:
# the periods' hashes and rankings hold today's units (t.m with t.a's and
# t.b's whole history), the days hold each event where it happened (at t.a
# up to 30 June, at t.m after, resolutions after the merge too), the
# province's figures are unchanged (no double count), cchc-reconcile finds
# Redis exact, and a further start under the same registry rebuilds nothing.
. "$CCHC_SRC/tests/lib.sh"

printf '%s\n' $'t\tprovince\tgovernment\tTỉnh T' $'t.a\tcommune\tgovernment\tXã A' \
    $'t.b\tcommune\tgovernment\tXã B' $'t.c\tcommune\tgovernment\tXã C' \
    $'t.m\tcommune\tgovernment\tPhường M' >"$T/v1.tsv"
printf '%s\n' $'t\tprovince\tgovernment\tTỉnh T' \
    $'t.a\tcommune\tgovernment\tXã A\tto=2025-06-30\tsuccessors=t.m' \
    $'t.b\tcommune\tgovernment\tXã B\tto=2025-06-30\tsuccessors=t.m' \
    $'t.c\tcommune\tgovernment\tXã C' $'t.m\tcommune\tgovernment\tPhường M\tfrom=2025-07-01' >"$T/v2.tsv"
cchc-units check "$T/v2.tsv" >/dev/null || fail "v2: $(cchc-units check "$T/v2.tsv")"

start_redis
start_dossier --units "$T/v1.tsv"
start_aggregator --units "$T/v1.tsv"
# Dossier i at unit a, b or c, received on day i*3 % 330 after 2025-01-02,
# and resolved 40 days later when i is even; counted here as they are written.
declare -A before after resolved_after
units=(a b c)
for i in $(seq 0 299); do
    u=${units[i % 3]}
    day=$(date -u -d "2025-01-02 + $((i * 3 % 330)) days" +%F)
    printf '{"id":"r%d","type":"received","unit":"t.%s","at":"%sT09:00:00+07:00","dossier":"D%d","procedure":"p","field":"f","channel":"direct","due":"%sT17:00:00+07:00"}\n' \
        "$i" "$u" "$day" "$i" "$(date -u -d "$day + 60 days" +%F)"
    if [[ "$day" < 2025-07-01 ]]; then before[$u]=$((${before[$u]:-0} + 1)); else after[$u]=$((${after[$u]:-0} + 1)); fi
    if [ $((i % 2)) = 0 ]; then
        rday=$(date -u -d "$day + 40 days" +%F)
        printf '{"id":"s%d","type":"resolved","unit":"t.%s","at":"%sT10:00:00+07:00","dossier":"D%d","return_channel":"direct"}\n' \
            "$i" "$u" "$rday" "$i"
        [[ "$rday" < 2025-07-01 ]] || resolved_after[$u]=$((${resolved_after[$u]:-0} + 1))
    fi
done >"$T/records.ndjson"
cchc-import --url "$DOSSIER_URL" "$T/records.ndjson" >"$T/import.out" 2>&1 || fail "$(cat "$T/import.out")"
wait_caught_up 60
a_all=$((before[a] + after[a])) b_all=$((before[b] + after[b])) c_all=$((before[c] + after[c]))
want() { # KEY FIELD VALUE
    local got
    got=$(rcli HGET "$1" "$2")
    [ "${got:-absent}" = "$3" ] || fail "$1 $2: ${got:-absent}, want $3"
}
want cchc:v2:fig:t.a:all received "$a_all"
want cchc:v2:fig:t:all received 300
v1_view=$(rcli HGET cchc:v2:view view)
cchc-report --units "$T/v1.tsv" --unit t.a --from 2024-12-15 --to 2025-06-30 --form 3 --format json >"$T/a-v1.json"
figures_dump "$T/v1.txt"

# The registry changes: the aggregator starts again with it.
kill "$PID_aggregator"
wait "$PID_aggregator" 2>/dev/null || true
start_aggregator --units "$T/v2.tsv"
wait_for 30 grep -q "its history is re-attributed by a rebuild" "$T/aggregator.log"
wait_caught_up 60
sleep 1.2
[ "$(rcli HGET cchc:v2:view view)" != "$v1_view" ] || fail "cchc:v2:view did not change"
[ "$(curl -sf "$AGG_HTTP/v1/stats" | jq .rebuilds)" = 1 ] || fail "rebuilds: $(curl -sf "$AGG_HTTP/v1/stats")"
# Today's units: t.m holds t.a's and t.b's whole history; they hold nothing.
want cchc:v2:fig:t.m:all received $((a_all + b_all))
want cchc:v2:fig:t.m:2025 received $((a_all + b_all))
want cchc:v2:fig:t.a:all received absent
want cchc:v2:fig:t.b:2025 received absent
want cchc:v2:fig:t.c:all received "$c_all"
want cchc:v2:fig:t:all received 300
want cchc:v2:fig:t:all commune:received 300
[ "$(rcli ZSCORE cchc:v2:rank:t:commune:2025:received t.m)" = $((a_all + b_all)) ] ||
    fail "ranking: $(rcli ZRANGE cchc:v2:rank:t:commune:2025:received 0 -1 WITHSCORES)"
[ -z "$(rcli ZSCORE cchc:v2:rank:t:commune:2025:received t.a)" ] || fail "t.a still ranked"
# As recorded: t.a's days up to 30 June are what they were, its later ones are t.m's.
cchc-report --units "$T/v2.tsv" --unit t.a --from 2024-12-15 --to 2025-06-30 --form 3 --format json >"$T/a-v2.json"
diff <(jq -S .rows "$T/a-v1.json") <(jq -S .rows "$T/a-v2.json") >/dev/null ||
    fail "t.a up to 30 June changed: $(diff <(jq -S .rows "$T/a-v1.json") <(jq -S .rows "$T/a-v2.json") | head)"
rep() { cchc-report --units "$T/v2.tsv" --unit "$1" --from "$2" --to "$3" --form 3 --format json | jq ".rows[\"$4\"]"; }
[ "$(rep t.a 2025-07-01 2025-12-31 3.3.new)" = 0 ] || fail "t.a after its end: $(rep t.a 2025-07-01 2025-12-31 3.3.new)"
[ "$(rep t.m 2025-07-01 2026-03-31 3.3.new)" = $((after[a] + after[b])) ] ||
    fail "t.m from 1 July: $(rep t.m 2025-07-01 2026-03-31 3.3.new), want $((after[a] + after[b]))"
[ "$(rep t.m 2025-07-01 2026-03-31 3.3.1)" = $((resolved_after[a] + resolved_after[b])) ] ||
    fail "t.m resolved from 1 July: $(rep t.m 2025-07-01 2026-03-31 3.3.1), want $((resolved_after[a] + resolved_after[b]))"
[ "$(rep t 2024-12-15 2026-03-31 3.3.new)" = 300 ] || fail "t: $(rep t 2024-12-15 2026-03-31 3.3.new)"
cchc-reconcile --units "$T/v2.tsv" dossier="$T/dossier/events.journal" >"$T/reconcile.out" 2>&1 ||
    fail "cchc-reconcile: $(tail "$T/reconcile.out")"
# The same registry again: nothing to re-attribute.
figures_dump "$T/v2.txt"
kill "$PID_aggregator"
wait "$PID_aggregator" 2>/dev/null || true
: >"$T/aggregator.log"
start_aggregator --units "$T/v2.tsv"
wait_caught_up 60
sleep 1.2
! grep -q "re-attributed" "$T/aggregator.log" || fail "rebuilt again under the same registry"
figures_dump "$T/v2-again.txt"
diff -q "$T/v2.txt" "$T/v2-again.txt" >/dev/null || fail "the figures moved on a start under the same registry"
echo "reattribute: ok: t.a $a_all, t.b $b_all, t.c $c_all dossiers; $((resolved_after[a] + resolved_after[b])) resolved at t.m after the merge"
