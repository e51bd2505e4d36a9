#!/usr/bin/env bash
# cchc-units check: every committed registry is good; a bad one gets one
# FILE:LINE line per problem and exit 1, and a service refuses to start on
# it with the first of them.
. "$CCHC_SRC/tests/lib.sh"

for f in "$CCHC_SRC"/ops/units/*.tsv; do
    cchc-units check --on 2025-06-30 "$f" >"$T/good.out" || fail "$f: $(cat "$T/good.out")"
    grep -q "^$f: ok: " "$T/good.out" || fail "$f: no ok line: $(cat "$T/good.out")"
done

printf '%s\n' \
    $'kg\tprovince\tgovernment\tTỉnh Kiên Giang\tto=2025-06-30\tsuccessors=ag' \
    $'kg.a\tcommune\tgovernment\tPhường A\tto=2025-06-30\tsuccessors=ag.a,ag.b' \
    $'ag\tprovince\tgovernment\tTỉnh An Giang\tfrom=2025-07-01' \
    $'ag.a\tcommune\tgovernment\tPhường A\tfrom=2025-07-01\tparent=ag.a@2026-01-01' \
    $'ag.b\tcommune\tgovernment\tPhường B\tfrom=2025-07-01\tcode=1\tparent=ag@2025-08-01\tparent=ag@2025-08-01' \
    $'ag.c\tcommune\tgovernment\tPhường C\tfrom=2025-07-01\tcode=1' >"$T/bad.tsv"
rc=0
cchc-units check "$T/bad.tsv" >"$T/bad.out" || rc=$?
[ "$rc" = 1 ] || fail "exit $rc for a bad registry, want 1"
cat >"$T/want.out" <<WANT
$T/bad.tsv:5: 'ag.b' has two parents on 2025-08-01
$T/bad.tsv:2: 'kg.a' is split into 2 successors: history= must name the one that takes its history
$T/bad.tsv:4: 'ag.a' is its own ancestor on 2026-01-01 (a cycle of parents)
$T/bad.tsv:6: code '1' of 'ag.c' is also 'ag.b''s (line 5) on days both are valid
WANT
diff -u "$T/want.out" "$T/bad.out" || fail "cchc-units check printed otherwise"

rc=0
cchc-units check "$T/none.tsv" >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "exit $rc for a missing file, want 2"

rc=0
timeout 10 cchc-dossier --units "$T/bad.tsv" --data "$T/d" --listen 127.0.0.1:0 >"$T/dossier.out" 2>&1 || rc=$?
[ "$rc" != 0 ] || fail "cchc-dossier started on a bad registry"
grep -q "bad.tsv:5: 'ag.b' has two parents on 2025-08-01" "$T/dossier.out" ||
    fail "cchc-dossier did not name the first problem: $(cat "$T/dossier.out")"
echo "units_check: ok"
