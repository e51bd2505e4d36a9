#!/usr/bin/env bash
# Attack: a byte of a service's journal changed in the middle (a disk error,
# a stray write). Before, any failed check was taken for a torn tail: every
# acknowledged record after it was cut off and its sequence numbers handed
# out again, which the aggregator then dropped as duplicates. Now the
# service refuses to start, naming the record, the byte and ops/README.md;
# nothing is cut (the file is as it was), no figure moves, and with the
# journal put back from a copy every acknowledged record is there again.
. "$CCHC_SRC/tests/lib.sh"

start_redis
start_dossier
start_aggregator
W=kg.rachgia.p-vinh-loi
for i in $(seq 1 40); do
    printf '{"id":"j%d","type":"received","unit":"%s","at":"2022-05-02T08:00:00+07:00","dossier":"J%d","procedure":"p","field":"f","channel":"direct","due":"2022-05-28T17:00:00+07:00"}\n' "$i" "$W" "$i"
done >"$T/records.ndjson"
post "$DOSSIER_URL" <"$T/records.ndjson" >/dev/null
wait_caught_up 60
figures_dump "$T/before"
kill -9 "$PID_dossier"
wait "$PID_dossier" 2>/dev/null || true
J="$T/dossier/events.journal"
cp "$J" "$T/copy.journal"
size=$(stat -c %s "$J")
# One byte flipped half way through, inside some record's payload.
mid=$((size / 2))
printf "$(printf '\\%03o' $(( ($(od -An -tu1 -j $mid -N1 "$J") ^ 0x5a) )))" |
    dd of="$J" bs=1 seek=$mid conv=notrunc status=none
if cchc-dossier --listen 127.0.0.1:0 --data "$T/dossier" --pub "ipc://$T/dossier.pub" \
    --replay "ipc://$T/dossier.replay" >"$T/damaged.log" 2>&1; then
    fail "the service started on a damaged journal"
fi
grep -q 'fails its check, yet an intact record follows at byte' "$T/damaged.log" ||
    fail "the damage was not named: $(cat "$T/damaged.log")"
grep -q 'see ops/README.md, journal damage' "$T/damaged.log" || fail "no pointer to what to do"
[ "$(stat -c %s "$J")" = "$size" ] || fail "the journal was cut: $(stat -c %s "$J") of $size bytes"
figures_dump "$T/during"
cmp -s "$T/before" "$T/during" || fail "a figure changed"

# The operator puts back the copy: every record is there, nothing twice.
cp "$J" "$T/damaged.journal"
cp "$T/copy.journal" "$J"
start_dossier
post "$DOSSIER_URL" <"$T/records.ndjson" >"$T/again.json"
[ "$(jq .duplicate "$T/again.json")" = 40 ] || fail "records lost: $(head -c 300 "$T/again.json")"
wait_caught_up 60
figures_dump "$T/after"
cmp -s "$T/before" "$T/after" || fail "a figure changed: $(diff "$T/before" "$T/after" | head)"
echo "journal_damage: refused, named, nothing cut; the copy put back holds every record"
