#!/usr/bin/env bash
# Attack: another source probes and takes the record ids of a journal
# written before sources existed (events without "src"). Before, such an id
# answered `duplicate` to ANY source: igate-b, an office system of another
# ward, learnt which ids the Vinh Loi system had sent, and its own records
# with those ids were never counted. Now an id journaled before sources is
# taken as that record only from a source whose scope covers its type and
# unit, with its content (without "dg": the same type, unit and time);
# other content from such a source is a conflict (refused: its author may be
# sending it again, changed, and taking it would count it twice); from any
# other source, the record is a new one of the source that sends it. Here:
# B's record with such an id is B's own (accepted, counted at B's ward, A's
# figures untouched); B cannot post it for A's ward (refused, out_of_scope);
# A sending its old records again is all duplicates (counted once); C, a
# system of the whole city, with other content under A's id is refused as a
# conflict.
. "$CCHC_SRC/tests/lib.sh"

VL=kg.rachgia.p-vinh-loi AB=kg.rachgia.p-an-binh
new_source igate-a 'dossier.*' $VL
new_source igate-b 'dossier.*' $AB
new_source igate-c 'dossier.*' kg.rachgia
T0=1646098200000 # 2022-03-01T08:30:00+07:00
AT=2022-03-01T08:30:00+07:00
mkdir -p "$T/dossier"
legacy_journal "$T/dossier/events.journal" s-1 $VL $T0 s-2 $VL $T0 s-3 $VL $T0
start_redis
start_dossier
start_aggregator
wait_caught_up
fig() { rcli HGET "cchc:v2:fig:$1:all" "$2"; }
[ "$(fig $VL survey)" = 3 ] || fail "the old journal's surveys: $(fig $VL survey)"
stat() { curl -sf "$DOSSIER_BASE/v1/stats" | jq -r ".$1"; }
post_as() {
    local code
    code=$(curl -s -o "$T/answer.json" -w '%{http_code}' -H @"$T/$1.header" --data-binary @- "$DOSSIER_URL")
    [ "$code" = 200 ] || fail "$1: HTTP $code: $(cat "$T/answer.json")"
}
status() { jq -r --argjson l "$1" '.results[] | select(.line == $l) | .status' "$T/answer.json"; }
survey() { printf '{"id":"%s","type":"survey","unit":"%s","at":"%s","satisfied":true}\n' "$@"; }
out0=$(stat out_of_scope)

# B: A's ids at B's own ward are B's records; at A's ward, outside B's scope.
{ survey s-1 $AB $AT; survey s-2 $AB $AT; survey s-3 $VL $AT; } | post_as igate-b
[ "$(status 1)" = accepted ] && [ "$(status 2)" = accepted ] ||
    fail "B's records with ids of the old journal: $(cat "$T/answer.json")"
[ "$(status 3)" = rejected ] || fail "B at A's ward: $(status 3)"
[ "$(stat out_of_scope)" -gt "$out0" ] || fail "not counted as out of scope"
wait_caught_up
figures_dump "$T/before"
# A sends its old records again: duplicates, counted once, no figure moves.
{ survey s-1 $VL $AT; survey s-2 $VL $AT; survey s-3 $VL $AT; } | post_as igate-a
[ "$(jq .duplicate "$T/answer.json")" = 3 ] || fail "A's old records: $(cat "$T/answer.json")"
wait_caught_up
figures_dump "$T/after"
cmp -s "$T/before" "$T/after" || fail "A's old records moved a figure: $(diff "$T/before" "$T/after" | head)"
[ "$(fig $VL survey)" = 3 ] || fail "A's ward: $(fig $VL survey) surveys, want 3"
[ "$(fig $AB survey)" = 2 ] || fail "B's ward: $(fig $AB survey) surveys, want B's 2"
[ "$(fig kg.rachgia survey)" = 5 ] || fail "the city: $(fig kg.rachgia survey)"
# C, for the whole city, could have sent A's records: A's id with another
# time is a conflict, refused, nothing taken.
survey s-1 $VL 2022-03-02T08:30:00+07:00 | post_as igate-c
[ "$(status 1)" = rejected ] && grep -q "a conflict" "$T/answer.json" ||
    fail "C's other content under an old id: $(cat "$T/answer.json")"
# ... and C's exact copy of A's old record is that record.
survey s-2 $VL $AT | post_as igate-c
[ "$(status 1)" = duplicate ] || fail "C's copy of an old record: $(cat "$T/answer.json")"

# A restart rebuilds it all from the journal.
kill -9 "$PID_dossier"
wait "$PID_dossier" 2>/dev/null || true
start_dossier
{ survey s-1 $AB $AT; survey s-2 $AB $AT; } | post_as igate-b
[ "$(jq .duplicate "$T/answer.json")" = 2 ] || fail "B's records after a restart: $(cat "$T/answer.json")"
{ survey s-1 $VL $AT; survey s-2 $VL $AT; survey s-3 $VL $AT; } | post_as igate-a
[ "$(jq .duplicate "$T/answer.json")" = 3 ] || fail "A's old records after a restart: $(cat "$T/answer.json")"
wait_caught_up
[ "$(fig $VL survey)" = 3 ] || fail "A's ward at the end: $(fig $VL survey), want A's 3"
[ "$(fig $AB survey)" = 2 ] || fail "B's ward at the end: $(fig $AB survey)"
echo "legacy_id_other_source: ids of the old journal are A's only; B's records are B's own"
