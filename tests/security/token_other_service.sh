#!/usr/bin/env bash
# A valid token whose source may post only staffing records, sent to
# cchc-dossier: 403, counted as "forbidden"; cchc-import fails (exit 2);
# nothing journaled, no figure changed.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/security/attack.bash"
new_source hr-rg 'staffing.*' kg.rachgia
attack_start
next=$(stat journal_next_seq)
code=$(printf '{"id":"x-1","type":"survey","unit":"%s","at":"2022-03-05T10:00:00+07:00","satisfied":false}\n' "$A_UNIT" |
    post_as hr-rg "$DOSSIER_URL")
[ "$code" = 403 ] || fail "HTTP $code, want 403: $(cat "$T/answer.json")"
jq -e '.error | test("may post no record to this service")' "$T/answer.json" >/dev/null || fail "error: $(cat "$T/answer.json")"
printf '{"id":"x-2","type":"survey","unit":"%s","at":"2022-03-05T10:00:00+07:00","satisfied":false}\n' "$A_UNIT" >"$T/x.ndjson"
rc=0
CCHC_TOKEN_FILE="$T/hr-rg.token" cchc-import --url "$DOSSIER_URL" "$T/x.ndjson" >"$T/import.out" 2>&1 || rc=$?
[ $rc = 2 ] || fail "cchc-import: exit $rc, want 2: $(cat "$T/import.out")"
grep -q 'HTTP 403' "$T/import.out" || fail "cchc-import: $(cat "$T/import.out")"
[ "$(stat forbidden)" = 2 ] || fail "forbidden: $(stat forbidden), want 2"
counted forbidden
[ "$(stat journal_next_seq)" = "$next" ] || fail "the journal grew"
attack_end
echo "token_other_service: refused (403) and counted"
