#!/usr/bin/env bash
# Old frames played back: genuine, signed frames of the hostile publisher
# (a recording). First its two events are applied, once. Played back in the
# same epoch, they stand before the aggregator's position: dropped as
# duplicates and counted (heartbeat old_frames), no figure moves. Then the
# publisher moves to a new epoch (a new journal) and a recorded frame of the
# epoch it left is played back, with an event never applied: refused and
# counted (old_epoch_frames), not applied.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/security/bus_common.bash"

pipeline
hostile old-frame 1.5
wait_value 10 2 rcli HGET cchc:v2:fig:kg.rachgia.p-an-binh:all received
wait_value 10 2 rcli HGET cchc:v2:pos hostile/1122334455667788
sleep 1.2 # a heartbeat after the last frame
figures >"$T/figures.before"
before=$(hb old_frames)
hostile old-frame 3 # the same frames again: a recording played back
hb_at_least old_frames $((before + 20))
same_figures "$T/figures.before"
[ "$(rcli HGET cchc:v2:fig:kg.rachgia.p-an-binh:all received)" = 2 ] || fail "played back frames applied"

# A new epoch, then a frame of the old one (event old-epoch) played back.
hostile old-epoch 4
hb_at_least old_epoch_frames 5
wait_value 10 1 rcli HGET cchc:v2:pos hostile/1122334455667789
[ "$(rcli HGET cchc:v2:fig:kg.rachgia.p-an-binh:all received)" = 3 ] ||
    fail "an-binh received $(rcli HGET cchc:v2:fig:kg.rachgia.p-an-binh:all received), want 2 + the new epoch's 1"
[ "$(rcli HGET cchc:v2:pos hostile/1122334455667788)" = 2 ] || fail "the old epoch's position moved"
grep -q "frame refused: an epoch its publisher has left (publisher 'hostile', epoch 1122334455667788" \
    "$T/aggregator.log" || fail "no log line"
kill -0 "$PID_aggregator" || fail "the aggregator died"
post after 10 kg.rachgia.p-vinh-loi
nothing_lost kg.rachgia.p-vinh-loi
echo "old_frame_replayed: ok; $(hb old_frames) old frames and $(hb old_epoch_frames) of a left epoch refused"
