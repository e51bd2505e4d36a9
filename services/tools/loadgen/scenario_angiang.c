/* The "angiang-2025" scenario: dossiers across the two-tier reform of
 * 1 July 2025 at Rạch Giá's communes and their successors in the new An
 * Giang (ops/units/angiang-2025.tsv), over the 2025 year (2024-12-15 ..
 * 2025-12-14) and around it. Half are cchc's NDJSON records (received,
 * resolved), half the national portal's DongBoHoSoMC records, one state a
 * line, found by the units' codes; many are received before the change and
 * resolved after it. expected.json holds form 3's figures for each unit as
 * recorded and for the two new wards as of 2025-12-14, counted here from the
 * dossiers' stories by the generator's own rules:
 *   - a receipt counts at the unit that received it, on its day; so do a
 *     refusal (status 3) and a supplement request (5);
 *   - a resolution, withdrawal (7) or stop (8) counts on the day it ended,
 *     at the unit acting then: the receiving unit until its last day, its
 *     successor after;
 *   - late iff ended after due (to the second), early iff on a day before
 *     due's; a supplement moves the due date on by a week;
 *   - as of a day, a unit holds its own figures and its predecessors'. */
#include "loadgen.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

struct au {
    const char *id, *code;
    int successor; /* index in units[]; -1: a unit of the new An Giang */
};

enum { RACH_GIA = 12, VINH_THONG = 13, N_OLD = 12, N_UNITS = 14 };
static const struct au units[N_UNITS] = {
    {"kg.rachgia.p-vinh-thanh-van", "30730", RACH_GIA},
    {"kg.rachgia.p-vinh-thanh", "30733", RACH_GIA},
    {"kg.rachgia.p-vinh-quang", "30736", RACH_GIA},
    {"kg.rachgia.p-vinh-hiep", "30739", RACH_GIA},
    {"kg.rachgia.p-vinh-lac", "30745", RACH_GIA},
    {"kg.rachgia.p-an-hoa", "30748", RACH_GIA},
    {"kg.rachgia.p-an-binh", "30751", RACH_GIA},
    {"kg.rachgia.p-rach-soi", "30754", RACH_GIA},
    {"kg.rachgia.p-vinh-loi", "30757", RACH_GIA},
    {"kg.rachgia.p-vinh-thong", "30760", VINH_THONG},
    {"kg.rachgia.x-phi-thong", "30763", VINH_THONG},
    {"kg.hon-dat.x-my-lam", "30844", VINH_THONG},
    {"ag.p-rach-gia", "30742", -1},
    {"ag.p-vinh-thong", "30760", -1},
};

static const char *const procedures[] = {"1.004227", "2.000986", "1.001612"};
static const char *const channels[] = {"direct", "online", "postal"};

/* A dossier's story: its DVCQG statuses in order (NDJSON ones: received,
 * then resolved or not). */
enum path { P_RESOLVED, P_SUPPLEMENT, P_WITHDRAWN, P_NOT_ACCEPTED, P_STOPPED, P_PENDING, P_N };
static const int statuses[P_N][5] = {
    {2, 4, 9, 10, 0}, {2, 5, 4, 9, 0}, {2, 7, 0}, {3, 0}, {2, 8, 0}, {2, 4, 0},
};

struct dossier {
    int unit, channel, postal_return, dvcqg, proc;
    enum path path;
    int64_t received, due, due2, ended; /* local seconds */
};

/* The figures form 3 counts per level (services/tools/report/README.md). */
enum {
    F_RECEIVED,
    F_DIRECT,
    F_ONLINE,
    F_POSTAL,
    F_RESOLVED,
    F_EARLY,
    F_ON_TIME,
    F_LATE,
    F_RET_POSTAL,
    F_NOT_ACCEPTED,
    F_SUPPLEMENT,
    F_WITHDRAWN,
    F_STOPPED,
    F_N
};

/* Per unit: the facts before the window and in it. */
struct tally {
    int64_t before[F_N], in[F_N];
};

static int64_t day_of(int64_t t)
{
    return t >= 0 ? t / LG_DAY : -((-t + LG_DAY - 1) / LG_DAY);
}

/* The unit acting for u on day: u until its last day, its successor after. */
static int acting(int u, int64_t day, int64_t change_day)
{
    return units[u].successor >= 0 && day >= change_day ? units[u].successor : u;
}

static void count(struct tally *t, int unit, int64_t day, int f, int64_t lo, int64_t hi)
{
    if (day < lo)
        t[unit].before[f]++;
    else if (day <= hi)
        t[unit].in[f]++;
}

/* The dossier's facts, each at its unit and day. */
static void facts(const struct dossier *d, struct tally *t, int64_t lo, int64_t hi,
                  int64_t change_day)
{
    int64_t rd = day_of(d->received), ed = day_of(d->ended);
    int end_unit = acting(d->unit, ed, change_day);
    if (d->path == P_NOT_ACCEPTED) {
        count(t, d->unit, rd, F_NOT_ACCEPTED, lo, hi);
        return;
    }
    count(t, d->unit, rd, F_RECEIVED, lo, hi);
    count(t, d->unit, rd, F_DIRECT + d->channel, lo, hi);
    if (d->path == P_SUPPLEMENT)
        count(t, d->unit, rd, F_SUPPLEMENT, lo, hi);
    if (d->path == P_WITHDRAWN)
        count(t, end_unit, ed, F_WITHDRAWN, lo, hi);
    if (d->path == P_STOPPED)
        count(t, end_unit, ed, F_STOPPED, lo, hi);
    if (d->path == P_RESOLVED || d->path == P_SUPPLEMENT) {
        int64_t due = d->path == P_SUPPLEMENT ? d->due2 : d->due;
        int f = d->ended > due ? F_LATE : ed < day_of(due) ? F_EARLY : F_ON_TIME;
        count(t, end_unit, ed, F_RESOLVED, lo, hi);
        count(t, end_unit, ed, f, lo, hi);
        if (d->postal_return)
            count(t, end_unit, ed, F_RET_POSTAL, lo, hi);
    }
}

/* A rate as the forms print it, two decimals rounded half up, as a string
 * ("93.50", which a JSON number would not keep), or null. */
static void rate(FILE *f, const char *key, int64_t num, int64_t den)
{
    if (!den) {
        fprintf(f, ",\"%s\":null", key);
        return;
    }
    int64_t bp = (num * 20000 + den) / (2 * den);
    fprintf(f, ",\"%s\":\"%" PRId64 ".%02" PRId64 "\"", key, bp / 100, bp % 100);
}

static void rows(FILE *f, const struct tally *t)
{
    const int64_t *b = t->before, *w = t->in;
    int64_t carried = b[F_RECEIVED] - b[F_RESOLVED] - b[F_WITHDRAWN] - b[F_STOPPED];
    int64_t on_time = w[F_EARLY] + w[F_ON_TIME];
    fprintf(f,
            "{\"3.3.1\":%" PRId64 ",\"3.3.2\":%" PRId64 ",\"3.3.received\":%" PRId64
            ",\"3.3.carried_over\":%" PRId64 ",\"3.3.new\":%" PRId64 ",\"3.3.online\":%" PRId64
            ",\"3.3.direct_or_postal\":%" PRId64 ",\"3.3.postal\":%" PRId64 ",\"3.3.late\":%" PRId64
            ",\"3.3.pending\":%" PRId64 ",\"3.3.returned_postal\":%" PRId64
            ",\"3.3.not_accepted\":%" PRId64 ",\"3.3.supplement\":%" PRId64
            ",\"3.3.withdrawn\":%" PRId64 ",\"3.3.stopped\":%" PRId64,
            w[F_RESOLVED], on_time, carried + w[F_RECEIVED], carried, w[F_RECEIVED], w[F_ONLINE],
            w[F_DIRECT] + w[F_POSTAL], w[F_POSTAL], w[F_LATE],
            carried + w[F_RECEIVED] - w[F_RESOLVED] - w[F_WITHDRAWN] - w[F_STOPPED],
            w[F_RET_POSTAL], w[F_NOT_ACCEPTED], w[F_SUPPLEMENT], w[F_WITHDRAWN], w[F_STOPPED]);
    rate(f, "3.3", on_time, w[F_RESOLVED]);
    rate(f, "3.3.late_pct", w[F_LATE], w[F_RESOLVED]);
    rate(f, "3.3.returned_postal_pct", w[F_RET_POSTAL], w[F_POSTAL]);
    fputc('}', f);
}

/* A state record of d at status s, as the portal gets it: the unit's code
 * in force at the record's latest time. */
static void write_state(FILE *f, const struct dossier *d, int n, int s, int64_t change_day)
{
    char rcv[LG_TIME_LEN], due[LG_TIME_LEN], end[LG_TIME_LEN], ret[LG_TIME_LEN];
    const char *fmt[4];
    char buf[4][16];
    int moved = d->path == P_SUPPLEMENT && s != 2 && s != 5;
    int64_t t[4] = {d->received, moved ? d->due2 : d->due, d->ended, d->ended + 2 * 3600};
    int set[4] = {1, s != 3, s >= 7, s == 10};
    char *iso[4] = {rcv, due, end, ret};
    int64_t latest = d->received;
    for (int i = 0; i < 4; i++) {
        lg_time_format(t[i], iso[i]);
        /* 2025-03-01T08:30:00+07:00 -> 20250301083000 */
        snprintf(buf[i], sizeof buf[i], "%.4s%.2s%.2s%.2s%.2s%.2s", iso[i], iso[i] + 5, iso[i] + 8,
                 iso[i] + 11, iso[i] + 14, iso[i] + 17);
        fmt[i] = set[i] ? buf[i] : "";
        if (set[i] && i != 1 && t[i] > latest)
            latest = t[i];
    }
    const char *madonvi = units[acting(d->unit, day_of(latest), change_day)].code;
    fprintf(f,
            "{\"service\":\"DongBoHoSoMC\",\"isUpdating\":\"%s\",\"madonvi\":\"%s\",\"data\":[{"
            "\"MaHoSo\":\"AG-%06d\",\"MaTTHC\":\"%s\",\"MaLinhVuc\":\"G09-TP\","
            "\"KenhThucHien\":\"%d\",\"TrangThaiHoSo\":\"%d\",\"NgayTiepNhan\":\"%s\","
            "\"NgayHenTra\":\"%s\",\"NgayKetThucXuLy\":\"%s\",\"NgayTra\":\"%s\","
            "\"HinhThuc\":\"%d\"}]}\n",
            s == statuses[d->path][0] ? "False" : "True", madonvi, n, procedures[d->proc],
            d->channel + 1, s, fmt[0], fmt[1], fmt[2], fmt[3], d->postal_return);
}

/* One line to write, at its time, so that each file is in time order. */
struct line {
    int64_t at;
    int dossier, status; /* status 0: the NDJSON receipt; -1: its resolution */
};

static int by_time(const void *a, const void *b)
{
    const struct line *x = a, *y = b;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    return x->dossier != y->dossier ? (x->dossier < y->dossier ? -1 : 1)
                                    : (x->status < y->status ? -1 : x->status > y->status);
}

int lg_angiang_2025(const char *dir)
{
    const int64_t change_day = lg_day_from_civil(2025, 7, 1);
    const int64_t lo = lg_day_from_civil(2024, 12, 15), hi = lg_day_from_civil(2025, 12, 14);
    const int64_t old_from = lg_day_from_civil(2024, 11, 15);
    const int64_t new_to = lg_day_from_civil(2025, 12, 31);
    enum { PER_OLD = 120, PER_NEW = 500 };
    int nd = N_OLD * PER_OLD + 2 * PER_NEW;
    struct dossier *ds = calloc((size_t)nd, sizeof *ds);
    struct line *ls = calloc((size_t)nd * 5, sizeof *ls);
    struct tally *t = calloc(N_UNITS, sizeof *t), asof[2] = {0};
    int rc = -1, nl = 0, crossing = 0;
    FILE *nf = NULL, *vf = NULL, *ef = NULL;
    if (!ds || !ls || !t)
        goto done;
    struct lg_rng rng = {20250701};
    for (int i = 0; i < nd; i++) {
        struct dossier *d = &ds[i];
        int old = i < N_OLD * PER_OLD;
        d->unit = old ? i % N_OLD : N_OLD + (i - N_OLD * PER_OLD) % 2;
        int64_t first = old ? old_from : change_day, last = old ? change_day - 1 : new_to;
        if (old && lg_rng_below(&rng, 4) == 0) /* a quarter in the last three weeks before it */
            first = change_day - 21;
        int64_t day = first + (int64_t)lg_rng_below(&rng, (uint64_t)(last - first + 1));
        d->received = day * LG_DAY + (int64_t)lg_rng_below(&rng, 24) * 3600 +
                      (int64_t)lg_rng_below(&rng, 3600);
        d->due = (day + 1 + (int64_t)lg_rng_below(&rng, 15)) * LG_DAY + 17 * 3600;
        d->due2 = d->due + 7 * LG_DAY;
        d->channel = (int)lg_rng_below(&rng, 10);
        d->channel = d->channel < 5 ? 0 : d->channel < 8 ? 1 : 2;
        d->postal_return = lg_rng_below(&rng, 10) < 3;
        d->proc = (int)lg_rng_below(&rng, 3);
        d->dvcqg = (int)lg_rng_below(&rng, 2);
        uint64_t x = lg_rng_below(&rng, 100);
        d->path = !d->dvcqg ? (x < 85 ? P_RESOLVED : P_PENDING)
                  : x < 55  ? P_RESOLVED
                  : x < 67  ? P_SUPPLEMENT
                  : x < 74  ? P_WITHDRAWN
                  : x < 80  ? P_NOT_ACCEPTED
                  : x < 86  ? P_STOPPED
                            : P_PENDING;
        /* Ended: before, on or after the due date in force, or one second past it. */
        int64_t due = d->path == P_SUPPLEMENT ? d->due2 : d->due;
        uint64_t k = lg_rng_below(&rng, 4);
        d->ended = k == 0 ? d->received + (int64_t)lg_rng_below(&rng, (uint64_t)(due - d->received))
                   : k == 1 ? day_of(due) * LG_DAY + 8 * 3600
                   : k == 2 ? due + (int64_t)(1 + lg_rng_below(&rng, 10)) * LG_DAY
                            : due + 1;
        if (d->ended < d->received)
            d->ended = d->received;
        facts(d, t, lo, hi, change_day);
        int ends = d->path != P_PENDING && d->path != P_NOT_ACCEPTED;
        if (old && ends && day_of(d->ended) >= change_day && day_of(d->ended) <= hi)
            crossing++;
        if (!d->dvcqg) {
            ls[nl++] = (struct line){d->received, i, 0};
            if (d->path == P_RESOLVED)
                ls[nl++] = (struct line){d->ended, i, -1};
            continue;
        }
        for (const int *s = statuses[d->path]; *s; s++) {
            int64_t at = *s >= 7 ? d->ended + (*s == 10 ? 2 * 3600 : 0) : d->received;
            if (*s == 4 || *s == 5)
                at = d->received + 60 * (s - statuses[d->path]);
            ls[nl++] = (struct line){at, i, *s};
        }
    }
    /* As of the day after the window, each new ward holds its predecessors' facts. */
    for (int u = 0; u < N_UNITS; u++) {
        int heir = units[u].successor >= 0 ? units[u].successor : u;
        for (int f = 0; f < F_N; f++) {
            asof[heir - N_OLD].before[f] += t[u].before[f];
            asof[heir - N_OLD].in[f] += t[u].in[f];
        }
    }
    qsort(ls, (size_t)nl, sizeof *ls, by_time);
    char path[4200];
    snprintf(path, sizeof path, "%s/dossier-000.ndjson", dir);
    if (!(nf = fopen(path, "w")))
        goto done;
    snprintf(path, sizeof path, "%s/dvcqg-000.jsonl", dir);
    if (!(vf = fopen(path, "w")))
        goto done;
    int n_ndjson = 0, n_dvcqg = 0;
    for (int i = 0; i < nl; i++) {
        const struct dossier *d = &ds[ls[i].dossier];
        char at[LG_TIME_LEN], due[LG_TIME_LEN];
        lg_time_format(ls[i].at, at);
        if (ls[i].status > 0) {
            write_state(vf, d, ls[i].dossier, ls[i].status, change_day);
            n_dvcqg++;
        } else if (ls[i].status == 0) {
            lg_time_format(d->due, due);
            fprintf(nf,
                    "{\"id\":\"ag-r%06d\",\"type\":\"received\",\"unit\":\"%s\",\"at\":\"%s\","
                    "\"dossier\":\"AG-%06d\",\"procedure\":\"%s\",\"field\":\"G09-TP\","
                    "\"channel\":\"%s\",\"due\":\"%s\"}\n",
                    ls[i].dossier, units[d->unit].id, at, ls[i].dossier, procedures[d->proc],
                    channels[d->channel], due);
            n_ndjson++;
        } else {
            int u = acting(d->unit, day_of(d->ended), change_day);
            fprintf(nf,
                    "{\"id\":\"ag-s%06d\",\"type\":\"resolved\",\"unit\":\"%s\",\"at\":\"%s\","
                    "\"dossier\":\"AG-%06d\",\"return_channel\":\"%s\"}\n",
                    ls[i].dossier, units[u].id, at, ls[i].dossier,
                    d->postal_return ? "postal" : "direct");
            n_ndjson++;
        }
    }
    snprintf(path, sizeof path, "%s/expected.json", dir);
    if (!(ef = fopen(path, "w")))
        goto done;
    fprintf(ef,
            "{\"scenario\":\"angiang-2025\",\"from\":\"2024-12-15\",\"to\":\"2025-12-14\","
            "\"as_of\":\"2025-12-14\",\"dossiers\":%d,\"crossing\":%d,\"records\":{\"ndjson\":%d,"
            "\"dvcqg\":%d},\"predecessors\":{",
            nd, crossing, n_ndjson, n_dvcqg);
    for (int h = N_OLD; h < N_UNITS; h++) {
        fprintf(ef, "%s\"%s\":[", h > N_OLD ? "," : "", units[h].id);
        for (int u = 0, k = 0; u < N_OLD; u++)
            if (units[u].successor == h)
                fprintf(ef, "%s\"%s\"", k++ ? "," : "", units[u].id);
        fputc(']', ef);
    }
    fprintf(ef, "},\"as_recorded\":{");
    for (int u = 0; u < N_UNITS; u++) {
        fprintf(ef, "%s\"%s\":", u ? "," : "", units[u].id);
        rows(ef, &t[u]);
    }
    fprintf(ef, "},\"today\":{");
    for (int h = 0; h < 2; h++) {
        fprintf(ef, "%s\"%s\":", h ? "," : "", units[N_OLD + h].id);
        rows(ef, &asof[h]);
    }
    fprintf(ef, "}}\n");
    printf("angiang-2025: %d dossiers, %d NDJSON and %d DVCQG records, %d received before "
           "2025-07-01 and ended after it, under %s\n",
           nd, n_ndjson, n_dvcqg, crossing, dir);
    rc = 0;
done:
    if (nf && fclose(nf))
        rc = -1;
    if (vf && fclose(vf))
        rc = -1;
    if (ef && fclose(ef))
        rc = -1;
    free(ds);
    free(ls);
    free(t);
    return rc;
}
