/* The frame header. Decoding reads a fixed 32-byte header, then bytes whose
 * lengths it has checked; it never allocates. The rules of what version 1
 * accepts are in proto/README.md: encode refuses what decode would refuse. */
#include "proto/frame.h"

#include "base/err.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8), p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)(v >> 16)), put16(p + 2, (uint16_t)v);
}

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, (uint32_t)(v >> 32)), put32(p + 4, (uint32_t)v);
}

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)get16(p) << 16 | get16(p + 2);
}

static uint64_t get64(const uint8_t *p)
{
    return (uint64_t)get32(p) << 32 | get32(p + 4);
}

static int publisher_char(uint8_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

/* Index of the first byte outside [A-Za-z0-9._-], or n. */
static size_t publisher_bad(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n && publisher_char(s[i]))
        i++;
    return i;
}

static const char *kind_name(unsigned kind)
{
    switch (kind) {
    case PROTO_EVENTS:
        return "EVENTS";
    case PROTO_HEARTBEAT:
        return "HEARTBEAT";
    case PROTO_REPLAY_REQUEST:
        return "REPLAY_REQUEST";
    case PROTO_REPLAY_NACK:
        return "REPLAY_NACK";
    case PROTO_ACK:
        return "ACK";
    }
    return "?";
}

/* The rules on count and body that depend on the kind; NULL if they hold.
 * One function so that encode and decode cannot drift apart. */
static const char *count_rule(unsigned kind, uint32_t count)
{
    if (count > PROTO_EVENTS_MAX)
        return "count over PROTO_EVENTS_MAX";
    if ((kind == PROTO_HEARTBEAT || kind == PROTO_REPLAY_NACK || kind == PROTO_ACK) && count != 0)
        return "count must be 0";
    if (kind == PROTO_REPLAY_REQUEST && count == 0)
        return "count must be at least 1";
    return NULL;
}

int proto_header_encode(const struct proto_header *h, uint8_t *out, size_t cap, size_t *len)
{
    size_t p = strnlen(h->publisher, sizeof h->publisher);
    if (p < 1 || p > PROTO_PUBLISHER_MAX || publisher_bad((const uint8_t *)h->publisher, p) != p)
        return CCHC_EINVAL;
    if (h->kind < PROTO_EVENTS || h->kind > PROTO_ACK || count_rule(h->kind, h->count))
        return CCHC_EINVAL;
    /* Every version-2 frame carries a MAC: 0 or exactly that, nothing else. */
    if ((h->flags != 0 && h->flags != PROTO_FLAG_MAC) ||
        (h->mac_len != 0 && h->mac_len != PROTO_MAC_LEN))
        return CCHC_EINVAL;
    if (cap < PROTO_HEADER_FIXED + p + PROTO_MAC_LEN)
        return CCHC_ETOOBIG;
    memcpy(out, PROTO_MAGIC, 4);
    out[4] = PROTO_VERSION;
    out[5] = h->kind;
    out[6] = PROTO_FLAG_MAC;
    out[7] = (uint8_t)p;
    put64(out + 8, h->epoch);
    put64(out + 16, h->seq);
    put32(out + 24, h->count);
    put16(out + 28, PROTO_MAC_LEN);
    put16(out + 30, 0);
    memcpy(out + PROTO_HEADER_FIXED, h->publisher, p);
    memset(out + PROTO_HEADER_FIXED + p, 0, PROTO_MAC_LEN);
    *len = PROTO_HEADER_FIXED + p + PROTO_MAC_LEN;
    return CCHC_OK;
}

#define BAD(...)                                                                                   \
    do {                                                                                           \
        if (why_cap)                                                                               \
            snprintf(why, why_cap, __VA_ARGS__);                                                   \
        return CCHC_EPROTO;                                                                        \
    } while (0)

int proto_header_decode(const uint8_t *buf, size_t len, struct proto_header *h, char *why,
                        size_t why_cap)
{
    memset(h, 0, sizeof *h);
    if (len > PROTO_FRAME_MAX)
        BAD("frame of %zu bytes is over the limit of %u", len, PROTO_FRAME_MAX);
    /* Magic and version first, even on a short frame: bytes that are not a
     * cchc frame at all should say so, not "truncated". */
    size_t m = len < 4 ? len : 4;
    if (m && memcmp(buf, PROTO_MAGIC, m) != 0)
        BAD("bad magic: a frame starts with \"CCHC\"");
    if (len > 4 && buf[4] == 1)
        BAD("version 1 frame: it carries no MAC, refused (this decoder reads version %d)",
            PROTO_VERSION);
    if (len > 4 && buf[4] != PROTO_VERSION)
        BAD("version %u not supported (this decoder reads version %d)", buf[4], PROTO_VERSION);
    if (len < PROTO_HEADER_FIXED)
        BAD("frame truncated: header needs %zu bytes, have %zu",
            PROTO_HEADER_FIXED + (len > 7 ? (size_t)buf[7] : 0), len);
    h->version = buf[4];
    h->kind = buf[5];
    h->flags = buf[6];
    size_t p = buf[7];
    h->epoch = get64(buf + 8);
    h->seq = get64(buf + 16);
    h->count = get32(buf + 24);
    h->mac_len = get16(buf + 28);
    if (h->kind < PROTO_EVENTS || h->kind > PROTO_ACK)
        BAD("unknown frame kind %u (version 1 has kinds 1..5)", h->kind);
    if (h->flags != PROTO_FLAG_MAC)
        BAD("flags 0x%02x: version 2 requires 0x01 (MAC present)", h->flags);
    if (h->mac_len != PROTO_MAC_LEN)
        BAD("MAC length %u: version 2 requires %d", h->mac_len, PROTO_MAC_LEN);
    if (get16(buf + 30) != 0)
        BAD("reserved bytes 30..31 are 0x%04x, must be 0", get16(buf + 30));
    if (p < 1 || p > PROTO_PUBLISHER_MAX)
        BAD("publisher id length %zu (must be 1..%d)", p, PROTO_PUBLISHER_MAX);
    size_t hl = PROTO_HEADER_FIXED + p + PROTO_MAC_LEN;
    if (len < hl)
        BAD("frame truncated: header needs %zu bytes, have %zu", hl, len);
    const uint8_t *pub = buf + PROTO_HEADER_FIXED;
    size_t bad = publisher_bad(pub, p);
    if (bad != p)
        BAD("publisher id byte %zu is 0x%02x, not one of [A-Za-z0-9._-]", bad, pub[bad]);
    memcpy(h->publisher, pub, p);
    h->publisher[p] = 0;
    h->mac = buf + PROTO_HEADER_FIXED + p;
    h->body = buf + hl;
    h->body_len = len - hl;
    if (h->count > PROTO_EVENTS_MAX)
        BAD("count %u is over the limit of %d events a frame", h->count, PROTO_EVENTS_MAX);
    const char *rule = count_rule(h->kind, h->count);
    if (rule)
        BAD("%s frame with count %u: %s", kind_name(h->kind), h->count, rule);
    if (h->kind == PROTO_REPLAY_REQUEST || (h->kind == PROTO_ACK && h->body_len)) {
        /* A subscriber's request: nonce, then its name. */
        size_t n = h->body_len < PROTO_NONCE_LEN ? 0 : h->body_len - PROTO_NONCE_LEN;
        if (n < 1 || n > PROTO_PUBLISHER_MAX)
            BAD("%s frame body of %zu bytes: want a %d-byte nonce and a subscriber name of 1..%d",
                kind_name(h->kind), h->body_len, PROTO_NONCE_LEN, PROTO_PUBLISHER_MAX);
        const uint8_t *name = h->body + PROTO_NONCE_LEN;
        if ((bad = publisher_bad(name, n)) != n)
            BAD("%s subscriber name byte %zu is 0x%02x, not one of [A-Za-z0-9._-]",
                kind_name(h->kind), bad, name[bad]);
        h->nonce = h->body;
        memcpy(h->subscriber, name, n);
        h->subscriber[n] = 0;
    } else if (h->kind != PROTO_EVENTS && h->body_len) {
        BAD("%s frame carries %zu body bytes; only EVENTS, REPLAY_REQUEST and ACK have a body",
            kind_name(h->kind), h->body_len);
    }
    /* Every event takes at least one byte: a cheap bound before anyone walks the body. */
    if (h->kind == PROTO_EVENTS && h->body_len < h->count)
        BAD("EVENTS frame with count %u cannot fit in %zu body bytes", h->count, h->body_len);
    if (h->kind == PROTO_EVENTS && h->count == 0 && h->body_len)
        BAD("EVENTS frame with count 0 carries %zu body bytes", h->body_len);
    return CCHC_OK;
}

int proto_frame_unsigned(const uint8_t *buf, size_t len)
{
    return len >= 7 && memcmp(buf, PROTO_MAGIC, 4) == 0 &&
           (buf[4] == 1 || (buf[4] == PROTO_VERSION && !(buf[6] & PROTO_FLAG_MAC)));
}

void proto_frame_mac(const uint8_t *frame, size_t len, const uint8_t *key, const uint8_t *nonce,
                     uint8_t mac[PROTO_MAC_LEN])
{
    size_t head = PROTO_HEADER_FIXED + frame[7],
           room = PROTO_HEADER_FIXED + frame[7] + PROTO_MAC_LEN;
    crypto_generichash_state st;
    crypto_generichash_init(&st, key, PROTO_KEY_LEN, PROTO_MAC_LEN);
    crypto_generichash_update(&st, frame, head);
    crypto_generichash_update(&st, frame + room, len - room);
    if (nonce)
        crypto_generichash_update(&st, nonce, PROTO_NONCE_LEN);
    crypto_generichash_final(&st, mac, PROTO_MAC_LEN);
}

int proto_frame_sign(uint8_t *frame, size_t len, const uint8_t *key, const uint8_t *nonce)
{
    if (len < PROTO_HEADER_FIXED || len < PROTO_HEADER_FIXED + (size_t)frame[7] + PROTO_MAC_LEN)
        return CCHC_EINVAL;
    uint8_t mac[PROTO_MAC_LEN];
    proto_frame_mac(frame, len, key, nonce, mac);
    memcpy(frame + PROTO_HEADER_FIXED + frame[7], mac, PROTO_MAC_LEN);
    return CCHC_OK;
}

int proto_frame_verify(const uint8_t *frame, size_t len, const struct proto_header *h,
                       const uint8_t *key, const uint8_t *nonce)
{
    if (!h->mac || h->mac_len != PROTO_MAC_LEN)
        return CCHC_EPROTO;
    uint8_t mac[PROTO_MAC_LEN];
    proto_frame_mac(frame, len, key, nonce, mac);
    return sodium_memcmp(mac, h->mac, PROTO_MAC_LEN) == 0 ? CCHC_OK : CCHC_EPROTO;
}
