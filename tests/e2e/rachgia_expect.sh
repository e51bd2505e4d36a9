# The 2022 figures of Rạch Giá that the replay must give (services/DOMAIN.md,
# form 3 and the report's text; where the text contradicts its own arithmetic,
# the arithmetic: see README.md). Sourced by the e2e tests.
FROM=2021-12-15
TO=2022-11-30

# check_rachgia_2022: every form 3 figure of the city, the branch, the one-stop shop, the wards.
check_rachgia_2022() {
    local city branch onestop
    city=$(report kg.rachgia $FROM $TO)
    expect "$city" 3.2.1 45148
    expect "$city" 3.2.2 42241
    expect "$city" 3.2 93.56
    expect "$city" 3.3.1 106075
    expect "$city" 3.3.2 106070
    expect "$city" 3.3 99.99
    expect "$city" 3.4.1 5
    expect "$city" 3.4.2 5
    expect "$city" 3.4 100.00
    # City (district level): received 45,750 = carried over 404 + online 732 + new 44,614.
    expect "$city" 3.2.received 45750
    expect "$city" 3.2.carried_over 404
    expect "$city" 3.2.online 732
    expect "$city" 3.2.direct_or_postal 44614
    expect "$city" 3.2.late 2907
    expect "$city" 3.2.late_pct 6.44
    expect "$city" 3.2.pending 602
    expect "$city" 3.2.postal 5298
    expect "$city" 3.2.returned_postal 680
    expect "$city" 3.2.returned_postal_pct 12.84 # 680 / 5,298 = 12.835 %: the report printed 12.83
    # Wards and commune: 106,143 = 27 + 23 + 106,093; late 5 = 0.01 %; pending 68.
    expect "$city" 3.3.received 106143
    expect "$city" 3.3.carried_over 27
    expect "$city" 3.3.online 23
    expect "$city" 3.3.direct_or_postal 106093
    expect "$city" 3.3.late 5
    expect "$city" 3.3.late_pct 0.01
    expect "$city" 3.3.pending 68
    # Land-registration branch: 260 + 38,550 = 38,810 (the text's 38,395 is a slip).
    branch=$(report kg.rachgia.vpdkdd $FROM $TO)
    expect "$branch" 3.2.received 38810
    expect "$branch" 3.2.carried_over 260
    expect "$branch" 3.2.direct_or_postal 38550
    expect "$branch" 3.2.1 38646
    expect "$branch" 3.2.2 35843
    expect "$branch" 3.2 92.75
    expect "$branch" 3.2.late 2803
    expect "$branch" 3.2.late_pct 7.25
    expect "$branch" 3.2.pending 164
    # City one-stop shop: 144 + 732 + 6,064 = 6,940.
    onestop=$(report kg.rachgia.mot-cua $FROM $TO)
    expect "$onestop" 3.2.received 6940
    expect "$onestop" 3.2.carried_over 144
    expect "$onestop" 3.2.online 732
    expect "$onestop" 3.2.direct_or_postal 6064
    expect "$onestop" 3.2.1 6502
    expect "$onestop" 3.2.2 6398
    expect "$onestop" 3.2 98.40
    expect "$onestop" 3.2.late 104
    expect "$onestop" 3.2.late_pct 1.60
    expect "$onestop" 3.2.pending 438
}

# check_rachgia_2022_all: form 3 above, and every figure of forms 1, 2, 4-7
# and the report's text figures of staffing, finance and e-government.
check_rachgia_2022_all() {
    check_rachgia_2022
    local f
    f=$(report kg.rachgia $FROM $TO 3)
    # Procedures in force (levels at the window's end): 425 = 271 + 154.
    expect "$f" 1.4 425
    expect "$f" 1.4.2 271
    expect "$f" 1.4.3 154
    expect "$f" 1.1 18
    expect "$f" 2.1 12
    expect "$f" 2.2 32
    # Form 1: direction (manual indicators, and rates computed from them).
    f=$(report kg.rachgia $FROM $TO 1)
    expect "$f" 1 14
    expect "$f" 2.1 27
    expect "$f" 2.2 27
    expect "$f" 2 100.00
    expect "$f" 3.units 23
    expect "$f" 3.inspected 8
    expect "$f" 3.inspected_pct 34.78 # 8 / 23; the source prints 34,7
    expect "$f" 5.1 21
    expect "$f" 5.2 13
    expect "$f" 5.3 6
    expect "$f" 5.4 1
    expect "$f" 6.1 162
    # Form 2: legal documents.
    f=$(report kg.rachgia $FROM $TO 2)
    expect "$f" 1.2 1
    expect "$f" 1.3 0
    expect "$f" 3.1 2
    # Form 4: civil servants 92 present of 96, contracts 7, public employees 1,807 of 1,914.
    f=$(report kg.rachgia $FROM $TO 4)
    expect "$f" 1.5.3 52
    expect "$f" 2.1 96
    expect "$f" 2.2 92
    expect "$f" 2.3 7
    expect "$f" 2.4 0
    expect "$f" 3.1 1914
    expect "$f" 3.2 1807
    expect "$f" cbcc-xa.quota 264
    expect "$f" cbcc-xa.present 258
    expect "$f" cbcc-xa.qualified 233
    expect "$f" kct-xa.quota 164
    expect "$f" kct-xa.present 141
    expect "$f" kct-ap.quota 144
    expect "$f" kct-ap.present 144
    expect "$f" nhd-ap.quota 360
    expect "$f" nhd-ap.present 306
    # Each department, present of quota (services/DOMAIN.md; they sum to 92 of 96).
    local d p q
    for d in noi-vu:7:7 kinh-te:8:8 tai-chinh-ke-hoach:10:10 lao-dong-tbxh:7:7 \
        van-hoa-thong-tin:4:5 tu-phap:4:4 quan-ly-do-thi:8:9 thanh-tra:6:7 \
        van-phong-hdnd-ubnd:22:23 tai-nguyen-moi-truong:7:7 giao-duc-dao-tao:9:9; do
        IFS=: read -r d p q <<<"$d"
        f=$(report "kg.rachgia.phong-$d" $FROM $TO 4)
        expect "$f" 2.1 "$q"
        expect "$f" 2.2 "$p"
    done
    # Form 5: job positions, recruitment, discipline, training.
    f=$(report kg.rachgia $FROM $TO 5)
    expect "$f" 1.1 11
    expect "$f" 1.2 52
    expect "$f" 2.1 11
    expect "$f" 2.3 1
    expect "$f" 2.4 0
    expect "$f" 4.4 1
    expect "$f" trained 409
    # Form 6: investment 196,870 of 196,870 million; 60 units by autonomy; revenue; audit.
    f=$(report kg.rachgia $FROM $TO 6)
    expect "$f" 1 100.00
    expect "$f" 1.1 196870
    expect "$f" 1.2 196870
    expect "$f" 2.1 60
    expect "$f" 2.3 5
    expect "$f" 2.4 28
    expect "$f" 2.4.3 28
    expect "$f" 2.5 27
    expect "$f" revenue 887.2
    expect "$f" revenue_estimate 774.3
    expect "$f" revenue_pct 114.58
    expect "$f" audit_due 110125714
    expect "$f" audit_paid 110125714
    expect "$f" audit_paid_pct 100.00
    # Form 7: documents, the online catalogue joined with the dossiers, payments.
    f=$(report kg.rachgia $FROM $TO 7)
    expect "$f" 5.2.2 85.47
    expect "$f" 5.2.3 38.53
    expect "$f" 6.1.1 22
    expect "$f" 6.1.2 22
    expect "$f" 6.1.3 2
    expect "$f" 6.2.1 130
    expect "$f" 6.2.2 130
    expect "$f" 6.2.3 100
    expect "$f" 6.3.1 152
    expect "$f" 6.3.2 152
    expect "$f" 6.4 4.29
    expect "$f" 6.4.1 17045 # the table prints 17,323; its own note divides by 17,045
    expect "$f" 6.4.2 732
    expect "$f" 6.5.1 271
    expect "$f" 6.5.2 271
    expect "$f" 5.2.2.in_electronic 7073
    expect "$f" 5.2.2.out_electronic 4412
    expect "$f" 5.2.3.in_electronic 25334
    expect "$f" 5.2.3.out_electronic 3561
    expect "$f" portal.news 80
    expect "$f" portal.image 322
    expect "$f" portal.document 226
    expect "$f" 6.3.1.commune 59
    local email
    email=$(json_row "$f" email.pct)
    [ "${email%%.*}" -ge 93 ] || fail "e-mail use $email %: the report says over 93 %"
}

# replay_rachgia_2022: a private Redis, the four services and the aggregator,
# the scenario written to $T/data (3 files a service) and imported, and
# everything applied.
replay_rachgia_2022() {
    start_redis
    for s in dossier staffing finance egov; do start_service "$s"; done
    start_aggregator
    cchc-loadgen rachgia-2022 --out "$T/data" --files 3 >/dev/null
    import_rachgia_2022 "$T/data"
    wait_caught_up 120
}

# import_rachgia_2022 DIR: every service's files to its service.
import_rachgia_2022() {
    local s url
    for s in "${SERVICES[@]}"; do
        url="${s^^}_URL"
        cchc-import --url "${!url}" "$1"/"$s"-*.ndjson >"$T/import-$s.out" ||
            fail "import $s: $(cat "$T/import-$s.out")"
        grep -q 'rejected 0$' "$T/import-$s.out" || fail "import $s: $(cat "$T/import-$s.out")"
    done
}
