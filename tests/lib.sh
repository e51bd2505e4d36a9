# Shared by the shell tests: a scratch folder, a private redis-server on a unix
# socket, processes that are stopped and removed whatever happens.
# Usage: . "$CCHC_SRC/tests/lib.sh"   (CTest sets CCHC_SRC and CCHC_BIN)
set -euo pipefail

: "${CCHC_BIN:?run from ctest, or set CCHC_BIN to the bin folder of a build}"
: "${CCHC_SRC:?set CCHC_SRC to the source tree}"
export PATH="$CCHC_BIN:$PATH"

T=$(mktemp -d "${TMPDIR:-/tmp}/cchc-test.XXXXXX")
CCHC_PIDS=()

cchc_cleanup() {
    local rc=$?
    for pid in "${CCHC_PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if [ "$rc" -ne 0 ] && [ -d "$T" ]; then
        echo "--- test failed (rc=$rc); logs in $T:" >&2
        for f in "$T"/*.log; do [ -f "$f" ] && { echo "== $f" >&2; tail -n 30 "$f" >&2; }; done
    fi
    [ "${CCHC_KEEP:-0}" = 1 ] || rm -rf "$T"
    exit "$rc"
}
trap cchc_cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# ---- bus keys: every program on the bus refuses to start without the keys
# file (public keys) and its own secret (ops/README.md, "Bus keys"). One
# fresh set per test: publishers for the four services and `hostile`
# (tests/e2e/hostile_pub.c), subscribers `aggregator` (durable) and `tap`
# (reader), each secret in $BUS_SECRETS/NAME.secret (0600).
# new_bus_secret NAME FILE: a new secret in FILE; prints its public key.
# bus_secret_of NAME: the secret file of NAME (a publisher or subscriber).
# bus_pub_of ROLE NAME: the (first) public key of a line of the keys file.
new_bus_secret() { "$CCHC_SRC/ops/new-bus-key" "$1" "$2"; }
BUS_SECRETS="$T/bus-secrets"
mkdir -m 700 "$BUS_SECRETS"
bus_secret_of() { echo "$BUS_SECRETS/$1.secret"; }
export CCHC_BUS_KEYS="$T/bus.keys"
{
    for p in dossier staffing finance egov hostile; do
        echo "publisher $p $(new_bus_secret "$p" "$(bus_secret_of "$p")") units=*"
    done
    echo "subscriber aggregator $(new_bus_secret aggregator "$(bus_secret_of aggregator)") durable"
    echo "subscriber tap $(new_bus_secret tap "$(bus_secret_of tap)") reader"
} >"$CCHC_BUS_KEYS"
bus_pub_of() { awk -v r="$1" -v n="$2" '$1 == r && $2 == n { print $3; exit }' "$CCHC_BUS_KEYS"; }
# Each program started by name (cchc-tap, cchc-aggregator, cchc-dossier, ...,
# from PATH, also under timeout or start) gets its own secret: a wrapper in
# $T/bin puts --bus-secret first, so a test's own --bus-secret wins.
mkdir "$T/bin"
for _p in aggregator:aggregator tap:tap dossier:dossier staffing:staffing finance:finance egov:egov; do
    printf '#!/bin/sh\nexec "%s/cchc-%s" --bus-secret "%s" "$@"\n' "$CCHC_BIN" "${_p%%:*}" \
        "$(bus_secret_of "${_p#*:}")" >"$T/bin/cchc-${_p%%:*}"
    chmod 755 "$T/bin/cchc-${_p%%:*}"
done
unset _p
export PATH="$T/bin:$PATH"

# wait_for SECONDS CMD...: retry CMD every 50 ms until it succeeds.
wait_for() {
    local deadline=$((SECONDS + $1)); shift
    until "$@" >/dev/null 2>&1; do
        [ $SECONDS -lt $deadline ] || fail "timed out waiting for: $*"
        sleep 0.05
    done
}

# wait_value SECONDS WANT CMD...: waits until CMD prints WANT. (Not
# `wait_for N test "$(CMD)" = WANT`: the shell runs CMD once, before waiting.)
value_is() { [ "$("${@:2}" 2>/dev/null)" = "$1" ]; }
wait_value() {
    local n=$1; shift
    wait_for "$n" value_is "$@"
}

# launch_redis CMD...: CMD (a redis-server command line) on the unix socket
# $T/redis.sock, in the background, with cchc's users (ops/redis-users.acl;
# passwords in $T/secrets, the default user off); sets REDIS_PID, REDIS_SOCK,
# CCHC_REDIS_URL (the aggregator user) and READER_URL (the reader).
launch_redis() {
    REDIS_SOCK="$T/redis.sock"
    "$CCHC_SRC/ops/redis-users" "$T/secrets"
    "$@" --port 0 --unixsocket "$REDIS_SOCK" --unixsocketperm 700 --save '' \
        --aclfile "$T/secrets/users.acl" --daemonize no >>"$T/redis.log" 2>&1 &
    REDIS_PID=$!
    CCHC_PIDS+=("$REDIS_PID")
    export CCHC_REDIS_URL="unix://$REDIS_SOCK?user=aggregator&password_file=$T/secrets/redis-aggregator.pw"
    READER_URL="unix://$REDIS_SOCK?user=reader&password_file=$T/secrets/redis-reader.pw"
    wait_for 20 rcli ping
}

# start_redis [extra redis-server args]: no persistence unless asked.
start_redis() { launch_redis redis-server --dir "$T" --appendonly no "$@"; }

# start_redis_durable [extra args]: with the persistence cchc runs in
# production (ops/redis-durable: appendfsync always, torn writes cut).
start_redis_durable() { launch_redis "$CCHC_SRC/ops/redis-durable" "$T" "$@"; }

# rcli ARGS...: redis-cli as the admin user (tests look at and break Redis as
# an operator would); rcli_as USER ARGS...: as another user of ops/redis-users.acl.
rcli_as() {
    local user=$1; shift
    REDISCLI_AUTH=$(cat "$T/secrets/redis-$user.pw") redis-cli -s "$REDIS_SOCK" --user "$user" "$@"
}
rcli() { rcli_as admin "$@"; }

# start NAME CMD...: run CMD in the background, output to $T/NAME.log.
start() {
    local name=$1; shift
    "$@" >>"$T/$name.log" 2>&1 &
    CCHC_PIDS+=("$!")
    eval "PID_${name//-/_}=$!"
}

# json_row FILE KEY: a row of the report's JSON as printed (93.56 stays 93.56,
# 98.40 stays 98.40), after jq has checked the whole file is valid JSON.
json_row() {
    jq -e --arg k "$2" '.rows | has($k)' "$1" >/dev/null || { echo "(no row $2)"; return; }
    grep -oE "\"${2//./\\.}\":[^,}]*" "$1" | head -n 1 | cut -d: -f2
}

# ---- credentials (ops/README.md, "Sources and tokens"): the services take
# records only with a source's token. At source time: a source "test" that
# may post everything, its token in $T/test.token (CCHC_TOKEN_FILE, which
# cchc-import reads), the sources file $T/sources (CCHC_SOURCES_FILE, which
# every service reads at start), and $T/auth.header for
# `curl -H @"$T/auth.header" ...`.
# new_source NAME POSTS UNITS: one more source (before the services start),
# its token in $T/NAME.token and its header in $T/NAME.header.
new_source() {
    "$CCHC_SRC/ops/new-source" "$1" "$2" "$3" "$T/$1.token" "$T/sources" 2>/dev/null
    printf 'Authorization: Bearer %s\n' "$(cat "$T/$1.token")" >"$T/$1.header"
}
new_source test 'dossier.*,staffing.*,finance.*,egov.*' '*'
cp "$T/test.header" "$T/auth.header"
export CCHC_SOURCES_FILE="$T/sources" CCHC_TOKEN_FILE="$T/test.token"

# ---- the pipeline: services and the aggregator on unix sockets in $T

# Every aggregator a test starts serves /healthz on a free port, never on the
# default 8090 that tests running at once would fight over.
export CCHC_AGGREGATOR_LISTEN=127.0.0.1:0

SERVICES=() # the services started, in order

# start_service NAME [extra flags]: cchc-NAME on a free port; sets NAME_BASE
# (e.g. DOSSIER_BASE) and NAME_URL (its records endpoint).
start_service() {
    local name=$1; shift
    local up=${name^^}
    rm -f "$T/$name.port"
    start "$name" "cchc-$name" --listen 127.0.0.1:0 --port-file "$T/$name.port" \
        --data "$T/$name" --pub "ipc://$T/$name.pub" --replay "ipc://$T/$name.replay" "$@"
    wait_for 20 test -s "$T/$name.port"
    printf -v "${up}_BASE" 'http://127.0.0.1:%s' "$(cat "$T/$name.port")"
    local base="${up}_BASE"
    printf -v "${up}_URL" '%s/v1/records' "${!base}"
    wait_for 10 curl -sf "${!base}/healthz"
    [[ " ${SERVICES[*]} " == *" $name "* ]] || SERVICES+=("$name")
}

start_dossier() { start_service dossier "$@"; }

# The aggregator's sources: every service started so far.
SOURCES() {
    local s out=()
    for s in "${SERVICES[@]}"; do out+=("ipc://$T/$s.pub,ipc://$T/$s.replay"); done
    (IFS=';'; echo "${out[*]}")
}

# start_aggregator [extra flags]: its HTTP face (GET /healthz, GET /v1/stats)
# on a free port; sets AGG_HTTP (http://127.0.0.1:PORT, exported).
start_aggregator() {
    rm -f "$T/aggregator.port"
    start aggregator cchc-aggregator --sources "$(SOURCES)" \
        --listen 127.0.0.1:0 --port-file "$T/aggregator.port" "$@"
    wait_for 20 test -s "$T/aggregator.port"
    export AGG_HTTP="http://127.0.0.1:$(cat "$T/aggregator.port")"
}
# agg_health: the aggregator's /healthz, its HTTP status on the last line
# (000 when no answer came within 5 s: it must never wait on Redis or the bus).
agg_health() { curl -s --max-time 5 -w '\n%{http_code}\n' "$AGG_HTTP/healthz"; }

# caught_up: the aggregator has applied everything every service journaled.
caught_up() {
    local s stats epoch next pos base
    for s in "${SERVICES[@]}"; do
        base="${s^^}_BASE"
        stats=$(curl -sf "${!base}/v1/stats") || return 1
        epoch=$(jq -r .journal_epoch <<<"$stats")
        next=$(jq -r .journal_next_seq <<<"$stats")
        pos=$(rcli HGET cchc:v2:pos "$s/$epoch")
        [ "${pos:-0}" = "$next" ] || return 1
    done
}

wait_caught_up() { wait_for "${1:-120}" caught_up; }

# report UNIT FROM TO [FORM]: the JSON report into $T/report-UNIT.json
report() {
    local out="$T/report-$1.json"
    CCHC_REDIS_URL=$READER_URL cchc-report --unit "$1" --from "$2" --to "$3" --form "${4:-3}" \
        --format json >"$out"
    echo "$out"
}

# expect FILE ROW VALUE: one row of a JSON report.
expect() {
    local got
    got=$(json_row "$1" "$2")
    [ "$got" = "$3" ] || fail "$(basename "$1") row $2: expected $3, got $got"
}

# post URL: stdin's NDJSON to URL with the test's credential, if it has one;
# the answer on stdout.
post() {
    local auth=()
    [ -f "$T/auth.header" ] && auth=(-H @"$T/auth.header")
    curl -sf -X POST "${auth[@]}" --data-binary @- "$1"
}

# month_of DAY: the official month a day falls in (services/aggregator/REDIS.md:
# 2022-04-15 .. 2022-05-14 is 2022-05).
month_of() {
    if [ "$(date -u -d "$1" +%-d)" -ge 15 ]; then
        date -u -d "$(date -u -d "$1" +%Y-%m-01) + 1 month" +%Y-%m
    else
        date -u -d "$1" +%Y-%m
    fi
}

# day_fig UNIT DAY FIGURE: one figure of a unit's packed day (REDIS.md, "A
# packed day"), empty when the day does not have it.
day_fig() {
    rcli HGET "cchc:v2:days:$1:$(month_of "$2")" "$2" | tr ' ' '\n' |
        awk -F= -v f="$3" '$1 == f { print $2 }'
}

# put_days: lines "UNIT DAY FIGURE CHANGE" on stdin, added up per unit, day
# and figure, and written as the aggregator writes days: packed, with each
# month in the unit's index of months. For tests of the readers.
put_days() {
    /usr/bin/python3 -c "$PUT_DAYS_PY" "$REDIS_SOCK" "$T/secrets/redis-admin.pw"
}
PUT_DAYS_PY=$(cat <<'PY'
import collections, datetime, sys, redis
r = redis.Redis(unix_socket_path=sys.argv[1], username="admin",
                password=open(sys.argv[2]).readline().strip())
days = collections.defaultdict(collections.Counter)
for line in sys.stdin.read().splitlines():
    if line.strip():
        unit, day, fig, v = line.split()
        days[(unit, day)][fig] += int(v)
for (unit, day), figs in sorted(days.items()):
    d = datetime.date.fromisoformat(day)
    y, m = (d.year, d.month + 1) if d.day >= 15 else (d.year, d.month)
    y, m = (y + 1, 1) if m == 13 else (y, m)
    first = (datetime.date(y - (m == 1), 12 if m == 1 else m - 1, 15) - datetime.date(1970, 1, 1)).days
    month = f"{y}-{m:02d}"
    packed = " ".join(f"{f}={v}" for f, v in sorted(figs.items(), key=lambda x: x[0].encode()))
    r.hset(f"cchc:v2:days:{unit}:{month}", day, packed)
    r.zadd(f"cchc:v2:months:{unit}", {month: first})
PY
)

# figures_dump FILE: every cchc key but the heartbeat and the positions, with
# its whole content, sorted, into FILE: what an attack must leave unchanged
# (compare two dumps with `cmp`). Positions are not figures: events that
# count for nothing (refused, out of scope) still move them. Read as the
# admin user.
figures_dump() {
    /usr/bin/python3 - "$REDIS_SOCK" "$T/secrets/redis-admin.pw" >"$1" <<'PY'
import sys, redis
r = redis.Redis(unix_socket_path=sys.argv[1], username="admin",
                password=open(sys.argv[2]).readline().strip())
for k in sorted(r.scan_iter(match="cchc:*", count=1000)):
    if k.endswith(b":heartbeat:aggregator") or k == b"cchc:v2:pos":
        continue
    t = r.type(k)
    if t == b"hash":
        v = sorted(r.hgetall(k).items())
    elif t == b"zset":
        v = r.zrange(k, 0, -1, withscores=True)
    elif t == b"set":
        v = sorted(r.smembers(k))
    else:
        v = r.dump(k)
    print(k, t, v)
PY
}

# redis_copy save|restore FILE: every key of Redis dumped to FILE, or Redis
# emptied and given back what FILE holds: an operator's copy, and its restore.
redis_copy() {
    /usr/bin/python3 - "$REDIS_SOCK" "$T/secrets/redis-admin.pw" "$@" <<'PY'
import sys, pickle, redis
r = redis.Redis(unix_socket_path=sys.argv[1], username="admin",
                password=open(sys.argv[2]).readline().strip())
if sys.argv[3] == "save":
    pickle.dump({k: r.dump(k) for k in r.scan_iter(count=1000)}, open(sys.argv[4], "wb"))
else:
    r.flushall()
    for k, v in pickle.load(open(sys.argv[4], "rb")).items():
        r.restore(k, 0, v, replace=True)
PY
}
