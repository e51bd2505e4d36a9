#!/usr/bin/env bash
# POST /v1/records with tokens that are not a source's: random, one digit
# off a real one, too short, too long, the stored hash itself: 401 (invalid
# token), counted as "unauthorized"; cchc-import with a wrong token file
# fails with exit 2 and says why; nothing journaled, no figure changed.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/security/attack.bash"
attack_start
next=$(stat journal_next_seq)
real=$(cat "$T/igate-a.token")
last=${real: -1}; [ "$last" = 0 ] && other=1 || other=0
hash=$(awk '$1 == "igate-a" { sub("sha256:", "", $2); print $2 }' "$T/sources")
forged='{"id":"x-1","type":"survey","unit":"kg.rachgia.mot-cua","at":"2022-03-05T10:00:00+07:00","satisfied":false}'
n=0
for tok in "$(openssl rand -hex 32)" "${real:0:63}$other" "${real:0:63}" "${real}0" "$hash" \
    "$(tr 'a-f' 'A-F' <<<"$real")"; do
    code=$(curl -s -D "$T/headers" -o "$T/answer.json" -w '%{http_code}' \
        -H "Authorization: Bearer $tok" --data-binary "$forged" "$DOSSIER_URL")
    [ "$code" = 401 ] || fail "token $n: HTTP $code, want 401"
    grep -qi '^WWW-Authenticate: Bearer error="invalid_token"' "$T/headers" || fail "token $n: no invalid_token"
    n=$((n + 1))
done
printf '%s\n' "$forged" >"$T/forged.ndjson"
openssl rand -hex 32 >"$T/wrong.token"
rc=0
CCHC_TOKEN_FILE="$T/wrong.token" cchc-import --url "$DOSSIER_URL" "$T/forged.ndjson" >"$T/import.out" 2>&1 || rc=$?
[ $rc = 2 ] || fail "cchc-import with a wrong token: exit $rc, want 2: $(cat "$T/import.out")"
grep -q 'HTTP 401' "$T/import.out" || fail "cchc-import: $(cat "$T/import.out")"
grep -q 'accepted 1' "$T/import.out" && fail "cchc-import counted the batch"
[ "$(stat unauthorized)" -ge $((n + 1)) ] || fail "unauthorized $(stat unauthorized), want $((n + 1))"
counted unauthorized
[ "$(stat journal_next_seq)" = "$next" ] || fail "the journal grew"
attack_end
echo "wrong_token: refused (401) and counted"
