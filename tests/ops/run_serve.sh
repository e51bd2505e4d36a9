#!/usr/bin/env bash
# ops/run --serve, as a newcomer runs it: the forms of the 2022 scenario
# printed, then the pipeline kept running with what to post where, the
# development credential, and every daemon's metrics and health URLs, all
# of which answer; Ctrl-C (SIGINT) stops every process it started.
. "$CCHC_SRC/tests/lib.sh"
export CCHC_RUN_DIR="$T/run" CCHC_BUILD_DIR
CCHC_BUILD_DIR=$(dirname "$CCHC_BIN")
unset CCHC_BUS_KEYS CCHC_SOURCES_FILE CCHC_TOKEN_FILE CCHC_REDIS_URL
setsid "$CCHC_SRC/ops/run" --serve >"$T/out" 2>"$T/err" &
pid=$!
CCHC_PIDS+=("$pid")
wait_for 300 grep -q "ops/run --serve: the pipeline runs until Ctrl-C" "$T/err" ||
    fail "no serve banner: $(tail -5 "$T/err")"
grep -q "45.148" "$T/out" && grep -q "93,56" "$T/out" || fail "the forms were not printed: $(head "$T/out")"
token=$(cat "$T/run/dev.token")
grep -q "Authorization: Bearer $token" "$T/err" || fail "no credential printed"
n=0
for url in $(grep -oE 'http://127\.0\.0\.1:[0-9]+/metrics' "$T/err"); do
    curl -sf "$url" >"$T/metrics" || fail "$url: no answer"
    grep -q '^cchc_' "$T/metrics" || fail "$url: no metrics" # (not curl | grep -q: pipefail)
    curl -sf "${url%/metrics}/healthz" | jq -e .ready >/dev/null || fail "${url%/metrics}/healthz"
    n=$((n + 1))
done
[ "$n" = 5 ] || fail "$n metrics URLs printed, want 5: $(cat "$T/err")"
records=$(grep -oE 'dossier +POST http://127\.0\.0\.1:[0-9]+/v1/records' "$T/err" | grep -oE 'http://[^ ]+')
printf '{"id":"serve-1","type":"survey","unit":"kg.rachgia","at":"2022-03-01T08:30:00+07:00","satisfied":true}\n' |
    curl -sf -H "Authorization: Bearer $token" --data-binary @- "$records" | jq -e '.accepted == 1' >/dev/null ||
    fail "the printed endpoint and credential do not take a record"
kill -INT -- "-$pid"
wait_for 30 sh -c "! kill -0 $pid 2>/dev/null" || fail "ops/run did not stop on SIGINT"
! pgrep -f "$T/run" >/dev/null || fail "processes left: $(pgrep -af "$T/run")"
echo "run_serve: ok: forms printed, 5 metrics URLs answer, a record taken, stopped on SIGINT"
