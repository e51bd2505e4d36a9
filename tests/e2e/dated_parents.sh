#!/usr/bin/env bash
# As recorded: each event counts under the tree in force on its day. A
# district ends on 30 June, its commune moves under the province on
# 1 July (parent=ID@DAY), a new commune starts that day. Redis holds every
# figure where it happened (hand-counted below), records for a unit outside
# its validity are rejected, cchc-reconcile agrees, and a rebuild from
# nothing gives the same keys byte for byte.
# Today's units (cchc-report --as-of): two communes end on 30 June, one
# merged into t.m, the other split between t.m (its history) and t.s; a
# district with its commune merges into t.m too, counted once.
. "$CCHC_SRC/tests/lib.sh"

printf '%s\n' \
    $'t\tprovince\tgovernment\tTỉnh T' \
    $'t.d\tdistrict\tgovernment\tHuyện D\tto=2025-06-30' \
    $'t.d.c\tcommune\tgovernment\tXã C\tparent=t@2025-07-01' \
    $'t.n\tcommune\tgovernment\tXã N\tfrom=2025-07-01' \
    $'t.o1\tcommune\tgovernment\tXã O1\tto=2025-06-30\tsuccessors=t.m' \
    $'t.o2\tcommune\tgovernment\tXã O2\tto=2025-06-30\tsuccessors=t.m,t.s\thistory=t.m' \
    $'t.e\tdistrict\tgovernment\tHuyện E\tto=2025-06-30\tsuccessors=t.m' \
    $'t.e.c\tcommune\tgovernment\tXã E.C\tto=2025-06-30\tsuccessors=t.m' \
    $'t.m\tcommune\tgovernment\tPhường M\tfrom=2025-07-01' \
    $'t.s\tcommune\tgovernment\tXã S\tfrom=2025-07-01' >"$T/units.tsv"
cchc-units check "$T/units.tsv" >/dev/null || fail "the test's registry: $(cchc-units check "$T/units.tsv")"

start_redis
start_dossier --units "$T/units.tsv"
start_aggregator --units "$T/units.tsv"
rec() { # ID UNIT AT
    printf '{"id":"%s","type":"received","unit":"%s","at":"%s","dossier":"D-%s","procedure":"p","field":"f","channel":"online","due":"2025-08-30T17:00:00+07:00"}\n' "$1" "$2" "$3" "$1"
}
{
    rec a1 t.d.c 2025-06-30T08:00:00+07:00
    rec a2 t.d.c 2025-06-30T16:59:59Z # 23:59:59 local: still 30 June
    rec b1 t.d.c 2025-06-30T17:00:00Z # 1 July, 00:00 local: under t
    rec b2 t.d.c 2025-07-01T09:00:00+07:00
    rec b3 t.d.c 2025-07-10T09:00:00+07:00
    rec n1 t.n 2025-07-02T09:00:00+07:00
    rec bad1 t.n 2025-06-30T09:00:00+07:00   # before t.n exists
    rec bad2 t.d 2025-07-01T09:00:00+07:00   # after t.d ends
    rec o1a t.o1 2025-06-01T09:00:00+07:00
    rec o1b t.o1 2025-06-02T09:00:00+07:00
    rec o2a t.o2 2025-06-10T09:00:00+07:00
    rec o2b t.o2 2025-06-11T09:00:00+07:00
    rec o2c t.o2 2025-06-12T09:00:00+07:00
    rec ea t.e 2025-06-20T09:00:00+07:00
    rec eca t.e.c 2025-06-21T09:00:00+07:00
    rec ecb t.e.c 2025-06-22T09:00:00+07:00
    rec ma t.m 2025-07-05T09:00:00+07:00
    rec mb t.m 2025-07-06T09:00:00+07:00
    rec sa t.s 2025-07-06T09:00:00+07:00
} >"$T/records.ndjson"
rc=0
cchc-import --url "$DOSSIER_URL" "$T/records.ndjson" >"$T/import.out" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "cchc-import exit $rc, want 1 (two lines rejected): $(cat "$T/import.out")"
grep -q 'records.ndjson:7: field "unit": "t.n" is not valid on 2025-06-30 (the registry has it from 2025-07-01)' "$T/import.out" ||
    fail "line 7 not rejected as it should be: $(cat "$T/import.out")"
grep -q 'records.ndjson:8: field "unit": "t.d" is not valid on 2025-07-01 (the registry has it until 2025-06-30)' "$T/import.out" ||
    fail "line 8 not rejected as it should be: $(cat "$T/import.out")"
wait_caught_up 60

want() { # KEY FIELD VALUE
    local got
    got=$(rcli HGET "$1" "$2")
    [ "${got:-absent}" = "$3" ] || fail "$1 $2: $got, want $3"
}
# 2025 runs 2024-12-15 .. 2025-12-14; month 2025-07 is 2025-06-15 .. 2025-07-14.
# The periods' hashes hold today's units (the aggregator's today is this
# run's date): t.d.c under t, t.d (ended, no successor) without it, t.m with
# o1, o2 (its history), t.e and t.e.c; each event at the level where it
# happened. The days (below) stay as recorded.
want cchc:v2:fig:t.d.c:2025 received 5
want cchc:v2:fig:t.d:2025 received absent
want cchc:v2:fig:t:2025 received 17
want cchc:v2:fig:t:2025 commune:received 16
want cchc:v2:fig:t:2025 district:received 1
want cchc:v2:fig:t.d:all received absent
want cchc:v2:fig:t:all received 17
want cchc:v2:fig:t.m:2025 received 10
want cchc:v2:fig:t.e:2025 received absent
want cchc:v2:fig:t.o1:all received absent
want cchc:v2:fig:t.n:2025-07 received 1
[ "$(rcli HGET cchc:v2:view today)" = "$(date -u -d "+7 hours" +%F)" ] ||
    fail "cchc:v2:view today: $(rcli HGET cchc:v2:view today)"
day_has_not() { # UNIT MONTH DAY
    [ -z "$(rcli HGET "cchc:v2:days:$1:$2" "$3")" ] || fail "days $1 $2 $3: $(rcli HGET "cchc:v2:days:$1:$2" "$3"), want none"
}
day_has() { # UNIT MONTH DAY WANT (the packed day, REDIS.md)
    local got
    got=$(rcli HGET "cchc:v2:days:$1:$2" "$3")
    [[ " $got " == *" received=$4 "* ]] || fail "days $1 $2 $3: '$got', want received=$4"
}
day_has t.d 2025-07 2025-06-30 2
day_has t 2025-07 2025-06-30 2
day_has t 2025-07 2025-07-01 2
day_has t.d.c 2025-07 2025-07-01 2
[ -z "$(rcli HGET cchc:v2:days:t.d:2025-07 2025-07-01)" ] || fail "t.d has a day after its end"
day_has t.o1 2025-06 2025-06-01 1 # as recorded: the old commune's days
day_has t.e 2025-07 2025-06-21 1
day_has_not t.m 2025-06 2025-06-01
# Ranked among the children of its parent at the period's end: t, not t.d.
[ "$(rcli ZSCORE cchc:v2:rank:t:commune:2025:received t.d.c)" = 5 ] ||
    fail "t.d.c not ranked under t for 2025: $(rcli ZRANGE cchc:v2:rank:t:commune:2025:received 0 -1 WITHSCORES)"
[ -z "$(rcli ZSCORE cchc:v2:rank:t.d:commune:2025:received t.d.c)" ] || fail "t.d.c ranked under t.d for 2025"
[ "$(rcli ZSCORE cchc:v2:rank:t:commune:2025:received t.m)" = 10 ] || fail "t.m not ranked with its history"
[ -z "$(rcli ZSCORE cchc:v2:rank:t:commune:2025:received t.o1)" ] || fail "t.o1 ranked, though gone today"
[ "$(rcli HGET cchc:v2:unit:t.d.c parent)" = t ] || fail "cchc:v2:unit:t.d.c parent is not its latest, t"
# The report reads what Redis holds, window by window.
report_received() { cchc-report --unit "$1" --from "$2" --to "$3" --form 3 --format json | jq '.rows["3.3.new"]'; }
[ "$(report_received t.d 2025-06-01 2025-07-31)" = 2 ] || fail "report t.d: $(report_received t.d 2025-06-01 2025-07-31)"
[ "$(report_received t 2025-07-01 2025-07-31)" = 7 ] || fail "report t July: $(report_received t 2025-07-01 2025-07-31)"
# Today's units: t.m holds o1 (2), o2 (3: its history), t.e with t.e.c (3,
# of which t.e's own 1 at district level) and its own 2.
as_of() { # UNIT ROW: the 2025 year as of its last day
    cchc-report --units "$T/units.tsv" --as-of 2025-12-14 --unit "$1" --period 2025 --form 3 \
        --format json | jq ".rows[\"$2\"]"
}
[ "$(as_of t.m 3.3.new)" = 9 ] || fail "t.m as of 2025-12-14, communes: $(as_of t.m 3.3.new), want 9"
[ "$(as_of t.m 3.2.new)" = 1 ] || fail "t.m as of 2025-12-14, district level: $(as_of t.m 3.2.new), want 1"
[ "$(as_of t.s 3.3.new)" = 1 ] || fail "t.s as of 2025-12-14: $(as_of t.s 3.3.new), want 1 (no history)"
[ "$(as_of t 3.3.new)" = 16 ] || fail "t as of 2025-12-14: $(as_of t 3.3.new), want 16 (unchanged)"
# No district rows once no district is valid (2025-08: 15 July .. 14 August).
has_row() { cchc-report --units "$T/units.tsv" --unit t --period "$1" --form 3 --format json | jq ".rows | has(\"$2\")"; }
[ "$(has_row 2025 3.2.new)" = true ] || fail "t, 2025: no district rows, though t.d was valid until 30 June"
[ "$(has_row 2025-08 3.2.new)" = false ] || fail "t, 2025-08: district rows, though no district was valid"
[ "$(has_row 2025-08 3.3.new)" = true ] || fail "t, 2025-08: no commune rows"
rep() { cchc-report --unit t.m --period 2025 --form 3 --format json | jq '.rows["3.3.new"]'; }
[ "$(rep)" = 2 ] || fail "t.m as recorded: $(rep), want 2"
rc=0
cchc-report --units "$T/units.tsv" --as-of 2025-12-14 --unit t.o1 --period 2025 >"$T/o1.out" 2>&1 || rc=$?
[ "$rc" = 1 ] && grep -q "unit t.o1 is not valid then (its successors: t.m)" "$T/o1.out" ||
    fail "--as-of for a unit gone: exit $rc, $(cat "$T/o1.out")"

cchc-reconcile --units "$T/units.tsv" dossier="$T/dossier/events.journal" >"$T/reconcile.out" 2>&1 ||
    fail "cchc-reconcile: $(tail "$T/reconcile.out")"
figures_dump "$T/before.txt"
rcli FLUSHALL >/dev/null
wait_caught_up 60
sleep 1.2
figures_dump "$T/after.txt"
diff -u "$T/before.txt" "$T/after.txt" >"$T/diff.txt" || fail "after a rebuild: $(head -20 "$T/diff.txt")"
echo "dated_parents: ok"
