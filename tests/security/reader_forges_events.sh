#!/usr/bin/env bash
# A reader forges a publisher's events. Before signatures (frame version 2),
# the bus was authenticated with keyed BLAKE2b MACs and every program read
# the one keys file holding every key: cchc-tap, a mere reader, held the
# dossier's key, so whoever had the tap's host could MAC EVENTS as
# `dossier` and the aggregator applied them (on main these two events moved
# p-an-binh's received from nothing to 2, like the control at the end).
# Now the keys file holds public keys and the tap only its own secret: EVENTS
# it signs under the name `dossier` are refused and counted (heartbeat
# bad_mac, a log line), as are those the finance service's secret signs as
# `dossier`; no figure moves, nothing acknowledged is lost.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/security/bus_common.bash"

pipeline
figures >"$T/figures.before"
pos_before=$(rcli HGET cchc:v2:pos "dossier/$(svc_stat .journal_epoch)")
# The tap's own secret, frames under the dossier's name (hostile_pub.c, mode forge).
hostile forge 3 "$(bus_secret_of tap)" dossier
hb_at_least bad_mac 20
# A publisher's secret is no better: cchc-finance's, as dossier.
tap_refused=$(hb bad_mac)
hostile forge 2 "$(bus_secret_of finance)" dossier
hb_at_least bad_mac $((tap_refused + 10))
kill -0 "$PID_aggregator" || fail "the aggregator died"
grep -q "frame refused: wrong signature (publisher 'dossier'" "$T/aggregator.log" || fail "no log line"
[ -z "$(rcli HGET cchc:v2:pos dossier/1122334455667788)" ] || fail "the forged epoch has a position"
[ "$(rcli HGET cchc:v2:pos "dossier/$(svc_stat .journal_epoch)")" = "$pos_before" ] ||
    fail "the real dossier's position moved"
same_figures "$T/figures.before"
post after 10 kg.rachgia.p-vinh-loi
nothing_lost kg.rachgia.p-vinh-loi
refused=$(hb bad_mac)

# The control: the same frames signed with the dossier's own secret are
# applied, so the attack is real and only the key stopped it.
[ -z "$(rcli HGET cchc:v2:fig:kg.rachgia.p-an-binh:all received)" ] || fail "p-an-binh moved"
# (In the background until applied: a busy machine may need more than a
# few seconds for the aggregator to confirm the new epoch and apply.)
start control "$CCHC_BIN/hostile_pub" "ipc://$T/h.pub" "ipc://$T/h.rep" 60 forge \
    "$(bus_secret_of dossier)" dossier
wait_value 30 2 rcli HGET cchc:v2:fig:kg.rachgia.p-an-binh:all received
kill "$PID_control"
echo "reader_forges_events: ok; $refused frames the tap and cchc-finance signed as dossier refused, $POSTED records applied"
