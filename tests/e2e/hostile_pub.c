/* A publisher that lies: it binds a PUB and a REP socket like a cchc service
 * and, for a few seconds, sends hostile frames around one valid frame,
 * signed with the secret in SECRET_FILE (a bus secret file, keys.h: its own,
 * another program's, or a stranger's). The tests (hostile_frames.sh,
 * tests/security/) check that the aggregator rejects and counts them,
 * applies the valid events exactly once, and keeps going.
 * usage: hostile_pub PUB_URL REPLAY_URL SECONDS MODE SECRET_FILE [PUBLISHER]
 * PUBLISHER: the name its frames carry (default hostile; intruder in that mode)
 * MODE: hostile   malformed frames around the valid one, all signed
 *       wrong-mac the valid frame, signed with another seed (the secret's
 *                 first byte xor 1), or signed and then tampered
 *       no-mac    the valid frame as version 1 wrote it, as version 2 (a
 *                 keyed BLAKE2b MAC, with the seed as key), and version 3
 *                 with flags bit 0 clear
 *       forge     the valid frame only (under PUBLISHER, with whatever secret)
 *       old-frame the valid frame, sent again and again after it was applied
 *       old-epoch the valid frame in epoch E, then epoch E+1; then a frame of
 *                 E with a new event (id old-epoch) played back
 *       old-epoch-replayed  in epoch E+1 from the start, its frame with
 *                 events ok-3 and ok-4, each time followed by old-epoch's
 *                 recorded frame of E (for an aggregator that was restarted)
 *       intruder  the valid frame from publisher "intruder" (not in the keys)
 *       scope     the valid frame (p-an-binh), and one for p-vinh-loi */
#include "base/err.h"
#include "bus/keys.h"
#include "proto/event.h"
#include "proto/frame.h"

#include <glib.h>
#include <nng/nng.h>
#include <nng/protocol/pubsub0/pub.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/supplemental/util/platform.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EPOCH 0x1122334455667788ull
#define MAXF 4096

static uint64_t epoch = EPOCH;
static uint8_t key[PROTO_SECRETKEY_LEN]; /* the secret key it signs with */

struct frame {
    uint8_t b[MAXF];
    size_t n;
};

static size_t header(uint8_t *out, uint8_t kind, const char *publisher, uint64_t seq,
                     uint32_t count)
{
    struct proto_header h = {
        .version = PROTO_VERSION, .kind = kind, .epoch = epoch, .seq = seq, .count = count};
    snprintf(h.publisher, sizeof h.publisher, "%s", publisher);
    size_t n;
    if (proto_header_encode(&h, out, MAXF, &n))
        abort();
    return n;
}

static void add_event(struct frame *f, const char *type, const char *unit, const char *id,
                      const char *metric)
{
    struct proto_event ev = {
        .type = {type, (uint32_t)strlen(type)},
        .id = {id, (uint32_t)strlen(id)},
        .unit = {unit, (uint32_t)strlen(unit)},
        .at_ms = 1646096400000, /* 2022-03-01T08:00:00+07:00 */
        .dossier = {id, (uint32_t)strlen(id)},
        .procedure = {"p", 1},
        .field = {"f", 1},
        .cat = {"direct", 6},
        .due_ms = 1646470800000,
        .has = PROTO_HAS_DUE,
        .nm = 1,
        .m = {{{metric, (uint32_t)strlen(metric)}, 1}},
    };
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    if (proto_event_encode(&ev, &buf, &len, &cap) || f->n + len > MAXF)
        abort();
    memcpy(f->b + f->n, buf, len);
    f->n += len;
    g_free(buf);
}

static void bytes(struct frame *f, const void *p, size_t n)
{
    memcpy(f->b + f->n, p, n);
    f->n += n;
}

/* Signs f with key (or leaves it as it is: garbage has no signature room) and sends it. */
static void send_signed(nng_socket pub, struct frame *f, const uint8_t *k)
{
    struct proto_header h;
    char why[160];
    if (proto_header_decode(f->b, f->n, &h, why, sizeof why) == CCHC_OK)
        proto_frame_sign(f->b, f->n, k, NULL);
    nng_send(pub, f->b, f->n, 0);
}

/* The frame without its signature room, as version 1 wrote it. */
static void as_version1(struct frame *out, const struct frame *in)
{
    size_t p = in->b[7], room = PROTO_HEADER_FIXED + p;
    memcpy(out->b, in->b, room);
    memcpy(out->b + room, in->b + room + PROTO_SIG_LEN, in->n - room - PROTO_SIG_LEN);
    out->n = in->n - PROTO_SIG_LEN;
    out->b[4] = 1, out->b[6] = 0, out->b[28] = 0, out->b[29] = 0;
}

/* The frame as version 2 wrote it: a 32-byte keyed BLAKE2b MAC (the key:
 * the secret's seed) in place of the signature. */
static void as_version2(struct frame *out, const struct frame *in)
{
    size_t p = in->b[7], head = PROTO_HEADER_FIXED + p, body = in->n - head - PROTO_SIG_LEN;
    memcpy(out->b, in->b, head);
    memcpy(out->b + head + 32, in->b + head + PROTO_SIG_LEN, body);
    out->b[4] = 2, out->b[28] = 0, out->b[29] = 32;
    crypto_generichash_state st;
    crypto_generichash_init(&st, key, 32, 32); /* the seed: the first half of the secret key */
    crypto_generichash_update(&st, out->b, head);
    crypto_generichash_update(&st, out->b + head + 32, body);
    crypto_generichash_final(&st, out->b + head, 32);
    out->n = head + 32 + body;
}

int main(int argc, char **argv)
{
    if (argc != 6 && argc != 7) {
        fprintf(stderr,
                "usage: hostile_pub PUB_URL REPLAY_URL SECONDS MODE SECRET_FILE [PUBLISHER]\n");
        return 2;
    }
    const char *mode = argv[4];
    struct bus_secret *sec;
    char err[512];
    if (bus_secret_load(argv[5], &sec, err, sizeof err)) {
        fprintf(stderr, "hostile_pub: %s\n", err);
        return 2;
    }
    memcpy(key, sec->sk, sizeof key);
    bus_secret_free(sec);
    /* Another seed's key pair: a signature that is not the secret's. */
    uint8_t wrong[PROTO_SECRETKEY_LEN], wrong_pk[PROTO_PUBKEY_LEN], wrong_seed[PROTO_SEED_LEN];
    memcpy(wrong_seed, key, sizeof wrong_seed); /* libsodium's secret key starts with the seed */
    wrong_seed[0] ^= 1;
    crypto_sign_seed_keypair(wrong_pk, wrong, wrong_seed);
    nng_socket pub, rep;
    if (nng_pub0_open(&pub) || nng_listen(pub, argv[1], NULL, 0) || nng_rep0_open(&rep) ||
        nng_listen(rep, argv[2], NULL, 0)) {
        fprintf(stderr, "hostile_pub: cannot listen\n");
        return 1;
    }
    nng_socket_set_ms(rep, NNG_OPT_RECVTIMEO, 10);
    const char *me = argc == 7 ? argv[6] : strcmp(mode, "intruder") == 0 ? "intruder" : "hostile";

    struct frame fr[16];
    int nf = 0;
    memset(fr, 0, sizeof fr);
    /* 0: the valid frame: two dossiers received at a ward, seq 0 and 1. */
    fr[nf].n = header(fr[nf].b, PROTO_EVENTS, me, 0, 2);
    add_event(&fr[nf], "dossier.received", "kg.rachgia.p-an-binh", "ok-1", "received");
    add_event(&fr[nf], "dossier.received", "kg.rachgia.p-an-binh", "ok-2", "received");
    nf++;
    if (strcmp(mode, "hostile") == 0) {
        /* 1: garbage */
        bytes(&fr[nf++], "\x00\x01garbage that is not a frame at all............", 48);
        /* 2: a header cut short */
        memcpy(fr[nf].b, fr[0].b, 10), fr[nf++].n = 10;
        /* 3: bad magic */
        memcpy(fr[nf].b, fr[0].b, fr[0].n), fr[nf].n = fr[0].n, fr[nf].b[0] = 'X', nf++;
        /* 4: a version from the future */
        memcpy(fr[nf].b, fr[0].b, fr[0].n), fr[nf].n = fr[0].n, fr[nf].b[4] = 9, nf++;
        /* 5..9 and 12 come where the subscriber stands after the valid frame (seq 2),
         * so they reach the event decoder instead of being dropped as duplicates. */
        /* 5: a map declaring 2^32-1 entries in 5 bytes (msgpack-c would allocate them) */
        fr[nf].n = header(fr[nf].b, PROTO_EVENTS, "hostile", 2, 1);
        bytes(&fr[nf++], "\xdf\xff\xff\xff\xff", 5);
        /* 6: a string declaring 4 GiB */
        fr[nf].n = header(fr[nf].b, PROTO_EVENTS, "hostile", 2, 1);
        bytes(&fr[nf++], "\x81\xa1t\xdb\xff\xff\xff\xff", 8);
        /* 7: more events announced than carried */
        fr[nf].n = header(fr[nf].b, PROTO_EVENTS, "hostile", 2, 60000);
        add_event(&fr[nf++], "dossier.received", "kg.rachgia.p-an-binh", "short", "received");
        /* 8: a unit nobody registered */
        fr[nf].n = header(fr[nf].b, PROTO_EVENTS, "hostile", 2, 1);
        add_event(&fr[nf++], "dossier.received", "kg.nowhere", "nowhere", "received");
        /* 9: a metric name that is no metric name (it would become a Redis key part) */
        fr[nf].n = header(fr[nf].b, PROTO_EVENTS, "hostile", 2, 1);
        add_event(&fr[nf++], "dossier.received", "kg.rachgia.p-an-binh", "tele", "x y:*");
        /* 10: a replay request on the live bus */
        fr[nf].n = header(fr[nf].b, PROTO_REPLAY_REQUEST, "hostile", 0, 10);
        nf++;
        /* 11: a heartbeat far ahead: a gap the publisher then refuses to fill */
        fr[nf].n = header(fr[nf].b, PROTO_HEARTBEAT, "hostile", 1000000000, 0);
        nf++;
        /* 12: another publisher on this source */
        fr[nf].n = header(fr[nf].b, PROTO_EVENTS, "intruder", 2, 1);
        add_event(&fr[nf++], "dossier.received", "kg.rachgia.p-an-binh", "intruder", "received");

    } else if (strcmp(mode, "wrong-mac") == 0 || strcmp(mode, "no-mac") == 0) {
        /* 1: the valid frame again, for tampering or stripping */
        memcpy(fr[nf].b, fr[0].b, fr[0].n), fr[nf].n = fr[0].n, nf++;
    } else if (strcmp(mode, "scope") == 0) {
        /* 1: seq 2, a unit this publisher is not configured for */
        fr[nf].n = header(fr[nf].b, PROTO_EVENTS, me, 2, 1);
        add_event(&fr[nf++], "dossier.received", "kg.rachgia.p-vinh-loi", "out-1", "received");
    }

    struct frame beat = {0}, old = {0}, v1 = {0};
    beat.n = header(beat.b, PROTO_HEARTBEAT, me, strcmp(mode, "scope") == 0 ? 3 : 2, 0);
    uint64_t first_epoch = epoch;
    int replayed = strcmp(mode, "old-epoch-replayed") == 0;
    if (strcmp(mode, "old-epoch") == 0 || replayed) {
        /* Recorded in epoch E, seq 2: an event the aggregator never saw. */
        old.n = header(old.b, PROTO_EVENTS, me, 2, 1);
        add_event(&old, "dossier.received", "kg.rachgia.p-an-binh", "old-epoch", "received");
    }
    double seconds = atof(argv[3]);
    nng_time start = nng_clock(), end = start + (nng_time)(seconds * 1000);
    long sent = 0;
    int switched = 0;
    if (replayed) {
        switched = 1;
        epoch = first_epoch + 1;
        fr[0].n = header(fr[0].b, PROTO_EVENTS, me, 0, 2);
        add_event(&fr[0], "dossier.received", "kg.rachgia.p-an-binh", "ok-3", "received");
        add_event(&fr[0], "dossier.received", "kg.rachgia.p-an-binh", "ok-4", "received");
        beat.n = header(beat.b, PROTO_HEARTBEAT, me, 2, 0);
    }
    while (nng_clock() < end) {
        if (strcmp(mode, "old-epoch") == 0 && !switched && nng_clock() - start > seconds * 400) {
            /* The publisher moves to a new journal: epoch E+1, its own first event. */
            switched = 1;
            epoch = first_epoch + 1;
            fr[0].n = header(fr[0].b, PROTO_EVENTS, me, 0, 1);
            add_event(&fr[0], "dossier.received", "kg.rachgia.p-an-binh", "ok-3", "received");
            beat.n = header(beat.b, PROTO_HEARTBEAT, me, 1, 0);
        }
        /* The valid heartbeat first, so the source is bound to its publisher. */
        send_signed(pub, &beat, key);
        if (strcmp(mode, "wrong-mac") == 0) {
            send_signed(pub, &fr[1], wrong); /* another key's signature */
            proto_frame_sign(fr[1].b, fr[1].n, key, NULL);
            fr[1].b[fr[1].n - 1] ^= 1; /* signed, then a body byte changed */
            nng_send(pub, fr[1].b, fr[1].n, 0);
            fr[1].b[fr[1].n - 1] ^= 1;
            sent += 2;
        } else if (strcmp(mode, "no-mac") == 0) {
            as_version1(&v1, &fr[1]);
            nng_send(pub, v1.b, v1.n, 0);
            as_version2(&v1, &fr[1]);
            nng_send(pub, v1.b, v1.n, 0);
            struct frame z = fr[1]; /* version 3, flags bit 0 clear, signature room zero */
            z.b[6] = 0;
            nng_send(pub, z.b, z.n, 0);
            sent += 3;
        } else if (strcmp(mode, "hostile") == 0) {
            for (int i = 1; i < nf; i++, sent++)
                send_signed(pub, &fr[i], key);
        } else if (strcmp(mode, "scope") == 0) {
            send_signed(pub, &fr[1], key);
        }
        if (strcmp(mode, "wrong-mac") != 0 && strcmp(mode, "no-mac") != 0)
            send_signed(pub, &fr[0], key); /* the valid one, again and again */
        if (strcmp(mode, "old-frame") == 0 || strcmp(mode, "forge") == 0)
            sent++;
        if (switched) { /* old-epoch: the recorded frame of E, played back */
            uint64_t now_epoch = epoch;
            epoch = first_epoch;
            send_signed(pub, &old, key);
            epoch = now_epoch;
            sent++;
        }
        /* Every replay request gets a refusal, bound to its nonce. */
        nng_msg *req;
        while (nng_recvmsg(rep, &req, 0) == 0) {
            struct proto_header q;
            char why[160];
            const uint8_t *nonce = NULL;
            uint8_t nbuf[PROTO_NONCE_LEN];
            if (proto_header_decode(nng_msg_body(req), nng_msg_len(req), &q, why, sizeof why) ==
                    CCHC_OK &&
                q.nonce)
                memcpy(nbuf, q.nonce, sizeof nbuf), nonce = nbuf;
            nng_msg_free(req);
            uint8_t nack[PROTO_HEADER_MAX];
            size_t n = header(nack, PROTO_REPLAY_NACK, me, 2, 0);
            proto_frame_sign(nack, n, key, nonce);
            nng_send(rep, nack, n, 0);
        }
        nng_msleep(50);
    }
    printf("%ld hostile frames sent\n", sent);
    nng_close(pub);
    nng_close(rep);
    return 0;
}
