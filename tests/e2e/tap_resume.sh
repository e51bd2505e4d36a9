#!/usr/bin/env bash
# cchc-tap prints the bus as JSON lines, gap-free and in order, and resumes
# from a given position: what another system does after a stop.
. "$CCHC_SRC/tests/lib.sh"

start_redis
start_dossier
# 30 dossiers received, then resolved, in one request each.
for i in $(seq 30); do
    printf '{"id":"r%d","type":"received","unit":"kg.rachgia.p-vinh-loi","at":"2022-05-02T08:00:00+07:00","dossier":"D%d","procedure":"p","field":"f","channel":"online","due":"2022-05-06T17:00:00+07:00"}\n' "$i" "$i"
done >"$T/received.ndjson"
for i in $(seq 30); do
    printf '{"id":"x%d","type":"resolved","unit":"kg.rachgia.p-vinh-loi","at":"2022-05-07T09:00:00+07:00","dossier":"D%d","return_channel":"online"}\n' "$i" "$i"
done >"$T/resolved.ndjson"
# One batch at a time: the journal keeps the files' order, so sequence 59 is x30.
cchc-import --url "$DOSSIER_URL" --batch 7 --parallel 1 "$T/received.ndjson" "$T/resolved.ndjson" >/dev/null

# From the start of the journal: all 60 events, sequences 0..59 in order.
timeout 20 cchc-tap --sources "$(SOURCES)" --from 0 --count 60 >"$T/all.jsonl"
[ "$(wc -l <"$T/all.jsonl")" = 60 ] || fail "tap printed $(wc -l <"$T/all.jsonl") events"
[ "$(jq -s '[.[].seq] == [range(60)]' "$T/all.jsonl")" = true ] || fail "sequences not 0..59 in order"
jq -e -s '.[0].event | .type == "dossier.received" and .unit == "kg.rachgia.p-vinh-loi" and .category == "online" and .at == "2022-05-02T08:00:00+07:00"' "$T/all.jsonl" >/dev/null ||
    fail "first event: $(head -n 1 "$T/all.jsonl")"
jq -e -s '.[59].event | .type == "dossier.resolved" and .outcome == "late" and .id == "x30"' "$T/all.jsonl" >/dev/null ||
    fail "last event: $(tail -n 1 "$T/all.jsonl")"

# Resume after the 40th: exactly the 20 that follow, the same as the first run printed.
timeout 20 cchc-tap --sources "$(SOURCES)" --from 40 --count 20 >"$T/rest.jsonl"
tail -n 20 "$T/all.jsonl" | cmp -s - "$T/rest.jsonl" || fail "resume from 40 differs"

# Live (the default): only what is published after the tap started.
cchc-tap --sources "$(SOURCES)" --count 1 >"$T/live.jsonl" &
tap=$!
sleep 0.5
printf '{"id":"fb1","type":"feedback","unit":"kg.rachgia","at":"2022-05-08T10:00:00+07:00","status":"received"}\n' |
    cchc-import --url "$DOSSIER_URL" - >/dev/null
wait_for 10 test -s "$T/live.jsonl"
wait $tap
jq -e '.seq == 60 and .event.type == "dossier.feedback"' "$T/live.jsonl" >/dev/null || fail "live: $(cat "$T/live.jsonl")"
echo "tap_resume: ok"
