#!/usr/bin/env bash
# Redis users: the aggregator writes as one user and cchc-report reads as
# another, each with its password in a file (none on a command line); a
# wrong password is refused, named, and never printed; the reader user
# cannot write.
. "$CCHC_SRC/tests/lib.sh"

printf 'agg-pass\n' >"$T/agg.pw"
printf 'read-pass\n' >"$T/reader.pw"
printf 'not-the-pass\n' >"$T/wrong.pw"
chmod 600 "$T"/*.pw
start_redis --user agg on '>agg-pass' '~cchc:*' '+@all' \
    --user reader on '>read-pass' '~cchc:*' '+@read' '+ping'
AGG_URL="unix://$REDIS_SOCK?user=agg&password_file=$T/agg.pw"
READ_URL="unix://$REDIS_SOCK?user=reader&password_file=$T/reader.pw"

start_dossier
start_aggregator --redis "$AGG_URL"
W=kg.rachgia.p-vinh-loi
curl -sf -H @"$T/auth.header" --data-binary @- "$DOSSIER_URL" >/dev/null <<JSON
{"id":"a1","type":"received","unit":"$W","at":"2022-05-02T08:00:00+07:00","dossier":"D1","procedure":"p","field":"f","channel":"direct","due":"2022-05-06T17:00:00+07:00"}
{"id":"a2","type":"resolved","unit":"$W","at":"2022-05-03T09:00:00+07:00","dossier":"D1","return_channel":"direct"}
JSON
wait_caught_up 60
grep -q 'connected to Redis\|started' "$T/aggregator.log" || fail "aggregator did not start"

# The reader reads the figures the writer wrote.
CCHC_REDIS_URL="$READ_URL" cchc-report --unit "$W" --period 2022 --form 3 --format json \
    >"$T/report.json" || fail "cchc-report as reader failed"
expect "$T/report.json" 3.3.1 1

# A wrong password: exit 1, the user named, the password nowhere.
if CCHC_REDIS_URL="unix://$REDIS_SOCK?user=reader&password_file=$T/wrong.pw" \
    cchc-report --unit "$W" --period 2022 --form 3 >/dev/null 2>"$T/wrong.err"; then
    fail "cchc-report with a wrong password succeeded"
fi
grep -q 'redis AUTH as reader: WRONGPASS' "$T/wrong.err" || fail "no AUTH error: $(cat "$T/wrong.err")"
! grep -q 'not-the-pass' "$T/wrong.err" || fail "the password was printed"
# A password in the URL is hidden in messages too.
if cchc-report --redis 'redis://reader:hunter2@127.0.0.1:0/0' --unit "$W" --period 2022 \
    >/dev/null 2>"$T/url.err"; then
    fail "a bad URL was taken"
fi
! grep -q hunter2 "$T/url.err" || fail "the password was printed: $(cat "$T/url.err")"

# The reader user cannot write, whatever it sends.
out=$(redis-cli -s "$REDIS_SOCK" --user reader --pass read-pass --no-auth-warning \
    HSET "cchc:v1:fig:$W:2022" received 99 2>&1)
[[ $out == *NOPERM* ]] || fail "the reader wrote: $out"
[ "$(rcli HGET "cchc:v1:fig:$W:2022" received)" = 1 ] || fail "figure changed"
echo "redis_auth: ok"
