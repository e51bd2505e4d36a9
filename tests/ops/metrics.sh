#!/usr/bin/env bash
# GET /metrics of every daemon of a running pipeline, as a real Prometheus
# sees it: records from two sources (accepted, sent again, rejected for a
# field and for their scope, and DVCQG records at cchc-dossier's
# /v1/dvcqg); each daemon's text checked by promtool; then a Prometheus
# (Debian's) on a free port scrapes the services, the aggregator and the
# page (cchc-web), and
# its HTTP API gives back the records the test sent, the events the
# aggregator applied and its lag per publisher: 0, once caught up.
. "$CCHC_SRC/tests/lib.sh"
command -v prometheus >/dev/null && command -v promtool >/dev/null ||
    fail "prometheus and promtool are needed (ops/install-deps installs them)"

new_source ward 'dossier.*' 'kg.rachgia.p-an-binh'
start_redis
start_dossier
start_service staffing
start_aggregator
rec() { # ID UNIT
    printf '{"id":"%s","type":"received","unit":"%s","at":"2022-03-01T08:00:00+07:00","dossier":"D-%s","procedure":"1.004227","field":"f","channel":"online","due":"2022-03-05T17:00:00+07:00"}\n' "$1" "$2" "$1"
}
{ rec a1 kg.rachgia.p-an-binh; rec a2 kg.rachgia.p-vinh-loi; rec a3 kg.rachgia; } | post "$DOSSIER_URL" >/dev/null
{ rec a1 kg.rachgia.p-an-binh; echo '{"id":"bad","type":"received"}'; } | post "$DOSSIER_URL" >/dev/null
# The ward's system: one of its own, one outside its scope.
{ rec w1 kg.rachgia.p-an-binh; rec w2 kg.rachgia.p-vinh-loi; } |
    curl -sf -X POST -H @"$T/ward.header" --data-binary @- "$DOSSIER_URL" >/dev/null
echo '{"service":"DongBoHoSoMC","madonvi":"x","data":[{"MaHoSo":"Q1","TrangThaiHoSo":"1","NgayTiepNhan":"20220301080000"}]}' |
    curl -sf -X POST -H @"$T/auth.header" --data-binary @- "$DOSSIER_BASE/v1/dvcqg" >/dev/null
curl -s -o /dev/null "$DOSSIER_URL" # a GET: 404, no credential needed for it
curl -s -o /dev/null -X POST --data-binary x "$DOSSIER_URL" # no credential: 401

wait_caught_up 30
AGGREGATOR_BASE=$AGG_HTTP
# The page, as the reader: a daemon too.
start web cchc-web --listen 127.0.0.1:0 --port-file "$T/web.port" --redis "$READER_URL"
wait_for 20 test -s "$T/web.port"
WEB_BASE="http://127.0.0.1:$(cat "$T/web.port")"
wait_for 20 curl -sf "$WEB_BASE/healthz"
curl -sf -o /dev/null "$WEB_BASE/v1/forms?unit=kg.rachgia&period=2022-03"
# /healthz tells liveness from readiness; /livez is liveness alone.
for s in dossier aggregator web; do
    base="${s^^}_BASE"
    [ "$(curl -sf "${!base}/healthz" | jq -c '[.live, .ready]')" = '[true,true]' ] ||
        fail "$s /healthz: $(curl -s "${!base}/healthz")"
    [ "$(curl -s -o /dev/null -w '%{http_code}' "${!base}/livez")" = 200 ] || fail "$s /livez"
done
for s in dossier staffing aggregator web; do
    base="${s^^}_BASE"
    curl -sf -D "$T/$s.headers" "${!base}/metrics" >"$T/$s.metrics" || fail "GET /metrics of $s"
    grep -qi '^content-type: text/plain; version=0.0.4' "$T/$s.headers" || fail "$s: $(cat "$T/$s.headers")"
    promtool check metrics <"$T/$s.metrics" >"$T/$s.promtool" 2>&1 ||
        fail "promtool check metrics, $s: $(cat "$T/$s.promtool")"
done
m() { # FILE SERIES: its value
    awk -v s="$2" '$1 == s { print $2; found = 1 } END { if (!found) print "absent" }' "$1"
}
want() { # FILE SERIES VALUE
    [ "$(m "$1" "$2")" = "$3" ] || fail "$2: $(m "$1" "$2"), want $3"
}
D="$T/dossier.metrics"
want "$D" 'cchc_records_total{service="dossier",source="test",result="accepted"}' 3
want "$D" 'cchc_records_total{service="dossier",source="test",result="duplicate"}' 1
want "$D" 'cchc_records_total{service="dossier",source="test",result="rejected"}' 2
want "$D" 'cchc_records_rejected_total{service="dossier",source="test",reason="field"}' 2
want "$D" 'cchc_records_total{service="dossier",source="ward",result="accepted"}' 1
want "$D" 'cchc_records_rejected_total{service="dossier",source="ward",reason="scope"}' 1
want "$D" 'cchc_http_refused_total{service="dossier",reason="unauthorized"}' 1
want "$D" 'cchc_requests_total{service="dossier"}' 4
want "$D" 'cchc_http_request_duration_seconds_count{service="dossier",path="/v1/records"}' 3
want "$D" 'cchc_http_request_duration_seconds_count{service="dossier",path="/v1/dvcqg"}' 1
[ "$(m "$D" 'cchc_journal_fsync_duration_seconds_count{service="dossier"}')" -ge 1 ] || fail "no fsync observed"
[ "$(m "$D" 'cchc_journal_bytes{service="dossier"}')" -gt 0 ] || fail "journal bytes"
want "$D" 'cchc_events_published_total{service="dossier"}' 4
want "$T/staffing.metrics" 'cchc_requests_total{service="staffing"}' 0
A="$T/aggregator.metrics"
want "$A" 'cchc_aggregator_events_applied_total{service="aggregator"}' 4
want "$A" 'cchc_aggregator_redis_up{service="aggregator"}' 1
want "$A" 'cchc_aggregator_lag_events{service="aggregator",publisher="dossier"}' 0
want "$A" 'cchc_aggregator_lag_seconds{service="aggregator",publisher="dossier"}' 0
[ "$(m "$A" 'cchc_aggregator_flush_duration_seconds_count{service="aggregator"}')" -ge 1 ] || fail "no flush observed"
want "$T/web.metrics" 'cchc_requests_total{service="web",path="/v1/forms"}' 1
want "$T/web.metrics" 'cchc_http_request_duration_seconds_count{service="web",path="/v1/forms"}' 1
want "$T/web.metrics" 'cchc_redis_errors_total{service="web"}' 0

# A Prometheus of its own, on a free port, scraping both services every second.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$T/prometheus.yml" <<EOF
global: {scrape_interval: 1s, evaluation_interval: 1s}
scrape_configs:
  - job_name: cchc
    static_configs:
      - targets: ['${DOSSIER_BASE#http://}', '${STAFFING_BASE#http://}', '${AGG_HTTP#http://}', '${WEB_BASE#http://}']
EOF
promtool check config "$T/prometheus.yml" >/dev/null || fail "promtool check config: $(promtool check config "$T/prometheus.yml" 2>&1)"
start prometheus prometheus --config.file="$T/prometheus.yml" --storage.tsdb.path="$T/tsdb" \
    --web.listen-address="127.0.0.1:$port"
P="http://127.0.0.1:$port"
query() { curl -sf --get --data-urlencode "query=$1" "$P/api/v1/query" | jq -r '.data.result[0].value[1] // "none"'; }
up_all() { [ "$(query 'sum(up{job="cchc"})')" = 4 ]; }
wait_for 60 up_all || fail "Prometheus does not see the four daemons up: $(curl -s "$P/api/v1/targets" | jq -c '[.data.activeTargets[] | {scrapeUrl, health, lastError}]')"
[ "$(query 'sum(cchc_records_total{result="accepted"})')" = 4 ] ||
    fail "Prometheus: accepted $(query 'sum(cchc_records_total{result="accepted"})'), the test sent 4"
[ "$(query 'sum(cchc_records_rejected_total{reason="scope"})')" = 1 ] || fail "Prometheus: scope rejections"
[ "$(query 'cchc_aggregator_events_applied_total')" = 4 ] ||
    fail "Prometheus: applied $(query 'cchc_aggregator_events_applied_total'), the dossier journaled 4"
[ "$(query 'max(cchc_aggregator_lag_events)')" = 0 ] || fail "Prometheus: lag $(query 'max(cchc_aggregator_lag_events)')"
[ "$(query 'sum(cchc_events_published_total) - sum(cchc_aggregator_events_applied_total)')" = 0 ] ||
    fail "Prometheus: published and applied differ"
echo "metrics: ok: promtool passes on every /metrics; Prometheus at $P scraped the services, the aggregator and the page"
