#!/usr/bin/env bash
# A flood of connections to a service's bus sockets over tcp://. Before,
# the PUB and REP listeners took every connection: each one held a socket
# and a copy of every frame the publisher sent. Now a socket takes
# BUS_PEERS_PER_ADDR_MAX (8) peers from one address and BUS_PEERS_MAX (64) in
# all (common/bus/peers.h): the rest are closed as soon as nng has them,
# counted in /v1/stats bus.refused_connections and logged. The aggregator,
# connected before, keeps applying; no figure moves meanwhile; nothing
# acknowledged is lost; once the flood goes, the sockets take peers again.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/security/bus_common.bash"

read -r PUB REP < <(/usr/bin/python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
start_redis
start_dossier --pub "tcp://127.0.0.1:$PUB" --replay "tcp://127.0.0.1:$REP"
start aggregator cchc-aggregator --sources "tcp://127.0.0.1:$PUB,tcp://127.0.0.1:$REP"
post base 20 kg.rachgia.p-vinh-loi
wait_caught_up 60
figures >"$T/figures.before"
refused() { svc_stat .bus.refused_connections; }
[ "$(refused)" = 0 ] || fail "refused_connections is $(refused) before the flood"

flood() { # NAME PORT PROTO SRC N: started; flooded waits for its count
    start "flood-$1" /usr/bin/python3 "$SEC/bus_flood.py" "$2" "$3" "$4" "$5" 2 "$T/flood-$1.out"
}
flooded() { wait_for 60 test -s "$T/flood-$1.out"; }
# 1. From one address, to each socket: 8 held, the rest closed.
flood pub1 "$PUB" sub 127.0.0.2 50
flood rep1 "$REP" req 127.0.0.3 50
flooded pub1
flooded rep1
[ "$(cat "$T/flood-pub1.out")" = "8 42" ] || fail "PUB from one address: $(cat "$T/flood-pub1.out") (held, closed)"
[ "$(cat "$T/flood-rep1.out")" = "8 42" ] || fail "REP from one address: $(cat "$T/flood-rep1.out")"
# 2. From 20 addresses, 8 each, to the PUB socket: 64 in all (the
# aggregator's and the first flood's count), the rest closed.
for i in $(seq 20); do flood "pub2-$i" "$PUB" sub "127.0.1.$i" 8; done
held=0 closed=0
for i in $(seq 20); do
    flooded "pub2-$i"
    read -r h c <"$T/flood-pub2-$i.out"
    held=$((held + h)) closed=$((closed + c))
done
[ "$held" = $((64 - 1 - 8)) ] && [ "$closed" = $((160 - held)) ] ||
    fail "PUB from 20 addresses: $held held, $closed closed; want $((64 - 9)) held"
wait_value 10 $((42 + 42 + closed)) refused
grep -q "connection from 127.0.0.2 refused: BUS_PEERS_PER_ADDR_MAX peers from this address" "$T/dossier.log" ||
    fail "no log line for the address cap"
grep -q "refused: BUS_PEERS_MAX peers at once" "$T/dossier.log" || fail "no log line for the cap in all"
same_figures "$T/figures.before"

# The aggregator, connected before, keeps applying while the flood holds.
post during 10 kg.rachgia.p-vinh-loi
nothing_lost kg.rachgia.p-vinh-loi

# The flood goes: the sockets take peers again.
for v in "${!PID_flood_@}"; do kill "${!v}"; done
sleep 1
before=$(refused)
flood again "$PUB" sub 127.0.0.4 4
flooded again
[ "$(cat "$T/flood-again.out")" = "4 0" ] || fail "after the flood: $(cat "$T/flood-again.out")"
[ "$(refused)" = "$before" ] || fail "refused after the flood went"
echo "bus_connection_flood: ok; $(refused) connections refused, the aggregator applied on"
