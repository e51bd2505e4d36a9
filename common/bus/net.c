/* ipc folders and TLS for the bus (net.h). */
#include "bus/net.h"

#include "base/err.h"
#include "base/log.h"

#include <errno.h>
#include <glib.h>
#include <nng/supplemental/tls/tls.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void bus_run_dir(char *out, size_t cap)
{
    const char *d = getenv("CCHC_RUN_DIR"), *x = getenv("XDG_RUNTIME_DIR");
    if (d && *d)
        snprintf(out, cap, "%s", d);
    else if (geteuid() == 0)
        snprintf(out, cap, "/run/cchc");
    else if (x && *x)
        snprintf(out, cap, "%s/cchc", x);
    else
        snprintf(out, cap, "/tmp/cchc-%u", (unsigned)geteuid());
}

void bus_default_url(const char *service, const char *what, char *out, size_t cap)
{
    char dir[4000];
    bus_run_dir(dir, sizeof dir);
    snprintf(out, cap, "ipc://%s/%s.%s", dir, service, what);
}

const char *bus_sources_default(void)
{
    static char buf[4 * 2 * 4100];
    static const char *const svc[] = {"dossier", "staffing", "finance", "egov"};
    size_t at = 0;
    for (int i = 0; i < 4; i++) {
        char pub[4100], rep[4100];
        bus_default_url(svc[i], "pub", pub, sizeof pub);
        bus_default_url(svc[i], "replay", rep, sizeof rep);
        at += (size_t)snprintf(buf + at, sizeof buf - at, "%s%s,%s", i ? ";" : "", pub, rep);
    }
    return buf;
}

int bus_ipc_check(const char *url, int create, char *why, size_t why_cap)
{
    if (strncmp(url, "ipc://", 6) != 0)
        return CCHC_OK;
    const char *path = url + 6;
    char *dir = g_path_get_dirname(path);
    int rc = CCHC_OK;
    struct stat st;
    if (create && stat(dir, &st) != 0 && errno == ENOENT && g_mkdir_with_parents(dir, 0700) != 0) {
        snprintf(why, why_cap, "bus: %s: cannot create the folder %s: %s", url, dir,
                 strerror(errno));
        rc = CCHC_EINVAL;
    } else if (stat(dir, &st) != 0) {
        snprintf(why, why_cap, "bus: %s: folder %s: %s", url, dir, strerror(errno));
        rc = CCHC_EINVAL;
    } else if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077)) {
        snprintf(why, why_cap,
                 "bus: %s: refused: the folder %s is %s (mode %03o, owner uid %u); ipc sockets "
                 "must be in a folder of this user (uid %u) closed to others (chmod 700), or "
                 "another local user could put their own socket there (see ops/README.md, bus "
                 "sockets)",
                 url, dir,
                 st.st_uid != geteuid() ? "owned by another user" : "open to group or others",
                 (unsigned)(st.st_mode & 0777), (unsigned)st.st_uid, (unsigned)geteuid());
        rc = CCHC_EINVAL;
    }
    g_free(dir);
    return rc;
}

static int is_tls(const char *url)
{
    return strncmp(url, "tls+tcp", 7) == 0;
}

/* The host of tls+tcp://HOST:PORT, for the client's check of the server's name. */
static void url_host(const char *url, char *out, size_t cap)
{
    const char *h = strstr(url, "://");
    h = h ? h + 3 : url;
    size_t n = strcspn(h, ":/");
    if (*h == '[') /* [IPv6]:port */
        h++, n = strcspn(h, "]");
    snprintf(out, cap, "%.*s", (int)n, h);
}

static int tls_config(const char *url, const struct bus_auth *a, nng_tls_mode mode,
                      nng_tls_config **out, char *why, size_t why_cap)
{
    if (!a || !a->tls_cert || !a->tls_key || !a->tls_ca || !*a->tls_cert || !*a->tls_key ||
        !*a->tls_ca) {
        snprintf(why, why_cap,
                 "bus: %s: a tls+tcp:// address needs --bus-tls-cert, --bus-tls-key and "
                 "--bus-tls-ca",
                 url);
        return CCHC_EINVAL;
    }
    gchar *cert = NULL, *key = NULL;
    GError *err = NULL;
    nng_tls_config *cfg = NULL;
    int rv = 0, rc = CCHC_EINVAL;
    const char *what = a->tls_cert;
    if (!g_file_get_contents(a->tls_cert, &cert, NULL, &err) ||
        (what = a->tls_key, !g_file_get_contents(a->tls_key, &key, NULL, &err))) {
        snprintf(why, why_cap, "bus: %s: %s", what, err->message);
        g_error_free(err);
        goto cleanup;
    }
    char host[256];
    url_host(url, host, sizeof host);
    if ((what = "TLS", rv = nng_tls_config_alloc(&cfg, mode)) ||
        (what = a->tls_ca, rv = nng_tls_config_ca_file(cfg, a->tls_ca)) ||
        (what = a->tls_cert, rv = nng_tls_config_own_cert(cfg, cert, key, NULL)) ||
        (what = "TLS", rv = nng_tls_config_auth_mode(cfg, NNG_TLS_AUTH_MODE_REQUIRED)) ||
        (mode == NNG_TLS_MODE_CLIENT && (rv = nng_tls_config_server_name(cfg, host)))) {
        snprintf(why, why_cap, "bus: %s: %s: %s", url, what, nng_strerror(rv));
        goto cleanup;
    }
    *out = cfg;
    cfg = NULL;
    rc = CCHC_OK;
cleanup:
    if (cfg)
        nng_tls_config_free(cfg);
    if (key)
        memset(key, 0, strlen(key));
    g_free(cert);
    g_free(key);
    return rc;
}

int bus_listen(nng_socket s, const char *url, const struct bus_auth *a, char *why, size_t why_cap)
{
    int rc = bus_ipc_check(url, 1, why, why_cap);
    if (rc)
        return rc;
    /* A socket left by a process that died is removed by nng; one of a live
     * process makes the listen fail. */
    nng_listener l;
    int rv;
    if ((rv = nng_listener_create(&l, s, url))) {
        snprintf(why, why_cap, "bus: cannot listen on %s: %s", url, nng_strerror(rv));
        return CCHC_EBUS;
    }
    if (is_tls(url)) {
        nng_tls_config *cfg;
        if ((rc = tls_config(url, a, NNG_TLS_MODE_SERVER, &cfg, why, why_cap))) {
            nng_listener_close(l);
            return rc;
        }
        rv = nng_listener_set_ptr(l, NNG_OPT_TLS_CONFIG, cfg);
        nng_tls_config_free(cfg); /* the listener holds it */
        if (rv) {
            snprintf(why, why_cap, "bus: %s: TLS: %s", url, nng_strerror(rv));
            nng_listener_close(l);
            return CCHC_EBUS;
        }
    }
    if ((rv = nng_listener_start(l, 0))) {
        snprintf(why, why_cap, "bus: cannot listen on %s: %s", url, nng_strerror(rv));
        nng_listener_close(l);
        return CCHC_EBUS;
    }
    return CCHC_OK;
}

int bus_dial(nng_socket s, const char *url, const struct bus_auth *a, char *why, size_t why_cap)
{
    /* A folder not made yet (the publisher starts later) is made here, this
     * user's and private, so that no one else can make it first. */
    int rc = bus_ipc_check(url, 1, why, why_cap);
    if (rc)
        return rc;
    nng_dialer d;
    int rv;
    if ((rv = nng_dialer_create(&d, s, url))) {
        snprintf(why, why_cap, "bus: %s: %s", url, nng_strerror(rv));
        return CCHC_EBUS;
    }
    if (is_tls(url)) {
        nng_tls_config *cfg;
        if ((rc = tls_config(url, a, NNG_TLS_MODE_CLIENT, &cfg, why, why_cap))) {
            nng_dialer_close(d);
            return rc;
        }
        rv = nng_dialer_set_ptr(d, NNG_OPT_TLS_CONFIG, cfg);
        nng_tls_config_free(cfg);
        if (rv) {
            snprintf(why, why_cap, "bus: %s: TLS: %s", url, nng_strerror(rv));
            nng_dialer_close(d);
            return CCHC_EBUS;
        }
    }
    if ((rv = nng_dialer_start(d, NNG_FLAG_NONBLOCK))) {
        snprintf(why, why_cap, "bus: %s: %s", url, nng_strerror(rv));
        nng_dialer_close(d);
        return CCHC_EBUS;
    }
    return CCHC_OK;
}

int bus_auth_open(const char *keys_path, const char *secret_path, const char *tls_cert,
                  const char *tls_key, const char *tls_ca, struct bus_auth *a, char *why,
                  size_t why_cap)
{
    memset(a, 0, sizeof *a);
    struct bus_keys *k;
    struct bus_secret *sec;
    int rc = bus_keys_load(keys_path, &k, why, why_cap);
    if (rc)
        return rc;
    if ((rc = bus_secret_load(secret_path, &sec, why, why_cap))) {
        bus_keys_free(k);
        return rc;
    }
#ifdef CCHC_BENCH_UNSIGNED
    cchc_warn("built with CCHC_BENCH_UNSIGNED: bus frames are neither signed nor checked; for "
              "ops/bench's comparison only, never for a deployment");
#endif
    a->keys = k;
    a->secret = sec;
    a->secret_path = secret_path;
    a->tls_cert = tls_cert && *tls_cert ? tls_cert : NULL;
    a->tls_key = tls_key && *tls_key ? tls_key : NULL;
    a->tls_ca = tls_ca && *tls_ca ? tls_ca : NULL;
    return CCHC_OK;
}

void bus_auth_close(struct bus_auth *a)
{
    bus_keys_free((struct bus_keys *)a->keys);
    bus_secret_free((struct bus_secret *)a->secret);
    a->keys = NULL;
    a->secret = NULL;
}
