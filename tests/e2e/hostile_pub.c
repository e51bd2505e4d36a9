/* A publisher that lies: it binds a PUB and a REP socket like a cchc service
 * and, for a few seconds, sends hostile frames around one valid frame. The
 * test (hostile_frames.sh) checks that the aggregator rejects and counts
 * them, applies the valid events exactly once, and keeps going.
 * usage: hostile_pub PUB_URL REPLAY_URL SECONDS */
#include "base/err.h"
#include "proto/event.h"
#include "proto/frame.h"

#include <glib.h>
#include <nng/nng.h>
#include <nng/protocol/pubsub0/pub.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/supplemental/util/platform.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EPOCH 0x1122334455667788ull
#define MAXF 4096

struct frame {
    uint8_t b[MAXF];
    size_t n;
};

static size_t header(uint8_t *out, uint8_t kind, const char *publisher, uint64_t seq,
                     uint32_t count)
{
    struct proto_header h = {
        .version = PROTO_VERSION, .kind = kind, .epoch = EPOCH, .seq = seq, .count = count};
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

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: hostile_pub PUB_URL REPLAY_URL SECONDS\n");
        return 2;
    }
    nng_socket pub, rep;
    if (nng_pub0_open(&pub) || nng_listen(pub, argv[1], NULL, 0) || nng_rep0_open(&rep) ||
        nng_listen(rep, argv[2], NULL, 0)) {
        fprintf(stderr, "hostile_pub: cannot listen\n");
        return 1;
    }
    nng_socket_set_ms(rep, NNG_OPT_RECVTIMEO, 10);

    struct frame fr[16];
    int nf = 0;
    memset(fr, 0, sizeof fr);
    /* 0: the valid frame: two dossiers received at a ward, seq 0 and 1. */
    fr[nf].n = header(fr[nf].b, PROTO_EVENTS, "hostile", 0, 2);
    add_event(&fr[nf], "dossier.received", "kg.rachgia.p-an-binh", "ok-1", "received");
    add_event(&fr[nf], "dossier.received", "kg.rachgia.p-an-binh", "ok-2", "received");
    nf++;
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

    uint8_t beat[128];
    size_t beat_n = header(beat, PROTO_HEARTBEAT, "hostile", 2, 0);
    nng_time end = nng_clock() + (nng_time)(atof(argv[3]) * 1000);
    long sent = 0;
    while (nng_clock() < end) {
        /* The valid heartbeat first, so the source is bound to "hostile". */
        nng_send(pub, beat, beat_n, 0);
        for (int i = 1; i < nf; i++, sent++)
            nng_send(pub, fr[i].b, fr[i].n, 0);
        nng_send(pub, fr[0].b, fr[0].n, 0); /* the valid one, again and again */
        /* Every replay request gets a refusal. */
        nng_msg *req;
        while (nng_recvmsg(rep, &req, 0) == 0) {
            uint8_t nack[128];
            size_t n = header(nack, PROTO_REPLAY_NACK, "hostile", 2, 0);
            nng_msg_free(req);
            nng_send(rep, nack, n, 0);
        }
        nng_msleep(50);
    }
    printf("%ld hostile frames sent\n", sent);
    nng_close(pub);
    nng_close(rep);
    return 0;
}
