#!/usr/bin/env bash
# Journal retention: with a 1 MiB limit the dossier journal is compacted again
# and again during the Rạch Giá import (about 45 MB of events), but never past
# what the aggregator, a durable subscriber, has applied: the aggregator is
# paused long enough to fall far behind, retention waits for it, and it ends
# exact. After kill -9 the service rebuilds its state from the checkpoint and
# what is left of the journal: every record is still a duplicate, and held
# resolutions and due dates still work.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/e2e/rachgia_expect.sh"

start_redis_durable
start_dossier --journal-max-mb 1
start_aggregator
cchc-loadgen rachgia-2022 --out "$T/data" >/dev/null
files=("$T"/data/dossier-*.ndjson)
split -n l/8 -d --additional-suffix=.ndjson "${files[0]}" "$T/part-"
parts=("$T"/part-*.ndjson)

# Part by part, the aggregator keeping up: retention drops what it applied.
# Parts 3 and 4 go in while the aggregator is paused: retention must wait.
for i in "${!parts[@]}"; do
    [ "$i" = 3 ] && kill -STOP "$PID_aggregator"
    cchc-import --batch 500 --url "$DOSSIER_URL" "${parts[$i]}" >>"$T/import.out" 2>&1 ||
        fail "import: $(cat "$T/import.out")"
    if [ "$i" = 4 ]; then
        sleep 2 # a second or two of retention checks while the subscriber lags
        lagging=$(curl -sf "$DOSSIER_BASE/v1/stats")
        kill -CONT "$PID_aggregator"
    fi
    [ "$i" = 3 ] || wait_caught_up 120
done
check_rachgia_2022

stats=$(curl -sf "$DOSSIER_BASE/v1/stats")
base=$(jq .journal_base <<<"$stats")
next=$(jq .journal_next_seq <<<"$stats")
bytes=$(jq .journal_bytes <<<"$stats")
compactions=$(grep -c "retention: dropped" "$T/dossier.log")
grep -q "retention waits for aggregator" "$T/dossier.log" || fail "retention never waited for the paused aggregator"
[ "$compactions" -ge 3 ] || fail "only $compactions compactions"
[ "$base" -gt 0 ] || fail "journal base $base: nothing was dropped"
# While paused, the aggregator's acknowledged position held the journal's base back.
[ "$(jq '.journal_base <= .subscribers.aggregator and .journal_next_seq - .journal_base > 60000' <<<"$lagging")" = true ] ||
    fail "while the aggregator lagged: $lagging"
echo "retention: $compactions compactions; journal keeps events $base..$next in $bytes bytes"

# A restart rebuilds the state from the checkpoint plus the journal's rest.
kill -9 "$PID_dossier"
start_dossier --journal-max-mb 1
cchc-import --batch 500 --url "$DOSSIER_URL" "${files[@]}" >"$T/again.out" 2>&1 ||
    fail "second import: $(cat "$T/again.out")"
grep -qE "accepted 0, duplicate [1-9][0-9]*, rejected 0" "$T/again.out" ||
    fail "records accepted again after compaction: $(cat "$T/again.out")"
# A dossier received in 2022 and never resolved lives on only in the
# checkpoint: resolving it now is late by its due date. A resolution that
# arrives before its dossier is still held. Both in 2023, outside the window
# checked above.
jq -r 'select(.type == "received") | .dossier' "${files[0]}" | sort >"$T/received.ids"
jq -r 'select(.type == "resolved") | .dossier' "${files[0]}" | sort >"$T/resolved.ids"
pending=$(comm -23 "$T/received.ids" "$T/resolved.ids" | sed -n 1p)
[ -n "$pending" ] || fail "no pending dossier in the data"
old_unit=$(grep -F "\"dossier\":\"$pending\"" "${files[0]}" | jq -r 'select(.type == "received") | .unit')
unit=kg.rachgia.p-vinh-loi
printf '%s\n' \
    "{\"id\":\"old-x\",\"type\":\"resolved\",\"unit\":\"$old_unit\",\"at\":\"2023-03-01T09:00:00+07:00\",\"dossier\":\"$pending\",\"return_channel\":\"direct\"}" \
    "{\"id\":\"new-x\",\"type\":\"resolved\",\"unit\":\"$unit\",\"at\":\"2023-02-20T09:00:00+07:00\",\"dossier\":\"NEW-1\",\"return_channel\":\"direct\"}" \
    "{\"id\":\"new-r\",\"type\":\"received\",\"unit\":\"$unit\",\"at\":\"2023-02-01T09:00:00+07:00\",\"dossier\":\"NEW-1\",\"procedure\":\"1.1\",\"field\":\"f\",\"channel\":\"direct\",\"due\":\"2023-02-10T17:00:00+07:00\"}" |
    curl -sf -H @"$T/auth.header" --data-binary @- "$DOSSIER_URL" >"$T/new.out"
[ "$(jq '.accepted' "$T/new.out")" = 3 ] || fail "new records: $(cat "$T/new.out")"
wait_caught_up 60
[ "$(day_fig "$old_unit" 2023-03-01 resolved_late)" = 1 ] ||
    fail "old dossier $pending at $old_unit: resolution not counted late"
[ "$(day_fig "$unit" 2023-02-20 resolved_late)" = 1 ] ||
    fail "held resolution of NEW-1 not counted late"
# The old ones still count once: every figure of the year is as before.
check_rachgia_2022
echo "retention: ok"
