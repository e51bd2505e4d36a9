#!/usr/bin/env bash
# One 4 MB line of control bytes. Before: it added 24 MB to the reject log
# (each byte escaped to six). Now its entry keeps REJECTS_RECORD_MAX bytes of
# it, its length and its BLAKE2b-256, so the log grows by at most
# REJECTS_ENTRY_MAX; the truncation is counted (reject_log.truncated_lines).
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/security/limits_lib.bash"

ENTRY_MAX=$(($(sed -n 's/^#define REJECTS_ENTRY_MAX (\([0-9]*\)u << \([0-9]*\)).*/\1 << \2/p' \
    "$CCHC_SRC/common/ingest/rejects.h")))
[ "$ENTRY_MAX" -gt 0 ] || fail "cannot read REJECTS_ENTRY_MAX"

start_redis
start_dossier
start_aggregator
baseline
LOG="$T/dossier/rejects.ndjson"
log0=$(wc -c <"$LOG")
tr0=$(svc_stat .reject_log.truncated_lines)

head -c $((4 << 20)) /dev/zero | tr '\0' '\001' >"$T/line.ndjson"
want_hash=$(b2sum -l 256 "$T/line.ndjson" | cut -d' ' -f1)
echo >>"$T/line.ndjson"
code=$(post "$DOSSIER_URL" "$T/line.ndjson" "$T/line.json")
[ "$code" = 200 ] || fail "HTTP $code"
[ "$(jq .rejected "$T/line.json")" = 1 ] || fail "answer: $(head -c 300 "$T/line.json")"
[ "$(wc -c <"$T/line.json")" -lt 1024 ] || fail "answer of $(wc -c <"$T/line.json") bytes"
grew=$(($(wc -c <"$LOG") - log0))
[ "$grew" -gt 0 ] && [ "$grew" -le "$ENTRY_MAX" ] ||
    fail "reject log grew by $grew bytes; the bound of an entry is $ENTRY_MAX"
tail -n 1 "$LOG" >"$T/entry.json"
jq -e --arg h "$want_hash" --argjson n $((4 << 20)) \
    '.length == $n and .truncated == true and .blake2b == $h and (.error | startswith("line longer than"))' \
    "$T/entry.json" >/dev/null || fail "entry: $(head -c 400 "$T/entry.json")"
[ $(($(svc_stat .reject_log.truncated_lines) - tr0)) = 1 ] || fail "truncation not counted"
unchanged
echo "long_line: a 4 MB line added $grew bytes to the reject log (bound $ENTRY_MAX), its length and hash kept"
