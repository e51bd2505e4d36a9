#!/usr/bin/env bash
# What a service's state costs in memory and at a restart, once it holds
# many records (run by ops/state-bench; a figure, not a test: CTest does not
# run it). cchc-dossier takes the dossier records of the country data set
# through cchc-import, with retention compacting its journal (an ACK of the
# journal's end every 2 s as the durable subscriber `aggregator`, through
# tests/security/busreq.py: no aggregator or Redis), is killed -9 and
# started again. Prints ingestion records/s, the restart's seconds (to
# /healthz, and the service's own account of them), VmHWM and RssAnon of
# the restarted service, before and after a re-post of 100,000 of its
# records (all duplicates), and the sizes on disk.
# Env: STATE_BENCH_RECORDS (1,000,000), STATE_BENCH_UNITS (10,000 communes),
# STATE_BENCH_JOURNAL_MB (64, --journal-max-mb).
. "$CCHC_SRC/tests/lib.sh"

records=${STATE_BENCH_RECORDS:-1000000}
units=${STATE_BENCH_UNITS:-10000}
max_mb=${STATE_BENCH_JOURNAL_MB:-64}
cchc-loadgen country --out "$T/data" --records "$records" --units "$units" >"$T/loadgen.out"
export CCHC_UNITS="$T/data/units.tsv"
files=("$T"/data/dossier-*.ndjson)
lines=$(cat "${files[@]}" | wc -l)

mem() { # PID: "VmHWM N MB, RssAnon N MB"
    awk '/^VmHWM|^RssAnon/ { printf "%s %d MB  ", $1, $2 / 1024 }' "/proc/$1/status"
}
ack() {
    local st
    st=$(curl -sf "$DOSSIER_BASE/v1/stats") || return 0
    /usr/bin/python3 "$CCHC_SRC/tests/security/busreq.py" "$T/dossier.replay" dossier ACK \
        "$(jq -r .journal_epoch <<<"$st")" "$(jq .journal_next_seq <<<"$st")" aggregator \
        "$(bus_secret_of aggregator)" >/dev/null 2>&1 || true
}

start_dossier --journal-max-mb "$max_mb"
(while sleep 2; do ack; done) &
CCHC_PIDS+=("$!")
t0=$(date +%s.%N)
cchc-import --url "$DOSSIER_URL" "${files[@]}" >"$T/import.out" 2>&1 || fail "import: $(tail -n 3 "$T/import.out")"
t1=$(date +%s.%N)
ack
sleep 3 # a last retention run
stats=$(curl -sf "$DOSSIER_BASE/v1/stats")
echo "records: $(jq .accepted <<<"$stats") accepted of $lines dossier lines ($records country records, $units communes)"
ingest_rps=$(echo "$lines / ($t1 - $t0)" | bc -l)
printf 'ingest: %.1f s, %.0f records/s (cchc-import, --parallel 2, batches of 5000)\n' \
    "$(echo "$t1 - $t0" | bc)" "$ingest_rps"
echo "ingesting service: $(mem "$PID_dossier")"
echo "journal: events $(jq .journal_base <<<"$stats")..$(jq .journal_next_seq <<<"$stats"), $(($(jq .journal_bytes <<<"$stats") >> 20)) MiB; state commits $(jq '.state.commits // "-"' <<<"$stats"), $(jq '.state.commit_ms // "-"' <<<"$stats") ms in all"
du -sh "$T/dossier"/* | sed 's/^/  on disk: /'

kill -9 "$PID_dossier"
wait "$PID_dossier" 2>/dev/null || true
t0=$(date +%s.%N)
start_dossier --journal-max-mb "$max_mb"
t1=$(date +%s.%N)
restart_s=$(echo "$t1 - $t0" | bc)
printf 'restart: %.2f s to /healthz\n' "$restart_s"
{ grep -E "started in|state .*replayed" "$T/dossier.log" || true; } | tail -n 2 | sed "s/^[^ ]* /  /"
echo "restarted service: $(mem "$PID_dossier")"
kb() { awk -v k="$1:" '$1 == k { printf "%.1f", $2 / 1024 }' "/proc/$PID_dossier/status"; }
hwm=$(kb VmHWM) anon=$(kb RssAnon)
head -n 100000 "${files[0]}" >"$T/again.ndjson"
cchc-import --url "$DOSSIER_URL" "$T/again.ndjson" >"$T/again.out" 2>&1 || fail "again: $(tail -n 3 "$T/again.out")"
echo "  re-post: $(tail -n 1 "$T/again.out")"
echo "after the re-post: $(mem "$PID_dossier")"
# The last line, for ops/bench: the figures above as one JSON object.
printf '{"records":%s,"ingest_records_per_s":%.0f,"restart_s":%.2f,"rss_mb":%s,"rss_anon_mb":%s,"rss_mb_after_repost":%s,"rss_anon_mb_after_repost":%s}\n' \
    "$(jq .accepted <<<"$stats")" "$ingest_rps" "$restart_s" "$hwm" "$anon" "$(kb VmHWM)" "$(kb RssAnon)"
