#!/usr/bin/env bash
# Hostile frames on the bus are rejected and counted; the valid events among
# them are applied exactly once; the aggregator neither crashes nor stalls.
. "$CCHC_SRC/tests/lib.sh"

start_redis
start_aggregator_on() { start aggregator cchc-aggregator --sources "ipc://$T/h.pub,ipc://$T/h.rep"; }
start_aggregator_on
"$CCHC_BIN/hostile_pub" "ipc://$T/h.pub" "ipc://$T/h.rep" 4 hostile "$(bus_secret_of hostile)" \
    >"$T/hostile.out"
sleep 1.5 # a heartbeat of the aggregator after the last frame
kill -0 "$PID_aggregator" || fail "the aggregator died"
rejected=$(rcli HGET cchc:v2:heartbeat:aggregator rejected_frames)
[ "${rejected:-0}" -ge 20 ] || fail "only ${rejected:-0} frames counted as rejected"
got=$(rcli HGET cchc:v2:fig:kg.rachgia.p-an-binh:all received)
[ "$got" = 2 ] || fail "the 2 valid events, sent many times, counted $got times"
[ -z "$(rcli HGET cchc:v2:fig:kg.rachgia:all commune:received_online)" ] || fail "junk applied"
[ "$(rcli SISMEMBER cchc:v2:units kg.nowhere)" = 0 ] || fail "junk unit"
[ "$(rcli HGET cchc:v2:pos hostile/1122334455667788)" = 2 ] || fail "position"
echo "hostile_frames: ok; $(cat "$T/hostile.out"), $rejected rejected"
