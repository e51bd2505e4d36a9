#!/usr/bin/env bash
# Millions of one-byte bad lines in one body. Before: 2 million of them (4 MB)
# added 319 MB to the reject log and drew a 217 MB answer. Now a body of more
# than INGEST_LINES_MAX lines is refused whole (413, counted in
# http_refused.too_many_lines, no line taken, nothing logged); and a body of
# just INGEST_LINES_MAX such lines is answered within the answer's bound
# (limits.h) and adds at most REJECTS_REQUEST_MAX to the reject log, the
# lines it does not keep counted in reject_log.not_kept_lines.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/security/limits_lib.bash"

def() { sed -n "s/^#define $1 \([0-9]*\)u\{0,1\}\b.*/\1/p" "$CCHC_SRC/common/ingest/$2"; }
LINES_MAX=$(def INGEST_LINES_MAX limits.h)
REQ_MAX=$(($(sed -n 's/^#define REJECTS_REQUEST_MAX (\([0-9]*\)u << \([0-9]*\)).*/\1 << \2/p' \
    "$CCHC_SRC/common/ingest/rejects.h")))
[ "${LINES_MAX:-0}" -gt 0 ] && [ "$REQ_MAX" -gt 0 ] || fail "cannot read the limits"

start_redis
start_dossier
start_aggregator
baseline
LOG="$T/dossier/rejects.ndjson"
log0=$(wc -c <"$LOG")
rej0=$(svc_stat .rejected)

# 2 million lines of one byte each.
head -c 2000000 /dev/zero | tr '\0' 'x' | sed 's/./&\n/g' >"$T/flood.ndjson"
[ "$(wc -l <"$T/flood.ndjson")" = 2000000 ] || fail "flood body"
code=$(post "$DOSSIER_URL" "$T/flood.ndjson" "$T/flood.json")
[ "$code" = 413 ] || fail "2,000,000 lines: HTTP $code, want 413"
grep -q "over the limit of $LINES_MAX" "$T/flood.json" || fail "413 says: $(cat "$T/flood.json")"
[ "$(wc -c <"$T/flood.json")" -lt 1024 ] || fail "413 answer of $(wc -c <"$T/flood.json") bytes"
[ "$(refused too_many_lines)" = 1 ] || fail "http_refused.too_many_lines = $(refused too_many_lines)"
[ "$(wc -c <"$LOG")" = "$log0" ] || fail "the refused body reached the reject log"
[ "$(svc_stat .rejected)" = "$rej0" ] || fail "lines of the refused body were decided"

# Exactly the cap: every line answered, within the bounds.
head -n "$LINES_MAX" "$T/flood.ndjson" >"$T/max.ndjson"
body=$(wc -c <"$T/max.ndjson")
code=$(post "$DOSSIER_URL" "$T/max.ndjson" "$T/max.json")
[ "$code" = 200 ] || fail "$LINES_MAX lines: HTTP $code"
[ "$(jq .rejected "$T/max.json")" = "$LINES_MAX" ] || fail "not every line rejected"
[ "$(jq '.results | length' "$T/max.json")" = "$LINES_MAX" ] || fail "a result per line"
answer=$(wc -c <"$T/max.json")
bound=$((4 * body + (64 << 10) + 2560 + 128 * LINES_MAX))
[ "$answer" -le "$bound" ] || fail "answer of $answer bytes, over its bound of $bound"
jq -e '.results[0].error | startswith("malformed JSON")' "$T/max.json" >/dev/null ||
    fail "the first reason: $(jq '.results[0]' "$T/max.json")"
grep -q '(reason not kept: answer bound)' "$T/max.json" ||
    fail "reasons past the answer's bound were not cut"
grew=$(($(wc -c <"$LOG") - log0))
[ "$grew" -le $((REQ_MAX + 512)) ] || fail "reject log grew by $grew bytes, over $REQ_MAX"
kept=$(svc_stat .reject_log.kept_lines)
notkept=$(svc_stat .reject_log.not_kept_lines)
[ "$kept" -gt 0 ] && [ $((kept + notkept)) = "$LINES_MAX" ] ||
    fail "reject log kept $kept and counted $notkept not kept, of $LINES_MAX"
tail -n 1 "$LOG" | jq -e --argjson n "$notkept" '.not_kept_lines == $n' >/dev/null ||
    fail "no closing entry counting the lines not kept: $(tail -n 1 "$LOG")"
[ $(($(svc_stat .rejected) - rej0)) = "$LINES_MAX" ] || fail "rejected not counted"
unchanged
echo "tiny_bad_lines: 2M lines refused whole; $LINES_MAX lines: answer $answer bytes (bound $bound), reject log +$grew bytes ($notkept lines counted, not kept)"
