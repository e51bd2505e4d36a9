#!/usr/bin/env bash
# The page people look at, in headless Chromium, after a replay of
# rachgia-2022 under the registry of 2025 (the city until 30 June 2025, the
# new An Giang after): the unit picker shows today's tree, and the city's
# once the window is 2022; a person picks the city and the report's window
# and opens form 3 (45.148, 42.241, 93,56 and the report's slip on 12,84),
# the ranking is drawn, the XLSX download holds the numbers of cchc-report,
# English labels are there, today's counts of the new province move by
# themselves when a record arrives, and the page asks nothing of any origin
# but its own. Screenshots go to ARTIFACTS (tests/web/CMakeLists.txt).
# Usage: page.sh PLAYWRIGHT_CORE_DIR ARTIFACTS_DIR
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/e2e/rachgia_expect.sh"
PLAYWRIGHT=${1:?playwright-core folder}
ARTIFACTS=${2:?artifacts folder}
[ -d "$PLAYWRIGHT" ] || fail "no playwright-core at $PLAYWRIGHT (built with services/tools/web)"
mkdir -p "$ARTIFACTS"
export CCHC_UNITS="$CCHC_SRC/ops/units/angiang-2025.tsv"

replay_rachgia_2022

# The page reads Redis as the reader, as every dashboard does. Its today is
# fixed at the test's start, so that a run across midnight (UTC+7) still
# finds today's record under today.
TODAY=$(date -u -d '+7 hours' +%Y-%m-%d)
start web cchc-web --listen 127.0.0.1:0 --port-file "$T/web.port" --redis "$READER_URL" --today "$TODAY"
wait_for 20 test -s "$T/web.port"
WEB="http://127.0.0.1:$(cat "$T/web.port")"
wait_for 20 curl -sf "$WEB/healthz"

# What cchc-report prints, for the download to be compared with.
CCHC_REDIS_URL=$READER_URL cchc-report --unit kg.rachgia --from $FROM --to $TO --form 3 \
    --format json >"$T/form3.json"
expect "$T/form3.json" 3.2.1 45148
expect "$T/form3.json" 3.2.2 42241
expect "$T/form3.json" 3.2 93.56
curl -sf "$WEB/v1/charts?unit=kg.rachgia&from=$FROM&to=$TO" >"$T/charts.json"
wards=$(jq '[.ranking[] | select(.on_time_pct != null)] | length' "$T/charts.json")
[ "$wards" -ge 10 ] || fail "ranking: $wards units with a rate, want the city's wards: $(cat "$T/charts.json")"
# The ranking is cchc-report's figures of each ward (a ward's dossiers are
# its commune-level rows), in order of rate, then dossiers resolved.
for u in $(jq -r '.ranking[].unit' "$T/charts.json"); do
    CCHC_REDIS_URL=$READER_URL cchc-report --unit "$u" --from $FROM --to $TO --form 3 --format json |
        jq -c --arg u "$u" '{unit: $u, resolved: .rows["3.3.1"], on_time: .rows["3.3.2"], pct: .rows["3.3"]}'
done >"$T/ranking-report.json"
/usr/bin/python3 - "$T/charts.json" "$T/ranking-report.json" "$T/form3-rates" <<'PY' || fail "the ranking differs from cchc-report"
import json, sys
charts = json.load(open(sys.argv[1]))
report = {r["unit"]: r for r in map(json.loads, open(sys.argv[2]))}
prev = None
for r in charts["ranking"]:
    want = report[r["unit"]]
    assert (r["resolved"], r["on_time"]) == (want["resolved"], want["on_time"]), (r, want)
    # The rate as the form prints it (two decimals: the same double parsed).
    pct = None if r["on_time_pct"] is None else float(r["on_time_pct"])
    assert pct == want["pct"], (r, want)
    key = (-1 if pct is None else pct, r["resolved"])
    assert prev is None or key <= prev, ("out of order", r)
    prev = key
PY
# The months are official ones (15th to 14th): the first is 15/12/2021 -
# 14/01/2022; 2022-05 holds what cchc-report --period 2022-05 counts.
[ "$(jq -c '.months[0] | [.month, .from, .to]' "$T/charts.json")" = '["2022-01","2021-12-15","2022-01-14"]' ] ||
    fail "first month: $(jq -c '.months[0]' "$T/charts.json")"
CCHC_REDIS_URL=$READER_URL cchc-report --unit kg.rachgia --period 2022-05 --form 3 --format json >"$T/may.json"
may_received=$(jq '.rows["3.2.new"] + .rows["3.3.new"]' "$T/may.json")
may_resolved=$(jq '.rows["3.2.1"] + .rows["3.3.1"]' "$T/may.json")
[ "$(jq -c '.months[] | select(.month == "2022-05") | [.received, .resolved]' "$T/charts.json")" = "[$may_received,$may_resolved]" ] ||
    fail "2022-05: $(jq -c '.months[] | select(.month == "2022-05")' "$T/charts.json"), cchc-report: $may_received received, $may_resolved resolved"
[ "$may_received" -gt 0 ] || fail "2022-05 received nothing: the check proves nothing"
# Today's units: phường Rạch Giá as of 2025-12-14 holds its predecessors'
# history, as cchc-report --as-of gives it.
want=$(CCHC_REDIS_URL=$READER_URL cchc-report --unit ag.p-rach-gia --from $FROM --to $TO --as-of 2025-12-14 \
    --form 3 --format json | jq '.rows["3.3.1"]')
got=$(curl -sf "$WEB/v1/forms?unit=ag.p-rach-gia&from=$FROM&to=$TO&as_of=2025-12-14&form=3" |
    jq '.forms[0].rows[] | select(.code == "3.3.1") | .value')
[ "$got" = "$want" ] && [ "$want" -gt 0 ] || fail "as of 2025-12-14, ag.p-rach-gia 3.3.1: the page $got, cchc-report $want"
# Only its own origin, told to the browser.
curl -sf -D "$T/page.headers" -o /dev/null "$WEB/"
grep -qi "^content-security-policy: default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'" "$T/page.headers" ||
    fail "the page's CSP: $(cat "$T/page.headers")"

WEB=$WEB DOSSIER_URL=$DOSSIER_URL TOKEN=$(cat "$T/test.token") OUT=$T ARTIFACTS=$ARTIFACTS \
    CHARTS="$T/charts.json" TODAY=$TODAY PLAYWRIGHT=$PLAYWRIGHT node "$CCHC_SRC/tests/web/page.cjs" ||
    fail "the page (screenshots in $ARTIFACTS)"

# The download holds what cchc-report prints, row by row (an .xlsx read back
# with the standard library).
python3 "$CCHC_SRC/tests/report/xlsx_check.py" "$T/download.xlsx" "$T/form3.json" ||
    fail "the page's XLSX differs from cchc-report's form 3"
grep -q $'^3,3.2.1,.*,45148\r$' "$T/download.csv" && grep -q $'^3,3.2,.*,93.56\r$' "$T/download.csv" ||
    fail "the page's CSV: $(head -3 "$T/download.csv")"

# Bad parameters are refused, naming the parameter; nothing writes.
code=$(curl -s -o "$T/bad.json" -w '%{http_code}' "$WEB/v1/forms?unit=kg.rachgia&from=2022-02-30&to=$TO")
[ "$code" = 400 ] && grep -q '"from' "$T/bad.json" || fail "bad from: $code $(cat "$T/bad.json")"
code=$(curl -s -o "$T/bad.json" -w '%{http_code}' -X POST "$WEB/v1/forms")
[ "$code" = 405 ] || fail "POST: $code $(cat "$T/bad.json")"
code=$(curl -s -o "$T/bad.json" -w '%{http_code}' "$WEB/v1/forms?unit=kg.nowhere&period=2022")
[ "$code" = 404 ] || fail "unknown unit: $code $(cat "$T/bad.json")"
curl -sf "$WEB/metrics" >"$T/web.metrics"
promtool check metrics <"$T/web.metrics" || fail "promtool check metrics on the page's /metrics"
grep -q '^cchc_requests_total{service="web",path="/v1/forms"} [1-9]' "$T/web.metrics" ||
    fail "metrics: $(grep requests_total "$T/web.metrics")"
echo "web_page: ok (screenshots in $ARTIFACTS)"
