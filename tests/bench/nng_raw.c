/* The bus's raw limit, for ops/bench: how many messages of a given size nng
 * moves over ipc in a second, PUSH to PULL (lossless, flow-controlled, so
 * what is counted was delivered), sender and receiver in two threads.
 * usage: bench_nng_raw URL BYTES SECONDS   (prints: messages/s MB/s)
 * With --mac first, what the bus's MAC costs on the same frames: BYTES-byte
 * cchc frames sent as they are (the receiver decodes each header), then
 * signed by the sender and checked by the receiver (proto_frame_sign,
 * proto_frame_verify: Ed25519ph, with a key pair from a fixed seed: sender
 * and receiver are this one process, so it needs no secret file), SECONDS
 * each.
 * usage: bench_nng_raw --mac URL BYTES SECONDS
 * (prints: frames/s without MAC, frames/s with MAC, their ratio) */
#include "proto/frame.h"

#include <nng/nng.h>
#include <sodium.h>
#include <nng/protocol/pipeline0/pull.h>
#include <nng/protocol/pipeline0/push.h>
#include <nng/supplemental/util/platform.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct run {
    const char *url;
    size_t bytes;
    nng_time until;
    int ready;
    int frames, mac; /* send cchc frames; sign (and check) them */
};

static const uint8_t seed[PROTO_SEED_LEN] = {1, 2, 3, 4, 5, 6, 7, 8};
static uint8_t pk[PROTO_PUBKEY_LEN], sk[PROTO_SECRETKEY_LEN];

static void *sender(void *arg)
{
    struct run *r = arg;
    nng_socket s;
    if (nng_push0_open(&s) || nng_socket_set_ms(s, NNG_OPT_SENDTIMEO, 200) ||
        nng_dial(s, r->url, NULL, 0))
        exit(2);
    uint8_t *buf = calloc(1, r->bytes);
    if (r->frames) { /* an EVENTS header, the rest its body: the MAC covers it all */
        struct proto_header h = {.kind = PROTO_EVENTS, .publisher = "dossier", .count = 1};
        size_t n;
        if (r->bytes < PROTO_HEADER_MAX || proto_header_encode(&h, buf, r->bytes, &n))
            exit(2);
    }
    while (nng_clock() < r->until + 500) {
        if (r->mac)
            proto_frame_sign(buf, r->bytes, sk, NULL);
        /* A send that times out (a receiver slowed by its checks, or a busy
         * machine) is tried again: stopping early would leave the receiver
         * waiting for frames that never come. */
        if (nng_send(s, buf, r->bytes, 0) && nng_clock() >= r->until)
            break;
    }
    free(buf);
    nng_close(s);
    return NULL;
}

/* Messages per second of one run, and MB/s into *mbs. */
static double one_run(struct run *r, double seconds, double *mbs)
{
    nng_socket in;
    if (nng_pull0_open(&in) || nng_listen(in, r->url, NULL, 0) ||
        nng_socket_set_size(in, NNG_OPT_RECVMAXSZ, 0) ||
        nng_socket_set_ms(in, NNG_OPT_RECVTIMEO, 5000)) {
        fprintf(stderr, "bench_nng_raw: cannot listen on %s\n", r->url);
        exit(2);
    }
    nng_time start = nng_clock();
    r->until = start + (nng_time)(1000 * seconds);
    pthread_t t;
    if (pthread_create(&t, NULL, sender, r)) {
        fprintf(stderr, "bench_nng_raw: cannot start the sender\n");
        exit(2);
    }
    unsigned long n = 0, bad = 0;
    nng_time first = 0, now = 0;
    while ((now = nng_clock()) < r->until) {
        nng_msg *m;
        if (nng_recvmsg(in, &m, 0))
            break;
        if (r->frames) {
            struct proto_header h;
            if (proto_header_decode(nng_msg_body(m), nng_msg_len(m), &h, NULL, 0) ||
                (r->mac && proto_frame_verify(nng_msg_body(m), nng_msg_len(m), &h, pk, NULL)))
                bad++;
        }
        if (!first)
            first = now; /* from the first message: the dial is not the bus */
        else
            n++;
        nng_msg_free(m);
    }
    if (bad) {
        fprintf(stderr, "bench_nng_raw: %lu frames failed their check\n", bad);
        exit(1);
    }
    double secs = (double)(now - first) / 1000.0;
    *mbs = n * (double)r->bytes / secs / 1e6;
    nng_close(in);
    pthread_join(t, NULL);
    return n / secs;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "--mac") == 0) {
        if (sodium_init() < 0 || crypto_sign_seed_keypair(pk, sk, seed))
            exit(2);
        struct run r = {.url = argv[2], .bytes = strtoul(argv[3], NULL, 10), .frames = 1};
        double mbs, plain = one_run(&r, atof(argv[4]), &mbs);
        r.mac = 1;
        double mac = one_run(&r, atof(argv[4]), &mbs);
        printf("%.0f %.0f %.3f\n", plain, mac, plain > 0 ? mac / plain : 0);
        return 0;
    }
    if (argc != 4) {
        fprintf(stderr, "usage: bench_nng_raw [--mac] URL BYTES SECONDS\n");
        return 2;
    }
    struct run r = {.url = argv[1], .bytes = strtoul(argv[2], NULL, 10)};
    double mbs, mps = one_run(&r, atof(argv[3]), &mbs);
    printf("%.0f %.1f\n", mps, mbs);
    return 0;
}
