/* The cchc bus frame: a versioned binary header, then a body.
 *
 * Header, all integers big-endian:
 *   off len field
 *   0   4   magic "CCHC"
 *   4   1   version, 1
 *   5   1   kind (enum proto_kind)
 *   6   1   flags, 0 in version 1 (bit 0 will mean "MAC present")
 *   7   1   publisher id length P, 1..PROTO_PUBLISHER_MAX
 *   8   8   epoch: changes whenever the publisher's sequence could restart
 *   16  8   seq: EVENTS: sequence of the first event in the body;
 *               HEARTBEAT: the next sequence the publisher will assign;
 *               REPLAY_REQUEST: first sequence wanted;
 *               REPLAY_NACK: the publisher's next sequence;
 *               ACK: the subscriber's next needed sequence (to the publisher),
 *               the oldest sequence the journal keeps (its answer)
 *   24  4   count: EVENTS: events in the body; REPLAY_REQUEST: most events wanted
 *   28  2   MAC length M, 0 in version 1 (room for a per-publisher MAC)
 *   30  2   reserved, 0
 *   32  P   publisher id, ASCII [A-Za-z0-9._-]
 *   32+P M  MAC
 * Body: EVENTS: `count` msgpack maps, one per event (see event.h); ACK from
 * a subscriber: its name, 1..64 bytes of [A-Za-z0-9._-]; other kinds: none.
 * Decoding never allocates and never trusts a length it has not checked
 * against the bytes that are there. */
#ifndef CCHC_PROTO_FRAME_H
#define CCHC_PROTO_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define PROTO_MAGIC "CCHC"
#define PROTO_VERSION 1
#define PROTO_HEADER_FIXED 32
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
    const uint8_t *mac;                      /* points into the frame, or NULL */
    uint16_t mac_len;
    const uint8_t *body; /* points into the frame */
    size_t body_len;
};

/* Writes the header for `h` (publisher, kind, epoch, seq, count; no MAC) into
 * out[0..cap). *len gets its length. CCHC_ETOOBIG if cap is too small,
 * CCHC_EINVAL for a bad publisher id, or anything decode would refuse: a
 * kind outside 1..5, a count against the rules below, flags or mac_len set. */
int proto_header_encode(const struct proto_header *h, uint8_t *out, size_t cap, size_t *len);

/* Parses a whole frame. On success h's pointers point into buf, which the
 * caller keeps alive. CCHC_EPROTO with a reason in why[0..why_cap) for any
 * bytes that are not a version-1 frame (bad magic, version, kind, lengths).
 * Version 1 also requires flags 0, MAC length 0, reserved 0; count 0 in
 * HEARTBEAT, REPLAY_NACK and ACK, 1.. in REPLAY_REQUEST; a body only in EVENTS
 * and ACK
 * (see proto/README.md). The events are not decoded here: walk the body
 * with proto_event_decode, exactly `count` of them, no bytes left over. */
int proto_header_decode(const uint8_t *buf, size_t len, struct proto_header *h, char *why,
                        size_t why_cap);

#endif
