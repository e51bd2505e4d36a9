#!/usr/bin/env bash
# A frame of a left epoch played back to an aggregator that was restarted
# (it no longer remembers which epochs its sources left). The publisher
# moves from epoch E to E+1; the aggregator is killed and started again;
# then every frame of E+1 is followed by a recorded, signed frame of E with
# an event never applied. The aggregator asks the publisher which epoch it
# is in (the answer is signed and bound to the request's nonce): the frame
# of E is refused and counted (old_epoch_frames), E's position stays, and
# E+1 goes on. Before, it took the frame of E for a new journal: it applied
# the event (E's position moved to 3) and then refused E+1 as left, so the
# source stood still for good.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/security/bus_common.bash"

E=1122334455667788 E1=1122334455667789
pipeline
hostile old-epoch 4
wait_value 10 1 rcli HGET cchc:v2:pos hostile/$E1
[ "$(rcli HGET cchc:v2:pos hostile/$E)" = 2 ] || fail "epoch E stands at $(rcli HGET cchc:v2:pos hostile/$E)"
wait_caught_up 60

lines=$(wc -l <"$T/aggregator.log")
kill -9 "$PID_aggregator"
wait "$PID_aggregator" 2>/dev/null || true
start aggregator cchc-aggregator --sources "$(SOURCES);ipc://$T/h.pub,ipc://$T/h.rep"
wait_value 10 0 hb old_epoch_frames # the new one beats
hostile old-epoch-replayed 4
hb_at_least old_epoch_frames 3
wait_value 10 2 rcli HGET cchc:v2:pos hostile/$E1
[ "$(rcli HGET cchc:v2:pos hostile/$E)" = 2 ] ||
    fail "the left epoch's position moved to $(rcli HGET cchc:v2:pos hostile/$E): its played-back event was applied"
[ "$(rcli HGET cchc:v2:fig:kg.rachgia.p-an-binh:all received)" = 4 ] ||
    fail "an-binh received $(rcli HGET cchc:v2:fig:kg.rachgia.p-an-binh:all received), want ok-1..ok-4"
# (grep reads a file: `tail | grep -q` under pipefail fails when grep quits
# before tail has written everything, and tail dies of SIGPIPE.)
tail -n +"$((lines + 1))" "$T/aggregator.log" >"$T/after-restart.log"
grep -q "frame refused: an epoch its publisher has left (publisher 'hostile', epoch $E" \
    "$T/after-restart.log" || fail "no log line after the restart"
kill -0 "$PID_aggregator" || fail "the aggregator died"
post after 10 kg.rachgia.p-vinh-loi
nothing_lost kg.rachgia.p-vinh-loi
echo "old_epoch_after_restart: ok; $(hb old_epoch_frames) frames of a left epoch refused after the restart"
