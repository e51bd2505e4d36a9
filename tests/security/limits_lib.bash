# Shared by the attacks on the HTTP face and its bounds (slowloris.sh,
# idle_connections.sh, content_length_1gb.sh, tiny_bad_lines.sh, long_line.sh,
# big_posts_healthz.sh, metric_name_flood.sh). Sourced after tests/lib.sh.
#
# Each attack: baseline (real records, acknowledged, in the figures), the
# attack, then `unchanged`: the figures in Redis are what they were, and the
# baseline records are still there (posting them again is all duplicates).

# The credential the tests send: tests/lib.sh makes it once sources
# authenticate (when it starts a service); until then, made empty here at the
# first use (curl -H @FILE then sends nothing).
AUTH="$T/auth.header"
export AUTH_HEADER="$AUTH"
auth() { [ -f "$AUTH" ] || : >"$AUTH"; }
ATTACK="$CCHC_SRC/tests/security/http_attack.py"
U=kg.rachgia.p-an-binh

# post URL FILE OUT [curl args]: the HTTP status; the answer in OUT.
post() {
    local url=$1 file=$2 out=$3
    shift 3
    auth
    curl -s -o "$out" -w '%{http_code}' -H @"$AUTH" -H 'Content-Type: application/x-ndjson' \
        --data-binary @"$file" "$@" "$url"
}

# STATS_FROM: a source address for the questions (an attack may fill 127.0.0.1).
stats() { auth && curl -sf ${STATS_FROM:+--interface "$STATS_FROM"} -H @"$AUTH" "$DOSSIER_BASE/v1/stats"; }
svc_stat() { stats | jq -r "$1"; }

# rec ID DOSSIER [PROCEDURE]: a received dossier, one line.
rec() {
    printf '{"id":"%s","type":"received","unit":"%s","at":"2022-03-01T08:00:00+07:00","dossier":"%s","procedure":"%s","field":"ho-tich","channel":"direct","due":"2022-03-05T17:00:00+07:00"}\n' \
        "$1" "$U" "$2" "${3:-1.0001}"
}

# figures FILE: what an attack must leave as it was (tests/lib.sh, figures_dump).
figures() { figures_dump "${1:-/dev/stdout}"; }

# baseline: 20 records accepted, applied, the figures kept in $T/before.
baseline() {
    local i
    for i in $(seq 1 20); do rec "base-$i" "BD$i"; done >"$T/baseline.ndjson"
    [ "$(post "$DOSSIER_URL" "$T/baseline.ndjson" "$T/baseline.json")" = 200 ] ||
        fail "baseline not taken: $(cat "$T/baseline.json")"
    [ "$(jq .accepted "$T/baseline.json")" = 20 ] || fail "baseline: $(cat "$T/baseline.json")"
    wait_caught_up
    figures "$T/before"
    grep -q "received" "$T/before" || fail "baseline: no figure in Redis"
    SEQ_BEFORE=$(svc_stat .journal_next_seq)
}

# unchanged: nothing the attack sent reached the journal or the figures, and
# every baseline record is still acknowledged.
unchanged() {
    [ "$(svc_stat .journal_next_seq)" = "$SEQ_BEFORE" ] ||
        fail "the journal grew: $SEQ_BEFORE -> $(svc_stat .journal_next_seq)"
    wait_caught_up
    figures "$T/after"
    diff "$T/before" "$T/after" >&2 || fail "figures in Redis changed"
    [ "$(post "$DOSSIER_URL" "$T/baseline.ndjson" "$T/again.json")" = 200 ] ||
        fail "baseline again: $(cat "$T/again.json")"
    [ "$(jq .duplicate "$T/again.json")" = 20 ] ||
        fail "an acknowledged record was lost: $(jq -c '{accepted,duplicate,rejected}' "$T/again.json")"
}

# refused NAME: the counter http_refused.NAME
refused() { svc_stat ".http_refused.$1"; }
