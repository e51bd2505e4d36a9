#!/usr/bin/env bash
# run.sh BIN_DIR TARGET OUT_DIR [libFuzzer flags...]: runs BIN_DIR/fuzz_TARGET
# with its own limits (below), from the seeds of corpus/TARGET/ (read only)
# and OUT_DIR/corpus/TARGET/ (where what it finds grows); a crash, leak or
# time-out lands in OUT_DIR/crashes/TARGET/. Prints one line: executions,
# seconds, exec/s, corpus size, findings. Exits non-zero on a finding.
# Used by CTest (fuzz_TARGET) and ops/fuzz.
set -uo pipefail
bin=$1 target=$2 out=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
# Per target: the largest input worth trying and the memory it may take.
case $target in
frame) limits=(-max_len=4096 -malloc_limit_mb=64 -rss_limit_mb=512) ;;
event) limits=(-max_len=8192 -malloc_limit_mb=64 -rss_limit_mb=512) ;;
time) limits=(-max_len=64 -malloc_limit_mb=16 -rss_limit_mb=256) ;;
units) limits=(-max_len=16384 -malloc_limit_mb=128 -rss_limit_mb=512) ;;
records_* | dvcqg) limits=(-max_len=16384 -malloc_limit_mb=256 -rss_limit_mb=1024) ;;
*) echo "run.sh: no target '$target'" >&2; exit 2 ;;
esac
corpus=$out/corpus/$target crashes=$out/crashes/$target log=$out/$target.log
mkdir -p "$corpus" "$crashes"
start=$(date +%s.%N)
"$bin/fuzz_$target" "${limits[@]}" -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$crashes/" "$@" "$corpus" "$here/corpus/$target" >"$log" 2>&1
rc=$?
secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
found=$(find "$crashes" -type f | wc -l)
printf '%-18s %10s execs %7.1f s %9.0f exec/s corpus %5s files  findings %s\n' "$target" \
    "${execs:-?}" "$secs" "$(awk -v e="${execs:-0}" -v s="$secs" 'BEGIN { print (s > 0 ? e / s : 0) }')" \
    "$(find "$corpus" -type f | wc -l)" "$found"
if [ "$rc" != 0 ] || [ "$found" != 0 ]; then
    tail -n 60 "$log" >&2
    echo "run.sh: $target: a finding (exit $rc); saved in $crashes/, the log is $log" >&2
    exit 1
fi
