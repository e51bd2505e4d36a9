#!/usr/bin/env bash
# POST /v1/records without a credential, or with one not of the Bearer kind:
# 401 with WWW-Authenticate: Bearer and a JSON error, before the body is
# read; counted as "unauthorized"; nothing journaled, no figure changed.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/security/attack.bash"
attack_start
next=$(stat journal_next_seq)
forged='{"id":"x-1","type":"survey","unit":"kg.rachgia.mot-cua","at":"2022-03-05T10:00:00+07:00","satisfied":false}'
for hdr in "X-None: 1" "Authorization:" "Authorization: Bearer" "Authorization: Basic dGVzdDp0ZXN0" \
    "Authorization: $(cat "$T/igate-a.token")"; do
    code=$(curl -s -D "$T/headers" -o "$T/answer.json" -w '%{http_code}' -H "$hdr" \
        --data-binary "$forged" "$DOSSIER_URL")
    [ "$code" = 401 ] || fail "'$hdr': HTTP $code, want 401: $(cat "$T/answer.json")"
    grep -qi '^WWW-Authenticate: Bearer' "$T/headers" || fail "'$hdr': no WWW-Authenticate: Bearer"
    jq -e '.error | test("credential|token")' "$T/answer.json" >/dev/null || fail "'$hdr': error: $(cat "$T/answer.json")"
done
# cchc-import without a token file: refuses to start, exit 2.
printf '%s\n' "$forged" >"$T/forged.ndjson"
if CCHC_TOKEN_FILE= cchc-import --url "$DOSSIER_URL" "$T/forged.ndjson" 2>"$T/import.err"; then
    fail "cchc-import without a token succeeded"
fi
grep -q 'token-file' "$T/import.err" || fail "cchc-import: $(cat "$T/import.err")"
[ "$(stat unauthorized)" -ge 5 ] || fail "unauthorized: $(stat unauthorized), want at least 5"
counted unauthorized
[ "$(stat journal_next_seq)" = "$next" ] || fail "the journal grew"
attack_end
echo "no_token: refused (401) and counted"
