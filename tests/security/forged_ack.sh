#!/usr/bin/env bash
# A forged ACK. Before the bus was authenticated, any process that reached a
# service's replay socket could send ACK under the name `aggregator` for the
# end of the journal (no key, no check of the epoch: bus_pub.c's
# answer_request/record_ack took it). Retention then dropped the events the
# real aggregator had not applied; its replay requests got REPLAY_NACK, and
# that service's figures stopped for good, with only a log line to say so.
# Now an ACK must be signed with the secret of a configured durable subscriber,
# for the journal's epoch: this one is refused and counted, the position
# stays, retention keeps the events, and the aggregator applies them all.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/security/bus_common.bash"

backlog

# The forgeries: unsigned (the old attack, byte for byte a version-1 ACK), a
# version-2 MAC, a random key, the tap's real secret under the aggregator's
# name, and the tap (a reader) in its own name.
[ "$(busreq dossier ACK "$epoch" "$end" aggregator v1)" = REPLAY_NACK ] || fail "v1 ACK not refused"
# version 2, a MAC keyed with the aggregator's own seed: no MAC is taken any more
[ "$(busreq dossier ACK "$epoch" "$end" aggregator "v2:$(bus_secret_of aggregator)")" = REPLAY_NACK ] ||
    fail "v2 ACK not refused"
[ "$(busreq dossier ACK "$epoch" "$end" aggregator random)" = REPLAY_NACK ] || fail "forged ACK taken"
[ "$(busreq dossier ACK "$epoch" "$end" aggregator "$(bus_secret_of tap)")" = REPLAY_NACK ] ||
    fail "ACK with another subscriber's key taken"
[ "$(busreq dossier ACK "$epoch" "$end" tap "$(bus_secret_of tap)")" = REPLAY_NACK ] ||
    fail "a reader's ACK taken"
backlog_kept
[ "$(svc_stat .bus.bad_requests)" -ge 2 ] || fail "the unsigned ACKs were not counted"
[ "$(svc_stat .bus.bad_mac_requests)" -ge 2 ] || fail "the forged ACKs were not counted"
[ "$(svc_stat .bus.refused_acks)" -ge 1 ] || fail "the reader's ACK was not counted"
[ "$(svc_stat '.subscribers.tap // "none"')" = none ] || fail "the tap was registered"
grep -q "bus: refused ACK from subscriber 'aggregator'" "$T/dossier.log" || fail "no log line"
echo "forged_ack: ok; 5 forged ACKs refused, retention held at 20, all $POSTED records applied"
