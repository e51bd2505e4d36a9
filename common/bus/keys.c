/* The bus keys file of public keys and a program's secret file (keys.h):
 * strict line parsers, and signature checks with every key of a peer. */
#include "bus/keys.h"

#include "base/err.h"
#include "base/log.h"

#include <errno.h>
#include <glib.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int name_ok(const char *s)
{
    size_t n = strlen(s);
    return n >= 1 && n <= PROTO_PUBLISHER_MAX &&
           strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

/* 64 hex digits (32 bytes: a public key or a seed) into out. */
static int unhex(const char *s, uint8_t *out)
{
    if (strlen(s) != 2 * PROTO_PUBKEY_LEN)
        return -1;
    for (int i = 0; i < PROTO_PUBKEY_LEN; i++) {
        unsigned v;
        if (!g_ascii_isxdigit(s[2 * i]) || !g_ascii_isxdigit(s[2 * i + 1]) ||
            sscanf(s + 2 * i, "%2x", &v) != 1)
            return -1;
        out[i] = (uint8_t)v;
    }
    return 0;
}

void bus_keys_free(struct bus_keys *k)
{
    if (!k)
        return;
    for (int i = 0; i < k->n; i++)
        for (int u = 0; u < k->peer[i].nunits; u++)
            g_free(k->peer[i].units[u]);
    sodium_memzero(k, sizeof *k);
    g_free(k);
}

const struct bus_peer *bus_keys_find(const struct bus_keys *k, enum bus_role role, const char *name)
{
    for (int i = 0; k && i < k->n; i++)
        if (k->peer[i].role == role && strcmp(k->peer[i].name, name) == 0)
            return &k->peer[i];
    return NULL;
}

int bus_peer_verify(const struct bus_peer *p, const uint8_t *frame, size_t len,
                    const struct proto_header *h, const uint8_t *nonce)
{
    for (int i = 0; p && i < p->nkeys; i++)
        if (proto_frame_verify(frame, len, h, p->key[i], nonce) == CCHC_OK)
            return CCHC_OK;
    return CCHC_EPROTO;
}

/* units=ROOT,ROOT or units=* into p (a first line). */
static const char *parse_units(const char *v, struct bus_peer *p)
{
    if (strcmp(v, "*") == 0) {
        p->all_units = 1;
        return NULL;
    }
    gchar **roots = g_strsplit(v, ",", -1);
    const char *bad = NULL;
    for (int i = 0; roots[i] && !bad; i++) {
        if (!roots[i][0] || strcmp(roots[i], "*") == 0)
            bad = "want units=* or units=ROOT,ROOT... (unit ids, none empty)";
        else if (p->nunits == BUS_KEY_UNITS_MAX)
            bad = "more than 32 unit roots";
        else
            p->units[p->nunits++] = g_strdup(roots[i]);
    }
    if (!bad && p->nunits == 0)
        bad = "want units=* or units=ROOT,ROOT...";
    g_strfreev(roots);
    return bad;
}

static int same_units(const struct bus_peer *a, const struct bus_peer *b)
{
    if (a->all_units != b->all_units || a->nunits != b->nunits)
        return 0;
    for (int i = 0; i < a->nunits; i++)
        if (strcmp(a->units[i], b->units[i]) != 0)
            return 0;
    return 1;
}

#define LINE_BAD(...)                                                                              \
    do {                                                                                           \
        int at_ = snprintf(why, why_cap, "%s:%d: ", name, lineno);                                 \
        if (at_ >= 0 && (size_t)at_ < why_cap)                                                     \
            snprintf(why + at_, why_cap - (size_t)at_, __VA_ARGS__);                               \
        rc = CCHC_EINVAL;                                                                          \
        goto cleanup;                                                                              \
    } while (0)

int bus_keys_parse(const char *name, const char *text, struct bus_keys **out, char *why,
                   size_t why_cap)
{
    if (sodium_init() < 0) {
        snprintf(why, why_cap, "libsodium cannot start");
        return CCHC_EIO;
    }
    struct bus_keys *k = g_new0(struct bus_keys, 1);
    gchar **lines = g_strsplit(text, "\n", -1);
    int rc = CCHC_OK, lineno = 0;
    struct bus_peer cur;
    memset(&cur, 0, sizeof cur);
    for (gchar **l = lines; *l; l++) {
        lineno++;
        gchar *line = g_strstrip(*l);
        if (!line[0] || line[0] == '#')
            continue;
        gchar **f = g_strsplit_set(line, " \t", -1);
        const char *w[8] = {""};
        int n = 0;
        for (int i = 0; f[i]; i++)
            if (f[i][0] && n < 8)
                w[n++] = f[i];
        memset(&cur, 0, sizeof cur);
        const char *bad = NULL;
        int field = 0;
        if (strcmp(w[0], "publisher") == 0)
            cur.role = BUS_PUBLISHER;
        else if (strcmp(w[0], "subscriber") == 0)
            cur.role = BUS_SUBSCRIBER;
        else
            field = 1, bad = "want publisher or subscriber";
        if (!bad && n < 3)
            field = n + 1,
            bad = n < 2 ? "missing: a name" : "missing: a public key (64 hex digits)";
        if (!bad && !name_ok(w[1]))
            field = 2, bad = "a name is 1..64 of [A-Za-z0-9._-]";
        if (!bad && unhex(w[2], cur.key[0]))
            field = 3, bad = "a key is an Ed25519 public key, 64 hex digits (ops/new-bus-key "
                             "prints it)";
        /* A typo or a seed pasted here would refuse every frame in silence. */
        if (!bad && !crypto_core_ed25519_is_valid_point(cur.key[0]))
            field = 3, bad = "not an Ed25519 public key (64 hex digits that are no point of the "
                             "curve: a typo, or a secret seed in the wrong file?)";
        if (!bad && n > 4)
            field = 5, bad = "unexpected: a line has at most 4 fields";
        if (!bad && cur.role == BUS_SUBSCRIBER) {
            if (n < 4)
                field = 4, bad = "missing: durable or reader";
            else if (strcmp(w[3], "durable") == 0)
                cur.durable = 1;
            else if (strcmp(w[3], "reader") != 0)
                field = 4, bad = "want durable or reader";
        }
        if (!bad && cur.role == BUS_PUBLISHER && n == 4) {
            if (strncmp(w[3], "units=", 6) != 0)
                field = 4, bad = "want units=ROOT,ROOT... or units=*";
            else if ((bad = parse_units(w[3] + 6, &cur)))
                field = 4;
        }
        int had_units = cur.role == BUS_PUBLISHER && n == 4;
        if (!bad)
            snprintf(cur.name, sizeof cur.name, "%s", w[1]);
        char fieldtext[64];
        snprintf(fieldtext, sizeof fieldtext, "%s", field ? w[field - 1 < n ? field - 1 : 0] : "");
        g_strfreev(f);
        if (bad) {
            for (int u = 0; u < cur.nunits; u++)
                g_free(cur.units[u]);
            /* A key field is not echoed: it may be a secret seed pasted here. */
            if (field > n || field == 3)
                LINE_BAD("field %d: %s", field, bad);
            LINE_BAD("field %d ('%.40s'): %s", field, fieldtext, bad);
        }
        /* One key pair for two names would let either sign as the other. */
        const struct bus_peer *twin = NULL;
        for (int i = 0; i < k->n && !twin; i++)
            for (int j = 0; j < k->peer[i].nkeys; j++)
                if ((k->peer[i].role != cur.role || strcmp(k->peer[i].name, cur.name) != 0) &&
                    memcmp(k->peer[i].key[j], cur.key[0], PROTO_PUBKEY_LEN) == 0)
                    twin = &k->peer[i];
        if (twin) {
            for (int u = 0; u < cur.nunits; u++)
                g_free(cur.units[u]);
            LINE_BAD("field 3: the public key of %s '%s' too: each program has its own key pair "
                     "(ops/new-bus-key), or either could sign as the other",
                     twin->role == BUS_PUBLISHER ? "publisher" : "subscriber", twin->name);
        }
        struct bus_peer *old = (struct bus_peer *)bus_keys_find(k, cur.role, cur.name);
        if (old) {
            const char *clash = old->nkeys == 2 ? "a name has at most two keys (a rotation)"
                                : memcmp(old->key[0], cur.key[0], PROTO_PUBKEY_LEN) == 0
                                    ? "the same key twice"
                                : cur.role == BUS_SUBSCRIBER && cur.durable != old->durable
                                    ? "the second key of a subscriber must keep its role"
                                : had_units && !same_units(old, &cur)
                                    ? "the second key of a publisher must keep its units"
                                    : NULL;
            if (clash) {
                for (int u = 0; u < cur.nunits; u++)
                    g_free(cur.units[u]);
                LINE_BAD("%s '%s': %s", cur.role == BUS_PUBLISHER ? "publisher" : "subscriber",
                         cur.name, clash);
            }
            memcpy(old->key[1], cur.key[0], PROTO_PUBKEY_LEN);
            old->nkeys = 2;
            for (int u = 0; u < cur.nunits; u++)
                g_free(cur.units[u]);
            continue;
        }
        if (cur.role == BUS_PUBLISHER && !had_units)
            LINE_BAD("field 4: missing: units=ROOT,ROOT... or units=* (what it may speak for)");
        if (k->n == BUS_KEYS_MAX) {
            for (int u = 0; u < cur.nunits; u++)
                g_free(cur.units[u]);
            LINE_BAD("more than %d names", BUS_KEYS_MAX);
        }
        cur.nkeys = 1;
        k->peer[k->n++] = cur;
    }
    if (k->n == 0) {
        snprintf(why, why_cap, "%s: no publisher or subscriber line", name);
        rc = CCHC_EINVAL;
    }
cleanup:
    sodium_memzero(&cur, sizeof cur);
    g_strfreev(lines);
    if (rc) {
        bus_keys_free(k);
        return rc;
    }
    *out = k;
    return CCHC_OK;
}

int bus_keys_load(const char *path, struct bus_keys **out, char *why, size_t why_cap)
{
    if (sodium_init() < 0) {
        snprintf(why, why_cap, "libsodium cannot start");
        return CCHC_EIO;
    }
    if (!path || !*path) {
        snprintf(why, why_cap,
                 "no bus keys: set --bus-keys FILE or " BUS_KEYS_ENV
                 " (there is no unauthenticated bus; see ops/README.md, \"Bus keys\")");
        return CCHC_EINVAL;
    }
    gchar *text = NULL;
    GError *err = NULL;
    if (!g_file_get_contents(path, &text, NULL, &err)) {
        snprintf(why, why_cap, "bus keys %s: %s", path, err->message);
        g_error_free(err);
        return CCHC_EIO;
    }
    /* Public keys only: it may be read by anyone; only who may write it matters. */
    int rc = bus_keys_parse(path, text, out, why, why_cap);
    g_free(text);
    return rc;
}

void bus_secret_free(struct bus_secret *s)
{
    if (!s)
        return;
    sodium_memzero(s, sizeof *s);
    g_free(s);
}

int bus_secret_parse(const char *name, const char *text, struct bus_secret **out, char *why,
                     size_t why_cap)
{
    gchar **lines = g_strsplit(text, "\n", -1);
    int rc = CCHC_OK, lineno = 0, seen = 0;
    uint8_t seed[PROTO_SEED_LEN];
    struct bus_secret *sec = g_new0(struct bus_secret, 1);
    for (gchar **l = lines; *l; l++) {
        lineno++;
        gchar *line = g_strstrip(*l);
        if (!line[0] || line[0] == '#')
            continue;
        if (seen)
            LINE_BAD("field 1: unexpected: a secret file has one seed line");
        if (strpbrk(line, " \t"))
            LINE_BAD("field 2: unexpected: a seed line is one field, 64 hex digits");
        if (unhex(line, seed))
            LINE_BAD("field 1: a seed is 64 hex digits (32 bytes; ops/new-bus-key NAME FILE "
                     "writes one)");
        seen = 1;
    }
    if (!seen) {
        snprintf(why, why_cap, "%s: no seed line (64 hex digits; ops/new-bus-key NAME FILE)", name);
        rc = CCHC_EINVAL;
        goto cleanup;
    }
    if (crypto_sign_seed_keypair(sec->pk, sec->sk, seed) != 0) {
        snprintf(why, why_cap, "%s: libsodium cannot derive a key pair", name);
        rc = CCHC_EIO;
    }
cleanup:
    sodium_memzero(seed, sizeof seed);
    for (gchar **l = lines; *l; l++)
        sodium_memzero(*l, strlen(*l));
    g_strfreev(lines);
    if (rc) {
        bus_secret_free(sec);
        return rc;
    }
    *out = sec;
    return CCHC_OK;
}

int bus_secret_load(const char *path, struct bus_secret **out, char *why, size_t why_cap)
{
    if (sodium_init() < 0) {
        snprintf(why, why_cap, "libsodium cannot start");
        return CCHC_EIO;
    }
    if (!path || !*path) {
        snprintf(why, why_cap,
                 "no bus secret: set --bus-secret FILE or " BUS_SECRET_ENV
                 " (this program's own signing key; see ops/README.md, \"Bus keys\")");
        return CCHC_EINVAL;
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(why, why_cap, "bus secret %s: %s", path, strerror(errno));
        return CCHC_EIO;
    }
    if (st.st_mode & 077) {
        snprintf(why, why_cap,
                 "bus secret %s: refused: open to group or others (mode %03o); a secret file "
                 "must be 0600 (chmod 600 %s)",
                 path, (unsigned)(st.st_mode & 0777), path);
        return CCHC_EINVAL;
    }
    gchar *text = NULL;
    GError *err = NULL;
    if (!g_file_get_contents(path, &text, NULL, &err)) {
        snprintf(why, why_cap, "bus secret %s: %s", path, err->message);
        g_error_free(err);
        return CCHC_EIO;
    }
    int rc = bus_secret_parse(path, text, out, why, why_cap);
    sodium_memzero(text, strlen(text));
    g_free(text);
    return rc;
}

static void hex(const uint8_t *b, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", b[i]);
}

const struct bus_peer *bus_keys_self(const struct bus_keys *k, const struct bus_secret *sec,
                                     const char *secret_path, enum bus_role role, const char *name,
                                     char *why, size_t why_cap)
{
    const char *r = role == BUS_PUBLISHER ? "publisher" : "subscriber";
    const struct bus_peer *p = name ? bus_keys_find(k, role, name) : NULL;
    if (!p) {
        snprintf(why, why_cap, "bus keys: no '%s %s' line: this %s has no key", r,
                 name ? name : "(none)", r);
        return NULL;
    }
    for (int i = 0; sec && i < p->nkeys; i++)
        if (sodium_memcmp(p->key[i], sec->pk, PROTO_PUBKEY_LEN) == 0)
            return p;
    char pub[2 * PROTO_PUBKEY_LEN + 1] = "";
    if (sec)
        hex(sec->pk, PROTO_PUBKEY_LEN, pub);
    snprintf(why, why_cap,
             "bus secret %s: its public key %s is not on a '%s %s' line of the bus keys: "
             "refused (this program would sign as someone else, or its key was rotated out)",
             secret_path ? secret_path : "(none)", sec ? pub : "(none)", r, name);
    return NULL;
}
