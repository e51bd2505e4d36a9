/* A publisher refuses a journal that is older than what its durable
 * subscribers have applied (restored from an older copy), and opens one
 * that is not; it takes ACKs only from configured durable subscribers,
 * with either key of a rotation, and refuses strangers, readers, wrong
 * MACs and other epochs. Real nng sockets on ipc paths in a private folder. */
#include "base/err.h"
#include "bus/bus.h"
#include "bus/journal.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <nng/nng.h>
#include <nng/protocol/reqrep0/req.h>

static char dir[] = "/tmp/cchc-bus-pub-XXXXXX";

/* Seeds: the publisher's, the aggregator's two (a rotation), the tap's;
 * the keys file holds their public keys. */
#define KP "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define KA1 "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
#define KA2 "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
#define KT "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
static struct bus_auth auth;

/* The secret of a seed (as a secret file holds it). */
static struct bus_secret *secret_of(const char *seedhex)
{
    char why[256];
    struct bus_secret *sec;
    assert_int_equal(bus_secret_parse("test secret", seedhex, &sec, why, sizeof why), CCHC_OK);
    return sec;
}

static void pub_hex(const char *seedhex, char *out)
{
    struct bus_secret *sec = secret_of(seedhex);
    for (int i = 0; i < PROTO_PUBKEY_LEN; i++)
        snprintf(out + 2 * i, 3, "%02x", sec->pk[i]);
    bus_secret_free(sec);
}

static void load_keys(void)
{
    char why[256], text[1024], p[65], a1[65], a2[65], t[65];
    pub_hex(KP, p), pub_hex(KA1, a1), pub_hex(KA2, a2), pub_hex(KT, t);
    snprintf(text, sizeof text,
             "publisher test %s units=*\n"
             "subscriber aggregator %s durable\n"
             "subscriber aggregator %s durable\n"
             "subscriber tap %s reader\n",
             p, a1, a2, t);
    struct bus_keys *k;
    assert_int_equal(bus_keys_parse("test keys", text, &k, why, sizeof why), CCHC_OK);
    auth = (struct bus_auth){.keys = k, .secret = secret_of(KP), .secret_path = "test secret"};
}

/* Opens a publisher on a journal of 10 events whose subscribers file says
 * `acks` (a format of "NAME EPOCH_HEX NEXT" lines, %llx taking the epoch). */
static int open_with(const char *acks_fmt, long long next, char *why, size_t cap)
{
    char jpath[300], apath[300], pub[320], rep[320];
    snprintf(jpath, sizeof jpath, "%s/events.journal", dir);
    snprintf(apath, sizeof apath, "%s/subscribers", dir);
    snprintf(pub, sizeof pub, "ipc://%s/pub", dir);
    snprintf(rep, sizeof rep, "ipc://%s/rep", dir);
    unlink(jpath);
    struct journal *j;
    assert_int_equal(journal_open(jpath, NULL, NULL, &j, why, cap), CCHC_OK);
    for (int i = 0; i < 10; i++)
        assert_int_equal(journal_append(j, (const uint8_t *)"event", 5), CCHC_OK);
    assert_int_equal(journal_sync(j), CCHC_OK);
    FILE *f = fopen(apath, "w");
    assert_non_null(f);
    fprintf(f, acks_fmt, (unsigned long long)journal_epoch(j), next);
    fclose(f);
    struct bus_pub *p = NULL;
    int rc = bus_pub_open("test", pub, rep, j, NULL, apath, &auth, &p, why, cap);
    bus_pub_close(p);
    journal_close(j);
    unlink(apath);
    return rc;
}

static void test_acks_past_the_journal(void **unused)
{
    char why[512];
    /* up to the end: fine */
    assert_int_equal(open_with("aggregator %llx %lld\n", 10, why, sizeof why), CCHC_OK);
    /* another epoch's position says nothing of this journal */
    assert_int_equal(open_with("aggregator 1%llx %lld\n", 99, why, sizeof why), CCHC_OK);
    /* past the end: the journal lost synced events */
    assert_int_equal(open_with("aggregator %llx %lld\n", 11, why, sizeof why), CCHC_ECORRUPT);
    assert_non_null(strstr(why, "durable subscriber 'aggregator' has applied events up to 11"));
    assert_non_null(strstr(why, "the journal ends at 10"));
}

/* An acks file naming a subscriber the keys do not have: dropped, so it
 * cannot hold retention. */
static void test_unconfigured_acks_dropped(void **unused)
{
    char why[512];
    /* kept, junk at 99 would stand past the journal's end (10) and refuse it */
    assert_int_equal(open_with("junk %llx %lld\n", 99, why, sizeof why), CCHC_OK);
    assert_int_equal(open_with("aggregator %llx %lld\n", 99, why, sizeof why), CCHC_ECORRUPT);
}

/* One signed request on the replay socket: kind, name, key, epoch, seq.
 * Returns the answer's kind, after checking its MAC binds our nonce. */
static int ask(nng_socket req, uint8_t kind, const char *name, const char *keyhex, uint64_t epoch,
               uint64_t seq)
{
    struct proto_header q = {
        .kind = kind, .epoch = epoch, .seq = seq, .count = kind == PROTO_REPLAY_REQUEST ? 5 : 0};
    snprintf(q.publisher, sizeof q.publisher, "test");
    uint8_t f[PROTO_HEADER_MAX + PROTO_NONCE_LEN + 64];
    size_t n;
    assert_int_equal(proto_header_encode(&q, f, sizeof f, &n), CCHC_OK);
    uint8_t nonce[PROTO_NONCE_LEN];
    for (int i = 0; i < PROTO_NONCE_LEN; i++)
        nonce[i] = (uint8_t)(rand());
    memcpy(f + n, nonce, sizeof nonce);
    memcpy(f + n + sizeof nonce, name, strlen(name));
    n += sizeof nonce + strlen(name);
    struct bus_secret *sec = secret_of(keyhex), *pubsec = secret_of(KP);
    proto_frame_sign(f, n, sec->sk, NULL);
    assert_int_equal(nng_send(req, f, n, 0), 0);
    nng_msg *m;
    assert_int_equal(nng_recvmsg(req, &m, 0), 0);
    struct proto_header h;
    char why[160];
    assert_int_equal(proto_header_decode(nng_msg_body(m), nng_msg_len(m), &h, why, sizeof why),
                     CCHC_OK);
    assert_int_equal(proto_frame_verify(nng_msg_body(m), nng_msg_len(m), &h, pubsec->pk, nonce),
                     CCHC_OK);
    /* The same answer does not pass for another request's nonce. */
    nonce[0] ^= 1;
    assert_int_equal(proto_frame_verify(nng_msg_body(m), nng_msg_len(m), &h, pubsec->pk, nonce),
                     CCHC_EPROTO);
    nng_msg_free(m);
    bus_secret_free(sec);
    bus_secret_free(pubsec);
    return h.kind;
}

struct find {
    const char *name;
    uint64_t next;
    int found;
};

static void find_fn(void *arg, const char *n, uint64_t next)
{
    struct find *f = arg;
    if (strcmp(n, f->name) == 0)
        f->next = next, f->found = 1;
}

static uint64_t position_of(struct bus_pub *p, const char *name)
{
    struct find f = {name, 0, 0};
    bus_pub_subscribers(p, find_fn, &f);
    return f.found ? f.next : UINT64_MAX;
}

static void test_acks(void **unused)
{
    char why[512], jpath[300], apath[300], pub[320], rep[320];
    snprintf(jpath, sizeof jpath, "%s/acks.journal", dir);
    snprintf(apath, sizeof apath, "%s/acks", dir);
    snprintf(pub, sizeof pub, "ipc://%s/apub", dir);
    snprintf(rep, sizeof rep, "ipc://%s/arep", dir);
    struct journal *j;
    assert_int_equal(journal_open(jpath, NULL, NULL, &j, why, sizeof why), CCHC_OK);
    for (int i = 0; i < 10; i++)
        assert_int_equal(journal_append(j, (const uint8_t *)"\x80", 1), CCHC_OK);
    assert_int_equal(journal_sync(j), CCHC_OK);
    struct bus_pub *p;
    assert_int_equal(bus_pub_open("test", pub, rep, j, NULL, apath, &auth, &p, why, sizeof why),
                     CCHC_OK);
    nng_socket req;
    assert_int_equal(nng_req0_open(&req), 0);
    nng_socket_set_ms(req, NNG_OPT_RECVTIMEO, 5000);
    assert_int_equal(nng_dial(req, rep, NULL, 0), 0);
    uint64_t e = journal_epoch(j);
    struct bus_pub_stats st;

    /* A stranger's ACK, even signed with a real key: refused, not kept. */
    assert_int_equal(ask(req, PROTO_ACK, "stranger", KA1, e, 4), PROTO_REPLAY_NACK);
    assert_true(position_of(p, "stranger") == UINT64_MAX);
    /* The durable subscriber's name with a wrong key (the tap's). */
    assert_int_equal(ask(req, PROTO_ACK, "aggregator", KT, e, 4), PROTO_REPLAY_NACK);
    assert_true(position_of(p, "aggregator") == UINT64_MAX);
    /* A reader may not ACK. */
    assert_int_equal(ask(req, PROTO_ACK, "tap", KT, e, 4), PROTO_REPLAY_NACK);
    assert_true(position_of(p, "tap") == UINT64_MAX);
    /* The durable subscriber with its first key, then its second (a rotation). */
    assert_int_equal(ask(req, PROTO_ACK, "aggregator", KA1, e, 4), PROTO_ACK);
    assert_int_equal(position_of(p, "aggregator"), 4);
    assert_int_equal(ask(req, PROTO_ACK, "aggregator", KA2, e, 6), PROTO_ACK);
    assert_int_equal(position_of(p, "aggregator"), 6);
    /* Another epoch, or past the journal: refused, the position stays. */
    assert_int_equal(ask(req, PROTO_ACK, "aggregator", KA1, e + 1, 0), PROTO_REPLAY_NACK);
    assert_int_equal(ask(req, PROTO_ACK, "aggregator", KA1, e, 11), PROTO_REPLAY_NACK);
    assert_int_equal(position_of(p, "aggregator"), 6);
    /* Replays: the reader may ask; a stranger may not. */
    assert_int_equal(ask(req, PROTO_REPLAY_REQUEST, "tap", KT, e, 0), PROTO_EVENTS);
    assert_int_equal(ask(req, PROTO_REPLAY_REQUEST, "junk", KT, e, 0), PROTO_REPLAY_NACK);
    bus_pub_get_stats(p, &st);
    assert_int_equal(st.stranger_requests, 2);
    assert_int_equal(st.bad_mac_requests, 1);
    assert_int_equal(st.refused_acks, 3);
    assert_int_equal(st.acks_taken, 2);
    assert_int_equal(st.replays_served, 1);
    /* An unsigned (version 1) request. */
    uint8_t v1[39] = "CCHC\x01\x05";
    v1[7] = 4;
    memcpy(v1 + 32, "test", 4);
    assert_int_equal(nng_send(req, v1, 36, 0), 0);
    nng_msg *m;
    assert_int_equal(nng_recvmsg(req, &m, 0), 0);
    nng_msg_free(m);
    bus_pub_get_stats(p, &st);
    assert_int_equal(st.bad_requests, 1);
    nng_close(req);
    bus_pub_close(p);
    /* Only configured durable names are kept across a restart. */
    FILE *f = fopen(apath, "r");
    assert_non_null(f);
    char text[512] = "";
    size_t got = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[got] = 0;
    assert_non_null(strstr(text, "aggregator "));
    assert_null(strstr(text, "stranger"));
    assert_null(strstr(text, "tap "));
    journal_close(j);
}

/* A publisher whose secret is not its own line's does not start: the
 * tap's secret cannot sign as publisher test. */
static void test_secret_of_another(void **unused)
{
    char why[512];
    const struct bus_secret *own = auth.secret;
    struct bus_secret *tap = secret_of(KT);
    auth.secret = tap;
    assert_int_equal(open_with("aggregator %llx %lld\n", 10, why, sizeof why), CCHC_EINVAL);
    assert_non_null(strstr(why, "bus secret test secret: its public key"));
    assert_non_null(strstr(why, "is not on a 'publisher test' line of the bus keys"));
    auth.secret = own;
    bus_secret_free(tap);
    assert_int_equal(open_with("aggregator %llx %lld\n", 10, why, sizeof why), CCHC_OK);
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    load_keys();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_acks_past_the_journal),
        cmocka_unit_test(test_unconfigured_acks_dropped),
        cmocka_unit_test(test_acks),
        cmocka_unit_test(test_secret_of_another),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return rc;
}
