/* The frame header. Decoding reads a fixed 32-byte header, then bytes whose
 * lengths it has checked; it never allocates. The rules of what version 3
 * accepts are in proto/README.md: encode refuses what decode would refuse. */
#include "proto/frame.h"

#include "base/err.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

_Static_assert(PROTO_SIG_LEN == crypto_sign_BYTES, "signature room");
_Static_assert(PROTO_PUBKEY_LEN == crypto_sign_PUBLICKEYBYTES, "public key");
_Static_assert(PROTO_SECRETKEY_LEN == crypto_sign_SECRETKEYBYTES, "secret key");
_Static_assert(PROTO_SEED_LEN == crypto_sign_SEEDBYTES, "seed");

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
    /* Every version-3 frame carries a signature: 0 or exactly that, nothing else. */
    if ((h->flags != 0 && h->flags != PROTO_FLAG_SIG) ||
        (h->sig_len != 0 && h->sig_len != PROTO_SIG_LEN))
        return CCHC_EINVAL;
    if (cap < PROTO_HEADER_FIXED + p + PROTO_SIG_LEN)
        return CCHC_ETOOBIG;
    memcpy(out, PROTO_MAGIC, 4);
    out[4] = PROTO_VERSION;
    out[5] = h->kind;
    out[6] = PROTO_FLAG_SIG;
    out[7] = (uint8_t)p;
    put64(out + 8, h->epoch);
    put64(out + 16, h->seq);
    put32(out + 24, h->count);
    put16(out + 28, PROTO_SIG_LEN);
    put16(out + 30, 0);
    memcpy(out + PROTO_HEADER_FIXED, h->publisher, p);
    memset(out + PROTO_HEADER_FIXED + p, 0, PROTO_SIG_LEN);
    *len = PROTO_HEADER_FIXED + p + PROTO_SIG_LEN;
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
    if (len > 4 && buf[4] == 2)
        BAD("version 2 frame: its MAC is a shared key's, not a signature, refused (this decoder "
            "reads version %d)",
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
    h->sig_len = get16(buf + 28);
    if (h->kind < PROTO_EVENTS || h->kind > PROTO_ACK)
        BAD("unknown frame kind %u (version 3 has kinds 1..5)", h->kind);
    if (h->flags != PROTO_FLAG_SIG)
        BAD("flags 0x%02x: version 3 requires 0x01 (signature present)", h->flags);
    if (h->sig_len != PROTO_SIG_LEN)
        BAD("signature length %u: version 3 requires %d", h->sig_len, PROTO_SIG_LEN);
    if (get16(buf + 30) != 0)
        BAD("reserved bytes 30..31 are 0x%04x, must be 0", get16(buf + 30));
    if (p < 1 || p > PROTO_PUBLISHER_MAX)
        BAD("publisher id length %zu (must be 1..%d)", p, PROTO_PUBLISHER_MAX);
    size_t hl = PROTO_HEADER_FIXED + p + PROTO_SIG_LEN;
    if (len < hl)
        BAD("frame truncated: header needs %zu bytes, have %zu", hl, len);
    const uint8_t *pub = buf + PROTO_HEADER_FIXED;
    size_t bad = publisher_bad(pub, p);
    if (bad != p)
        BAD("publisher id byte %zu is 0x%02x, not one of [A-Za-z0-9._-]", bad, pub[bad]);
    memcpy(h->publisher, pub, p);
    h->publisher[p] = 0;
    h->sig = buf + PROTO_HEADER_FIXED + p;
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
           (buf[4] == 1 || buf[4] == 2 || (buf[4] == PROTO_VERSION && !(buf[6] & PROTO_FLAG_SIG)));
}

/* What a signature covers, into the Ed25519ph state: the header without its
 * signature room, the body, then the nonce. */
static void covered(crypto_sign_state *st, const uint8_t *frame, size_t len, const uint8_t *nonce)
{
    size_t head = PROTO_HEADER_FIXED + frame[7], room = head + PROTO_SIG_LEN;
    crypto_sign_init(st);
    crypto_sign_update(st, frame, head);
    crypto_sign_update(st, frame + room, len - room);
    if (nonce)
        crypto_sign_update(st, nonce, PROTO_NONCE_LEN);
}

int proto_frame_sign(uint8_t *frame, size_t len, const uint8_t *sk, const uint8_t *nonce)
{
    if (len < PROTO_HEADER_FIXED || len < PROTO_HEADER_FIXED + (size_t)frame[7] + PROTO_SIG_LEN)
        return CCHC_EINVAL;
#ifdef CCHC_BENCH_UNSIGNED
    (void)sk, (void)nonce;
    return CCHC_OK; /* ops/bench's comparison only (CMakeLists.txt) */
#endif
    crypto_sign_state st;
    covered(&st, frame, len, nonce);
    crypto_sign_final_create(&st, frame + PROTO_HEADER_FIXED + frame[7], NULL, sk);
    sodium_memzero(&st, sizeof st);
    return CCHC_OK;
}

int proto_frame_verify(const uint8_t *frame, size_t len, const struct proto_header *h,
                       const uint8_t *pk, const uint8_t *nonce)
{
    if (!h->sig || h->sig_len != PROTO_SIG_LEN || !pk ||
        len < PROTO_HEADER_FIXED + (size_t)frame[7] + PROTO_SIG_LEN ||
        h->sig != frame + PROTO_HEADER_FIXED + frame[7])
        return CCHC_EPROTO;
#ifdef CCHC_BENCH_UNSIGNED
    (void)nonce;
    return CCHC_OK;
#endif
    crypto_sign_state st;
    covered(&st, frame, len, nonce);
    /* crypto_sign_final_verify takes a non-const signature; it only reads it. */
    uint8_t sig[PROTO_SIG_LEN];
    memcpy(sig, h->sig, sizeof sig);
    return crypto_sign_final_verify(&st, sig, pk) == 0 ? CCHC_OK : CCHC_EPROTO;
}
