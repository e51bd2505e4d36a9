#!/usr/bin/env bash
# A source that may post only dossier.received sends resolutions, surveys
# and feedback (for its own unit): each line rejected naming the field
# "type" and the source's POSTS, counted, in the reject log; no figure
# changed. A received of its own still goes through in the same request.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/security/attack.bash"
new_source intake-rg 'dossier.received' kg.rachgia
attack_start
next=$(stat journal_next_seq)
code=$(post_as intake-rg "$DOSSIER_URL" <<EOF2
{"id":"t-1","type":"resolved","unit":"$A_UNIT","at":"2022-03-06T09:00:00+07:00","dossier":"d-1","return_channel":"direct"}
{"id":"t-2","type":"survey","unit":"$A_UNIT","at":"2022-03-05T10:00:00+07:00","satisfied":false}
{"id":"t-3","type":"feedback","unit":"$A_UNIT","at":"2022-03-05T10:00:00+07:00","status":"received"}
EOF2
)
[ "$code" = 200 ] || fail "HTTP $code"
for l in 1 2 3; do [ "$(status $l)" = rejected ] || fail "line $l: $(status $l)"; done
want='field "type": "resolved" is outside what source intake-rg may post (dossier.received)'
[ "$(error 1)" = "$want" ] || fail "line 1: '$(error 1)', want '$want'"
[ "$(grep -c '"src":"intake-rg"' "$T/dossier/rejects.ndjson")" = 3 ] || fail "reject log"
[ "$(stat out_of_scope)" = 3 ] || fail "out_of_scope: $(stat out_of_scope), want 3"
counted rejected
[ "$(stat journal_next_seq)" = "$next" ] || fail "the journal grew"
attack_end
# A's dossier d-1 was not resolved by the attack: A's own resolution counts.
code=$(post_as igate-a "$DOSSIER_URL" <<EOF2
{"id":"a-5","type":"resolved","unit":"$A_UNIT","at":"2022-03-06T09:00:00+07:00","dossier":"d-1","return_channel":"direct"}
EOF2
)
[ "$(status 1)" = accepted ] || fail "A's resolution: $(cat "$T/answer.json")"
echo "token_other_type: refused per line and counted"
