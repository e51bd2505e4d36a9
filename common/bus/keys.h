/* The bus keys file: who may publish and subscribe, with which PUBLIC keys.
 * It holds no secret and may be shared with every program:
 *
 *   # comment
 *   publisher  NAME PUBHEX units=ROOT,ROOT|units=*
 *   subscriber NAME PUBHEX durable|reader
 *
 * NAME is a bus name ([A-Za-z0-9._-], 1..64), PUBHEX an Ed25519 public key
 * as 64 hex digits (PROTO_PUBKEY_LEN bytes; ops/new-bus-key prints it). A
 * name may have two lines during a key rotation: frames signed with either
 * key are accepted; the second line repeats the first's units or role (or
 * leaves units out). A public key is on one name's lines only, and must be a
 * point of the curve. A durable subscriber acknowledges, so that publishers
 * keep what it has not applied; a reader only reads. units= is the unit
 * subtrees a publisher may speak for (the aggregator checks it), `*` any.
 *
 * Each program also has its own secret file (--bus-secret, CCHC_BUS_SECRET):
 *
 *   # comment
 *   SEEDHEX
 *
 * one line of 64 hex digits, the PROTO_SEED_LEN-byte Ed25519 seed, mode
 * 0600 (refused otherwise). Its public key must be one of its own name's
 * lines (either, so a rotation rolls out program by program). Every program
 * on the bus refuses to start without both (ops/README.md, "Bus keys"). */
#ifndef CCHC_BUS_KEYS_H
#define CCHC_BUS_KEYS_H

#include "proto/frame.h"

#include <stddef.h>
#include <stdint.h>

#define BUS_KEYS_MAX 64      /* names in one file */
#define BUS_KEY_UNITS_MAX 32 /* unit roots of one publisher */

enum bus_role { BUS_PUBLISHER = 1, BUS_SUBSCRIBER = 2 };

struct bus_peer {
    char name[PROTO_PUBLISHER_MAX + 1];
    enum bus_role role;
    int durable;                      /* subscribers: it acknowledges */
    int nkeys;                        /* 1, or 2 during a rotation: either verifies */
    uint8_t key[2][PROTO_PUBKEY_LEN]; /* public keys */
    int all_units;                    /* publishers: units=* */
    int nunits;                       /* publishers: the roots of the subtrees it speaks for */
    char *units[BUS_KEY_UNITS_MAX];
};

struct bus_keys {
    struct bus_peer peer[BUS_KEYS_MAX];
    int n;
};

/* Reads the keys file at path. CCHC_EINVAL with "FILE:LINE: field F: ..." in
 * why for any line that is not exactly one of the forms above; CCHC_EIO
 * when it cannot be read. The caller frees *out with bus_keys_free. */
int bus_keys_load(const char *path, struct bus_keys **out, char *why, size_t why_cap);
/* The same from text (name: what errors call the file). */
int bus_keys_parse(const char *name, const char *text, struct bus_keys **out, char *why,
                   size_t why_cap);
void bus_keys_free(struct bus_keys *k);
/* The peer of that role and name, or NULL. */
const struct bus_peer *bus_keys_find(const struct bus_keys *k, enum bus_role role,
                                     const char *name);
/* CCHC_OK when the frame's signature verifies with one of p's public keys
 * (h from proto_header_decode of frame; nonce as for proto_frame_verify). */
int bus_peer_verify(const struct bus_peer *p, const uint8_t *frame, size_t len,
                    const struct proto_header *h, const uint8_t *nonce);

/* A program's own signing key, from its secret file. */
struct bus_secret {
    uint8_t sk[PROTO_SECRETKEY_LEN]; /* what proto_frame_sign takes */
    uint8_t pk[PROTO_PUBKEY_LEN];    /* derived from the seed */
};
/* Reads the secret file at path (the form above). CCHC_EINVAL with
 * "FILE:LINE: field 1: ..." for a bad line, or naming the file when it is
 * open to group or others, or has no seed line; CCHC_EIO when it cannot be
 * read. The caller frees *out with bus_secret_free (which wipes it). */
int bus_secret_load(const char *path, struct bus_secret **out, char *why, size_t why_cap);
/* The same from text (name: what errors call the file); no mode check. */
int bus_secret_parse(const char *name, const char *text, struct bus_secret **out, char *why,
                     size_t why_cap);
void bus_secret_free(struct bus_secret *s);
/* The peer of that role and name whose public keys hold sec's, or NULL with
 * why saying which: no line of that name, or a secret that is none of its
 * keys' (secret_path names the file in the message). */
const struct bus_peer *bus_keys_self(const struct bus_keys *k, const struct bus_secret *sec,
                                     const char *secret_path, enum bus_role role, const char *name,
                                     char *why, size_t why_cap);

/* Where the keys file is when neither --bus-keys nor CCHC_BUS_KEYS names
 * one: NULL (there is no default: a program without keys does not start). */
#define BUS_KEYS_ENV "CCHC_BUS_KEYS"
#define BUS_SECRET_ENV "CCHC_BUS_SECRET"

#endif
