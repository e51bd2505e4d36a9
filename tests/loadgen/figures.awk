# The figures of the records other than the dossier counts, recounted apart
# from the generator with the rules of services/README.md: a snapshot type is
# a level, the latest record before the window's end wins per unit and key;
# a counter sums the records inside the window.
#   awk -F'\t' -v from=T0 -v to=T1 -f figures.awk REGISTRY ITEM_ROWS DOSSIER_ROWS
# REGISTRY: ops/units/rachgia.tsv. ITEM_ROWS: items.jq's rows. DOSSIER_ROWS:
# records.jq's R rows (R dossier unit at due channel procedure field id).
# Out: "name value" lines, and "ERROR what" lines for records that break a
# rule. Times compare as strings (one format, all at +07:00); numbers print
# with %.0f (mawk's %d stops at 2^31).
function bad(m) { print "ERROR " m; errors++ }
function out(name, v) { printf "%s %.0f\n", name, v }
# A rate in basis points, half up, printed with two decimals as the forms do.
function pct(name, num, den,   bp) {
    if (den == 0) { print name " -"; return }
    bp = int((num * 20000 + den) / (2 * den))
    printf "%s %d.%02d\n", name, int(bp / 100), bp % 100
}
function snapshot_key(t) {
    if (t == "procedure" || t == "online_service") return t "|" $4
    if (t == "headcount") return t "|" $2 "|" $4
    if (t == "indicator") return t "|" $2 "|" $4 "|" $5
    if (t == "job_positions" || t == "autonomy" || t == "revenue_estimate" ||
        t == "investment_plan" || t == "email_usage") return t "|" $2
    return ""
}
function build(   k, f, t, u, n) {
    built = 1
    for (k in row) {
        n = split(row[k], f, "\t")
        t = f[1]; u = f[2]
        if (t == "procedure") {
            if (f[11] == "true") { withdrawn++; continue }
            procs[f[6]]++
            simplified += f[7] == "true"
            inter[f[8]]++
            fee += f[9] == "true"
            online_payment += f[10] == "true"
        } else if (t == "online_service") {
            eligible[f[9] "_l" f[5]]++
            if (f[8] == "true") { offered[f[9] "_l" f[5]]++; online_end[f[4]] = f[5] }
            payment[f[9]] += f[6] == "true"
            portal[f[9]] += f[7] == "true"
        } else if (t == "headcount") {
            quota[level[u] "." f[4]] += f[5]
            present[level[u] "." f[4]] += f[6]
            if (f[7] != "-") qualified[level[u] "." f[4]] += f[7]
            if (f[4] == "cong-chuc") { unit_quota[u] += f[5]; unit_present[u] += f[6] }
        } else if (t == "job_positions") {
            if (f[4] == "true") jobs[kind[u]]++
        } else if (t == "indicator") {
            indicator["f" f[4] "." f[5]] = f[6]
        } else if (t == "autonomy") {
            if (kind[u] != "service-unit") bad("autonomy of " u ", not a service unit")
            service_units++
            autonomy[f[4]]++
        } else if (t == "revenue_estimate" || t == "investment_plan") {
            money[t] += f[4]
        } else if (t == "email_usage") {
            email_users += f[4]; email_staff += f[5]
        }
    }
}

FILENAME == ARGV[1] {
    if ($0 !~ /^#/ && NF >= 4) { level[$1] = $2; kind[$1] = $3 }
    next
}

FILENAME == ARGV[2] {
    t = $1
    if (!($2 in level)) bad("record " $NF ": unit " $2 " is not in the registry")
    if (t == "procedure") { tier_of[$4] = $6; field_of[$4] = $5 }
    key = snapshot_key(t)
    if (key != "") {
        if ($3 >= to) { after[t]++; next }
        if (key in last) {
            replaced[t]++
            if ($3 == last[key]) bad("two snapshots of " key " at " $3)
            if ($3 < last[key]) next
        }
        last[key] = $3; row[key] = $0
        next
    }
    if ($3 < from || $3 >= to) { outside[t]++; next }
    if (t == "survey") { survey++; satisfied += $4 == "true" }
    else if (t == "recruited" || t == "transferred" || t == "trained" || t == "disciplined" ||
             t == "streamlined") { count[t "." $4] += $5; count[t] += $5 }
    else if (t == "revenue" || t == "disbursement" || t == "audit_due" || t == "audit_paid")
        money[t] += $4
    else if (t == "document") {
        d = level[$2] "." $4
        docs[d]++
        if ($5 == "true") docs[d "_electronic"]++
    } else if (t == "portal_post") posts[$4]++
    next
}

# The dossiers: their procedures, joined with the catalogues.
{
    if (!built) build()
    unit = $3; at = $4; channel = $6; code = $7
    if (!(code in tier_of)) { bad("dossier " $2 ": procedure " code " not in the catalogue"); next }
    if (field_of[code] != $8) bad("dossier " $2 ": field " $8 ", the catalogue says " field_of[code])
    if (tier_of[code] != level[unit]) bad("dossier " $2 " at " unit ": a " tier_of[code] " procedure")
    if (level[unit] == "district" && channel == "online") online_ever[code] = 1
    if (at < from || at >= to) next
    on = (code in online_end)
    if (channel == "online" && !on) bad("dossier " $2 ": online, its procedure is not")
    if (level[unit] != "district") next
    if (on) received_of_online++
    if (on && channel == "online") { received_online++; with_online[code] = 1 }
}

END {
    if (!built) build()
    out("procedures.province", procs["province"])
    out("procedures.district", procs["district"])
    out("procedures.commune", procs["commune"])
    out("procedures.total", procs["province"] + procs["district"] + procs["commune"])
    out("procedures.simplified", simplified)
    out("procedures.inter_same", inter["same_level"])
    out("procedures.inter_cross", inter["cross_level"])
    out("procedures.fee", fee)
    out("procedures.online_payment", online_payment)
    out("online.district.eligible_l3", eligible["district_l3"])
    out("online.district.offered_l3", offered["district_l3"])
    out("online.district.eligible_l4", eligible["district_l4"])
    out("online.district.offered_l4", offered["district_l4"])
    out("online.district.offered", offered["district_l3"] + offered["district_l4"])
    out("online.district.portal", portal["district"])
    out("online.commune.offered", offered["commune_l3"] + offered["commune_l4"])
    for (c in with_online) {
        l3_with += online_end[c] == 3
        l4_with += online_end[c] == 4
    }
    for (c in online_ever) {
        l3_ever += online_end[c] == 3
        l4_ever += online_end[c] == 4
    }
    out("noise.online_ever.l3", l3_ever)
    out("noise.online_ever.l4", l4_ever)
    out("form7.6.1.3", l3_with)
    out("form7.6.2.3", l4_with)
    out("form7.6.4.1", received_of_online)
    out("form7.6.4.2", received_online)
    pct("form7.6.4", received_online, received_of_online)
    out("survey", survey)
    out("survey.satisfied", satisfied)
    pct("survey.pct", satisfied, survey)
    split("cong-chuc hop-dong vien-chuc cbcc-xa kct-xa kct-ap nhd-ap", cats, " ")
    for (i = 1; i <= 7; i++)
        for (l = 1; l <= 2; l++) {
            lv = l == 1 ? "district" : "commune"
            out("quota." lv "." cats[i], quota[lv "." cats[i]])
            out("present." lv "." cats[i], present[lv "." cats[i]])
            out("qualified." lv "." cats[i], qualified[lv "." cats[i]])
        }
    for (u in unit_quota) {
        out("cong-chuc." u ".quota", unit_quota[u])
        out("cong-chuc." u ".present", unit_present[u])
    }
    split("recruited transferred trained disciplined streamlined", types, " ")
    for (i = 1; i <= 5; i++) {
        out(types[i], count[types[i]])
        for (j = 1; j <= 7; j++) out(types[i] "." cats[j], count[types[i] "." cats[j]])
    }
    out("job_positions.agency", jobs["agency"])
    out("job_positions.service-unit", jobs["service-unit"])
    out("job_positions.government", jobs["government"])
    for (k in indicator) out("indicator." k, indicator[k])
    for (k in money) out("money." k, money[k])
    out("service_units", service_units)
    split("tu-chu-chi-dau-tu tu-chu-chi-thuong-xuyen tu-chu-mot-phan-70-100 tu-chu-mot-phan-30-70 tu-chu-mot-phan-10-30 nha-nuoc-dam-bao", aut, " ")
    for (i = 1; i <= 6; i++) out("autonomy." aut[i], autonomy[aut[i]])
    for (l = 1; l <= 2; l++) {
        lv = l == 1 ? "district" : "commune"
        out("documents." lv ".in", docs[lv ".in"])
        out("documents." lv ".in_electronic", docs[lv ".in_electronic"])
        out("documents." lv ".out", docs[lv ".out"])
        out("documents." lv ".out_electronic", docs[lv ".out_electronic"])
        pct("documents." lv ".pct", docs[lv ".out_electronic"], docs[lv ".out"])
    }
    out("portal.news", posts["news"])
    out("portal.image", posts["image"])
    out("portal.document", posts["document"])
    out("email.users", email_users)
    out("email.staff", email_staff)
    pct("email.pct", email_users, email_staff)
    # The records that must not count: snapshots after the window's end, ones a
    # later snapshot replaces, counters outside the window, procedures withdrawn.
    for (t in after) out("noise.after." t, after[t])
    for (t in replaced) out("noise.replaced." t, replaced[t])
    for (t in outside) out("noise.outside." t, outside[t])
    out("noise.withdrawn", withdrawn)
    out("errors", errors)
}
