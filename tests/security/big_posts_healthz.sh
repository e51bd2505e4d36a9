#!/usr/bin/env bash
# Two big POSTs in flight at once, again and again, while /healthz is asked
# every tenth of a second: each answer must come within 1 s. Before: the
# bodies were decided on the --http-threads pool that also answered GETs, so
# two big POSTs left no thread for /healthz. The bodies are hostile (every
# line names an unknown unit): each line is refused and counted, the reject
# log keeps its bound, nothing reaches the figures.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/security/limits_lib.bash"

start_redis
start_dossier --http-threads 2
start_aggregator
baseline
rej0=$(svc_stat .rejected)
LOG="$T/dossier/rejects.ndjson"
log0=$(wc -c <"$LOG")

# About 60 MB each, under INGEST_BODY_MAX and INGEST_LINES_MAX.
python3 - "$T" <<'PY'
import sys
pad = "p" * 1000
for b in (1, 2):
    with open("%s/big%d.ndjson" % (sys.argv[1], b), "w") as f:
        for i in range(55000):
            f.write('{"id":"big%d-%d","type":"received","unit":"kg.nowhere","at":"2022-03-01T08:00:00+07:00","pad":"%s"}\n' % (b, i, pad))
PY
LINES=$(wc -l <"$T/big1.ndjson")
ROUNDS=3
for b in 1 2; do
    (for r in $(seq 1 $ROUNDS); do
        code=$(post "$DOSSIER_URL" "$T/big$b.ndjson" "$T/answer$b-$r.json")
        echo "$code" >"$T/code$b-$r"
    done) &
    eval "poster$b=\$!"
done

slow=0 probes=0 max=0
while kill -0 "$poster1" 2>/dev/null || kill -0 "$poster2" 2>/dev/null; do
    t=$(curl -s -o /dev/null --max-time 1 -w '%{http_code} %{time_total}' "$DOSSIER_BASE/healthz" || true)
    probes=$((probes + 1))
    read -r code secs <<<"$t"
    if [ "$code" != 200 ]; then slow=$((slow + 1)); fi
    max=$(awk -v a="$max" -v b="${secs:-9}" 'BEGIN { print (b > a ? b : a) }')
    sleep 0.1
done
wait "$poster1" "$poster2"
[ "$probes" -ge 5 ] || fail "only $probes probes while the POSTs ran: make the bodies bigger"
[ "$slow" = 0 ] || fail "$slow of $probes /healthz probes took over 1 s (slowest ${max}s)"
for b in 1 2; do for r in $(seq 1 $ROUNDS); do
    [ "$(cat "$T/code$b-$r")" = 200 ] || fail "big POST $b round $r: HTTP $(cat "$T/code$b-$r")"
    [ "$(jq .rejected "$T/answer$b-$r.json")" = "$LINES" ] || fail "big POST $b round $r: not every line refused"
done; done
[ $(($(svc_stat .rejected) - rej0)) = $((2 * ROUNDS * LINES)) ] || fail "rejected lines not counted"
[ "$(svc_stat .reject_log.not_kept_lines)" -gt 0 ] || fail "lines the reject log did not keep are not counted"
grew=$(($(wc -c <"$LOG") - log0))
[ "$grew" -le $((2 * ROUNDS * ((1 << 20) + 512))) ] || fail "reject log grew by $grew bytes"
unchanged
echo "big_posts_healthz: $probes /healthz probes during $((2 * ROUNDS)) POSTs of $(wc -c <"$T/big1.ndjson") bytes, slowest ${max}s"
