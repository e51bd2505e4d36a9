# Shared by the attacks on the HTTP write path (sourced after tests/lib.sh;
# not a test itself: CTest takes only *.sh here).
#
# The pipeline: redis, cchc-dossier and the aggregator, with two sources
# besides lib.sh's "test": igate-a may post every dossier type for the city
# (kg.rachgia); the caller makes igate-b with new_source before attack_start.
# Baseline records of igate-a are posted and applied, the figures dumped;
# then the attack; then attack_end checks that no figure changed and that
# every acknowledged record is still there (sent again: all duplicates).

A_UNIT=kg.rachgia.mot-cua

# figures FILE: what an attack must leave as it was (tests/lib.sh, figures_dump).
figures() { figures_dump "${1:-/dev/stdout}"; }

# post_as NAME URL [curl args]: the body on stdin, as source NAME (its
# header file), the answer into $T/answer.json; prints the HTTP status.
post_as() {
    local who=$1 url=$2; shift 2
    curl -s -o "$T/answer.json" -w '%{http_code}' -H @"$T/$who.header" "$@" --data-binary @- "$url"
}

# stat NAME: a counter of the dossier service's /v1/stats.
stat() { curl -sf "$DOSSIER_BASE/v1/stats" | jq -r ".$1"; }

# status LINE: the status of that line of $T/answer.json; error LINE its error.
status() { jq -r --argjson l "$1" '.results[] | select(.line == $l) | .status' "$T/answer.json"; }
error() { jq -r --argjson l "$1" '.results[] | select(.line == $l) | .error' "$T/answer.json"; }

# The baseline: a dossier received (d-1) and not yet resolved, one resolved
# (d-2), a survey.
baseline() {
    cat <<EOF2
{"id":"a-1","type":"received","unit":"$A_UNIT","at":"2022-03-01T08:00:00+07:00","dossier":"d-1","procedure":"1.004227","field":"dat-dai","channel":"direct","due":"2022-03-10T17:00:00+07:00"}
{"id":"a-2","type":"received","unit":"$A_UNIT","at":"2022-03-01T09:00:00+07:00","dossier":"d-2","procedure":"1.004227","field":"dat-dai","channel":"online","due":"2022-03-10T17:00:00+07:00"}
{"id":"a-3","type":"resolved","unit":"$A_UNIT","at":"2022-03-05T09:00:00+07:00","dossier":"d-2","return_channel":"direct"}
{"id":"a-4","type":"survey","unit":"$A_UNIT","at":"2022-03-05T10:00:00+07:00","satisfied":true}
EOF2
}

attack_start() {
    new_source igate-a 'dossier.*' kg.rachgia
    start_redis
    start_dossier
    start_aggregator
    local code
    code=$(baseline | post_as igate-a "$DOSSIER_URL")
    [ "$code" = 200 ] || fail "baseline: HTTP $code: $(cat "$T/answer.json")"
    [ "$(jq .accepted "$T/answer.json")" = 4 ] || fail "baseline: $(cat "$T/answer.json")"
    wait_caught_up
    figures "$T/before.fig"
    grep -q 'received' "$T/before.fig" || fail "baseline: no figure in Redis"
    STATS_BEFORE=$(curl -sf "$DOSSIER_BASE/v1/stats")
}

# counted NAME: the counter NAME of /v1/stats went up since attack_start.
counted() {
    local was now
    was=$(jq -r ".$1" <<<"$STATS_BEFORE")
    now=$(stat "$1")
    [ "$now" -gt "$was" ] || fail "stats $1: $was before, $now after: the attack was not counted"
    echo "counted: $1 $was -> $now"
}

attack_end() {
    wait_caught_up
    figures "$T/after.fig"
    diff "$T/before.fig" "$T/after.fig" >&2 || fail "a figure in Redis changed"
    local code
    code=$(baseline | post_as igate-a "$DOSSIER_URL")
    [ "$code" = 200 ] && [ "$(jq .duplicate "$T/answer.json")" = 4 ] ||
        fail "acknowledged records lost: $(cat "$T/answer.json")"
}
