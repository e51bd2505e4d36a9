#!/usr/bin/env bash
# Strangers on the replay socket: replay requests from a name the bus keys
# do not have, from a configured name with a wrong key, and unsigned (as
# before the bus was authenticated, when anyone could read the whole journal
# and make the publisher work for it). Each gets a small REPLAY_NACK, no
# events; each is counted in /v1/stats and logged; a configured reader is
# served; the aggregator's position and the figures do not move.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/security/bus_common.bash"

pipeline
figures >"$T/figures.before"
epoch=$(svc_stat .journal_epoch)
served=$(svc_stat .bus.replays_served)
[ "$(busreq dossier REPLAY_REQUEST "$epoch" 0 stranger random)" = REPLAY_NACK ] || fail "stranger served"
[ "$(busreq dossier REPLAY_REQUEST "$epoch" 0 stranger "$(bus_secret_of tap)")" = REPLAY_NACK ] ||
    fail "stranger with a real key served"
[ "$(busreq dossier REPLAY_REQUEST "$epoch" 0 aggregator random)" = REPLAY_NACK ] ||
    fail "wrong key served"
[ "$(busreq dossier REPLAY_REQUEST "$epoch" 0 tap v1)" = REPLAY_NACK ] || fail "unsigned served"
[ "$(svc_stat .bus.stranger_requests)" -ge 2 ] || fail "strangers not counted: $(svc_stat .bus)"
[ "$(svc_stat .bus.bad_mac_requests)" -ge 1 ] || fail "wrong key not counted"
[ "$(svc_stat .bus.bad_requests)" -ge 1 ] || fail "unsigned not counted"
[ "$(svc_stat .bus.replays_served)" = "$served" ] || fail "a stranger was served"
grep -q "bus: refused replay request from unknown subscriber 'stranger'" "$T/dossier.log" ||
    fail "no log line"
# The configured reader is served.
[ "$(busreq dossier REPLAY_REQUEST "$epoch" 0 tap "$(bus_secret_of tap)")" = EVENTS ] ||
    fail "the tap was refused"
[ "$(svc_stat '.subscribers | keys | join(",")')" = aggregator ] || fail "$(svc_stat .subscribers)"
same_figures "$T/figures.before"
post after 10 kg.rachgia.p-vinh-loi
nothing_lost kg.rachgia.p-vinh-loi
echo "stranger_replay_request: ok; 4 strangers refused, the reader served"
