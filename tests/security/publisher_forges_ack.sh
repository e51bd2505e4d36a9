#!/usr/bin/env bash
# A publisher forges the aggregator's ACK to another service. Before
# signatures (frame version 2), every program read the one keys file: each
# service held the aggregator's MAC key (to check its ACKs), so one service
# could MAC an ACK as `aggregator` to another for the end of its journal; on
# main that ACK was taken, the position jumped, and retention dropped the
# events the aggregator had not applied (its replays then got REPLAY_NACK,
# and that service's figures stopped). Now the finance service's own secret
# signing an ACK as `aggregator` to cchc-dossier is refused and counted
# there (bad_mac_requests, a log line); the position and the retained
# events stay, and the aggregator applies every record.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/security/bus_common.bash"

backlog
bad=$(svc_stat .bus.bad_mac_requests)

for s in finance staffing egov; do
    [ "$(busreq dossier ACK "$epoch" "$end" aggregator "$(bus_secret_of "$s")")" = REPLAY_NACK ] ||
        fail "an ACK signed with $s's secret was taken"
done
backlog_kept
[ "$(svc_stat .bus.bad_mac_requests)" = $((bad + 3)) ] || fail "not counted: $(svc_stat .bus)"
grep -q "bus: refused ACK from subscriber 'aggregator': wrong signature" "$T/dossier.log" ||
    fail "no log line"

# The control: the same ACK signed with the aggregator's own secret is taken
# (the aggregator stands there already, so it moves nothing).
end=$(svc_stat .journal_next_seq)
[ "$(busreq dossier ACK "$epoch" "$end" aggregator "$(bus_secret_of aggregator)")" = ACK ] ||
    fail "the aggregator's own ACK was refused: the test proves nothing"
echo "publisher_forges_ack: ok; 3 ACKs signed by publishers as aggregator refused, retention held at 20, all $POSTED records applied"
