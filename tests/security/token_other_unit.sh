#!/usr/bin/env bash
# A ward's system (scope kg.rachgia.p-vinh-bao) posts for a sibling ward,
# for the city above it, for the province: each line rejected naming the
# field and the scope, counted ("out_of_scope", "rejected"), in the reject
# log with the source; no figure changed. In a request mixing them with a
# line for its own ward, that line still goes through.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/security/attack.bash"
new_source ward-vb 'dossier.*' kg.rachgia.p-vinh-bao
attack_start
next=$(stat journal_next_seq)
line() { printf '{"id":"%s","type":"survey","unit":"%s","at":"2022-03-05T10:00:00+07:00","satisfied":false}\n' "$1" "$2"; }
code=$({ line w-1 kg.rachgia.p-vinh-hiep; line w-2 kg.rachgia; line w-3 kg; line w-4 "$A_UNIT"; } |
    post_as ward-vb "$DOSSIER_URL")
[ "$code" = 200 ] || fail "HTTP $code"
for l in 1 2 3 4; do
    [ "$(status $l)" = rejected ] || fail "line $l: $(status $l)"
done
want='field "unit": "kg.rachgia" is outside what source ward-vb may post for (kg.rachgia.p-vinh-bao)'
[ "$(error 2)" = "$want" ] || fail "line 2: '$(error 2)', want '$want'"
[ "$(grep -c '"src":"ward-vb"' "$T/dossier/rejects.ndjson")" = 4 ] || fail "reject log: $(cat "$T/dossier/rejects.ndjson")"
[ "$(stat out_of_scope)" = 4 ] || fail "out_of_scope: $(stat out_of_scope), want 4"
counted rejected
[ "$(stat journal_next_seq)" = "$next" ] || fail "the journal grew"
attack_end
# The same request with a line of its own ward: that one is accepted.
code=$({ line w-1 kg.rachgia.p-vinh-hiep; line w-5 kg.rachgia.p-vinh-bao; } | post_as ward-vb "$DOSSIER_URL")
[ "$(status 1)" = rejected ] && [ "$(status 2)" = accepted ] || fail "mixed: $(cat "$T/answer.json")"
echo "token_other_unit: refused per line and counted"
