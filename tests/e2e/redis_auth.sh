#!/usr/bin/env bash
# Redis users of ops/redis-users.acl (tests/lib.sh starts every Redis with
# it): the aggregator writes as `aggregator` and cchc-report reads as
# `reader`, each with its password in a file (none on a command line); a
# wrong password is refused, named, and never printed; the reader cannot write.
. "$CCHC_SRC/tests/lib.sh"

start_redis
printf 'not-the-pass\n' >"$T/wrong.pw"
start_dossier
start_aggregator
W=kg.rachgia.p-vinh-loi
post "$DOSSIER_URL" <<JSON >/dev/null
{"id":"a1","type":"received","unit":"$W","at":"2022-05-02T08:00:00+07:00","dossier":"D1","procedure":"p","field":"f","channel":"direct","due":"2022-05-06T17:00:00+07:00"}
{"id":"a2","type":"resolved","unit":"$W","at":"2022-05-03T09:00:00+07:00","dossier":"D1","return_channel":"direct"}
JSON
wait_caught_up 60

# The reader reads the figures the writer wrote.
CCHC_REDIS_URL="$READER_URL" cchc-report --unit "$W" --period 2022 --form 3 --format json \
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
# --help shows the URL in force, but not its password.
CCHC_REDIS_URL='redis://reader:hunter2@127.0.0.1:1/0' cchc-report --help >"$T/help.out" 2>&1 || true
grep -q 'redis://reader:\*\*\*@127.0.0.1:1/0' "$T/help.out" || fail "--help: $(grep -- --redis "$T/help.out")"
! grep -q hunter2 "$T/help.out" || fail "--help printed the password"
# No user at all: the default user is off.
if cchc-report --redis "unix://$REDIS_SOCK" --unit "$W" --period 2022 >/dev/null 2>"$T/none.err"; then
    fail "cchc-report without a user read Redis"
fi
grep -q 'NOAUTH' "$T/none.err" || fail "no NOAUTH error: $(cat "$T/none.err")"
echo "redis_auth: ok"
