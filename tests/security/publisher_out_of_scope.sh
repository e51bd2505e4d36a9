#!/usr/bin/env bash
# A publisher speaks only for its unit subtrees (units= in the bus keys).
# Here cchc-dossier may speak for kg.rachgia (and every unit under it), and
# the hostile publisher only for kg.rachgia.phong-noi-vu; it sends events,
# correctly signed, for two wards. The aggregator applies none of them,
# counts them (heartbeat out_of_scope) and logs publisher and unit; no figure
# moves; the service's records for a ward under kg.rachgia are applied.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/security/bus_common.bash"

sed -i -e 's/^\(publisher hostile [0-9a-f]*\) units=\*$/\1 units=kg.rachgia.phong-noi-vu/' \
    -e 's/^\(publisher dossier [0-9a-f]*\) units=\*$/\1 units=kg.rachgia/' "$CCHC_BUS_KEYS"
grep -q "hostile .* units=kg.rachgia.phong-noi-vu" "$CCHC_BUS_KEYS" || fail "keys file not changed"
# The service's source within its key's subtree (else the service would not start).
rm -f "$T/sources"
new_source scoped 'dossier.*' 'kg.rachgia'
cp "$T/scoped.header" "$T/auth.header"
pipeline
figures >"$T/figures.before"
hostile scope 3
hb_at_least out_of_scope 3
kill -0 "$PID_aggregator" || fail "the aggregator died"
grep -q "publisher 'hostile' is not configured for unit 'kg.rachgia.p-an-binh'" "$T/aggregator.log" ||
    fail "no log line for p-an-binh"
grep -q "publisher 'hostile' is not configured for unit 'kg.rachgia.p-vinh-loi'" "$T/aggregator.log" ||
    fail "no log line for p-vinh-loi"
same_figures "$T/figures.before"
post after 10 kg.rachgia.p-vinh-loi
nothing_lost kg.rachgia.p-vinh-loi

# A units= root that is no registered unit stops the aggregator at start.
sed -i 's/units=kg.rachgia.phong-noi-vu/units=kg.nowhere/' "$CCHC_BUS_KEYS"
if cchc-aggregator --sources "$(SOURCES)" >"$T/bad-scope.log" 2>&1; then fail "started"; fi
grep -q "publisher 'hostile' units=kg.nowhere: 'kg.nowhere' is not in the unit registry" "$T/bad-scope.log" ||
    fail "bad root not named: $(cat "$T/bad-scope.log")"
echo "publisher_out_of_scope: ok; $(hb out_of_scope) events outside the publisher's units refused"
