#!/usr/bin/env bash
# Bad records get a clear per-line error naming the field; the good lines of the
# same request still go through; every rejected line is kept in the reject log.
. "$CCHC_SRC/tests/lib.sh"

start_redis
start_dossier
start_aggregator

U=kg.rachgia.p-an-binh
rec() { printf '{"id":"%s","type":"received","unit":"%s","at":"2022-03-01T08:00:00+07:00","dossier":"%s","procedure":"1.0001","field":"ho-tich","channel":"direct","due":"2022-03-05T17:00:00+07:00"}' "$1" "${2:-$U}" "$3"; }
{
    rec good-1 "$U" D1; echo                                                         # 1 accepted
    echo '{"id":"bad-json","type":'                                                  # 2 malformed
    rec bad-unit kg.nowhere D2; echo                                                 # 3 unknown unit
    echo '{"id":"bad-type","type":"teleported","unit":"'$U'","at":"2022-03-01T08:00:00+07:00"}'  # 4
    echo '{"id":"no-due","type":"received","unit":"'$U'","at":"2022-03-01T08:00:00+07:00","dossier":"D3","procedure":"p","field":"f","channel":"direct"}'  # 5
    echo '{"id":"bad-channel","type":"received","unit":"'$U'","at":"2022-03-01T08:00:00+07:00","dossier":"D4","procedure":"p","field":"f","channel":5,"due":"2022-03-05T17:00:00+07:00"}'  # 6
    echo '{"id":"bad-at","type":"received","unit":"'$U'","at":"yesterday","dossier":"D5","procedure":"p","field":"f","channel":"direct","due":"2022-03-05T17:00:00+07:00"}'  # 7
    printf '{"id":"huge","pad":"%s"}\n' "$(head -c 70000 /dev/zero | tr '\0' x)"     # 8 over the limit
    printf '{"id":"bad-utf8","type":"received","unit":"\xff\xfe"}\n'                 # 9 invalid UTF-8
    echo '{"id":"good-2","type":"resolved","unit":"'$U'","at":"2022-03-03T10:00:00+07:00","dossier":"D1","return_channel":"postal"}'  # 10 accepted
    echo '[1,2,3]'                                                                   # 11 not an object
    rec good-1 "$U" D1; echo                                                         # 12 duplicate
    echo '{"type":"received","unit":"'$U'"}'                                         # 13 missing id
    echo '{"id":"late-res","type":"resolved","unit":"'$U'","at":"2022-02-01T10:00:00+07:00","dossier":"D1x","return_channel":"mail"}'  # 14 bad enum
} >"$T/body.ndjson"

curl -sf -H @"$T/auth.header" -X POST --data-binary @"$T/body.ndjson" "$DOSSIER_URL" >"$T/answer.json"
st() { jq -r --argjson l "$1" '.results[] | select(.line == $l) | .status' "$T/answer.json"; }
er() { jq -r --argjson l "$1" '.results[] | select(.line == $l) | .error' "$T/answer.json"; }
has() { local e; e=$(er "$1"); [[ $e == *"$2"* ]] || fail "line $1: error '$e' does not say '$2'"; }

[ "$(jq .accepted "$T/answer.json")" = 2 ] || fail "accepted: $(cat "$T/answer.json")"
[ "$(jq .duplicate "$T/answer.json")" = 1 ] || fail "duplicate count"
[ "$(jq .rejected "$T/answer.json")" = 11 ] || fail "rejected count"
[ "$(st 1)" = accepted ] && [ "$(st 10)" = accepted ] && [ "$(st 12)" = duplicate ] || fail "statuses"
has 2 "malformed JSON"
has 3 'field "unit": unknown unit "kg.nowhere"'
has 4 'field "type": "teleported" is not one of received|resolved|feedback|survey'
has 5 'field "due": missing'
has 6 'field "channel": must be a string'
has 7 'field "at": not an RFC 3339 time'
has 8 "line longer than 65536 bytes"
has 9 "invalid UTF-8 at byte"
has 11 "not a JSON object"
has 13 'field "id": missing'
has 14 'field "return_channel": "mail" is not one of direct|online|postal'

# Every rejected line is in the reject log, with its line number and the record itself.
log="$T/dossier/rejects.ndjson"
[ "$(wc -l <"$log")" = 11 ] || fail "reject log has $(wc -l <"$log") lines, want 11"
[ "$(jq -s '[.[].line] | sort | join(",")' "$log")" = '"2,3,4,5,6,7,8,9,11,13,14"' ] || fail "reject log lines"
jq -se 'map(select(.line == 9))[0].record_base64' "$log" >/dev/null || fail "invalid UTF-8 not kept as base64"
jq -se 'map(select(.line == 3))[0].record | fromjson | .id == "bad-unit"' "$log" >/dev/null || fail "record not kept"

# The good lines count: one dossier received and resolved at the ward, returned by post.
wait_caught_up 30
fig=$(day_fig $U 2022-03-01 received)
[ "$fig" = 1 ] || fail "received at the ward on 2022-03-01: $fig"
[ "$(rcli HGET cchc:v2:fig:kg.rachgia:2022-03 commune:resolved_early)" = 1 ] || fail "resolved early"
[ "$(rcli HGET cchc:v2:fig:kg.rachgia:all commune:returned_postal)" = 1 ] || fail "returned by post"

# The service is still well after all that.
curl -sf "$DOSSIER_BASE/healthz" >/dev/null || fail "service unhealthy"
echo "bad_records: ok"
