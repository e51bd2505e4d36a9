#!/usr/bin/env bash
# The Grafana dashboard of docker-compose's grafana profile
# (ops/grafana/dashboards/cchc.json), panel by panel, against a Redis filled
# by the 2022 scenario: each panel's query, run as the Redis data source
# runs it (HGET, HGETALL, ZRANGE ... WITHSCORES) with the reader user,
# returns the figures cchc-report prints for the same unit and period.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/e2e/rachgia_expect.sh"
replay_rachgia_2022
sleep 1.2

# Each panel's command, as the data source builds it from the target.
/usr/bin/python3 - "$CCHC_SRC/ops/grafana/dashboards/cchc.json" >"$T/queries" <<'PY'
import json, shlex, sys
d = json.load(open(sys.argv[1]))
for p in d["panels"]:
    for t in p["targets"]:
        assert t["datasource"]["uid"] == "cchc-redis" and t["type"] == "command", p["title"]
        c = t["command"]
        if c == "hget":
            cmd = ["HGET", t["keyName"], t["field"]]
        elif c == "hgetall":
            cmd = ["HGETALL", t["keyName"]]
        elif c == "zrange":
            assert not t.get("zrangeQuery"), p["title"]
            cmd = ["ZRANGE", t["keyName"], t["min"], t["max"], "WITHSCORES"]
        else:
            raise SystemExit("panel %r: command %s is not one the dashboard may use" % (p["title"], c))
        print(p["id"], shlex.join(cmd))
PY
[ "$(wc -l <"$T/queries")" = 7 ] || fail "panels: $(cat "$T/queries")"
run() { # ID: the panel's query, as the reader
    local line
    line=$(awk -v id="$1" '$1 == id { $1 = ""; print substr($0, 2) }' "$T/queries")
    eval "rcli_as reader $line"
}
rep() { # UNIT ROW: form 3 for the official year 2022
    CCHC_REDIS_URL=$READER_URL cchc-report --unit "$1" --period 2022 --form 3 --format json >"$T/r.json"
    json_row "$T/r.json" "$2"
}
same() { # GOT WANT WHAT
    awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 == b + 0 && a != "") }' || fail "$3: panel $1, report $2"
}
same "$(run 1)" "$(rep kg.rachgia 3.2.1)" "district resolved"
same "$(run 2)" "$(rep kg.rachgia 3.2)" "district on-time rate"
same "$(run 3)" "$(rep kg.rachgia 3.3.1)" "commune resolved"
same "$(run 4)" "$(rep kg.rachgia 3.3)" "commune on-time rate"
[ "$(run 2)" = "$(rep kg.rachgia 3.2)" ] || fail "the rate's text: panel $(run 2), report $(rep kg.rachgia 3.2)"
# The rankings: every ward, with its own report's rate and dossiers received.
n=0
while read -r ward score; do
    same "$score" "$(rep "$ward" 3.3)" "$ward on-time rate"
    n=$((n + 1))
done < <(run 5 | paste - -)
[ "$n" = 12 ] || fail "ranked $n wards, want 12"
while read -r ward score; do
    same "$score" "$(rep "$ward" 3.3.new)" "$ward received"
done < <(run 6 | paste - -)
# The table: the city's hash, whose totals are the report's levels added.
run 7 | paste - - >"$T/table"
field() { awk -v f="$1" '$1 == f { print $2 }' "$T/table"; }
same "$(field resolved)" $(($(rep kg.rachgia 3.2.1) + $(rep kg.rachgia 3.3.1))) "resolved in the table"
same "$(field received)" $(($(rep kg.rachgia 3.2.new) + $(rep kg.rachgia 3.3.new))) "received in the table"
same "$(field feedback_received)" "$(rep kg.rachgia 3.4.1)" "feedback in the table"
# The compose profile provisions exactly these files, and the reader's password.
/usr/bin/python3 - "$CCHC_SRC/docker-compose.yml" <<'PY' || fail "the grafana service"
import sys, yaml
g = yaml.safe_load(open(sys.argv[1]))["services"]["grafana"]
assert g["profiles"] == ["grafana"], g
assert "./ops/grafana/provisioning:/etc/grafana/provisioning:ro" in g["volumes"], g["volumes"]
assert "./ops/grafana/dashboards:/var/lib/grafana/dashboards:ro" in g["volumes"], g["volumes"]
assert g["secrets"] == ["redis_reader_pw"], g["secrets"]
assert "redis-datasource" in g["environment"]["GF_INSTALL_PLUGINS"], g
PY
grep -q 'password: $__file{/run/secrets/redis_reader_pw}' "$CCHC_SRC/ops/grafana/provisioning/datasources/redis.yml" ||
    fail "the data source does not read the reader's password secret"
echo "grafana: ok: 7 panels, 12 wards ranked, as cchc-report prints them"
