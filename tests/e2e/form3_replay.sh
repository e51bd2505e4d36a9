#!/usr/bin/env bash
# Replaying rachgia-2022 gives every form 3 figure; importing it again changes none.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/e2e/rachgia_expect.sh"

start_redis
start_dossier
start_aggregator
cchc-loadgen rachgia-2022 --out "$T/data" --files 3 >/dev/null
cchc-import --url "$DOSSIER_URL" "$T"/data/dossier-*.ndjson >"$T/import1.out"
grep -q 'rejected 0$' "$T/import1.out" || fail "first import: $(cat "$T/import1.out")"
wait_caught_up
check_rachgia_2022
rcli HGETALL cchc:v1:fig:kg.rachgia:all | sort >"$T/all-before"

# The same files again: every line a duplicate, no figure moves.
cchc-import --url "$DOSSIER_URL" "$T"/data/dossier-*.ndjson >"$T/import2.out"
grep -q 'accepted 0, duplicate' "$T/import2.out" || fail "second import: $(cat "$T/import2.out")"
wait_caught_up
check_rachgia_2022
rcli HGETALL cchc:v1:fig:kg.rachgia:all | sort >"$T/all-after"
cmp -s "$T/all-before" "$T/all-after" || fail "a second import changed the all-time figures"
echo "form3_replay: ok"
