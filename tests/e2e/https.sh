#!/usr/bin/env bash
# HTTPS offered by the service itself (--tls-cert, --tls-key): a throwaway
# CA and a certificate for 127.0.0.1 made with openssl; cchc-import --cacert
# and curl --cacert post over https and the records reach Redis; a client
# that does not trust the CA is refused by its own check, and plain HTTP to
# the port gets no answer of records.
. "$CCHC_SRC/tests/lib.sh"
cd "$T"
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=cchc-test-ca 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout svc.key -out svc.csr -subj /CN=127.0.0.1 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\n' >san.ext
openssl x509 -req -in svc.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out svc.pem -days 2 -extfile san.ext 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.pem -days 2 -subj /CN=other 2>/dev/null
start_redis
rm -f "$T/dossier.port"
start dossier cchc-dossier --listen 127.0.0.1:0 --port-file "$T/dossier.port" --data "$T/dossier" \
    --pub "ipc://$T/dossier.pub" --replay "ipc://$T/dossier.replay" --tls-cert svc.pem --tls-key svc.key
wait_for 20 test -s "$T/dossier.port"
DOSSIER_BASE="https://127.0.0.1:$(cat "$T/dossier.port")"
DOSSIER_URL="$DOSSIER_BASE/v1/records"
SERVICES+=(dossier)
wait_for 10 curl -sf --cacert ca.pem "$DOSSIER_BASE/healthz"
grep -q '(HTTPS)' dossier.log || fail "the log does not say HTTPS"
start_aggregator
rec() { printf '{"id":"%s","type":"survey","unit":"kg.rachgia","at":"2022-03-05T10:00:00+07:00","satisfied":true}\n' "$1"; }
rec s-1 >one.ndjson
cchc-import --cacert ca.pem --url "$DOSSIER_URL" one.ndjson >import.out 2>&1 || fail "import over https: $(cat import.out)"
grep -q 'accepted 1' import.out || fail "import: $(cat import.out)"
rec s-2 | curl -sf --cacert ca.pem -H @"$T/auth.header" --data-binary @- "$DOSSIER_URL" >answer.json || fail "curl over https"
[ "$(jq .accepted answer.json)" = 1 ] || fail "curl: $(cat answer.json)"
# Not trusted: another CA, or none.
rec s-3 >three.ndjson
if cchc-import --cacert other.pem --retry-seconds 0 --url "$DOSSIER_URL" three.ndjson >bad.out 2>&1; then
    fail "import trusted a certificate of another CA"
fi
curl -s --data-binary @three.ndjson -H @"$T/auth.header" "http://127.0.0.1:$(cat "$T/dossier.port")/v1/records" >plain.out 2>&1 || true
grep -q '"accepted"' plain.out && fail "plain HTTP was answered with records"
# Without a token, over https too: 401.
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert ca.pem --data-binary @three.ndjson "$DOSSIER_URL")
[ "$code" = 401 ] || fail "https without a token: HTTP $code"
stats=$(curl -sf --cacert ca.pem "$DOSSIER_BASE/v1/stats")
[ "$(jq .accepted <<<"$stats")" = 2 ] || fail "stats: $stats"
applied() { [ "$(rcli HGET cchc:v2:pos "dossier/$(jq -r .journal_epoch <<<"$stats")")" = "$(jq .journal_next_seq <<<"$stats")" ]; }
wait_for 60 applied
[ "$(rcli HGET cchc:v2:fig:kg.rachgia:2022-03 survey)" = 2 ] || fail "survey figure: $(rcli HGET cchc:v2:fig:kg.rachgia:2022-03 survey)"
echo "https: ok"
