#!/usr/bin/env bash
# Attack: an admin wipes Redis (FLUSHALL) under a running pipeline. The
# aggregator notices that Redis holds less than it had written (the stamp of
# its flushes went back), says so in its log ("Redis lost state") and in the
# heartbeat (redis_lost, the stamps written and found), and starts over from
# what Redis holds: with the services' journals whole, the figures come back
# exactly as they were, and a record posted after the wipe counts once.
. "$CCHC_SRC/tests/lib.sh"

start_redis
start_dossier
start_aggregator
W=kg.rachgia.p-vinh-loi
rec() { # rec ID DOSSIER DAY: a dossier received and resolved at W
    printf '{"id":"%s-r","type":"received","unit":"%s","at":"2022-05-%02dT08:00:00+07:00","dossier":"%s","procedure":"p","field":"f","channel":"direct","due":"2022-05-28T17:00:00+07:00"}\n' "$1" "$W" "$3" "$2"
    printf '{"id":"%s-s","type":"resolved","unit":"%s","at":"2022-05-%02dT09:00:00+07:00","dossier":"%s","return_channel":"direct"}\n' "$1" "$W" "$3" "$2"
}
for i in 1 2 3; do rec "a$i" "D$i" "$i"; done | post "$DOSSIER_URL" >/dev/null
wait_caught_up 60
figures_dump "$T/before"
grep -q "fig:$W:2022" "$T/before" || fail "no figures to lose"
heartbeat() { rcli HGET cchc:v1:heartbeat:aggregator "$1"; }
lost_is() { [ "$(heartbeat redis_lost)" = "$1" ]; }
[ "$(heartbeat redis_lost)" = 0 ] || fail "Redis lost state before the attack"

# 1. Wiped, and the aggregator's connection dropped: found on reconnect.
rcli FLUSHALL >/dev/null
rcli CLIENT KILL USER aggregator >/dev/null
wait_for 30 lost_is 1
grep -q 'Redis lost state: it holds stamp 0, but this aggregator had written up to' \
    "$T/aggregator.log" || fail "the loss was not logged"
[ "$(heartbeat redis_lost_found_stamp)" = 0 ] || fail "heartbeat: wrong stamp found"
[ "$(heartbeat redis_lost_wrote_stamp)" -ge 1 ] || fail "heartbeat: no stamp written"
wait_caught_up 60
figures_dump "$T/healed"
cmp -s "$T/before" "$T/healed" || fail "figures not rebuilt: $(diff "$T/before" "$T/healed" | head)"

# 2. Wiped while running: found at the next flush, which the wipe refuses.
rcli FLUSHALL >/dev/null
rec a4 D4 4 | post "$DOSSIER_URL" >/dev/null
wait_for 30 lost_is 2
wait_caught_up 60
expect "$(report "$W" 2022-01-01 2022-12-31)" 3.3.1 4
echo "redis_flushall: detected twice, reported, figures rebuilt from the journal"
