#!/usr/bin/env bash
# 5,000 idle connections. Before: libmicrohttpd ran with select (about 1,020
# descriptors) and no per-address cap, so they starved everyone. Now:
#  1. from one address: all but --http-max-per-ip are closed at accept,
#     counted in http_refused.per_ip; the service still answers /healthz and
#     takes a real post from other clients meanwhile;
#  2. from many addresses, past --http-max-connections: the rest are closed,
#     counted in http_refused.connections; once they go, it serves at once.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/security/limits_lib.bash"

ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" -ge 12000 ] || { echo "idle_connections: ulimit -n $(ulimit -n) is too low to run" >&2; exit 1; }
N=5000 PER_IP=250 MAX=3000 STATS_FROM=127.0.0.2
start_redis
start_dossier --http-max-per-ip $PER_IP --http-max-connections $MAX --http-idle-timeout 120
start_aggregator
baseline
P=$(cat "$T/dossier.port")

# 1. One address.
SRC=127.0.0.1 python3 "$ATTACK" idle "$P" $N "$T/one.out" &
a=$!
CCHC_PIDS+=("$a")
wait_for 60 test -s "$T/one.out"
read -r open gone <"$T/one.out"
[ "$open" = $PER_IP ] || fail "one address holds $open connections; the cap is $PER_IP"
[ "$(refused per_ip)" = "$gone" ] && [ "$gone" = $((N - PER_IP)) ] ||
    fail "http_refused.per_ip = $(refused per_ip), $gone closed"
curl -sf --interface 127.0.0.2 --max-time 1 "$DOSSIER_BASE/healthz" >/dev/null ||
    fail "/healthz did not answer beside $PER_IP idle connections"
rec during-1 DD1 >"$T/during.ndjson"
[ "$(post "$DOSSIER_URL" "$T/during.ndjson" "$T/during.json" --interface 127.0.0.3)" = 200 ] &&
    [ "$(jq .accepted "$T/during.json")" = 1 ] || fail "a real post was not taken: $(cat "$T/during.json")"
kill "$a"
wait "$a" 2>/dev/null || true
wait_caught_up
figures "$T/before" # the real post is in the figures from here on
SEQ_BEFORE=$(svc_stat .journal_next_seq)

# 2. Many addresses, 250 each: more than the service's cap in all.
for i in $(seq 1 20); do
    SRC=127.0.1.$i python3 "$ATTACK" idle "$P" 250 "$T/many$i.out" &
    CCHC_PIDS+=("$!")
    eval "m$i=\$!"
done
for i in $(seq 1 20); do wait_for 120 test -s "$T/many$i.out"; done
held=0
for i in $(seq 1 20); do read -r o g <"$T/many$i.out"; held=$((held + o)); done
[ "$held" -le $MAX ] || fail "$held connections held; the cap is $MAX"
for i in $(seq 1 20); do eval "kill \$m$i"; done
# Until the service has seen the held ones go, a probe may itself be
# refused at the cap (and counted): the probes are counted here too.
probes=0
until curl -sf --max-time 1 "$DOSSIER_BASE/healthz" >/dev/null; do
    probes=$((probes + 1))
    [ $probes -lt 200 ] || fail "/healthz did not come back after the idle connections went"
    sleep 0.05
done
gone=0
for i in $(seq 1 20); do read -r o g <"$T/many$i.out"; gone=$((gone + g)); done
r=$(refused connections)
[ "$r" -ge "$gone" ] && [ "$r" -le $((gone + probes)) ] && [ "$gone" -ge $((N - MAX)) ] ||
    fail "http_refused.connections = $r, $gone closed (and $probes probes refused)"
grep -q "cchc-dossier error" "$T/dossier.log" && fail "errors in the log: $(grep error "$T/dossier.log" | head -3)"
unchanged
echo "idle_connections: one address held $PER_IP of $N, the rest refused; many addresses held $held (cap $MAX), $(refused connections) refused"
