#!/usr/bin/env bash
# docker-compose.yml is valid (checked offline: no Docker engine runs here), and
# every cchc command in it is accepted by the binary it names: the same
# binaries, flags and all, run locally with --help appended. Every cchc
# daemon has a healthcheck on its own /healthz, run here against the same
# command run locally; what waits for a service waits for it healthy; the
# image runs as a user that is not root; Prometheus scrapes every daemon.
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

# Healthchecks and dependencies, and Prometheus's targets.
/usr/bin/python3 - docker-compose.yml ops/prometheus.yml <<'PY' || fail "healthchecks or dependencies"
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
prom = yaml.safe_load(open(sys.argv[2]))
svcs = doc["services"]
daemons = {}
for name, svc in svcs.items():
    cmd = [str(c) for c in svc.get("command") or []]
    if cmd and cmd[0].startswith("cchc-") and "--listen" in cmd:
        port = cmd[cmd.index("--listen") + 1].rsplit(":", 1)[1]
        daemons[name] = port
        test = svc.get("healthcheck", {}).get("test")
        assert test == ["CMD", "curl", "-sf", "-o", "/dev/null",
                        f"http://127.0.0.1:{port}/healthz"], (name, test)
assert sorted(daemons) == ["aggregator", "dossier", "egov", "finance", "staffing", "web"], daemons
for name, svc in svcs.items():
    for dep, cond in (svc.get("depends_on") or {}).items():
        want = "service_healthy" if "healthcheck" in svcs[dep] else "service_started"
        assert cond["condition"] == want or (dep == "aggregator" and name == "prometheus"), \
            (name, dep, cond)
targets = sorted(t for job in prom["scrape_configs"] for sc in job["static_configs"]
                 for t in sc["targets"])
assert targets == sorted(f"{n}:{p}" for n, p in daemons.items()), targets
assert "./ops/prometheus.yml:/etc/prometheus/prometheus.yml:ro" in svcs["prometheus"]["volumes"]
PY
promtool check config ops/prometheus.yml >/dev/null || fail "promtool check config ops/prometheus.yml"
user=$(awk '$1 == "USER" { u = $2 } END { print u }' ops/Dockerfile)
[ -n "$user" ] && [ "$user" != root ] && [ "$user" != 0 ] || fail "the image runs as root (USER '$user')"
grep -q "useradd --system --uid 10001 .* $user" ops/Dockerfile || fail "no user $user made in the image"
healthcheck_of() { # SERVICE PORT: its healthcheck's command, for a daemon run here on PORT
    compose_get "$1" 'svc["healthcheck"]["test"][1:]' | sed "s|127.0.0.1:[0-9]*/healthz|127.0.0.1:$2/healthz|"
}

# Redis's command, the script it mounts from ops/, run here on a scratch
# folder for /data, a local port for the network, and the files of
# ops/redis-users for /run/secrets (as compose's secrets: section maps them).
"$CCHC_SRC/ops/redis-users" "$T/secrets"
secret_map=$(/usr/bin/python3 - docker-compose.yml "$T" <<'PY'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
for name, sec in doc["secrets"].items():
    f = sec["file"]
    assert f.startswith("./var/secrets/"), f
    print(f"s|/run/secrets/{name}|{sys.argv[2]}/secrets/{f[len('./var/secrets/'):]}|g;")
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
    HSET cchc:v2:pos stamp 9 2>&1 || true)
[[ $out == *NOPERM* ]] || fail "the reader wrote: $out"

# The bus keys as the compose file's header makes them, where its secrets:
# section points (var/secrets/ is $T/secrets here). Each bus program gets
# the public keys and its own secret, and no other program's.
"$CCHC_SRC/ops/new-bus-key" --keys-file "$T/secrets/bus.keys" --secrets-dir "$T/secrets/bus" 2>/dev/null
/usr/bin/python3 - docker-compose.yml <<'PY' || fail "a bus program's secrets are not its own"
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
for name in ["dossier", "staffing", "finance", "egov", "aggregator"]:
    svc = doc["services"][name]
    bus = sorted(s for s in svc.get("secrets", []) if s.startswith("bus_"))
    assert bus == ["bus_keys", "bus_secret_" + name], (name, bus)
    assert doc["secrets"]["bus_secret_" + name]["file"] == f"./var/secrets/bus/{name}.secret", name
    cmd = [str(c) for c in svc["command"]]
    assert cmd[cmd.index("--bus-secret") + 1] == "/run/secrets/bus_secret_" + name, name
    assert cmd[cmd.index("--bus-keys") + 1] == "/run/secrets/bus_keys", name
for name, svc in doc["services"].items():
    if name not in ["dossier", "staffing", "finance", "egov", "aggregator"]:
        assert not any(s.startswith("bus_") for s in svc.get("secrets", [])), name
PY

# The aggregator with compose's environment (the host redis is this port):
# it authenticates and writes the registry.
env_url=$(compose_get aggregator 'svc["environment"]["CCHC_REDIS_URL"]')
env_url=${env_url/redis:6379/127.0.0.1:$port}
agg_cmd=$(compose_get aggregator 'svc["command"]')
eval "set -- $agg_cmd"
CCHC_REDIS_URL=$env_url "$CCHC_BIN/$1" "${@:2}" >"$T/aggregator.log" 2>&1 &
CCHC_PIDS+=("$!")
wait_for 20 sh -c "[ \"\$(REDISCLI_AUTH=\$(cat '$T/secrets/redis-admin.pw') redis-cli -s '$T/r.sock' --user admin SCARD cchc:v2:units)\" -gt 0 ]"
# Its healthcheck reaches it (200 with Redis reachable, or 503: curl -f
# exits 22); refused (7) would mean a wrong port.
hc=$(healthcheck_of aggregator 8090)
rc=0
eval "$hc" || rc=$?
[ "$rc" = 0 ] || [ "$rc" = 22 ] || fail "the aggregator's healthcheck: exit $rc: $hc"

# The page with compose's environment: it reads Redis as the reader and its
# healthcheck finds it ready; it has the reader's secret only.
[ "$(compose_get web 'svc["secrets"]')" = redis_reader_pw ] || fail "the page's secrets: $(compose_get web 'svc["secrets"]')"
web_url=$(compose_get web 'svc["environment"]["CCHC_REDIS_URL"]')
[[ $web_url == *user=reader* ]] || fail "the page reads Redis as $web_url, not the reader"
web_url=${web_url/redis:6379/127.0.0.1:$port}
web_cmd=$(compose_get web 'svc["command"]')
eval "set -- $web_cmd"
wport=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
CCHC_REDIS_URL=$web_url "$CCHC_BIN/$1" "${@:2}" --listen "127.0.0.1:$wport" >"$T/web.log" 2>&1 &
CCHC_PIDS+=("$!")
hc=$(healthcheck_of web "$wport")
wait_for 20 sh -c "$hc"

# ---- credentials: each service's command line, run here with the compose
# file's secrets made as its header says (ops/new-source), refuses records
# without a token and takes them with the importer's. /run/secrets/NAME is
# the secret's file; the listen, data and bus addresses are moved to $T.
mkdir -p "$T/secrets"
"$CCHC_SRC/ops/new-source" importer 'dossier.*,staffing.*,finance.*,egov.*' '*' \
    "$T/secrets/import.token" "$T/secrets/sources" 2>/dev/null
python3 - docker-compose.yml "$T/secrets" >"$T/secret-commands" <<'PY'
import sys, yaml, shlex
doc = yaml.safe_load(open(sys.argv[1]))
files = {k: v["file"].replace("./var/secrets", sys.argv[2]) for k, v in doc["secrets"].items()}
for name in ["dossier", "staffing", "finance", "egov"]:
    svc = doc["services"][name]
    assert "cchc-sources" in svc.get("secrets", []), name + " has no sources secret"
    cmd = [str(c) for c in svc["command"]]
    for k, f in files.items():
        cmd = [c.replace("/run/secrets/" + k, f) for c in cmd]
    print(name, shlex.join(cmd))
imp = doc["services"]["import"]
assert imp["environment"]["CCHC_TOKEN_FILE"] == "/run/secrets/cchc-import-token"
assert "cchc-import-token" in imp["secrets"]
PY
auth=$(printf 'Authorization: Bearer %s' "$(cat "$T/secrets/import.token")")
while read -r name line; do
    eval "set -- $line"
    args=("${@:2}")
    for i in "${!args[@]}"; do
        case "${args[$i]}" in
        --listen) args[$((i + 1))]=127.0.0.1:0 ;;
        --data) args[$((i + 1))]="$T/c-$name" ;;
        --pub) args[$((i + 1))]="ipc://$T/c-$name.pub" ;;
        --replay) args[$((i + 1))]="ipc://$T/c-$name.replay" ;;
        esac
    done
    # Without the sources file the command refuses to start.
    no_src=() skip=0
    for a in "${args[@]}"; do
        if [ "$a" = --sources ]; then skip=1; elif [ $skip = 1 ]; then skip=0; else no_src+=("$a"); fi
    done
    if CCHC_SOURCES_FILE= "$CCHC_BIN/$1" "${no_src[@]}" --port-file "$T/c-$name.port0" >"$T/c-$name.nosrc.log" 2>&1; then
        fail "$name started without a sources file"
    fi
    grep -q 'no sources file' "$T/c-$name.nosrc.log" || fail "$name: no reason given without sources: $(cat "$T/c-$name.nosrc.log")"
    start "c-$name" env -u CCHC_SOURCES_FILE "$CCHC_BIN/$1" "${args[@]}" --port-file "$T/c-$name.port"
    wait_for 20 test -s "$T/c-$name.port"
    url="http://127.0.0.1:$(cat "$T/c-$name.port")/v1/records"
    code=$(curl -s -o "$T/c-$name.401" -w '%{http_code}' --data-binary '{}' "$url")
    [ "$code" = 401 ] || fail "$name: no token: HTTP $code, want 401"
    curl -sf -H "$auth" --data-binary '{}' "$url" >"$T/c-$name.200" || fail "$name: refused the importer's token"
    [ "$(jq .rejected "$T/c-$name.200")" = 1 ] || fail "$name: with the token: $(cat "$T/c-$name.200")"
    hc=$(healthcheck_of "$name" "$(cat "$T/c-$name.port")")
    eval "$hc" || fail "$name: its healthcheck fails against it: $hc"
    n=$((n + 1))
done <"$T/secret-commands"
# The importer's token through cchc-import, to the dossier command.
durl="http://127.0.0.1:$(cat "$T/c-dossier.port")/v1/records"
printf '{"id":"c1","type":"survey","unit":"kg.rachgia","at":"2022-03-01T08:30:00+07:00","satisfied":true}\n' >"$T/one.ndjson"
CCHC_TOKEN_FILE="$T/secrets/import.token" cchc-import --url "$durl" "$T/one.ndjson" >"$T/imp.out" 2>&1 || fail "import: $(cat "$T/imp.out")"
grep -q 'accepted 1' "$T/imp.out" || fail "import: $(cat "$T/imp.out")"
if CCHC_TOKEN_FILE= cchc-import --url "$durl" "$T/one.ndjson" >"$T/imp2.out" 2>&1; then fail "import without a token succeeded"; fi
echo "compose: ok ($n cchc commands; redis with its users, the aggregator as its user; records refused without a token, taken with one)"
