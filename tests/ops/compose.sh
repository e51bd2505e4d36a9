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
echo "compose: ok ($n commands)"
