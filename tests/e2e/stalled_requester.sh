#!/usr/bin/env bash
# A subscriber that asks for replays and never reads the answers must not
# stop a publisher from answering anyone else: the publisher gives up such
# an answer after 5 s (common/bus/bus_pub.c), and cchc-tap still gets every event.
. "$CCHC_SRC/tests/lib.sh"

start_dossier
# 9,000 events: one replay answer (8,192 events, about 2 MB) is far more
# than a unix socket holds, so an unread answer stays unsent.
for i in $(seq 9000); do
    printf '{"id":"r%d","type":"received","unit":"kg.rachgia.p-vinh-loi","at":"2022-05-02T08:00:00+07:00","dossier":"D%d","procedure":"p","field":"f","channel":"online","due":"2022-05-06T17:00:00+07:00"}\n' "$i" "$i"
done >"$T/received.ndjson"
cchc-import --url "$DOSSIER_URL" "$T/received.ndjson" >/dev/null
epoch=$(curl -sf "$DOSSIER_BASE/v1/stats" | jq -r .journal_epoch)

# The stalled requester speaks nng's ipc framing by hand: the SP handshake
# as a REQ socket, then two replay requests on the one connection, and it
# reads nothing. The second answer waits behind the first, unsent.
/usr/bin/python3 - "$T/dossier.replay" "$epoch" "$T/stalled.ready" <<'EOF' &
import socket, struct, sys, time
path, epoch, ready = sys.argv[1], int(sys.argv[2], 16), sys.argv[3]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(path)
s.sendall(b"\0SP\0" + struct.pack(">HH", 0x30, 0))  # REQ v0
for rid in (1, 2):
    body = (b"CCHC" + bytes([1, 3, 0, len(b"dossier")]) +
            struct.pack(">QQIHH", epoch, 0, 8192, 0, 0) + b"dossier")
    msg = struct.pack(">I", 0x80000000 | rid) + body
    s.sendall(b"\x01" + struct.pack(">Q", len(msg)) + msg)
open(ready, "w").close()
time.sleep(60)
EOF
stalled=$!
CCHC_PIDS+=("$stalled")
wait_for 10 test -e "$T/stalled.ready"
sleep 1 # both requests reach the publisher's one replay thread

start=$(date +%s)
timeout 30 cchc-tap --sources "$(SOURCES)" --from 0 --count 9000 >"$T/all.jsonl" ||
    fail "cchc-tap could not replay past the stalled requester"
took=$(($(date +%s) - start))
[ "$(wc -l <"$T/all.jsonl")" = 9000 ] || fail "tap printed $(wc -l <"$T/all.jsonl") events"
[ "$(jq -s '[.[].seq] == [range(9000)]' "$T/all.jsonl")" = true ] || fail "sequences not 0..8999"
kill -0 "$stalled" || fail "the stalled requester went away: the test proved nothing"
echo "stalled_requester: ok; cchc-tap replayed 9000 events in ${took} s beside a requester that reads nothing"
