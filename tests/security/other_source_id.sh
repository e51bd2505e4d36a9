#!/usr/bin/env bash
# Source B (allowed every dossier type for the city, like A) posts A's
# record ids: A's received again (other content: another channel), and a
# resolution of A's open dossier d-1 under A's next id. Ids and dossiers
# are B's own: B's resolution is held for a dossier B never sent (no
# figure), its received is B's dossier, not A's; A's figures are unchanged
# by the resolution; A's own records are still accepted, never answered
# duplicate because B used their ids first, and A's resolution counts.
# B's second resolution of "d-1" is refused (counted as rejected, in the
# reject log under B's name).
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/security/attack.bash"
new_source igate-b 'dossier.*' kg.rachgia
attack_start
code=$(post_as igate-b "$DOSSIER_URL" <<EOF2
{"id":"a-5","type":"resolved","unit":"$A_UNIT","at":"2022-03-02T09:00:00+07:00","dossier":"d-1","return_channel":"postal"}
{"id":"a-6","type":"resolved","unit":"$A_UNIT","at":"2022-03-02T09:00:00+07:00","dossier":"d-1","return_channel":"postal"}
EOF2
)
[ "$code" = 200 ] || fail "HTTP $code"
[ "$(status 1)" = accepted ] || fail "B's resolution: $(status 1)"
[ "$(status 2)" = rejected ] || fail "B's second resolution: $(status 2)"
[[ $(error 2) == *'dossier "d-1" was already resolved'* ]] || fail "B's second: $(error 2)"
grep -q '"src":"igate-b"' "$T/dossier/rejects.ndjson" || fail "not in the reject log"
counted rejected
attack_end   # A's figures unchanged, A's records all duplicates for A
# A's real records with the ids B used: accepted, and A's dossier resolves on time.
code=$(post_as igate-a "$DOSSIER_URL" <<EOF2
{"id":"a-5","type":"resolved","unit":"$A_UNIT","at":"2022-03-09T09:00:00+07:00","dossier":"d-1","return_channel":"direct"}
EOF2
)
[ "$(status 1)" = accepted ] || fail "A's resolution: $(cat "$T/answer.json")"
wait_caught_up
r=$(report "$A_UNIT" 2022-03-01 2022-03-31 1)
figures "$T/after-a.fig"
diff "$T/before.fig" "$T/after-a.fig" >/dev/null && fail "A's resolution moved no figure"
# The city's March: 2 dossiers resolved (A's d-2 and d-1), none by B.
fig() { rcli HGET "cchc:v2:fig:kg.rachgia:2022-03" "$1"; }
[ "$(rcli EXISTS cchc:v2:fig:kg.rachgia:2022-03)" = 1 ] || { rcli --scan --pattern 'cchc:v2:fig:kg.rachgia:*' | head >&2; fail "no monthly figures"; }
[ "$(fig resolved)" = 2 ] || fail "resolved: $(fig resolved), want 2"
[ "$(fig returned_direct)" = 2 ] || fail "returned_direct $(fig returned_direct), want 2 (B's postal return must not count)"
[ "$(fig received)" = 2 ] || fail "received: $(fig received), want 2"
echo "other_source_id: B's ids and dossiers are B's own; A's records stand"
