#!/usr/bin/env bash
# The service's state is on disk (DATA/state.mdb), not rebuilt from the
# history: some 270,000 dossier records go in while retention compacts the
# journal (a 2 MiB limit, the aggregator acknowledging), so their events are
# gone from it; a few more stay in the journal; then kill -9. A start whose
# state is missing, or behind what the journal dropped, is refused, naming
# both positions; one whose state is behind only by what the journal still
# holds (as after a crash between the journal's sync and the state's commit)
# replays just that. After it: every old record is a duplicate, an
# old id with other content a conflict, dossiers received before (and never
# resolved) are resolved early or late by their due dates, a resolution held
# before is taken when its dossier comes, and the vocabulary, sums and
# budgets are what they were. The start's time is printed.
# CCHC_RESTART_RECORDS: about how many records (default 300,000).
. "$CCHC_SRC/tests/lib.sh"

records=${CCHC_RESTART_RECORDS:-300000}
cchc-loadgen country --out "$T/data" --records "$records" --units 2000 >/dev/null
export CCHC_UNITS="$T/data/units.tsv"
bulk="$T/data/dossier-000.ndjson"
u1=$(sed -n 1p "$bulk" | jq -r .unit)

start_redis
start_dossier --journal-max-mb 2
start_aggregator

# Before the bulk: two dossiers received and left open (due 2024-03-10
# 17:00), and a resolution of a dossier not received yet (held).
recv() { # ID DOSSIER AT DUE
    printf '{"id":"%s","type":"received","unit":"%s","at":"%s","dossier":"%s","procedure":"9.9","field":"f","channel":"direct","due":"%s"}\n' \
        "$1" "$u1" "$3" "$2" "$4"
}
resolve() { # ID DOSSIER AT
    printf '{"id":"%s","type":"resolved","unit":"%s","at":"%s","dossier":"%s","return_channel":"postal"}\n' \
        "$1" "$u1" "$3" "$2"
}
{
    recv open-1 OPEN-1 2024-03-01T08:00:00+07:00 2024-03-10T17:00:00+07:00
    recv open-2 OPEN-2 2024-03-01T08:00:00+07:00 2024-03-10T17:00:00+07:00
    resolve held-1 HELD-1 2024-04-20T10:00:00+07:00
} | post "$DOSSIER_URL" >"$T/first.out"
[ "$(jq .accepted "$T/first.out")" = 3 ] || fail "first records: $(cat "$T/first.out")"

# copy_state NAME: the state as it is now, into $T/NAME (the service paused,
# as a backup of the data folder would take it).
copy_state() {
    kill -STOP "$PID_dossier"
    cp -a "$T/dossier/state.mdb" "$T/$1"
    kill -CONT "$PID_dossier"
}
copy_state state-early

cchc-import --url "$DOSSIER_URL" "$bulk" >"$T/import.out" 2>&1 || fail "import: $(cat "$T/import.out")"
wait_caught_up 300
# Retention drops what the aggregator acknowledged once the journal is over
# its limit: most of the history is gone from it.
compacted() {
    [ "$(curl -sf "$DOSSIER_BASE/v1/stats" | jq '.journal_base * 10 >= .journal_next_seq * 8')" = true ]
}
wait_for 60 compacted
# The aggregator paused from here to the kill: no new acknowledgement, so
# retention drops nothing past what it has dropped already, which the state
# copied now holds (a pass after the copy, on an acknowledgement of events
# the copy lacks, would make the start refuse it, rightly).
kill -STOP "$PID_aggregator"
# And the copy only once the state holds the whole journal: the state is
# committed a second after the journal (STATE_COMMIT_MS), and the aggregator
# may have acknowledged events of that second; a copy taken before would
# lack events that retention, at the service's next commit, drops.
sleep 2
copy_state state-before-tail
# A tail that stays in the journal: replayed at the start.
head -n 2000 "$bulk" | sed 's/"id":"/"id":"tail-/; s/"dossier":"/"dossier":"TAIL-/' >"$T/tail.ndjson"
cchc-import --url "$DOSSIER_URL" "$T/tail.ndjson" >"$T/tail.out" 2>&1 || fail "tail: $(cat "$T/tail.out")"
before=$(curl -sf "$DOSSIER_BASE/v1/stats")
base=$(jq .journal_base <<<"$before")
next=$(jq .journal_next_seq <<<"$before")
[ $((base * 10)) -ge $((next * 8)) ] || fail "the journal keeps $base..$next: not compacted"
echo "before the kill: journal keeps events $base..$next of $next"

kill -9 "$PID_dossier"
wait "$PID_dossier" 2>/dev/null || true
kill -CONT "$PID_aggregator"

# refused START_WANT: a start that must stop, before it serves, saying WANT.
refused() {
    if timeout 30 cchc-dossier --data "$T/dossier" --listen 127.0.0.1:0 --pub "ipc://$T/x.pub" \
        --replay "ipc://$T/x.replay" >"$T/refused.log" 2>&1; then
        fail "started without its state: $(cat "$T/refused.log")"
    fi
    grep -qE "$1" "$T/refused.log" || fail "refusal without \"$1\": $(cat "$T/refused.log")"
}
mv "$T/dossier/state.mdb" "$T/state-last"
refused "state.mdb holds no state, but .*events.journal starts at event $base: .*restore the state and the journal together"
rm -rf "$T/dossier/state.mdb"
cp -a "$T/state-early" "$T/dossier/state.mdb"
refused "state.mdb holds the journal's events up to 3, but .*events.journal starts at event $base: events 3\.\.$((base - 1)) are gone"
# Behind by the tail alone: the start replays it.
rm -rf "$T/dossier/state.mdb"
cp -a "$T/state-before-tail" "$T/dossier/state.mdb"
t0=$(date +%s.%N)
start_dossier --journal-max-mb 2
t1=$(date +%s.%N)
grep -E "state .*replayed|started in" "$T/dossier.log" | tail -n 2
replayed=$(grep -oE "replayed [0-9]+ events" "$T/dossier.log" | tail -n 1 | grep -oE "[0-9]+")
[ "$replayed" -ge 2000 ] && [ "$replayed" -le $((next - base)) ] ||
    fail "the start replayed $replayed events; the tail is 2000 records, the journal $((next - base)) events"
printf 'restart: %.2f s to healthy, %s events replayed, %s records held\n' \
    "$(echo "$t1 - $t0" | bc)" "$replayed" "$(jq .accepted <<<"$before")"

after=$(curl -sf "$DOSSIER_BASE/v1/stats")
for k in .metric_names.count .sums.counters .sums.levels '.budgets.test.counters' '.budgets.test.names'; do
    [ "$(jq "$k" <<<"$before")" = "$(jq "$k" <<<"$after")" ] ||
        fail "$k: $(jq "$k" <<<"$before") before the kill, $(jq "$k" <<<"$after") after"
done

# Every old record is a duplicate, the tail's too.
cchc-import --url "$DOSSIER_URL" "$bulk" "$T/tail.ndjson" >"$T/again.out" 2>&1 || fail "again: $(cat "$T/again.out")"
grep -qE "accepted 0, duplicate [1-9][0-9]*, rejected 0" "$T/again.out" ||
    fail "old records not duplicates after the restart: $(tail -n 3 "$T/again.out")"
# An old id with other content is a conflict; so is one of the first records.
{
    head -n 1 "$bulk" | jq -c '.channel = "postal"'
    recv open-1 OPEN-1 2024-03-01T09:00:00+07:00 2024-03-10T17:00:00+07:00
} | post "$DOSSIER_URL" >"$T/conflict.out"
[ "$(jq '[.results[] | select(.error // "" | test("accepted before with other content"))] | length' "$T/conflict.out")" = 2 ] ||
    fail "conflicts: $(cat "$T/conflict.out")"

# The open dossiers by their due dates: OPEN-1 resolved on 2024-03-05,
# early; OPEN-2 on 2024-03-12, late. HELD-1 comes, due 2024-04-15: its held
# resolution of 2024-04-20 is taken, late.
{
    resolve res-1 OPEN-1 2024-03-05T10:00:00+07:00
    resolve res-2 OPEN-2 2024-03-12T10:00:00+07:00
    recv held-r HELD-1 2024-04-02T08:00:00+07:00 2024-04-15T17:00:00+07:00
} | post "$DOSSIER_URL" >"$T/due.out"
[ "$(jq .accepted "$T/due.out")" = 3 ] || fail "resolutions: $(cat "$T/due.out")"
wait_caught_up 120
[ "$(day_fig "$u1" 2024-03-05 resolved_early)" = 1 ] || fail "OPEN-1 not resolved early"
[ "$(day_fig "$u1" 2024-03-12 resolved_late)" = 1 ] || fail "OPEN-2 not resolved late"
[ "$(day_fig "$u1" 2024-04-20 resolved_late)" = 1 ] || fail "HELD-1's held resolution not taken, late"
[ "$(day_fig "$u1" 2024-04-20 returned_postal)" = 1 ] || fail "HELD-1's return channel lost"
echo "service_restart_state: ok"
