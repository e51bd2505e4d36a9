/* cchc-loadgen: reference data sets for the services, and the figures their
 * replay must give.
 *
 * Times are "local seconds": seconds since 1970-01-01T00:00 in UTC+7, so a
 * local day is t / 86400 and every time prints with the +07:00 offset. The
 * generator keeps its own calendar code rather than common/period.c on purpose:
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

int64_t lg_day_from_civil(int y, int m, int d);
void lg_civil_from_day(int64_t day, int *y, int *m, int *d);
int64_t lg_local(int y, int mo, int d, int h, int mi, int s);
void lg_time_format(int64_t t, char out[LG_TIME_LEN]);

enum lg_level { LG_DISTRICT, LG_COMMUNE };
enum lg_channel { LG_DIRECT, LG_ONLINE, LG_POSTAL };
extern const char *const lg_channel_names[3];

struct lg_unit {
    const char *id;
    const char *slug; /* the part after "kg.rachgia.", names the unit in record ids */
    enum lg_level level;
};
#define LG_N_UNITS 15
extern const struct lg_unit lg_units[LG_N_UNITS];

struct lg_procedure {
    const char *code;
    const char *field;
};
extern const struct lg_procedure lg_procedures[];

struct lg_dossier {
    int64_t received, due;
    int64_t resolved; /* < 0: never resolved */
    uint32_t seq;     /* per unit, in order of receipt, from 1 */
    uint16_t unit;
    uint8_t channel, return_channel, procedure;
};

struct lg_feedback {
    int64_t at;
    uint16_t unit;
    uint8_t resolved; /* status "resolved", else "received" */
};

struct lg_data {
    const char
        *id_prefix; /* starts every record and dossier id: ids stay unique across data sets */
    struct lg_dossier *dossiers;
    size_t n_dossiers;
    struct lg_feedback *feedback;
    size_t n_feedback;
};

/* Kinds sort in this order at equal times, so a dossier comes before a
 * resolution at the same second. */
enum lg_kind { LG_RECEIVED, LG_RESOLVED, LG_FEEDBACK };

/* One output line: a reference into lg_data, printed by lg_record_format. */
struct lg_record {
    int64_t at;
    uint32_t ref;
    uint8_t kind;
};

/* The reporting window of the 2022 report, [from, to) in local seconds. */
struct lg_window {
    int64_t from, to;
};

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

struct lg_counts {
    struct lg_figures unit[LG_N_UNITS];
    struct lg_figures group[LG_N_GROUPS];
    long feedback_received, feedback_resolved;
};

/* What a scenario is built to give: its design constants, checked against
 * what the emitted records count to. */
struct lg_targets {
    struct lg_figures group[LG_N_GROUPS];
    long feedback_received, feedback_resolved;
};

/* scenario_rachgia.c: fills d (caller frees with lg_data_free). 0 or -1 with a
 * message on stderr. */
int lg_rachgia_2022(struct lg_data *d, struct lg_window *w, struct lg_targets *t);
void lg_data_free(struct lg_data *d);

/* figures.c */
size_t lg_record_format(const struct lg_data *d, const struct lg_record *r, char *buf, size_t cap);
int lg_count(const struct lg_data *d, const struct lg_record *recs, size_t n,
             const struct lg_window *w, struct lg_counts *c);
int lg_check(const struct lg_counts *c, const struct lg_targets *t);
int lg_write_expected(FILE *f, const char *scenario, const struct lg_window *w,
                      const struct lg_counts *c, size_t n_records);

#endif
