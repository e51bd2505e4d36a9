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
    n=$((n + 1))
done <"$T/secret-commands"
# The importer's token through cchc-import, to the dossier command.
durl="http://127.0.0.1:$(cat "$T/c-dossier.port")/v1/records"
printf '{"id":"c1","type":"survey","unit":"kg.rachgia","at":"2022-03-01T08:30:00+07:00","satisfied":true}\n' >"$T/one.ndjson"
CCHC_TOKEN_FILE="$T/secrets/import.token" cchc-import --url "$durl" "$T/one.ndjson" >"$T/imp.out" 2>&1 || fail "import: $(cat "$T/imp.out")"
grep -q 'accepted 1' "$T/imp.out" || fail "import: $(cat "$T/imp.out")"
if CCHC_TOKEN_FILE= cchc-import --url "$durl" "$T/one.ndjson" >"$T/imp2.out" 2>&1; then fail "import without a token succeeded"; fi
echo "compose: ok ($n cchc commands, and redis; records refused without a token, taken with one)"
