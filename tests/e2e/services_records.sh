#!/usr/bin/env bash
# cchc-staffing, cchc-finance, cchc-egov: per-line errors like the dossier
# service's (wrong types, negative counts or amounts, unknown categories,
# amounts past int64), good lines beside them accepted, and levels that are
# exact in any arrival order: a later headcount replaces an earlier one, a
# window ending before it still sees the earlier one, a ward's snapshot
# counts once in the city's rollup.
. "$CCHC_SRC/tests/lib.sh"

start_redis
start_service staffing
start_service finance
start_service egov
start_aggregator

post() { curl -sf -H @"$T/auth.header" -X POST --data-binary @- "$1" >"$T/answer.json"; }
st() { jq -r --argjson l "$1" '.results[] | select(.line == $l) | .status' "$T/answer.json"; }
has() {
    local e
    e=$(jq -r --argjson l "$1" '.results[] | select(.line == $l) | .error' "$T/answer.json")
    [[ $e == *"$2"* ]] || fail "line $1: error '$e' does not say '$2'"
}
W=kg.rachgia.p-vinh-loi
N=kg.rachgia.phong-noi-vu

# ---- staffing. The newer headcount (June) is sent first, the older (March) after it.
post "$STAFFING_URL" <<EOF2
{"id":"h2","type":"headcount","unit":"$N","at":"2022-06-01T08:00:00+07:00","category":"cong-chuc","quota":7,"present":7}
{"id":"h1","type":"headcount","unit":"$N","at":"2022-03-01T08:00:00+07:00","category":"cong-chuc","quota":7,"present":5}
{"id":"w1","type":"headcount","unit":"$W","at":"2022-02-01T08:00:00+07:00","category":"cbcc-xa","quota":22,"present":20,"qualified":18}
{"id":"bad-cat","type":"headcount","unit":"$N","at":"2022-06-01T08:00:00+07:00","category":"astronaut","quota":1,"present":1}
{"id":"bad-neg","type":"recruited","unit":"$N","at":"2022-06-01T08:00:00+07:00","category":"cong-chuc","count":-1}
{"id":"bad-type","type":"recruited","unit":"$N","at":"2022-06-01T08:00:00+07:00","category":"cong-chuc","count":"3"}
{"id":"r1","type":"recruited","unit":"$N","at":"2022-06-02T08:00:00+07:00","category":"cong-chuc","count":2}
{"id":"bad-qual","type":"headcount","unit":"$W","at":"2022-02-01T08:00:00+07:00","category":"cbcc-xa","quota":22,"present":20,"qualified":21}
{"id":"i1","type":"indicator","unit":"kg.rachgia","at":"2022-11-30T08:00:00+07:00","form":1,"row":"2.1","value":14}
{"id":"bad-row","type":"indicator","unit":"kg.rachgia","at":"2022-11-30T08:00:00+07:00","form":1,"row":"2..1","value":14}
{"id":"bad-form","type":"indicator","unit":"kg.rachgia","at":"2022-11-30T08:00:00+07:00","form":9,"row":"2.1","value":14}
{"id":"jp","type":"job_positions","unit":"$N","at":"2022-05-01T08:00:00+07:00","approved":true}
{"id":"bad-pct","type":"indicator","unit":"kg.rachgia","at":"2022-11-30T08:00:00+07:00","form":1,"row":"3.done_pct","value":14}
EOF2
[ "$(jq .accepted "$T/answer.json")" = 6 ] || fail "staffing accepted: $(cat "$T/answer.json")"
has 4 'field "category": "astronaut" is not one of cong-chuc|'
has 5 'field "count": must not be negative'
has 6 'field "count": must be an integer'
has 8 'field "qualified": must be between 0 and 20'
has 10 'field "row": "2..1" is not a form row'
has 11 'field "form": must be between 1 and 7'
has 13 'field "row": "3.done_pct": a row ending in _pct is a rate'

# ---- finance: money in integer đồng.
post "$FINANCE_URL" <<EOF2
{"id":"f1","type":"revenue","unit":"kg.rachgia","at":"2022-04-01T08:00:00+07:00","amount":887200000000}
{"id":"f2","type":"revenue","unit":"kg.rachgia","at":"2022-04-01T08:00:00+07:00","amount":-5}
{"id":"f3","type":"revenue","unit":"kg.rachgia","at":"2022-04-01T08:00:00+07:00","amount":99999999999999999999}
{"id":"f4","type":"revenue","unit":"kg.rachgia","at":"2022-04-01T08:00:00+07:00","amount":1.5}
{"id":"f5","type":"autonomy","unit":"kg.rachgia","at":"2022-04-01T08:00:00+07:00","category":"half"}
{"id":"f6","type":"autonomy","unit":"kg.rachgia.phong-giao-duc-dao-tao","at":"2022-01-01T08:00:00+07:00","category":"nha-nuoc-dam-bao"}
{"id":"f7","type":"autonomy","unit":"kg.rachgia.phong-giao-duc-dao-tao","at":"2022-07-01T08:00:00+07:00","category":"tu-chu-mot-phan-10-30"}
{"id":"f8","type":"investment_plan","unit":"kg.rachgia","at":"2022-01-10T08:00:00+07:00","amount":196870000000}
EOF2
[ "$(jq .accepted "$T/answer.json")" = 4 ] || fail "finance accepted: $(cat "$T/answer.json")"
has 2 'field "amount": must not be negative'
has 3 'field "amount": integer out of range (int64)'
has 4 'field "amount": must be an integer'
has 5 'field "category": "half" is not one of tu-chu-chi-dau-tu|'

# ---- egov
post "$EGOV_URL" <<EOF2
{"id":"e1","type":"document","unit":"$W","at":"2022-04-01T08:00:00+07:00","direction":"out","electronic":true}
{"id":"e2","type":"document","unit":"$W","at":"2022-04-01T08:00:00+07:00","direction":"sideways","electronic":true}
{"id":"e3","type":"document","unit":"$W","at":"2022-04-01T08:00:00+07:00","direction":"in","electronic":"yes"}
{"id":"e4","type":"online_service","unit":"kg.rachgia","at":"2022-01-05T08:00:00+07:00","procedure":"1.004227","level":4,"payment":true,"national_portal":true}
{"id":"e5","type":"online_service","unit":"kg.rachgia","at":"2022-01-05T08:00:00+07:00","procedure":"1 004227; DROP","level":4,"payment":true,"national_portal":true}
{"id":"e6","type":"online_service","unit":"kg.rachgia","at":"2022-01-05T08:00:00+07:00","procedure":"1.000001","level":2,"payment":true,"national_portal":true}
{"id":"e7","type":"email_usage","unit":"kg.rachgia","at":"2022-01-05T08:00:00+07:00","users":5,"staff":4}
{"id":"e8","type":"portal_post","unit":"kg.rachgia","at":"2022-01-05T08:00:00+07:00","kind":"news"}
EOF2
[ "$(jq .accepted "$T/answer.json")" = 3 ] || fail "egov accepted: $(cat "$T/answer.json")"
has 2 'field "direction": "sideways" is not one of in|out'
has 3 'field "electronic": must be true or false'
has 5 'field "procedure": "1 004227; DROP" is not a procedure code'
has 6 'field "level": must be between 3 and 4'
has 7 'field "users": more than "staff"'
for s in staffing finance egov; do
    [ "$(wc -l <"$T/$s/rejects.ndjson")" -gt 0 ] || fail "$s kept no reject log"
done

wait_caught_up 30
# A level at the end of a window: the sum of its changes over every day up to it.
level_at() { # UNIT FIELD LAST_DAY
    local sum=0 m d v
    for m in $(rcli ZRANGEBYSCORE "cchc:v2:months:$1" -inf "$(($(date -u -d "$3" +%s) / 86400))"); do
        for d in $(rcli HKEYS "cchc:v2:days:$1:$m"); do
            [[ "$d" > "$3" ]] && continue
            v=$(day_fig "$1" "$d" "$2")
            sum=$((sum + ${v:-0}))
        done
    done
    echo $sum
}
[ "$(level_at $N present.cong-chuc 2022-02-28)" = 0 ] || fail "before any headcount"
[ "$(level_at $N present.cong-chuc 2022-05-31)" = 5 ] || fail "window ending before June: the March headcount"
[ "$(level_at $N present.cong-chuc 2022-11-30)" = 7 ] || fail "the June headcount replaces March's"
[ "$(level_at kg.rachgia present.cong-chuc 2022-11-30)" = 7 ] || fail "city rollup of the department"
[ "$(level_at kg.rachgia commune:qualified.cbcc-xa 2022-11-30)" = 18 ] || fail "ward rolled up once"
[ "$(level_at kg.rachgia district:present.cbcc-xa 2022-11-30)" = 0 ] || fail "ward counted at district level"
[ "$(rcli HGET cchc:v2:fig:kg.rachgia:all recruited.cong-chuc)" = 2 ] || fail "recruited"
[ "$(rcli HGET cchc:v2:fig:kg.rachgia:all f1.2.1)" = 14 ] || fail "indicator"
[ "$(rcli HGET cchc:v2:fig:kg.rachgia:all job_positions_approved.agency)" = 1 ] || fail "job positions"
[ "$(rcli HGET cchc:v2:fig:kg.rachgia:all revenue)" = 887200000000 ] || fail "revenue in đồng"
# The department moved from state-funded to 10-30 % self-funding in July: one unit, counted once.
[ "$(level_at kg.rachgia autonomy.nha-nuoc-dam-bao 2022-06-30)" = 1 ] || fail "autonomy before"
[ "$(level_at kg.rachgia autonomy.nha-nuoc-dam-bao 2022-11-30)" = 0 ] || fail "autonomy after"
[ "$(level_at kg.rachgia autonomy.tu-chu-mot-phan-10-30 2022-11-30)" = 1 ] || fail "autonomy new"
[ "$(level_at kg.rachgia service_units 2022-11-30)" = 1 ] || fail "service units"
[ "$(level_at kg.rachgia proc.1.004227.online_l4 2022-11-30)" = 1 ] || fail "online catalogue"
[ "$(level_at kg.rachgia online_offered_l4.district 2022-11-30)" = 1 ] || fail "online offered"
[ "$(rcli HGET cchc:v2:fig:kg.rachgia:all commune:documents_out_electronic)" = 1 ] || fail "documents"
echo "services_records: ok"
