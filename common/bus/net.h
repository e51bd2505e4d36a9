/* Where the bus listens and dials: the private runtime folder of the ipc
 * sockets, checked against squatting, and nng's TLS transport (tls+tcp://)
 * with certificates on both sides. */
#ifndef CCHC_BUS_NET_H
#define CCHC_BUS_NET_H

#include "bus/keys.h"

#include <nng/nng.h>
#include <stddef.h>

/* What every program on the bus is given: the public keys of all, its own
 * secret (it signs every frame it sends with it) and, for tls+tcp://
 * addresses, its certificate, key and the CA its peers' certificates must
 * come from (PEM files). */
struct bus_auth {
    const struct bus_keys *keys;     /* borrowed */
    const struct bus_secret *secret; /* borrowed */
    const char *secret_path;         /* for messages */
    const char *tls_cert, *tls_key, *tls_ca;
};

/* Loads the keys file at keys_path and the secret file at secret_path into
 * a (which then owns them: free them with bus_auth_close) and keeps the
 * file names (borrowed). Which line the secret must match is checked when
 * the program names itself (bus_pub_open, bus_sub_open: bus_keys_self). */
int bus_auth_open(const char *keys_path, const char *secret_path, const char *tls_cert,
                  const char *tls_key, const char *tls_ca, struct bus_auth *a, char *why,
                  size_t why_cap);
void bus_auth_close(struct bus_auth *a);

/* The flags every bus program takes, for its cchc_opt table
 * (base/config.h): --bus-keys, --bus-secret, --bus-tls-cert, --bus-tls-key,
 * --bus-tls-ca and their CCHC_BUS_* variables, into f. */
struct bus_flags {
    const char *keys, *secret, *tls_cert, *tls_key, *tls_ca;
};
#define BUS_OPTS(f)                                                                                \
    {"--bus-keys",                                                                                 \
     "CCHC_BUS_KEYS",                                                                              \
     CCHC_OPT_STR,                                                                                 \
     &(f).keys,                                                                                    \
     0,                                                                                            \
     0,                                                                                            \
     "bus keys file: everyone's public keys (required: ops/README.md, Bus keys)"},                 \
        {"--bus-secret",                                                                           \
         "CCHC_BUS_SECRET",                                                                        \
         CCHC_OPT_STR,                                                                             \
         &(f).secret,                                                                              \
         0,                                                                                        \
         0,                                                                                        \
         "this program's own secret (seed) file, 0600 (required)"},                                \
        {"--bus-tls-cert",                                                                         \
         "CCHC_BUS_TLS_CERT",                                                                      \
         CCHC_OPT_STR,                                                                             \
         &(f).tls_cert,                                                                            \
         0,                                                                                        \
         0,                                                                                        \
         "certificate (PEM) for tls+tcp:// bus addresses"},                                        \
        {"--bus-tls-key",        "CCHC_BUS_TLS_KEY", CCHC_OPT_STR, &(f).tls_key, 0, 0,             \
         "its private key (PEM)"},                                                                 \
    {                                                                                              \
        "--bus-tls-ca", "CCHC_BUS_TLS_CA", CCHC_OPT_STR, &(f).tls_ca, 0, 0,                        \
            "CA (PEM) the peers' certificates must come from"                                      \
    }

/* The private folder for ipc sockets: $CCHC_RUN_DIR, else /run/cchc for
 * root, else $XDG_RUNTIME_DIR/cchc, else /tmp/cchc-$UID. Not created. */
void bus_run_dir(char *out, size_t cap);
/* The default address of a service's socket: ipc://RUN_DIR/NAME.WHAT. */
void bus_default_url(const char *service, const char *what, char *out, size_t cap);
/* The four services' default PUB,REPLAY pairs (a static buffer). */
const char *bus_sources_default(void);

/* For an ipc:// address: its folder must be owned by this user and closed
 * to group and others (0700), so no other local user can put a socket
 * there. With create, a missing folder is made 0700 (parents too). Other
 * addresses: CCHC_OK. CCHC_EINVAL with the reason otherwise. */
int bus_ipc_check(const char *url, int create, char *why, size_t why_cap);

/* nng_listen / nng_dial with those checks (both make a missing folder), and a TLS configuration for
 * a tls+tcp:// address (refused without a certificate, key and CA). A dial does not block: nng
 * redials by itself. */
int bus_listen(nng_socket s, const char *url, const struct bus_auth *a, char *why, size_t why_cap);
int bus_dial(nng_socket s, const char *url, const struct bus_auth *a, char *why, size_t why_cap);

#endif
