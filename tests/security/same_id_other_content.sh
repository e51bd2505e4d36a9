#!/usr/bin/env bash
# A record id sent again with other content (the same source, a change
# sneaked in under an accepted id): rejected as a conflict naming the id,
# never "duplicate"; counted ("conflicts"), in the reject log; cchc-import
# reports it and exits 1. The same content is a duplicate. After a restart
# of the service (digests rebuilt from the journal) the same holds.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/security/attack.bash"
attack_start
next=$(stat journal_next_seq)
changed() {
    cat <<EOF2
{"id":"a-4","type":"survey","unit":"$A_UNIT","at":"2022-03-05T10:00:00+07:00","satisfied":false}
{"id":"a-1","type":"received","unit":"$A_UNIT","at":"2022-03-01T08:00:00+07:00","dossier":"d-1","procedure":"1.004227","field":"dat-dai","channel":"online","due":"2022-03-10T17:00:00+07:00"}
{"satisfied":true,"at":"2022-03-05T10:00:00+07:00","unit":"$A_UNIT","type":"survey","id":"a-4"}
EOF2
}
check() {
    code=$(changed | post_as igate-a "$DOSSIER_URL")
    [ "$code" = 200 ] || fail "HTTP $code"
    for l in 1 2; do
        [ "$(status $l)" = rejected ] || fail "$1: line $l: $(status $l), want rejected"
    done
    want='field "id": "a-4" was accepted before with other content'
    [[ $(error 1) == "$want"* ]] || fail "$1: line 1: '$(error 1)'"
    [ "$(status 3)" = duplicate ] || fail "$1: the same content, keys reordered: $(status 3)"
}
check "running"
[ "$(grep -c 'accepted before with other content' "$T/dossier/rejects.ndjson")" = 2 ] || fail "reject log"
[ "$(stat conflicts)" = 2 ] || fail "conflicts: $(stat conflicts), want 2"
counted conflicts
changed | head -n 1 >"$T/changed.ndjson"
rc=0
CCHC_TOKEN_FILE="$T/igate-a.token" cchc-import --url "$DOSSIER_URL" "$T/changed.ndjson" >"$T/import.out" 2>&1 || rc=$?
[ $rc = 1 ] || fail "cchc-import: exit $rc, want 1"
grep -q 'conflicts' "$T/import.out" || fail "cchc-import does not report the conflict: $(cat "$T/import.out")"
grep -q 'duplicate 0, rejected 1' "$T/import.out" || fail "cchc-import: $(cat "$T/import.out")"
[ "$(stat journal_next_seq)" = "$next" ] || fail "the journal grew"
# Restart: the digests come back from the journal.
kill "$PID_dossier"
wait "$PID_dossier" 2>/dev/null || true
start_dossier
check "after a restart"
attack_end
echo "same_id_other_content: refused as a conflict and counted"
