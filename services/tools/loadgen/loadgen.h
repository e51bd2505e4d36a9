/* cchc-loadgen: reference data sets for the services, and the figures their
 * replay must give.
 *
 * Times are "local seconds": seconds since 1970-01-01T00:00 in UTC+7, so a
 * local day is t / 86400 and every time prints with the +07:00 offset. The
 * generator keeps its own calendar code rather than common/base/period.c on purpose:
 * it is the oracle the pipeline is tested against, so it shares none of its code. */
#ifndef CCHC_LOADGEN_H
#define CCHC_LOADGEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define LG_DAY 86400
#define LG_TIME_LEN 26 /* "2022-03-01T08:30:00+07:00" and NUL */

/* splitmix64: small, fast, and the same on every platform, unlike rand(). */
struct lg_rng {
    uint64_t s;
};

static inline uint64_t lg_rng_next(struct lg_rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Uniform in [0, n), n > 0: rejects the short last block so no value is favoured. */
static inline uint64_t lg_rng_below(struct lg_rng *r, uint64_t n)
{
    uint64_t floor = -n % n, x;
    do
        x = lg_rng_next(r);
    while (x < floor);
    return x % n;
}

/* calendar.c */
int64_t lg_day_from_civil(int y, int m, int d);
void lg_civil_from_day(int64_t day, int *y, int *m, int *d);
int64_t lg_local(int y, int mo, int d, int h, int mi, int s);
void lg_time_format(int64_t t, char out[LG_TIME_LEN]);

/* --- units (units.c): the part of ops/units/rachgia.tsv the data set names --- */

enum lg_level { LG_DISTRICT, LG_COMMUNE };
enum lg_unit_kind { LG_GOVERNMENT, LG_AGENCY, LG_SERVICE_UNIT, LG_N_KINDS };
extern const char *const lg_kind_names[LG_N_KINDS];

struct lg_unit {
    const char *id;
    const char *slug; /* the part after "kg.rachgia.", names the unit in record ids */
    enum lg_level level;
    enum lg_unit_kind kind;
};

/* In this order: the city, its branch and one-stop shop, the 12 wards, the 11
 * departments (services/DOMAIN.md's order), the 60 public service units. */
enum {
    LG_UNIT_CITY,
    LG_UNIT_VPDKDD,
    LG_UNIT_MOT_CUA,
    LG_UNIT_FIRST_WARD,
    LG_N_WARDS = 12,
    LG_UNIT_FIRST_DEPT = LG_UNIT_FIRST_WARD + LG_N_WARDS,
    LG_N_DEPTS = 11,
    LG_UNIT_FIRST_SU = LG_UNIT_FIRST_DEPT + LG_N_DEPTS,
    LG_N_SUS = 60,
    LG_N_UNITS = LG_UNIT_FIRST_SU + LG_N_SUS
};
extern const struct lg_unit lg_units[LG_N_UNITS];

/* --- the procedure catalogue --- */

enum lg_tier { LG_TIER_PROVINCE, LG_TIER_DISTRICT, LG_TIER_COMMUNE, LG_N_TIERS };
extern const char *const lg_tier_names[LG_N_TIERS];
enum lg_inter { LG_INTER_NONE, LG_INTER_SAME, LG_INTER_CROSS };
extern const char *const lg_inter_names[3];

struct lg_procedure {
    char code[12]; /* "1.004227" */
    const char *field;
    uint8_t tier, inter;
};

/* --- dossier records --- */

enum lg_channel { LG_DIRECT, LG_ONLINE, LG_POSTAL };
extern const char *const lg_channel_names[3];

struct lg_dossier {
    int64_t received, due;
    int64_t resolved; /* < 0: never resolved */
    uint32_t seq;     /* per unit, in order of receipt, from 1 */
    uint16_t unit;
    uint16_t procedure; /* index into lg_data.procedures */
    uint8_t channel, return_channel;
};

struct lg_feedback {
    int64_t at;
    uint16_t unit;
    uint8_t resolved; /* status "resolved", else "received" */
};

/* --- every other record: the catalogues, survey, staffing, finance, egov --- */

enum lg_service { LG_SVC_DOSSIER, LG_SVC_STAFFING, LG_SVC_FINANCE, LG_SVC_EGOV, LG_N_SERVICES };
extern const char *const lg_service_names[LG_N_SERVICES];

#define LG_TYPES(X)                                                                                \
    X(PROCEDURE, "procedure", LG_SVC_DOSSIER)                                                      \
    X(SURVEY, "survey", LG_SVC_DOSSIER)                                                            \
    X(HEADCOUNT, "headcount", LG_SVC_STAFFING)                                                     \
    X(RECRUITED, "recruited", LG_SVC_STAFFING)                                                     \
    X(TRANSFERRED, "transferred", LG_SVC_STAFFING)                                                 \
    X(TRAINED, "trained", LG_SVC_STAFFING)                                                         \
    X(DISCIPLINED, "disciplined", LG_SVC_STAFFING)                                                 \
    X(STREAMLINED, "streamlined", LG_SVC_STAFFING)                                                 \
    X(JOB_POSITIONS, "job_positions", LG_SVC_STAFFING)                                             \
    X(INDICATOR, "indicator", LG_SVC_STAFFING)                                                     \
    X(REVENUE, "revenue", LG_SVC_FINANCE)                                                          \
    X(REVENUE_ESTIMATE, "revenue_estimate", LG_SVC_FINANCE)                                        \
    X(INVESTMENT_PLAN, "investment_plan", LG_SVC_FINANCE)                                          \
    X(DISBURSEMENT, "disbursement", LG_SVC_FINANCE)                                                \
    X(AUTONOMY, "autonomy", LG_SVC_FINANCE)                                                        \
    X(AUDIT_DUE, "audit_due", LG_SVC_FINANCE)                                                      \
    X(AUDIT_PAID, "audit_paid", LG_SVC_FINANCE)                                                    \
    X(DOCUMENT, "document", LG_SVC_EGOV)                                                           \
    X(ONLINE_SERVICE, "online_service", LG_SVC_EGOV)                                               \
    X(PORTAL_POST, "portal_post", LG_SVC_EGOV)                                                     \
    X(EMAIL_USAGE, "email_usage", LG_SVC_EGOV)

enum lg_type {
#define LG_TYPE_ENUM(e, name, svc) LG_T_##e,
    LG_TYPES(LG_TYPE_ENUM)
#undef LG_TYPE_ENUM
        LG_N_TYPES
};
extern const char *const lg_type_names[LG_N_TYPES];
extern const uint8_t lg_type_service[LG_N_TYPES];

/* The staffing counters, in LG_TYPES order from RECRUITED. */
#define LG_N_COUNTERS 5

enum lg_category {
    LG_CONG_CHUC,
    LG_HOP_DONG,
    LG_VIEN_CHUC,
    LG_CBCC_XA,
    LG_KCT_XA,
    LG_KCT_AP,
    LG_NHD_AP,
    LG_N_CATEGORIES
};
extern const char *const lg_category_names[LG_N_CATEGORIES];

enum lg_autonomy {
    LG_TU_CHU_CHI_DAU_TU,
    LG_TU_CHU_CHI_THUONG_XUYEN,
    LG_TU_CHU_70_100,
    LG_TU_CHU_30_70,
    LG_TU_CHU_10_30,
    LG_NHA_NUOC_DAM_BAO,
    LG_N_AUTONOMY
};
extern const char *const lg_autonomy_names[LG_N_AUTONOMY];

enum lg_direction { LG_IN, LG_OUT };
enum lg_post_kind { LG_NEWS, LG_IMAGE, LG_DOCUMENT, LG_N_POST_KINDS };
extern const char *const lg_post_kind_names[LG_N_POST_KINDS];

/* lg_item.flags: the record's booleans. */
enum {
    LG_F_SIMPLIFIED = 1 << 0,
    LG_F_FEE = 1 << 1,
    LG_F_ONLINE_PAYMENT = 1 << 2,
    LG_F_WITHDRAWN = 1 << 3, /* procedure: writes "withdrawn":true */
    LG_F_SATISFIED = 1 << 4,
    LG_F_QUALIFIED = 1 << 5, /* headcount: has a "qualified" field (v[2]) */
    LG_F_APPROVED = 1 << 6,
    LG_F_ELECTRONIC = 1 << 7,
    LG_F_OFFERED = 1 << 8,
    LG_F_PAYMENT = 1 << 9,
    LG_F_PORTAL = 1 << 10,
};

#define LG_ROW_LEN 12

/* One record of a type in LG_TYPES. Which fields mean what, by type:
 *   procedure       proc; cat: lg_inter; flags SIMPLIFIED FEE ONLINE_PAYMENT WITHDRAWN
 *   survey          flags SATISFIED
 *   headcount       cat: lg_category; v: quota, present, qualified (flag QUALIFIED)
 *   recruited ...   cat: lg_category; v[0]: count
 *   job_positions   flags APPROVED
 *   indicator       form, row; v[0]: value
 *   money types     v[0]: amount in đồng
 *   autonomy        cat: lg_autonomy
 *   document        cat: lg_direction; flags ELECTRONIC
 *   online_service  proc, level; flags OFFERED PAYMENT PORTAL (tier: the procedure's)
 *   portal_post     cat: lg_post_kind
 *   email_usage     v: users, staff */
struct lg_item {
    int64_t at;
    int64_t v[3];
    uint32_t seq; /* per type, from 1: names the record */
    uint16_t unit, proc, flags;
    uint8_t type, cat, level, form;
    char row[LG_ROW_LEN];
};

struct lg_data {
    const char
        *id_prefix; /* starts every record and dossier id: ids stay unique across data sets */
    struct lg_procedure *procedures;
    size_t n_procedures;
    struct lg_dossier *dossiers;
    size_t n_dossiers;
    struct lg_feedback *feedback;
    size_t n_feedback;
    struct lg_item *items;
    size_t n_items, cap_items;
    uint32_t item_seq[LG_N_TYPES];
};

/* Kinds sort in this order at equal times, so a dossier comes before a
 * resolution at the same second. */
enum lg_kind { LG_RECEIVED, LG_RESOLVED, LG_FEEDBACK, LG_ITEM };

/* One output line: a reference into lg_data, printed by lg_record_format. */
struct lg_record {
    int64_t at;
    uint32_t ref;
    uint8_t kind;
};

static inline int lg_record_service(const struct lg_data *d, const struct lg_record *r)
{
    return r->kind == LG_ITEM ? lg_type_service[d->items[r->ref].type] : LG_SVC_DOSSIER;
}

/* The reporting window of the 2022 report, [from, to) in local seconds. */
struct lg_window {
    int64_t from, to;
};

/* --- the figures --- */

#define LG_FIGURES(X)                                                                              \
    X(received_total)                                                                              \
    X(received_in_window)                                                                          \
    X(carried_over)                                                                                \
    X(online)                                                                                      \
    X(new_direct_or_postal)                                                                        \
    X(postal)                                                                                      \
    X(returned_postal)                                                                             \
    X(resolved)                                                                                    \
    X(on_time)                                                                                     \
    X(late)                                                                                        \
    X(pending_end)

struct lg_figures {
#define LG_FIELD(f) long f;
    LG_FIGURES(LG_FIELD)
#undef LG_FIELD
};

enum lg_group { LG_CITY, LG_VPDKDD, LG_MOT_CUA, LG_WARDS, LG_N_GROUPS };
extern const char *const lg_group_names[LG_N_GROUPS];

/* Form 7 rows 6.1.3, 6.2.3, 6.4.1, 6.4.2 by the level of the receiving unit:
 * dossiers received in the window whose procedure is offered online (level 3
 * or 4) at the window's end, the online ones among them, the procedures with
 * at least one online dossier in the window by level; and online dossiers of
 * procedures not offered online (must be 0). */
#define LG_F7(X)                                                                                   \
    X(received_of_online_procedures)                                                               \
    X(received_online)                                                                             \
    X(l3_with_online)                                                                              \
    X(l4_with_online)                                                                              \
    X(online_of_offline_procedures)

struct lg_f7 {
#define LG_FIELD(f) long f;
    LG_F7(LG_FIELD)
#undef LG_FIELD
};

/* The online catalogue at the window's end, per tier (district, commune). */
#define LG_ONLINE(X)                                                                               \
    X(eligible_l3)                                                                                 \
    X(offered_l3)                                                                                  \
    X(eligible_l4)                                                                                 \
    X(offered_l4)                                                                                  \
    X(payment)                                                                                     \
    X(portal)

struct lg_online {
#define LG_FIELD(f) long f;
    LG_ONLINE(LG_FIELD)
#undef LG_FIELD
};

/* Everything but the dossier figures: levels as in force at the window's end
 * (the latest snapshot before it, per unit and key), counters summed over it. */
struct lg_item_counts {
    long procedures[LG_N_TIERS];
    long simplified, inter_same, inter_cross, fee, online_payment;
    struct lg_online online[2]; /* 0 district, 1 commune tier */
    long survey, survey_satisfied;
    long quota[LG_N_CATEGORIES], present[LG_N_CATEGORIES], qualified[LG_N_CATEGORIES];
    long unit_quota[LG_N_UNITS], unit_present[LG_N_UNITS]; /* cong-chuc, per unit */
    long counters[LG_N_COUNTERS][LG_N_CATEGORIES];
    long job_positions[LG_N_KINDS];
    long long revenue, revenue_estimate, investment_plan, disbursed, audit_due, audit_paid;
    long service_units, autonomy[LG_N_AUTONOMY];
    long documents[2][4]; /* level x in, in electronic, out, out electronic */
    long portal[LG_N_POST_KINDS];
    long email_users, email_staff;
};

/* An indicator as in force at the window's end. */
struct lg_indicator {
    int form;
    const char *row;
    long value;
};
#define LG_MAX_INDICATORS 64

struct lg_counts {
    struct lg_figures unit[LG_N_UNITS];
    struct lg_figures group[LG_N_GROUPS];
    long feedback_received, feedback_resolved;
    struct lg_f7 f7[2]; /* 0 district, 1 commune level */
    struct lg_item_counts items;
    struct lg_indicator indicators[LG_MAX_INDICATORS];
    size_t n_indicators;
    /* Per procedure: the online level offered at the window's end (0: none). */
    uint8_t *online_end;
};

/* What a scenario is built to give: its design constants, checked against
 * what the emitted records count to. */
struct lg_targets {
    struct lg_figures group[LG_N_GROUPS];
    long feedback_received, feedback_resolved;
    struct lg_f7 f7[2];
    struct lg_item_counts items;
    const struct lg_indicator *indicators;
    size_t n_indicators;
};

/* scenario_rachgia.c: fills d (caller frees with lg_data_free). 0 or -1 with a
 * message on stderr. */
int lg_rachgia_2022(struct lg_data *d, struct lg_window *w, struct lg_targets *t);
void lg_data_free(struct lg_data *d);

/* rachgia_catalogue.c: the procedure table, `procedure` and `online_service`
 * records, and the pools the dossiers draw their procedures from. */
struct lg_pools;
int lg_rachgia_catalogue(struct lg_data *d, struct lg_rng *rng, struct lg_pools **pools);
int lg_rachgia_assign_procedures(struct lg_data *d, struct lg_rng *rng,
                                 const struct lg_pools *pools, const struct lg_window *w,
                                 long vpdkdd_online, long mot_cua_online);
void lg_pools_free(struct lg_pools *p);

/* rachgia_offices.c: survey, staffing, finance and e-government records. */
int lg_rachgia_offices(struct lg_data *d, struct lg_rng *rng);
extern const struct lg_item_counts lg_rachgia_item_targets;
extern const struct lg_indicator lg_rachgia_indicators[];
extern const size_t lg_rachgia_n_indicators;

/* items.c */
struct lg_item *lg_item_add(struct lg_data *d, int type, uint16_t unit, int64_t at);
size_t lg_item_format(const struct lg_data *d, const struct lg_item *it, char *buf, size_t cap);
int lg_count_items(const struct lg_data *d, const struct lg_record *recs, size_t n,
                   const struct lg_window *w, struct lg_counts *c);
int lg_check_items(const struct lg_counts *c, const struct lg_targets *t);
void lg_write_expected_items(FILE *f, const struct lg_counts *c);

/* figures.c */
size_t lg_record_format(const struct lg_data *d, const struct lg_record *r, char *buf, size_t cap);
int lg_count(const struct lg_data *d, const struct lg_record *recs, size_t n,
             const struct lg_window *w, struct lg_counts *c);
void lg_counts_free(struct lg_counts *c);
int lg_check(const struct lg_counts *c, const struct lg_targets *t);
int lg_write_expected(FILE *f, const char *scenario, const struct lg_window *w,
                      const struct lg_counts *c, const size_t n_records[LG_N_SERVICES]);

/* Splits total over n parts in proportion to w (largest remainders, ties to
 * the lower index): the parts sum to total exactly. */
void lg_apportion(long long total, const unsigned *w, size_t n, long long *out);

/* scenario_country.c: the benchmark data set, written to dir (units.tsv,
 * SERVICE-000.ndjson, expected.json); about `records` records over 2023 at
 * about `units` communes. 0 on success. */
int lg_country(const char *dir, uint64_t records, uint32_t units, uint32_t days);
/* The angiang-2025 scenario (scenario_angiang.c): its files and expected.json in dir. */
int lg_angiang_2025(const char *dir);

#endif
