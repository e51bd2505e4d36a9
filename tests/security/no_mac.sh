#!/usr/bin/env bash
# Frames without a signature: the valid frame as version 1 wrote it (before
# the bus was authenticated, the aggregator applied these from anyone who
# could reach its sockets), as version 2 wrote it (a keyed BLAKE2b MAC that
# any holder of the shared keys file could make), and as version 3 with
# flags bit 0 clear. Refused and counted (heartbeat no_mac: the name stays
# for the dashboards); no figure moves; the real service goes on.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/security/bus_common.bash"

pipeline
figures >"$T/figures.before"
hostile no-mac 3
hb_at_least no_mac 20
kill -0 "$PID_aggregator" || fail "the aggregator died"
grep -q "frame refused: no signature (version 1 or 2" "$T/aggregator.log" || fail "no log line"
same_figures "$T/figures.before"
post after 10 kg.rachgia.p-vinh-loi
nothing_lost kg.rachgia.p-vinh-loi
echo "no_mac: ok; $(hb no_mac) unsigned frames (versions 1, 2, flags clear) refused"
