#!/usr/bin/env bash
# The bus between machines: cchc-dossier publishes on tls+tcp:// with a
# certificate of the development CA (ops/certs), the aggregator dials it
# with its own, and every record is applied. A subscriber whose certificate
# comes from another CA gets nothing: the TLS handshake fails (nng redials,
# and the subscriber counts its silent source's redials), and the figures
# do not move.
. "$CCHC_SRC/tests/lib.sh"

"$CCHC_SRC/ops/certs" "$T/certs" publisher subscriber >/dev/null
"$CCHC_SRC/ops/certs" "$T/other" subscriber >/dev/null # another CA
port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
P1=$(port) P2=$(port)
PUB="tls+tcp://localhost:$P1" REP="tls+tcp://localhost:$P2"
tls() { echo --bus-tls-cert "$T/$1/$2.crt" --bus-tls-key "$T/$1/$2.key" --bus-tls-ca "$T/$1/ca.crt"; }

start_redis
# Without certificates a tls+tcp:// address is refused at start.
if cchc-dossier --listen 127.0.0.1:0 --data "$T/x" --pub "$PUB" --replay "$REP" >"$T/nocert.log" 2>&1; then
    fail "started without certificates"
fi
grep -q "a tls+tcp:// address needs --bus-tls-cert, --bus-tls-key and --bus-tls-ca" "$T/nocert.log" ||
    fail "$(cat "$T/nocert.log")"

start dossier cchc-dossier --listen 127.0.0.1:0 --port-file "$T/dossier.port" --data "$T/dossier" \
    --pub "$PUB" --replay "$REP" $(tls certs publisher)
wait_for 20 test -s "$T/dossier.port"
DOSSIER_BASE="http://127.0.0.1:$(cat "$T/dossier.port")"
SERVICES=(dossier)
start aggregator cchc-aggregator --sources "$PUB,$REP" $(tls certs subscriber)
for i in $(seq 50); do
    printf '{"id":"t%d","type":"received","unit":"kg.rachgia.p-vinh-loi","at":"2022-05-02T08:00:00+07:00","dossier":"D%d","procedure":"p","field":"f","channel":"online","due":"2022-05-06T17:00:00+07:00"}\n' "$i" "$i"
done >"$T/r.ndjson"
cchc-import --url "$DOSSIER_BASE/v1/records" "$T/r.ndjson" >/dev/null
wait_caught_up 60
[ "$(rcli HGET cchc:v2:fig:kg.rachgia.p-vinh-loi:all received)" = 50 ] || fail "figures over TLS"
# Acknowledged about once a second, once durable in Redis.
acked() { [ "$(curl -sf "$DOSSIER_BASE/v1/stats" | jq .subscribers.aggregator)" = 50 ]; }
wait_for 10 acked

# A subscriber with another CA's certificate: nothing comes through.
timeout -s TERM 4 cchc-tap --sources "$PUB,$REP" --from 0 --count 1 --stats "$T/tap.stats" \
    $(tls other subscriber) >"$T/foreign.jsonl" 2>"$T/foreign.log" || true
[ ! -s "$T/foreign.jsonl" ] || fail "a foreign certificate read events: $(head -c 200 "$T/foreign.jsonl")"
[ "$(jq '.frames + .heartbeats' "$T/tap.stats")" = 0 ] || fail "frames came: $(cat "$T/tap.stats")"
# The same tap with the right CA's certificate reads them.
timeout 20 cchc-tap --sources "$PUB,$REP" --from 0 --count 50 $(tls certs subscriber) >"$T/ok.jsonl" ||
    fail "cchc-tap over TLS"
[ "$(wc -l <"$T/ok.jsonl")" = 50 ] || fail "tap over TLS printed $(wc -l <"$T/ok.jsonl")"
[ "$(rcli HGET cchc:v2:fig:kg.rachgia.p-vinh-loi:all received)" = 50 ] || fail "figures moved"
echo "bus_tls: ok; 50 records over tls+tcp, a foreign CA's certificate refused"
