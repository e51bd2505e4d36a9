# Shared by the Redis attacks (security_redis_*): a pipeline holding one
# dossier received and resolved at W, its figures in $T/before, and Redis's
# own count of the refusals of a kind. Sourced after tests/lib.sh.
W=kg.rachgia.p-vinh-loi

redis_pipeline() {
    start_redis
    start_dossier
    start_aggregator
    post "$DOSSIER_URL" >/dev/null <<JSON
{"id":"r1","type":"received","unit":"$W","at":"2022-05-02T08:00:00+07:00","dossier":"D1","procedure":"p","field":"f","channel":"direct","due":"2022-05-06T17:00:00+07:00"}
{"id":"r2","type":"resolved","unit":"$W","at":"2022-05-03T09:00:00+07:00","dossier":"D1","return_channel":"direct"}
JSON
    wait_caught_up 60
    figures_dump "$T/before"
    grep -q "fig:$W:2022" "$T/before" || fail "no figures to protect"
}

# errors KIND: how many replies of KIND (NOPERM, NOAUTH, WRONGPASS) Redis has sent.
errors() { rcli INFO errorstats | sed -n "s/^errorstat_$1:count=\([0-9]*\).*/\1/p" | tr -d '\r'; }
