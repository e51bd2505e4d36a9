# Shared by the bus attacks of tests/security/ (sourced after tests/lib.sh;
# not a test itself: only *.sh files are). The pipeline a bus attack runs
# against, the figures dump it compares, and the checks that nothing
# acknowledged was lost.

SEC="$CCHC_SRC/tests/security"

# records PREFIX N UNIT: N dossier `received` records for UNIT, ids PREFIX-1..N.
records() {
    local i
    for i in $(seq "$2"); do
        printf '{"id":"%s-%d","type":"received","unit":"%s","at":"2022-05-02T08:00:00+07:00","dossier":"%s-%d","procedure":"p","field":"f","channel":"online","due":"2022-05-06T17:00:00+07:00"}\n' \
            "$1" "$i" "$3" "$1" "$i"
    done
}

# post PREFIX N UNIT: posts them to cchc-dossier; fails unless all N are accepted.
POSTED=0
post() {
    records "$@" >"$T/post-$1.ndjson"
    local out
    out=$(curl -sf -H @"$T/auth.header" --data-binary @"$T/post-$1.ndjson" "$DOSSIER_URL") || fail "post $1 failed"
    [ "$(jq .accepted <<<"$out")" = "$2" ] || fail "post $1: $(head -c 300 <<<"$out")"
    POSTED=$((POSTED + $2))
}

# figures FILE: what an attack must leave as it was (tests/lib.sh, figures_dump).
figures() { figures_dump "${1:-/dev/stdout}"; }

# same_figures BEFORE_FILE: the figures now are those of BEFORE_FILE.
same_figures() {
    figures >"$T/figures.after"
    diff "$1" "$T/figures.after" >"$T/figures.diff" ||
        fail "figures changed: $(head -n 20 "$T/figures.diff")"
}

hb() { rcli HGET cchc:v2:heartbeat:aggregator "$1"; }
# hb_at_least FIELD N: the heartbeat's FIELD reaches N (within 10 s).
hb_ge() { [ "$(hb "$1")" -ge "$2" ] 2>/dev/null; }
hb_at_least() { wait_for 10 hb_ge "$1" "$2"; }

svc_stat() { curl -sf "$DOSSIER_BASE/v1/stats" | jq -r "$1"; }

# nothing_lost UNIT: every record posted (POSTED, all at UNIT) is in the
# figures, once: the journal has them all, the aggregator applied them all.
nothing_lost() {
    wait_caught_up 60
    # one event a record, all kept (nothing here compacts what is unapplied)
    [ "$(svc_stat .journal_next_seq)" = "$POSTED" ] ||
        fail "the journal holds $(svc_stat .journal_next_seq) events, $POSTED records acknowledged"
    local got
    got=$(rcli HGET "cchc:v2:fig:$1:all" received)
    [ "${got:-0}" = "$POSTED" ] || fail "$1 received ${got:-0}, $POSTED records acknowledged"
}

# pipeline: cchc-dossier and the aggregator reading it and the hostile
# publisher's sockets ($T/h.pub, $T/h.rep), with some records applied.
pipeline() {
    start_redis
    start_dossier "$@"
    start aggregator cchc-aggregator --sources "$(SOURCES);ipc://$T/h.pub,ipc://$T/h.rep"
    post base 20 kg.rachgia.p-vinh-loi
    wait_caught_up 60
}

# hostile MODE SECONDS [SECRET_FILE [PUBLISHER]]: tests/e2e/hostile_pub.c,
# signing with SECRET_FILE's key (default: the hostile publisher's own),
# under the name PUBLISHER (default: its own).
hostile() {
    "$CCHC_BIN/hostile_pub" "ipc://$T/h.pub" "ipc://$T/h.rep" "$2" "$1" \
        "${3:-$(bus_secret_of hostile)}" ${4:+"$4"} >>"$T/hostile.out"
}

# backlog: the pipeline with retention at 1 MB, the aggregator stopped once
# its position (20) is registered, and 9000 records (over 2 MB) posted
# meanwhile, so that retention wants to drop what it has not applied; the
# figures then in $T/figures.before, the journal's epoch and end in $epoch
# and $end. What a forged ACK would make retention drop.
backlog() {
    pipeline --journal-max-mb 1
    wait_value 10 20 svc_stat '.subscribers.aggregator // 0'
    figures >"$T/figures.before"
    kill "$PID_aggregator"
    wait "$PID_aggregator" 2>/dev/null || true
    post down 9000 kg.rachgia.p-vinh-loi
    epoch=$(svc_stat .journal_epoch)
    end=$(svc_stat .journal_next_seq)
}

# backlog_kept: after a refused ACK, the position and the events retention
# held stay, no figure moved, and the aggregator, started again, applies
# every record acknowledged.
backlog_kept() {
    sleep 3 # retention runs every second
    [ "$(svc_stat .subscribers.aggregator)" = 20 ] || fail "the position moved: $(svc_stat .subscribers)"
    [ "$(svc_stat .journal_base)" -le 20 ] ||
        fail "retention dropped unapplied events: base $(svc_stat .journal_base)"
    same_figures "$T/figures.before"
    start aggregator cchc-aggregator --sources "$(SOURCES);ipc://$T/h.pub,ipc://$T/h.rep"
    post after 5 kg.rachgia.p-vinh-loi
    nothing_lost kg.rachgia.p-vinh-loi
}

# busreq ARGS...: one raw request on the dossier's replay socket (busreq.py).
busreq() { /usr/bin/python3 "$SEC/busreq.py" "$T/dossier.replay" "$@"; }
