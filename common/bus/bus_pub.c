/* Publisher half of the bus: live frames, heartbeats, and replay answers,
 * every one signed with the publisher's key; replay requests and ACKs
 * taken only from configured subscribers, checked with their keys. */
#include "bus/bus.h"

#include "base/err.h"
#include "base/log.h"
#include "bus/peers.h"
#include "proto/frame.h"

#include <glib.h>
#include <nng/nng.h>
#include <nng/protocol/pubsub0/pub.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/supplemental/util/platform.h>
#include <sodium.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SUBSCRIBERS_MAX BUS_KEYS_MAX /* only configured durable subscribers are kept */
#define REPLAY_SEND_MS 5000

struct durable_sub {
    char name[PROTO_PUBLISHER_MAX + 1];
    uint64_t epoch, next; /* it has applied events [0, next) of epoch */
};

struct bus_pub;

/* One replay context: its own thread, receiving a request, answering it,
 * sending the answer (at most REPLAY_SEND_MS), and again. */
struct replay_ctx {
    struct bus_pub *p;
    nng_ctx ctx;
    nng_aio *aio;
    pthread_t thread;
    int have_thread;
};

struct bus_pub {
    char publisher[PROTO_PUBLISHER_MAX + 1];
    const struct bus_keys *keys;     /* borrowed */
    const struct bus_peer *self;     /* its line in the bus keys */
    const struct bus_secret *secret; /* signs every frame (borrowed) */
    struct journal *j;               /* borrowed */
    struct journal *ckpt;            /* its checkpoint (bus/retention.h), borrowed; or NULL */
    char *acks_path;                 /* where the durable subscribers are kept; NULL: nowhere */
    pthread_mutex_t mu;              /* guards subs, n_subs */
    struct durable_sub subs[SUBSCRIBERS_MAX];
    int n_subs;
    nng_socket pub, rep;
    int have_pub, have_rep;
    struct bus_peers *pub_peers, *rep_peers; /* their connection caps */
    struct replay_ctx rctx[BUS_REPLAY_CONTEXTS];
    pthread_t beat_thread;
    int have_beat;
    atomic_int stop;
    pthread_mutex_t stats_mu; /* guards st, warned_at */
    struct bus_pub_stats st;
    nng_time warned_at;
};

/* Builds a frame: header then body, signed with the publisher's key; an
 * answer binds the request's nonce into its signature (NULL on the live bus).
 * The caller owns *out (nng_msg). */
static int make_frame(const struct bus_pub *p, uint8_t kind, uint64_t seq, uint32_t count,
                      const uint8_t *body, size_t len, const uint8_t *nonce, nng_msg **out)
{
    struct proto_header h = {.version = PROTO_VERSION,
                             .kind = kind,
                             .epoch = journal_epoch(p->j),
                             .seq = seq,
                             .count = count};
    memcpy(h.publisher, p->publisher, sizeof h.publisher);
    uint8_t hb[PROTO_HEADER_MAX];
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
    proto_frame_sign(nng_msg_body(m), nng_msg_len(m), p->secret->sk, nonce);
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
        int rc = make_frame(p, PROTO_EVENTS, seq + i, k - i, body + start, ends[k - 1] - start,
                            NULL, &m);
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
    int dropped = 0;
    while (fgets(line, sizeof line, f) && p->n_subs < SUBSCRIBERS_MAX) {
        struct durable_sub d = {0};
        unsigned long long epoch, next;
        if (line[0] == '#' || sscanf(line, "%64s %llx %llu", d.name, &epoch, &next) != 3)
            continue;
        const struct bus_peer *peer = bus_keys_find(p->keys, BUS_SUBSCRIBER, d.name);
        if (!peer || !peer->durable) {
            /* It would hold retention for good, and no one can move it. */
            cchc_warn("%s: durable subscriber '%s' dropped: the bus keys have no durable "
                      "subscriber of that name (its position %016llx/%llu no longer holds the "
                      "journal)",
                      p->acks_path, d.name, epoch, next);
            dropped++;
            continue;
        }
        d.epoch = epoch, d.next = next;
        p->subs[p->n_subs++] = d;
    }
    fclose(f);
    if (dropped)
        save_acks(p);
}

/* A subscriber says it has applied everything before h->seq. */
/* 0 when there is no room for another subscriber: it must not believe it
 * is kept for. */
static int record_ack(struct bus_pub *p, const struct proto_header *h, const char *name)
{
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

/* Counts a refused request and logs it, at most once a second (a flood
 * must not flood the log too); the counts are in /v1/stats. */
static void refuse(struct bus_pub *p, uint64_t *counter, const char *fmt, ...)
{
    pthread_mutex_lock(&p->stats_mu);
    (*counter)++;
    nng_time now = nng_clock();
    struct bus_pub_stats st = p->st;
    /* The first ten of each kind, then one a second. */
    int log = *counter <= 10 || now - p->warned_at >= 1000;
    if (log)
        p->warned_at = now;
    pthread_mutex_unlock(&p->stats_mu);
    if (!log)
        return;
    char msg[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cchc_warn(
        "bus: refused %s (refused so far: %llu undecodable, %llu strangers, %llu bad signatures, "
        "%llu ACKs)",
        msg, (unsigned long long)st.bad_requests, (unsigned long long)st.stranger_requests,
        (unsigned long long)st.bad_mac_requests, (unsigned long long)st.refused_acks);
}

static void count(struct bus_pub *p, uint64_t *counter)
{
    pthread_mutex_lock(&p->stats_mu);
    (*counter)++;
    pthread_mutex_unlock(&p->stats_mu);
}

void bus_pub_get_stats(struct bus_pub *p, struct bus_pub_stats *st)
{
    pthread_mutex_lock(&p->stats_mu);
    *st = p->st;
    pthread_mutex_unlock(&p->stats_mu);
    st->refused_connections = bus_peers_refused(p->pub_peers) + bus_peers_refused(p->rep_peers);
}

static nng_msg *answer_request(struct bus_pub *p, nng_msg *req)
{
    struct proto_header h;
    char why[160];
    nng_msg *m = NULL;
    uint64_t durable = journal_durable(p->j);
    const uint8_t *frame = nng_msg_body(req);
    size_t flen = nng_msg_len(req);
    if (proto_header_decode(frame, flen, &h, why, sizeof why) != CCHC_OK) {
        refuse(p, &p->st.bad_requests, "a request on the replay socket: %s",
               proto_frame_unsigned(frame, flen)
                   ? "no signature (version 1 or 2, or flags bit 0 clear)"
                   : why);
        make_frame(p, PROTO_REPLAY_NACK, durable, 0, NULL, 0, NULL, &m);
        return m;
    }
    /* Every answer from here binds the request's nonce: it cannot be played
     * back to a later request. */
    const uint8_t *nonce = h.nonce;
    if (!nonce || strcmp(h.publisher, p->publisher) != 0) {
        refuse(p, &p->st.bad_requests, "a %s frame for publisher '%s' on the replay socket of '%s'",
               h.kind == PROTO_ACK ? "ACK answer" : "non-request", h.publisher, p->publisher);
        make_frame(p, PROTO_REPLAY_NACK, durable, 0, NULL, 0, nonce, &m);
        return m;
    }
    const struct bus_peer *sub = bus_keys_find(p->keys, BUS_SUBSCRIBER, h.subscriber);
    if (!sub) {
        refuse(p, &p->st.stranger_requests, "%s from unknown subscriber '%s' (not in the bus keys)",
               h.kind == PROTO_ACK ? "ACK" : "replay request", h.subscriber);
        make_frame(p, PROTO_REPLAY_NACK, durable, 0, NULL, 0, nonce, &m);
        return m;
    }
    if (bus_peer_verify(sub, frame, flen, &h, NULL) != CCHC_OK) {
        refuse(p, &p->st.bad_mac_requests, "%s from subscriber '%s': wrong signature",
               h.kind == PROTO_ACK ? "ACK" : "replay request", h.subscriber);
        make_frame(p, PROTO_REPLAY_NACK, durable, 0, NULL, 0, nonce, &m);
        return m;
    }
    if (h.kind == PROTO_ACK) {
        const char *bad = !sub->durable                    ? "a reader does not acknowledge"
                          : h.epoch != journal_epoch(p->j) ? "not the journal's epoch"
                          : h.seq > durable                ? "past what the journal holds"
                                                           : NULL;
        if (bad || !record_ack(p, &h, sub->name)) {
            refuse(p, &p->st.refused_acks, "ACK from subscriber '%s' at %016llx/%llu: %s",
                   sub->name, (unsigned long long)h.epoch, (unsigned long long)h.seq,
                   bad ? bad : "no room");
            make_frame(p, PROTO_REPLAY_NACK, durable, 0, NULL, 0, nonce, &m);
            return m;
        }
        count(p, &p->st.acks_taken);
        make_frame(p, PROTO_ACK, journal_base(p->j), 0, NULL, 0, nonce, &m);
        return m;
    }
    if (h.epoch != journal_epoch(p->j)) {
        make_frame(p, PROTO_REPLAY_NACK, durable, 0, NULL, 0, nonce, &m);
        return m;
    }
    uint8_t *buf;
    size_t len;
    uint32_t n, want = h.count && h.count < BUS_REPLAY_EVENTS ? h.count : BUS_REPLAY_EVENTS;
    /* The checkpoint is read only up to its last sync, which ends a run with its mark. */
    int rc = h.seq & BUS_CKPT
                 ? p->ckpt ? journal_read(p->ckpt, h.seq & ~BUS_CKPT, want, 4 * BUS_FRAME_BYTES,
                                          &buf, &len, &n)
                           : CCHC_ENOTFOUND
                 : journal_read(p->j, h.seq, want, 4 * BUS_FRAME_BYTES, &buf, &len, &n);
    if (rc) {
        make_frame(p, PROTO_REPLAY_NACK, durable, 0, NULL, 0, nonce, &m);
        return m;
    }
    make_frame(p, PROTO_EVENTS, h.seq, n, buf, len, nonce, &m);
    g_free(buf);
    count(p, &p->st.replays_served);
    return m;
}

/* One context's loop: receive, answer, send; a send that waits longer than
 * REPLAY_SEND_MS (a requester that stopped reading) is dropped, and holds
 * only this context meanwhile. */
static void *replay_main(void *arg)
{
    struct replay_ctx *c = arg;
    struct bus_pub *p = c->p;
    while (!p->stop) {
        nng_aio_set_timeout(c->aio, NNG_DURATION_INFINITE);
        nng_ctx_recv(c->ctx, c->aio);
        nng_aio_wait(c->aio);
        int rv = nng_aio_result(c->aio);
        if (rv == NNG_ECLOSED || rv == NNG_ECANCELED)
            break;
        if (rv)
            continue;
        nng_msg *req = nng_aio_get_msg(c->aio);
        nng_msg *ans = answer_request(p, req);
        nng_msg_free(req);
        if (!ans)
            continue;
        nng_aio_set_msg(c->aio, ans);
        nng_aio_set_timeout(c->aio, REPLAY_SEND_MS);
        nng_ctx_send(c->ctx, c->aio);
        nng_aio_wait(c->aio);
        if (nng_aio_result(c->aio))
            nng_msg_free(ans); /* not sent: still ours */
    }
    return NULL;
}

static void *beat_main(void *arg)
{
    struct bus_pub *p = arg;
    while (!p->stop) {
        nng_msg *m;
        if (make_frame(p, PROTO_HEARTBEAT, journal_durable(p->j), 0, NULL, 0, NULL, &m) == CCHC_OK)
            send_or_drop(p->pub, m);
        nng_msleep(BUS_HEARTBEAT_MS);
    }
    return NULL;
}

int bus_pub_open(const char *publisher, const char *pub_url, const char *replay_url,
                 struct journal *j, struct journal *ckpt, const char *acks_path,
                 const struct bus_auth *auth, struct bus_pub **out, char *why, size_t why_cap)
{
    if (strlen(publisher) == 0 || strlen(publisher) > PROTO_PUBLISHER_MAX) {
        snprintf(why, why_cap, "publisher id '%s' must be 1..%d characters", publisher,
                 PROTO_PUBLISHER_MAX);
        return CCHC_EINVAL;
    }
    /* It signs with its own secret, which must be one of its own lines'. */
    const struct bus_peer *self = auth ? bus_keys_self(auth->keys, auth->secret, auth->secret_path,
                                                       BUS_PUBLISHER, publisher, why, why_cap)
                                       : NULL;
    if (!self) {
        if (!auth)
            snprintf(why, why_cap, "bus: publisher %s: no bus keys", publisher);
        return CCHC_EINVAL;
    }
    struct bus_pub *p = g_new0(struct bus_pub, 1);
    snprintf(p->publisher, sizeof p->publisher, "%s", publisher);
    p->keys = auth->keys;
    p->self = self;
    p->secret = auth->secret;
    p->j = j;
    p->ckpt = ckpt;
    pthread_mutex_init(&p->mu, NULL);
    pthread_mutex_init(&p->stats_mu, NULL);
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
    int rv, rc;
    if ((rv = nng_pub0_open(&p->pub)) || (p->have_pub = 1, rv = nng_rep0_open(&p->rep))) {
        snprintf(why, why_cap, "bus: cannot open sockets: %s", nng_strerror(rv));
        bus_pub_close(p);
        return CCHC_EBUS;
    }
    p->have_rep = 1;
    p->pub_peers = bus_peers_limit(p->pub, pub_url);
    p->rep_peers = bus_peers_limit(p->rep, replay_url);
    /* Requests are small. */
    nng_socket_set_size(p->rep, NNG_OPT_RECVMAXSZ, 1 << 16);
    if ((rc = bus_listen(p->pub, pub_url, auth, why, why_cap)) ||
        (rc = bus_listen(p->rep, replay_url, auth, why, why_cap))) {
        bus_pub_close(p);
        return rc;
    }
    for (int i = 0; i < BUS_REPLAY_CONTEXTS; i++) {
        struct replay_ctx *c = &p->rctx[i];
        c->p = p;
        if ((rv = nng_ctx_open(&c->ctx, p->rep)) || (rv = nng_aio_alloc(&c->aio, NULL, NULL))) {
            snprintf(why, why_cap, "bus: replay context: %s", nng_strerror(rv));
            bus_pub_close(p);
            return CCHC_EBUS;
        }
        c->have_thread = pthread_create(&c->thread, NULL, replay_main, c) == 0;
        if (!c->have_thread) {
            snprintf(why, why_cap, "bus: cannot start threads");
            bus_pub_close(p);
            return CCHC_EIO;
        }
    }
    p->have_beat = pthread_create(&p->beat_thread, NULL, beat_main, p) == 0;
    if (!p->have_beat) {
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
    /* Stopping an aio cancels its wait and fails every later operation on
     * it, so the threads end without touching the socket again; closing the
     * socket first would tear a context down under a thread that is about to
     * send on it (nng 1.5 then panics on the context's freed mutex). */
    for (int i = 0; i < BUS_REPLAY_CONTEXTS; i++) {
        struct replay_ctx *c = &p->rctx[i];
        if (c->aio)
            nng_aio_stop(c->aio);
        if (c->have_thread)
            pthread_join(c->thread, NULL);
    }
    if (p->have_rep)
        nng_close(p->rep);
    bus_peers_free(p->rep_peers);
    for (int i = 0; i < BUS_REPLAY_CONTEXTS; i++)
        if (p->rctx[i].aio)
            nng_aio_free(p->rctx[i].aio);
    if (p->have_beat)
        pthread_join(p->beat_thread, NULL);
    if (p->have_pub)
        nng_close(p->pub);
    bus_peers_free(p->pub_peers);
    pthread_mutex_destroy(&p->mu);
    pthread_mutex_destroy(&p->stats_mu);
    g_free(p->acks_path);
    g_free(p);
}
