#!/usr/bin/env bash
# Another language on the bus: proto/examples/subscriber.py (Python, libnng
# through ctypes, python3-msgpack, PyNaCl) against a live cchc-dossier. It
# starts from position 10 while 30 events are journaled: 10..29 come by
# signed replay requests, 30..39 live, each once and in order. With a keys
# file that gives the publisher another public key, it refuses every frame
# and prints nothing.
. "$CCHC_SRC/tests/lib.sh"
start_dossier
rec() {
    printf '{"id":"r%d","type":"received","unit":"kg.rachgia.p-an-binh","at":"2022-03-01T08:00:00+07:00","dossier":"D%d","procedure":"1.004227","field":"f","channel":"direct","due":"2022-03-05T17:00:00+07:00"}\n' "$1" "$1"
}
for i in $(seq 0 29); do rec "$i"; done | post "$DOSSIER_URL" >/dev/null
sub() { # KEYS [flags]: the subscriber as the reader "tap"
    /usr/bin/python3 "$CCHC_SRC/proto/examples/subscriber.py" --pub "ipc://$T/dossier.pub" \
        --replay "ipc://$T/dossier.replay" --publisher dossier --keys "$1" --name tap \
        --secret "$(bus_secret_of tap)" "${@:2}"
}
sub "$CCHC_BUS_KEYS" --from 10 --until 40 --seconds 30 >"$T/sub.out" 2>"$T/sub.err" &
pid=$!
wait_for 10 grep -q '"seq": 29' "$T/sub.out" || fail "no replayed events: $(cat "$T/sub.err")"
for i in $(seq 30 39); do rec "$i"; done | post "$DOSSIER_URL" >/dev/null
wait "$pid" || fail "subscriber.py: $(cat "$T/sub.err")"
[ "$(jq -s -c '[.[].seq]' "$T/sub.out")" = "$(seq 10 39 | jq -s -c .)" ] ||
    fail "sequences: $(jq -s -c '[.[].seq]' "$T/sub.out")"
[ "$(jq -s -c '[.[].id]' "$T/sub.out")" = "$(seq 10 39 | sed 's/^/r/' | jq -R . | jq -s -c .)" ] ||
    fail "ids: $(jq -s -c '[.[].id]' "$T/sub.out")"
[ "$(jq -s '[.[] | select(.type == "dossier.received" and .metrics.received == 1)] | length' "$T/sub.out")" = 30 ] ||
    fail "decoded events: $(head -2 "$T/sub.out")"
# The publisher's key swapped for another: every frame refused, nothing printed.
awk -v k="$(bus_pub_of subscriber tap)" '$1 == "publisher" && $2 == "dossier" { $3 = k } { print }' \
    "$CCHC_BUS_KEYS" >"$T/wrong.keys"
rc=0
sub "$T/wrong.keys" --from 0 --until 40 --seconds 2 >"$T/wrong.out" 2>"$T/wrong.err" || rc=$?
[ "$rc" = 1 ] && [ ! -s "$T/wrong.out" ] && grep -qE '0 frames, [1-9][0-9]* refused, 0 events' "$T/wrong.err" ||
    fail "with a wrong key: exit $rc, $(cat "$T/wrong.err"), $(head -2 "$T/wrong.out")"
echo "python_subscriber: ok: $(cat "$T/sub.err")"
