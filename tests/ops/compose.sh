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
# folder for /data, a local port for the network, and the files of
# ops/redis-users for /run/secrets (as compose's secrets: section maps them).
"$CCHC_SRC/ops/redis-users" "$T/secrets"
secret_map=$(/usr/bin/python3 - docker-compose.yml "$T" <<'PY'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
for name, sec in doc["secrets"].items():
    f = sec["file"]
    assert f.startswith("./secrets/"), f
    print(f"s|/run/secrets/{name}|{sys.argv[2]}/secrets/{f[len('./secrets/'):]}|g;")
PY
)
compose_get() { # compose_get SERVICE EXPR: a Python expression on the service's dict, as shell words
    /usr/bin/python3 -c '
import sys, yaml, shlex
svc = yaml.safe_load(open(sys.argv[1]))["services"][sys.argv[2]]
v = eval(sys.argv[3], {}, {"svc": svc})
print(shlex.join(v) if isinstance(v, list) else v)' docker-compose.yml "$1" "$2" | sed "$secret_map"
}
redis_cmd=$(compose_get redis 'svc["command"]')
eval "set -- $redis_cmd"
[ "$1" = redis-durable ] || fail "redis runs $1, not ops/redis-durable"
grep -q '\./ops/redis-durable:/usr/local/bin/redis-durable' docker-compose.yml || fail "redis-durable not mounted"
[ "$(compose_get redis 'svc.get("ports", "none")')" = none ] || fail "Redis is published beyond its network"
shift
args=("${@//\/data/$T/redis-data}")
mkdir -p "$T/redis-data"
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$CCHC_SRC/ops/redis-durable" "${args[@]}" --port "$port" --bind 127.0.0.1 --unixsocket "$T/r.sock" \
    >"$T/redis.log" 2>&1 &
CCHC_PIDS+=("$!")
# Its healthcheck, as compose runs it (a shell; $$ is compose's escape for $).
health=$(compose_get redis 'svc["healthcheck"]["test"][1]')
health=${health//\$\$/\$}
health=${health/redis-cli /redis-cli -p $port } # in its container, Redis is on 6379
wait_for 20 sh -c "$health"
admin() { REDISCLI_AUTH=$(cat "$T/secrets/redis-admin.pw") redis-cli -s "$T/r.sock" --user admin "$@"; }
[ "$(admin CONFIG GET appendfsync | tail -n 1)" = always ] || fail "appendfsync is not always"
[[ $(redis-cli -s "$T/r.sock" PING 2>&1) == *NOAUTH* ]] || fail "Redis answers a client without a user"
out=$(REDISCLI_AUTH=$(cat "$T/secrets/redis-reader.pw") redis-cli -s "$T/r.sock" --user reader \
    HSET cchc:v1:pos stamp 9 2>&1 || true)
[[ $out == *NOPERM* ]] || fail "the reader wrote: $out"

# The aggregator with compose's environment (the host redis is this port):
# it authenticates and writes the registry.
env_url=$(compose_get aggregator 'svc["environment"]["CCHC_REDIS_URL"]')
env_url=${env_url/redis:6379/127.0.0.1:$port}
agg_cmd=$(compose_get aggregator 'svc["command"]')
eval "set -- $agg_cmd"
CCHC_REDIS_URL=$env_url "$CCHC_BIN/$1" "${@:2}" >"$T/aggregator.log" 2>&1 &
CCHC_PIDS+=("$!")
wait_for 20 sh -c "[ \"\$(REDISCLI_AUTH=\$(cat '$T/secrets/redis-admin.pw') redis-cli -s '$T/r.sock' --user admin SCARD cchc:v1:units)\" -gt 0 ]"
echo "compose: ok ($n cchc commands, redis with its users, the aggregator as its user)"
