/* For tests: a state (state.h) in a folder of its own under TMPDIR, and
 * the folder removed after. */
#ifndef CCHC_INGEST_STATE_TMP_H
#define CCHC_INGEST_STATE_TMP_H

#include "ingest/state.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

/* Opens the state in dir (made when NULL: *dir then owned, g_free), or aborts. */
static inline struct state_db *state_tmp_open(char **dir)
{
    char why[512];
    int fresh;
    struct state_db *db;
    if (!*dir && !(*dir = g_dir_make_tmp("cchc-state-XXXXXX", NULL)))
        abort();
    if (state_open(*dir, &db, &fresh, why, sizeof why)) {
        fprintf(stderr, "%s\n", why);
        abort();
    }
    return db;
}

/* Closes db and removes dir with what LMDB made in it; frees dir. */
static inline void state_tmp_remove(struct state_db *db, char *dir)
{
    state_close(db);
    if (!dir)
        return;
    char *f = g_build_filename(dir, "data.mdb", NULL);
    g_unlink(f);
    g_free(f);
    f = g_build_filename(dir, "lock.mdb", NULL);
    g_unlink(f);
    g_free(f);
    g_rmdir(dir);
    g_free(dir);
}

#endif
