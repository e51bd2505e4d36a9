/* A publisher speaks only for its unit subtrees (scope.h). */
#include "scope.h"

#include "base/err.h"
#include "base/log.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

struct pub_scope {
    const struct bus_peer *peer;
    int roots[BUS_KEY_UNITS_MAX]; /* unit indexes */
};

struct scope {
    const struct units *u;
    struct pub_scope p[BUS_KEYS_MAX];
    int n;
    uint64_t refused;
    time_t warned_at;
};

int scope_open(const struct bus_keys *k, const struct units *u, struct scope **out, char *why,
               size_t why_cap)
{
    struct scope *s = g_new0(struct scope, 1);
    s->u = u;
    for (int i = 0; i < k->n; i++) {
        const struct bus_peer *peer = &k->peer[i];
        if (peer->role != BUS_PUBLISHER)
            continue;
        struct pub_scope *ps = &s->p[s->n++];
        ps->peer = peer;
        for (int r = 0; r < peer->nunits; r++) {
            int at = units_find(u, peer->units[r], strlen(peer->units[r]));
            if (at < 0) {
                snprintf(why, why_cap,
                         "bus keys: publisher '%s' units=%s: '%s' is not in the unit registry",
                         peer->name, peer->units[r], peer->units[r]);
                g_free(s);
                return CCHC_EINVAL;
            }
            ps->roots[r] = at;
        }
    }
    *out = s;
    return CCHC_OK;
}

void scope_free(struct scope *s)
{
    g_free(s);
}

int scope_allows(struct scope *s, const char *publisher, int unit)
{
    const struct pub_scope *ps = NULL;
    for (int i = 0; i < s->n && !ps; i++)
        if (strcmp(s->p[i].peer->name, publisher) == 0)
            ps = &s->p[i];
    if (ps && ps->peer->all_units)
        return 1;
    for (int at = unit; ps && at >= 0; at = units_parent(s->u, at))
        for (int r = 0; r < ps->peer->nunits; r++)
            if (ps->roots[r] == at)
                return 1;
    s->refused++;
    time_t now = time(NULL);
    if (s->refused <= 10 || now != s->warned_at) { /* the first ten, then one a second */
        s->warned_at = now;
        cchc_warn("publisher '%s' is not configured for unit '%s' (bus keys units=): event not "
                  "applied (%llu such events so far)",
                  publisher, units_id(s->u, unit), (unsigned long long)s->refused);
    }
    return 0;
}

uint64_t scope_refused(const struct scope *s)
{
    return s->refused;
}
