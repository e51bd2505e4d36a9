#!/usr/bin/env bash
# A flood of new procedure codes: each makes a new metric name
# (proc.<code>.received). Before: past 65,536 names the aggregator
# half-applied an event and moved on. Now each service emits at most
# METRIC_NAMES_MAX names, counted from its journal: a record that would add
# one more is rejected whole, naming the field and the cap, and counted
# (metric_names.refused_records); the cap holds across a restart; records
# whose names are known still go through.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/security/limits_lib.bash"

CAP=$(sed -n 's/^#define METRIC_NAMES_MAX \([0-9]*\).*/\1/p' "$CCHC_SRC/common/base/metric.h")
[ "${CAP:-0}" -gt 0 ] || fail "cannot read METRIC_NAMES_MAX"
start_redis
start_dossier
start_aggregator
baseline

# Fill the vocabulary: one new name a record, more records than the cap.
FLOOD=$((CAP + 500))
for i in $(seq 1 $FLOOD); do rec "fill-$i" "FD$i" "f.$i"; done >"$T/fill.ndjson"
[ "$(post "$DOSSIER_URL" "$T/fill.ndjson" "$T/fill.json")" = 200 ] || fail "fill: $(head -c 300 "$T/fill.json")"
acc=$(jq .accepted "$T/fill.json")
[ "$(svc_stat .metric_names.count)" = "$CAP" ] || fail "metric_names.count $(svc_stat .metric_names.count), cap $CAP"
[ "$(jq .rejected "$T/fill.json")" = $((FLOOD - acc)) ] && [ "$acc" -lt "$CAP" ] || fail "fill: $acc accepted"
jq -e --arg cap "$CAP" '[.results[] | select(.status == "rejected")][0].error |
    startswith("field \"procedure\": would add metric name \"proc.f.") and contains("past the " + $cap + " metric names")' \
    "$T/fill.json" >/dev/null || fail "reason: $(jq '[.results[] | select(.status == "rejected")][0]' "$T/fill.json")"
wait_caught_up
figures "$T/before"
SEQ_BEFORE=$(svc_stat .journal_next_seq)
refused0=$(svc_stat .metric_names.refused_records)

# The attack proper: new codes.
for i in $(seq 1 200); do rec "new-$i" "ND$i" "g.$i"; done >"$T/new.ndjson"
[ "$(post "$DOSSIER_URL" "$T/new.ndjson" "$T/new.json")" = 200 ] || fail "new: $(head -c 300 "$T/new.json")"
[ "$(jq .rejected "$T/new.json")" = 200 ] || fail "new codes taken: $(jq -c '{accepted,rejected}' "$T/new.json")"
[ $(($(svc_stat .metric_names.refused_records) - refused0)) = 200 ] || fail "refusals not counted"
[ "$(svc_stat .metric_names.count)" = "$CAP" ] || fail "the vocabulary grew"
unchanged

# After a restart the vocabulary is rebuilt from the journal: still full.
kill "$PID_dossier"
wait "$PID_dossier" 2>/dev/null || true
start_dossier
[ "$(svc_stat .metric_names.count)" = "$CAP" ] || fail "after restart: $(svc_stat .metric_names.count) names"
[ "$(post "$DOSSIER_URL" "$T/new.ndjson" "$T/new2.json")" = 200 ] && [ "$(jq .rejected "$T/new2.json")" = 200 ] ||
    fail "after restart, new codes: $(jq -c '{accepted,rejected}' "$T/new2.json")"
unchanged
# A known code still goes through.
rec known-1 KD1 f.1 >"$T/known.ndjson"
[ "$(post "$DOSSIER_URL" "$T/known.ndjson" "$T/known.json")" = 200 ] && [ "$(jq .accepted "$T/known.json")" = 1 ] ||
    fail "a record of a known procedure: $(cat "$T/known.json")"
echo "metric_name_flood: $CAP names, then every new one refused whole and counted, across a restart"
