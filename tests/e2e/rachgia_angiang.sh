#!/usr/bin/env bash
# Rạch Giá 2022 under the registry of 2025 (ops/units/angiang-2025.tsv: the
# 2022 ids valid until 30 June 2025, the new An Giang after): every 2022
# figure as recorded is unchanged, and as of 2025-12-14 the two new wards
# hold their predecessors' history: phường Rạch Giá the nine wards (and
# Vĩnh Bảo, merged into Vĩnh Thanh Vân in 2024), phường Vĩnh Thông old
# Vĩnh Thông and Phi Thông, the two together every commune of the city.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/e2e/rachgia_expect.sh"
export CCHC_UNITS="$CCHC_SRC/ops/units/angiang-2025.tsv"

replay_rachgia_2022
check_rachgia_2022_all

row() { # UNIT ROW [--as-of DAY]: form 3's row for the 2022 report window
    cchc-report --unit "$1" --from "$FROM" --to "$TO" --form 3 --format json "${@:3}" | jq ".rows[\"$2\"]"
}
sum_of() { # ROW UNIT...: the units' rows as recorded, added
    local r=$1 t=0 u v; shift
    for u in "$@"; do v=$(row "$u" "$r"); t=$((t + ${v/null/0})); done
    echo "$t"
}
nine=(p-vinh-thanh-van p-vinh-thanh p-vinh-quang p-vinh-hiep p-vinh-bao p-vinh-lac p-an-hoa p-an-binh p-rach-soi p-vinh-loi)
for r in 3.3.new 3.3.1 3.3.2 3.3.late 3.3.online; do
    want=$(sum_of "$r" "${nine[@]/#/kg.rachgia.}")
    got=$(row ag.p-rach-gia "$r" --as-of 2025-12-14)
    [ "$got" = "$want" ] || fail "ag.p-rach-gia as of 2025-12-14, row $r: $got, want $want (its predecessors')"
    want_vt=$(sum_of "$r" kg.rachgia.p-vinh-thong kg.rachgia.x-phi-thong)
    got_vt=$(row ag.p-vinh-thong "$r" --as-of 2025-12-14)
    [ "$got_vt" = "$want_vt" ] || fail "ag.p-vinh-thong as of 2025-12-14, row $r: $got_vt, want $want_vt"
    city=$(row kg.rachgia "$r")
    [ $((got + got_vt)) = "${city/null/0}" ] || fail "row $r: the two wards hold $((got + got_vt)), the city's communes $city"
    [ "$got" -gt 0 ] || fail "row $r is 0: the test proves nothing"
done
# The province as of today: Kiên Giang's history, the city's once.
for r in 3.2.new 3.3.new 3.1.1; do
    [ "$(row ag "$r" --as-of 2025-12-14)" = "$(row kg "$r")" ] || fail "ag as of 2025-12-14, row $r: $(row ag "$r" --as-of 2025-12-14), kg as recorded $(row kg "$r")"
done
# As recorded, the new units have nothing of 2022.
[ "$(row ag.p-rach-gia 3.3.new)" = 0 ] || [ "$(row ag.p-rach-gia 3.3.new)" = null ] ||
    fail "ag.p-rach-gia as recorded in 2022: $(row ag.p-rach-gia 3.3.new)"
echo "rachgia_angiang: ok"
