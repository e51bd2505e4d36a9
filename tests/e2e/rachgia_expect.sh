# The 2022 figures of Rạch Giá that the replay must give (shared/brief/DOMAIN.md,
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
