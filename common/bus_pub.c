/* Publisher half of the bus: live frames, heartbeats, and replay answers. */
#include "bus.h"

#include "err.h"
#include "frame.h"
#include "log.h"

#include <nng/nng.h>
#include <nng/protocol/pubsub0/pub.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/supplemental/util/platform.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bus_pub {
    char publisher[PROTO_PUBLISHER_MAX + 1];
    struct journal *j; /* borrowed */
    nng_socket pub, rep;
    pthread_t replay_thread, beat_thread;
    int have_replay, have_beat;
    atomic_int stop;
    atomic_uint_fast64_t send_failures;
};

/* Builds a frame: header then body. The caller owns *out (nng_msg). */
static int make_frame(const struct bus_pub *p, uint8_t kind, uint64_t seq, uint32_t count,
                      const uint8_t *body, size_t len, nng_msg **out)
{
    struct proto_header h = {.version = PROTO_VERSION,
                             .kind = kind,
                             .epoch = journal_epoch(p->j),
                             .seq = seq,
                             .count = count};
    memcpy(h.publisher, p->publisher, sizeof h.publisher);
    uint8_t hb[PROTO_HEADER_FIXED + PROTO_PUBLISHER_MAX];
    size_t hlen;
    int rc = proto_header_encode(&h, hb, sizeof hb, &hlen);
    if (rc)
        return rc;
    nng_msg *m;
    if (nng_msg_alloc(&m, 0))
        return CCHC_ENOMEM;
    if (nng_msg_append(m, hb, hlen) || (len && nng_msg_append(m, body, len))) {
        nng_msg_free(m);
        return CCHC_ENOMEM;
    }
    *out = m;
    return CCHC_OK;
}

/* On success the socket owns m; on failure we still do and free it. */
static void send_or_count(struct bus_pub *p, nng_socket s, nng_msg *m)
{
    if (nng_sendmsg(s, m, 0)) {
        nng_msg_free(m);
        p->send_failures++;
    }
}

int bus_pub_batch(struct bus_pub *p, uint64_t seq, const uint8_t *body, const size_t *ends,
                  uint32_t n)
{
    uint32_t i = 0;
    while (i < n) {
        size_t start = i ? ends[i - 1] : 0;
        uint32_t k = i;
        while (k < n && k - i < BUS_FRAME_EVENTS && (k == i || ends[k] - start <= BUS_FRAME_BYTES))
            k++;
        nng_msg *m;
        int rc = make_frame(p, PROTO_EVENTS, seq + i, k - i, body + start, ends[k - 1] - start, &m);
        if (rc)
            return rc;
        send_or_count(p, p->pub, m);
        i = k;
    }
    return CCHC_OK;
}

static nng_msg *answer_replay(struct bus_pub *p, nng_msg *req)
{
    struct proto_header h;
    char why[128];
    nng_msg *m = NULL;
    uint64_t durable = journal_durable(p->j);
    if (proto_header_decode(nng_msg_body(req), nng_msg_len(req), &h, why, sizeof why) ||
        h.kind != PROTO_REPLAY_REQUEST || strcmp(h.publisher, p->publisher) != 0 ||
        h.epoch != journal_epoch(p->j)) {
        make_frame(p, PROTO_REPLAY_NACK, durable, 0, NULL, 0, &m);
        return m;
    }
    uint8_t *buf;
    size_t len;
    uint32_t count, want = h.count && h.count < BUS_REPLAY_EVENTS ? h.count : BUS_REPLAY_EVENTS;
    if (journal_read(p->j, h.seq, want, 4 * BUS_FRAME_BYTES, &buf, &len, &count)) {
        make_frame(p, PROTO_REPLAY_NACK, durable, 0, NULL, 0, &m);
        return m;
    }
    make_frame(p, PROTO_EVENTS, h.seq, count, buf, len, &m);
    free(buf);
    return m;
}

static void *replay_main(void *arg)
{
    struct bus_pub *p = arg;
    while (!p->stop) {
        nng_msg *req;
        int rv = nng_recvmsg(p->rep, &req, 0);
        if (rv == NNG_ECLOSED)
            break;
        if (rv)
            continue;
        nng_msg *ans = answer_replay(p, req);
        nng_msg_free(req);
        if (ans)
            send_or_count(p, p->rep, ans);
    }
    return NULL;
}

static void *beat_main(void *arg)
{
    struct bus_pub *p = arg;
    while (!p->stop) {
        nng_msg *m;
        if (make_frame(p, PROTO_HEARTBEAT, journal_durable(p->j), 0, NULL, 0, &m) == CCHC_OK)
            send_or_count(p, p->pub, m);
        nng_msleep(BUS_HEARTBEAT_MS);
    }
    return NULL;
}

int bus_pub_open(const char *publisher, const char *pub_url, const char *replay_url,
                 struct journal *j, struct bus_pub **out, char *why, size_t why_cap)
{
    if (strlen(publisher) == 0 || strlen(publisher) > PROTO_PUBLISHER_MAX) {
        snprintf(why, why_cap, "publisher id '%s' must be 1..%d characters", publisher,
                 PROTO_PUBLISHER_MAX);
        return CCHC_EINVAL;
    }
    struct bus_pub *p = calloc(1, sizeof *p);
    if (!p)
        return CCHC_ENOMEM;
    snprintf(p->publisher, sizeof p->publisher, "%s", publisher);
    p->j = j;
    int rv;
    const char *what = pub_url;
    if ((rv = nng_pub0_open(&p->pub)) || (rv = nng_listen(p->pub, pub_url, NULL, 0)) ||
        (what = replay_url, rv = nng_rep0_open(&p->rep)) ||
        (rv = nng_listen(p->rep, replay_url, NULL, 0))) {
        snprintf(why, why_cap, "bus: cannot listen on %s: %s", what, nng_strerror(rv));
        bus_pub_close(p);
        return CCHC_EBUS;
    }
    /* Replay answers can be large; let them through. */
    nng_socket_set_size(p->rep, NNG_OPT_RECVMAXSZ, 1 << 16);
    p->have_replay = pthread_create(&p->replay_thread, NULL, replay_main, p) == 0;
    p->have_beat = pthread_create(&p->beat_thread, NULL, beat_main, p) == 0;
    if (!p->have_replay || !p->have_beat) {
        snprintf(why, why_cap, "bus: cannot start threads");
        bus_pub_close(p);
        return CCHC_ENOMEM;
    }
    *out = p;
    return CCHC_OK;
}

void bus_pub_close(struct bus_pub *p)
{
    if (!p)
        return;
    p->stop = 1;
    nng_close(p->rep); /* wakes the replay thread */
    if (p->have_replay)
        pthread_join(p->replay_thread, NULL);
    if (p->have_beat)
        pthread_join(p->beat_thread, NULL);
    nng_close(p->pub);
    free(p);
}
