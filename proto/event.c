/* Events as msgpack maps: a hand-written encoder and a decoder that walks
 * untrusted bytes without allocating (msgpack-c's unpacker allocates a
 * container's declared size before reading it, so a 5-byte frame could ask
 * for gigabytes). */
#include "proto/event.h"

#include "base/err.h"

#include <glib.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How deep an unknown key's value may nest. Bounds the skipper's recursion;
 * the count checks against bytes left bound its work. */
#define NEST_MAX 8

/* The known keys, in the order the encoder writes them. */
enum key {
    K_T,
    K_ID,
    K_U,
    K_AT,
    K_D,
    K_P,
    K_F,
    K_C,
    K_C2,
    K_O,
    K_DUE,
    K_RAT,
    K_N,
    K_N2,
    K_B,
    K_K,
    K_M,
    K_V,
    K_SRC,
    K_DG,
    K_COUNT,
    K_UNKNOWN = K_COUNT
};

enum key_type { T_STR, T_INT, T_BOOL, T_MAP };

#define F(field) offsetof(struct proto_event, field)

/* Each key's name, type, presence bit (0: a string, present when its p is
 * set, or "at", always) and place in struct proto_event. */
static const struct {
    const char *name;
    uint8_t len, type;
    unsigned has;
    size_t off;
} keys[K_COUNT] = {
    [K_T] = {"t", 1, T_STR, 0, F(type)},
    [K_ID] = {"id", 2, T_STR, 0, F(id)},
    [K_U] = {"u", 1, T_STR, 0, F(unit)},
    [K_AT] = {"at", 2, T_INT, 0, F(at_ms)},
    [K_D] = {"d", 1, T_STR, 0, F(dossier)},
    [K_P] = {"p", 1, T_STR, 0, F(procedure)},
    [K_F] = {"f", 1, T_STR, 0, F(field)},
    [K_C] = {"c", 1, T_STR, 0, F(cat)},
    [K_C2] = {"c2", 2, T_STR, 0, F(cat2)},
    [K_O] = {"o", 1, T_STR, 0, F(outcome)},
    [K_DUE] = {"due", 3, T_INT, PROTO_HAS_DUE, F(due_ms)},
    [K_RAT] = {"rat", 3, T_INT, PROTO_HAS_RAT, F(rat_ms)},
    [K_N] = {"n", 1, T_INT, PROTO_HAS_N, F(n)},
    [K_N2] = {"n2", 2, T_INT, PROTO_HAS_N2, F(n2)},
    [K_B] = {"b", 1, T_BOOL, PROTO_HAS_B, F(b)},
    [K_K] = {"k", 1, T_STR, 0, F(key)},
    [K_M] = {"m", 1, T_MAP, 0, F(m)},
    [K_V] = {"v", 1, T_MAP, 0, F(v)},
    [K_SRC] = {"src", 3, T_STR, 0, F(src)},
    [K_DG] = {"dg", 2, T_STR, 0, F(digest)},
};

/* A metric map's entry count lives beside the map in struct proto_event. */
static uint32_t *map_count(struct proto_event *ev, enum key k)
{
    return k == K_M ? &ev->nm : &ev->nv;
}

static uint32_t map_count_const(const struct proto_event *ev, enum key k)
{
    return k == K_M ? ev->nm : ev->nv;
}

#define AT(ev, k, type) ((type *)((char *)(ev) + keys[k].off))
#define AT_CONST(ev, k, type) ((const type *)((const char *)(ev) + keys[k].off))

/* ---- encoding: one reservation of the worst case, then writes without checks */

static uint8_t *w_be(uint8_t *w, uint8_t tag, uint64_t v, int bytes)
{
    *w++ = tag;
    for (int i = bytes - 1; i >= 0; i--)
        *w++ = (uint8_t)(v >> (8 * i));
    return w;
}

static uint8_t *w_str(uint8_t *w, const char *s, size_t n)
{
    if (n < 32)
        *w++ = (uint8_t)(0xa0 | n);
    else if (n < 256)
        w = w_be(w, 0xd9, n, 1);
    else
        w = w_be(w, 0xda, n, 2); /* PROTO_STR_MAX keeps strings under 64 KiB */
    memcpy(w, s, n);
    return w + n;
}

/* The smallest encoding, as msgpack-c's packer chooses it: non-negative
 * values as positive fixint or uint 8/16/32/64, negative ones as negative
 * fixint or int 8/16/32/64. */
static uint8_t *w_int(uint8_t *w, int64_t v)
{
    if (v >= 0) {
        uint64_t u = (uint64_t)v;
        if (u < 128) {
            *w++ = (uint8_t)u;
            return w;
        }
        if (u <= UINT8_MAX)
            return w_be(w, 0xcc, u, 1);
        if (u <= UINT16_MAX)
            return w_be(w, 0xcd, u, 2);
        if (u <= UINT32_MAX)
            return w_be(w, 0xce, u, 4);
        return w_be(w, 0xcf, u, 8);
    }
    if (v >= -32) {
        *w++ = (uint8_t)(v & 0xff);
        return w;
    }
    if (v >= INT8_MIN)
        return w_be(w, 0xd0, (uint64_t)v, 1);
    if (v >= INT16_MIN)
        return w_be(w, 0xd1, (uint64_t)v, 2);
    if (v >= INT32_MIN)
        return w_be(w, 0xd2, (uint64_t)v, 4);
    return w_be(w, 0xd3, (uint64_t)v, 8);
}

static uint8_t *w_key(uint8_t *w, enum key k)
{
    *w++ = (uint8_t)(0xa0 | keys[k].len);
    for (int i = 0; i < keys[k].len; i++)
        *w++ = (uint8_t)keys[k].name[i];
    return w;
}

/* Whether the encoder writes key k of ev. */
static int present(const struct proto_event *ev, enum key k)
{
    if (keys[k].type == T_STR)
        return AT_CONST(ev, k, struct proto_str)->p != NULL;
    if (keys[k].type == T_MAP)
        return map_count_const(ev, k) > 0;
    return k == K_AT || (ev->has & keys[k].has);
}

int proto_event_encode(const struct proto_event *ev, uint8_t **buf, size_t *len, size_t *cap)
{
    /* Refuse what the decoder would refuse, before writing a byte: a
     * publisher must not journal an event no subscriber can read. */
    if (!ev->type.p || !ev->id.p || !ev->unit.p || !ev->type.len || !ev->id.len || !ev->unit.len)
        return CCHC_EINVAL;
    /* Worst case: a map16 header, every key (at most 4 bytes), strings with
     * a 3-byte header, 9-byte integers, metric maps of names and integers. */
    size_t need = 3 + K_COUNT * (4 + 9);
    unsigned n = 0;
    for (enum key k = K_T; k < K_COUNT; k++) {
        if (!present(ev, k))
            continue;
        n++;
        if (keys[k].type == T_STR) {
            uint32_t l = AT_CONST(ev, k, struct proto_str)->len;
            if (l > PROTO_STR_MAX)
                return CCHC_ETOOBIG;
            need += l;
        } else if (keys[k].type == T_MAP) {
            uint32_t c = map_count_const(ev, k);
            const struct proto_metric *m = AT_CONST(ev, k, struct proto_metric);
            if (c > PROTO_METRICS_MAX)
                return CCHC_ETOOBIG;
            for (uint32_t i = 0; i < c; i++) {
                if (!m[i].name.p || !m[i].name.len)
                    return CCHC_EINVAL;
                if (m[i].name.len > PROTO_METRIC_NAME_MAX)
                    return CCHC_ETOOBIG;
                need += 2 + m[i].name.len + 9;
            }
        }
    }
    if (*cap - *len < need) {
        size_t c = *cap ? *cap : 256;
        while (c - *len < need)
            c *= 2;
        *buf = g_realloc(*buf, c);
        *cap = c;
    }
    uint8_t *w = *buf + *len;
    w = n <= 15 ? (*w = (uint8_t)(0x80 | n), w + 1) : w_be(w, 0xde, n, 2);
    for (enum key k = K_T; k < K_COUNT; k++) {
        if (!present(ev, k))
            continue;
        w = w_key(w, k);
        if (keys[k].type == T_STR) {
            const struct proto_str *s = AT_CONST(ev, k, struct proto_str);
            w = w_str(w, s->p, s->len);
        } else if (keys[k].type == T_INT) {
            w = w_int(w, *AT_CONST(ev, k, int64_t));
        } else if (keys[k].type == T_MAP) {
            uint32_t c = map_count_const(ev, k);
            const struct proto_metric *m = AT_CONST(ev, k, struct proto_metric);
            /* A fixmap holds 0..15: PROTO_METRICS_MAX needs a map16. */
            w = c <= 15 ? (*w = (uint8_t)(0x80 | c), w + 1) : w_be(w, 0xde, c, 2);
            for (uint32_t i = 0; i < c; i++) {
                w = w_str(w, m[i].name.p, m[i].name.len);
                w = w_int(w, m[i].value);
            }
        } else {
            *w++ = *AT_CONST(ev, k, bool) ? 0xc3 : 0xc2;
        }
    }
    *len = (size_t)(w - *buf);
    return CCHC_OK;
}

/* ---- decoding */

struct in {
    const uint8_t *p;
    size_t len, off;
    char *why;
    size_t why_cap;
};

#define FAIL(r, ...)                                                                               \
    do {                                                                                           \
        if ((r)->why_cap)                                                                          \
            snprintf((r)->why, (r)->why_cap, __VA_ARGS__);                                         \
        return CCHC_EPROTO;                                                                        \
    } while (0)

static size_t left(const struct in *r)
{
    return r->len - r->off;
}

static int tag(struct in *r, uint8_t *t)
{
    if (r->off >= r->len)
        FAIL(r, "truncated at byte %zu: a msgpack value needs 1 more byte", r->off);
    *t = r->p[r->off++];
    return CCHC_OK;
}

/* Reads an n-byte big-endian number (a length or an integer) after a tag. */
static int be(struct in *r, int n, uint64_t *out)
{
    if (left(r) < (size_t)n)
        FAIL(r, "truncated at byte %zu: %d more bytes needed, %zu left", r->off, n, left(r));
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v = v << 8 | r->p[r->off + (size_t)i];
    r->off += (size_t)n;
    *out = v;
    return CCHC_OK;
}

static int skip_bytes(struct in *r, uint64_t n)
{
    if (n > left(r))
        FAIL(r, "truncated at byte %zu: %llu bytes declared, %zu left", r->off,
             (unsigned long long)n, left(r));
    r->off += (size_t)n;
    return CCHC_OK;
}

static int skip(struct in *r, int depth);

/* Skips `count` objects of a container at nesting level `depth`. Every
 * object takes at least one byte, so a count over the bytes left is a lie
 * we can refuse before looping over it. */
static int skip_n(struct in *r, uint64_t count, int depth)
{
    if (depth > NEST_MAX)
        FAIL(r, "byte %zu: containers nested deeper than %d in an unknown key's value", r->off,
             NEST_MAX);
    if (count > left(r))
        FAIL(r, "byte %zu: container declares %llu objects, only %zu bytes left", r->off,
             (unsigned long long)count, left(r));
    for (uint64_t i = 0; i < count; i++)
        if (skip(r, depth + 1))
            return CCHC_EPROTO;
    return CCHC_OK;
}

/* Skips one msgpack object of any type; `depth` is its nesting level. */
static int skip(struct in *r, int depth)
{
    uint8_t t;
    uint64_t n;
    if (tag(r, &t))
        return CCHC_EPROTO;
    if (t <= 0x7f || t >= 0xe0 || t == 0xc0 || t == 0xc2 || t == 0xc3)
        return CCHC_OK;
    if (t >= 0x80 && t <= 0x8f)
        return skip_n(r, 2u * (t & 0x0fu), depth);
    if (t >= 0x90 && t <= 0x9f)
        return skip_n(r, t & 0x0fu, depth);
    if (t >= 0xa0 && t <= 0xbf)
        return skip_bytes(r, t & 0x1fu);
    /* Byte widths of the lengths and fixed payloads from 0xc4 to 0xdf. */
    switch (t) {
    case 0xc4: /* bin 8 */
    case 0xd9: /* str 8 */
        return be(r, 1, &n) ? CCHC_EPROTO : skip_bytes(r, n);
    case 0xc5:
    case 0xda:
        return be(r, 2, &n) ? CCHC_EPROTO : skip_bytes(r, n);
    case 0xc6:
    case 0xdb:
        return be(r, 4, &n) ? CCHC_EPROTO : skip_bytes(r, n);
    case 0xc7: /* ext 8/16/32: length, then a type byte, then the data */
        return be(r, 1, &n) ? CCHC_EPROTO : skip_bytes(r, n + 1);
    case 0xc8:
        return be(r, 2, &n) ? CCHC_EPROTO : skip_bytes(r, n + 1);
    case 0xc9:
        return be(r, 4, &n) ? CCHC_EPROTO : skip_bytes(r, n + 1);
    case 0xcc:
    case 0xd0:
        return skip_bytes(r, 1);
    case 0xcd:
    case 0xd1:
        return skip_bytes(r, 2);
    case 0xca:
    case 0xce:
    case 0xd2:
        return skip_bytes(r, 4);
    case 0xcb:
    case 0xcf:
    case 0xd3:
        return skip_bytes(r, 8);
    case 0xd4: /* fixext 1/2/4/8/16: a type byte, then the data */
        return skip_bytes(r, 2);
    case 0xd5:
        return skip_bytes(r, 3);
    case 0xd6:
        return skip_bytes(r, 5);
    case 0xd7:
        return skip_bytes(r, 9);
    case 0xd8:
        return skip_bytes(r, 17);
    case 0xdc:
        return be(r, 2, &n) ? CCHC_EPROTO : skip_n(r, n, depth);
    case 0xdd:
        return be(r, 4, &n) ? CCHC_EPROTO : skip_n(r, n, depth);
    case 0xde:
        return be(r, 2, &n) ? CCHC_EPROTO : skip_n(r, 2 * n, depth);
    case 0xdf:
        return be(r, 4, &n) ? CCHC_EPROTO : skip_n(r, 2 * n, depth);
    }
    FAIL(r, "byte %zu: 0x%02x is not a msgpack type", r->off - 1, t); /* 0xc1 */
}

/* Three %s for a reason: `key "t"`, or `map key` when key is NULL. */
#define KEY_NAME(key) (key) ? "key \"" : "map key", (key) ? (key) : "", (key) ? "\"" : ""

/* `key` names the known key whose value this is, NULL for a map key. */
static int read_str(struct in *r, const char *key, struct proto_str *s)
{
    size_t at = r->off;
    uint8_t t;
    uint64_t n;
    if (tag(r, &t))
        return CCHC_EPROTO;
    if (t >= 0xa0 && t <= 0xbf)
        n = t & 0x1fu;
    else if (t == 0xd9 || t == 0xda || t == 0xdb) {
        if (be(r, t == 0xd9 ? 1 : t == 0xda ? 2 : 4, &n))
            return CCHC_EPROTO;
    } else
        FAIL(r, "%s%s%s at byte %zu: want a string, found type byte 0x%02x", KEY_NAME(key), at, t);
    if (n > PROTO_STR_MAX)
        FAIL(r, "%s%s%s at byte %zu: string of %llu bytes, at most %d", KEY_NAME(key), at,
             (unsigned long long)n, PROTO_STR_MAX);
    if (n > left(r))
        FAIL(r, "%s%s%s at byte %zu: truncated string: %llu bytes declared, %zu left",
             KEY_NAME(key), at, (unsigned long long)n, left(r));
    s->p = (const char *)r->p + r->off;
    s->len = (uint32_t)n;
    r->off += (size_t)n;
    return CCHC_OK;
}

static int read_int(struct in *r, const char *what, int64_t *v)
{
    size_t at = r->off;
    uint8_t t;
    uint64_t u;
    if (tag(r, &t))
        return CCHC_EPROTO;
    if (t <= 0x7f) {
        *v = t;
        return CCHC_OK;
    }
    if (t >= 0xe0) {
        *v = (int64_t)t - 256;
        return CCHC_OK;
    }
    int n = t == 0xcc || t == 0xd0   ? 1
            : t == 0xcd || t == 0xd1 ? 2
            : t == 0xce || t == 0xd2 ? 4
            : t == 0xcf || t == 0xd3 ? 8
                                     : 0;
    if (!n)
        FAIL(r, "key \"%s\" at byte %zu: want an integer, found type byte 0x%02x", what, at, t);
    if (be(r, n, &u))
        return CCHC_EPROTO;
    if (t <= 0xcf) {
        if (u > INT64_MAX)
            FAIL(r, "key \"%s\" at byte %zu: %llu does not fit int64", what, at,
                 (unsigned long long)u);
        *v = (int64_t)u;
    } else {
        /* Sign-extend the n-byte two's complement value in unsigned
         * arithmetic, then convert without implementation-defined casts. */
        if (n < 8 && (u >> (8 * n - 1)) & 1)
            u |= ~0ull << (8 * n);
        *v = u <= INT64_MAX ? (int64_t)u : -(int64_t)~u - 1;
    }
    return CCHC_OK;
}

static int read_bool(struct in *r, const char *what, bool *b)
{
    size_t at = r->off;
    uint8_t t;
    if (tag(r, &t))
        return CCHC_EPROTO;
    if (t != 0xc2 && t != 0xc3)
        FAIL(r, "key \"%s\" at byte %zu: want true or false, found type byte 0x%02x", what, at, t);
    *b = t == 0xc3;
    return CCHC_OK;
}

/* A map of metric name -> integer, bounded before anything is read. */
static int read_metrics(struct in *r, const char *what, struct proto_metric *m, uint32_t *count)
{
    size_t at = r->off;
    uint8_t t;
    uint64_t n;
    if (tag(r, &t))
        return CCHC_EPROTO;
    if (t >= 0x80 && t <= 0x8f)
        n = t & 0x0fu;
    else if (t == 0xde || t == 0xdf) {
        if (be(r, t == 0xde ? 2 : 4, &n))
            return CCHC_EPROTO;
    } else
        FAIL(r, "key \"%s\" at byte %zu: want a map, found type byte 0x%02x", what, at, t);
    if (n > PROTO_METRICS_MAX)
        FAIL(r, "key \"%s\" at byte %zu: %llu metrics, at most %d", what, at, (unsigned long long)n,
             PROTO_METRICS_MAX);
    for (uint32_t i = 0; i < n; i++) {
        size_t nat = r->off;
        if (read_str(r, what, &m[i].name) || read_int(r, what, &m[i].value))
            return CCHC_EPROTO;
        if (m[i].name.len == 0 || m[i].name.len > PROTO_METRIC_NAME_MAX)
            FAIL(r, "key \"%s\" at byte %zu: metric name of %u bytes (1..%d)", what, nat,
                 m[i].name.len, PROTO_METRIC_NAME_MAX);
    }
    *count = (uint32_t)n;
    return CCHC_OK;
}

/* By length and bytes, so a key with a NUL in it ("t\0x") is not "t". A
 * switch, not a loop over the names: this runs for every key of every event. */
static enum key key_of(const struct proto_str *s)
{
    const char *p = s->p;
    switch (s->len) {
    case 1:
        switch (p[0]) {
        case 't':
            return K_T;
        case 'u':
            return K_U;
        case 'd':
            return K_D;
        case 'p':
            return K_P;
        case 'f':
            return K_F;
        case 'c':
            return K_C;
        case 'o':
            return K_O;
        case 'n':
            return K_N;
        case 'b':
            return K_B;
        case 'k':
            return K_K;
        case 'm':
            return K_M;
        case 'v':
            return K_V;
        }
        return K_UNKNOWN;
    case 2:
        if (p[0] == 'i' && p[1] == 'd')
            return K_ID;
        if (p[0] == 'a' && p[1] == 't')
            return K_AT;
        if (p[0] == 'c' && p[1] == '2')
            return K_C2;
        if (p[0] == 'n' && p[1] == '2')
            return K_N2;
        if (p[0] == 'd' && p[1] == 'g')
            return K_DG;
        return K_UNKNOWN;
    case 3:
        if (memcmp(p, "due", 3) == 0)
            return K_DUE;
        if (memcmp(p, "rat", 3) == 0)
            return K_RAT;
        if (memcmp(p, "src", 3) == 0)
            return K_SRC;
        return K_UNKNOWN;
    }
    return K_UNKNOWN;
}

int proto_event_decode(const uint8_t *buf, size_t len, size_t *off, struct proto_event *ev,
                       char *why, size_t why_cap)
{
    struct in r = {buf, len, *off, why, why_cap};
    memset(ev, 0, sizeof *ev);
    if (r.off >= len)
        FAIL(&r, "no event: the body ends at byte %zu", len);
    size_t at = r.off;
    uint8_t t;
    uint64_t n;
    if (tag(&r, &t))
        return CCHC_EPROTO;
    if (t >= 0x80 && t <= 0x8f)
        n = t & 0x0fu;
    else if (t == 0xde || t == 0xdf) {
        if (be(&r, t == 0xde ? 2 : 4, &n))
            return CCHC_EPROTO;
    } else
        FAIL(&r, "event at byte %zu: want a map, found type byte 0x%02x", at, t);
    if (n > PROTO_EVENT_KEYS_MAX)
        FAIL(&r, "event at byte %zu: map of %llu keys, at most %d", at, (unsigned long long)n,
             PROTO_EVENT_KEYS_MAX);
    unsigned seen = 0;
    for (uint64_t i = 0; i < n; i++) {
        struct proto_str ks;
        if (read_str(&r, NULL, &ks))
            return CCHC_EPROTO;
        enum key k = key_of(&ks);
        if (k == K_UNKNOWN) {
            if (skip(&r, 1))
                return CCHC_EPROTO;
            continue;
        }
        const char *name = keys[k].name;
        if (seen & (1u << k))
            FAIL(&r, "event at byte %zu: key \"%s\" appears twice", at, name);
        seen |= 1u << k;
        ev->has |= keys[k].has;
        int rc;
        if (keys[k].type == T_STR)
            rc = read_str(&r, name, AT(ev, k, struct proto_str));
        else if (keys[k].type == T_INT)
            rc = read_int(&r, name, AT(ev, k, int64_t));
        else if (keys[k].type == T_MAP)
            rc = read_metrics(&r, name, AT(ev, k, struct proto_metric), map_count(ev, k));
        else
            rc = read_bool(&r, name, AT(ev, k, bool));
        if (rc)
            return rc;
    }
    static const enum key required[] = {K_T, K_ID, K_U, K_AT};
    for (size_t i = 0; i < sizeof required / sizeof *required; i++)
        if (!(seen & (1u << required[i])))
            FAIL(&r, "event at byte %zu: required key \"%s\" missing", at, keys[required[i]].name);
    const enum key nonempty[] = {K_T, K_ID, K_U};
    for (size_t i = 0; i < sizeof nonempty / sizeof *nonempty; i++)
        if (!AT(ev, nonempty[i], struct proto_str)->len)
            FAIL(&r, "event at byte %zu: key \"%s\" is empty", at, keys[nonempty[i]].name);
    *off = r.off;
    return CCHC_OK;
}
