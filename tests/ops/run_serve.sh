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
# The banner's last line: the whole of it is printed.
wait_for 300 grep -q "the forms, any unit and window" "$T/err" ||
    fail "no serve banner: $(tail -5 "$T/err")"
grep -q "ops/run --serve: the pipeline runs until Ctrl-C" "$T/err" || fail "no serve banner: $(cat "$T/err")"
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
[ "$n" = 6 ] || fail "$n metrics URLs printed, want 6: $(cat "$T/err")"
# The page's URL, printed: the page, and the city's form 3 of 2022 it shows.
page=$(grep -oE 'http://127\.0\.0\.1:[0-9]+/\?unit=kg\.rachgia&from=2021-12-15&to=2022-11-30' "$T/err") ||
    fail "no page URL printed: $(cat "$T/err")"
curl -sf "$page" >"$T/page.html" && grep -q '<script src="/app.js"' "$T/page.html" || fail "$page: not the page"
curl -sf "${page%%/\?*}/v1/forms?${page#*\?}&form=3" >"$T/form3.json" || fail "the page's forms"
[ "$(jq '.forms[0].rows[] | select(.code == "3.2.1") | .text' "$T/form3.json")" = '"45.148"' ] ||
    fail "the page's form 3: $(head -c 300 "$T/form3.json")"
records=$(grep -oE 'dossier +POST http://127\.0\.0\.1:[0-9]+/v1/records' "$T/err" | grep -oE 'http://[^ ]+')
printf '{"id":"serve-1","type":"survey","unit":"kg.rachgia","at":"2022-03-01T08:30:00+07:00","satisfied":true}\n' |
    curl -sf -H "Authorization: Bearer $token" --data-binary @- "$records" | jq -e '.accepted == 1' >/dev/null ||
    fail "the printed endpoint and credential do not take a record"
kill -INT -- "-$pid"
wait_for 30 sh -c "! kill -0 $pid 2>/dev/null" || fail "ops/run did not stop on SIGINT"
! pgrep -f "$T/run" >/dev/null || fail "processes left: $(pgrep -af "$T/run")"
echo "run_serve: ok: forms printed, the page serves them, 6 metrics URLs answer, a record taken, stopped on SIGINT"
