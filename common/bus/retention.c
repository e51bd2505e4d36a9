#include "bus/retention.h"

#include "base/err.h"
#include "base/log.h"
#include "base/period.h"
#include "base/u64map.h"
#include "proto/event.h"
#include "proto/frame.h"

#include <glib.h>
#include <inttypes.h>
#include <nng/nng.h>
#include <nng/supplemental/util/platform.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#define WARN_EVERY_MS 60000

struct retention {
    char ckpt_path[4200];
    struct journal *ckpt;
    uint64_t folded; /* the journal position the checkpoint's last mark reaches */
    uint64_t max_bytes;
    int failed; /* a run failed: no other until a restart */
    nng_time warned;
    char warned_who[PROTO_PUBLISHER_MAX + 32]; /* whom it waited for then */
};

void retention_path(const char *journal_path, uint64_t epoch, char *out, size_t cap)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", journal_path);
    char *slash = strrchr(dir, '/');
    snprintf(out, cap, "%s/checkpoint-%016" PRIx64 ".journal", slash ? (*slash = 0, dir) : ".",
             epoch);
}

/* Walking a checkpoint: its runs must follow each other without a gap. */
struct walk {
    const char *path;
    uint64_t folded, marked; /* where the last mark reaches; events up to it */
    uint64_t stop;           /* deliver sums before this event only */
    journal_scan_fn fn;      /* NULL: only walk */
    void *arg;
    int whole;     /* it met an event kept whole: an older cchc's checkpoint */
    char why[512]; /* what it refused: the journal's own message would say only "rejected" */
};

static int walk_event(void *arg, uint64_t seq, const uint8_t *buf, size_t len)
{
    struct walk *w = arg;
    struct proto_event ev;
    size_t off = 0;
    char why[128];
    uint64_t from, to;
    if (proto_event_decode(buf, len, &off, &ev, why, sizeof why)) {
        snprintf(w->why, sizeof w->why, "%s: event %" PRIu64 ": %s", w->path, seq, why);
        return CCHC_ECORRUPT;
    }
    if (proto_event_is_mark(&ev, &from, &to)) {
        if (from != w->folded || to < from) {
            snprintf(w->why, sizeof w->why,
                     "%s: event %" PRIu64 ": a run of sums from journal position %" PRIu64
                     " after one up to %" PRIu64,
                     w->path, seq, from, w->folded);
            return CCHC_ECORRUPT;
        }
        w->folded = to;
        w->marked = seq + 1;
        return w->fn && seq < w->stop ? w->fn(w->arg, seq, buf, len) : CCHC_OK;
    }
    if (!proto_str_is(ev.type, PROTO_TYPE_SUM)) {
        w->whole = seq == 0;
        snprintf(w->why, sizeof w->why,
                 "%s: event %" PRIu64 " is a %.*s, not a sum: a checkpoint of an older cchc, "
                 "which kept events whole; nothing reads it now",
                 w->path, seq, (int)ev.type.len, ev.type.p);
        return CCHC_ECORRUPT;
    }
    return w->fn && seq < w->stop ? w->fn(w->arg, seq, buf, len) : CCHC_OK;
}

int retention_scan(const char *checkpoint_path, journal_scan_fn fn, void *arg, uint64_t *folded,
                   char *why, size_t why_cap)
{
    /* Twice: a run a crash left without its mark is not delivered. */
    struct walk w = {.path = checkpoint_path};
    uint64_t epoch, base, count;
    int rc = journal_scan(checkpoint_path, walk_event, &w, &epoch, &base, &count, why, why_cap);
    if (rc == CCHC_OK && w.marked) {
        uint64_t marked = w.marked;
        w = (struct walk){.path = checkpoint_path, .stop = marked, .fn = fn, .arg = arg};
        rc = journal_scan(checkpoint_path, walk_event, &w, &epoch, &base, &count, why, why_cap);
    }
    if (rc && w.why[0])
        snprintf(why, why_cap, "%s", w.why);
    *folded = w.folded;
    return rc;
}

static int fold_event(void *arg, uint64_t seq, const uint8_t *buf, size_t len);
struct fold;
static int append_run(struct journal *ckpt, struct fold *f, uint64_t from, uint64_t to);
static struct fold *fold_new(void);
static void fold_free(struct fold *f);

/* An older cchc's checkpoint kept the dropped events whole, one for one
 * with the journal's [0, n): they become one run of sums, in a new file
 * that replaces the old by rename. */
static int convert_whole(const char *path, char *why, size_t why_cap)
{
    struct fold *f = fold_new();
    uint64_t epoch, base, count;
    int rc = journal_scan(path, fold_event, f, &epoch, &base, &count, why, why_cap);
    char tmp[4300];
    snprintf(tmp, sizeof tmp, "%s.sums", path);
    unlink(tmp);
    struct journal *out = NULL;
    if (rc == CCHC_OK && base != 0) {
        snprintf(why, why_cap, "%s: an older checkpoint that starts at event %" PRIu64, path, base);
        rc = CCHC_ECORRUPT;
    }
    if (rc == CCHC_OK)
        rc = journal_open(tmp, NULL, NULL, &out, why, why_cap);
    if (rc == CCHC_OK && ((rc = append_run(out, f, 0, count)) || (rc = journal_sync(out))))
        snprintf(why, why_cap, "%s: cannot write its sums", tmp);
    journal_close(out);
    if (rc == CCHC_OK && rename(tmp, path)) {
        snprintf(why, why_cap, "%s: %s", path, strerror(errno));
        rc = CCHC_EIO;
    }
    if (rc)
        unlink(tmp);
    else
        cchc_warn("%s: an older cchc's checkpoint (%" PRIu64 " events kept whole) folded into "
                  "sums",
                  path, count);
    fold_free(f);
    return rc;
}

int retention_open(struct journal *j, const char *journal_path, uint64_t max_bytes,
                   struct retention **out, char *why, size_t why_cap)
{
    struct retention *r = g_new0(struct retention, 1);
    r->max_bytes = max_bytes;
    retention_path(journal_path, journal_epoch(j), r->ckpt_path, sizeof r->ckpt_path);
    struct walk w = {.path = r->ckpt_path};
    int rc = journal_open(r->ckpt_path, walk_event, &w, &r->ckpt, why, why_cap);
    if (rc == CCHC_ECORRUPT && w.whole) {
        rc = convert_whole(r->ckpt_path, why, why_cap);
        w = (struct walk){.path = r->ckpt_path};
        if (rc == CCHC_OK)
            rc = journal_open(r->ckpt_path, walk_event, &w, &r->ckpt, why, why_cap);
    }
    if (rc && w.why[0])
        snprintf(why, why_cap, "%s", w.why);
    if (rc == CCHC_OK && journal_next_seq(r->ckpt) > w.marked) {
        cchc_warn("%s: events %" PRIu64 "..%" PRIu64 " are a run of sums a crash left without "
                  "its mark: cut (the journal still holds what they summed)",
                  r->ckpt_path, w.marked, journal_next_seq(r->ckpt) - 1);
        if ((rc = journal_truncate(r->ckpt, w.marked)))
            snprintf(why, why_cap, "%s: cannot cut a run without its mark", r->ckpt_path);
    }
    r->folded = w.folded;
    if (rc == CCHC_OK && journal_base(j) > r->folded) {
        snprintf(why, why_cap,
                 "%s starts at event %" PRIu64 " but its checkpoint covers only %" PRIu64
                 " events: the history would miss events; restore the checkpoint (%s)",
                 journal_path, journal_base(j), r->folded, r->ckpt_path);
        rc = CCHC_ECORRUPT;
    }
    if (rc) {
        retention_close(r);
        return rc;
    }
    *out = r;
    return CCHC_OK;
}

uint64_t retention_folded(const struct retention *r)
{
    return r->folded;
}

struct journal *retention_checkpoint(struct retention *r)
{
    return r->ckpt;
}

/* The dropped events, summed per (unit, day, metric), keyed by number: a
 * unit's and a metric's index in the order first met (names, below), and
 * the day. Strings only once per distinct unit and name: a compaction folds
 * millions of events while the service waits for the journal's lock. */
#define FOLD_DAY_BIAS (INT64_C(1) << 22) /* days of years 0..9999 fit 24 bits after it */
#define FOLD_KEY(unit, day, metric)                                                                \
    ((uint64_t)(unit) << 40 | (uint64_t)((day) + FOLD_DAY_BIAS) << 16 | (uint64_t)(metric))

struct fold {
    struct u64map sums;
    GHashTable *unit_ids, *metric_ids; /* name (owned) -> index + 1 */
    GPtrArray *units, *metrics;        /* index -> name (borrowed from the tables) */
    uint64_t events;
};

static struct fold *fold_new(void)
{
    struct fold *f = g_new0(struct fold, 1);
    u64map_init(&f->sums);
    f->unit_ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    f->metric_ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    f->units = g_ptr_array_new();
    f->metrics = g_ptr_array_new();
    return f;
}

static void fold_free(struct fold *f)
{
    u64map_free(&f->sums);
    g_hash_table_destroy(f->unit_ids);
    g_hash_table_destroy(f->metric_ids);
    g_ptr_array_free(f->units, TRUE);
    g_ptr_array_free(f->metrics, TRUE);
    g_free(f);
}

/* s's index in ids/names, added when new; -1 past max. */
static int64_t intern(GHashTable *ids, GPtrArray *names, struct proto_str s, uint64_t max)
{
    char key[PROTO_STR_MAX + 1];
    memcpy(key, s.p, s.len);
    key[s.len] = 0;
    gpointer v = g_hash_table_lookup(ids, key);
    if (v)
        return (int64_t)GPOINTER_TO_SIZE(v) - 1;
    if (names->len >= max)
        return -1;
    char *name = g_strdup(key);
    g_hash_table_insert(ids, name, GSIZE_TO_POINTER((gsize)names->len + 1));
    g_ptr_array_add(names, name);
    return (int64_t)names->len - 1;
}

static int fold_event(void *arg, uint64_t seq, const uint8_t *buf, size_t len)
{
    struct fold *f = arg;
    struct proto_event ev;
    size_t off = 0;
    char why[128];
    if (proto_event_decode(buf, len, &off, &ev, why, sizeof why)) {
        cchc_error("journal event %" PRIu64 ": %s", seq, why);
        return CCHC_ECORRUPT;
    }
    f->events++;
    if (!ev.nm)
        return CCHC_OK;
    int64_t day = cchc_day_of_ms(ev.at_ms);
    int64_t unit = intern(f->unit_ids, f->units, ev.unit, UINT64_C(1) << 24);
    if (unit < 0 || day < -FOLD_DAY_BIAS || day >= FOLD_DAY_BIAS) {
        cchc_error("journal event %" PRIu64 ": a unit or a day retention cannot key", seq);
        return CCHC_ETOOBIG; /* 16 M units, a year past 9999: not what a service takes */
    }
    for (uint32_t i = 0; i < ev.nm; i++) {
        int64_t metric = intern(f->metric_ids, f->metrics, ev.m[i].name, UINT64_C(1) << 16);
        if (metric < 0) {
            cchc_error("journal event %" PRIu64 ": more metric names than retention keys", seq);
            return CCHC_ETOOBIG; /* the services bound them far below (base/metric.h) */
        }
        int64_t *sum = u64map_slot(&f->sums, FOLD_KEY(unit, day, metric), NULL);
        if (__builtin_add_overflow(*sum, ev.m[i].value, sum)) {
            cchc_error("journal event %" PRIu64 ": a day's sum out of int64", seq);
            return CCHC_ETOOBIG; /* the services bound sums far below (base/metric.h) */
        }
    }
    return CCHC_OK;
}

static int by_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int append_event(struct journal *ckpt, const struct proto_event *ev, uint8_t **buf,
                        size_t *cap)
{
    size_t len = 0;
    int rc = proto_event_encode(ev, buf, &len, cap);
    return rc ? rc : journal_append(ckpt, *buf, len);
}

/* The sums of f as runs of PROTO_TYPE_SUM events, then the mark of [from, to). */
static int append_run(struct journal *ckpt, struct fold *f, uint64_t from, uint64_t to)
{
    size_t n = 0;
    uint64_t *keys = g_new(uint64_t, f->sums.n + 1);
    for (size_t i = 0; i < f->sums.cap; i++)
        if (f->sums.keys[i] != U64MAP_EMPTY)
            keys[n++] = f->sums.keys[i];
    qsort(keys, n, sizeof *keys, by_u64); /* a unit's day's sums next to each other */
    uint8_t *buf = NULL;
    size_t cap = 0;
    char id[64];
    uint64_t k = 0;
    int rc = CCHC_OK;
    for (size_t i = 0; i < n && rc == CCHC_OK;) {
        uint64_t group = keys[i] >> 16;
        int64_t day = (int64_t)(group & 0xFFFFFF) - FOLD_DAY_BIAS;
        struct proto_event ev = {.type = proto_cstr(PROTO_TYPE_SUM),
                                 .unit = proto_cstr(g_ptr_array_index(f->units, group >> 24)),
                                 .at_ms = day * 86400000 - (int64_t)CCHC_ZONE_OFFSET_S * 1000,
                                 .n2 = (int64_t)from,
                                 .has = PROTO_HAS_N2};
        for (; i < n && keys[i] >> 16 == group && ev.nm < PROTO_METRICS_MAX; i++)
            ev.m[ev.nm++] =
                (struct proto_metric){proto_cstr(g_ptr_array_index(f->metrics, keys[i] & 0xFFFF)),
                                      *u64map_find(&f->sums, keys[i])};
        snprintf(id, sizeof id, "sum-%" PRIu64 "-%" PRIu64, from, k++);
        ev.id = proto_cstr(id);
        rc = append_event(ckpt, &ev, &buf, &cap);
    }
    if (rc == CCHC_OK) {
        snprintf(id, sizeof id, "checkpoint-%" PRIu64, to);
        struct proto_event mark = {.type = proto_cstr(PROTO_TYPE_CHECKPOINT),
                                   .id = proto_cstr(id),
                                   .unit = proto_cstr("*"),
                                   .at_ms = (int64_t)(g_get_real_time() / 1000),
                                   .n = (int64_t)to,
                                   .n2 = (int64_t)from,
                                   .has = PROTO_HAS_N | PROTO_HAS_N2};
        rc = append_event(ckpt, &mark, &buf, &cap);
    }
    g_free(buf);
    g_free(keys);
    return rc;
}

int retention_run(struct retention *r, struct journal *j, struct bus_pub *pub)
{
    if (!r->max_bytes || journal_bytes(j) < r->max_bytes)
        return CCHC_OK;
    char who[PROTO_PUBLISHER_MAX + 32];
    uint64_t floor = bus_pub_retention_floor(pub, who, sizeof who);
    return retention_run_to(r, j, floor, who);
}

int retention_run_to(struct retention *r, struct journal *j, uint64_t floor, const char *who)
{
    if (!r->max_bytes || journal_bytes(j) < r->max_bytes)
        return CCHC_OK;
    char why[512];
    uint64_t base = journal_base(j), next = journal_next_seq(j), durable = journal_durable(j);
    if (floor > durable)
        floor = durable;
    if (floor <= base || (floor - base) * 2 < next - base) {
        /* Once a minute, and at once when it waits for someone else. */
        if (nng_clock() - r->warned >= WARN_EVERY_MS || !r->warned ||
            strcmp(who, r->warned_who) != 0) {
            r->warned = nng_clock();
            snprintf(r->warned_who, sizeof r->warned_who, "%s", who);
            cchc_warn("journal over %" PRIu64 " MiB (events %" PRIu64 "..%" PRIu64
                      "): retention waits for %s, at %" PRIu64,
                      r->max_bytes >> 20, base, next, who, floor);
        }
        return CCHC_OK;
    }
    /* The checkpoint may cover some of them already: a crash came between
     * its sync and the journal's rename last time. */
    uint64_t from = r->folded;
    if (from < base) {
        cchc_error("%s covers %" PRIu64 " events, the journal starts at %" PRIu64, r->ckpt_path,
                   from, base);
        return CCHC_ECORRUPT;
    }
    int rc = CCHC_OK;
    if (r->failed) /* the caller exits on a failure: this is for safety */
        return CCHC_EIO;
    if (from < floor) {
        struct fold *f = fold_new();
        nng_time t0 = nng_clock();
        rc = journal_each(j, from, floor, fold_event, f);
        if (rc == CCHC_OK)
            rc = append_run(r->ckpt, f, from, floor);
        uint64_t sums = f->sums.n;
        fold_free(f);
        /* One sync for the run and its mark: a replay reads only what is synced. */
        if (rc == CCHC_OK && (rc = journal_sync(r->ckpt)) == CCHC_OK) {
            r->folded = floor;
            cchc_info("retention: events %" PRIu64 "..%" PRIu64 " folded into %" PRIu64
                      " sums of (unit, day, metric) in %" PRIu64 " ms",
                      from, floor - 1, sums, (uint64_t)(nng_clock() - t0));
        }
    }
    /* Only once the checkpoint is durable may the journal let them go. */
    if (rc == CCHC_OK)
        rc = journal_compact(j, floor, why, sizeof why);
    if (rc) {
        /* A run may be half appended: no second one may follow it in this
         * process; at start, a run without its mark is cut. */
        r->failed = 1;
        cchc_error("retention: %s", rc == CCHC_EIO ? why : cchc_strerror(rc));
        return rc;
    }
    cchc_info("retention: dropped events %" PRIu64 "..%" PRIu64 " (all durable subscribers have "
              "them; slowest: %s); journal now %" PRIu64 " events, %" PRIu64 " KiB",
              base, floor - 1, who, next - floor, journal_bytes(j) >> 10);
    return CCHC_OK;
}

void retention_close(struct retention *r)
{
    if (!r)
        return;
    journal_close(r->ckpt);
    g_free(r);
}
