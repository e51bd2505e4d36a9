/* The bus keys file: who may publish and subscribe, with which keys.
 *
 *   # comment
 *   publisher  NAME HEXKEY units=ROOT,ROOT|units=*
 *   subscriber NAME HEXKEY durable|reader
 *
 * NAME is a bus name ([A-Za-z0-9._-], 1..64), HEXKEY 64 hex digits (32
 * bytes: `openssl rand -hex 32`, or ops/new-bus-key). A name may have two
 * lines during a key rotation: both keys are accepted, the first one
 * signs; the second line repeats the first's units or role (or leaves
 * units out). A durable subscriber acknowledges, so that publishers keep
 * what it has not applied; a reader only reads. units= is the unit
 * subtrees a publisher may speak for (the aggregator checks it), `*` any.
 * Every program on the bus refuses to start without this file
 * (ops/README.md, "Bus keys"). */
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
    int durable; /* subscribers: it acknowledges */
    int nkeys;   /* 1, or 2 during a rotation: key[0] signs */
    uint8_t key[2][PROTO_KEY_LEN];
    int all_units; /* publishers: units=* */
    int nunits;    /* publishers: the roots of the subtrees it speaks for */
    char *units[BUS_KEY_UNITS_MAX];
};

struct bus_keys {
    struct bus_peer peer[BUS_KEYS_MAX];
    int n;
};

/* Reads the keys file at path. CCHC_EINVAL with "FILE:LINE: field F: ..." in
 * why for any line that is not exactly one of the forms above; CCHC_EIO
 * when it cannot be read. Warns when the file is readable by others. The
 * caller frees *out with bus_keys_free. */
int bus_keys_load(const char *path, struct bus_keys **out, char *why, size_t why_cap);
/* The same from text (name: what errors call the file). */
int bus_keys_parse(const char *name, const char *text, struct bus_keys **out, char *why,
                   size_t why_cap);
void bus_keys_free(struct bus_keys *k);
/* The peer of that role and name, or NULL. */
const struct bus_peer *bus_keys_find(const struct bus_keys *k, enum bus_role role,
                                     const char *name);
/* CCHC_OK when one of p's keys made the frame's MAC (h from
 * proto_header_decode of frame; nonce as for proto_frame_verify). */
int bus_peer_verify(const struct bus_peer *p, const uint8_t *frame, size_t len,
                    const struct proto_header *h, const uint8_t *nonce);

/* Where the keys file is when neither --bus-keys nor CCHC_BUS_KEYS names
 * one: NULL (there is no default: a program without keys does not start). */
#define BUS_KEYS_ENV "CCHC_BUS_KEYS"

#endif
