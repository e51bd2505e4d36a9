#!/usr/bin/env bash
# docker-compose.yml is valid (checked offline: no Docker engine runs here), and
# every cchc command in it is accepted by the binary it names: the same
# binaries, flags and all, run locally with --help appended.
. "$CCHC_SRC/tests/lib.sh"
cd "$CCHC_SRC"
docker-compose -f docker-compose.yml config -q
python3 - docker-compose.yml >"$T/commands" <<'PY'
import sys, yaml, shlex
doc = yaml.safe_load(open(sys.argv[1]))
for name, svc in doc["services"].items():
    cmd = svc.get("command")
    if cmd and str(cmd[0]).startswith("cchc-"):
        print(shlex.join(str(c) for c in cmd))
PY
n=0
while read -r line; do
    eval "set -- $line"
    "$CCHC_BIN/$1" "${@:2}" --help >/dev/null || fail "docker-compose command rejected: $line"
    n=$((n + 1))
done <"$T/commands"
[ $n -ge 2 ] || fail "found only $n cchc commands in docker-compose.yml"

# Redis's command, the script it mounts from ops/, run here on a scratch
# folder for /data (and a unix socket instead of the port).
redis_cmd=$(python3 -c '
import sys, yaml, shlex
print(shlex.join(yaml.safe_load(open(sys.argv[1]))["services"]["redis"]["command"]))' docker-compose.yml)
eval "set -- $redis_cmd"
[ "$1" = redis-durable ] || fail "redis runs $1, not ops/redis-durable"
grep -q '\./ops/redis-durable:/usr/local/bin/redis-durable' docker-compose.yml || fail "redis-durable not mounted"
shift
args=("${@//\/data/$T/redis-data}")
mkdir -p "$T/redis-data"
"$CCHC_SRC/ops/redis-durable" "${args[@]}" --port 0 --unixsocket "$T/r.sock" >"$T/redis.log" 2>&1 &
CCHC_PIDS+=("$!")
wait_for 20 redis-cli -s "$T/r.sock" ping
[ "$(redis-cli -s "$T/r.sock" CONFIG GET appendfsync | tail -n 1)" = always ] || fail "appendfsync is not always"
echo "compose: ok ($n cchc commands, and redis)"
