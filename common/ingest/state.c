#include "ingest/state.h"

#include "base/err.h"
#include "base/log.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <lmdb.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The most the file may grow to: address space only, the file grows as it
 * fills. 1 TiB is some 3 billion records. */
#define MAP_SIZE ((size_t)1 << 40)
#define LOCK_WAIT_S 10 /* for the lock of a process that is still exiting */

/* A key longer than LMDB takes (511 bytes) is kept as its first
 * KEY_HEAD bytes and a hash of the whole: only exact lookups use such keys
 * (state_floor callers keep theirs short). */
#define KEY_HEAD 480

static const char *const names[STATE_DBS] = {"meta",      "ids",    "legacy",  "names",
                                             "level_max", "series", "budgets", "service"};

struct state_db {
    MDB_env *env;
    MDB_dbi dbi[STATE_DBS];
    MDB_txn *txn; /* the group's, NULL between groups */
    int lock_fd;
    char *path;
    uint64_t commits, bytes;
    double seconds;
};

static void fail(const struct state_db *s, const char *what, int rc) __attribute__((noreturn));
static void fail(const struct state_db *s, const char *what, int rc)
{
    cchc_die("%s: LMDB %s failed: %s; exiting so that the state is rebuilt from the journal",
             s->path, what, mdb_strerror(rc));
}

static MDB_txn *txn(struct state_db *s)
{
    if (!s->txn) {
        int rc = mdb_txn_begin(s->env, NULL, 0, &s->txn);
        if (rc)
            fail(s, "txn_begin", rc);
    }
    return s->txn;
}

/* key as LMDB takes it, into buf (KEY_HEAD + 16 bytes) when too long. */
static MDB_val key_of(const void *key, size_t klen, uint8_t *buf)
{
    if (klen <= 511)
        return (MDB_val){klen, (void *)key};
    memcpy(buf, key, KEY_HEAD);
    crypto_generichash(buf + KEY_HEAD, 16, key, klen, NULL, 0);
    return (MDB_val){KEY_HEAD + 16, buf};
}

int state_open(const char *path, struct state_db **out, int *fresh, char *why, size_t why_cap)
{
    struct state_db *s = g_new0(struct state_db, 1);
    s->path = g_strdup(path);
    s->lock_fd = -1;
    int rc;
    if (g_mkdir_with_parents(path, 0700)) {
        snprintf(why, why_cap, "%s: cannot create: %s", path, strerror(errno));
        goto fail_io;
    }
    /* MDB_NOLOCK trusts the caller to be alone: another process is kept out. */
    s->lock_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    /* A process killed a moment ago may still be exiting (a big one takes
     * its time to give its memory back): up to LOCK_WAIT_S for its lock. */
    int locked = s->lock_fd >= 0 && flock(s->lock_fd, LOCK_EX | LOCK_NB) == 0;
    for (int i = 0; s->lock_fd >= 0 && !locked && errno == EWOULDBLOCK && i < LOCK_WAIT_S * 10;
         i++) {
        usleep(100 * 1000);
        locked = flock(s->lock_fd, LOCK_EX | LOCK_NB) == 0;
    }
    if (!locked) {
        snprintf(why, why_cap, "%s: %s", path,
                 errno == EWOULDBLOCK ? "another process has it open (is the service running?)"
                                      : strerror(errno));
        goto fail_io;
    }
    /* MDB_NORDAHEAD: lookups are random; reading ahead would only map
     * pages that no one asked for into the process. */
    if ((rc = mdb_env_create(&s->env)) || (rc = mdb_env_set_maxdbs(s->env, STATE_DBS)) ||
        (rc = mdb_env_set_mapsize(s->env, MAP_SIZE)) ||
        (rc = mdb_env_open(s->env, path, MDB_NOLOCK | MDB_NOTLS | MDB_NORDAHEAD, 0600))) {
        snprintf(why, why_cap, "%s: cannot open the state (LMDB): %s", path, mdb_strerror(rc));
        goto fail_io;
    }
    MDB_txn *t = txn(s);
    for (int i = 0; i < STATE_DBS; i++)
        if ((rc = mdb_dbi_open(t, names[i], MDB_CREATE, &s->dbi[i]))) {
            snprintf(why, why_cap, "%s: database %s: %s", path, names[i], mdb_strerror(rc));
            goto fail_io;
        }
    /* The handles outlive this transaction only once it commits. */
    if ((rc = mdb_txn_commit(s->txn))) {
        s->txn = NULL;
        snprintf(why, why_cap, "%s: %s", path, mdb_strerror(rc));
        goto fail_io;
    }
    s->txn = NULL;
    *fresh = state_get_u64(s, STATE_META, "next", UINT64_MAX) == UINT64_MAX;
    *out = s;
    return CCHC_OK;
fail_io:
    state_close(s);
    return CCHC_EIO;
}

void state_close(struct state_db *s)
{
    if (!s)
        return;
    if (s->txn)
        mdb_txn_abort(s->txn);
    if (s->env)
        mdb_env_close(s->env);
    if (s->lock_fd >= 0)
        close(s->lock_fd);
    g_free(s->path);
    g_free(s);
}

int state_get(struct state_db *s, enum state_dbi db, const void *key, size_t klen, const void **val,
              size_t *vlen)
{
    uint8_t buf[KEY_HEAD + 16];
    MDB_val k = key_of(key, klen, buf), v;
    int rc = mdb_get(txn(s), s->dbi[db], &k, &v);
    if (rc == MDB_NOTFOUND)
        return 0;
    if (rc)
        fail(s, "get", rc);
    *val = v.mv_data;
    *vlen = v.mv_size;
    return 1;
}

void state_put(struct state_db *s, enum state_dbi db, const void *key, size_t klen, const void *val,
               size_t vlen)
{
    uint8_t buf[KEY_HEAD + 16];
    MDB_val k = key_of(key, klen, buf), v = {vlen, (void *)val};
    int rc = mdb_put(txn(s), s->dbi[db], &k, &v, 0);
    if (rc)
        fail(s, "put", rc);
}

/* A cursor at key's place: MDB_SET_RANGE, the least key at or above it. */
static int seek(struct state_db *s, enum state_dbi db, const void *key, size_t klen, int floor,
                const void **k, size_t *kl, const void **v, size_t *vl)
{
    MDB_cursor *c;
    int rc = mdb_cursor_open(txn(s), s->dbi[db], &c);
    if (rc)
        fail(s, "cursor_open", rc);
    MDB_val mk = {klen, (void *)key}, mv;
    rc = mdb_cursor_get(c, &mk, &mv, MDB_SET_RANGE);
    if (floor) {
        /* Past every key: the last one; above key: the one before. */
        if (rc == MDB_NOTFOUND)
            rc = mdb_cursor_get(c, &mk, &mv, MDB_LAST);
        else if (rc == 0 && (mk.mv_size != klen || memcmp(mk.mv_data, key, klen)))
            rc = mdb_cursor_get(c, &mk, &mv, MDB_PREV);
    } else if (rc == 0 && mk.mv_size == klen && memcmp(mk.mv_data, key, klen) == 0) {
        rc = mdb_cursor_get(c, &mk, &mv, MDB_NEXT);
    }
    mdb_cursor_close(c);
    if (rc == MDB_NOTFOUND)
        return 0;
    if (rc)
        fail(s, "cursor_get", rc);
    *k = mk.mv_data, *kl = mk.mv_size, *v = mv.mv_data, *vl = mv.mv_size;
    return 1;
}

int state_floor(struct state_db *s, enum state_dbi db, const void *key, size_t klen, const void **k,
                size_t *kl, const void **v, size_t *vl)
{
    return seek(s, db, key, klen, 1, k, kl, v, vl);
}

int state_above(struct state_db *s, enum state_dbi db, const void *key, size_t klen, const void **k,
                size_t *kl, const void **v, size_t *vl)
{
    return seek(s, db, key, klen, 0, k, kl, v, vl);
}

uint64_t state_count(struct state_db *s, enum state_dbi db)
{
    MDB_stat st;
    int rc = mdb_stat(txn(s), s->dbi[db], &st);
    if (rc)
        fail(s, "stat", rc);
    return st.ms_entries;
}

void state_each(struct state_db *s, enum state_dbi db,
                void (*fn)(void *arg, const void *k, size_t kl, const void *v, size_t vl),
                void *arg)
{
    MDB_cursor *c;
    int rc = mdb_cursor_open(txn(s), s->dbi[db], &c);
    if (rc)
        fail(s, "cursor_open", rc);
    MDB_val k, v;
    for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT))
        fn(arg, k.mv_data, k.mv_size, v.mv_data, v.mv_size);
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND)
        fail(s, "cursor_get", rc);
}

uint64_t state_get_u64(struct state_db *s, enum state_dbi db, const char *key, uint64_t def)
{
    const void *v;
    size_t n;
    uint64_t x;
    if (!state_get(s, db, key, strlen(key), &v, &n) || n != sizeof x)
        return def;
    memcpy(&x, v, sizeof x);
    return x;
}

void state_put_u64(struct state_db *s, enum state_dbi db, const char *key, uint64_t v)
{
    state_put(s, db, key, strlen(key), &v, sizeof v);
}

void state_wipe(struct state_db *s)
{
    for (int i = 0; i < STATE_DBS; i++) {
        int rc = mdb_drop(txn(s), s->dbi[i], 0);
        if (rc)
            fail(s, "drop", rc);
    }
}

int state_commit(struct state_db *s, uint64_t epoch, uint64_t next, char *why, size_t why_cap)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    state_put_u64(s, STATE_META, "epoch", epoch);
    state_put_u64(s, STATE_META, "next", next);
    int rc = mdb_txn_commit(s->txn);
    s->txn = NULL;
    if (rc) {
        snprintf(why, why_cap, "%s: cannot commit the state: %s", s->path, mdb_strerror(rc));
        return CCHC_EIO;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    s->commits++;
    s->seconds += (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    MDB_envinfo info;
    MDB_stat st;
    if (mdb_env_info(s->env, &info) == 0 && mdb_env_stat(s->env, &st) == 0)
        s->bytes = (uint64_t)(info.me_last_pgno + 1) * st.ms_psize;
    return CCHC_OK;
}

void state_abort(struct state_db *s)
{
    if (s->txn)
        mdb_txn_abort(s->txn);
    s->txn = NULL;
}

void state_stats(const struct state_db *s, uint64_t *commits, double *seconds, uint64_t *bytes)
{
    *commits = s->commits;
    *seconds = s->seconds;
    *bytes = s->bytes;
}
