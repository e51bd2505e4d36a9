#!/usr/bin/env bash
# Attack (a misconfiguration an attacker would use): a source may post for
# units the service's bus key does not speak for. The aggregator drops such
# events (security_publisher_out_of_scope), so their records would be
# acknowledged and never counted. The service refuses to start with such a
# pair, naming the source; narrowed to the bus key's subtree, it starts and
# takes records there.
. "$CCHC_SRC/tests/lib.sh"

sed -i 's/^publisher dossier \([0-9a-f]*\) units=\*$/publisher dossier \1 units=kg.rachgia/' "$CCHC_BUS_KEYS"
grep -q '^publisher dossier .* units=kg.rachgia$' "$CCHC_BUS_KEYS" || fail "no scoped key"
# The test's source may post for every unit: refused at start.
if cchc-dossier --listen 127.0.0.1:0 --data "$T/d1" --pub "ipc://$T/d1.pub" \
    --replay "ipc://$T/d1.replay" >"$T/wide.log" 2>&1; then
    fail "the service started with a source wider than its bus key"
fi
grep -q 'source test may post for \*, but this service.s bus key speaks only for some of it' \
    "$T/wide.log" || fail "not named: $(cat "$T/wide.log")"

# A sources file within the key's subtree: it starts and takes a record there.
rm -f "$T/sources"
new_source rg 'dossier.*' 'kg.rachgia'
cp "$T/rg.header" "$T/auth.header"
start_redis
start_dossier
start_aggregator
post "$DOSSIER_URL" >"$T/ok.json" <<JSON
{"id":"s1","type":"received","unit":"kg.rachgia.p-vinh-loi","at":"2022-05-02T08:00:00+07:00","dossier":"S1","procedure":"p","field":"f","channel":"direct","due":"2022-05-28T17:00:00+07:00"}
JSON
[ "$(jq .accepted "$T/ok.json")" = 1 ] || fail "not taken: $(cat "$T/ok.json")"
wait_caught_up 60
[ "$(rcli HGET cchc:v2:heartbeat:aggregator out_of_scope)" = 0 ] || fail "the aggregator dropped it"
echo "source_beyond_bus_scope: refused at start, named; within the key's subtree, counted"
