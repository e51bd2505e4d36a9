/* The bus keys file parser (keys.h): good files, every kind of bad line
 * with its file, line and field, rotations, signature checks with both
 * keys; the secret file, and which line a secret may sign as. */
#include "base/err.h"
#include "bus/keys.h"
#include "proto/frame.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

/* Seeds, and their public keys (what libsodium's crypto_sign_seed_keypair
 * derives; test_verify_rotation checks them). */
#define S1 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define S2 "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
#define S3 "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
#define K1 "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8"
#define K2 "29acbae141bccaf0b22e1a94d34d0bc7361e526d0bfe12c89794bc9322966dd7"
#define K3 "2543b92ff1095511476adc8369db6ddc933665a11978dda1404ee1066ca9559d"
#define K4                                                                                         \
    "174553b456dddfc6908ecab1c101fe6ab21e2baa0617795b7d43a63482993fd5" /* of seed 606162...7f */
#define K5                                                                                         \
    "cd14b37f956e953194ff7fb73b3d81dcc561d61a7538094b7c3e1a643ee5f3aa" /* of seed 808182...9f */

static void test_good(void **state)
{
    struct bus_keys *k;
    char why[256];
    const char *text = "# bus keys\n"
                       "\n"
                       "publisher dossier " K1 " units=kg.rachgia,kg.hatien\n"
                       "  publisher\tfinance " K2 " units=*  \n"
                       "subscriber aggregator " K3 " durable\n"
                       "subscriber tap " K4 " reader\n"
                       "publisher dossier " K5 "\n"; /* rotation: a second key */
    assert_int_equal(bus_keys_parse("keys", text, &k, why, sizeof why), CCHC_OK);
    assert_int_equal(k->n, 4);
    const struct bus_peer *d = bus_keys_find(k, BUS_PUBLISHER, "dossier");
    assert_non_null(d);
    assert_int_equal(d->nkeys, 2);
    assert_int_equal(d->key[0][0], 0x03);
    assert_int_equal(d->key[0][31], 0xb8);
    assert_int_equal(d->key[1][0], 0xcd);
    assert_int_equal(d->nunits, 2);
    assert_string_equal(d->units[0], "kg.rachgia");
    assert_string_equal(d->units[1], "kg.hatien");
    assert_false(d->all_units);
    const struct bus_peer *f = bus_keys_find(k, BUS_PUBLISHER, "finance");
    assert_true(f->all_units);
    assert_int_equal(f->nkeys, 1);
    assert_true(bus_keys_find(k, BUS_SUBSCRIBER, "aggregator")->durable);
    assert_false(bus_keys_find(k, BUS_SUBSCRIBER, "tap")->durable);
    /* names are per role */
    assert_null(bus_keys_find(k, BUS_SUBSCRIBER, "dossier"));
    assert_null(bus_keys_find(k, BUS_PUBLISHER, "tap"));
    assert_null(bus_keys_find(k, BUS_PUBLISHER, "nobody"));
    bus_keys_free(k);
}

static void bad(const char *text, const char *want)
{
    struct bus_keys *k = NULL;
    char why[256] = "";
    int rc = bus_keys_parse("keys.txt", text, &k, why, sizeof why);
    if (rc != CCHC_EINVAL)
        fail_msg("accepted: %s", text);
    if (!strstr(why, want))
        fail_msg("for %s: reason \"%s\" does not say \"%s\"", text, why, want);
    assert_null(k);
}

static void test_bad(void **state)
{
    bad("", "keys.txt: no publisher or subscriber line");
    bad("# only comments\n", "no publisher or subscriber line");
    bad("pub dossier " K1 " units=*\n",
        "keys.txt:1: field 1 ('pub'): want publisher or subscriber");
    bad("\npublisher\n", "keys.txt:2: field 2: missing: a name");
    bad("publisher dossier\n", "keys.txt:1: field 3: missing: a public key");
    bad("publisher dos/sier " K1 " units=*\n", "field 2 ('dos/sier'): a name is 1..64");
    bad("publisher dossier 0011 units=*\n",
        "keys.txt:1: field 3: a key is an Ed25519 public key, 64 hex digits");
    bad("publisher dossier " K1 "0 units=*\n", "field 3");
    bad("publisher dossier zz0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f "
        "units=*\n",
        "public key, 64 hex digits");
    /* 64 hex digits, but no public key: a seed pasted in the wrong file. */
    bad("publisher dossier " S1 " units=*\n", "keys.txt:1: field 3: not an Ed25519 public key");
    struct bus_keys *k = NULL;
    char why[256] = "";
    bus_keys_parse("k", "publisher dossier " S1 " units=*\n", &k, why, sizeof why);
    assert_null(strstr(why, "000102030405")); /* the seed is not echoed */
    bad("publisher dossier " K1 "\n", "field 4: missing: units=");
    bad("publisher dossier " K1 " kg.rachgia\n", "field 4 ('kg.rachgia'): want units=");
    bad("publisher dossier " K1 " units=\n", "field 4");
    bad("publisher dossier " K1 " units=a,,b\n", "field 4");
    bad("publisher dossier " K1 " units=*,a\n", "field 4");
    bad("publisher dossier " K1 " units=* extra\n", "field 5 ('extra'): unexpected");
    bad("subscriber aggregator " K1 "\n", "field 4: missing: durable or reader");
    bad("subscriber aggregator " K1 " writer\n", "field 4 ('writer'): want durable or reader");
    bad("subscriber a " K1 " durable\nsubscriber a " K2 " reader\n",
        "keys.txt:2: subscriber 'a': the second key of a subscriber must keep its role");
    bad("publisher p " K1 " units=a\npublisher p " K2 " units=b\n",
        "keys.txt:2: publisher 'p': the second key of a publisher must keep its units");
    bad("publisher p " K1 " units=a\npublisher p " K1 "\n", "the same key twice");
    bad("publisher p " K1 " units=*\nsubscriber t " K1 " reader\n",
        "keys.txt:2: field 3: the public key of publisher 'p' too");
    bad("publisher p " K1 " units=*\npublisher p " K2 "\npublisher q " K2 " units=*\n",
        "keys.txt:3: field 3: the public key of publisher 'p' too");
    bad("subscriber p " K1 " reader\npublisher p " K1 " units=*\n",
        "keys.txt:2: field 3: the public key of subscriber 'p' too");
    bad("publisher p " K1 " units=*\npublisher p " K2 "\npublisher p " K3 "\n",
        "keys.txt:3: publisher 'p': a name has at most two keys");
}

static struct bus_secret *secret(const char *text);
static void hex_of(const struct bus_secret *sec, char *out);

static void test_too_many(void **state)
{
    char text[BUS_KEYS_MAX * 120 + 200] = "";
    size_t at = 0;
    for (int i = 0; i <= BUS_KEYS_MAX; i++) {
        /* a key pair of its own each: seed S1 with its first byte i */
        char seed[65], pub[65];
        snprintf(seed, sizeof seed, "%02x%s", i, &S1[2]);
        struct bus_secret *sec = secret(seed);
        hex_of(sec, pub);
        bus_secret_free(sec);
        at += (size_t)snprintf(text + at, sizeof text - at, "subscriber s%d %s reader\n", i, pub);
    }
    bad(text, "keys.txt:65: more than 64 names");
}

static struct bus_secret *secret(const char *text)
{
    struct bus_secret *sec;
    char why[256];
    assert_int_equal(bus_secret_parse("s", text, &sec, why, sizeof why), CCHC_OK);
    return sec;
}

static void hex_of(const struct bus_secret *sec, char *out)
{
    for (int i = 0; i < PROTO_PUBKEY_LEN; i++)
        snprintf(out + 2 * i, 3, "%02x", sec->pk[i]);
}

/* A frame signed with the secret of either of a rotating publisher's keys
 * passes; with another's, or changed by one bit, it does not. */
static void test_verify_rotation(void **state)
{
    struct bus_keys *k;
    char why[256], text[512], h1[65], h2[65], h3[65];
    struct bus_secret *s[3] = {secret(S1), secret(S2), secret(S3)};
    hex_of(s[0], h1), hex_of(s[1], h2), hex_of(s[2], h3);
    assert_string_equal(h1, K1);
    assert_string_equal(h2, K2);
    assert_string_equal(h3, K3);
    snprintf(text, sizeof text, "publisher p %s units=*\npublisher p %s\npublisher q %s units=*\n",
             h1, h2, h3);
    assert_int_equal(bus_keys_parse("k", text, &k, why, sizeof why), CCHC_OK);
    const struct bus_peer *p = bus_keys_find(k, BUS_PUBLISHER, "p"),
                          *q = bus_keys_find(k, BUS_PUBLISHER, "q");
    struct proto_header h = {.kind = PROTO_HEARTBEAT, .publisher = "p", .epoch = 1, .seq = 2};
    uint8_t f[PROTO_HEADER_MAX];
    size_t n;
    assert_int_equal(proto_header_encode(&h, f, sizeof f, &n), CCHC_OK);
    for (int key = 0; key < 2; key++) {
        assert_int_equal(proto_frame_sign(f, n, s[key]->sk, NULL), CCHC_OK);
        struct proto_header d;
        assert_int_equal(proto_header_decode(f, n, &d, why, sizeof why), CCHC_OK);
        assert_int_equal(bus_peer_verify(p, f, n, &d, NULL), CCHC_OK);
        assert_int_equal(bus_peer_verify(q, f, n, &d, NULL), CCHC_EPROTO);
        assert_int_equal(bus_peer_verify(NULL, f, n, &d, NULL), CCHC_EPROTO);
        f[20] ^= 1; /* the seq */
        assert_int_equal(bus_peer_verify(p, f, n, &d, NULL), CCHC_EPROTO);
        f[20] ^= 1;
    }
    /* q's secret signing as p: a valid signature, but not one of p's keys. */
    assert_int_equal(proto_frame_sign(f, n, s[2]->sk, NULL), CCHC_OK);
    struct proto_header d;
    assert_int_equal(proto_header_decode(f, n, &d, why, sizeof why), CCHC_OK);
    assert_int_equal(bus_peer_verify(p, f, n, &d, NULL), CCHC_EPROTO);
    assert_int_equal(bus_peer_verify(q, f, n, &d, NULL), CCHC_OK);

    /* Which line a secret may sign as: its own name's, either key of a
     * rotation; never another name's or another role's. */
    assert_ptr_equal(bus_keys_self(k, s[0], "p.secret", BUS_PUBLISHER, "p", why, sizeof why), p);
    assert_ptr_equal(bus_keys_self(k, s[1], "p.secret", BUS_PUBLISHER, "p", why, sizeof why), p);
    assert_null(bus_keys_self(k, s[2], "q.secret", BUS_PUBLISHER, "p", why, sizeof why));
    char want[300];
    snprintf(want, sizeof want,
             "bus secret q.secret: its public key %s is not on a 'publisher p' line of the bus "
             "keys: refused",
             h3);
    assert_non_null(strstr(why, want));
    assert_null(bus_keys_self(k, s[0], "p.secret", BUS_SUBSCRIBER, "p", why, sizeof why));
    assert_non_null(strstr(why, "bus keys: no 'subscriber p' line"));
    assert_null(bus_keys_self(k, NULL, NULL, BUS_PUBLISHER, "p", why, sizeof why));
    for (int i = 0; i < 3; i++)
        bus_secret_free(s[i]);
    bus_keys_free(k);
}

static void bad_secret(const char *text, const char *want)
{
    struct bus_secret *sec = NULL;
    char why[256] = "";
    if (bus_secret_parse("x.secret", text, &sec, why, sizeof why) != CCHC_EINVAL)
        fail_msg("accepted: %s", text);
    if (!strstr(why, want))
        fail_msg("for %s: reason \"%s\" does not say \"%s\"", text, why, want);
    assert_null(sec);
}

static void test_secret_file(void **state)
{
    /* The same seed, with comments and blanks, is the same key pair. */
    struct bus_secret *a = secret(S1), *b = secret("# made by ops/new-bus-key\n\n  " S1 "  \n");
    assert_memory_equal(a->pk, b->pk, PROTO_PUBKEY_LEN);
    assert_memory_equal(a->sk, b->sk, PROTO_SECRETKEY_LEN);
    struct bus_secret *c = secret(S2);
    assert_memory_not_equal(a->pk, c->pk, PROTO_PUBKEY_LEN);
    bus_secret_free(a), bus_secret_free(b), bus_secret_free(c);
    bad_secret("", "x.secret: no seed line");
    bad_secret("# only a comment\n", "x.secret: no seed line");
    bad_secret("0011\n", "x.secret:1: field 1: a seed is 64 hex digits");
    bad_secret("# c\nzz0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n",
               "x.secret:2: field 1: a seed is 64 hex digits");
    bad_secret(S1 " extra\n", "x.secret:1: field 2: unexpected");
    bad_secret(S1 "\n" S2 "\n", "x.secret:2: field 1: unexpected: a secret file has one seed line");

    /* On disk: 0600 only; anything open to group or others is refused. */
    char dir[] = "/tmp/cchc-keys-test-XXXXXX", path[64], why[512];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/tap.secret", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(S3 "\n", f);
    fclose(f);
    struct bus_secret *sec = NULL;
    assert_int_equal(chmod(path, 0644), 0);
    assert_int_equal(bus_secret_load(path, &sec, why, sizeof why), CCHC_EINVAL);
    assert_non_null(strstr(why, path));
    assert_non_null(strstr(why, "open to group or others (mode 644)"));
    assert_int_equal(chmod(path, 0640), 0);
    assert_int_equal(bus_secret_load(path, &sec, why, sizeof why), CCHC_EINVAL);
    assert_int_equal(chmod(path, 0600), 0);
    assert_int_equal(bus_secret_load(path, &sec, why, sizeof why), CCHC_OK);
    struct bus_secret *want = secret(S3);
    assert_memory_equal(sec->pk, want->pk, PROTO_PUBKEY_LEN);
    bus_secret_free(sec), bus_secret_free(want);
    unlink(path);
    assert_int_equal(bus_secret_load(path, &sec, why, sizeof why), CCHC_EIO);
    assert_non_null(strstr(why, path));
    assert_int_equal(bus_secret_load(NULL, &sec, why, sizeof why), CCHC_EINVAL);
    assert_non_null(strstr(why, "--bus-secret FILE or CCHC_BUS_SECRET"));
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),        cmocka_unit_test(test_bad),
        cmocka_unit_test(test_too_many),    cmocka_unit_test(test_verify_rotation),
        cmocka_unit_test(test_secret_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
