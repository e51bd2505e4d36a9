/* The cchc bus frame: a versioned binary header, then a body.
 *
 * Header, all integers big-endian:
 *   off len field
 *   0   4   magic "CCHC"
 *   4   1   version, 3 (version 1 had no MAC, version 2 a keyed BLAKE2b MAC
 *               any holder of the shared key could make: both are refused)
 *   5   1   kind (enum proto_kind)
 *   6   1   flags: bit 0 "signature present", always set in version 3; others 0
 *   7   1   publisher id length P, 1..PROTO_PUBLISHER_MAX
 *   8   8   epoch: changes whenever the publisher's sequence could restart
 *   16  8   seq: EVENTS: sequence of the first event in the body;
 *               HEARTBEAT: the next sequence the publisher will assign;
 *               REPLAY_REQUEST: first sequence wanted;
 *               REPLAY_NACK: the publisher's next sequence;
 *               ACK: the subscriber's next needed sequence (to the publisher),
 *               the oldest sequence the journal keeps (its answer)
 *   24  4   count: EVENTS: events in the body; REPLAY_REQUEST: most events wanted
 *   28  2   signature length S, PROTO_SIG_LEN (64) in version 3
 *   30  2   reserved, 0
 *   32  P   publisher id, ASCII [A-Za-z0-9._-]
 *   32+P S  signature: Ed25519ph (RFC 8032; libsodium crypto_sign_init /
 *           _update / _final_create) with the sender's secret key over the
 *           header without the signature room, then the body, then, in an
 *           answer on the replay socket, the request's nonce (proto_frame_sign)
 * Body: EVENTS: `count` msgpack maps, one per event (see event.h);
 * REPLAY_REQUEST and ACK from a subscriber: a PROTO_NONCE_LEN-byte nonce,
 * then the subscriber's name, 1..64 bytes of [A-Za-z0-9._-]; other kinds
 * (and the publisher's ACK answer): none.
 * Decoding never allocates and never trusts a length it has not checked
 * against the bytes that are there. */
#ifndef CCHC_PROTO_FRAME_H
#define CCHC_PROTO_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define PROTO_MAGIC "CCHC"
#define PROTO_VERSION 3
#define PROTO_HEADER_FIXED 32
#define PROTO_FLAG_SIG 1       /* flags bit 0: a signature follows the publisher id */
#define PROTO_SIG_LEN 64       /* Ed25519ph: crypto_sign_BYTES */
#define PROTO_PUBKEY_LEN 32    /* a public key: crypto_sign_PUBLICKEYBYTES */
#define PROTO_SEED_LEN 32      /* what a secret file holds: crypto_sign_SEEDBYTES */
#define PROTO_SECRETKEY_LEN 64 /* the expanded secret key: crypto_sign_SECRETKEYBYTES */
#define PROTO_NONCE_LEN 16     /* in a subscriber's request, bound into the answer's signature */
/* Room for a header with its signature: what proto_header_encode may write. */
#define PROTO_HEADER_MAX (PROTO_HEADER_FIXED + PROTO_PUBLISHER_MAX + PROTO_SIG_LEN)
#define PROTO_PUBLISHER_MAX 64
#define PROTO_FRAME_MAX (16u << 20) /* a frame over 16 MiB is rejected */
#define PROTO_EVENTS_MAX 65536      /* events in one frame */

enum proto_kind {
    PROTO_EVENTS = 1,
    PROTO_HEARTBEAT = 2,
    PROTO_REPLAY_REQUEST = 3,
    PROTO_REPLAY_NACK = 4,
    PROTO_ACK = 5,
};

struct proto_header {
    uint8_t version;
    uint8_t kind;
    uint8_t flags;
    uint64_t epoch;
    uint64_t seq;
    uint32_t count;
    char publisher[PROTO_PUBLISHER_MAX + 1]; /* NUL-terminated copy */
    const uint8_t *sig;                      /* points into the frame, or NULL */
    uint16_t sig_len;
    const uint8_t *body; /* points into the frame */
    size_t body_len;
    /* REPLAY_REQUEST, and ACK from a subscriber: the request's nonce (into
     * the frame) and the subscriber's name; NULL and "" otherwise. */
    const uint8_t *nonce;
    char subscriber[PROTO_PUBLISHER_MAX + 1];
};

/* Writes the header for `h` (publisher, kind, epoch, seq, count) into
 * out[0..cap), with flags PROTO_FLAG_SIG and a signature room of
 * PROTO_SIG_LEN zero bytes: append the body, then proto_frame_sign the whole
 * frame. *len gets the header's length. CCHC_ETOOBIG if cap is too small,
 * CCHC_EINVAL for a bad publisher id, or anything decode would refuse: a
 * kind outside 1..5, a count against the rules below, flags or sig_len
 * other than 0 or version 3's. */
int proto_header_encode(const struct proto_header *h, uint8_t *out, size_t cap, size_t *len);

/* Parses a whole frame. On success h's pointers point into buf, which the
 * caller keeps alive. CCHC_EPROTO with a reason in why[0..why_cap) for any
 * bytes that are not a version-3 frame (bad magic, version, kind, lengths).
 * Version 3 also requires flags PROTO_FLAG_SIG, signature length PROTO_SIG_LEN,
 * reserved 0; count 0 in HEARTBEAT, REPLAY_NACK and ACK, 1.. in
 * REPLAY_REQUEST; a body only in EVENTS, REPLAY_REQUEST (nonce and name)
 * and ACK (nonce and name, or none in the answer) (see proto/README.md). The
 * signature is not checked here (proto_frame_verify), nor the events: walk the
 * body with proto_event_decode, exactly `count` of them, no bytes left over. */
int proto_header_decode(const uint8_t *buf, size_t len, struct proto_header *h, char *why,
                        size_t why_cap);

/* Whether buf starts like a cchc frame (magic) but carries no signature: a
 * version-1 frame (no MAC), a version-2 one (a symmetric MAC, which proves
 * nothing about who made it), or flags without PROTO_FLAG_SIG. What
 * subscribers count apart from a wrong signature (as "no_mac"). */
int proto_frame_unsigned(const uint8_t *buf, size_t len);

/* Signs frame[0..len) (a frame proto_header_decode accepts, or one just
 * built) into its signature room with the PROTO_SECRETKEY_LEN-byte secret
 * key sk (crypto_sign_seed_keypair's): Ed25519ph over the header without its
 * signature room, the body, then nonce (PROTO_NONCE_LEN bytes; NULL for
 * frames that answer no request). CCHC_EINVAL when frame is not long enough
 * to hold its header and room. */
int proto_frame_sign(uint8_t *frame, size_t len, const uint8_t *sk, const uint8_t *nonce);
/* CCHC_OK when the signature h points to (h from proto_header_decode of
 * frame) verifies with the PROTO_PUBKEY_LEN-byte public key pk over those
 * bytes; CCHC_EPROTO otherwise. */
int proto_frame_verify(const uint8_t *frame, size_t len, const struct proto_header *h,
                       const uint8_t *pk, const uint8_t *nonce);

#endif
