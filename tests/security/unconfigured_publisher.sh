#!/usr/bin/env bash
# A publisher the bus keys do not name ("intruder", with a key of its own)
# on a source the aggregator reads: its frames are refused and counted
# (heartbeat unknown_publisher); no figure moves; the real service goes on.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/security/bus_common.bash"

pipeline
figures >"$T/figures.before"
new_bus_secret intruder "$T/intruder.secret" >/dev/null # a key of its own, in no keys file
hostile intruder 3 "$T/intruder.secret"
hb_at_least unknown_publisher 20
kill -0 "$PID_aggregator" || fail "the aggregator died"
grep -q "frame refused: a publisher not in the bus keys (publisher 'intruder'" "$T/aggregator.log" ||
    fail "no log line"
same_figures "$T/figures.before"
post after 10 kg.rachgia.p-vinh-loi
nothing_lost kg.rachgia.p-vinh-loi
echo "unconfigured_publisher: ok; $(hb unknown_publisher) frames of an unknown publisher refused"
