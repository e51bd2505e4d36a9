#include "frame.h"

#include "err.h"

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

static int publisher_ok(const char *s, size_t n)
{
    if (n < 1 || n > PROTO_PUBLISHER_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

int proto_header_encode(const struct proto_header *h, uint8_t *out, size_t cap, size_t *len)
{
    size_t p = strnlen(h->publisher, sizeof h->publisher);
    if (!publisher_ok(h->publisher, p) || h->kind < PROTO_EVENTS || h->kind > PROTO_REPLAY_NACK ||
        h->count > PROTO_EVENTS_MAX)
        return CCHC_EINVAL;
    if (cap < PROTO_HEADER_FIXED + p)
        return CCHC_ETOOBIG;
    memcpy(out, PROTO_MAGIC, 4);
    out[4] = PROTO_VERSION;
    out[5] = h->kind;
    out[6] = 0;
    out[7] = (uint8_t)p;
    put64(out + 8, h->epoch);
    put64(out + 16, h->seq);
    put32(out + 24, h->count);
    put16(out + 28, 0);
    put16(out + 30, 0);
    memcpy(out + PROTO_HEADER_FIXED, h->publisher, p);
    *len = PROTO_HEADER_FIXED + p;
    return CCHC_OK;
}

#define BAD(...)                                                                                   \
    do {                                                                                           \
        snprintf(why, why_cap, __VA_ARGS__);                                                       \
        return CCHC_EPROTO;                                                                        \
    } while (0)

int proto_header_decode(const uint8_t *buf, size_t len, struct proto_header *h, char *why,
                        size_t why_cap)
{
    if (len < PROTO_HEADER_FIXED)
        BAD("frame truncated: header needs %d bytes, have %zu", PROTO_HEADER_FIXED, len);
    if (len > PROTO_FRAME_MAX)
        BAD("frame of %zu bytes is over the %u limit", len, PROTO_FRAME_MAX);
    if (memcmp(buf, PROTO_MAGIC, 4) != 0)
        BAD("bad magic");
    if (buf[4] != PROTO_VERSION)
        BAD("version %u not supported (want %d)", buf[4], PROTO_VERSION);
    memset(h, 0, sizeof *h);
    h->version = buf[4];
    h->kind = buf[5];
    h->flags = buf[6];
    if (h->kind < PROTO_EVENTS || h->kind > PROTO_REPLAY_NACK)
        BAD("unknown frame kind %u", h->kind);
    if (h->flags != 0)
        BAD("flags 0x%02x set: version 1 defines none", h->flags);
    size_t p = buf[7];
    h->epoch = get64(buf + 8);
    h->seq = get64(buf + 16);
    h->count = get32(buf + 24);
    h->mac_len = get16(buf + 28);
    if (get16(buf + 30) != 0)
        BAD("reserved bytes are not zero");
    if (h->mac_len != 0)
        BAD("MAC of %u bytes: version 1 carries none", h->mac_len);
    if (p < 1 || p > PROTO_PUBLISHER_MAX)
        BAD("publisher id length %zu (want 1..%d)", p, PROTO_PUBLISHER_MAX);
    if (len < PROTO_HEADER_FIXED + p)
        BAD("frame truncated: header needs %zu bytes, have %zu", PROTO_HEADER_FIXED + p, len);
    if (!publisher_ok((const char *)buf + PROTO_HEADER_FIXED, p))
        BAD("publisher id has characters outside [A-Za-z0-9._-]");
    memcpy(h->publisher, buf + PROTO_HEADER_FIXED, p);
    h->publisher[p] = 0;
    if (h->count > PROTO_EVENTS_MAX)
        BAD("%u events in one frame (at most %d)", h->count, PROTO_EVENTS_MAX);
    h->body = buf + PROTO_HEADER_FIXED + p;
    h->body_len = len - PROTO_HEADER_FIXED - p;
    if (h->kind != PROTO_EVENTS && h->body_len)
        BAD("a frame of kind %u carries %zu body bytes", h->kind, h->body_len);
    if (h->kind == PROTO_EVENTS && h->count && h->body_len < h->count)
        BAD("%u events cannot fit in %zu bytes", h->count, h->body_len);
    return CCHC_OK;
}
