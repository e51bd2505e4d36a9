/* The procedure catalogue of Rạch Giá for rachgia-2022: `procedure` records
 * (cchc-dossier) and `online_service` records (cchc-egov), both at the city
 * (kg.rachgia), and the procedures each dossier may be of.
 *
 * At the window's end 271 district and 154 commune procedures are in force
 * (form 3 rows 1.4.x); 18 of the district ones got an approved simplification
 * plan in the window (1.1), 12 are inter-agency at the same level and 32
 * across levels (2.1, 2.2), all 271 have fees and online payment (form 7
 * 6.5.1, 6.5.2). Online: 22 district procedures at level 3 and 130 at level
 * 4, all on the national portal (6.1.x-6.3.x); 59 commune ones. The dossiers
 * draw their procedures so that form 7 rows 6.1.3, 6.2.3 and 6.4.x come out
 * (lg_rachgia_assign_procedures). Around that, records that must not count:
 * 7 procedures abolished and 2 replaced in the window (form 3 row 1.3 counts
 * these 9), one published, one simplified and one abolished after the
 * window, a level-3 service upgraded to level 4, one eligible but offered
 * only from March 2022, one offered only after the window, and a level-3
 * procedure with an online dossier before the window and none in it. */
#include "loadgen.h"

#include <stdlib.h>
#include <string.h>

const char *const lg_tier_names[LG_N_TIERS] = {"province", "district", "commune"};
const char *const lg_inter_names[3] = {"none", "same_level", "cross_level"};

/* Who receives a procedure's dossiers. */
enum desk { DESK_VPDKDD, DESK_MOT_CUA, DESK_WARDS };

/* What happens to a procedure around the window. */
enum role {
    R_IN_FORCE,       /* published before the window, in force at its end */
    R_ABOLISHED,      /* withdrawn in the window (bãi bỏ) */
    R_REPLACED,       /* withdrawn in the window, a new procedure replaces it */
    R_REPLACEMENT,    /* published in the window in place of a replaced one */
    R_LATE_NEW,       /* published after the window */
    R_LATE_ABOLISHED, /* withdrawn after the window: in force at its end */
};

/* One procedure each: the noise of the online catalogue and the dossiers. */
enum special {
    S_NONE,
    S_UPGRADED,          /* online at level 3, at level 4 from May 2022 */
    S_OFFERED_LATE,      /* eligible for level 3, offered from March 2022 */
    S_ONLINE_AFTER,      /* offered at level 4 only after the window */
    S_SIMPLIFIED_AFTER,  /* simplification plan approved after the window */
    S_PRE_WINDOW_ONLINE, /* level 3, an online dossier before the window, none in it */
};

struct plan {
    uint8_t desk, role, online, with_online, simplified, special;
};

struct field_plan {
    const char *field;
    uint8_t tier, desk;
    uint16_t n;
};

/* In force at the window's end: 50 + 221 = 271 district, 154 commune. */
static const struct field_plan fields[] = {
    {"dat-dai", LG_TIER_DISTRICT, DESK_VPDKDD, 50},
    {"kinh-doanh", LG_TIER_DISTRICT, DESK_MOT_CUA, 16},
    {"xay-dung", LG_TIER_DISTRICT, DESK_MOT_CUA, 14},
    {"lao-dong-tbxh", LG_TIER_DISTRICT, DESK_MOT_CUA, 30},
    {"tu-phap", LG_TIER_DISTRICT, DESK_MOT_CUA, 24},
    {"giao-duc", LG_TIER_DISTRICT, DESK_MOT_CUA, 26},
    {"van-hoa", LG_TIER_DISTRICT, DESK_MOT_CUA, 18},
    {"noi-vu", LG_TIER_DISTRICT, DESK_MOT_CUA, 15},
    {"tai-chinh-ke-hoach", LG_TIER_DISTRICT, DESK_MOT_CUA, 12},
    {"moi-truong", LG_TIER_DISTRICT, DESK_MOT_CUA, 8},
    {"giao-thong", LG_TIER_DISTRICT, DESK_MOT_CUA, 10},
    {"y-te", LG_TIER_DISTRICT, DESK_MOT_CUA, 10},
    {"nong-nghiep", LG_TIER_DISTRICT, DESK_MOT_CUA, 14},
    {"thanh-tra", LG_TIER_DISTRICT, DESK_MOT_CUA, 8},
    {"dan-toc", LG_TIER_DISTRICT, DESK_MOT_CUA, 6},
    {"khoa-hoc-cong-nghe", LG_TIER_DISTRICT, DESK_MOT_CUA, 4},
    {"thong-tin-truyen-thong", LG_TIER_DISTRICT, DESK_MOT_CUA, 6},
    {"ho-tich", LG_TIER_COMMUNE, DESK_WARDS, 24},
    {"chung-thuc", LG_TIER_COMMUNE, DESK_WARDS, 12},
    {"bao-tro-xa-hoi", LG_TIER_COMMUNE, DESK_WARDS, 14},
    {"nguoi-co-cong", LG_TIER_COMMUNE, DESK_WARDS, 10},
    {"dat-dai", LG_TIER_COMMUNE, DESK_WARDS, 8},
    {"moi-truong", LG_TIER_COMMUNE, DESK_WARDS, 4},
    {"van-hoa", LG_TIER_COMMUNE, DESK_WARDS, 10},
    {"giao-duc", LG_TIER_COMMUNE, DESK_WARDS, 8},
    {"lao-dong-tbxh", LG_TIER_COMMUNE, DESK_WARDS, 6},
    {"noi-vu", LG_TIER_COMMUNE, DESK_WARDS, 12},
    {"tu-phap", LG_TIER_COMMUNE, DESK_WARDS, 10},
    {"nong-nghiep", LG_TIER_COMMUNE, DESK_WARDS, 12},
    {"y-te", LG_TIER_COMMUNE, DESK_WARDS, 6},
    {"thanh-tra", LG_TIER_COMMUNE, DESK_WARDS, 6},
    {"xay-dung", LG_TIER_COMMUNE, DESK_WARDS, 4},
    {"giao-thong", LG_TIER_COMMUNE, DESK_WARDS, 4},
    {"kinh-doanh", LG_TIER_COMMUNE, DESK_WARDS, 4},
};

/* The codes the first versions of the data set used, kept for their fields;
 * the rest are made up in the national database's format. */
static const struct {
    const char *code, *field;
    uint8_t tier;
} known[] = {
    {"1.004227", "dat-dai", LG_TIER_DISTRICT},   {"1.004221", "dat-dai", LG_TIER_DISTRICT},
    {"1.004203", "dat-dai", LG_TIER_DISTRICT},   {"1.004199", "dat-dai", LG_TIER_DISTRICT},
    {"2.000889", "dat-dai", LG_TIER_DISTRICT},   {"1.001612", "kinh-doanh", LG_TIER_DISTRICT},
    {"1.009972", "xay-dung", LG_TIER_DISTRICT},  {"2.001157", "lao-dong-tbxh", LG_TIER_DISTRICT},
    {"1.003583", "tu-phap", LG_TIER_DISTRICT},   {"1.004873", "giao-duc", LG_TIER_DISTRICT},
    {"1.005458", "van-hoa", LG_TIER_DISTRICT},   {"1.001193", "ho-tich", LG_TIER_COMMUNE},
    {"2.000908", "chung-thuc", LG_TIER_COMMUNE}, {"1.001022", "ho-tich", LG_TIER_COMMUNE},
    {"2.000815", "chung-thuc", LG_TIER_COMMUNE}, {"1.001776", "bao-tro-xa-hoi", LG_TIER_COMMUNE},
    {"1.000894", "ho-tich", LG_TIER_COMMUNE},
};
#define N_KNOWN (sizeof known / sizeof known[0])
#define N_POPULAR 6 /* the commune codes among known[]: most ward dossiers */

/* The design figures of the catalogue. */
enum {
    N_VPDKDD_L3 = 12,
    N_VPDKDD_L4 = 20,
    N_MOT_CUA_L3 = 10,
    N_MOT_CUA_L4 = 110,
    N_L3_WITH_ONLINE = 2,   /* form 7 row 6.1.3 */
    N_L4_WITH_ONLINE = 100, /* form 7 row 6.2.3 */
    N_COMMUNE_L3 = 40,
    N_COMMUNE_L4 = 19, /* 59 at levels 3-4 (the report's text) */
    N_SAME_LEVEL = 12,
    N_CROSS_LEVEL = 32,
    N_SIMPLIFIED = 18,
    N_REPLACED = 2,
    N_ABOLISHED_DISTRICT = 4,
    N_ABOLISHED_COMMUNE = 3,
    MAX_PROCS = 512,
};

enum pool {
    P_VPD_ONLINE, /* the branch's procedures offered online (no online dossiers there) */
    P_VPD_OFF,
    P_VPD_ALL,
    P_MC_WITH, /* the 102 that get the 732 online dossiers */
    P_MC_ONLINE,
    P_MC_OFF,
    P_MC_ALL,
    P_W_ONLINE,
    P_W_ALL,
    P_W_POPULAR,
    N_POOLS
};

struct lg_pools {
    uint16_t v[N_POOLS][MAX_PROCS];
    size_t n[N_POOLS];
    uint16_t pre_window_online;
};

static void shuffle16(struct lg_rng *rng, uint16_t *a, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)lg_rng_below(rng, i);
        uint16_t t = a[i - 1];
        a[i - 1] = a[j];
        a[j] = t;
    }
}

static int code_used(const struct lg_data *d, const char *code)
{
    for (size_t i = 0; i < d->n_procedures; i++)
        if (!strcmp(d->procedures[i].code, code))
            return 1;
    for (size_t i = 0; i < N_KNOWN; i++)
        if (!strcmp(known[i].code, code))
            return 1;
    return 0;
}

static void add_procedure(struct lg_data *d, struct plan *plans, struct lg_rng *rng,
                          const char *field, uint8_t tier, struct plan p, unsigned char *known_used)
{
    struct lg_procedure *x = &d->procedures[d->n_procedures];
    memset(x, 0, sizeof *x);
    x->field = field;
    x->tier = tier;
    for (size_t k = 0; k < N_KNOWN; k++)
        if (!known_used[k] && known[k].tier == tier && !strcmp(known[k].field, field) &&
            p.role == R_IN_FORCE) {
            known_used[k] = 1;
            strcpy(x->code, known[k].code);
            break;
        }
    while (!x->code[0]) {
        char code[sizeof x->code];
        snprintf(code, sizeof code, "%d.%06u", lg_rng_below(rng, 4) ? 1 : 2,
                 (unsigned)(100 + lg_rng_below(rng, 12900)));
        if (!code_used(d, code))
            strcpy(x->code, code);
    }
    plans[d->n_procedures++] = p;
}

/* Indices of the procedures whose plan satisfies want, in table order. */
static size_t select_procs(const struct plan *plans, size_t n, uint16_t *out,
                           int (*want)(const struct plan *))
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (want(&plans[i]))
            out[k++] = (uint16_t)i;
    return k;
}

static int in_force_vpdkdd(const struct plan *p)
{
    return p->desk == DESK_VPDKDD && p->role == R_IN_FORCE;
}
static int in_force_mot_cua(const struct plan *p)
{
    return p->desk == DESK_MOT_CUA && p->role == R_IN_FORCE;
}
static int in_force_commune(const struct plan *p)
{
    return p->desk == DESK_WARDS && p->role == R_IN_FORCE;
}
static int in_force_district(const struct plan *p)
{
    return p->desk != DESK_WARDS && p->role == R_IN_FORCE;
}

/* Sets online levels on the first n3 + n4 of idx (shuffled): level 3, then 4. */
static void set_online(struct plan *plans, uint16_t *idx, size_t n, size_t n3, size_t n4,
                       struct lg_rng *rng)
{
    shuffle16(rng, idx, n);
    for (size_t i = 0; i < n3 + n4 && i < n; i++)
        plans[idx[i]].online = i < n3 ? 3 : 4;
}

static void build_plans(struct lg_data *d, struct plan *plans, struct lg_rng *rng)
{
    unsigned char known_used[N_KNOWN] = {0};
    uint16_t idx[MAX_PROCS] = {0};
    size_t n;
    for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++)
        for (unsigned i = 0; i < fields[f].n; i++)
            add_procedure(d, plans, rng, fields[f].field, fields[f].tier,
                          (struct plan){.desk = fields[f].desk}, known_used);
    /* Around them: abolished, replaced, published after the window. */
    for (int i = 0; i < N_ABOLISHED_DISTRICT + N_REPLACED + 1; i++) {
        const struct field_plan *f = &fields[1 + lg_rng_below(rng, 16)];
        uint8_t role = i < N_ABOLISHED_DISTRICT                ? R_ABOLISHED
                       : i < N_ABOLISHED_DISTRICT + N_REPLACED ? R_REPLACED
                                                               : R_LATE_NEW;
        add_procedure(d, plans, rng, f->field, f->tier,
                      (struct plan){.desk = DESK_MOT_CUA, .role = role}, known_used);
    }
    for (int i = 0; i < N_ABOLISHED_COMMUNE; i++) {
        const struct field_plan *f = &fields[17 + lg_rng_below(rng, 17)];
        add_procedure(d, plans, rng, f->field, f->tier,
                      (struct plan){.desk = DESK_WARDS, .role = R_ABOLISHED}, known_used);
    }

    /* The branch: inter-agency by position, online by lot. */
    n = select_procs(plans, d->n_procedures, idx, in_force_vpdkdd);
    for (size_t i = 0; i < n; i++)
        d->procedures[idx[i]].inter = i < N_SAME_LEVEL                   ? LG_INTER_SAME
                                      : i < N_SAME_LEVEL + N_CROSS_LEVEL ? LG_INTER_CROSS
                                                                         : LG_INTER_NONE;
    set_online(plans, idx, n, N_VPDKDD_L3, N_VPDKDD_L4, rng);
    plans[idx[0]].special = S_OFFERED_LATE;
    plans[idx[N_VPDKDD_L3]].special = S_UPGRADED;
    plans[idx[N_VPDKDD_L3 + N_VPDKDD_L4]].role = R_LATE_ABOLISHED;

    /* The one-stop shop: two replacements (never online), then online by lot. */
    n = select_procs(plans, d->n_procedures, idx, in_force_mot_cua);
    shuffle16(rng, idx, n);
    for (size_t i = 0; i < N_REPLACED; i++)
        plans[idx[i]].role = R_REPLACEMENT;
    set_online(plans, idx + N_REPLACED, n - N_REPLACED, N_MOT_CUA_L3, N_MOT_CUA_L4, rng);
    const uint16_t *o = idx + N_REPLACED;
    for (size_t i = 0; i < N_L3_WITH_ONLINE; i++)
        plans[o[i]].with_online = 1;
    for (size_t i = 0; i < N_L4_WITH_ONLINE; i++)
        plans[o[N_MOT_CUA_L3 + i]].with_online = 1;
    plans[o[N_L3_WITH_ONLINE]].special = S_PRE_WINDOW_ONLINE;
    plans[o[N_MOT_CUA_L3 + N_MOT_CUA_L4]].special = S_ONLINE_AFTER;

    n = select_procs(plans, d->n_procedures, idx, in_force_commune);
    set_online(plans, idx, n, N_COMMUNE_L3, N_COMMUNE_L4, rng);

    /* Simplified in the window: 18 district procedures in force all year. */
    n = select_procs(plans, d->n_procedures, idx, in_force_district);
    shuffle16(rng, idx, n);
    for (size_t i = 0; i < N_SIMPLIFIED; i++)
        plans[idx[i]].simplified = 1;
    for (size_t i = N_SIMPLIFIED; i < n; i++)
        if (plans[idx[i]].special == S_NONE && plans[idx[i]].role == R_IN_FORCE) {
            plans[idx[i]].special = S_SIMPLIFIED_AFTER;
            break;
        }
}

static int64_t at_local(int y, int mo, int d, int h, int mi)
{
    return lg_local(y, mo, d, h, mi, 0);
}

static void procedure_record(struct lg_data *d, size_t i, int64_t at, int simplified, int withdrawn)
{
    const struct lg_procedure *p = &d->procedures[i];
    struct lg_item *it = lg_item_add(d, LG_T_PROCEDURE, LG_UNIT_CITY, at);
    it->proc = (uint16_t)i;
    it->cat = p->inter;
    /* Every district procedure has fees and online payment: form 7 rows
     * 6.5.1 = 6.5.2 = 271 = form 3 row 1.4.2. */
    if (p->tier == LG_TIER_DISTRICT)
        it->flags |= LG_F_FEE | LG_F_ONLINE_PAYMENT;
    if (simplified)
        it->flags |= LG_F_SIMPLIFIED;
    if (withdrawn)
        it->flags |= LG_F_WITHDRAWN;
}

static void online_record(struct lg_data *d, size_t i, int64_t at, int level, int offered)
{
    const struct lg_procedure *p = &d->procedures[i];
    struct lg_item *it = lg_item_add(d, LG_T_ONLINE_SERVICE, LG_UNIT_CITY, at);
    it->proc = (uint16_t)i;
    it->level = (uint8_t)level;
    it->flags = LG_F_PORTAL | (offered ? LG_F_OFFERED : 0) |
                (p->tier == LG_TIER_DISTRICT ? LG_F_PAYMENT : 0);
}

static void catalogue_records(struct lg_data *d, const struct plan *plans, size_t n)
{
    /* The catalogue as published before the window, one record every 20 s. */
    int64_t t0 = at_local(2021, 11, 22, 8, 0), t_online = at_local(2021, 9, 7, 8, 0);
    long k_simpl = 0, k_abol = 0, k_repl = 0, k_pub = 0, k_online = 0;
    for (size_t i = 0; i < n; i++) {
        const struct plan *p = &plans[i];
        if (p->role != R_REPLACEMENT && p->role != R_LATE_NEW)
            procedure_record(d, i, t0 + 20 * k_pub++, 0, 0);
        if (p->simplified)
            procedure_record(d, i, at_local(2022, 9, 7, 14, 0) + 20 * k_simpl++, 1, 0);
        if (p->role == R_ABOLISHED)
            procedure_record(d, i, at_local(2022, 4, 18, 9, 0) + 20 * k_abol++, 0, 1);
        if (p->role == R_REPLACED)
            procedure_record(d, i, at_local(2022, 6, 10, 9, 0) + 20 * k_repl++, 0, 1);
        if (p->role == R_REPLACEMENT)
            procedure_record(d, i, at_local(2022, 6, 10, 9, 0) + 20 * k_repl++, 0, 0);
        if (p->role == R_LATE_NEW)
            procedure_record(d, i, at_local(2022, 12, 5, 9, 0), 0, 0);
        if (p->role == R_LATE_ABOLISHED)
            procedure_record(d, i, at_local(2022, 12, 20, 10, 0), 0, 1);
        if (p->special == S_SIMPLIFIED_AFTER)
            procedure_record(d, i, at_local(2022, 12, 8, 10, 0), 1, 0);

        if (p->online)
            online_record(d, i, t_online + 20 * k_online++,
                          p->special == S_UPGRADED ? 3 : p->online, p->special != S_OFFERED_LATE);
        if (p->special == S_UPGRADED)
            online_record(d, i, at_local(2022, 5, 16, 10, 0), 4, 1);
        if (p->special == S_OFFERED_LATE)
            online_record(d, i, at_local(2022, 3, 21, 10, 0), p->online, 1);
        if (p->special == S_ONLINE_AFTER)
            online_record(d, i, at_local(2022, 12, 5, 10, 0), 4, 1);
    }
}

static void make_pools(const struct plan *plans, size_t n, struct lg_pools *pl)
{
#define PUT(pool, i) pl->v[pool][pl->n[pool]++] = (uint16_t)(i)
    for (size_t i = 0; i < n; i++) {
        const struct plan *p = &plans[i];
        if (p->role != R_IN_FORCE && p->role != R_LATE_ABOLISHED)
            continue; /* no dossiers for procedures that come or go in the window */
        if (p->desk == DESK_VPDKDD) {
            PUT(p->online ? P_VPD_ONLINE : P_VPD_OFF, i);
            PUT(P_VPD_ALL, i);
        } else if (p->desk == DESK_MOT_CUA) {
            if (p->with_online)
                PUT(P_MC_WITH, i);
            PUT(p->online ? P_MC_ONLINE : P_MC_OFF, i);
            PUT(P_MC_ALL, i);
            if (p->special == S_PRE_WINDOW_ONLINE)
                pl->pre_window_online = (uint16_t)i;
        } else {
            if (p->online)
                PUT(P_W_ONLINE, i);
            PUT(P_W_ALL, i);
        }
    }
#undef PUT
}

int lg_rachgia_catalogue(struct lg_data *d, struct lg_rng *rng, struct lg_pools **pools)
{
    struct plan *plans = calloc(MAX_PROCS, sizeof *plans);
    struct lg_pools *pl = calloc(1, sizeof *pl);
    d->procedures = calloc(MAX_PROCS, sizeof *d->procedures);
    if (!plans || !pl || !d->procedures) {
        fprintf(stderr, "cchc-loadgen: out of memory\n");
        free(plans);
        free(pl);
        return -1;
    }
    build_plans(d, plans, rng);
    catalogue_records(d, plans, d->n_procedures);
    make_pools(plans, d->n_procedures, pl);
    for (size_t k = 0; k < N_KNOWN; k++)
        for (size_t i = 0; i < d->n_procedures; i++)
            if (known[k].tier == LG_TIER_COMMUNE && !strcmp(d->procedures[i].code, known[k].code))
                pl->v[P_W_POPULAR][pl->n[P_W_POPULAR]++] = (uint16_t)i;
    free(plans);
    if (pl->n[P_W_POPULAR] != N_POPULAR ||
        pl->n[P_MC_WITH] != N_L3_WITH_ONLINE + N_L4_WITH_ONLINE) {
        fprintf(stderr, "cchc-loadgen: the procedure catalogue does not add up\n");
        free(pl);
        return -1;
    }
    *pools = pl;
    return 0;
}

void lg_pools_free(struct lg_pools *p)
{
    free(p);
}

static uint16_t pick(struct lg_rng *rng, const struct lg_pools *pl, int pool)
{
    return pl->v[pool][lg_rng_below(rng, pl->n[pool])];
}

static void shuffle32(struct lg_rng *rng, uint32_t *a, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)lg_rng_below(rng, i);
        uint32_t t = a[i - 1];
        a[i - 1] = a[j];
        a[j] = t;
    }
}

/* Dossiers a[0 .. n) of pool, each procedure of the pool at least once, the
 * rest at random. */
static int cover(struct lg_data *d, struct lg_rng *rng, const struct lg_pools *pl, int pool,
                 const uint32_t *a, size_t n)
{
    if (n < pl->n[pool]) {
        fprintf(stderr, "cchc-loadgen: %zu dossiers for %zu procedures\n", n, pl->n[pool]);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        d->dossiers[a[i]].procedure = i < pl->n[pool] ? pl->v[pool][i] : pick(rng, pl, pool);
    return 0;
}

/* The procedure of every dossier. At district level, of the dossiers received
 * in the window, vpdkdd_online of the branch's and mot_cua_online of the
 * one-stop shop's direct or postal ones are of procedures offered online
 * (with the 732 online ones: form 7 row 6.4.1); online dossiers only of
 * procedures offered online, wards only of commune procedures. */
int lg_rachgia_assign_procedures(struct lg_data *d, struct lg_rng *rng, const struct lg_pools *pl,
                                 const struct lg_window *w, long vpdkdd_online, long mot_cua_online)
{
    enum { VPD_IN, MC_ONLINE_IN, MC_DIRECT_IN, N_LISTS };
    uint32_t *list[N_LISTS];
    size_t n[N_LISTS] = {0};
    int rc = -1, pre_done = 0;
    for (int i = 0; i < N_LISTS; i++)
        list[i] = malloc((d->n_dossiers + 1) * sizeof *list[i]);
    for (int i = 0; i < N_LISTS; i++)
        if (!list[i]) {
            fprintf(stderr, "cchc-loadgen: out of memory\n");
            goto cleanup;
        }
    for (size_t i = 0; i < d->n_dossiers; i++) {
        struct lg_dossier *x = &d->dossiers[i];
        int in = x->received >= w->from && x->received < w->to, online = x->channel == LG_ONLINE;
        if (x->unit == LG_UNIT_VPDKDD) {
            if (in)
                list[VPD_IN][n[VPD_IN]++] = (uint32_t)i;
            else
                x->procedure = pick(rng, pl, P_VPD_ALL);
        } else if (x->unit == LG_UNIT_MOT_CUA) {
            if (in && online)
                list[MC_ONLINE_IN][n[MC_ONLINE_IN]++] = (uint32_t)i;
            else if (in)
                list[MC_DIRECT_IN][n[MC_DIRECT_IN]++] = (uint32_t)i;
            else if (online && x->received < w->from && !pre_done) {
                x->procedure = pl->pre_window_online;
                pre_done = 1;
            } else
                x->procedure = pick(rng, pl, online ? P_MC_ONLINE : P_MC_ALL);
        } else if (online) {
            x->procedure = pick(rng, pl, P_W_ONLINE);
        } else {
            /* Civil status and certification make most of a ward's work. */
            x->procedure = pick(rng, pl, lg_rng_below(rng, 100) < 55 ? P_W_POPULAR : P_W_ALL);
        }
    }
    if (!pre_done || (size_t)vpdkdd_online > n[VPD_IN] ||
        (size_t)mot_cua_online > n[MC_DIRECT_IN]) {
        fprintf(stderr, "cchc-loadgen: too few dossiers for the online procedures\n");
        goto cleanup;
    }
    for (int i = 0; i < N_LISTS; i++)
        shuffle32(rng, list[i], n[i]);
    if (cover(d, rng, pl, P_VPD_ONLINE, list[VPD_IN], (size_t)vpdkdd_online) ||
        cover(d, rng, pl, P_VPD_OFF, list[VPD_IN] + vpdkdd_online,
              n[VPD_IN] - (size_t)vpdkdd_online) ||
        cover(d, rng, pl, P_MC_WITH, list[MC_ONLINE_IN], n[MC_ONLINE_IN]) ||
        cover(d, rng, pl, P_MC_ONLINE, list[MC_DIRECT_IN], (size_t)mot_cua_online) ||
        cover(d, rng, pl, P_MC_OFF, list[MC_DIRECT_IN] + mot_cua_online,
              n[MC_DIRECT_IN] - (size_t)mot_cua_online))
        goto cleanup;
    rc = 0;
cleanup:
    for (int i = 0; i < N_LISTS; i++)
        free(list[i]);
    return rc;
}
