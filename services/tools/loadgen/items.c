/* Every record but the dossiers': how it prints, and what it counts to.
 *
 * lg_count_items applies the pipeline's rules (services/README.md) to the
 * records as emitted: a snapshot type is a level, the latest record before
 * the window's end wins per unit and key; a counter sums the records inside
 * the window. */
#include "loadgen.h"

#include <stdlib.h>
#include <string.h>

const char *const lg_service_names[LG_N_SERVICES] = {"dossier", "staffing", "finance", "egov"};

#define LG_TYPE_NAME(e, name, svc) name,
const char *const lg_type_names[LG_N_TYPES] = {LG_TYPES(LG_TYPE_NAME)};
#undef LG_TYPE_NAME
#define LG_TYPE_SVC(e, name, svc) svc,
const uint8_t lg_type_service[LG_N_TYPES] = {LG_TYPES(LG_TYPE_SVC)};
#undef LG_TYPE_SVC

const char *const lg_category_names[LG_N_CATEGORIES] = {
    "cong-chuc", "hop-dong", "vien-chuc", "cbcc-xa", "kct-xa", "kct-ap", "nhd-ap"};
const char *const lg_autonomy_names[LG_N_AUTONOMY] = {
    "tu-chu-chi-dau-tu",     "tu-chu-chi-thuong-xuyen", "tu-chu-mot-phan-70-100",
    "tu-chu-mot-phan-30-70", "tu-chu-mot-phan-10-30",   "nha-nuoc-dam-bao"};
const char *const lg_post_kind_names[LG_N_POST_KINDS] = {"news", "image", "document"};

static const char *const counter_names[LG_N_COUNTERS] = {"recruited", "transferred", "trained",
                                                         "disciplined", "streamlined"};

struct lg_item *lg_item_add(struct lg_data *d, int type, uint16_t unit, int64_t at)
{
    if (d->n_items == d->cap_items) {
        size_t cap = d->cap_items ? 2 * d->cap_items : 4096;
        struct lg_item *n = realloc(d->items, cap * sizeof *n);
        if (!n) {
            fprintf(stderr, "cchc-loadgen: out of memory\n");
            exit(1);
        }
        d->items = n;
        d->cap_items = cap;
    }
    struct lg_item *it = &d->items[d->n_items++];
    memset(it, 0, sizeof *it);
    it->type = (uint8_t)type;
    it->unit = unit;
    it->at = at;
    it->seq = ++d->item_seq[type];
    return it;
}

static const char *tf(int b)
{
    return b ? "true" : "false";
}

size_t lg_item_format(const struct lg_data *d, const struct lg_item *it, char *buf, size_t cap)
{
    char at[LG_TIME_LEN];
    const struct lg_unit *u = &lg_units[it->unit];
    const char *type = lg_type_names[it->type];
    lg_time_format(it->at, at);
    int n = snprintf(buf, cap,
                     "{\"id\":\"%s-%s-%s-%05u\",\"type\":\"%s\",\"unit\":\"%s\",\"at\":\"%s\"",
                     d->id_prefix, u->slug, type, it->seq, type, u->id, at);
    if (n < 0 || (size_t)n >= cap)
        return 0;
    size_t k = (size_t)n;
    const struct lg_procedure *p = &d->procedures[it->proc];
    int f = it->flags;
    switch (it->type) {
    case LG_T_PROCEDURE:
        n = snprintf(buf + k, cap - k,
                     ",\"procedure\":\"%s\",\"field\":\"%s\",\"tier\":\"%s\",\"simplified\":%s,"
                     "\"inter_agency\":\"%s\",\"fee\":%s,\"online_payment\":%s%s",
                     p->code, p->field, lg_tier_names[p->tier], tf(f & LG_F_SIMPLIFIED),
                     lg_inter_names[it->cat], tf(f & LG_F_FEE), tf(f & LG_F_ONLINE_PAYMENT),
                     f & LG_F_WITHDRAWN ? ",\"withdrawn\":true" : "");
        break;
    case LG_T_SURVEY:
        n = snprintf(buf + k, cap - k, ",\"satisfied\":%s", tf(f & LG_F_SATISFIED));
        break;
    case LG_T_HEADCOUNT:
        n = snprintf(buf + k, cap - k, ",\"category\":\"%s\",\"quota\":%lld,\"present\":%lld",
                     lg_category_names[it->cat], (long long)it->v[0], (long long)it->v[1]);
        if (n >= 0 && (f & LG_F_QUALIFIED) && (size_t)n < cap - k) {
            k += (size_t)n;
            n = snprintf(buf + k, cap - k, ",\"qualified\":%lld", (long long)it->v[2]);
        }
        break;
    case LG_T_RECRUITED:
    case LG_T_TRANSFERRED:
    case LG_T_TRAINED:
    case LG_T_DISCIPLINED:
    case LG_T_STREAMLINED:
        n = snprintf(buf + k, cap - k, ",\"category\":\"%s\",\"count\":%lld",
                     lg_category_names[it->cat], (long long)it->v[0]);
        break;
    case LG_T_JOB_POSITIONS:
        n = snprintf(buf + k, cap - k, ",\"approved\":%s", tf(f & LG_F_APPROVED));
        break;
    case LG_T_INDICATOR:
        n = snprintf(buf + k, cap - k, ",\"form\":%d,\"row\":\"%s\",\"value\":%lld", it->form,
                     it->row, (long long)it->v[0]);
        break;
    case LG_T_REVENUE:
    case LG_T_REVENUE_ESTIMATE:
    case LG_T_INVESTMENT_PLAN:
    case LG_T_DISBURSEMENT:
    case LG_T_AUDIT_DUE:
    case LG_T_AUDIT_PAID:
        n = snprintf(buf + k, cap - k, ",\"amount\":%lld", (long long)it->v[0]);
        break;
    case LG_T_AUTONOMY:
        n = snprintf(buf + k, cap - k, ",\"category\":\"%s\"", lg_autonomy_names[it->cat]);
        break;
    case LG_T_DOCUMENT:
        n = snprintf(buf + k, cap - k, ",\"direction\":\"%s\",\"electronic\":%s",
                     it->cat == LG_IN ? "in" : "out", tf(f & LG_F_ELECTRONIC));
        break;
    case LG_T_ONLINE_SERVICE:
        n = snprintf(buf + k, cap - k,
                     ",\"procedure\":\"%s\",\"level\":%d,\"payment\":%s,\"national_portal\":%s,"
                     "\"offered\":%s,\"tier\":\"%s\"",
                     p->code, it->level, tf(f & LG_F_PAYMENT), tf(f & LG_F_PORTAL),
                     tf(f & LG_F_OFFERED), lg_tier_names[p->tier]);
        break;
    case LG_T_PORTAL_POST:
        n = snprintf(buf + k, cap - k, ",\"kind\":\"%s\"", lg_post_kind_names[it->cat]);
        break;
    case LG_T_EMAIL_USAGE:
        n = snprintf(buf + k, cap - k, ",\"users\":%lld,\"staff\":%lld", (long long)it->v[0],
                     (long long)it->v[1]);
        break;
    default:
        return 0;
    }
    if (n < 0 || (size_t)n >= cap - k)
        return 0;
    k += (size_t)n;
    if (k + 3 > cap)
        return 0;
    memcpy(buf + k, "}\n", 3);
    return k + 2;
}

static int is_level(int type)
{
    switch (type) {
    case LG_T_PROCEDURE:
    case LG_T_HEADCOUNT:
    case LG_T_JOB_POSITIONS:
    case LG_T_INDICATOR:
    case LG_T_REVENUE_ESTIMATE:
    case LG_T_INVESTMENT_PLAN:
    case LG_T_AUTONOMY:
    case LG_T_ONLINE_SERVICE:
    case LG_T_EMAIL_USAGE:
        return 1;
    default:
        return 0;
    }
}

/* The series a snapshot belongs to: its type, unit and key. */
static int key_cmp(const struct lg_item *a, const struct lg_item *b)
{
    if (a->type != b->type)
        return a->type < b->type ? -1 : 1;
    if (a->unit != b->unit)
        return a->unit < b->unit ? -1 : 1;
    switch (a->type) {
    case LG_T_HEADCOUNT:
        return (a->cat > b->cat) - (a->cat < b->cat);
    case LG_T_PROCEDURE:
    case LG_T_ONLINE_SERVICE:
        return (a->proc > b->proc) - (a->proc < b->proc);
    case LG_T_INDICATOR:
        if (a->form != b->form)
            return a->form < b->form ? -1 : 1;
        return strcmp(a->row, b->row);
    default:
        return 0;
    }
}

static int by_key_then_time(const void *pa, const void *pb)
{
    const struct lg_item *a = *(const struct lg_item *const *)pa,
                         *b = *(const struct lg_item *const *)pb;
    int c = key_cmp(a, b);
    if (c)
        return c;
    return (a->at > b->at) - (a->at < b->at);
}

static void take_level(const struct lg_data *d, const struct lg_item *it, struct lg_counts *c)
{
    struct lg_item_counts *k = &c->items;
    const struct lg_procedure *p = &d->procedures[it->proc];
    switch (it->type) {
    case LG_T_PROCEDURE:
        if (it->flags & LG_F_WITHDRAWN)
            break;
        k->procedures[p->tier]++;
        k->simplified += (it->flags & LG_F_SIMPLIFIED) != 0;
        k->inter_same += it->cat == LG_INTER_SAME;
        k->inter_cross += it->cat == LG_INTER_CROSS;
        k->fee += (it->flags & LG_F_FEE) != 0;
        k->online_payment += (it->flags & LG_F_ONLINE_PAYMENT) != 0;
        break;
    case LG_T_ONLINE_SERVICE: {
        struct lg_online *o = &k->online[p->tier == LG_TIER_COMMUNE];
        int offered = (it->flags & LG_F_OFFERED) != 0;
        if (it->level == 3) {
            o->eligible_l3++;
            o->offered_l3 += offered;
        } else {
            o->eligible_l4++;
            o->offered_l4 += offered;
        }
        o->payment += (it->flags & LG_F_PAYMENT) != 0;
        o->portal += (it->flags & LG_F_PORTAL) != 0;
        if (offered)
            c->online_end[it->proc] = it->level;
        break;
    }
    case LG_T_HEADCOUNT:
        k->quota[it->cat] += (long)it->v[0];
        k->present[it->cat] += (long)it->v[1];
        if (it->flags & LG_F_QUALIFIED)
            k->qualified[it->cat] += (long)it->v[2];
        if (it->cat == LG_CONG_CHUC) {
            k->unit_quota[it->unit] += (long)it->v[0];
            k->unit_present[it->unit] += (long)it->v[1];
        }
        break;
    case LG_T_JOB_POSITIONS:
        k->job_positions[lg_units[it->unit].kind] += (it->flags & LG_F_APPROVED) != 0;
        break;
    case LG_T_INDICATOR:
        if (c->n_indicators < LG_MAX_INDICATORS)
            c->indicators[c->n_indicators] =
                (struct lg_indicator){it->form, it->row, (long)it->v[0]};
        c->n_indicators++;
        break;
    case LG_T_REVENUE_ESTIMATE:
        k->revenue_estimate += it->v[0];
        break;
    case LG_T_INVESTMENT_PLAN:
        k->investment_plan += it->v[0];
        break;
    case LG_T_AUTONOMY:
        k->service_units++;
        k->autonomy[it->cat]++;
        break;
    case LG_T_EMAIL_USAGE:
        k->email_users += (long)it->v[0];
        k->email_staff += (long)it->v[1];
        break;
    }
}

static void take_counter(const struct lg_item *it, struct lg_item_counts *k)
{
    switch (it->type) {
    case LG_T_SURVEY:
        k->survey++;
        k->survey_satisfied += (it->flags & LG_F_SATISFIED) != 0;
        break;
    case LG_T_RECRUITED:
    case LG_T_TRANSFERRED:
    case LG_T_TRAINED:
    case LG_T_DISCIPLINED:
    case LG_T_STREAMLINED:
        k->counters[it->type - LG_T_RECRUITED][it->cat] += (long)it->v[0];
        break;
    case LG_T_REVENUE:
        k->revenue += it->v[0];
        break;
    case LG_T_DISBURSEMENT:
        k->disbursed += it->v[0];
        break;
    case LG_T_AUDIT_DUE:
        k->audit_due += it->v[0];
        break;
    case LG_T_AUDIT_PAID:
        k->audit_paid += it->v[0];
        break;
    case LG_T_DOCUMENT: {
        long *x = k->documents[lg_units[it->unit].level == LG_COMMUNE];
        int e = (it->flags & LG_F_ELECTRONIC) != 0;
        if (it->cat == LG_IN) {
            x[0]++;
            x[1] += e;
        } else {
            x[2]++;
            x[3] += e;
        }
        break;
    }
    case LG_T_PORTAL_POST:
        k->portal[it->cat]++;
        break;
    }
}

int lg_count_items(const struct lg_data *d, const struct lg_record *recs, size_t n,
                   const struct lg_window *w, struct lg_counts *c)
{
    const struct lg_item **snap = malloc((d->n_items + 1) * sizeof *snap);
    size_t ns = 0;
    c->online_end = calloc(d->n_procedures + 1, 1);
    if (!snap || !c->online_end) {
        fprintf(stderr, "cchc-loadgen: out of memory\n");
        free(snap);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        if (recs[i].kind != LG_ITEM)
            continue;
        const struct lg_item *it = &d->items[recs[i].ref];
        if (is_level(it->type)) {
            if (it->at < w->to)
                snap[ns++] = it;
        } else if (it->at >= w->from && it->at < w->to) {
            take_counter(it, &c->items);
        }
    }
    qsort(snap, ns, sizeof *snap, by_key_then_time);
    for (size_t i = 0; i < ns; i++) {
        if (i + 1 < ns && key_cmp(snap[i], snap[i + 1]) == 0) {
            if (snap[i]->at == snap[i + 1]->at) {
                fprintf(stderr,
                        "cchc-loadgen: self-check: two %s snapshots of one series at one time\n",
                        lg_type_names[snap[i]->type]);
                free(snap);
                return -1;
            }
            continue; /* a later one replaces it */
        }
        take_level(d, snap[i], c);
    }
    free(snap);
    return 0;
}

static int check_ll(const char *group, const char *name, long long got, long long want)
{
    if (got == want)
        return 0;
    fprintf(stderr,
            "cchc-loadgen: self-check: %s.%s counts %lld in the records, the scenario "
            "is built for %lld\n",
            group, name, got, want);
    return -1;
}

int lg_check_items(const struct lg_counts *c, const struct lg_targets *t)
{
    const struct lg_item_counts *g = &c->items, *e = &t->items;
    int bad = 0;
    char name[96];
    for (int i = 0; i < LG_N_TIERS; i++)
        bad |=
            check_ll("catalogue.procedures", lg_tier_names[i], g->procedures[i], e->procedures[i]);
#define CK(grp, f) bad |= check_ll(grp, #f, g->f, e->f)
    CK("catalogue", simplified);
    CK("catalogue", inter_same);
    CK("catalogue", inter_cross);
    CK("catalogue", fee);
    CK("catalogue", online_payment);
    for (int tier = 0; tier < 2; tier++) {
        const char *grp = tier ? "online.commune" : "online.district";
#define CK_ONLINE(f) bad |= check_ll(grp, #f, g->online[tier].f, e->online[tier].f);
        LG_ONLINE(CK_ONLINE)
#undef CK_ONLINE
    }
    CK("survey", survey);
    CK("survey", survey_satisfied);
    for (int k = 0; k < LG_N_CATEGORIES; k++) {
        snprintf(name, sizeof name, "staffing.headcount.%s", lg_category_names[k]);
        bad |= check_ll(name, "quota", g->quota[k], e->quota[k]);
        bad |= check_ll(name, "present", g->present[k], e->present[k]);
        bad |= check_ll(name, "qualified", g->qualified[k], e->qualified[k]);
        for (int x = 0; x < LG_N_COUNTERS; x++) {
            snprintf(name, sizeof name, "staffing.%s", counter_names[x]);
            bad |= check_ll(name, lg_category_names[k], g->counters[x][k], e->counters[x][k]);
        }
    }
    for (int u = 0; u < LG_N_UNITS; u++) {
        snprintf(name, sizeof name, "staffing.cong-chuc.%s", lg_units[u].id);
        bad |= check_ll(name, "quota", g->unit_quota[u], e->unit_quota[u]);
        bad |= check_ll(name, "present", g->unit_present[u], e->unit_present[u]);
    }
    for (int k = 0; k < LG_N_KINDS; k++)
        bad |= check_ll("staffing.job_positions_approved", lg_kind_names[k], g->job_positions[k],
                        e->job_positions[k]);
    CK("finance", revenue);
    CK("finance", revenue_estimate);
    CK("finance", investment_plan);
    CK("finance", disbursed);
    CK("finance", audit_due);
    CK("finance", audit_paid);
    CK("finance", service_units);
    for (int k = 0; k < LG_N_AUTONOMY; k++)
        bad |= check_ll("finance.autonomy", lg_autonomy_names[k], g->autonomy[k], e->autonomy[k]);
    static const char *const doc[4] = {"in", "in_electronic", "out", "out_electronic"};
    for (int l = 0; l < 2; l++)
        for (int k = 0; k < 4; k++)
            bad |= check_ll(l ? "egov.documents.commune" : "egov.documents.district", doc[k],
                            g->documents[l][k], e->documents[l][k]);
    for (int k = 0; k < LG_N_POST_KINDS; k++)
        bad |= check_ll("egov.portal", lg_post_kind_names[k], g->portal[k], e->portal[k]);
    CK("egov", email_users);
    CK("egov", email_staff);
#undef CK
    /* Indicators: the same rows with the same values, none more. */
    bad |=
        check_ll("staffing", "indicators", (long long)c->n_indicators, (long long)t->n_indicators);
    for (size_t i = 0; i < t->n_indicators && i < LG_MAX_INDICATORS; i++) {
        const struct lg_indicator *want = &t->indicators[i];
        long long got = -1;
        for (size_t j = 0; j < c->n_indicators && j < LG_MAX_INDICATORS; j++)
            if (c->indicators[j].form == want->form && !strcmp(c->indicators[j].row, want->row))
                got = c->indicators[j].value;
        snprintf(name, sizeof name, "f%d.%s", want->form, want->row);
        bad |= check_ll("staffing.indicator", name, got, want->value);
    }
    return bad ? -1 : 0;
}

static void json_longs(FILE *f, const char *const *names, const long *v, int n)
{
    const char *sep = "{";
    for (int i = 0; i < n; i++) {
        fprintf(f, "%s\"%s\":%ld", sep, names[i], v[i]);
        sep = ",";
    }
    fputc('}', f);
}

void lg_write_expected_items(FILE *f, const struct lg_counts *c)
{
    const struct lg_item_counts *k = &c->items;
    fprintf(f, "\"survey\":{\"survey\":%ld,\"survey_satisfied\":%ld},\n", k->survey,
            k->survey_satisfied);
    fputs("\"catalogue\":{\"procedures\":", f);
    json_longs(f, lg_tier_names, k->procedures, LG_N_TIERS);
    fprintf(f,
            ",\"simplified\":%ld,\"inter_same\":%ld,\"inter_cross\":%ld,\"fee\":%ld,"
            "\"online_payment\":%ld},\n",
            k->simplified, k->inter_same, k->inter_cross, k->fee, k->online_payment);
    fputs("\"online\":{", f);
    for (int tier = 0; tier < 2; tier++) {
        const char *sep = "{";
        fprintf(f, "%s\"%s\":", tier ? "," : "", tier ? "commune" : "district");
#define J(x)                                                                                       \
    fprintf(f, "%s\"" #x "\":%ld", sep, k->online[tier].x);                                        \
    sep = ",";
        LG_ONLINE(J)
#undef J
        fputc('}', f);
    }
    fputs("},\n\"form7\":{", f);
    for (int l = 0; l < 2; l++) {
        const char *sep = "{";
        fprintf(f, "%s\"%s\":", l ? "," : "", l ? "commune" : "district");
#define J(x)                                                                                       \
    fprintf(f, "%s\"" #x "\":%ld", sep, c->f7[l].x);                                               \
    sep = ",";
        LG_F7(J)
#undef J
        fputc('}', f);
    }
    fputs("},\n\"staffing\":{\"headcount\":{", f);
    for (int i = 0; i < LG_N_CATEGORIES; i++)
        fprintf(f, "%s\"%s\":{\"quota\":%ld,\"present\":%ld,\"qualified\":%ld}", i ? "," : "",
                lg_category_names[i], k->quota[i], k->present[i], k->qualified[i]);
    fputs("},\n\"cong-chuc\":{", f);
    const char *sep = "";
    for (int u = 0; u < LG_N_UNITS; u++)
        if (k->unit_quota[u] || k->unit_present[u]) {
            fprintf(f, "%s\"%s\":{\"quota\":%ld,\"present\":%ld}", sep, lg_units[u].id,
                    k->unit_quota[u], k->unit_present[u]);
            sep = ",";
        }
    fputs("},\n", f);
    for (int x = 0; x < LG_N_COUNTERS; x++) {
        fprintf(f, "\"%s\":", counter_names[x]);
        json_longs(f, lg_category_names, k->counters[x], LG_N_CATEGORIES);
        fputs(",", f);
    }
    fputs("\n\"job_positions_approved\":", f);
    json_longs(f, lg_kind_names, k->job_positions, LG_N_KINDS);
    fputs(",\n\"indicators\":{", f);
    for (size_t i = 0; i < c->n_indicators && i < LG_MAX_INDICATORS; i++)
        fprintf(f, "%s\"f%d.%s\":%ld", i ? "," : "", c->indicators[i].form, c->indicators[i].row,
                c->indicators[i].value);
    fprintf(f,
            "}},\n\"finance\":{\"revenue\":%lld,\"revenue_estimate\":%lld,\"investment_plan\":%lld,"
            "\"disbursed\":%lld,\"audit_due\":%lld,\"audit_paid\":%lld,\"service_units\":%ld,"
            "\"autonomy\":",
            k->revenue, k->revenue_estimate, k->investment_plan, k->disbursed, k->audit_due,
            k->audit_paid, k->service_units);
    json_longs(f, lg_autonomy_names, k->autonomy, LG_N_AUTONOMY);
    static const char *const doc[4] = {"in", "in_electronic", "out", "out_electronic"};
    fputs("},\n\"egov\":{\"documents\":{\"district\":", f);
    json_longs(f, doc, k->documents[0], 4);
    fputs(",\"commune\":", f);
    json_longs(f, doc, k->documents[1], 4);
    fputs("},\"portal\":", f);
    json_longs(f, lg_post_kind_names, k->portal, LG_N_POST_KINDS);
    fprintf(f, ",\"email_users\":%ld,\"email_staff\":%ld}", k->email_users, k->email_staff);
}

void lg_apportion(long long total, const unsigned *w, size_t n, long long *out)
{
    unsigned long long sum = 0;
    long long given = 0;
    for (size_t i = 0; i < n; i++)
        sum += w[i];
    if (!sum)
        return;
    /* total * w[i] stays far inside 64 bits for the amounts used here (< 2^40
     * đồng times weights < 2^16). */
    for (size_t i = 0; i < n; i++) {
        out[i] = (long long)((unsigned long long)total * w[i] / sum);
        given += out[i];
    }
    while (given < total) {
        /* The largest remainder, ties to the lower index. */
        size_t best = 0;
        unsigned long long best_rem = 0;
        int found = 0;
        for (size_t i = 0; i < n; i++) {
            unsigned long long rem = (unsigned long long)total * w[i] % sum;
            if (w[i] && (!found || rem > best_rem) &&
                (unsigned long long)out[i] * sum < (unsigned long long)total * w[i]) {
                best = i;
                best_rem = rem;
                found = 1;
            }
        }
        if (!found)
            break;
        out[best]++;
        given++;
    }
}
