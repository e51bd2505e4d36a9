#!/usr/bin/env bash
# 32 junk subscriber names. Before, any process could ACK under any name:
# 32 of them filled every durable-subscriber slot, held retention at their
# positions for good (kept in the acks file across restarts), and the real
# aggregator was refused. Now only names in the bus keys exist: the junk is
# refused and counted, never kept, and the aggregator's ACKs go on; a junk
# name found in an old acks file is dropped at start, with a log line.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/security/bus_common.bash"

pipeline
figures >"$T/figures.before"
epoch=$(svc_stat .journal_epoch)
for i in $(seq 32); do
    # half unsigned, as the old attack; half signed with keys of their own
    key=random
    [ $((i % 2)) = 0 ] && key=v1
    [ "$(busreq dossier ACK "$epoch" 0 "junk$i" "$key")" = REPLAY_NACK ] || fail "junk$i taken"
done
[ "$(svc_stat '.bus.stranger_requests + .bus.bad_requests')" -ge 32 ] || fail "not counted: $(svc_stat .bus)"
[ "$(svc_stat '.subscribers | keys | join(",")')" = aggregator ] || fail "kept: $(svc_stat .subscribers)"
grep -q "bus: refused ACK from unknown subscriber 'junk1' (not in the bus keys)" "$T/dossier.log" ||
    fail "no log line"
same_figures "$T/figures.before"

# The real subscriber still moves its position.
post more 30 kg.rachgia.p-vinh-loi
nothing_lost kg.rachgia.p-vinh-loi
wait_value 10 "$POSTED" svc_stat .subscribers.aggregator

# An acks file from before, with junk in it: dropped at start, named in the log.
kill "$PID_dossier"
wait "$PID_dossier" 2>/dev/null || true
for i in $(seq 32); do echo "junk$i $epoch 0"; done >>"$T/dossier/subscribers"
start_dossier
grep -q "durable subscriber 'junk7' dropped: the bus keys have no durable subscriber" "$T/dossier.log" ||
    fail "junk from the old acks file not dropped with a log line"
! grep -q junk "$T/dossier/subscribers" || fail "junk still in the acks file"
[ "$(svc_stat '.subscribers | keys | join(",")')" = aggregator ] || fail "kept: $(svc_stat .subscribers)"
post last 5 kg.rachgia.p-vinh-loi
nothing_lost kg.rachgia.p-vinh-loi
echo "junk_subscribers: ok; 32 names refused, 32 dropped from an old acks file, $POSTED records applied"
