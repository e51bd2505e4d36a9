#include "ingest/snapshots.h"

#include "base/err.h"
#include "ingest/state.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

/* The histories are in LMDB (STATE_SERIES), one key a snapshot: the
 * series' length (2 bytes, big-endian), the series, and the time (8 bytes,
 * big-endian, sign flipped), so that a series' snapshots lie together in
 * time order and the one in force at a moment is a cursor step away. The
 * value: the snapshot's n values. */
struct snapshots {
    struct state_db *db;
};

#define KEY_MAX (2 + SNAP_KEY_MAX + 8)

struct snapshots *snapshots_new(struct state_db *db)
{
    struct snapshots *s = g_new0(struct snapshots, 1);
    s->db = db;
    return s;
}

void snapshots_free(struct snapshots *s)
{
    g_free(s);
}

static size_t snap_key(uint8_t *buf, const char *key, size_t kn, int64_t at_ms)
{
    buf[0] = (uint8_t)(kn >> 8), buf[1] = (uint8_t)kn;
    memcpy(buf + 2, key, kn);
    uint64_t t = (uint64_t)at_ms ^ ((uint64_t)1 << 63);
    for (int i = 0; i < 8; i++)
        buf[2 + kn + i] = (uint8_t)(t >> (56 - 8 * i));
    return 2 + kn + 8;
}

static int64_t snap_at(const uint8_t *k, size_t kl)
{
    uint64_t t = 0;
    for (int i = 0; i < 8; i++)
        t = t << 8 | k[kl - 8 + i];
    return (int64_t)(t ^ ((uint64_t)1 << 63));
}

/* Whether k (kl bytes, from a cursor) is a snapshot of the series in buf. */
static int same_series(const uint8_t *buf, size_t kn, const void *k, size_t kl)
{
    return kl == 2 + kn + 8 && memcmp(k, buf, 2 + kn) == 0;
}

/* The values of a stored snapshot, n of them (missing ones 0). */
static void values(const void *v, size_t vl, int64_t *out, int n)
{
    memset(out, 0, (size_t)n * sizeof *out);
    size_t have = vl / sizeof *out;
    memcpy(out, v, (have < (size_t)n ? have : (size_t)n) * sizeof *out);
}

int snapshots_put(struct snapshots *s, const char *key, int64_t at_ms, const int64_t *v, int n,
                  struct snap_step steps[2], int *nsteps)
{
    size_t kn = strlen(key);
    if (n < 1 || n > SNAP_VALUES || kn > SNAP_KEY_MAX)
        return CCHC_EINVAL;
    uint8_t buf[KEY_MAX];
    size_t bl = snap_key(buf, key, kn, at_ms);
    const void *k, *val;
    size_t kl, vl;
    int64_t old[SNAP_VALUES] = {0}; /* the level in force at at_ms before this snapshot */
    if (state_floor(s->db, STATE_SERIES, buf, bl, &k, &kl, &val, &vl) &&
        same_series(buf, kn, k, kl))
        values(val, vl, old, n);
    memset(steps, 0, 2 * sizeof *steps);
    steps[0].at_ms = at_ms;
    for (int i = 0; i < n; i++)
        steps[0].dv[i] = v[i] - old[i];
    *nsteps = 1;
    if (state_above(s->db, STATE_SERIES, buf, bl, &k, &kl, &val, &vl) &&
        same_series(buf, kn, k, kl)) {
        /* The newer snapshot's step was (its value - old); now it is (its value - v). */
        steps[1].at_ms = snap_at(k, kl);
        for (int i = 0; i < n; i++)
            steps[1].dv[i] = old[i] - v[i];
        *nsteps = 2;
    }
    state_put(s->db, STATE_SERIES, buf, bl, v, (size_t)n * sizeof *v);
    return CCHC_OK;
}

void snapshots_at(const struct snapshots *s, const char *key, int64_t at_ms, int64_t *v, int n)
{
    memset(v, 0, (size_t)n * sizeof *v);
    size_t kn = strlen(key);
    if (kn > SNAP_KEY_MAX)
        return;
    uint8_t buf[KEY_MAX];
    size_t bl = snap_key(buf, key, kn, at_ms);
    const void *k, *val;
    size_t kl, vl;
    if (state_floor(s->db, STATE_SERIES, buf, bl, &k, &kl, &val, &vl) &&
        same_series(buf, kn, k, kl))
        values(val, vl, v, n);
}
