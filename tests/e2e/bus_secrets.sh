#!/usr/bin/env bash
# Each program signs with its own secret, and starts only if that secret's
# public key is on one of its own name's lines: a service, the aggregator
# and the tap refuse another's secret, a secret open to others, or none,
# naming the file. Then a key rotation as ops/README.md ("Bus keys") rolls
# it out: the new key as a second line, the service moved to its new
# secret (its events still applied), the old line dropped; nothing lost.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/security/bus_common.bash"

svc_args=(--listen 127.0.0.1:0 --data "$T/x" --pub "ipc://$T/x.pub" --replay "ipc://$T/x.replay")
# refused PROGRAM-ARGS... -- TEXT: the program exits non-zero, its output says TEXT.
refused() {
    local args=() out="$T/refused.log"
    while [ "$1" != -- ]; do args+=("$1"); shift; done
    if timeout 10 "${args[@]}" >"$out" 2>&1; then fail "started: ${args[*]}"; fi
    grep -qF -- "$2" "$out" || fail "${args[0]}: no reason \"$2\": $(cat "$out")"
}
refused cchc-dossier "${svc_args[@]}" --bus-secret "$(bus_secret_of tap)" -- \
    "bus secret $(bus_secret_of tap): its public key $(bus_pub_of subscriber tap) is not on a 'publisher dossier' line"
refused cchc-dossier "${svc_args[@]}" --bus-secret "$(bus_secret_of finance)" -- \
    "is not on a 'publisher dossier' line"
refused cchc-aggregator --sources "ipc://$T/x.pub,ipc://$T/x.replay" --bus-secret "$(bus_secret_of dossier)" -- \
    "is not on a 'subscriber aggregator' line"
refused cchc-tap --sources "ipc://$T/x.pub,ipc://$T/x.replay" --bus-secret "$(bus_secret_of aggregator)" -- \
    "is not on a 'subscriber tap' line"
cp "$(bus_secret_of dossier)" "$T/open.secret"
chmod 644 "$T/open.secret"
refused cchc-dossier "${svc_args[@]}" --bus-secret "$T/open.secret" -- \
    "bus secret $T/open.secret: refused: open to group or others (mode 644)"
refused env -u CCHC_BUS_SECRET "$CCHC_BIN/cchc-dossier" "${svc_args[@]}" -- \
    "no bus secret: set --bus-secret FILE or CCHC_BUS_SECRET"
printf 'not-a-seed\n' >"$T/bad.secret"
chmod 600 "$T/bad.secret"
refused cchc-dossier "${svc_args[@]}" --bus-secret "$T/bad.secret" -- "$T/bad.secret:1: field 1: a seed is 64 hex digits"

# The rotation. 1: a new secret, its public key as the dossier's second line;
# every program reads the keys file again (here: they start after it).
old=$(bus_pub_of publisher dossier)
new=$(new_bus_secret dossier "$T/dossier-new.secret")
echo "publisher dossier $new" >>"$CCHC_BUS_KEYS"
start_redis
start_dossier
start_aggregator
post before 10 kg.rachgia.p-vinh-loi
nothing_lost kg.rachgia.p-vinh-loi
# 2: the dossier moves to its new secret: its frames now verify with the second line.
kill "$PID_dossier"
wait "$PID_dossier" 2>/dev/null || true
start_dossier --bus-secret "$T/dossier-new.secret"
post during 10 kg.rachgia.p-vinh-loi
nothing_lost kg.rachgia.p-vinh-loi
[ "$(hb bad_mac)" = 0 ] || fail "frames refused during the rotation: $(hb bad_mac)"
# 3: the old line goes (the new key alone), and every program restarts on it.
grep -v "^publisher dossier $old" "$CCHC_BUS_KEYS" | sed "s/^publisher dossier $new\$/publisher dossier $new units=*/" \
    >"$T/keys.new"
mv "$T/keys.new" "$CCHC_BUS_KEYS"
grep -q "^publisher dossier $new units=\*$" "$CCHC_BUS_KEYS" || fail "the new line"
kill "$PID_aggregator" "$PID_dossier"
wait "$PID_aggregator" "$PID_dossier" 2>/dev/null || true
refused cchc-dossier "${svc_args[@]}" -- "is not on a 'publisher dossier' line" # the old secret is out
start_dossier --bus-secret "$T/dossier-new.secret"
start_aggregator
post after 10 kg.rachgia.p-vinh-loi
nothing_lost kg.rachgia.p-vinh-loi
echo "bus_secrets: ok; 7 wrong secrets refused with their reasons; a rotation rolled out, all $POSTED records applied"
