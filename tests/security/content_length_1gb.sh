#!/usr/bin/env bash
# A POST that announces 1 GB: the 413 comes from the Content-Length alone,
# before a byte of the body is sent (before: the whole body was read, then
# refused). A chunked body, whose size no header tells, is answered 413 as
# soon as it passes INGEST_BODY_MAX, not at its end. Both counted in
# http_refused.body_too_large; nothing taken.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/security/limits_lib.bash"

start_redis
start_dossier
start_aggregator
baseline
P=$(cat "$T/dossier.port")
MAX=$(($(sed -n 's/^#define INGEST_BODY_MAX (\([0-9]*\)u << \([0-9]*\)).*/\1 << \2/p' \
    "$CCHC_SRC/common/ingest/limits.h")))
[ "$MAX" -gt 0 ] || fail "cannot read INGEST_BODY_MAX"
before=$(refused body_too_large)

# Headers only: the client sends no body and must still get its answer.
python3 "$ATTACK" content-length "$P" 1000000000 >"$T/cl.json" ||
    fail "no 413 before the body: $(cat "$T/cl.json")"
awk -v t="$(jq .after_s "$T/cl.json")" 'BEGIN { exit !(t < 1) }' || fail "413 late: $(cat "$T/cl.json")"

# Chunked: answered once past the cap, however much more would follow.
python3 "$ATTACK" chunked "$P" >"$T/chunked.json" || fail "chunked: $(cat "$T/chunked.json")"
sent=$(jq .body_sent "$T/chunked.json")
[ "$sent" -gt "$MAX" ] && [ "$sent" -lt $((MAX + (32 << 20))) ] ||
    fail "chunked body answered after $sent bytes; the cap is $MAX"

[ $(($(refused body_too_large) - before)) = 2 ] ||
    fail "http_refused.body_too_large: $before -> $(refused body_too_large), want +2"
curl -sf --max-time 1 "$DOSSIER_BASE/healthz" >/dev/null || fail "/healthz after the attack"
unchanged
echo "content_length_1gb: 413 before the body, and a chunked body cut at the cap; counted"
