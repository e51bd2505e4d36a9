#!/usr/bin/env bash
# Frames with a wrong MAC: a configured publisher's name, but signed with
# another key, or signed and then changed (one body byte). The aggregator
# refuses them before reading a byte of their events and counts them
# (heartbeat bad_mac); no figure moves; the real service goes on.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/security/bus_common.bash"

pipeline
figures >"$T/figures.before"
hostile wrong-mac 3
hb_at_least bad_mac 20
kill -0 "$PID_aggregator" || fail "the aggregator died"
grep -q "frame refused: wrong signature (publisher 'hostile'" "$T/aggregator.log" || fail "no log line"
[ -z "$(rcli HGET cchc:v2:pos hostile/1122334455667788)" ] || fail "the hostile publisher has a position"
same_figures "$T/figures.before"
post after 10 kg.rachgia.p-vinh-loi
nothing_lost kg.rachgia.p-vinh-loi
echo "wrong_mac: ok; $(hb bad_mac) frames with a wrong MAC refused"
