/* Connection caps of a listening bus socket, kept in nng's pipe callbacks:
 * ADD_PRE counts a pipe in or closes it, REM_POST (which nng runs for every
 * pipe ADD_PRE saw) counts it out. */
#include "bus/peers.h"

#include "base/log.h"

#include <glib.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

struct bus_peers {
    pthread_mutex_t mu; /* guards all below */
    char *what;
    unsigned live;
    GHashTable *per_addr; /* address (a string, owned) -> pipes from it */
    GHashTable *pipes;    /* pipe id -> its address, or "" (ipc), as counted */
    uint64_t refused;
    int64_t warned_at;
};

/* The address the caps count a pipe under: its IP, or "" when it has none
 * (ipc) and counts only in all. */
static void addr_of(nng_pipe pipe, char *out, size_t cap)
{
    nng_sockaddr sa;
    out[0] = 0;
    if (nng_pipe_get_addr(pipe, NNG_OPT_REMADDR, &sa))
        return;
    if (sa.s_family == NNG_AF_INET) {
        const uint8_t *b = (const uint8_t *)&sa.s_in.sa_addr;
        snprintf(out, cap, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
    } else if (sa.s_family == NNG_AF_INET6) {
        for (int i = 0; i < 16; i += 2)
            snprintf(out + strlen(out), cap - strlen(out), "%s%02x%02x", i ? ":" : "",
                     sa.s_in6.sa_addr[i], sa.s_in6.sa_addr[i + 1]);
    }
}

static void on_pipe(nng_pipe pipe, nng_pipe_ev ev, void *arg)
{
    struct bus_peers *p = arg;
    gpointer id = GUINT_TO_POINTER(nng_pipe_id(pipe));
    pthread_mutex_lock(&p->mu);
    if (ev == NNG_PIPE_EV_REM_POST) {
        const char *addr = g_hash_table_lookup(p->pipes, id);
        if (addr) {
            p->live--;
            if (addr[0]) {
                guint n = GPOINTER_TO_UINT(g_hash_table_lookup(p->per_addr, addr));
                if (n > 1)
                    g_hash_table_insert(p->per_addr, g_strdup(addr), GUINT_TO_POINTER(n - 1));
                else
                    g_hash_table_remove(p->per_addr, addr);
            }
            g_hash_table_remove(p->pipes, id);
        }
        pthread_mutex_unlock(&p->mu);
        return;
    }
    char addr[64];
    addr_of(pipe, addr, sizeof addr);
    guint from = addr[0] ? GPOINTER_TO_UINT(g_hash_table_lookup(p->per_addr, addr)) : 0;
    if (p->live >= BUS_PEERS_MAX || from >= BUS_PEERS_PER_ADDR_MAX) {
        p->refused++;
        int64_t now = g_get_monotonic_time();
        /* The first ten, then one a second: a flood is counted, not written out. */
        if (p->refused <= 10 || now - p->warned_at >= 1000000) {
            p->warned_at = now;
            cchc_warn("bus: %s: connection%s%s refused: %s (%llu refused so far)", p->what,
                      addr[0] ? " from " : "", addr,
                      p->live >= BUS_PEERS_MAX ? "BUS_PEERS_MAX peers at once"
                                               : "BUS_PEERS_PER_ADDR_MAX peers from this address",
                      (unsigned long long)p->refused);
        }
        pthread_mutex_unlock(&p->mu);
        nng_pipe_close(pipe);
        return;
    }
    p->live++;
    if (addr[0])
        g_hash_table_insert(p->per_addr, g_strdup(addr), GUINT_TO_POINTER(from + 1));
    g_hash_table_insert(p->pipes, id, g_strdup(addr));
    pthread_mutex_unlock(&p->mu);
}

struct bus_peers *bus_peers_limit(nng_socket s, const char *what)
{
    struct bus_peers *p = g_new0(struct bus_peers, 1);
    pthread_mutex_init(&p->mu, NULL);
    p->what = g_strdup(what);
    p->per_addr = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    p->pipes = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    /* nng fails these only for a closed socket or a bad event. */
    if (nng_pipe_notify(s, NNG_PIPE_EV_ADD_PRE, on_pipe, p) ||
        nng_pipe_notify(s, NNG_PIPE_EV_REM_POST, on_pipe, p))
        g_error("bus: %s: cannot watch its connections", what);
    return p;
}

uint64_t bus_peers_refused(struct bus_peers *p)
{
    pthread_mutex_lock(&p->mu);
    uint64_t n = p->refused;
    pthread_mutex_unlock(&p->mu);
    return n;
}

void bus_peers_free(struct bus_peers *p)
{
    if (!p)
        return;
    g_hash_table_destroy(p->per_addr);
    g_hash_table_destroy(p->pipes);
    pthread_mutex_destroy(&p->mu);
    g_free(p->what);
    g_free(p);
}
