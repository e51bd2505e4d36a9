#!/usr/bin/env bash
# Replays serve several requesters at once: a subscriber that asks for
# replays and never reads the answers holds only the nng contexts of its own
# requests (common/bus/bus_pub.c, BUS_REPLAY_CONTEXTS), so cchc-tap gets every
# event at once, not after the 5 s a stalled answer may wait (the one replay
# thread before this waited out each stalled answer in turn).
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
# as a REQ socket, then two replay requests on each of three connections,
# signed as the subscriber `tap` (a configured reader: strangers get only a
# small refusal), and it reads nothing. Each answer is about 2 MB: it stays
# unsent, and holds its context, for 5 s.
/usr/bin/python3 - "$T/dossier.replay" "$epoch" "$T/stalled.ready" "$(bus_secret_of tap)" <<'EOF' &
import os, socket, struct, sys, time
import nacl.bindings as sodium
path, epoch, ready = sys.argv[1], int(sys.argv[2], 16), sys.argv[3]
seed = bytes.fromhex([l for l in open(sys.argv[4]) if l.strip() and not l.startswith("#")][0].strip())
sk = sodium.crypto_sign_seed_keypair(seed)[1]
socks = []
for c in range(3):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect(path)
    s.sendall(b"\0SP\0" + struct.pack(">HH", 0x30, 0))  # REQ v0
    for rid in (1, 2):
        pub = b"dossier"
        head = b"CCHC" + bytes([3, 3, 1, len(pub)]) + struct.pack(">QQIHH", epoch, 0, 8192, 64, 0) + pub
        body = os.urandom(16) + b"tap"  # nonce, subscriber name
        st = sodium.crypto_sign_ed25519ph_state()  # Ed25519ph, as proto/README.md says
        sodium.crypto_sign_ed25519ph_update(st, head + body)
        sig = sodium.crypto_sign_ed25519ph_final_create(st, sk)
        msg = struct.pack(">I", 0x80000000 | rid) + head + sig + body
        s.sendall(b"\x01" + struct.pack(">Q", len(msg)) + msg)
    socks.append(s)
open(ready, "w").close()
time.sleep(60)
EOF
stalled=$!
CCHC_PIDS+=("$stalled")
wait_for 10 test -e "$T/stalled.ready"
sleep 1 # the requests reach the publisher's contexts
served=$(curl -sf "$DOSSIER_BASE/v1/stats" | jq .bus.replays_served)
[ "$served" -ge 2 ] || fail "the stalled requests were not answered ($served): the test proves nothing"

start=$(date +%s)
timeout 30 cchc-tap --sources "$(SOURCES)" --from 0 --count 9000 >"$T/all.jsonl" ||
    fail "cchc-tap could not replay past the stalled requester"
took=$(($(date +%s) - start))
[ "$(wc -l <"$T/all.jsonl")" = 9000 ] || fail "tap printed $(wc -l <"$T/all.jsonl") events"
[ "$(jq -s '[.[].seq] == [range(9000)]' "$T/all.jsonl")" = true ] || fail "sequences not 0..8999"
kill -0 "$stalled" || fail "the stalled requester went away: the test proved nothing"
# A stalled answer is given up after 5 s: a replay that waited for one took longer.
[ "$took" -lt 5 ] || fail "cchc-tap's replay took ${took} s: it waited behind the stalled requester"
echo "stalled_requester: ok; cchc-tap replayed 9000 events in ${took} s beside a requester that reads nothing ($served answers held)"
