#!/usr/bin/env bash
# Many big bodies at once: each is held in memory until it is decided, so
# their sum is capped (--http-max-body-mb). A body that would pass the cap
# is answered 503 at once, counted in http_refused.body_memory; the body
# held meanwhile is still taken whole once it completes.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/security/limits_lib.bash"

start_redis
start_dossier --http-max-body-mb 64
start_aggregator
baseline
P=$(cat "$T/dossier.port")
python3 - "$T" <<'PY'
import sys
pad = "p" * 1000
for b in (1, 2):
    with open("%s/big%d.ndjson" % (sys.argv[1], b), "w") as f:
        for i in range(38000):  # about 40 MB: one fits the cap, two do not
            f.write('{"id":"m%d-%d","type":"received","unit":"kg.nowhere","at":"2022-03-01T08:00:00+07:00","pad":"%s"}\n' % (b, i, pad))
PY
rej0=$(svc_stat .rejected)
python3 "$ATTACK" partial "$P" "$T/big1.ndjson" "$T/go" >"$T/held.json" &
held=$!
wait_for 30 test -e "$T/go.held"
code=$(post "$DOSSIER_URL" "$T/big2.ndjson" "$T/second.json")
[ "$code" = 503 ] || fail "a body past the memory cap: HTTP $code, want 503"
grep -q "at their cap" "$T/second.json" || fail "503 says: $(cat "$T/second.json")"
[ "$(refused body_memory)" = 1 ] || fail "http_refused.body_memory = $(refused body_memory)"
touch "$T/go"
wait "$held" || fail "the body held was not answered 200: $(cat "$T/held.json")"
[ $(($(svc_stat .rejected) - rej0)) = 38000 ] || fail "the held body's lines were not all decided"
# Once it is decided, its memory is free again: the second body now fits.
code=$(post "$DOSSIER_URL" "$T/big2.ndjson" "$T/second.json")
[ "$code" = 200 ] || fail "after the first was decided: HTTP $code"
unchanged
echo "body_memory: a second 40 MB body past the 64 MiB cap answered 503 and counted; the first taken whole"
