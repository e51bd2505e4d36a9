#!/usr/bin/env bash
# ipc squatting. The default sockets were /tmp/cchc-*.pub: any local user
# could bind that path first and the aggregator would dial it. Now the
# defaults live in a private runtime folder (CCHC_RUN_DIR, /run/cchc for
# root, $XDG_RUNTIME_DIR/cchc, or /tmp/cchc-$UID), made 0700, and every
# program refuses an ipc path whose folder another user owns or others may
# enter, naming it. Here a squatter binds sockets in a world-writable folder
# (as /tmp is); neither the service nor the aggregator will use them, no
# figure moves, and the pipeline on its default private paths works.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/security/bus_common.bash"

start_redis
mkdir -m 1777 "$T/shared"
chmod 1777 "$T/shared"
# The squatter's publisher, already listening where the old defaults were.
start squatter "$CCHC_BIN/hostile_pub" "ipc://$T/shared/cchc-dossier.pub" \
    "ipc://$T/shared/cchc-dossier.replay" 30 hostile "$(bus_secret_of hostile)"
wait_for 10 test -S "$T/shared/cchc-dossier.pub"
figures >"$T/figures.before"
if cchc-aggregator --sources "ipc://$T/shared/cchc-dossier.pub,ipc://$T/shared/cchc-dossier.replay" \
    >"$T/agg-squat.log" 2>&1; then fail "the aggregator started on a squatted path"; fi
grep -q "refused: the folder $T/shared is open to group or others" "$T/agg-squat.log" ||
    fail "no clear error: $(cat "$T/agg-squat.log")"
if cchc-dossier --listen 127.0.0.1:0 --data "$T/d2" --pub "ipc://$T/shared/x.pub" \
    --replay "ipc://$T/shared/x.replay" >"$T/svc-squat.log" 2>&1; then fail "the service started"; fi
grep -q "refused: the folder $T/shared is open to group or others" "$T/svc-squat.log" ||
    fail "no clear error: $(cat "$T/svc-squat.log")"
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
    # A private folder of another user is refused too.
    mkdir -m 700 "$T/theirs"
    chown nobody "$T/theirs"
    if cchc-aggregator --sources "ipc://$T/theirs/a.pub,ipc://$T/theirs/a.replay" \
        >"$T/agg-theirs.log" 2>&1; then fail "started in another user's folder"; fi
    grep -q "refused: the folder $T/theirs is owned by another user" "$T/agg-theirs.log" ||
        fail "no clear error: $(cat "$T/agg-theirs.log")"
fi
same_figures "$T/figures.before"
[ -z "$(rcli HGET cchc:v2:heartbeat:aggregator at_ms)" ] || fail "an aggregator ran on the squatted path"

# The defaults: a private folder, made 0700 by whoever starts first.
export CCHC_RUN_DIR="$T/run"
start dossier cchc-dossier --listen 127.0.0.1:0 --port-file "$T/dossier.port" --data "$T/dossier"
wait_for 20 test -s "$T/dossier.port"
DOSSIER_BASE="http://127.0.0.1:$(cat "$T/dossier.port")"
DOSSIER_URL="$DOSSIER_BASE/v1/records"
SERVICES=(dossier)
[ "$(stat -c %a "$T/run")" = 700 ] || fail "run folder mode $(stat -c %a "$T/run")"
test -S "$T/run/dossier.pub" || fail "no socket in the run folder"
start aggregator cchc-aggregator --sources "ipc://$T/run/dossier.pub,ipc://$T/run/dossier.replay"
post after 10 kg.rachgia.p-vinh-loi
nothing_lost kg.rachgia.p-vinh-loi
echo "ipc_squat: ok; squatted folders refused, the private run folder used"
