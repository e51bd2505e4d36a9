#!/usr/bin/env bash
# Slowloris: a request's headers, then another's body, dribbled a byte a
# second, each byte well within the idle timeout. Before: libmicrohttpd had
# only an idle timeout (120 s), so such a request held its connection for as
# long as the client liked. Now the whole request must arrive within
# --http-request-timeout: both are cut then, counted in
# http_refused.request_timeout, and nothing of them is taken.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/security/limits_lib.bash"

WHOLE=5 IDLE=30
start_redis
start_dossier --http-request-timeout $WHOLE --http-idle-timeout $IDLE
start_aggregator
baseline
P=$(cat "$T/dossier.port")
before=$(refused request_timeout)

# Both at once: neither may hold the other up.
LIMIT=$((IDLE + 10)) python3 "$ATTACK" slow-headers "$P" >"$T/headers.json" &
h=$!
LIMIT=$((IDLE + 10)) python3 "$ATTACK" slow-body "$P" >"$T/body.json" &
b=$!
curl -sf --max-time 1 "$DOSSIER_BASE/healthz" >/dev/null || fail "/healthz did not answer during the attack"
wait $h || fail "slow headers were not cut: $(cat "$T/headers.json")"
wait $b || fail "a slow body was not cut: $(cat "$T/body.json")"
for f in headers body; do
    t=$(jq .cut_after_s "$T/$f.json")
    awk -v t="$t" -v w=$WHOLE 'BEGIN { exit !(t >= w - 0.5 && t < w + 3) }' ||
        fail "slow $f cut after ${t}s, not at the whole-request timeout of ${WHOLE}s"
done
[ $(($(refused request_timeout) - before)) = 2 ] ||
    fail "http_refused.request_timeout: $before -> $(refused request_timeout), want +2"
grep -q "past the whole-request timeout" "$T/dossier.log" || fail "no log line of the cut"
curl -sf --max-time 1 "$DOSSIER_BASE/healthz" >/dev/null || fail "/healthz after the attack"
unchanged
echo "slowloris: headers and body cut after ${WHOLE}s whole, counted"
