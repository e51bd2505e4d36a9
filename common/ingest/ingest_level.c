#include "ingest/ingest_level.h"

#include "base/err.h"
#include "ingest/out.h"

#include <stdio.h>
#include <string.h>

/* A series: one unit, one event type, one key within them (a category, a
 * procedure, or none). */
static void series_key(const struct proto_event *ev, char *key, size_t cap)
{
    snprintf(key, cap, "%.*s|%.*s|%.*s", (int)ev->unit.len, ev->unit.p, (int)ev->type.len,
             ev->type.p, (int)ev->key.len, ev->key.p ? ev->key.p : "");
}

int ingest_emit_level(struct ingest_out *out, struct snapshots *s, struct proto_event *ev,
                      const char *const *names, const int64_t *values, int n)
{
    if (n < 1 || n > SNAP_VALUES || n > PROTO_METRICS_MAX)
        return CCHC_EINVAL;
    char key[1024];
    series_key(ev, key, sizeof key);
    struct snap_step steps[2];
    int nsteps;
    /* The names and the sums' bound first: a level past either changes nothing. */
    int rc = ingest_reserve_names(out, names, n);
    for (int i = 0; rc == CCHC_OK && i < n; i++)
        rc = ingest_out_level_value(out, key, names[i], values[i]);
    if (rc || (rc = snapshots_put(s, key, ev->at_ms, values, n, steps, &nsteps)))
        return rc;
    out->in_level = 1;
    ev->nv = ev->nm = 0;
    /* Every metric of the series, changed or not: a level reported as 0 must
     * exist in the figures as 0, not be absent (a report prints absent as empty). */
    for (int i = 0; i < n; i++) {
        ev->v[ev->nv++] = (struct proto_metric){proto_cstr(names[i]), values[i]};
        ev->m[ev->nm++] = (struct proto_metric){proto_cstr(names[i]), steps[0].dv[i]};
    }
    rc = ingest_emit(out, ev);
    if (rc || nsteps < 2) {
        out->in_level = 0;
        return rc;
    }
    struct proto_event adj = {.type = proto_cstr("level.adjust"),
                              .id = ev->id,
                              .unit = ev->unit,
                              .at_ms = steps[1].at_ms,
                              .key = ev->key,
                              .cat = ev->cat,
                              .procedure = ev->procedure};
    for (int i = 0; i < n; i++)
        if (steps[1].dv[i])
            adj.m[adj.nm++] = (struct proto_metric){proto_cstr(names[i]), steps[1].dv[i]};
    rc = adj.nm ? ingest_emit(out, &adj) : CCHC_OK;
    out->in_level = 0;
    return rc;
}

void ingest_level_series(const struct proto_event *ev, char *key, size_t cap)
{
    series_key(ev, key, cap);
}

int ingest_replay_level(struct snapshots *s, const struct proto_event *ev)
{
    if (ev->nv == 0)
        return CCHC_OK;
    char key[1024];
    series_key(ev, key, sizeof key);
    int64_t values[SNAP_VALUES];
    int n = (int)(ev->nv < SNAP_VALUES ? ev->nv : SNAP_VALUES);
    for (int i = 0; i < n; i++)
        values[i] = ev->v[i].value;
    struct snap_step steps[2];
    int nsteps;
    return snapshots_put(s, key, ev->at_ms, values, n, steps, &nsteps);
}
