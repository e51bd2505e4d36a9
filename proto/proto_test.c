/* The wire format on byte arrays: round trips of every field and kind,
 * must_parse / must_not_parse tables, every truncation, random mutations,
 * and the published test vectors in proto/vectors/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sodium.h>

#include "base/err.h"
#include "base/period.h"
#include "proto/event.h"
#include "proto/frame.h"

#include <glib.h>
#include <dirent.h>
#include <jansson.h>
#include <msgpack.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- helpers */

struct buf {
    uint8_t *p;
    size_t len, cap;
};

static void buf_add(struct buf *b, const void *p, size_t n)
{
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2 + 64;
        b->p = g_realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    memcpy(b->p + b->len, p, n);
    b->len += n;
}

static struct proto_str S(const char *s) {
    return (struct proto_str){s, (uint32_t)strlen(s)};
}

static int
str_is(struct proto_str s, const char *lit)
{
    return s.p && s.len == strlen(lit) && memcmp(s.p, lit, s.len) == 0;
}

static struct proto_event ev_min(void)
{
    return (struct proto_event){.type = S("dossier.received"),
                                .id = S("r-1"),
                                .unit = S("kg.rachgia.p-vinh-loi"),
                                .at_ms = 1646098200000};
}

static struct proto_event ev_full(void)
{
    struct proto_event ev = ev_min();
    ev.dossier = S("H33.22-220301-0001");
    ev.procedure = S("1.004227");
    ev.field = S("ho-tich");
    ev.cat = S("online");
    ev.cat2 = S("postal");
    ev.outcome = S("early");
    ev.due_ms = 1646388000000;
    ev.rat_ms = 1646098200000;
    ev.n = -1234567890123;
    ev.n2 = 77;
    ev.b = true;
    ev.has = PROTO_HAS_DUE | PROTO_HAS_RAT | PROTO_HAS_N | PROTO_HAS_N2 | PROTO_HAS_B;
    ev.src = S("igate-kg");
    ev.digest = S("0123456789abcdef0123456789abcdef");
    return ev;
}

static void frame_head(struct buf *b, uint8_t kind, const char *pub, uint64_t epoch, uint64_t seq,
                       uint32_t count)
{
    struct proto_header h = {.kind = kind, .epoch = epoch, .seq = seq, .count = count};
    snprintf(h.publisher, sizeof h.publisher, "%s", pub);
    uint8_t out[PROTO_HEADER_MAX];
    size_t n;
    assert_int_equal(proto_header_encode(&h, out, sizeof out, &n), CCHC_OK);
    buf_add(b, out, n);
}

static void add_event(struct buf *b, const struct proto_event *ev)
{
    assert_int_equal(proto_event_encode(ev, &b->p, &b->len, &b->cap), CCHC_OK);
}

/* A whole frame as a subscriber must check it: the header, then exactly
 * `count` events and not a byte more. */
static int check_frame(const uint8_t *p, size_t len, struct proto_header *h, char *why, size_t cap)
{
    int rc = proto_header_decode(p, len, h, why, cap);
    if (rc)
        return rc;
    size_t off = 0;
    for (uint32_t i = 0; h->kind == PROTO_EVENTS && i < h->count; i++) {
        struct proto_event ev;
        rc = proto_event_decode(h->body, h->body_len, &off, &ev, why, cap);
        if (rc)
            return rc;
    }
    if (h->kind == PROTO_EVENTS && off != h->body_len) {
        snprintf(why, cap, "%zu bytes after the last event", h->body_len - off);
        return CCHC_EPROTO;
    }
    return CCHC_OK;
}

/* Copies into a buffer of exactly n bytes so that AddressSanitizer sees any
 * read past the end. */
static uint8_t *exact(const void *p, size_t n)
{
    uint8_t *c = malloc(n ? n : 1);
    assert_non_null(c);
    if (n)
        memcpy(c, p, n);
    return c;
}

static void assert_why(const char *why, const char *want)
{
    if (!strstr(why, want))
        fail_msg("reason \"%s\" does not say \"%s\"", why, want);
}

static uint64_t rng_state;

static uint64_t rnd(void) /* splitmix64: fixed seed, same run every time */
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* ---- frame header */

static void test_header_roundtrip(void **state)
{
    static const char all[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";
    char p64[65];
    memcpy(p64, all, 64), p64[64] = 0;
    const struct {
        uint8_t kind;
        const char *pub;
        uint64_t epoch, seq;
        uint32_t count;
    } cases[] = {
        {PROTO_EVENTS, "d", 0, 0, 0},
        {PROTO_EVENTS, "dossier.kg", 0x0102030405060708ull, 41, 2},
        {PROTO_HEARTBEAT, p64, UINT64_MAX, UINT64_MAX, 0},
        {PROTO_REPLAY_REQUEST, "dossier", 7, 0, 1},
        {PROTO_REPLAY_REQUEST, "dossier", 7, 12345, PROTO_EVENTS_MAX},
        {PROTO_REPLAY_NACK, "x_y-z.0", 1, 99, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct buf b = {0};
        frame_head(&b, cases[i].kind, cases[i].pub, cases[i].epoch, cases[i].seq, cases[i].count);
        size_t plen = strlen(cases[i].pub), hl = PROTO_HEADER_FIXED + plen + PROTO_SIG_LEN;
        assert_int_equal(b.len, hl);
        assert_memory_equal(b.p, "CCHC\x03", 5);
        assert_int_equal(b.p[5], cases[i].kind);
        assert_int_equal(b.p[6], PROTO_FLAG_SIG);
        assert_int_equal(b.p[29], PROTO_SIG_LEN);
        if (cases[i].kind == PROTO_REPLAY_REQUEST)
            buf_add(&b, "0123456789abcdefaggregator", 26); /* nonce, name */
        assert_int_equal(b.p[7], plen);
        assert_int_equal(b.p[8], (uint8_t)(cases[i].epoch >> 56)); /* big-endian */
        assert_int_equal(b.p[15], (uint8_t)cases[i].epoch);
        assert_int_equal(b.p[23], (uint8_t)cases[i].seq);
        assert_int_equal(b.p[27], (uint8_t)cases[i].count);
        for (uint32_t k = 0; cases[i].kind == PROTO_EVENTS && k < cases[i].count; k++) {
            struct proto_event ev = ev_min();
            add_event(&b, &ev);
        }
        struct proto_header h;
        char why[160] = "";
        assert_int_equal(check_frame(b.p, b.len, &h, why, sizeof why), CCHC_OK);
        assert_int_equal(h.version, PROTO_VERSION);
        assert_int_equal(h.kind, cases[i].kind);
        assert_int_equal(h.flags, PROTO_FLAG_SIG);
        assert_true(h.epoch == cases[i].epoch);
        assert_true(h.seq == cases[i].seq);
        assert_int_equal(h.count, cases[i].count);
        assert_string_equal(h.publisher, cases[i].pub);
        assert_ptr_equal(h.sig, b.p + PROTO_HEADER_FIXED + plen);
        assert_int_equal(h.sig_len, PROTO_SIG_LEN);
        assert_ptr_equal(h.body, b.p + hl);
        assert_int_equal(h.body_len, b.len - hl);
        if (cases[i].kind == PROTO_REPLAY_REQUEST) {
            assert_ptr_equal(h.nonce, b.p + hl);
            assert_string_equal(h.subscriber, "aggregator");
        } else {
            assert_null(h.nonce);
            assert_string_equal(h.subscriber, "");
        }
        g_free(b.p);
    }
}

static void test_header_encode_refuses(void **state)
{
    uint8_t out[PROTO_HEADER_MAX];
    size_t n;
    const struct {
        const char *name;
        struct proto_header h;
        size_t cap;
        int rc;
    } cases[] = {
        {"empty publisher", {.kind = PROTO_HEARTBEAT}, sizeof out, CCHC_EINVAL},
        {"space in publisher",
         {.kind = PROTO_HEARTBEAT, .publisher = "a b"},
         sizeof out,
         CCHC_EINVAL},
        {"slash in publisher",
         {.kind = PROTO_HEARTBEAT, .publisher = "a/b"},
         sizeof out,
         CCHC_EINVAL},
        {"kind 0", {.kind = 0, .publisher = "p"}, sizeof out, CCHC_EINVAL},
        {"kind 6", {.kind = 6, .publisher = "p"}, sizeof out, CCHC_EINVAL},
        {"count over max",
         {.kind = PROTO_EVENTS, .publisher = "p", .count = PROTO_EVENTS_MAX + 1},
         sizeof out,
         CCHC_EINVAL},
        {"heartbeat with count",
         {.kind = PROTO_HEARTBEAT, .publisher = "p", .count = 1},
         sizeof out,
         CCHC_EINVAL},
        {"nack with count",
         {.kind = PROTO_REPLAY_NACK, .publisher = "p", .count = 1},
         sizeof out,
         CCHC_EINVAL},
        {"request for nothing",
         {.kind = PROTO_REPLAY_REQUEST, .publisher = "p"},
         sizeof out,
         CCHC_EINVAL},
        {"flags", {.kind = PROTO_HEARTBEAT, .publisher = "p", .flags = 2}, sizeof out, CCHC_EINVAL},
        {"signature flag",
         {.kind = PROTO_HEARTBEAT, .publisher = "p", .flags = 1},
         sizeof out,
         CCHC_OK},
        {"a version 2 MAC room",
         {.kind = PROTO_HEARTBEAT, .publisher = "p", .sig_len = 32},
         sizeof out,
         CCHC_EINVAL},
        {"cap one short",
         {.kind = PROTO_HEARTBEAT, .publisher = "abc"},
         PROTO_HEADER_FIXED + 3 + PROTO_SIG_LEN - 1,
         CCHC_ETOOBIG},
        {"cap exact",
         {.kind = PROTO_HEARTBEAT, .publisher = "abc"},
         PROTO_HEADER_FIXED + 3 + PROTO_SIG_LEN,
         CCHC_OK},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int rc = proto_header_encode(&cases[i].h, out, cases[i].cap, &n);
        if (rc != cases[i].rc)
            fail_msg("%s: rc %d, want %d", cases[i].name, rc, cases[i].rc);
    }
    /* 65 characters fill the array with no NUL: too long, not an overread. */
    struct proto_header h = {.kind = PROTO_HEARTBEAT};
    memset(h.publisher, 'a', sizeof h.publisher);
    assert_int_equal(proto_header_encode(&h, out, sizeof out, &n), CCHC_EINVAL);
}

/* A valid heartbeat of publisher "dossier.kg" (74 bytes) with one byte changed. */
static void test_header_must_not_parse_patched(void **state)
{
    const struct {
        size_t off;
        uint8_t val;
        const char *why;
    } cases[] = {
        {0, 'X', "bad magic"},
        {3, 'c', "bad magic"},
        {4, 7, "version 7 not supported"},
        {4, 0, "version 0 not supported"},
        {4, 1, "version 1 frame: it carries no MAC, refused"},
        {4, 2, "version 2 frame: its MAC is a shared key's, not a signature, refused"},
        {5, 0, "unknown frame kind 0"},
        {5, 6, "unknown frame kind 6"},
        {6, 0, "flags 0x00: version 3 requires 0x01 (signature present)"},
        {6, 0x80, "flags 0x80"},
        {6, 0x03, "flags 0x03"},
        {7, 0, "publisher id length 0"},
        {7, 65, "publisher id length 65"},
        {7, 11, "frame truncated: header needs 107 bytes, have 106"},
        {7, 9, "HEARTBEAT frame carries 1 body bytes"},
        {27, 1, "HEARTBEAT frame with count 1: count must be 0"},
        {24, 1, "count 16777216 is over the limit"},
        {28, 1, "signature length 320: version 3 requires 64"},
        {29, 32, "signature length 32"},
        {29, 0, "signature length 0"},
        {30, 1, "reserved bytes 30..31 are 0x0100"},
        {31, 1, "reserved"},
        {32, ' ', "publisher id byte 0 is 0x20"},
        {35, '/', "publisher id byte 3 is 0x2f"},
        {41, 0, "publisher id byte 9 is 0x00"},
        {36, 0x80, "publisher id byte 4 is 0x80"},
        {36, 0xc3, "publisher id byte 4 is 0xc3"},
    };
    struct buf base = {0};
    frame_head(&base, PROTO_HEARTBEAT, "dossier.kg", 1, 46, 0);
    assert_int_equal(base.len, 106);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        uint8_t *p = exact(base.p, base.len);
        p[cases[i].off] = cases[i].val;
        struct proto_header h;
        char why[160] = "";
        assert_int_equal(proto_header_decode(p, base.len, &h, why, sizeof why), CCHC_EPROTO);
        assert_why(why, cases[i].why);
        free(p);
    }
    g_free(base.p);
}

static void test_header_must_not_parse_frames(void **state)
{
    struct proto_header h;
    char why[160];
    struct buf b = {0};
    frame_head(&b, PROTO_HEARTBEAT, "dossier.kg", 1, 46, 0);

    assert_int_equal(proto_header_decode(b.p, 0, &h, why, sizeof why), CCHC_EPROTO);
    assert_why(why, "frame truncated: header needs 32 bytes, have 0");
    assert_int_equal(proto_header_decode(b.p, 5, &h, why, sizeof why), CCHC_EPROTO);
    assert_why(why, "header needs 32 bytes, have 5");
    assert_int_equal(proto_header_decode(b.p, 12, &h, why, sizeof why), CCHC_EPROTO);
    assert_why(why, "frame truncated: header needs 42 bytes, have 12");
    assert_int_equal(proto_header_decode(b.p, 105, &h, why, sizeof why), CCHC_EPROTO);
    assert_why(why, "header needs 106 bytes, have 105");
    assert_int_equal(proto_header_decode((const uint8_t *)"GET / HTTP/1.1", 14, &h, why, 160),
                     CCHC_EPROTO);
    assert_why(why, "bad magic");
    assert_int_equal(proto_header_decode((const uint8_t *)"CCHX", 4, &h, why, 160), CCHC_EPROTO);
    assert_why(why, "bad magic");
    /* A why buffer of 0 bytes is not written to. */
    assert_int_equal(proto_header_decode(b.p, 3, &h, NULL, 0), CCHC_EPROTO);

    /* Count rules per kind. */
    uint8_t *p = exact(b.p, b.len);
    p[5] = PROTO_REPLAY_REQUEST;
    assert_int_equal(proto_header_decode(p, b.len, &h, why, sizeof why), CCHC_EPROTO);
    assert_why(why, "REPLAY_REQUEST frame with count 0: count must be at least 1");
    p[5] = PROTO_REPLAY_NACK, p[27] = 3;
    assert_int_equal(proto_header_decode(p, b.len, &h, why, sizeof why), CCHC_EPROTO);
    assert_why(why, "REPLAY_NACK frame with count 3: count must be 0");
    p[5] = PROTO_EVENTS, p[27] = 0;
    assert_int_equal(proto_header_decode(p, b.len, &h, why, sizeof why), CCHC_OK);
    free(p);

    /* A subscriber's request: a nonce, then a name; an ACK answer: nothing. */
    struct buf r = {0};
    frame_head(&r, PROTO_REPLAY_REQUEST, "p", 1, 0, 3);
    assert_int_equal(proto_header_decode(r.p, r.len, &h, why, sizeof why), CCHC_EPROTO);
    assert_why(why, "REPLAY_REQUEST frame body of 0 bytes: want a 16-byte nonce and a subscriber");
    buf_add(&r, "0123456789abcdef", 16);
    assert_int_equal(proto_header_decode(r.p, r.len, &h, why, sizeof why), CCHC_EPROTO);
    assert_why(why, "body of 16 bytes");
    buf_add(&r, "a/b", 3);
    assert_int_equal(proto_header_decode(r.p, r.len, &h, why, sizeof why), CCHC_EPROTO);
    assert_why(why, "REPLAY_REQUEST subscriber name byte 1 is 0x2f");
    r.p[r.len - 2] = '.';
    assert_int_equal(proto_header_decode(r.p, r.len, &h, why, sizeof why), CCHC_OK);
    assert_string_equal(h.subscriber, "a.b");
    for (int i = 0; i < 62; i++)
        buf_add(&r, "x", 1); /* a name of 65 */
    assert_int_equal(proto_header_decode(r.p, r.len, &h, why, sizeof why), CCHC_EPROTO);
    assert_why(why, "body of 81 bytes");
    r.p[5] = PROTO_ACK, r.p[27] = 0, r.len = PROTO_HEADER_FIXED + 1 + PROTO_SIG_LEN;
    assert_int_equal(proto_header_decode(r.p, r.len, &h, why, sizeof why), CCHC_OK);
    assert_null(h.nonce);
    g_free(r.p);

    /* EVENTS bodies. */
    struct buf e = {0};
    frame_head(&e, PROTO_EVENTS, "p", 1, 0, 0);
    buf_add(&e, "\x80", 1);
    assert_int_equal(proto_header_decode(e.p, e.len, &h, why, sizeof why), CCHC_EPROTO);
    assert_why(why, "EVENTS frame with count 0 carries 1 body bytes");
    e.p[27] = 5;
    buf_add(&e, "\x80\x80", 2);
    assert_int_equal(proto_header_decode(e.p, e.len, &h, why, sizeof why), CCHC_EPROTO);
    assert_why(why, "EVENTS frame with count 5 cannot fit in 3 body bytes");
    e.p[24] = 0, e.p[25] = 1, e.p[26] = 0, e.p[27] = 1; /* 65537 */
    assert_int_equal(proto_header_decode(e.p, e.len, &h, why, sizeof why), CCHC_EPROTO);
    assert_why(why, "count 65537 is over the limit of 65536");
    g_free(e.p);

    /* 16 MiB is the largest frame; one byte more is refused before anything else. */
    uint8_t *big = calloc(1, PROTO_FRAME_MAX + 1);
    assert_non_null(big);
    struct buf hb = {0};
    frame_head(&hb, PROTO_EVENTS, "p", 1, 0, 1);
    memcpy(big, hb.p, hb.len);
    assert_int_equal(proto_header_decode(big, PROTO_FRAME_MAX, &h, why, sizeof why), CCHC_OK);
    assert_int_equal(h.body_len, PROTO_FRAME_MAX - hb.len);
    assert_int_equal(proto_header_decode(big, PROTO_FRAME_MAX + 1, &h, why, sizeof why),
                     CCHC_EPROTO);
    assert_why(why, "frame of 16777217 bytes is over the limit of 16777216");
    free(big);
    g_free(hb.p);
    g_free(b.p);
}

static void test_frame_truncated_everywhere(void **state)
{
    struct buf b = {0};
    frame_head(&b, PROTO_EVENTS, "dossier.kg", 9, 41, 2);
    struct proto_event a = ev_full(), c = ev_min();
    add_event(&b, &a);
    add_event(&b, &c);
    struct proto_header h;
    char why[160];
    assert_int_equal(check_frame(b.p, b.len, &h, why, sizeof why), CCHC_OK);
    for (size_t cut = 0; cut < b.len; cut++) {
        uint8_t *p = exact(b.p, cut);
        int rc = check_frame(p, cut, &h, why, sizeof why);
        if (rc != CCHC_EPROTO)
            fail_msg("frame cut to %zu of %zu bytes: rc %d", cut, b.len, rc);
        free(p);
    }
    g_free(b.p);
}

/* ---- the signature */

static void unhex_fixed(const char *hex, uint8_t *out, size_t n)
{
    assert_int_equal(strlen(hex), 2 * n);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
}

/* libsodium's multi-part API is RFC 8032's Ed25519ph: the test vector of
 * RFC 8032 section 7.3 (message "abc"), from its seed. */
static void test_ed25519ph_rfc8032(void **state)
{
    uint8_t seed[32], pk[32], sk[64], want_pk[32], want_sig[64], sig[64];
    unhex_fixed("833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42", seed, 32);
    unhex_fixed("ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf", want_pk, 32);
    unhex_fixed("98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae41"
                "31f85042463c2a355a2003d062adf5aaa10b8c61e636062aaad11c2a26083406",
                want_sig, 64);
    assert_int_equal(crypto_sign_seed_keypair(pk, sk, seed), 0);
    assert_memory_equal(pk, want_pk, 32);
    crypto_sign_state st;
    crypto_sign_init(&st);
    crypto_sign_update(&st, (const uint8_t *)"ab", 2);
    crypto_sign_update(&st, (const uint8_t *)"c", 1);
    crypto_sign_final_create(&st, sig, NULL, sk);
    assert_memory_equal(sig, want_sig, 64);
    crypto_sign_init(&st);
    crypto_sign_update(&st, (const uint8_t *)"abc", 3);
    assert_int_equal(crypto_sign_final_verify(&st, sig, pk), 0);
}

static void test_signature(void **state)
{
    /* Fixed seeds: the publisher's, another's. */
    uint8_t seed[PROTO_SEED_LEN], pk[PROTO_PUBKEY_LEN], sk[PROTO_SECRETKEY_LEN];
    uint8_t opk[PROTO_PUBKEY_LEN], osk[PROTO_SECRETKEY_LEN], nonce[PROTO_NONCE_LEN];
    for (int i = 0; i < PROTO_SEED_LEN; i++)
        seed[i] = (uint8_t)i;
    assert_int_equal(crypto_sign_seed_keypair(pk, sk, seed), 0);
    seed[31] ^= 0x80;
    assert_int_equal(crypto_sign_seed_keypair(opk, osk, seed), 0);
    for (int i = 0; i < PROTO_NONCE_LEN; i++)
        nonce[i] = (uint8_t)(0x40 + i);
    struct buf b = {0};
    frame_head(&b, PROTO_EVENTS, "dossier", 0x000001801a2b3c4dull, 41, 2);
    struct proto_event a = ev_full(), c = ev_min();
    add_event(&b, &a);
    add_event(&b, &c);
    assert_int_equal(proto_frame_sign(b.p, b.len, sk, NULL), CCHC_OK);
    struct proto_header h;
    char why[160];
    assert_int_equal(proto_header_decode(b.p, b.len, &h, why, sizeof why), CCHC_OK);
    assert_int_equal(proto_frame_verify(b.p, b.len, &h, pk, NULL), CCHC_OK);
    assert_int_equal(proto_frame_verify(b.p, b.len, &h, opk, NULL), CCHC_EPROTO);
    /* A live frame is no answer to a request, and the other way round. */
    assert_int_equal(proto_frame_verify(b.p, b.len, &h, pk, nonce), CCHC_EPROTO);
    /* The signature is Ed25519ph of the header without its room, then the
     * body, made here the long way: the covered bytes flat, in one part,
     * through libsodium's named Ed25519ph functions; it verifies there. It
     * is not a plain Ed25519 signature of those bytes (RFC 8032's domain
     * separation), so the two cannot be confused. */
    size_t room = PROTO_HEADER_FIXED + 7, flen = b.len - PROTO_SIG_LEN;
    uint8_t *flat = malloc(b.len + PROTO_NONCE_LEN), want[PROTO_SIG_LEN];
    memcpy(flat, b.p, room);
    memcpy(flat + room, b.p + room + PROTO_SIG_LEN, b.len - room - PROTO_SIG_LEN);
    crypto_sign_ed25519ph_state ph;
    crypto_sign_ed25519ph_init(&ph);
    crypto_sign_ed25519ph_update(&ph, flat, flen);
    crypto_sign_ed25519ph_final_create(&ph, want, NULL, sk);
    assert_memory_equal(want, b.p + room, PROTO_SIG_LEN);
    crypto_sign_ed25519ph_init(&ph);
    crypto_sign_ed25519ph_update(&ph, flat, flen);
    assert_int_equal(crypto_sign_ed25519ph_final_verify(&ph, want, pk), 0);
    assert_int_not_equal(crypto_sign_verify_detached(want, flat, flen, pk), 0);
    /* Every bit of the frame counts: header, body and the signature itself. */
    for (size_t i = 0; i < b.len; i++)
        for (int bit = 0; bit < 8; bit += 3) {
            b.p[i] ^= (uint8_t)(1u << bit);
            if (proto_header_decode(b.p, b.len, &h, why, sizeof why) == CCHC_OK &&
                proto_frame_verify(b.p, b.len, &h, pk, NULL) == CCHC_OK)
                fail_msg("byte %zu bit %d changed: the signature still verifies", i, bit);
            b.p[i] ^= (uint8_t)(1u << bit);
        }
    /* Signed with the nonce: only that nonce passes, and it is what the
     * long way makes of header, body, then nonce. */
    assert_int_equal(proto_frame_sign(b.p, b.len, sk, nonce), CCHC_OK);
    assert_int_equal(proto_header_decode(b.p, b.len, &h, why, sizeof why), CCHC_OK);
    assert_int_equal(proto_frame_verify(b.p, b.len, &h, pk, nonce), CCHC_OK);
    assert_int_equal(proto_frame_verify(b.p, b.len, &h, pk, NULL), CCHC_EPROTO);
    memcpy(flat + flen, nonce, PROTO_NONCE_LEN);
    crypto_sign_ed25519ph_init(&ph);
    crypto_sign_ed25519ph_update(&ph, flat, flen + PROTO_NONCE_LEN);
    crypto_sign_ed25519ph_final_create(&ph, want, NULL, sk);
    assert_memory_equal(want, b.p + room, PROTO_SIG_LEN);
    free(flat);
    for (int i = 0; i < PROTO_NONCE_LEN; i++)
        for (int bit = 0; bit < 8; bit += 3) {
            nonce[i] ^= (uint8_t)(1u << bit);
            if (proto_frame_verify(b.p, b.len, &h, pk, nonce) == CCHC_OK)
                fail_msg("nonce byte %d bit %d changed: the signature still verifies", i, bit);
            nonce[i] ^= (uint8_t)(1u << bit);
        }
    assert_int_equal(proto_frame_verify(b.p, b.len, &h, opk, nonce), CCHC_EPROTO);
    /* Too short to hold a signature room: not signed. */
    assert_int_equal(proto_frame_sign(b.p, PROTO_HEADER_FIXED + 7, sk, NULL), CCHC_EINVAL);
    /* What counts as unsigned: versions 1 and 2, and flags bit 0 clear. */
    assert_false(proto_frame_unsigned(b.p, b.len));
    b.p[6] = 0;
    assert_true(proto_frame_unsigned(b.p, b.len));
    b.p[6] = 1, b.p[4] = 1;
    assert_true(proto_frame_unsigned(b.p, b.len));
    b.p[4] = 2;
    assert_true(proto_frame_unsigned(b.p, b.len));
    b.p[4] = 3;
    assert_false(proto_frame_unsigned(b.p, b.len));
    b.p[0] = 'X';
    assert_false(proto_frame_unsigned(b.p, b.len)); /* not a cchc frame at all */
    g_free(b.p);
}

/* ---- events */

static void assert_str_eq(struct proto_str got, struct proto_str want)
{
    if (!want.p) {
        assert_null(got.p);
        return;
    }
    assert_non_null(got.p);
    assert_int_equal(got.len, want.len);
    assert_memory_equal(got.p, want.p, want.len);
}

static void assert_event_eq(const struct proto_event *got, const struct proto_event *want)
{
    assert_str_eq(got->type, want->type);
    assert_str_eq(got->id, want->id);
    assert_str_eq(got->unit, want->unit);
    assert_true(got->at_ms == want->at_ms);
    assert_str_eq(got->dossier, want->dossier);
    assert_str_eq(got->procedure, want->procedure);
    assert_str_eq(got->field, want->field);
    assert_str_eq(got->cat, want->cat);
    assert_str_eq(got->cat2, want->cat2);
    assert_str_eq(got->outcome, want->outcome);
    assert_str_eq(got->src, want->src);
    assert_str_eq(got->digest, want->digest);
    assert_int_equal(got->has, want->has);
    if (want->has & PROTO_HAS_DUE)
        assert_true(got->due_ms == want->due_ms);
    if (want->has & PROTO_HAS_RAT)
        assert_true(got->rat_ms == want->rat_ms);
    if (want->has & PROTO_HAS_N)
        assert_true(got->n == want->n);
    if (want->has & PROTO_HAS_N2)
        assert_true(got->n2 == want->n2);
    if (want->has & PROTO_HAS_B)
        assert_int_equal(got->b, want->b);
}

static void mpc_kv_str(msgpack_packer *pk, const char *k, struct proto_str s)
{
    if (!s.p)
        return;
    msgpack_pack_str(pk, strlen(k));
    msgpack_pack_str_body(pk, k, strlen(k));
    msgpack_pack_str(pk, s.len);
    msgpack_pack_str_body(pk, s.p, s.len);
}

static void mpc_kv_int(msgpack_packer *pk, const char *k, int64_t v)
{
    msgpack_pack_str(pk, strlen(k));
    msgpack_pack_str_body(pk, k, strlen(k));
    msgpack_pack_int64(pk, v);
}

/* The same event as msgpack-c's packer writes it, keys in the encoder's order. */
static void mpc_pack(const struct proto_event *ev, msgpack_sbuffer *sb)
{
    msgpack_packer pk;
    msgpack_packer_init(&pk, sb, msgpack_sbuffer_write);
    const struct proto_str *s[] = {&ev->dossier, &ev->procedure, &ev->field, &ev->cat,
                                   &ev->cat2,    &ev->outcome,   &ev->src,   &ev->digest};
    size_t n =
        4 + (size_t)__builtin_popcount(ev->has) + (ev->key.p != NULL) + (ev->nm > 0) + (ev->nv > 0);
    for (size_t i = 0; i < 8; i++)
        n += s[i]->p != NULL;
    msgpack_pack_map(&pk, n);
    mpc_kv_str(&pk, "t", ev->type);
    mpc_kv_str(&pk, "id", ev->id);
    mpc_kv_str(&pk, "u", ev->unit);
    mpc_kv_int(&pk, "at", ev->at_ms);
    mpc_kv_str(&pk, "d", ev->dossier);
    mpc_kv_str(&pk, "p", ev->procedure);
    mpc_kv_str(&pk, "f", ev->field);
    mpc_kv_str(&pk, "c", ev->cat);
    mpc_kv_str(&pk, "c2", ev->cat2);
    mpc_kv_str(&pk, "o", ev->outcome);
    if (ev->has & PROTO_HAS_DUE)
        mpc_kv_int(&pk, "due", ev->due_ms);
    if (ev->has & PROTO_HAS_RAT)
        mpc_kv_int(&pk, "rat", ev->rat_ms);
    if (ev->has & PROTO_HAS_N)
        mpc_kv_int(&pk, "n", ev->n);
    if (ev->has & PROTO_HAS_N2)
        mpc_kv_int(&pk, "n2", ev->n2);
    if (ev->has & PROTO_HAS_B) {
        msgpack_pack_str(&pk, 1);
        msgpack_pack_str_body(&pk, "b", 1);
        if (ev->b)
            msgpack_pack_true(&pk);
        else
            msgpack_pack_false(&pk);
    }
    mpc_kv_str(&pk, "k", ev->key);
    const struct proto_metric *maps[] = {ev->m, ev->v};
    const uint32_t counts[] = {ev->nm, ev->nv};
    for (int k = 0; k < 2; k++) {
        if (!counts[k])
            continue;
        msgpack_pack_str(&pk, 1);
        msgpack_pack_str_body(&pk, k ? "v" : "m", 1);
        msgpack_pack_map(&pk, counts[k]);
        for (uint32_t i = 0; i < counts[k]; i++) {
            msgpack_pack_str(&pk, maps[k][i].name.len);
            msgpack_pack_str_body(&pk, maps[k][i].name.p, maps[k][i].name.len);
            msgpack_pack_int64(&pk, maps[k][i].value);
        }
    }
    mpc_kv_str(&pk, "src", ev->src);
    mpc_kv_str(&pk, "dg", ev->digest);
}

/* Encodes, checks the bytes against msgpack-c's, decodes, compares. */
static void roundtrip(const struct proto_event *ev)
{
    struct buf b = {0};
    buf_add(&b, "junk", 4); /* encode appends */
    add_event(&b, ev);
    msgpack_sbuffer sb;
    msgpack_sbuffer_init(&sb);
    mpc_pack(ev, &sb);
    assert_int_equal(b.len - 4, sb.size);
    assert_memory_equal(b.p + 4, sb.data, sb.size);
    msgpack_sbuffer_destroy(&sb);

    uint8_t *p = exact(b.p, b.len);
    size_t off = 4;
    struct proto_event got;
    char why[160] = "";
    int rc = proto_event_decode(p, b.len, &off, &got, why, sizeof why);
    if (rc)
        fail_msg("decode: %s", why);
    assert_int_equal(off, b.len);
    assert_event_eq(&got, ev);
    free(p);
    g_free(b.p);
}

static struct proto_str *opt_str(struct proto_event *e, int i)
{
    struct proto_str *s[] = {&e->dossier, &e->procedure, &e->field, &e->cat,
                             &e->cat2,    &e->outcome,   &e->src,   &e->digest};
    return s[i];
}

static void test_event_roundtrip_fields(void **state)
{
    struct proto_event full = ev_full();
    roundtrip(&full);
    struct proto_event min = ev_min();
    roundtrip(&min);
    /* Each optional field alone (src and dg too). */
    for (int i = 0; i < 8; i++) {
        struct proto_event e = ev_min();
        struct proto_str *f = opt_str(&e, i);
        *f = S("value");
        roundtrip(&e);
        *f = (struct proto_str){"", 0}; /* present but empty */
        roundtrip(&e);
    }
    for (unsigned bit = PROTO_HAS_DUE; bit <= PROTO_HAS_B; bit <<= 1) {
        struct proto_event e = ev_min();
        e.has = bit;
        e.due_ms = -5, e.rat_ms = 1, e.n = 1 << 20, e.n2 = -(1 << 20), e.b = false;
        roundtrip(&e);
    }
    /* Strings with every byte value. */
    char all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (char)i;
    struct proto_event e = ev_full();
    e.dossier = (struct proto_str){all, 256};
    e.type = (struct proto_str){all + 1, 255};
    roundtrip(&e);
    /* Metric maps of every size up to PROTO_METRICS_MAX: 16 entries need a
     * map16 (a checkpoint's sums fill them; a fixmap stops at 15). */
    static char names[PROTO_METRICS_MAX][8];
    for (uint32_t n = 0; n <= PROTO_METRICS_MAX; n++) {
        struct proto_event m = ev_min();
        for (uint32_t i = 0; i < n; i++) {
            snprintf(names[i], sizeof names[i], "m%u", i);
            m.m[i] = (struct proto_metric){S(names[i]), (int64_t)i - 7};
            m.v[i] = (struct proto_metric){S(names[i]), (int64_t)i << 40};
        }
        m.nm = m.nv = n;
        roundtrip(&m);
    }
}

static void test_event_int_encodings(void **state)
{
    const struct {
        int64_t v;
        size_t bytes; /* msgpack bytes for the value */
    } cases[] = {
        {0, 1},         {1, 1},      {127, 1},    {128, 2},        {255, 2},
        {256, 3},       {65535, 3},  {65536, 5},  {UINT32_MAX, 5}, {(int64_t)UINT32_MAX + 1, 9},
        {INT64_MAX, 9}, {-1, 1},     {-32, 1},    {-33, 2},        {-128, 2},
        {-129, 3},      {-32768, 3}, {-32769, 5}, {INT32_MIN, 5},  {(int64_t)INT32_MIN - 1, 9},
        {INT64_MIN, 9},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct proto_event e = ev_min();
        size_t base;
        {
            struct buf b = {0};
            add_event(&b, &e);
            base = b.len;
            g_free(b.p);
        }
        for (int key = 0; key < 5; key++) {
            struct proto_event k = ev_min();
            int64_t *slot[] = {&k.at_ms, &k.due_ms, &k.rat_ms, &k.n, &k.n2};
            unsigned bits[] = {0, PROTO_HAS_DUE, PROTO_HAS_RAT, PROTO_HAS_N, PROTO_HAS_N2};
            *slot[key] = cases[i].v;
            k.has = bits[key];
            struct buf b = {0};
            add_event(&b, &k);
            if (key == 0) {
                size_t at_bytes = b.len - base + 9; /* ev_min's "at" takes 9 */
                if (at_bytes != cases[i].bytes)
                    fail_msg("%lld took %zu bytes, want %zu", (long long)cases[i].v, at_bytes,
                             cases[i].bytes);
            }
            g_free(b.p);
            roundtrip(&k);
        }
    }
}

static void test_event_string_lengths(void **state)
{
    static char s[PROTO_STR_MAX + 1];
    memset(s, 'x', sizeof s);
    const struct {
        uint32_t len;
        uint8_t tag;
    } cases[] = {{1, 0xa1}, {31, 0xbf}, {32, 0xd9}, {255, 0xd9}, {256, 0xda}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct proto_event e = ev_min();
        e.type = (struct proto_str){s, cases[i].len};
        struct buf b = {0};
        add_event(&b, &e);
        assert_int_equal(b.p[3], cases[i].tag); /* after 0x84 0xa1 't' */
        g_free(b.p);
        roundtrip(&e);
    }
}

static void test_event_encode_refuses(void **state)
{
    static char s[PROTO_STR_MAX + 1];
    memset(s, 'x', sizeof s);
    struct {
        const char *name;
        struct proto_event ev;
        int rc;
    } cases[] = {
        {"no type", ev_min(), CCHC_EINVAL},           {"empty id", ev_min(), CCHC_EINVAL},
        {"no unit", ev_min(), CCHC_EINVAL},           {"type too long", ev_min(), CCHC_ETOOBIG},
        {"outcome too long", ev_min(), CCHC_ETOOBIG},
    };
    cases[0].ev.type.p = NULL;
    cases[1].ev.id.len = 0;
    cases[2].ev.unit = (struct proto_str){0};
    cases[3].ev.type = (struct proto_str){s, PROTO_STR_MAX + 1};
    cases[4].ev.outcome = (struct proto_str){s, PROTO_STR_MAX + 1};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct buf b = {0};
        buf_add(&b, "keep", 4);
        int rc = proto_event_encode(&cases[i].ev, &b.p, &b.len, &b.cap);
        if (rc != cases[i].rc)
            fail_msg("%s: rc %d, want %d", cases[i].name, rc, cases[i].rc);
        assert_int_equal(b.len, 4);
        assert_memory_equal(b.p, "keep", 4);
        g_free(b.p);
    }
}

/* Byte literals. A hex escape ends its literal piece, so "\xa1" "at" is
 * not read as "\xa1a" "t". */
#define KT                                                                                         \
    "\xa1"                                                                                         \
    "t"
#define KID                                                                                        \
    "\xa2"                                                                                         \
    "id"
#define KU                                                                                         \
    "\xa1"                                                                                         \
    "u"
#define KAT                                                                                        \
    "\xa2"                                                                                         \
    "at"
#define REQ                                                                                        \
    KT "\xa1"                                                                                      \
       "x" KID "\xa1"                                                                              \
       "y" KU "\xa1"                                                                               \
       "z" KAT "\x05" /* 4 pairs, at = 5 */
#define UNK                                                                                        \
    "\xa1"                                                                                         \
    "?" /* an unknown key */
#define BYTES(s) (const uint8_t *)(s), sizeof(s) - 1

struct parse_case {
    const char *name;
    const uint8_t *p;
    size_t len;
    int64_t at;
    unsigned has;
    const char *want; /* must_not_parse: a part of the reason */
};

static void must_parse(const struct parse_case *c)
{
    uint8_t *p = exact(c->p, c->len);
    size_t off = 0;
    struct proto_event ev;
    char why[160] = "";
    int rc = proto_event_decode(p, c->len, &off, &ev, why, sizeof why);
    if (rc)
        fail_msg("must_parse %s: rc %d: %s", c->name, rc, why);
    if (off != c->len)
        fail_msg("must_parse %s: stopped at %zu of %zu", c->name, off, c->len);
    assert_true(str_is(ev.type, "x") && str_is(ev.id, "y") && str_is(ev.unit, "z"));
    if (ev.at_ms != c->at)
        fail_msg("must_parse %s: at %lld, want %lld", c->name, (long long)ev.at_ms,
                 (long long)c->at);
    if (ev.has != c->has)
        fail_msg("must_parse %s: has 0x%x, want 0x%x", c->name, ev.has, c->has);
    char json[PROTO_EVENT_JSON_MAX];
    size_t n;
    assert_int_equal(proto_event_to_json(&ev, json, sizeof json, &n), CCHC_OK);
    free(p);
}

static void must_not_parse(const struct parse_case *c)
{
    uint8_t *p = exact(c->p, c->len);
    size_t off = 0;
    struct proto_event ev;
    char why[160] = "";
    int rc = proto_event_decode(p, c->len, &off, &ev, why, sizeof why);
    if (rc != CCHC_EPROTO)
        fail_msg("must_not_parse %s: rc %d", c->name, rc);
    if (!strstr(why, c->want))
        fail_msg("must_not_parse %s: reason \"%s\" does not say \"%s\"", c->name, why, c->want);
    assert_int_equal(off, 0); /* not advanced on failure */
    free(p);
}

static void test_event_must_parse(void **state)
{
    const struct parse_case cases[] = {
        {"fixmap", BYTES("\x84" REQ), 5, 0, NULL},
        {"map16", BYTES("\xde\x00\x04" REQ), 5, 0, NULL},
        {"map32", BYTES("\xdf\x00\x00\x00\x04" REQ), 5, 0, NULL},
        {"keys in any order",
         BYTES("\x84" KAT "\x05" KU "\xa1"
               "z" KID "\xa1"
               "y" KT "\xa1"
               "x"),
         5, 0, NULL},
        {"str8 str16 str32 forms",
         BYTES("\x84\xd9\x01"
               "t"
               "\xda\x00\x01"
               "x"
               "\xdb\x00\x00\x00\x02"
               "id"
               "\xd9\x01"
               "y" KU "\xa1"
               "z" KAT "\x05"),
         5, 0, NULL},
        {"at uint8",
         BYTES("\x84" KT "\xa1"
               "x" KID "\xa1"
               "y" KU "\xa1"
               "z" KAT "\xcc\x05"),
         5, 0, NULL},
        {"at int64 positive",
         BYTES("\x84" KT "\xa1"
               "x" KID "\xa1"
               "y" KU "\xa1"
               "z" KAT "\xd3\0\0\0\0\0\0\0\x07"),
         7, 0, NULL},
        {"at uint64 INT64_MAX",
         BYTES("\x84" KT "\xa1"
               "x" KID "\xa1"
               "y" KU "\xa1"
               "z" KAT "\xcf\x7f\xff\xff\xff\xff\xff\xff\xff"),
         INT64_MAX, 0, NULL},
        {"at int64 min",
         BYTES("\x84" KT "\xa1"
               "x" KID "\xa1"
               "y" KU "\xa1"
               "z" KAT "\xd3\x80\0\0\0\0\0\0\0"),
         INT64_MIN, 0, NULL},
        {"at int8 -5",
         BYTES("\x84" KT "\xa1"
               "x" KID "\xa1"
               "y" KU "\xa1"
               "z" KAT "\xd0\xfb"),
         -5, 0, NULL},
        {"at int16 -300",
         BYTES("\x84" KT "\xa1"
               "x" KID "\xa1"
               "y" KU "\xa1"
               "z" KAT "\xd1\xfe\xd4"),
         -300, 0, NULL},
        {"at int32 -70000",
         BYTES("\x84" KT "\xa1"
               "x" KID "\xa1"
               "y" KU "\xa1"
               "z" KAT "\xd2\xff\xfe\xee\x90"),
         -70000, 0, NULL},
        {"at negative fixint",
         BYTES("\x84" KT "\xa1"
               "x" KID "\xa1"
               "y" KU "\xa1"
               "z" KAT "\xff"),
         -1, 0, NULL},
        {"b false n2",
         BYTES("\x86" REQ "\xa1"
               "b"
               "\xc2"
               "\xa2"
               "n2"
               "\x01"),
         5, PROTO_HAS_B | PROTO_HAS_N2, NULL},
        {"unknown nil", BYTES("\x85" REQ UNK "\xc0"), 5, 0, NULL},
        {"unknown true", BYTES("\x85" REQ UNK "\xc3"), 5, 0, NULL},
        {"unknown float32", BYTES("\x85" REQ UNK "\xca\x3f\x80\x00\x00"), 5, 0, NULL},
        {"unknown float64", BYTES("\x85" REQ UNK "\xcb\x3f\xf0\0\0\0\0\0\0"), 5, 0, NULL},
        {"unknown bin8", BYTES("\x85" REQ UNK "\xc4\x02\x00\x01"), 5, 0, NULL},
        {"unknown bin16", BYTES("\x85" REQ UNK "\xc5\x00\x01\xff"), 5, 0, NULL},
        {"unknown bin32", BYTES("\x85" REQ UNK "\xc6\x00\x00\x00\x00"), 5, 0, NULL},
        {"unknown ext8", BYTES("\x85" REQ UNK "\xc7\x01\x05\xaa"), 5, 0, NULL},
        {"unknown ext16", BYTES("\x85" REQ UNK "\xc8\x00\x00\x05"), 5, 0, NULL},
        {"unknown ext32", BYTES("\x85" REQ UNK "\xc9\x00\x00\x00\x01\x05\xaa"), 5, 0, NULL},
        {"unknown fixext1", BYTES("\x85" REQ UNK "\xd4\x01\x02"), 5, 0, NULL},
        {"unknown fixext16",
         BYTES("\x85" REQ UNK "\xd8\x01"
               "0123456789abcdef"),
         5, 0, NULL},
        {"unknown timestamp", BYTES("\x85" REQ UNK "\xd6\xff\x62\x1d\x79\x00"), 5, 0, NULL},
        {"unknown uint64", BYTES("\x85" REQ UNK "\xcf\xff\xff\xff\xff\xff\xff\xff\xff"), 5, 0,
         NULL},
        {"unknown long string key",
         BYTES("\x85" REQ "\xd9\x28"
               "0123456789012345678901234567890123456789"
               "\x01"),
         5, 0, NULL},
        {"unknown map",
         BYTES("\x85" REQ UNK "\x82\xa1"
               "a"
               "\x01\x02\x91\xc0"),
         5, 0, NULL},
        {"unknown array16",
         BYTES("\x85" REQ UNK "\xdc\x00\x02\x01\xa1"
               "t"),
         5, 0, NULL},
        {"unknown empty array32", BYTES("\x85" REQ UNK "\xdd\x00\x00\x00\x00"), 5, 0, NULL},
        {"unknown map16", BYTES("\x85" REQ UNK "\xde\x00\x01\x01\x02"), 5, 0, NULL},
        {"unknown 8 deep", BYTES("\x85" REQ UNK "\x91\x91\x91\x91\x91\x91\x91\x91\x00"), 5, 0,
         NULL},
        {"unknown 8 deep maps",
         BYTES("\x85" REQ UNK "\x81\x00\x81\x00\x81\x00\x81\x00\x81\x00\x81\x00\x81\x00\x81\x00"
               "\x00"),
         5, 0, NULL},
        {"key with NUL is not t",
         BYTES("\x85" REQ "\xa2"
               "t\0"
               "\x01"),
         5, 0, NULL},
        {"key t1 is unknown",
         BYTES("\x85" REQ "\xa2"
               "t1"
               "\x01"),
         5, 0, NULL},
        {"key T is unknown",
         BYTES("\x85" REQ "\xa1"
               "T"
               "\x01"),
         5, 0, NULL},
        {"known key name as unknown value",
         BYTES("\x85" REQ UNK "\xa1"
               "t"),
         5, 0, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        must_parse(&cases[i]);

    /* 32 keys: the four required and 28 unknown ones. */
    struct buf b = {0};
    buf_add(&b, "\xde\x00\x20", 3);
    buf_add(&b, REQ, sizeof REQ - 1);
    for (int i = 0; i < 28; i++) {
        uint8_t kv[4] = {0xa2, 'k', (uint8_t)('A' + i), 0xc0};
        buf_add(&b, kv, 4);
    }
    struct parse_case c = {"32 keys", b.p, b.len, 5, 0, NULL};
    must_parse(&c);
    g_free(b.p);
}

static void test_event_must_not_parse(void **state)
{
    const struct parse_case cases[] = {
        {"nothing", BYTES(""), 0, 0, "no event"},
        {"array",
         BYTES("\x94"
               "\xa1"
               "t"),
         0, 0, "want a map, found type byte 0x94"},
        {"nil", BYTES("\xc0"), 0, 0, "want a map"},
        {"map32 of 2^32-1 in 5 bytes", BYTES("\xdf\xff\xff\xff\xff"), 0, 0,
         "map of 4294967295 keys, at most 32"},
        {"map16 of 33", BYTES("\xde\x00\x21" REQ), 0, 0, "map of 33 keys"},
        {"map32 cut", BYTES("\xdf\x00\x00"), 0, 0, "truncated"},
        {"fixmap, no entries", BYTES("\x84"), 0, 0, "truncated at byte 1"},
        {"str32 of 4 GiB", BYTES("\x81" KT "\xdb\xff\xff\xff\xff"), 0, 0,
         "key \"t\" at byte 3: string of 4294967295 bytes, at most 256"},
        {"str16 over max", BYTES("\x81" KT "\xda\x01\x01"), 0, 0, "string of 257 bytes"},
        {"src an integer",
         BYTES("\x85" REQ "\xa3"
               "src\x05"),
         0, 0, "key \"src\" at byte"},
        {"dg twice",
         BYTES("\x86" REQ "\xa2"
               "dg\xa1"
               "a\xa2"
               "dg\xa1"
               "b"),
         0, 0, "key \"dg\" appears twice"},
        {"string cut",
         BYTES("\x81" KT "\xa5"
               "ab"),
         0, 0, "truncated string: 5 bytes declared"},
        {"key str32 of 4 GiB", BYTES("\x81\xdb\xff\xff\xff\xff"), 0, 0,
         "map key at byte 1: string of 4294967295 bytes"},
        {"array nesting bomb", BYTES("\x85" REQ UNK "\x91\x91\x91\x91\x91\x91\x91\x91\x91\x00"), 0,
         0, "nested deeper than 8"},
        {"array16 nesting bomb",
         BYTES("\x85" REQ UNK "\xdc\x00\x01\xdc\x00\x01\xdc\x00\x01\xdc\x00\x01\xdc\x00\x01\xdc"
               "\x00\x01\xdc\x00\x01\xdc\x00\x01\xdc\x00\x01\xdc\x00\x01"),
         0, 0, "nested deeper than 8"},
        {"map nesting bomb",
         BYTES("\x85" REQ UNK
               "\x81\x00\x81\x00\x81\x00\x81\x00\x81\x00\x81\x00\x81\x00\x81\x00\x81\x00\x00"),
         0, 0, "nested deeper than 8"},
        {"array32 of 2^32-1", BYTES("\x85" REQ UNK "\xdd\xff\xff\xff\xff"), 0, 0,
         "container declares 4294967295 objects"},
        {"map32 of 2^32-1 inside", BYTES("\x85" REQ UNK "\xdf\xff\xff\xff\xff"), 0, 0,
         "container declares 8589934590 objects"},
        {"array16 short", BYTES("\x85" REQ UNK "\xdc\x00\x03\x01\x02"), 0, 0,
         "container declares 3 objects, only 2 bytes left"},
        {"bin32 of 4 GiB", BYTES("\x85" REQ UNK "\xc6\xff\xff\xff\xff"), 0, 0,
         "4294967295 bytes declared"},
        {"ext32 of 4 GiB", BYTES("\x85" REQ UNK "\xc9\xff\xff\xff\xff\x01"), 0, 0,
         "4294967296 bytes declared"},
        {"fixext16 cut",
         BYTES("\x85" REQ UNK "\xd8\x01"
               "0123"),
         0, 0, "17 bytes declared"},
        {"float64 cut", BYTES("\x85" REQ UNK "\xcb\x00"), 0, 0, "8 bytes declared"},
        {"0xc1", BYTES("\x85" REQ UNK "\xc1"), 0, 0, "0xc1 is not a msgpack type"},
        {"0xc1 in an array", BYTES("\x85" REQ UNK "\x92\x01\xc1"), 0, 0, "not a msgpack type"},
        {"unknown value missing", BYTES("\x85" REQ UNK), 0, 0, "truncated"},
        {"int key", BYTES("\x85" REQ "\x01\x02"), 0, 0, "map key at byte 18: want a string"},
        {"bin key",
         BYTES("\x85" REQ "\xc4\x01"
               "t"
               "\x02"),
         0, 0, "map key"},
        {"nil key", BYTES("\x85" REQ "\xc0\x02"), 0, 0, "want a string, found type byte 0xc0"},
        {"t int",
         BYTES("\x84" KT "\x01" KID "\xa1"
               "y" KU "\xa1"
               "z" KAT "\x05"),
         0, 0, "key \"t\" at byte 3: want a string, found type byte 0x01"},
        {"t bin",
         BYTES("\x84" KT "\xc4\x01"
               "x" KID "\xa1"
               "y" KU "\xa1"
               "z" KAT "\x05"),
         0, 0, "key \"t\""},
        {"id nil",
         BYTES("\x84" KT "\xa1"
               "x" KID "\xc0" KU "\xa1"
               "z" KAT "\x05"),
         0, 0, "key \"id\""},
        {"u array",
         BYTES("\x84" KT "\xa1"
               "x" KID "\xa1"
               "y" KU "\x90" KAT "\x05"),
         0, 0, "key \"u\""},
        {"at string",
         BYTES("\x84" KT "\xa1"
               "x" KID "\xa1"
               "y" KU "\xa1"
               "z" KAT "\xa1"
               "5"),
         0, 0, "key \"at\" at byte 17: want an integer, found type byte 0xa1"},
        {"at float",
         BYTES("\x84" KT "\xa1"
               "x" KID "\xa1"
               "y" KU "\xa1"
               "z" KAT "\xca\0\0\0\0"),
         0, 0, "key \"at\""},
        {"at bool",
         BYTES("\x84" KT "\xa1"
               "x" KID "\xa1"
               "y" KU "\xa1"
               "z" KAT "\xc3"),
         0, 0, "want an integer"},
        {"at nil",
         BYTES("\x84" KT "\xa1"
               "x" KID "\xa1"
               "y" KU "\xa1"
               "z" KAT "\xc0"),
         0, 0, "want an integer"},
        {"at uint64 over int64",
         BYTES("\x84" KT "\xa1"
               "x" KID "\xa1"
               "y" KU "\xa1"
               "z" KAT "\xcf\x80\0\0\0\0\0\0\0"),
         0, 0, "key \"at\" at byte 17: 9223372036854775808 does not fit int64"},
        {"at uint64 max",
         BYTES("\x84" KT "\xa1"
               "x" KID "\xa1"
               "y" KU "\xa1"
               "z" KAT "\xcf\xff\xff\xff\xff\xff\xff\xff\xff"),
         0, 0, "does not fit int64"},
        {"at int32 cut",
         BYTES("\x84" KT "\xa1"
               "x" KID "\xa1"
               "y" KU "\xa1"
               "z" KAT "\xd2\xff"),
         0, 0, "truncated"},
        {"d int",
         BYTES("\x85" REQ "\xa1"
               "d"
               "\x01"),
         0, 0, "key \"d\""},
        {"p bool",
         BYTES("\x85" REQ "\xa1"
               "p"
               "\xc2"),
         0, 0, "key \"p\""},
        {"f map",
         BYTES("\x85" REQ "\xa1"
               "f"
               "\x80"),
         0, 0, "key \"f\""},
        {"c nil",
         BYTES("\x85" REQ "\xa1"
               "c"
               "\xc0"),
         0, 0, "key \"c\""},
        {"c2 float",
         BYTES("\x85" REQ "\xa2"
               "c2"
               "\xca\0\0\0\0"),
         0, 0, "key \"c2\""},
        {"o int",
         BYTES("\x85" REQ "\xa1"
               "o"
               "\x00"),
         0, 0, "key \"o\""},
        {"due string",
         BYTES("\x85" REQ "\xa3"
               "due"
               "\xa1"
               "1"),
         0, 0, "key \"due\""},
        {"rat nil",
         BYTES("\x85" REQ "\xa3"
               "rat"
               "\xc0"),
         0, 0, "key \"rat\""},
        {"n float",
         BYTES("\x85" REQ "\xa1"
               "n"
               "\xcb\0\0\0\0\0\0\0\0"),
         0, 0, "key \"n\""},
        {"n2 bool",
         BYTES("\x85" REQ "\xa2"
               "n2"
               "\xc3"),
         0, 0, "key \"n2\""},
        {"n uint64 over int64",
         BYTES("\x85" REQ "\xa1"
               "n"
               "\xcf\xff\0\0\0\0\0\0\0"),
         0, 0, "key \"n\""},
        {"b int",
         BYTES("\x85" REQ "\xa1"
               "b"
               "\x01"),
         0, 0, "key \"b\" at byte 20: want true or false, found type byte 0x01"},
        {"b nil",
         BYTES("\x85" REQ "\xa1"
               "b"
               "\xc0"),
         0, 0, "want true or false"},
        {"b string",
         BYTES("\x85" REQ "\xa1"
               "b"
               "\xa4"
               "true"),
         0, 0, "want true or false"},
        {"no t",
         BYTES("\x83" KID "\xa1"
               "y" KU "\xa1"
               "z" KAT "\x05"),
         0, 0, "required key \"t\" missing"},
        {"no id",
         BYTES("\x83" KT "\xa1"
               "x" KU "\xa1"
               "z" KAT "\x05"),
         0, 0, "required key \"id\" missing"},
        {"no u",
         BYTES("\x83" KT "\xa1"
               "x" KID "\xa1"
               "y" KAT "\x05"),
         0, 0, "required key \"u\" missing"},
        {"no at",
         BYTES("\x83" KT "\xa1"
               "x" KID "\xa1"
               "y" KU "\xa1"
               "z"),
         0, 0, "required key \"at\" missing"},
        {"empty map", BYTES("\x80"), 0, 0, "required key \"t\" missing"},
        {"only unknown keys", BYTES("\x81" UNK "\x01"), 0, 0, "required key"},
        {"t empty",
         BYTES("\x84" KT "\xa0" KID "\xa1"
               "y" KU "\xa1"
               "z" KAT "\x05"),
         0, 0, "key \"t\" is empty"},
        {"id empty",
         BYTES("\x84" KT "\xa1"
               "x" KID "\xa0" KU "\xa1"
               "z" KAT "\x05"),
         0, 0, "key \"id\" is empty"},
        {"u empty",
         BYTES("\x84" KT "\xa1"
               "x" KID "\xa1"
               "y" KU "\xa0" KAT "\x05"),
         0, 0, "key \"u\" is empty"},
        {"t twice",
         BYTES("\x85" REQ KT "\xa1"
               "w"),
         0, 0, "key \"t\" appears twice"},
        {"at twice", BYTES("\x85" REQ KAT "\x06"), 0, 0, "key \"at\" appears twice"},
        {"b twice",
         BYTES("\x86" REQ "\xa1"
               "b"
               "\xc2\xa1"
               "b"
               "\xc3"),
         0, 0, "key \"b\" appears twice"},
        {"due twice",
         BYTES("\x86" REQ "\xa3"
               "due"
               "\x01\xa3"
               "due"
               "\x01"),
         0, 0, "key \"due\" appears twice"},
        {"more entries declared than present",
         BYTES("\x86" REQ "\xa1"
               "n"
               "\x01"),
         0, 0, "truncated"},
        {"key of 257 bytes", BYTES("\x85" REQ "\xda\x01\x01"), 0, 0, "string of 257 bytes"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        must_not_parse(&cases[i]);
}

static void test_event_nesting_depths(void **state)
{
    for (int depth = 1; depth <= 12; depth++) {
        for (int map = 0; map < 2; map++) {
            struct buf b = {0};
            buf_add(&b, "\x85" REQ UNK, sizeof("\x85" REQ UNK) - 1);
            for (int i = 0; i < depth; i++)
                buf_add(&b, map ? "\x81\x00" : "\x91", map ? 2 : 1);
            buf_add(&b, "\x00", 1);
            struct parse_case c = {"nested", b.p, b.len, 5, 0, "nested deeper than 8"};
            if (depth <= 8)
                must_parse(&c);
            else
                must_not_parse(&c);
            g_free(b.p);
        }
    }
}

static void test_event_truncated_everywhere(void **state)
{
    struct proto_event e = ev_full();
    struct buf b = {0};
    add_event(&b, &e);
    for (size_t cut = 0; cut < b.len; cut++) {
        uint8_t *p = exact(b.p, cut);
        size_t off = 0;
        struct proto_event got;
        char why[160] = "";
        int rc = proto_event_decode(p, cut, &off, &got, why, sizeof why);
        if (rc != CCHC_EPROTO || off != 0)
            fail_msg("event cut to %zu of %zu bytes: rc %d off %zu", cut, b.len, rc, off);
        free(p);
    }
    /* An offset at or past the end is not an event either. */
    size_t off = b.len + 7;
    struct proto_event got;
    char why[160];
    assert_int_equal(proto_event_decode(b.p, b.len, &off, &got, why, sizeof why), CCHC_EPROTO);
    assert_int_equal(off, b.len + 7);
    g_free(b.p);
}

/* ---- JSON */

static void json_of(const struct proto_event *ev, char *out, size_t cap)
{
    size_t n;
    assert_int_equal(proto_event_to_json(ev, out, cap, &n), CCHC_OK);
    assert_int_equal(n, strlen(out));
    json_error_t err;
    json_t *j =
        json_loads(out, JSON_ALLOW_NUL, &err); /* jansson refuses bad UTF-8 and bad escapes */
    if (!j)
        fail_msg("not JSON: %s: %s", err.text, out);
    json_decref(j);
}

static void test_json_fields(void **state)
{
    struct proto_event e = ev_full();
    char out[PROTO_EVENT_JSON_MAX];
    json_of(&e, out, sizeof out);
    assert_string_equal(
        out,
        "{\"type\":\"dossier.received\",\"id\":\"r-1\",\"unit\":\"kg.rachgia.p-vinh-loi\","
        "\"at\":\"2022-03-01T08:30:00+07:00\",\"dossier\":\"H33.22-220301-0001\","
        "\"procedure\":\"1.004227\",\"field\":\"ho-tich\",\"category\":\"online\","
        "\"category2\":\"postal\",\"outcome\":\"early\",\"due\":\"2022-03-04T17:00:00+07:00\","
        "\"received_at\":\"2022-03-01T08:30:00+07:00\",\"n\":-1234567890123,\"n2\":77,"
        "\"flag\":true,\"source\":\"igate-kg\",\"digest\":\"0123456789abcdef0123456789abcdef\"}");
    e = ev_min();
    e.has = PROTO_HAS_B | PROTO_HAS_N;
    e.n = INT64_MIN;
    json_of(&e, out, sizeof out);
    assert_string_equal(out, "{\"type\":\"dossier.received\",\"id\":\"r-1\",\"unit\":"
                             "\"kg.rachgia.p-vinh-loi\",\"at\":\"2022-03-01T08:30:00+07:00\","
                             "\"n\":-9223372036854775808,\"flag\":false}");

    /* Every cap that is too short says so and leaves "". */
    e = ev_full();
    size_t full;
    assert_int_equal(proto_event_to_json(&e, out, sizeof out, &full), CCHC_OK);
    size_t need = full + 1; /* the NUL too */
    for (size_t cap = 0; cap < need; cap++) {
        char *small = malloc(cap ? cap : 1);
        size_t n = 99;
        assert_int_equal(proto_event_to_json(&e, small, cap, &n), CCHC_ETOOBIG);
        if (cap)
            assert_int_equal(small[0], 0);
        free(small);
    }
    char *fit = malloc(need);
    size_t n;
    assert_int_equal(proto_event_to_json(&e, fit, need, &n), CCHC_OK);
    assert_int_equal(n, full);
    free(fit);
}

static void test_json_strings(void **state)
{
    const struct {
        const char *in;
        size_t len;
        const char *out;
    } cases[] = {
        {"plain", 5, "plain"},
        {"q\"b\\s/", 6, "q\\\"b\\\\s/"},
        {"\n\t\r\x01\x1f\x7f", 6, "\\u000a\\u0009\\u000d\\u0001\\u001f\x7f"},
        {"a\0b", 3, "a\\u0000b"},
        {"R\xe1\xba\xa1"
         "ch Gi\xc3\xa1",
         11,
         "R\xe1\xba\xa1"
         "ch Gi\xc3\xa1"},
        {"\xf0\x9f\x98\x80", 4, "\xf0\x9f\x98\x80"},
        {"\xef\xbf\xbd", 3, "\xef\xbf\xbd"},
        {"\xc0\x80", 2, "\\ufffd\\ufffd"},                       /* overlong NUL */
        {"\xc1\xbf", 2, "\\ufffd\\ufffd"},                       /* overlong */
        {"\xe0\x80\xaf", 3, "\\ufffd\\ufffd\\ufffd"},            /* overlong 3-byte */
        {"\xed\xa0\x80", 3, "\\ufffd\\ufffd\\ufffd"},            /* a surrogate */
        {"\xf0\x80\x80\xaf", 4, "\\ufffd\\ufffd\\ufffd\\ufffd"}, /* overlong 4-byte */
        {"\xf4\x90\x80\x80", 4, "\\ufffd\\ufffd\\ufffd\\ufffd"}, /* over U+10FFFF */
        {"\xf5\x80", 2, "\\ufffd\\ufffd"},
        {"\xff", 1, "\\ufffd"},
        {"\x80x", 2, "\\ufffdx"},
        {"\xe2\x82", 2, "\\ufffd\\ufffd"}, /* cut short at the end */
        {"\xe2\x82x", 3, "\\ufffd\\ufffdx"},
        {"\xc3", 1, "\\ufffd"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct proto_event e = ev_min();
        e.type = (struct proto_str){cases[i].in, (uint32_t)cases[i].len};
        char out[PROTO_EVENT_JSON_MAX], want[512];
        json_of(&e, out, sizeof out);
        snprintf(want, sizeof want, "{\"type\":\"%s\",", cases[i].out);
        if (strncmp(out, want, strlen(want)) != 0)
            fail_msg("case %zu: %s, want %s...", i, out, want);
    }
}

/* The longest JSON an accepted event can make fits PROTO_EVENT_JSON_MAX. */
static void test_json_worst_case(void **state)
{
    static char bad[PROTO_STR_MAX];
    memset(bad, 0xff, sizeof bad);
    struct proto_event e = ev_full();
    struct proto_str s = {bad, PROTO_STR_MAX};
    e.type = e.id = e.unit = e.dossier = e.procedure = e.field = e.cat = e.cat2 = e.outcome = s;
    e.n = e.n2 = INT64_MIN;
    e.at_ms = e.due_ms = e.rat_ms = INT64_MIN;
    char *out = malloc(PROTO_EVENT_JSON_MAX);
    size_t n;
    assert_int_equal(proto_event_to_json(&e, out, PROTO_EVENT_JSON_MAX, &n), CCHC_OK);
    assert_true(n < PROTO_EVENT_JSON_MAX);
    free(out);
}

static void time_of(int64_t ms, char *out, size_t cap)
{
    struct proto_event e = ev_min();
    e.at_ms = ms;
    char json[PROTO_EVENT_JSON_MAX];
    size_t n;
    assert_int_equal(proto_event_to_json(&e, json, sizeof json, &n), CCHC_OK);
    const char *p = strstr(json, "\"at\":\"");
    assert_non_null(p);
    p += 6;
    const char *q = strchr(p, '"');
    assert_non_null(q);
    snprintf(out, cap, "%.*s", (int)(q - p), p);
}

static void test_json_times(void **state)
{
    const struct {
        int64_t ms;
        const char *want;
    } cases[] = {
        {0, "1970-01-01T07:00:00+07:00"},
        {-1, "1970-01-01T06:59:59+07:00"},
        {-25200000, "1970-01-01T00:00:00+07:00"},
        {-25200001, "1969-12-31T23:59:59+07:00"},
        {1646098200000, "2022-03-01T08:30:00+07:00"},
        {1646098200999, "2022-03-01T08:30:00+07:00"},
        {1709225999999, "2024-02-29T23:59:59+07:00"},
        {1709226000000, "2024-03-01T00:00:00+07:00"},
        {1672505999000, "2022-12-31T23:59:59+07:00"},
        {951757200000, "2000-02-29T00:00:00+07:00"},
        {253402275599000, "9999-12-31T23:59:59+07:00"},
        {-62167244400000, "0000-01-01T00:00:00+07:00"},
    };
    char got[64], ref[64];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        time_of(cases[i].ms, got, sizeof got);
        assert_string_equal(got, cases[i].want);
        cchc_time_format(cases[i].ms, ref, sizeof ref);
        assert_string_equal(got, ref);
    }
    /* Years 0..9999 against the C library's own calendar (gmtime_r of the
     * local second), an oracle that shares no code with cchc's. */
    rng_state = 7;
    for (int i = 0; i < 100000; i++) {
        int64_t ms = (int64_t)(rnd() % 315537897600000ull) - 62167244400000;
        time_t local = (time_t)(ms / 1000 - (ms % 1000 < 0) + 7 * 3600);
        struct tm tm;
        assert_non_null(gmtime_r(&local, &tm));
        snprintf(ref, sizeof ref, "%04d-%02d-%02dT%02d:%02d:%02d+07:00", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
        time_of(ms, got, sizeof got);
        if (strcmp(got, ref) != 0)
            fail_msg("%lld: %s, gmtime_r says %s", (long long)ms, got, ref);
    }
}

/* ---- random mutations */

static const uint8_t interesting[] = {
    0x00, 0x01, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc6, 0xc9,
    0xcc, 0xcf, 0xd3, 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xe0, 0xff, 0x20, 0x40};

static size_t mutate(uint8_t *p, size_t len, size_t cap)
{
    int rounds = 1 + (int)(rnd() % 6);
    for (int r = 0; r < rounds && len; r++) {
        size_t at = (size_t)(rnd() % len);
        switch (rnd() % 8) {
        case 0:
            p[at] ^= (uint8_t)(1u << (rnd() % 8));
            break;
        case 1:
        case 2:
            p[at] = (uint8_t)rnd();
            break;
        case 3:
        case 4:
            p[at] = interesting[rnd() % sizeof interesting];
            break;
        case 5: /* cut */
            len = at;
            break;
        case 6: { /* delete a run */
            size_t n = 1 + (size_t)(rnd() % 8);
            if (at + n > len)
                n = len - at;
            memmove(p + at, p + at + n, len - at - n);
            len -= n;
            break;
        }
        default: { /* duplicate a run */
            size_t n = 1 + (size_t)(rnd() % 16);
            if (at + n > len)
                n = len - at;
            if (len + n <= cap) {
                memmove(p + at + n, p + at, len - at);
                len += n;
            }
            break;
        }
        }
    }
    return len;
}

static void test_fuzz_frames(void **state)
{
    struct buf base = {0};
    frame_head(&base, PROTO_EVENTS, "dossier.kg", 0x1122334455667788ull, 41, 3);
    struct proto_event a = ev_full(), b = ev_min();
    add_event(&base, &a);
    add_event(&base, &b);
    /* A third event with an unknown, nested key, so mutations reach the skipper. */
    static const uint8_t third[] = "\x86" REQ "\xa1"
                                   "x"
                                   "\x92\x93\x01\xd0\xff\xc0\x81\xa1"
                                   "k\xc4\x02\x00\x01"
                                   "\xa1"
                                   "n"
                                   "\xcd\x01\x00";
    buf_add(&base, third, sizeof third - 1);
    struct proto_header h;
    char why[160];
    assert_int_equal(check_frame(base.p, base.len, &h, why, sizeof why), CCHC_OK);

    size_t cap = base.len + 256;
    uint8_t *work = malloc(cap);
    long ok = 0, bad = 0;
    rng_state = 20220301;
    for (int i = 0; i < 200000; i++) {
        memcpy(work, base.p, base.len);
        size_t len = mutate(work, base.len, cap);
        uint8_t *p = exact(work, len);
        int rc = check_frame(p, len, &h, why, sizeof why);
        if (rc == CCHC_OK) {
            ok++;
            size_t off = 0;
            for (uint32_t k = 0; h.kind == PROTO_EVENTS && k < h.count; k++) {
                struct proto_event ev;
                char json[PROTO_EVENT_JSON_MAX];
                size_t n;
                assert_int_equal(proto_event_decode(h.body, h.body_len, &off, &ev, why, 160), 0);
                assert_int_equal(proto_event_to_json(&ev, json, sizeof json, &n), CCHC_OK);
            }
        } else if (rc == CCHC_EPROTO) {
            bad++;
            assert_true(strlen(why) > 0);
        } else {
            fail_msg("mutation %d: rc %d", i, rc);
        }
        free(p);
    }
    /* Both outcomes happen, so the mutations test something. */
    assert_true(ok > 1000 && bad > 1000);
    free(work);
    g_free(base.p);
}

/* Random bytes drawn mostly from msgpack type bytes, straight into the event decoder. */
static void test_fuzz_events(void **state)
{
    rng_state = 42;
    uint8_t tmp[64];
    for (int i = 0; i < 100000; i++) {
        size_t len = (size_t)(rnd() % sizeof tmp);
        for (size_t k = 0; k < len; k++)
            tmp[k] = rnd() % 2 ? interesting[rnd() % sizeof interesting] : (uint8_t)rnd();
        if (len && rnd() % 2)
            tmp[0] = (uint8_t)(0x80 | (rnd() % 16));
        uint8_t *p = exact(tmp, len);
        size_t off = 0;
        struct proto_event ev;
        char why[160];
        int rc = proto_event_decode(p, len, &off, &ev, why, sizeof why);
        assert_true(rc == CCHC_OK || rc == CCHC_EPROTO);
        assert_true(off <= len);
        free(p);
    }
}

/* ---- the published vectors */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    struct buf b = {0};
    char tmp[4096];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        buf_add(&b, tmp, n);
    fclose(f);
    buf_add(&b, "", 1);
    *len = b.len - 1;
    return (char *)b.p;
}

static void unhex(const char *path, struct buf *out)
{
    size_t len;
    char *s = slurp(path, &len);
    int hi = -1;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r')
            continue;
        int v = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (v < 0)
            fail_msg("%s: '%c' is not hex", path, c);
        if (hi < 0) {
            hi = v;
        } else {
            uint8_t byte = (uint8_t)(hi << 4 | v);
            buf_add(out, &byte, 1);
            hi = -1;
        }
    }
    if (hi >= 0)
        fail_msg("%s: odd number of hex digits", path);
    free(s);
}

static int unhex_to(const char *hex, uint8_t *out, size_t n)
{
    if (strlen(hex) != 2 * n)
        return -1;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1)
            return -1;
        out[i] = (uint8_t)v;
    }
    return 0;
}

static const char *kind_name(uint8_t kind)
{
    static const char *const names[] = {"?",           "EVENTS", "HEARTBEAT", "REPLAY_REQUEST",
                                        "REPLAY_NACK", "ACK"};
    return kind <= 5 ? names[kind] : "?";
}

/* Decodes one vector file and checks it against its JSON; re-encodes it and
 * checks the bytes are the same. Returns the kind of an accepted frame, 0
 * for a rejected one. */
static int check_vector(const char *dir, const char *name)
{
    char path[1024];
    struct buf bytes = {0};
    snprintf(path, sizeof path, "%s/%s.hex", dir, name);
    unhex(path, &bytes);
    snprintf(path, sizeof path, "%s/%s.json", dir, name);
    json_error_t err;
    json_t *want = json_load_file(path, 0, &err);
    if (!want)
        fail_msg("%s: %s", path, err.text);

    uint8_t *p = exact(bytes.p, bytes.len);
    struct proto_header h;
    char why[160] = "";
    int rc = check_frame(p, bytes.len, &h, why, sizeof why);
    int accepted = strncmp(name, "reject-", 7) != 0;
    if (!accepted) {
        if (rc != CCHC_EPROTO)
            fail_msg("vector %s: accepted, must be rejected", name);
        assert_non_null(json_object_get(want, "reject"));
        goto done;
    }
    if (rc)
        fail_msg("vector %s: %s", name, why);
    char epoch[17], sig[2 * PROTO_SIG_LEN + 1];
    snprintf(epoch, sizeof epoch, "%016llx", (unsigned long long)h.epoch);
    for (int i = 0; i < PROTO_SIG_LEN; i++)
        snprintf(sig + 2 * i, 3, "%02x", h.sig[i]);
    json_t *got = json_pack("{s:i, s:s, s:i, s:s, s:s, s:I, s:I, s:i, s:s}", "version", h.version,
                            "kind", kind_name(h.kind), "flags", h.flags, "publisher", h.publisher,
                            "epoch", epoch, "seq", (json_int_t)h.seq, "count", (json_int_t)h.count,
                            "sig_len", h.sig_len, "sig", sig);
    /* The signature, with the key pair of the seed the JSON names (and, for
     * an answer, its nonce); the public key is the one the JSON gives. */
    uint8_t seed[PROTO_SEED_LEN], pk[PROTO_PUBKEY_LEN], sk[PROTO_SECRETKEY_LEN],
        want_pk[PROTO_PUBKEY_LEN], nonce[PROTO_NONCE_LEN];
    const char *seedhex = json_string_value(json_object_get(want, "seed")),
               *pubhex = json_string_value(json_object_get(want, "public")),
               *noncehex = json_string_value(json_object_get(want, "nonce"));
    if (!seedhex || !pubhex || unhex_to(seedhex, seed, sizeof seed) ||
        unhex_to(pubhex, want_pk, sizeof want_pk) ||
        (noncehex && unhex_to(noncehex, nonce, sizeof nonce)))
        fail_msg("vector %s: no seed or public key, or a bad seed, key or nonce", name);
    assert_int_equal(crypto_sign_seed_keypair(pk, sk, seed), 0);
    if (memcmp(pk, want_pk, sizeof pk) != 0)
        fail_msg("vector %s: the seed's public key is not the one the vector names", name);
    int sig_ok =
        json_object_get(want, "sig_ok") ? json_is_true(json_object_get(want, "sig_ok")) : 1;
    if ((proto_frame_verify(p, bytes.len, &h, pk, noncehex ? nonce : NULL) == CCHC_OK) != sig_ok)
        fail_msg("vector %s: signature %s, want %s", name, sig_ok ? "refused" : "accepted",
                 sig_ok ? "accepted" : "refused");
    json_object_set(got, "seed", json_object_get(want, "seed"));
    json_object_set(got, "public", json_object_get(want, "public"));
    if (noncehex)
        json_object_set(got, "nonce", json_object_get(want, "nonce"));
    if (!sig_ok)
        json_object_set_new(got, "sig_ok", json_false());
    if (h.subscriber[0])
        json_object_set_new(got, "subscriber", json_string(h.subscriber));
    struct buf again = {0};
    frame_head(&again, h.kind, h.publisher, h.epoch, h.seq, h.count);
    if (h.nonce) {
        buf_add(&again, h.nonce, PROTO_NONCE_LEN);
        buf_add(&again, h.subscriber, strlen(h.subscriber));
    }
    if (h.kind == PROTO_EVENTS) {
        json_t *events = json_array();
        size_t off = 0;
        for (uint32_t i = 0; i < h.count; i++) {
            struct proto_event ev;
            char json[PROTO_EVENT_JSON_MAX];
            size_t n;
            assert_int_equal(proto_event_decode(h.body, h.body_len, &off, &ev, why, 160), 0);
            assert_int_equal(proto_event_to_json(&ev, json, sizeof json, &n), CCHC_OK);
            json_array_append_new(events, json_loads(json, 0, &err));
            add_event(&again, &ev);
        }
        json_object_set_new(got, "events", events);
    }
    if (!json_equal(got, want)) {
        char *g = json_dumps(got, JSON_SORT_KEYS), *w = json_dumps(want, JSON_SORT_KEYS);
        fail_msg("vector %s:\n got  %s\n want %s", name, g, w);
    }
    /* Ed25519 is deterministic: signing again gives the same bytes. */
    proto_frame_sign(again.p, again.len, sk, noncehex ? nonce : NULL);
    if (sig_ok && (again.len != bytes.len || memcmp(again.p, bytes.p, bytes.len) != 0))
        fail_msg("vector %s: re-encoding gives other bytes", name);
    accepted = h.kind;
    json_decref(got);
    g_free(again.p);
done:
    json_decref(want);
    free(p);
    g_free(bytes.p);
    return accepted;
}

static void test_vectors(void **state)
{
    const char *src = getenv("CCHC_SRC");
    if (!src || !*src)
        src = CCHC_SOURCE_DIR;
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/proto/vectors", src);
    DIR *d = opendir(dir);
    if (!d)
        fail_msg("cannot open %s", dir);
    int valid = 0, rejected = 0;
    int kinds = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t n = strlen(de->d_name);
        if (n < 5 || strcmp(de->d_name + n - 4, ".hex") != 0)
            continue;
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)(n - 4), de->d_name);
        int kind = check_vector(dir, name);
        if (kind) {
            valid++;
            kinds |= 1 << kind;
        } else {
            rejected++;
        }
    }
    closedir(d);
    assert_true(valid >= 4);
    assert_true(rejected >= 1);
    assert_int_equal(kinds, 1 << 1 | 1 << 2 | 1 << 3 | 1 << 4 | 1 << 5); /* every kind has one */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_roundtrip),
        cmocka_unit_test(test_header_encode_refuses),
        cmocka_unit_test(test_header_must_not_parse_patched),
        cmocka_unit_test(test_header_must_not_parse_frames),
        cmocka_unit_test(test_frame_truncated_everywhere),
        cmocka_unit_test(test_ed25519ph_rfc8032),
        cmocka_unit_test(test_signature),
        cmocka_unit_test(test_event_roundtrip_fields),
        cmocka_unit_test(test_event_int_encodings),
        cmocka_unit_test(test_event_string_lengths),
        cmocka_unit_test(test_event_encode_refuses),
        cmocka_unit_test(test_event_must_parse),
        cmocka_unit_test(test_event_must_not_parse),
        cmocka_unit_test(test_event_nesting_depths),
        cmocka_unit_test(test_event_truncated_everywhere),
        cmocka_unit_test(test_json_fields),
        cmocka_unit_test(test_json_strings),
        cmocka_unit_test(test_json_worst_case),
        cmocka_unit_test(test_json_times),
        cmocka_unit_test(test_fuzz_frames),
        cmocka_unit_test(test_fuzz_events),
        cmocka_unit_test(test_vectors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
