/* The rest of the rachgia-2022 data set: the satisfaction survey at the
 * one-stop shop (cchc-dossier), staffing (cchc-staffing), public finance
 * (cchc-finance) and e-government (cchc-egov), with the figures of forms 1,
 * 2 and 4-7 and of the report's text (services/DOMAIN.md), and around them records
 * that must not count: snapshots a later one replaces, snapshots and
 * counters dated before the window or after its end. */
#include "loadgen.h"

#include <stdlib.h>
#include <string.h>

#define SU(i) ((uint16_t)(LG_UNIT_FIRST_SU + (i)))
#define DEPT(i) ((uint16_t)(LG_UNIT_FIRST_DEPT + (i)))
#define WARD(i) ((uint16_t)(LG_UNIT_FIRST_WARD + (i)))

/* The service units, by their place in lg_units after LG_UNIT_FIRST_SU. */
enum {
    N_SCHOOLS = 51, /* dvsn-giao-duc-01 .. 51 */
    SU_CULTURE = 51,
    SU_BQL_NANG_CAP = 52,
    SU_BQL_XAY_DUNG = 53,
    SU_DOI_TRAT_TU = 54,
    SU_THUONG_MAI = 55,
    SU_BOI_THUONG = 56,
    SU_TU_VAN = 57,
    SU_KHAC_1 = 58,
    SU_KHAC_2 = 59,
    N_STATE_FUNDED_SCHOOLS = 23, /* dvsn-giao-duc-01 .. 23; 24 .. 51 partly self-funding */
};

/* Wards in lg_units order (Vĩnh Thanh Vân .. Phi Thông). */
enum {
    W_VINH_THANH_VAN,
    W_VINH_THANH,
    W_VINH_QUANG,
    W_VINH_HIEP,
    W_VINH_BAO,
    W_VINH_LAC,
    W_AN_HOA,
    W_AN_BINH,
    W_RACH_SOI,
    W_VINH_LOI,
    W_VINH_THONG,
    W_PHI_THONG
};

static const unsigned ward_weights[LG_N_WARDS] = {13, 10, 12, 9, 8, 11, 10, 7, 9, 6, 8, 4};

/* Form 4 row 2.x, per department (services/DOMAIN.md, the report's footnote 9). */
static const struct {
    long present, quota, open_present, open_quota;
} depts[LG_N_DEPTS] = {
    {7, 7, 6, 7},     /* Nội vụ */
    {8, 8, 7, 8},     /* Kinh tế */
    {10, 10, 10, 10}, /* Tài chính – Kế hoạch */
    {7, 7, 6, 7},     /* Lao động – Thương binh và Xã hội */
    {4, 5, 4, 5},     /* Văn hóa và Thông tin */
    {4, 4, 4, 4},     /* Tư pháp */
    {8, 9, 9, 9},     /* Quản lý đô thị */
    {6, 7, 6, 7},     /* Thanh tra */
    {22, 23, 21, 23}, /* Văn phòng HĐND và UBND */
    {7, 7, 7, 7},     /* Tài nguyên và Môi trường */
    {9, 9, 8, 9},     /* Giáo dục và Đào tạo */
};
enum {
    D_NOI_VU,
    D_KINH_TE,
    D_TAI_CHINH,
    D_LDTBXH,
    D_VHTT,
    D_TU_PHAP,
    D_QLDT,
    D_THANH_TRA,
    D_VAN_PHONG,
    D_TNMT,
    D_GDDT
};

/* The design figures. */
#define REVENUE 887196438512LL          /* prints 887,2 tỷ; / 774,3 tỷ = 114.5805 % */
#define REVENUE_ESTIMATE 774300000000LL /* 774,3 tỷ */
#define INVESTMENT_PLAN 196870000000LL  /* 196.870 triệu */
#define AUDIT 110125714LL

static int64_t at_local(int y, int mo, int d, int h, int mi)
{
    return lg_local(y, mo, d, h, mi, 0);
}

static int working(int64_t day)
{
    int wd = (int)((day + 4) % 7); /* 1970-01-01 was a Thursday; 0 = Sunday */
    return wd != 0 && wd != 6;
}

/* A moment in office hours of a working day in [lo, hi] (days). */
static int64_t office_moment(struct lg_rng *rng, int64_t lo, int64_t hi)
{
    int64_t day = lo;
    for (int tries = 0; tries < 64; tries++) {
        day = lo + (int64_t)lg_rng_below(rng, (uint64_t)(hi - lo + 1));
        if (working(day))
            break;
    }
    return day * LG_DAY + 7 * 3600 + 30 * 60 + (int64_t)lg_rng_below(rng, 9 * 3600 + 1800);
}

struct days {
    int64_t w0, w1;        /* the window's first day and the first day after it */
    int64_t before, after; /* the first day of the fortnight before it, of the one after */
};

static void shuffle_u8(struct lg_rng *rng, uint8_t *a, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)lg_rng_below(rng, i);
        uint8_t t = a[i - 1];
        a[i - 1] = a[j];
        a[j] = t;
    }
}

/* n flags, exactly k of them set, in a random order. */
static uint8_t *exact_flags(struct lg_rng *rng, size_t n, size_t k)
{
    uint8_t *f = malloc(n ? n : 1);
    if (!f) {
        fprintf(stderr, "cchc-loadgen: out of memory\n");
        exit(1);
    }
    for (size_t i = 0; i < n; i++)
        f[i] = i < k;
    shuffle_u8(rng, f, n);
    return f;
}

static uint16_t pick_weighted(struct lg_rng *rng, const uint16_t *units, const unsigned *w,
                              size_t n)
{
    unsigned total = 0;
    for (size_t i = 0; i < n; i++)
        total += w[i];
    unsigned r = (unsigned)lg_rng_below(rng, total);
    size_t i = 0;
    while (r >= w[i])
        r -= w[i++];
    return units[i];
}

/* --- the satisfaction survey at the one-stop shop --------------------------- */

/* 162 forms in the window (form 1 row 6.1), 156 satisfied: 96.30 % by the
 * forms' rounding (the text prints 96.29, its form note 96.22). */
static void survey(struct lg_data *d, struct lg_rng *rng, const struct days *dy)
{
    uint8_t *sat = exact_flags(rng, 162, 156);
    for (size_t i = 0; i < 162; i++) {
        struct lg_item *it =
            lg_item_add(d, LG_T_SURVEY, LG_UNIT_MOT_CUA, office_moment(rng, dy->w0, dy->w1 - 1));
        it->flags = sat[i] ? LG_F_SATISFIED : 0;
    }
    free(sat);
    for (int i = 0; i < 6; i++) {
        int64_t lo = i < 3 ? dy->before : dy->after;
        struct lg_item *it =
            lg_item_add(d, LG_T_SURVEY, LG_UNIT_MOT_CUA, office_moment(rng, lo, lo + 13));
        it->flags = i % 3 ? LG_F_SATISFIED : 0;
    }
}

/* --- staffing ---------------------------------------------------------------- */

static void headcount(struct lg_data *d, uint16_t unit, int64_t at, int cat, long quota,
                      long present)
{
    struct lg_item *it = lg_item_add(d, LG_T_HEADCOUNT, unit, at);
    it->cat = (uint8_t)cat;
    it->v[0] = quota;
    it->v[1] = present;
}

static void headcount_q(struct lg_data *d, uint16_t unit, int64_t at, long quota, long present,
                        long qualified)
{
    struct lg_item *it = lg_item_add(d, LG_T_HEADCOUNT, unit, at);
    it->cat = LG_CBCC_XA;
    it->v[0] = quota;
    it->v[1] = present;
    it->v[2] = qualified;
    it->flags = LG_F_QUALIFIED;
}

static void counter(struct lg_data *d, int type, uint16_t unit, int64_t at, int cat, long n)
{
    struct lg_item *it = lg_item_add(d, type, unit, at);
    it->cat = (uint8_t)cat;
    it->v[0] = n;
}

/* quota and present split over n units in proportion to w, present <= quota. */
static int split_staff(long quota, long present, const unsigned *w, size_t n, long long *q,
                       long long *p)
{
    long long vac[64];
    unsigned qw[64];
    lg_apportion(quota, w, n, q);
    for (size_t i = 0; i < n; i++)
        qw[i] = (unsigned)q[i];
    lg_apportion(quota - present, qw, n, vac);
    for (size_t i = 0; i < n; i++) {
        p[i] = q[i] - vac[i];
        if (p[i] < 0)
            return -1;
    }
    return 0;
}

/* Present per unit at the window's end, for the e-mail snapshots. */
struct staff {
    long long school_present[N_SCHOOLS], culture_present, ward_cbcc[LG_N_WARDS];
};

static int staffing_headcount(struct lg_data *d, struct lg_rng *rng, struct staff *st)
{
    int64_t open = at_local(2022, 1, 5, 9, 0), mid = at_local(2022, 6, 14, 15, 0),
            final = at_local(2022, 11, 18, 9, 0);
    long long q[64], p[64];
    unsigned w[64];
    /* Civil servants per department (92/96), labour contracts (7). */
    for (int i = 0; i < LG_N_DEPTS; i++) {
        headcount(d, DEPT(i), open + 60 * i, LG_CONG_CHUC, depts[i].open_quota,
                  depts[i].open_present);
        headcount(d, DEPT(i), final + 60 * i, LG_CONG_CHUC, depts[i].quota, depts[i].present);
    }
    headcount(d, DEPT(D_NOI_VU), mid, LG_CONG_CHUC, 7, 7);
    headcount(d, DEPT(D_VAN_PHONG), mid + 60, LG_CONG_CHUC, 23, 22);
    headcount(d, DEPT(D_TU_PHAP), at_local(2022, 12, 5, 9, 0), LG_CONG_CHUC, 5, 5); /* after */
    static const struct {
        int dept;
        long n, open;
    } contracts[] = {{D_VAN_PHONG, 4, 5}, {D_QLDT, 2, 2}, {D_KINH_TE, 1, 1}};
    for (int i = 0; i < 3; i++) {
        /* Labour contracts have no quota of their own: quota = present. */
        headcount(d, DEPT(contracts[i].dept), open + 1800 + 60 * i, LG_HOP_DONG, contracts[i].open,
                  contracts[i].open);
        headcount(d, DEPT(contracts[i].dept), final + 1800 + 60 * i, LG_HOP_DONG, contracts[i].n,
                  contracts[i].n);
    }

    /* Public employees: education 1,792/1,897 over the schools, culture 15/17. */
    for (int i = 0; i < N_SCHOOLS; i++)
        w[i] = 20 + (unsigned)lg_rng_below(rng, 40);
    if (split_staff(1897, 1792, w, N_SCHOOLS, q, p))
        return -1;
    for (int i = 0; i < N_SCHOOLS; i++) {
        long open_present = (long)p[i] + 1 - (long)lg_rng_below(rng, 3);
        if (open_present > q[i])
            open_present = (long)q[i];
        headcount(d, SU(i), open + 3600 + 60 * i, LG_VIEN_CHUC, (long)q[i], open_present);
        headcount(d, SU(i), final + 3600 + 60 * i, LG_VIEN_CHUC, (long)q[i], (long)p[i]);
        st->school_present[i] = p[i];
    }
    headcount(d, SU(SU_CULTURE), open + 3600 + 60 * N_SCHOOLS, LG_VIEN_CHUC, 17, 16);
    headcount(d, SU(SU_CULTURE), final + 3600 + 60 * N_SCHOOLS, LG_VIEN_CHUC, 17, 15);
    st->culture_present = 15;

    /* Wards: commune officials 258/264 (233 qualified), non-professional staff
     * 141/164, hamlet non-professional staff 144/144, hamlet workers 306/360. */
    static const struct {
        int cat;
        long quota, present;
    } commune[] = {{LG_KCT_XA, 164, 141}, {LG_KCT_AP, 144, 144}, {LG_NHD_AP, 360, 306}};
    int64_t wopen = at_local(2022, 1, 5, 14, 0), wfinal = at_local(2022, 11, 18, 14, 0);
    for (int i = 0; i < LG_N_WARDS; i++) {
        long present = 22 - (i % 2), /* six wards one short: 258/264 */
            unq = 2 + (i == 0),      /* 25 below the training standard: 233 */
            qual = present - unq;
        headcount_q(d, WARD(i), wopen + 60 * i, 22, present - (i % 3 == 0), qual - 1);
        headcount_q(d, WARD(i), wfinal + 60 * i, 22, present, qual);
        st->ward_cbcc[i] = present;
    }
    for (int c = 0; c < 3; c++) {
        if (split_staff(commune[c].quota, commune[c].present, ward_weights, LG_N_WARDS, q, p))
            return -1;
        for (int i = 0; i < LG_N_WARDS; i++) {
            headcount(d, WARD(i), wopen + 900 * (c + 1) + 60 * i, commune[c].cat, (long)q[i],
                      (long)(p[i] > 0 ? p[i] - (i % 4 == 1) : 0));
            headcount(d, WARD(i), wfinal + 900 * (c + 1) + 60 * i, commune[c].cat, (long)q[i],
                      (long)p[i]);
            if (c == 2 && i == W_RACH_SOI) /* after the window */
                headcount(d, WARD(i), at_local(2022, 12, 12, 10, 0), commune[c].cat, (long)q[i],
                          (long)p[i] + 3);
        }
    }
    return 0;
}

static void staffing_counters(struct lg_data *d, struct lg_rng *rng, const struct days *dy,
                              const struct staff *st)
{
    /* Form 5 row 2.1: 11 civil servants recruited, at the six wards the
     * report's footnote 15 names. */
    static const struct {
        int ward, n;
    } recruits[] = {{W_AN_BINH, 2},  {W_VINH_THANH, 2}, {W_VINH_THANH_VAN, 2},
                    {W_VINH_BAO, 2}, {W_VINH_HIEP, 2},  {W_PHI_THONG, 1}};
    int64_t t = at_local(2022, 10, 3, 9, 0);
    for (int i = 0; i < 6; i++)
        counter(d, LG_T_RECRUITED, WARD(recruits[i].ward), t + 60 * i, LG_CONG_CHUC, recruits[i].n);
    /* 2.3: one commune official transferred to the district; 4.4: one public
     * employee disciplined. None recruited (2.4) or streamlined (F4 2.4). */
    counter(d, LG_T_TRANSFERRED, WARD(W_VINH_LAC), at_local(2022, 7, 1, 9, 0), LG_CBCC_XA, 1);
    counter(d, LG_T_DISCIPLINED, SU(6), at_local(2022, 5, 16, 14, 0), LG_VIEN_CHUC, 1);

    /* 409 sent to training (footnote 14): 392 to courses (76 civil servants
     * less the 12 below, 148 commune officials, 180 public employees), 8 to
     * postgraduate entrance, 5 + 4 to promotion exams. */
    long long n[64];
    unsigned w[64];
    uint16_t units[64];
    for (int i = 0; i < LG_N_DEPTS; i++)
        w[i] = (unsigned)depts[i].present;
    lg_apportion(64, w, LG_N_DEPTS, n);
    for (int i = 0; i < LG_N_DEPTS; i++)
        counter(d, LG_T_TRAINED, DEPT(i), office_moment(rng, dy->w0, dy->w1 - 1), LG_CONG_CHUC,
                (long)n[i]);
    for (int i = 0; i < LG_N_WARDS; i++)
        w[i] = (unsigned)st->ward_cbcc[i];
    lg_apportion(148, w, LG_N_WARDS, n);
    for (int i = 0; i < LG_N_WARDS; i++)
        counter(d, LG_T_TRAINED, WARD(i), office_moment(rng, dy->w0, dy->w1 - 1), LG_CBCC_XA,
                (long)n[i]);
    for (int i = 0; i < 20; i++) {
        units[i] = SU(2 * i + 1);
        w[i] = (unsigned)st->school_present[2 * i + 1];
    }
    lg_apportion(180, w, 20, n);
    for (int i = 0; i < 20; i++)
        counter(d, LG_T_TRAINED, units[i], office_moment(rng, dy->w0, dy->w1 - 1), LG_VIEN_CHUC,
                (long)n[i]);
    counter(d, LG_T_TRAINED, DEPT(D_NOI_VU), at_local(2022, 6, 20, 9, 0), LG_CONG_CHUC, 3);
    counter(d, LG_T_TRAINED, SU(1), at_local(2022, 6, 20, 9, 5), LG_VIEN_CHUC, 5);
    counter(d, LG_T_TRAINED, DEPT(D_NOI_VU), at_local(2022, 8, 22, 9, 0), LG_CONG_CHUC, 5);
    counter(d, LG_T_TRAINED, DEPT(D_NOI_VU), at_local(2022, 9, 26, 9, 0), LG_CONG_CHUC, 4);

    /* Outside the window. */
    counter(d, LG_T_RECRUITED, DEPT(D_TAI_CHINH), at_local(2021, 12, 6, 9, 0), LG_CONG_CHUC, 2);
    counter(d, LG_T_STREAMLINED, DEPT(D_KINH_TE), at_local(2021, 12, 1, 9, 0), LG_CONG_CHUC, 1);
    counter(d, LG_T_TRAINED, WARD(W_AN_HOA), at_local(2021, 12, 8, 14, 0), LG_CBCC_XA, 10);
    counter(d, LG_T_TRAINED, DEPT(D_NOI_VU), at_local(2022, 12, 6, 9, 0), LG_CONG_CHUC, 6);
    counter(d, LG_T_RECRUITED, SU(2), at_local(2022, 12, 9, 9, 0), LG_VIEN_CHUC, 25);
}

static void job_positions(struct lg_data *d, uint16_t unit, int64_t at, int approved)
{
    struct lg_item *it = lg_item_add(d, LG_T_JOB_POSITIONS, unit, at);
    it->flags = approved ? LG_F_APPROVED : 0;
}

/* Form 5 rows 1.1, 1.2: the 11 departments and 52 service units (the schools
 * and the culture unit) have approved job positions; the 8 others not. */
static void staffing_positions(struct lg_data *d)
{
    int64_t t = at_local(2022, 3, 28, 9, 0), u = at_local(2022, 4, 12, 9, 0);
    for (int i = 0; i < LG_N_DEPTS; i++)
        job_positions(d, DEPT(i), t + 60 * i, 1);
    job_positions(d, SU(11), at_local(2022, 1, 10, 9, 0), 0); /* replaced in April */
    for (int i = 0; i < LG_N_SUS; i++)
        job_positions(d, SU(i), u + 60 * i, i <= SU_CULTURE);
    job_positions(d, SU(SU_KHAC_1), at_local(2022, 12, 15, 9, 0), 1); /* after the window */
}

/* Manual rows (the `IND_ROW`s of cchc-report): every row of the source's annex
 * that prints a figure and that no system records: forms 1 and 2 (the STT
 * codes 2.2 and 3.2 of form 1 are blank in the scan and follow from the
 * form's order), form 1's "3.units" (the report's text: 8 of 23 units
 * inspected), form 3 rows 1.2, 1.3 (2 replaced + 7 abolished) and 2.3, and
 * the manual rows of forms 4, 5 and 7. Rates whose parts are rows (form 1
 * rows 2, 3.3; form 2 rows 2.2, 3.2) and headings are the report's to
 * compute, not sent. "%" rows in basis points (10000 = 100.00 %). */
const struct lg_indicator lg_rachgia_indicators[] = {
    {1, "1", 14},        {1, "2.1", 27},      {1, "2.2", 27},      {1, "3.1", 0},
    {1, "3.2", 8},       {1, "3.3.1", 0},     {1, "3.3.2", 0},     {1, "4.1", 0},
    {1, "4.2", 0},       {1, "5.1", 21},      {1, "5.2", 13},      {1, "5.3", 6},
    {1, "5.4", 1},       {1, "6", 1},         {1, "6.1", 162},     {1, "6.2", 1},
    {1, "7", 0},         {1, "3.units", 23},  {2, "1.2", 1},       {2, "1.3", 0},
    {2, "2.1", 0},       {2, "2.2.1", 0},     {2, "2.2.2", 0},     {2, "3.1", 2},
    {2, "3.2.1", 0},     {2, "3.2.2", 0},     {3, "1.2", 0},       {3, "1.3", 9},
    {3, "2.3", 0},       {4, "1.2", 10000},   {4, "1.5.3", 52},    {4, "1.5.4", 100},
    {4, "2.5", 0},       {4, "3.4", 0},       {5, "1.3", 0},       {5, "2.2", 0},
    {5, "2.5", 0},       {5, "3", 0},         {5, "4.2", 0},       {5, "4.3", 0},
    {7, "1", 0},         {7, "2", 1},         {7, "4", 0},         {7, "5.1.2", 10000},
    {7, "5.1.3", 10000}, {7, "5.3.2", 10000}, {7, "5.3.3", 10000},
};
const size_t lg_rachgia_n_indicators =
    sizeof lg_rachgia_indicators / sizeof lg_rachgia_indicators[0];

static void indicator(struct lg_data *d, int64_t at, int form, const char *row, long value)
{
    struct lg_item *it = lg_item_add(d, LG_T_INDICATOR, LG_UNIT_CITY, at);
    it->form = (uint8_t)form;
    snprintf(it->row, sizeof it->row, "%s", row);
    it->v[0] = value;
}

static void indicators(struct lg_data *d)
{
    int64_t t = at_local(2022, 11, 25, 16, 0);
    /* The half-year report's figures, replaced by the year's. */
    indicator(d, at_local(2022, 6, 14, 16, 0), 1, "1", 9);
    indicator(d, at_local(2022, 6, 14, 16, 1), 1, "2.2", 13);
    for (size_t i = 0; i < lg_rachgia_n_indicators; i++)
        indicator(d, t + 20 * (int64_t)i, lg_rachgia_indicators[i].form,
                  lg_rachgia_indicators[i].row, lg_rachgia_indicators[i].value);
    indicator(d, at_local(2022, 12, 12, 9, 0), 1, "1", 15); /* after the window */
}

/* --- finance ------------------------------------------------------------------ */

static void money(struct lg_data *d, int type, uint16_t unit, int64_t at, long long amount)
{
    lg_item_add(d, type, unit, at)->v[0] = amount;
}

static void autonomy(struct lg_data *d, uint16_t unit, int64_t at, int cat)
{
    lg_item_add(d, LG_T_AUTONOMY, unit, at)->cat = (uint8_t)cat;
}

static void finance(struct lg_data *d, struct lg_rng *rng)
{
    long long n[64];
    unsigned w[64];
    /* Budget revenue, weekly from the window's first Friday: 48 weeks. */
    for (int i = 0; i < 48; i++)
        w[i] = 50 + (unsigned)lg_rng_below(rng, 100);
    lg_apportion(REVENUE, w, 48, n);
    for (int i = 0; i < 48; i++)
        money(d, LG_T_REVENUE, LG_UNIT_CITY, at_local(2021, 12, 17, 16, 0) + 7 * LG_DAY * i, n[i]);
    money(d, LG_T_REVENUE, LG_UNIT_CITY, at_local(2021, 12, 10, 16, 0), 15420000000LL);
    money(d, LG_T_REVENUE, LG_UNIT_CITY, at_local(2022, 12, 9, 16, 0), 21350000000LL);
    money(d, LG_T_REVENUE_ESTIMATE, LG_UNIT_CITY, at_local(2022, 1, 6, 9, 0), 701500000000LL);
    money(d, LG_T_REVENUE_ESTIMATE, LG_UNIT_CITY, at_local(2022, 7, 15, 9, 0), REVENUE_ESTIMATE);
    money(d, LG_T_REVENUE_ESTIMATE, LG_UNIT_CITY, at_local(2022, 12, 9, 9, 0), 812000000000LL);

    /* Public investment: the plan, revised in August; disbursed by the two
     * project boards, twice a month. */
    money(d, LG_T_INVESTMENT_PLAN, LG_UNIT_CITY, at_local(2022, 1, 10, 9, 0), 182450000000LL);
    money(d, LG_T_INVESTMENT_PLAN, LG_UNIT_CITY, at_local(2022, 8, 19, 9, 0), INVESTMENT_PLAN);
    money(d, LG_T_INVESTMENT_PLAN, LG_UNIT_CITY, at_local(2022, 12, 16, 9, 0), 210300000000LL);
    for (int i = 0; i < 22; i++)
        w[i] = 40 + (unsigned)lg_rng_below(rng, 120);
    lg_apportion(INVESTMENT_PLAN, w, 22, n);
    for (int i = 0; i < 22; i++)
        money(d, LG_T_DISBURSEMENT, SU(i % 2 ? SU_BQL_NANG_CAP : SU_BQL_XAY_DUNG),
              at_local(2022, 1, 12, 10, 0) + (int64_t)(i / 2) * 30 * LG_DAY + (i % 2) * 14 * LG_DAY,
              n[i]);
    money(d, LG_T_DISBURSEMENT, SU(SU_BQL_XAY_DUNG), at_local(2021, 12, 8, 10, 0), 3250000000LL);
    money(d, LG_T_DISBURSEMENT, SU(SU_BQL_XAY_DUNG), at_local(2022, 12, 12, 10, 0), 4100000000LL);

    /* Autonomy (form 6 rows 2.x): 5 self-funding recurrent costs, 28 partly
     * (10-30 %), 27 state-funded. One school moved from 30-70 % to 10-30 % in
     * March (no unit moved up in 2022, as the report says); one moves up
     * after the window. */
    int64_t t = at_local(2021, 10, 15, 9, 0);
    for (int i = 0; i < LG_N_SUS; i++) {
        int cat = i < N_STATE_FUNDED_SCHOOLS ? LG_NHA_NUOC_DAM_BAO
                  : i < N_SCHOOLS            ? LG_TU_CHU_10_30
                  : i == SU_BQL_NANG_CAP || i == SU_BQL_XAY_DUNG || i == SU_THUONG_MAI ||
                          i == SU_BOI_THUONG || i == SU_TU_VAN
                      ? LG_TU_CHU_CHI_THUONG_XUYEN
                      : LG_NHA_NUOC_DAM_BAO;
        autonomy(d, SU(i), t + 60 * i, i == 29 ? LG_TU_CHU_30_70 : cat);
    }
    autonomy(d, SU(29), at_local(2022, 3, 15, 9, 0), LG_TU_CHU_10_30);
    autonomy(d, SU(4), at_local(2022, 12, 15, 9, 0), LG_TU_CHU_10_30);

    /* Audit findings to remit (footnote 16), all remitted; older ones before. */
    money(d, LG_T_AUDIT_DUE, LG_UNIT_CITY, at_local(2022, 2, 18, 10, 0), 64318200);
    money(d, LG_T_AUDIT_DUE, LG_UNIT_CITY, at_local(2022, 8, 9, 10, 0), AUDIT - 64318200);
    money(d, LG_T_AUDIT_PAID, LG_UNIT_CITY, at_local(2022, 4, 20, 10, 0), 64318200);
    money(d, LG_T_AUDIT_PAID, LG_UNIT_CITY, at_local(2022, 9, 15, 10, 0), 30000000);
    money(d, LG_T_AUDIT_PAID, LG_UNIT_CITY, at_local(2022, 10, 27, 10, 0), AUDIT - 94318200);
    money(d, LG_T_AUDIT_DUE, LG_UNIT_CITY, at_local(2021, 11, 5, 10, 0), 8450000);
    money(d, LG_T_AUDIT_PAID, LG_UNIT_CITY, at_local(2021, 12, 2, 10, 0), 8450000);
}

/* --- e-government ------------------------------------------------------------ */

static void documents(struct lg_data *d, struct lg_rng *rng, const uint16_t *units,
                      const unsigned *w, size_t nu, int dir, size_t n, size_t electronic,
                      const struct days *dy)
{
    uint8_t *e = exact_flags(rng, n, electronic);
    for (size_t i = 0; i < n; i++) {
        struct lg_item *it = lg_item_add(d, LG_T_DOCUMENT, pick_weighted(rng, units, w, nu),
                                         office_moment(rng, dy->w0, dy->w1 - 1));
        it->cat = (uint8_t)dir;
        it->flags = e[i] ? LG_F_ELECTRONIC : 0;
    }
    free(e);
    for (int i = 0; i < 40; i++) {
        int64_t lo = i < 20 ? dy->before : dy->after;
        struct lg_item *it = lg_item_add(d, LG_T_DOCUMENT, pick_weighted(rng, units, w, nu),
                                         office_moment(rng, lo, lo + 13));
        it->cat = (uint8_t)dir;
        it->flags = i % 3 ? LG_F_ELECTRONIC : 0;
    }
}

static void email(struct lg_data *d, uint16_t unit, int64_t at, long users, long staff)
{
    struct lg_item *it = lg_item_add(d, LG_T_EMAIL_USAGE, unit, at);
    it->v[0] = users;
    it->v[1] = staff;
}

static void egov(struct lg_data *d, struct lg_rng *rng, const struct days *dy,
                 const struct staff *st)
{
    uint16_t units[16];
    unsigned w[64];
    long long n[64];
    /* Documents: the city's People's Committee and its departments issued
     * 5,162 (4,412 electronically: 85.47 %) and received 7,073; the wards
     * issued 9,242 (3,561: 38.53 %) and received 25,334. */
    units[0] = LG_UNIT_CITY;
    w[0] = 30;
    for (int i = 0; i < LG_N_DEPTS; i++) {
        units[1 + i] = DEPT(i);
        w[1 + i] = (unsigned)depts[i].present;
    }
    documents(d, rng, units, w, 1 + LG_N_DEPTS, LG_OUT, 5162, 4412, dy);
    documents(d, rng, units, w, 1 + LG_N_DEPTS, LG_IN, 7073, 7073, dy);
    for (int i = 0; i < LG_N_WARDS; i++)
        units[i] = WARD(i);
    documents(d, rng, units, ward_weights, LG_N_WARDS, LG_OUT, 9242, 3561, dy);
    documents(d, rng, units, ward_weights, LG_N_WARDS, LG_IN, 25334, 25334, dy);

    /* The city's portal: 80 news items, 322 images, 226 documents. */
    static const int posts[LG_N_POST_KINDS] = {80, 322, 226};
    for (int k = 0; k < LG_N_POST_KINDS; k++) {
        for (int i = 0; i < posts[k]; i++)
            lg_item_add(d, LG_T_PORTAL_POST, LG_UNIT_CITY, office_moment(rng, dy->w0, dy->w1 - 1))
                ->cat = (uint8_t)k;
        for (int i = 0; i < 4; i++)
            lg_item_add(d, LG_T_PORTAL_POST, LG_UNIT_CITY,
                        office_moment(rng, i < 2 ? dy->before : dy->after,
                                      (i < 2 ? dy->before : dy->after) + 13))
                ->cat = (uint8_t)k;
    }

    /* Official e-mail: every civil servant, 1,672 of 1,807 public employees,
     * 246 of 258 commune officials: 2,010 / 2,157 = 93.18 % ("over 93 %").
     * An earlier snapshot in January, one after the window. */
    int64_t open = at_local(2022, 1, 10, 9, 0), final = at_local(2022, 11, 21, 9, 0);
    for (int i = 0; i < LG_N_DEPTS; i++) {
        email(d, DEPT(i), open + 60 * i, depts[i].open_present - (i % 2), depts[i].open_present);
        email(d, DEPT(i), final + 60 * i, depts[i].present, depts[i].present);
    }
    for (int i = 0; i < N_SCHOOLS; i++)
        w[i] = (unsigned)st->school_present[i];
    w[N_SCHOOLS] = (unsigned)st->culture_present;
    lg_apportion(1807 - 1672, w, N_SCHOOLS + 1, n);
    for (int i = 0; i <= N_SCHOOLS; i++) {
        email(d, SU(i), open + 3600 + 60 * i, (long)(w[i] - n[i]) * 4 / 5, (long)w[i]);
        email(d, SU(i), final + 3600 + 60 * i, (long)(w[i] - n[i]), (long)w[i]);
    }
    for (int i = 0; i < LG_N_WARDS; i++)
        w[i] = (unsigned)st->ward_cbcc[i];
    lg_apportion(258 - 246, w, LG_N_WARDS, n);
    for (int i = 0; i < LG_N_WARDS; i++) {
        email(d, WARD(i), open + 7200 + 60 * i, (long)(w[i] - n[i]) - 3, (long)w[i]);
        email(d, WARD(i), final + 7200 + 60 * i, (long)(w[i] - n[i]), (long)w[i]);
    }
    email(d, DEPT(D_TU_PHAP), at_local(2022, 12, 6, 9, 0), 5, 5);
}

int lg_rachgia_offices(struct lg_data *d, struct lg_rng *rng)
{
    struct days dy;
    struct staff st;
    dy.w0 = lg_day_from_civil(2021, 12, 15);
    dy.w1 = lg_day_from_civil(2022, 12, 1);
    dy.before = dy.w0 - 14;
    dy.after = dy.w1;
    survey(d, rng, &dy);
    if (staffing_headcount(d, rng, &st)) {
        fprintf(stderr, "cchc-loadgen: staffing figures do not split\n");
        return -1;
    }
    staffing_counters(d, rng, &dy, &st);
    staffing_positions(d);
    indicators(d);
    finance(d, rng);
    egov(d, rng, &dy, &st);
    return 0;
}

/* What the records above must count to (services/DOMAIN.md). */
const struct lg_item_counts lg_rachgia_item_targets = {
    .procedures = {[LG_TIER_DISTRICT] = 271, [LG_TIER_COMMUNE] = 154},
    .simplified = 18,
    .inter_same = 12,
    .inter_cross = 32,
    .fee = 271,
    .online_payment = 271,
    .online =
        {
            {.eligible_l3 = 22,
             .offered_l3 = 22,
             .eligible_l4 = 130,
             .offered_l4 = 130,
             .payment = 152,
             .portal = 152},
            {.eligible_l3 = 40,
             .offered_l3 = 40,
             .eligible_l4 = 19,
             .offered_l4 = 19,
             .payment = 0,
             .portal = 59},
        },
    .survey = 162,
    .survey_satisfied = 156,
    .quota = {[LG_CONG_CHUC] = 96,
              [LG_HOP_DONG] = 7,
              [LG_VIEN_CHUC] = 1914,
              [LG_CBCC_XA] = 264,
              [LG_KCT_XA] = 164,
              [LG_KCT_AP] = 144,
              [LG_NHD_AP] = 360},
    .present = {[LG_CONG_CHUC] = 92,
                [LG_HOP_DONG] = 7,
                [LG_VIEN_CHUC] = 1807,
                [LG_CBCC_XA] = 258,
                [LG_KCT_XA] = 141,
                [LG_KCT_AP] = 144,
                [LG_NHD_AP] = 306},
    .qualified = {[LG_CBCC_XA] = 233},
    .unit_quota = {[LG_UNIT_FIRST_DEPT] = 7, 8, 10, 7, 5, 4, 9, 7, 23, 7, 9},
    .unit_present = {[LG_UNIT_FIRST_DEPT] = 7, 8, 10, 7, 4, 4, 8, 6, 22, 7, 9},
    .counters =
        {
            [LG_T_RECRUITED - LG_T_RECRUITED] = {[LG_CONG_CHUC] = 11},
            [LG_T_TRANSFERRED - LG_T_RECRUITED] = {[LG_CBCC_XA] = 1},
            [LG_T_TRAINED -
                LG_T_RECRUITED] = {[LG_CONG_CHUC] = 76, [LG_VIEN_CHUC] = 185, [LG_CBCC_XA] = 148},
            [LG_T_DISCIPLINED - LG_T_RECRUITED] = {[LG_VIEN_CHUC] = 1},
        },
    .job_positions = {[LG_AGENCY] = 11, [LG_SERVICE_UNIT] = 52},
    .revenue = REVENUE,
    .revenue_estimate = REVENUE_ESTIMATE,
    .investment_plan = INVESTMENT_PLAN,
    .disbursed = INVESTMENT_PLAN,
    .audit_due = AUDIT,
    .audit_paid = AUDIT,
    .service_units = 60,
    .autonomy =
        {[LG_TU_CHU_CHI_THUONG_XUYEN] = 5, [LG_TU_CHU_10_30] = 28, [LG_NHA_NUOC_DAM_BAO] = 27},
    .documents = {{7073, 7073, 5162, 4412}, {25334, 25334, 9242, 3561}},
    .portal = {80, 322, 226},
    .email_users = 2010,
    .email_staff = 2157,
};
