/* The rachgia-2022 scenario: records of Rạch Giá whose replay gives the
 * figures of the city's 2022 report (No. 326/BC-UBND, forms 1-7 and its
 * text) for the window 2021-12-15 .. 2022-11-30 local time. This file makes
 * the dossiers and PAKN feedback (form 3 and the text's dossier figures);
 * rachgia_catalogue.c the procedure and online catalogues and the dossiers'
 * procedures (form 3 rows 1-2, form 7 row 6); rachgia_offices.c the survey,
 * staffing, finance and e-government records (forms 1, 2, 4-7).
 *
 * Every dossier gets a class first (carried over, resolved on time or late in
 * the window, pending at the end, noise outside the window), drawn from exact
 * counts, and then times that make the class true. The counts come from the
 * report; the times, units and channels from a fixed-seed PRNG. */
#include "loadgen.h"

#include <stdlib.h>
#include <string.h>

const char *const lg_channel_names[3] = {"direct", "online", "postal"};
const char *const lg_group_names[LG_N_GROUPS] = {"city", "vpdkdd", "mot-cua", "wards"};

enum {
    UNIT_CITY = LG_UNIT_CITY,
    UNIT_VPDKDD = LG_UNIT_VPDKDD,
    UNIT_MOT_CUA = LG_UNIT_MOT_CUA,
    UNIT_FIRST_WARD = LG_UNIT_FIRST_WARD,
    N_WARDS = LG_N_WARDS
};

/* Form 7 row 6.4.1: of the district-level dossiers received in the window,
 * 17,045 are of procedures offered online at level 3 or 4 (the 732 online
 * ones, 3,313 more at the one-stop shop, 13,000 at the branch). The table
 * prints 17,323, its note divides by 17,045: the data follow the note. */
#define MOT_CUA_DIRECT_OF_ONLINE_PROCS 3313
#define VPDKDD_OF_ONLINE_PROCS 13000

/* The design targets of the dossiers, from services/DOMAIN.md (form 3 and the report's
 * text; rachgia_offices.c holds the others). Where the report contradicts
 * itself the arithmetic wins: the branch received 260 + 38,550 = 38,810 (the
 * text prints 38,395), which 38,646 resolved + 164 pending and the city's
 * 45,750 = 38,810 + 6,940 confirm. */
static const struct lg_targets targets = {
    .group =
        {
            [LG_CITY] = {.received_total = 45750,
                         .received_in_window = 45346,
                         .carried_over = 404,
                         .online = 732,
                         .new_direct_or_postal = 44614,
                         .postal = 5298,
                         .returned_postal = 680,
                         .resolved = 45148,
                         .on_time = 42241,
                         .late = 2907,
                         .pending_end = 602},
            [LG_VPDKDD] = {.received_total = 38810,
                           .received_in_window = 38550,
                           .carried_over = 260,
                           .new_direct_or_postal = 38550,
                           .resolved = 38646,
                           .on_time = 35843,
                           .late = 2803,
                           .pending_end = 164},
            [LG_MOT_CUA] = {.received_total = 6940,
                            .received_in_window = 6796,
                            .carried_over = 144,
                            .online = 732,
                            .new_direct_or_postal = 6064,
                            .postal = 5298,
                            .returned_postal = 680,
                            .resolved = 6502,
                            .on_time = 6398,
                            .late = 104,
                            .pending_end = 438},
            [LG_WARDS] = {.received_total = 106143,
                          .received_in_window = 106116,
                          .carried_over = 27,
                          .online = 23,
                          .new_direct_or_postal = 106093,
                          .resolved = 106075,
                          .on_time = 106070,
                          .late = 5,
                          .pending_end = 68},
        },
    .feedback_received = 5,
    .feedback_resolved = 5,
};

/* Population-like weights: wards differ in size, so their figures should too. */
static const unsigned ward_weights[N_WARDS] = {13, 10, 12, 9, 8, 11, 10, 7, 9, 6, 8, 4};

/* How a group's dossiers are spread; the counts the report fixes are in targets. */
struct plan {
    enum lg_group group;
    uint16_t first_unit, n_units;
    const unsigned *weights; /* per unit; NULL when n_units is 1 */
    uint8_t legacy_draw;     /* see add_dossier */
    long carried_late;       /* carried-over dossiers resolved late */
    long pending_later;      /* pending at the end but resolved in December 2022 */
    long noise_before;       /* received and resolved before the window */
    long noise_after;        /* received after the window */
};

static const struct plan plans[] = {
    {LG_VPDKDD, UNIT_VPDKDD, 1, NULL, 5, 40, 60, 320, 240},
    {LG_MOT_CUA, UNIT_MOT_CUA, 1, NULL, 6, 9, 150, 90, 70},
    {LG_WARDS, UNIT_FIRST_WARD, N_WARDS, ward_weights, 6, 1, 20, 400, 300},
};

enum klass {
    K_CARRIED_ON_TIME,
    K_CARRIED_LATE,
    K_ON_TIME,
    K_LATE,
    K_PENDING_OPEN,
    K_PENDING_LATER,
    K_NOISE_BEFORE,
    K_NOISE_AFTER,
    N_KLASS
};

struct gen {
    struct lg_rng rng;
    struct lg_data *d;
    size_t cap;
    int64_t w0, w1; /* the window, [w0, w1) in local seconds */
    int64_t d0, d1; /* its first day and the first day after it */
    long nth[N_KLASS];
};

#define OFFICE_OPEN (7 * 3600 + 30 * 60)
#define OFFICE_CLOSE (17 * 3600)

static int64_t range(struct gen *g, int64_t lo, int64_t hi)
{
    return lo + (int64_t)lg_rng_below(&g->rng, (uint64_t)(hi - lo + 1));
}

static int64_t day_of(int64_t t)
{
    return t / LG_DAY;
}

static int working(int64_t day)
{
    int wd = (int)((day + 4) % 7); /* 1970-01-01 was a Thursday; 0 = Sunday */
    return wd != 0 && wd != 6;
}

static int64_t office_time(struct gen *g)
{
    return range(g, OFFICE_OPEN, OFFICE_CLOSE);
}

/* A working day in [lo, hi], or lo if the range has none (a lone weekend). */
static int64_t workday(struct gen *g, int64_t lo, int64_t hi)
{
    for (int tries = 0; tries < 64; tries++) {
        int64_t d = range(g, lo, hi);
        if (working(d))
            return d;
    }
    return lo;
}

/* Counters receive in office hours; online dossiers come at any hour, any day. */
static int64_t receipt(struct gen *g, int channel, int64_t lo_day, int64_t hi_day)
{
    if (channel == LG_ONLINE)
        return range(g, lo_day, hi_day) * LG_DAY + range(g, 0, LG_DAY - 1);
    return workday(g, lo_day, hi_day) * LG_DAY + office_time(g);
}

static int64_t add_working_days(int64_t received, int n)
{
    int64_t d = day_of(received);
    while (n > 0)
        if (working(++d))
            n--;
    return d * LG_DAY + OFFICE_CLOSE;
}

/* Due 3..15 working days after receipt at 17:00, and not before min_day. */
static int64_t due_for(struct gen *g, int64_t received, int64_t min_day)
{
    int n = (int)range(g, 3, 15);
    int64_t due = add_working_days(received, n);
    while (day_of(due) < min_day)
        due = add_working_days(received, ++n);
    return due;
}

/* A resolution in [lo, hi], in office hours when the range allows. */
static int64_t between(struct gen *g, int64_t lo, int64_t hi)
{
    int64_t t = workday(g, day_of(lo), day_of(hi)) * LG_DAY + office_time(g);
    if (t < lo || t > hi)
        t = range(g, lo, hi);
    return t;
}

/* 1..10 days after due (then the next working day): strictly after it. */
static int64_t late_after(struct gen *g, int64_t due)
{
    int64_t d = day_of(due) + range(g, 1, 10);
    while (!working(d))
        d++;
    return d * LG_DAY + office_time(g);
}

static void schedule_carried(struct gen *g, struct lg_dossier *x, enum klass k, long nth)
{
    /* The window's last second before it still counts as carried over. */
    if (k == K_CARRIED_ON_TIME && nth == 0)
        x->received = g->w0 - 1;
    else
        x->received = receipt(g, x->channel, g->d0 - 14, g->d0 - 1);
    /* Due inside the window, so that an on-time resolution can fall in it. */
    x->due = due_for(g, x->received, g->d0 + 1);
    x->resolved = k == K_CARRIED_LATE ? late_after(g, x->due) : between(g, g->w0, x->due);
}

static void schedule_on_time(struct gen *g, struct lg_dossier *x, long nth)
{
    if (nth == 0)
        x->received = g->w0; /* the window's first second is new, not carried over */
    else if (nth == 1)
        x->received = (g->d1 - 1) * LG_DAY + 8 * 3600;
    else
        x->received = receipt(g, x->channel, g->d0, g->d1 - 1);
    x->due = due_for(g, x->received, 0);
    if (nth == 1)
        x->resolved = g->w1 - 1; /* the window's last second */
    else if (nth % 499 == 2 && x->due < g->w1)
        x->resolved = x->due; /* exactly at due is on time */
    else
        x->resolved = between(g, x->received, x->due < g->w1 ? x->due : g->w1 - 1);
}

static void schedule_late(struct gen *g, struct lg_dossier *x, long nth)
{
    /* 36 days leave room for 21 calendar days to due and 12 days late. */
    x->received = receipt(g, x->channel, g->d0, g->d1 - 36);
    x->due = due_for(g, x->received, 0);
    x->resolved = nth == 0 ? x->due + 1 : late_after(g, x->due);
}

static void schedule_pending(struct gen *g, struct lg_dossier *x, enum klass k, long nth)
{
    if (k == K_PENDING_OPEN) {
        x->received = nth == 0 ? g->w1 - 1 : receipt(g, x->channel, g->d1 - 40, g->d1 - 1);
        x->due = due_for(g, x->received, 0);
        x->resolved = -1;
        return;
    }
    x->received = receipt(g, x->channel, g->d1 - 30, g->d1 - 1);
    x->due = due_for(g, x->received, 0);
    /* At the first second after the window, still pending at its end. */
    x->resolved = nth == 0 ? g->w1 : between(g, g->w1, g->w1 + 20 * LG_DAY - 1);
}

static void schedule_noise(struct gen *g, struct lg_dossier *x, enum klass k, long nth)
{
    if (k == K_NOISE_BEFORE) {
        x->received = receipt(g, x->channel, g->d0 - 44, g->d0 - 21);
        x->due = due_for(g, x->received, 0);
        x->resolved = between(g, x->received, x->received + 10 * LG_DAY);
        return;
    }
    x->received = nth == 0 ? g->w1 : receipt(g, x->channel, g->d1, g->d1 + 13);
    x->due = due_for(g, x->received, 0);
    x->resolved = nth % 3 == 0 ? -1 : between(g, x->received, x->received + 10 * LG_DAY);
}

static void schedule(struct gen *g, struct lg_dossier *x, enum klass k)
{
    long nth = g->nth[k]++;
    switch (k) {
    case K_CARRIED_ON_TIME:
    case K_CARRIED_LATE:
        schedule_carried(g, x, k, nth);
        break;
    case K_ON_TIME:
        schedule_on_time(g, x, nth);
        break;
    case K_LATE:
        schedule_late(g, x, nth);
        break;
    case K_PENDING_OPEN:
    case K_PENDING_LATER:
        schedule_pending(g, x, k, nth);
        break;
    case K_NOISE_BEFORE:
    case K_NOISE_AFTER:
        schedule_noise(g, x, k, nth);
        break;
    case N_KLASS:
        break;
    }
}

static uint16_t pick_unit(struct gen *g, const struct plan *p)
{
    if (!p->weights)
        return p->first_unit;
    unsigned total = 0;
    for (unsigned i = 0; i < p->n_units; i++)
        total += p->weights[i];
    unsigned r = (unsigned)lg_rng_below(&g->rng, total);
    unsigned i = 0;
    while (r >= p->weights[i])
        r -= p->weights[i++];
    return (uint16_t)(p->first_unit + i);
}

static int add_dossier(struct gen *g, const struct plan *p, enum klass k, int channel)
{
    struct lg_data *d = g->d;
    if (d->n_dossiers == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 65536;
        struct lg_dossier *n = realloc(d->dossiers, cap * sizeof *n);
        if (!n) {
            fprintf(stderr, "cchc-loadgen: out of memory\n");
            return -1;
        }
        d->dossiers = n;
        g->cap = cap;
    }
    struct lg_dossier *x = &d->dossiers[d->n_dossiers];
    memset(x, 0, sizeof *x);
    x->seq = (uint32_t)d->n_dossiers; /* generation order, a stable tie-break until renumbered */
    x->unit = pick_unit(g, p);
    /* The procedure was drawn here once, from a few codes per group; it is
     * now chosen with the catalogue (lg_rachgia_assign_procedures), and this
     * draw only keeps the stream, so the dossiers' times, units and channels
     * are those of the data set's first version. */
    (void)lg_rng_below(&g->rng, p->legacy_draw);
    x->channel = (uint8_t)channel;
    x->return_channel =
        channel == LG_ONLINE && lg_rng_below(&g->rng, 10) < 7 ? LG_ONLINE : LG_DIRECT;
    schedule(g, x, k);
    d->n_dossiers++;
    return 0;
}

static void shuffle_bytes(struct gen *g, uint8_t *a, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)lg_rng_below(&g->rng, i);
        uint8_t t = a[i - 1];
        a[i - 1] = a[j];
        a[j] = t;
    }
}

static void fill(uint8_t *a, size_t *at, long n, int value)
{
    memset(a + *at, value, (size_t)n);
    *at += (size_t)n;
}

/* Noise outside the window uses every channel the group has. */
static int noise_channel(struct gen *g, const struct lg_figures *t)
{
    uint64_t r = lg_rng_below(&g->rng, 10);
    if (t->postal && r < 6)
        return LG_POSTAL;
    if (t->online && r >= 8)
        return LG_ONLINE;
    return LG_DIRECT;
}

/* Exactly n of the group's postal dossiers resolved in the window get their
 * result back by post (a partial Fisher–Yates over the candidates). */
static int pick_postal_returns(struct gen *g, size_t first, long n)
{
    struct lg_data *d = g->d;
    size_t cand = 0;
    size_t *idx = malloc((d->n_dossiers - first + 1) * sizeof *idx);
    if (!idx) {
        fprintf(stderr, "cchc-loadgen: out of memory\n");
        return -1;
    }
    for (size_t i = first; i < d->n_dossiers; i++) {
        const struct lg_dossier *x = &d->dossiers[i];
        if (x->channel == LG_POSTAL && x->resolved >= g->w0 && x->resolved < g->w1)
            idx[cand++] = i;
    }
    if ((size_t)n > cand) {
        fprintf(stderr, "cchc-loadgen: %ld postal returns wanted, %zu candidates\n", n, cand);
        free(idx);
        return -1;
    }
    for (size_t i = 0; i < (size_t)n; i++) {
        size_t j = i + (size_t)lg_rng_below(&g->rng, cand - i);
        size_t t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
        d->dossiers[idx[i]].return_channel = LG_POSTAL;
    }
    free(idx);
    return 0;
}

/* The class counts follow from the targets; refuse targets that do not add up,
 * since no set of records could then meet them. */
static int split_window(const struct plan *p, const struct lg_figures *t, long k[N_KLASS])
{
    memset(k, 0, N_KLASS * sizeof *k);
    k[K_CARRIED_LATE] = p->carried_late;
    k[K_CARRIED_ON_TIME] = t->carried_over - p->carried_late;
    k[K_LATE] = t->late - p->carried_late;
    k[K_ON_TIME] = t->on_time - k[K_CARRIED_ON_TIME];
    k[K_PENDING_LATER] = p->pending_later;
    k[K_PENDING_OPEN] = t->pending_end - p->pending_later;
    k[K_NOISE_BEFORE] = p->noise_before;
    k[K_NOISE_AFTER] = p->noise_after;
    long window = t->online + t->new_direct_or_postal;
    int ok = t->on_time + t->late == t->resolved && t->received_in_window == window &&
             t->received_total == t->carried_over + window &&
             t->resolved + t->pending_end == t->received_total &&
             k[K_ON_TIME] + k[K_LATE] + t->pending_end == window && t->postal <= window &&
             t->returned_postal <= t->postal;
    for (int i = 0; i < N_KLASS; i++)
        ok = ok && k[i] >= 0;
    if (!ok)
        fprintf(stderr, "cchc-loadgen: the targets of group %s do not add up\n",
                lg_group_names[p->group]);
    return ok ? 0 : -1;
}

static int gen_window(struct gen *g, const struct plan *p, const struct lg_figures *t,
                      const long k[N_KLASS])
{
    size_t n = (size_t)(t->online + t->new_direct_or_postal), at = 0;
    uint8_t *cls = malloc(n ? n : 1), *chs = malloc(n ? n : 1);
    int rc = -1;
    if (!cls || !chs) {
        fprintf(stderr, "cchc-loadgen: out of memory\n");
        goto cleanup;
    }
    fill(cls, &at, k[K_ON_TIME], K_ON_TIME);
    fill(cls, &at, k[K_LATE], K_LATE);
    fill(cls, &at, k[K_PENDING_OPEN], K_PENDING_OPEN);
    fill(cls, &at, k[K_PENDING_LATER], K_PENDING_LATER);
    at = 0;
    fill(chs, &at, t->online, LG_ONLINE);
    fill(chs, &at, t->postal, LG_POSTAL);
    fill(chs, &at, t->new_direct_or_postal - t->postal, LG_DIRECT);
    shuffle_bytes(g, cls, n);
    shuffle_bytes(g, chs, n);
    for (size_t i = 0; i < n; i++)
        if (add_dossier(g, p, cls[i], chs[i]))
            goto cleanup;
    rc = 0;
cleanup:
    free(cls);
    free(chs);
    return rc;
}

static int gen_group(struct gen *g, const struct plan *p)
{
    const struct lg_figures *t = &targets.group[p->group];
    long k[N_KLASS];
    size_t first = g->d->n_dossiers;
    if (split_window(p, t, k))
        return -1;
    memset(g->nth, 0, sizeof g->nth);
    /* Carried-over dossiers came in at the counter. */
    for (long i = 0; i < k[K_CARRIED_LATE]; i++)
        if (add_dossier(g, p, K_CARRIED_LATE, LG_DIRECT))
            return -1;
    for (long i = 0; i < k[K_CARRIED_ON_TIME]; i++)
        if (add_dossier(g, p, K_CARRIED_ON_TIME, LG_DIRECT))
            return -1;
    if (gen_window(g, p, t, k))
        return -1;
    for (long i = 0; i < k[K_NOISE_BEFORE]; i++)
        if (add_dossier(g, p, K_NOISE_BEFORE, noise_channel(g, t)))
            return -1;
    for (long i = 0; i < k[K_NOISE_AFTER]; i++)
        if (add_dossier(g, p, K_NOISE_AFTER, noise_channel(g, t)))
            return -1;
    return pick_postal_returns(g, first, t->returned_postal);
}

static int by_unit_then_receipt(const void *a, const void *b)
{
    const struct lg_dossier *x = a, *y = b;
    if (x->unit != y->unit)
        return x->unit < y->unit ? -1 : 1;
    if (x->received != y->received)
        return x->received < y->received ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Dossier numbers per unit in order of receipt, as a register would give them. */
static void number_dossiers(struct lg_data *d)
{
    qsort(d->dossiers, d->n_dossiers, sizeof *d->dossiers, by_unit_then_receipt);
    uint32_t seq = 0;
    for (size_t i = 0; i < d->n_dossiers; i++) {
        if (i == 0 || d->dossiers[i].unit != d->dossiers[i - 1].unit)
            seq = 0;
        d->dossiers[i].seq = ++seq;
    }
}

/* PAKN at the city: five received and five resolved in the window, the rest
 * just outside it, two of them at its very edges. */
static const struct {
    short y, mo, d, h, mi, s;
    uint8_t resolved;
} pakn[] = {
    {2021, 12, 6, 9, 20, 0, 0},   {2021, 12, 13, 15, 0, 0, 1}, {2021, 12, 15, 0, 0, 0, 0},
    {2021, 12, 20, 16, 10, 0, 1}, {2022, 1, 4, 9, 0, 0, 1},    {2022, 2, 21, 10, 5, 0, 0},
    {2022, 3, 2, 15, 20, 0, 1},   {2022, 5, 9, 14, 30, 0, 0},  {2022, 6, 1, 10, 0, 0, 1},
    {2022, 8, 16, 8, 45, 0, 0},   {2022, 9, 12, 11, 30, 0, 1}, {2022, 11, 30, 23, 59, 59, 0},
    {2022, 12, 1, 0, 0, 0, 1},    {2022, 12, 7, 9, 40, 0, 0},
};

static int gen_feedback(struct lg_data *d)
{
    size_t n = sizeof pakn / sizeof pakn[0];
    d->feedback = calloc(n, sizeof *d->feedback);
    if (!d->feedback) {
        fprintf(stderr, "cchc-loadgen: out of memory\n");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        d->feedback[i].at =
            lg_local(pakn[i].y, pakn[i].mo, pakn[i].d, pakn[i].h, pakn[i].mi, pakn[i].s);
        d->feedback[i].unit = UNIT_CITY;
        d->feedback[i].resolved = pakn[i].resolved;
    }
    d->n_feedback = n;
    return 0;
}

static int check_city_targets(void)
{
    const struct lg_figures *c = &targets.group[LG_CITY], *b = &targets.group[LG_VPDKDD],
                            *m = &targets.group[LG_MOT_CUA];
    int ok = 1;
#define LG_SUM(f) ok = ok && c->f == b->f + m->f;
    LG_FIGURES(LG_SUM)
#undef LG_SUM
    if (!ok)
        fprintf(stderr, "cchc-loadgen: the city targets are not branch + one-stop shop\n");
    return ok ? 0 : -1;
}

int lg_rachgia_2022(struct lg_data *d, struct lg_window *w, struct lg_targets *t)
{
    struct gen g = {.rng = {0x326bc14122022u}, .d = d};
    struct lg_pools *pools = NULL;
    memset(d, 0, sizeof *d);
    d->id_prefix = "rg22";
    g.d0 = lg_day_from_civil(2021, 12, 15);
    g.d1 = lg_day_from_civil(2022, 12, 1);
    g.w0 = g.d0 * LG_DAY;
    g.w1 = g.d1 * LG_DAY;
    w->from = g.w0;
    w->to = g.w1;
    *t = targets;
    t->items = lg_rachgia_item_targets;
    t->indicators = lg_rachgia_indicators;
    t->n_indicators = lg_rachgia_n_indicators;
    t->f7[0] = (struct lg_f7){
        .received_of_online_procedures = targets.group[LG_MOT_CUA].online +
                                         MOT_CUA_DIRECT_OF_ONLINE_PROCS + VPDKDD_OF_ONLINE_PROCS,
        .received_online = targets.group[LG_CITY].online,
        .l3_with_online = 2,
        .l4_with_online = 100,
    };
    t->f7[1].received_online = targets.group[LG_WARDS].online;
    if (check_city_targets())
        return -1;
    for (size_t i = 0; i < sizeof plans / sizeof plans[0]; i++)
        if (gen_group(&g, &plans[i]))
            goto fail;
    if (gen_feedback(d))
        goto fail;
    number_dossiers(d);
    /* The other records draw from streams of their own, so the dossiers'
     * times stay what they were before the catalogue came in. */
    struct lg_rng cat_rng = {0x326bc14122022u ^ 0xca7a1060e5u},
                  office_rng = {0x326bc14122022u ^ 0x0ff1ce5u};
    if (lg_rachgia_catalogue(d, &cat_rng, &pools) ||
        lg_rachgia_assign_procedures(d, &cat_rng, pools, w, VPDKDD_OF_ONLINE_PROCS,
                                     MOT_CUA_DIRECT_OF_ONLINE_PROCS) ||
        lg_rachgia_offices(d, &office_rng))
        goto fail;
    lg_pools_free(pools);
    return 0;
fail:
    lg_pools_free(pools);
    lg_data_free(d);
    return -1;
}

void lg_data_free(struct lg_data *d)
{
    free(d->procedures);
    free(d->dossiers);
    free(d->feedback);
    free(d->items);
    memset(d, 0, sizeof *d);
}
