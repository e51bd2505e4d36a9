/* Events as msgpack maps: a hand-written encoder and a decoder that walks
 * untrusted bytes without allocating (msgpack-c's unpacker allocates a
 * container's declared size before reading it). */
#include "event.h"

#include "err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NEST_MAX 8

/* ---- encoding */

struct out {
    uint8_t **buf;
    size_t *len, *cap;
    int err;
};

static void put(struct out *o, const void *p, size_t n)
{
    if (o->err)
        return;
    if (*o->len + n > *o->cap) {
        size_t cap = *o->cap ? *o->cap : 256;
        while (cap < *o->len + n)
            cap *= 2;
        uint8_t *b = realloc(*o->buf, cap);
        if (!b) {
            o->err = CCHC_ENOMEM;
            return;
        }
        *o->buf = b;
        *o->cap = cap;
    }
    memcpy(*o->buf + *o->len, p, n);
    *o->len += n;
}

static void put_be(struct out *o, uint8_t tag, uint64_t v, int bytes)
{
    uint8_t b[9] = {tag};
    for (int i = 0; i < bytes; i++)
        b[1 + i] = (uint8_t)(v >> (8 * (bytes - 1 - i)));
    put(o, b, (size_t)bytes + 1);
}

static void put_str(struct out *o, const char *s, size_t n)
{
    if (n < 32) {
        uint8_t t = (uint8_t)(0xa0 | n);
        put(o, &t, 1);
    } else if (n < 256) {
        put_be(o, 0xd9, n, 1);
    } else if (n < 65536) {
        put_be(o, 0xda, n, 2);
    } else {
        put_be(o, 0xdb, n, 4);
    }
    put(o, s, n);
}

static void put_int(struct out *o, int64_t v)
{
    if (v >= 0) {
        uint64_t u = (uint64_t)v;
        if (u < 128) {
            uint8_t t = (uint8_t)u;
            put(o, &t, 1);
        } else if (u <= 0xff) {
            put_be(o, 0xcc, u, 1);
        } else if (u <= 0xffff) {
            put_be(o, 0xcd, u, 2);
        } else if (u <= 0xffffffffu) {
            put_be(o, 0xce, u, 4);
        } else {
            put_be(o, 0xcf, u, 8);
        }
    } else if (v >= -32) {
        uint8_t t = (uint8_t)(int8_t)v;
        put(o, &t, 1);
    } else if (v >= INT8_MIN) {
        put_be(o, 0xd0, (uint64_t)v, 1);
    } else if (v >= INT16_MIN) {
        put_be(o, 0xd1, (uint64_t)v, 2);
    } else if (v >= INT32_MIN) {
        put_be(o, 0xd2, (uint64_t)v, 4);
    } else {
        put_be(o, 0xd3, (uint64_t)v, 8);
    }
}

static void kv_str(struct out *o, const char *k, const struct proto_str *s)
{
    if (!s->p)
        return;
    put_str(o, k, strlen(k));
    put_str(o, s->p, s->len);
}

static void kv_int(struct out *o, const char *k, int64_t v)
{
    put_str(o, k, strlen(k));
    put_int(o, v);
}

int proto_event_encode(const struct proto_event *ev, uint8_t **buf, size_t *len, size_t *cap)
{
    if (!ev->type.p || !ev->id.p || !ev->unit.p)
        return CCHC_EINVAL;
    const struct proto_str *opt[] = {&ev->dossier, &ev->procedure, &ev->field,
                                     &ev->cat,     &ev->cat2,      &ev->outcome};
    unsigned n = 4;
    for (size_t i = 0; i < sizeof opt / sizeof *opt; i++)
        n += opt[i]->p != NULL;
    for (unsigned bit = PROTO_HAS_DUE; bit <= PROTO_HAS_B; bit <<= 1)
        n += (ev->has & bit) != 0;
    struct out o = {buf, len, cap, 0};
    uint8_t t = (uint8_t)(0x80 | n); /* at most 15 entries: a fixmap */
    put(&o, &t, 1);
    kv_str(&o, "t", &ev->type);
    kv_str(&o, "id", &ev->id);
    kv_str(&o, "u", &ev->unit);
    kv_int(&o, "at", ev->at_ms);
    kv_str(&o, "d", &ev->dossier);
    kv_str(&o, "p", &ev->procedure);
    kv_str(&o, "f", &ev->field);
    kv_str(&o, "c", &ev->cat);
    kv_str(&o, "c2", &ev->cat2);
    kv_str(&o, "o", &ev->outcome);
    if (ev->has & PROTO_HAS_DUE)
        kv_int(&o, "due", ev->due_ms);
    if (ev->has & PROTO_HAS_RAT)
        kv_int(&o, "rat", ev->rat_ms);
    if (ev->has & PROTO_HAS_N)
        kv_int(&o, "n", ev->n);
    if (ev->has & PROTO_HAS_N2)
        kv_int(&o, "n2", ev->n2);
    if (ev->has & PROTO_HAS_B) {
        put_str(&o, "b", 1);
        uint8_t b = ev->b ? 0xc3 : 0xc2;
        put(&o, &b, 1);
    }
    return o.err;
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
        snprintf((r)->why, (r)->why_cap, __VA_ARGS__);                                             \
        return CCHC_EPROTO;                                                                        \
    } while (0)

static size_t left(const struct in *r)
{
    return r->len - r->off;
}

static int need(struct in *r, size_t n)
{
    if (left(r) < n)
        FAIL(r, "truncated at byte %zu: %zu more bytes declared, %zu left", r->off, n, left(r));
    return CCHC_OK;
}

static uint64_t be(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

/* Reads a length of n bytes after the tag. */
static int length(struct in *r, int n, uint64_t *out)
{
    if (need(r, (size_t)n))
        return CCHC_EPROTO;
    *out = be(r->p + r->off, n);
    r->off += (size_t)n;
    return CCHC_OK;
}

static int skip(struct in *r, int depth);

/* Skips `count` objects (2 * entries for a map), each at least one byte. */
static int skip_n(struct in *r, uint64_t count, int depth)
{
    if (depth > NEST_MAX)
        FAIL(r, "nested deeper than %d", NEST_MAX);
    if (count > left(r))
        FAIL(r, "container declares %llu objects, only %zu bytes left", (unsigned long long)count,
             left(r));
    for (uint64_t i = 0; i < count; i++)
        if (skip(r, depth + 1))
            return CCHC_EPROTO;
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

static int skip(struct in *r, int depth)
{
    if (need(r, 1))
        return CCHC_EPROTO;
    uint8_t t = r->p[r->off++];
    uint64_t n;
    if (t <= 0x7f || t >= 0xe0 || (t >= 0xc0 && t <= 0xc3))
        return CCHC_OK;
    if (t >= 0x80 && t <= 0x8f)
        return skip_n(r, 2ull * (t & 0x0f), depth);
    if (t >= 0x90 && t <= 0x9f)
        return skip_n(r, t & 0x0f, depth);
    if (t >= 0xa0 && t <= 0xbf)
        return skip_bytes(r, t & 0x1f);
    switch (t) {
    case 0xc4:
    case 0xd9:
        return length(r, 1, &n) || skip_bytes(r, n);
    case 0xc5:
    case 0xda:
        return length(r, 2, &n) || skip_bytes(r, n);
    case 0xc6:
    case 0xdb:
        return length(r, 4, &n) || skip_bytes(r, n);
    case 0xc7:
        return length(r, 1, &n) || skip_bytes(r, n + 1);
    case 0xc8:
        return length(r, 2, &n) || skip_bytes(r, n + 1);
    case 0xc9:
        return length(r, 4, &n) || skip_bytes(r, n + 1);
    case 0xca:
        return skip_bytes(r, 4);
    case 0xcb:
        return skip_bytes(r, 8);
    case 0xcc:
    case 0xd0:
        return skip_bytes(r, 1);
    case 0xcd:
    case 0xd1:
        return skip_bytes(r, 2);
    case 0xce:
    case 0xd2:
        return skip_bytes(r, 4);
    case 0xcf:
    case 0xd3:
        return skip_bytes(r, 8);
    case 0xd4:
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
        return length(r, 2, &n) || skip_n(r, n, depth);
    case 0xdd:
        return length(r, 4, &n) || skip_n(r, n, depth);
    case 0xde:
        return length(r, 2, &n) || skip_n(r, 2 * n, depth);
    case 0xdf:
        return length(r, 4, &n) || skip_n(r, 2 * n, depth);
    }
    FAIL(r, "byte 0x%02x at %zu is not msgpack", t, r->off - 1);
}

static int read_str(struct in *r, const char *key, struct proto_str *s)
{
    if (need(r, 1))
        return CCHC_EPROTO;
    uint8_t t = r->p[r->off++];
    uint64_t n;
    if (t >= 0xa0 && t <= 0xbf)
        n = t & 0x1f;
    else if (t == 0xd9 || t == 0xda || t == 0xdb) {
        if (length(r, t == 0xd9 ? 1 : t == 0xda ? 2 : 4, &n))
            return CCHC_EPROTO;
    } else
        FAIL(r, "key \"%s\": want a string", key);
    if (n > PROTO_STR_MAX)
        FAIL(r, "key \"%s\": string of %llu bytes (at most %d)", key, (unsigned long long)n,
             PROTO_STR_MAX);
    if (n > left(r))
        FAIL(r, "key \"%s\": truncated string", key);
    s->p = (const char *)r->p + r->off;
    s->len = (uint32_t)n;
    r->off += (size_t)n;
    return CCHC_OK;
}

static int read_int(struct in *r, const char *key, int64_t *v)
{
    if (need(r, 1))
        return CCHC_EPROTO;
    uint8_t t = r->p[r->off++];
    if (t <= 0x7f) {
        *v = t;
        return CCHC_OK;
    }
    if (t >= 0xe0) {
        *v = (int8_t)t;
        return CCHC_OK;
    }
    int n = t == 0xcc || t == 0xd0   ? 1
            : t == 0xcd || t == 0xd1 ? 2
            : t == 0xce || t == 0xd2 ? 4
            : t == 0xcf || t == 0xd3 ? 8
                                     : 0;
    if (!n)
        FAIL(r, "key \"%s\": want an integer", key);
    uint64_t u;
    if (length(r, n, &u))
        return CCHC_EPROTO;
    if (t >= 0xcc && t <= 0xcf) {
        if (u > INT64_MAX)
            FAIL(r, "key \"%s\": integer over int64", key);
        *v = (int64_t)u;
    } else {
        /* Sign-extend from n bytes. */
        int shift = 64 - 8 * n;
        *v = (int64_t)(u << shift) >> shift;
    }
    return CCHC_OK;
}

static int read_key(struct in *r, char *key, size_t cap)
{
    struct proto_str s;
    if (read_str(r, "(map key)", &s))
        return CCHC_EPROTO;
    snprintf(key, cap, "%.*s", (int)(s.len < cap - 1 ? s.len : cap - 1), s.p);
    if (s.len >= cap)
        key[0] = '?'; /* long keys are never known ones */
    return CCHC_OK;
}

int proto_event_decode(const uint8_t *buf, size_t len, size_t *off, struct proto_event *ev,
                       char *why, size_t why_cap)
{
    struct in r = {buf, len, *off, why, why_cap};
    memset(ev, 0, sizeof *ev);
    if (r.off >= len)
        FAIL(&r, "no event: the body ends at byte %zu", r.off);
    uint8_t t = buf[r.off++];
    uint64_t n;
    if (t >= 0x80 && t <= 0x8f)
        n = t & 0x0f;
    else if (t == 0xde || t == 0xdf) {
        if (length(&r, t == 0xde ? 2 : 4, &n))
            return CCHC_EPROTO;
    } else
        FAIL(&r, "an event must be a map, found byte 0x%02x", t);
    if (n > PROTO_EVENT_KEYS_MAX)
        FAIL(&r, "event map of %llu keys (at most %d)", (unsigned long long)n,
             PROTO_EVENT_KEYS_MAX);
    unsigned seen = 0;
    int have_at = 0;
    for (uint64_t i = 0; i < n; i++) {
        char key[8];
        if (read_key(&r, key, sizeof key))
            return CCHC_EPROTO;
        static const char *const keys[] = {"t",  "id", "u",   "at",  "d", "p",  "f", "c",
                                           "c2", "o",  "due", "rat", "n", "n2", "b", NULL};
        int k = 0;
        while (keys[k] && strcmp(keys[k], key) != 0)
            k++;
        if (!keys[k]) {
            if (skip(&r, 1))
                return CCHC_EPROTO;
            continue;
        }
        if (seen & (1u << k))
            FAIL(&r, "key \"%s\" twice", key);
        seen |= 1u << k;
        struct proto_str *strs[] = {&ev->type,      &ev->id,    &ev->unit, NULL,      &ev->dossier,
                                    &ev->procedure, &ev->field, &ev->cat,  &ev->cat2, &ev->outcome};
        int rc;
        if (k <= 9 && k != 3) {
            rc = read_str(&r, key, strs[k]);
        } else if (k == 3) {
            rc = read_int(&r, key, &ev->at_ms);
            have_at = 1;
        } else if (k == 10) {
            rc = read_int(&r, key, &ev->due_ms), ev->has |= PROTO_HAS_DUE;
        } else if (k == 11) {
            rc = read_int(&r, key, &ev->rat_ms), ev->has |= PROTO_HAS_RAT;
        } else if (k == 12) {
            rc = read_int(&r, key, &ev->n), ev->has |= PROTO_HAS_N;
        } else if (k == 13) {
            rc = read_int(&r, key, &ev->n2), ev->has |= PROTO_HAS_N2;
        } else {
            if (need(&r, 1))
                return CCHC_EPROTO;
            uint8_t b = buf[r.off++];
            if (b != 0xc2 && b != 0xc3)
                FAIL(&r, "key \"b\": want true or false");
            ev->b = b == 0xc3;
            ev->has |= PROTO_HAS_B;
            rc = CCHC_OK;
        }
        if (rc)
            return rc;
    }
    if (!ev->type.p || !ev->id.p || !ev->unit.p || !have_at)
        FAIL(&r, "event lacks a required key (t, id, u, at)");
    if (!ev->type.len || !ev->id.len || !ev->unit.len)
        FAIL(&r, "event has an empty t, id or u");
    *off = r.off;
    return CCHC_OK;
}

/* ---- JSON, for people and other languages */

struct jout {
    char *buf;
    size_t cap, len;
    int err;
};

static void jput(struct jout *j, const char *s, size_t n)
{
    if (j->len + n >= j->cap) {
        j->err = CCHC_ETOOBIG;
        return;
    }
    memcpy(j->buf + j->len, s, n);
    j->len += n;
    j->buf[j->len] = 0;
}

/* Length of the valid UTF-8 sequence at s[0..n), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    size_t k = s[0] < 0x80         ? 1
               : (s[0] >> 5) == 6  ? 2
               : (s[0] >> 4) == 14 ? 3
               : (s[0] >> 3) == 30 ? 4
                                   : 0;
    if (!k || k > n || (k > 1 && s[0] < 0xc2) || (k == 4 && s[0] > 0xf4))
        return 0;
    for (size_t i = 1; i < k; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    return k;
}

static void jstr(struct jout *j, const struct proto_str *s)
{
    jput(j, "\"", 1);
    const unsigned char *p = (const unsigned char *)s->p;
    for (size_t i = 0; i < s->len;) {
        char esc[8];
        unsigned char c = p[i];
        if (c == '"' || c == '\\') {
            esc[0] = '\\', esc[1] = (char)c;
            jput(j, esc, 2);
            i++;
        } else if (c < 0x20) {
            jput(j, esc, (size_t)snprintf(esc, sizeof esc, "\\u%04x", c));
            i++;
        } else {
            size_t k = utf8_len(p + i, s->len - i);
            if (k)
                jput(j, (const char *)p + i, k), i += k;
            else
                jput(j, "\\ufffd", 6), i++;
        }
    }
    jput(j, "\"", 1);
}

/* RFC 3339 in UTC+7, the reporting zone (as common/period.c prints it). */
static void jtime(struct jout *j, int64_t ms)
{
    int64_t s = ms / 1000 - (ms % 1000 < 0) + 7 * 3600;
    int64_t z = s / 86400 - (s % 86400 < 0), secs = s - z * 86400;
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097, doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = yoe + era * 400 + (m <= 2);
    char b[64];
    int n = snprintf(b, sizeof b, "\"%04lld-%02lld-%02lldT%02lld:%02lld:%02lld+07:00\"",
                     (long long)y, (long long)m, (long long)d, (long long)(secs / 3600),
                     (long long)(secs / 60 % 60), (long long)(secs % 60));
    jput(j, b, (size_t)n);
}

int proto_event_to_json(const struct proto_event *ev, char *buf, size_t cap, size_t *len)
{
    struct jout j = {buf, cap, 0, 0};
    if (cap)
        buf[0] = 0;
    const struct {
        const char *name;
        const struct proto_str *s;
    } strs[] = {{"type", &ev->type},           {"id", &ev->id},
                {"unit", &ev->unit},           {"dossier", &ev->dossier},
                {"procedure", &ev->procedure}, {"field", &ev->field},
                {"category", &ev->cat},        {"category2", &ev->cat2},
                {"outcome", &ev->outcome}};
    jput(&j, "{", 1);
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++) {
        if (!strs[i].s->p)
            continue;
        char k[32];
        jput(&j, k, (size_t)snprintf(k, sizeof k, "%s\"%s\":", j.len > 1 ? "," : "", strs[i].name));
        jstr(&j, strs[i].s);
        if (i == 2) {
            jput(&j, ",\"at\":", 6);
            jtime(&j, ev->at_ms);
        }
    }
    char b[64];
    if (ev->has & PROTO_HAS_DUE)
        jput(&j, ",\"due\":", 7), jtime(&j, ev->due_ms);
    if (ev->has & PROTO_HAS_RAT)
        jput(&j, ",\"received_at\":", 15), jtime(&j, ev->rat_ms);
    if (ev->has & PROTO_HAS_N)
        jput(&j, b, (size_t)snprintf(b, sizeof b, ",\"n\":%lld", (long long)ev->n));
    if (ev->has & PROTO_HAS_N2)
        jput(&j, b, (size_t)snprintf(b, sizeof b, ",\"n2\":%lld", (long long)ev->n2));
    if (ev->has & PROTO_HAS_B)
        jput(&j, ev->b ? ",\"flag\":true" : ",\"flag\":false", ev->b ? 12 : 13);
    jput(&j, "}", 1);
    *len = j.len;
    return j.err;
}
