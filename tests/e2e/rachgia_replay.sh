#!/usr/bin/env bash
# Replaying rachgia-2022 through all four services gives every figure of
# services/DOMAIN.md (forms 1-7 and the report's text figures); the XLSX workbook holds
# the JSON report's numbers; importing everything again changes no figure.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/e2e/rachgia_expect.sh"

replay_rachgia_2022
check_rachgia_2022_all

# The workbook read back (an .xlsx is a zip of XML) equals the JSON, form by form.
cchc-report --unit kg.rachgia --from $FROM --to $TO --format xlsx --out "$T/rachgia.xlsx"
cchc-report --unit kg.rachgia --from $FROM --to $TO --format json >"$T/rachgia.json"
python3 "$CCHC_SRC/tests/report/xlsx_check.py" "$T/rachgia.xlsx" "$T/rachgia.json" ||
    fail "the workbook differs from the JSON report"
rcli HGETALL cchc:v2:fig:kg.rachgia:all | paste - - | sort >"$T/all-before"

# The same files again: every line a duplicate, no figure moves.
for s in "${SERVICES[@]}"; do
    url="${s^^}_URL"
    cchc-import --url "${!url}" "$T/data/$s"-*.ndjson >"$T/again-$s.out"
    grep -q 'accepted 0, duplicate' "$T/again-$s.out" || fail "second import: $(cat "$T/again-$s.out")"
done
wait_caught_up
check_rachgia_2022
rcli HGETALL cchc:v2:fig:kg.rachgia:all | paste - - | sort >"$T/all-after"
cmp -s "$T/all-before" "$T/all-after" || fail "a second import changed the all-time figures"
echo "rachgia_replay: ok"
