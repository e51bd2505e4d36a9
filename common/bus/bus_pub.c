/* Publisher half of the bus: live frames, heartbeats, and replay answers. */
#include "bus/bus.h"

#include "base/err.h"
#include "base/log.h"
#include "proto/frame.h"

#include <glib.h>
#include <nng/nng.h>
#include <nng/protocol/pubsub0/pub.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/supplemental/util/platform.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SUBSCRIBERS_MAX 32
#define REPLAY_SEND_MS 5000

struct durable_sub {
    char name[PROTO_PUBLISHER_MAX + 1];
    uint64_t epoch, next; /* it has applied events [0, next) of epoch */
};

struct bus_pub {
    char publisher[PROTO_PUBLISHER_MAX + 1];
    struct journal *j;  /* borrowed */
    char *acks_path;    /* where the durable subscribers are kept; NULL: nowhere */
    pthread_mutex_t mu; /* guards subs, n_subs */
    struct durable_sub subs[SUBSCRIBERS_MAX];
    int n_subs;
    nng_socket pub, rep;
    pthread_t replay_thread, beat_thread;
    int have_replay, have_beat;
    atomic_int stop;
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
    /* nng fails these only when its allocation fails: that aborts, as every
     * allocation of cchc does (common/README.md). */
    if (nng_msg_alloc(&m, 0) || nng_msg_append(m, hb, hlen) ||
        (len && nng_msg_append(m, body, len)))
        g_error("out of memory making a frame");
    *out = m;
    return CCHC_OK;
}

/* On success the socket owns m; on failure we still do and free it. Not
 * retried: a subscriber replays a frame it missed, a requester asks again. */
static void send_or_drop(nng_socket s, nng_msg *m)
{
    if (nng_sendmsg(s, m, 0))
        nng_msg_free(m);
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
        send_or_drop(p->pub, m);
        i = k;
    }
    return CCHC_OK;
}

/* Rewrites the file of durable subscribers: tmp, synced, then rename (a
 * crash may bring back the older file, whose positions are lower, which only
 * keeps more). Called with p->mu held. */
static void save_acks(const struct bus_pub *p)
{
    if (!p->acks_path)
        return;
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", p->acks_path);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        cchc_warn("%s: %s", tmp, strerror(errno));
        return;
    }
    fprintf(f, "# durable subscribers: name, epoch, next sequence needed\n");
    for (int i = 0; i < p->n_subs; i++)
        fprintf(f, "%s %016llx %llu\n", p->subs[i].name, (unsigned long long)p->subs[i].epoch,
                (unsigned long long)p->subs[i].next);
    /* Synced: an empty file after a crash would forget every subscriber. */
    if (fflush(f) || fsync(fileno(f)) || fclose(f) || rename(tmp, p->acks_path))
        cchc_warn("%s: %s", p->acks_path, strerror(errno));
}

static void load_acks(struct bus_pub *p)
{
    FILE *f = p->acks_path ? fopen(p->acks_path, "r") : NULL;
    if (!f)
        return;
    char line[256];
    while (fgets(line, sizeof line, f) && p->n_subs < SUBSCRIBERS_MAX) {
        struct durable_sub d = {0};
        unsigned long long epoch, next;
        if (line[0] == '#' || sscanf(line, "%64s %llx %llu", d.name, &epoch, &next) != 3)
            continue;
        d.epoch = epoch, d.next = next;
        p->subs[p->n_subs++] = d;
    }
    fclose(f);
}

/* A subscriber says it has applied everything before h->seq. */
/* 0 when there is no room for another subscriber: it must not believe it
 * is kept for. */
static int record_ack(struct bus_pub *p, const struct proto_header *h)
{
    char name[PROTO_PUBLISHER_MAX + 1];
    snprintf(name, sizeof name, "%.*s", (int)h->body_len, (const char *)h->body);
    pthread_mutex_lock(&p->mu);
    int i = 0;
    while (i < p->n_subs && strcmp(p->subs[i].name, name) != 0)
        i++;
    if (i == p->n_subs && i < SUBSCRIBERS_MAX) {
        cchc_info("durable subscriber '%s' registered at %llu", name, (unsigned long long)h->seq);
        snprintf(p->subs[p->n_subs++].name, sizeof p->subs[0].name, "%s", name);
    }
    if (i < p->n_subs && (p->subs[i].epoch != h->epoch || p->subs[i].next != h->seq)) {
        p->subs[i].epoch = h->epoch;
        p->subs[i].next = h->seq;
        save_acks(p);
    }
    pthread_mutex_unlock(&p->mu);
    if (i == SUBSCRIBERS_MAX)
        cchc_warn("durable subscriber '%s' refused: already %d", name, SUBSCRIBERS_MAX);
    return i < SUBSCRIBERS_MAX;
}

uint64_t bus_pub_retention_floor(struct bus_pub *p, char *who, size_t who_cap)
{
    uint64_t floor = UINT64_MAX, epoch = journal_epoch(p->j);
    snprintf(who, who_cap, "no durable subscriber");
    pthread_mutex_lock(&p->mu);
    for (int i = 0; i < p->n_subs; i++) {
        uint64_t next = p->subs[i].epoch == epoch ? p->subs[i].next : 0;
        if (next < floor) {
            floor = next;
            snprintf(who, who_cap, "%s", p->subs[i].name);
        }
    }
    pthread_mutex_unlock(&p->mu);
    return floor == UINT64_MAX ? 0 : floor;
}

void bus_pub_subscribers(struct bus_pub *p, bus_sub_info_fn fn, void *arg)
{
    uint64_t epoch = journal_epoch(p->j);
    pthread_mutex_lock(&p->mu);
    for (int i = 0; i < p->n_subs; i++)
        fn(arg, p->subs[i].name, p->subs[i].epoch == epoch ? p->subs[i].next : 0);
    pthread_mutex_unlock(&p->mu);
}

static nng_msg *answer_request(struct bus_pub *p, nng_msg *req)
{
    struct proto_header h;
    char why[128];
    nng_msg *m = NULL;
    uint64_t durable = journal_durable(p->j);
    int decoded =
        proto_header_decode(nng_msg_body(req), nng_msg_len(req), &h, why, sizeof why) == CCHC_OK;
    if (decoded && h.kind == PROTO_ACK && h.body_len && strcmp(h.publisher, p->publisher) == 0 &&
        h.seq <= durable) {
        if (record_ack(p, &h))
            make_frame(p, PROTO_ACK, journal_base(p->j), 0, NULL, 0, &m);
        else
            make_frame(p, PROTO_REPLAY_NACK, durable, 0, NULL, 0, &m);
        return m;
    }
    if (!decoded || h.kind != PROTO_REPLAY_REQUEST || strcmp(h.publisher, p->publisher) != 0 ||
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
    g_free(buf);
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
        nng_msg *ans = answer_request(p, req);
        nng_msg_free(req);
        if (ans)
            send_or_drop(p->rep, ans);
    }
    return NULL;
}

static void *beat_main(void *arg)
{
    struct bus_pub *p = arg;
    while (!p->stop) {
        nng_msg *m;
        if (make_frame(p, PROTO_HEARTBEAT, journal_durable(p->j), 0, NULL, 0, &m) == CCHC_OK)
            send_or_drop(p->pub, m);
        nng_msleep(BUS_HEARTBEAT_MS);
    }
    return NULL;
}

int bus_pub_open(const char *publisher, const char *pub_url, const char *replay_url,
                 struct journal *j, const char *acks_path, struct bus_pub **out, char *why,
                 size_t why_cap)
{
    if (strlen(publisher) == 0 || strlen(publisher) > PROTO_PUBLISHER_MAX) {
        snprintf(why, why_cap, "publisher id '%s' must be 1..%d characters", publisher,
                 PROTO_PUBLISHER_MAX);
        return CCHC_EINVAL;
    }
    struct bus_pub *p = g_new0(struct bus_pub, 1);
    snprintf(p->publisher, sizeof p->publisher, "%s", publisher);
    p->j = j;
    pthread_mutex_init(&p->mu, NULL);
    p->acks_path = g_strdup(acks_path);
    load_acks(p);
    /* A subscriber acknowledges only what is durable, so one that stands past
     * the journal's end means the journal lost synced events: restored from
     * an older copy. Publishing on would hand out its sequence numbers again. */
    for (int i = 0; i < p->n_subs; i++)
        if (p->subs[i].epoch == journal_epoch(j) && p->subs[i].next > journal_next_seq(j)) {
            snprintf(why, why_cap,
                     "%s: durable subscriber '%s' has applied events up to %llu, but the journal "
                     "ends at %llu: the journal is older than what it published (restored from an "
                     "older copy?), and nothing was changed (see ops/README.md, journal damage)",
                     acks_path, p->subs[i].name, (unsigned long long)p->subs[i].next,
                     (unsigned long long)journal_next_seq(j));
            bus_pub_close(p);
            return CCHC_ECORRUPT;
        }
    int rv;
    const char *what = pub_url;
    if ((rv = nng_pub0_open(&p->pub)) || (rv = nng_listen(p->pub, pub_url, NULL, 0)) ||
        (what = replay_url, rv = nng_rep0_open(&p->rep)) ||
        (rv = nng_listen(p->rep, replay_url, NULL, 0))) {
        snprintf(why, why_cap, "bus: cannot listen on %s: %s", what, nng_strerror(rv));
        bus_pub_close(p);
        return CCHC_EBUS;
    }
    /* Requests are small. An answer waits at most REPLAY_SEND_MS for a
     * requester that stopped reading (a stalled connection): one replay
     * thread serves every subscriber, and the requester asks again. */
    nng_socket_set_size(p->rep, NNG_OPT_RECVMAXSZ, 1 << 16);
    nng_socket_set_ms(p->rep, NNG_OPT_SENDTIMEO, REPLAY_SEND_MS);
    p->have_replay = pthread_create(&p->replay_thread, NULL, replay_main, p) == 0;
    p->have_beat = pthread_create(&p->beat_thread, NULL, beat_main, p) == 0;
    if (!p->have_replay || !p->have_beat) {
        snprintf(why, why_cap, "bus: cannot start threads");
        bus_pub_close(p);
        return CCHC_EIO;
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
    pthread_mutex_destroy(&p->mu);
    g_free(p->acks_path);
    g_free(p);
}
