/* Subscriber half of the bus: in-order delivery per publisher, gap
 * detection against heartbeats and frames, replay from the publisher. Every
 * frame is checked against its publisher's keys first; requests carry a
 * fresh nonce, signed with the subscriber's key, that the answer's signature
 * must bind. */
#include "bus/bus.h"

#include "base/err.h"
#include "base/log.h"
#include "proto/event.h"
#include "proto/frame.h"

#include <glib.h>
#include <nng/nng.h>
#include <nng/protocol/pubsub0/sub.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/supplemental/util/platform.h>
#include <poll.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPLAY_TIMEOUT_MS 3000
#define REPLAY_BACKOFF_MS                                                                          \
    1000 /* after a failed replay: a dead or lying publisher cannot stall us */
#define RECV_MAX_BYTES (PROTO_FRAME_MAX + 1024)
/* A source that sent nothing, not even a heartbeat, for this long gets new
 * sockets: nng's dialer can give up redialing after a connection is cut
 * during its handshake (seen with nng 1.5.2 under the nemesis), and a
 * publisher that is really down costs only a failed dial per period. */
#define SILENCE_MS (50 * BUS_HEARTBEAT_MS)
#define ACK_EVERY_MS 1000
#define POLL_SLICE_MS 250 /* work in one bus_sub_poll, at most about (a replay page goes whole) */
#define RETIRED_EPOCHS 64 /* epochs a source has left, refused if they come back */

struct source {
    struct bus_source cfg;
    nng_socket sub, req;
    int fd; /* readable when sub has a message */
    /* Bound on the first valid frame: a source speaks for one publisher. */
    char publisher[PROTO_PUBLISHER_MAX + 1];
    uint64_t epoch;
    uint64_t next;                    /* next sequence to deliver */
    uint64_t head;                    /* the publisher's position, as it last announced it */
    int known;                        /* next is valid for (publisher, epoch) */
    nng_time replay_after;            /* no replay request before this */
    nng_time confirm_after;           /* no epoch check before this (one failed) */
    nng_time heard;                   /* when a frame or heartbeat last came */
    uint64_t acked;                   /* the position last acknowledged (durable subscribers) */
    uint64_t durable;                 /* what the subscriber made durable: acknowledged next */
    nng_time nack_warned;             /* when a refused replay was last logged */
    int refused;                      /* its last replay request was refused (REPLAY_NACK) */
    int stale;                        /* refused, and the position is on no run of the checkpoint */
    uint64_t ckpt;                    /* events of the publisher's checkpoint delivered */
    int in_run;                       /* the last of them was a sum: the run goes on */
    nng_time fail_warned;             /* when a failed request was last logged */
    nng_time ack_at;                  /* when */
    nng_time caught;                  /* when it was last seen caught up (bus_sub_sources) */
    uint64_t retired[RETIRED_EPOCHS]; /* epochs this source's publisher has left */
    int n_retired;
};

struct bus_sub {
    struct source *src;
    int nsrc;
    struct bus_auth auth;        /* borrowed keys and TLS files */
    const struct bus_peer *self; /* this subscriber: its key[0] signs requests */
    int durable;                 /* it acknowledges */
    char name[PROTO_PUBLISHER_MAX + 1];
    nng_time warned_at; /* when a refused frame was last logged */
    nng_time slice_end; /* when this bus_sub_poll stops reading and fetching */
    unsigned turn;      /* the source this bus_sub_poll reads first */
    bus_position_fn position;
    bus_deliver_fn deliver;
    void *arg;
    struct bus_sub_stats st;
};

/* The SUB socket of a source, dialing its publisher (nng redials by itself). */
static int open_sub(const struct bus_sub *s, struct source *c, char *why, size_t why_cap)
{
    int rv, fd;
    if ((rv = nng_sub0_open(&c->sub)) ||
        (rv = nng_socket_set(c->sub, NNG_OPT_SUB_SUBSCRIBE, "", 0)) ||
        (rv = nng_socket_set_size(c->sub, NNG_OPT_RECVMAXSZ, RECV_MAX_BYTES)) ||
        (c->cfg.recv_buffer &&
         (rv = nng_socket_set_int(c->sub, NNG_OPT_RECVBUF, c->cfg.recv_buffer))) ||
        (rv = nng_socket_get_int(c->sub, NNG_OPT_RECVFD, &fd))) {
        snprintf(why, why_cap, "bus: %s: %s", c->cfg.pub_url, nng_strerror(rv));
        return CCHC_EBUS;
    }
    c->fd = fd;
    return bus_dial(c->sub, c->cfg.pub_url, &s->auth, why, why_cap);
}

/* The REQ socket of a source, for replays. */
static int open_req(const struct bus_sub *s, struct source *c, char *why, size_t why_cap)
{
    int rv;
    if ((rv = nng_req0_open(&c->req)) ||
        (rv = nng_socket_set_size(c->req, NNG_OPT_RECVMAXSZ, RECV_MAX_BYTES)) ||
        (rv = nng_socket_set_ms(c->req, NNG_OPT_RECVTIMEO, REPLAY_TIMEOUT_MS)) ||
        (rv = nng_socket_set_ms(c->req, NNG_OPT_SENDTIMEO, REPLAY_TIMEOUT_MS))) {
        snprintf(why, why_cap, "bus: %s: %s", c->cfg.replay_url, nng_strerror(rv));
        return CCHC_EBUS;
    }
    return bus_dial(c->req, c->cfg.replay_url, &s->auth, why, why_cap);
}

/* Logs a refused frame at most once a second: a flood is counted, not
 * written out (the counts are in the stats). */
static void refused(struct bus_sub *s, struct source *c, uint64_t *counter, const char *what,
                    const struct proto_header *h)
{
    (*counter)++;
    nng_time now = nng_clock();
    /* The first ten of each kind, then one a second. */
    if (*counter > 10 && now - s->warned_at < 1000)
        return;
    s->warned_at = now;
    if (h)
        cchc_warn("%s: frame refused: %s (publisher '%s', epoch %016llx, seq %llu); refused so "
                  "far: %llu unsigned, %llu bad signature, %llu unknown publisher, %llu old, %llu "
                  "old epoch",
                  c->cfg.pub_url, what, h->publisher, (unsigned long long)h->epoch,
                  (unsigned long long)h->seq, (unsigned long long)s->st.no_mac,
                  (unsigned long long)s->st.bad_mac, (unsigned long long)s->st.unknown_publisher,
                  (unsigned long long)s->st.old_frames, (unsigned long long)s->st.old_epoch_frames);
    else
        cchc_warn("%s: frame refused: %s; refused so far: %llu unsigned, %llu bad answers",
                  c->cfg.pub_url, what, (unsigned long long)s->st.no_mac,
                  (unsigned long long)s->st.bad_answers);
}

/* A request (REPLAY_REQUEST or ACK) signed with the subscriber's key, with
 * a fresh nonce, sent on the source's REQ socket; the answer, checked
 * against the publisher's keys and the nonce, into *ans and h. rv: nng's
 * error; 0 with *ans NULL for an answer that fails its check. */
static int request(struct bus_sub *s, struct source *c, struct proto_header *q, nng_msg **ans,
                   struct proto_header *h)
{
    *ans = NULL;
    memcpy(q->publisher, c->publisher, sizeof q->publisher);
    uint8_t buf[PROTO_HEADER_MAX + PROTO_NONCE_LEN + PROTO_PUBLISHER_MAX], nonce[PROTO_NONCE_LEN];
    size_t hlen, nlen = strlen(s->name);
    if (proto_header_encode(q, buf, sizeof buf, &hlen))
        return NNG_EINVAL;
    randombytes_buf(nonce, sizeof nonce);
    memcpy(buf + hlen, nonce, sizeof nonce);
    memcpy(buf + hlen + sizeof nonce, s->name, nlen);
    size_t len = hlen + sizeof nonce + nlen;
    proto_frame_sign(buf, len, s->auth.secret->sk, NULL);
    int rv;
    nng_msg *m = NULL;
    if ((rv = nng_send(c->req, buf, len, 0)) || (rv = nng_recvmsg(c->req, &m, 0)))
        return rv;
    char why[160];
    const struct bus_peer *pub = bus_keys_find(s->auth.keys, BUS_PUBLISHER, c->publisher);
    if (proto_header_decode(nng_msg_body(m), nng_msg_len(m), h, why, sizeof why) ||
        strcmp(h->publisher, c->publisher) != 0 ||
        bus_peer_verify(pub, nng_msg_body(m), nng_msg_len(m), h, nonce) != CCHC_OK) {
        refused(s, c, &s->st.bad_answers,
                "a replay answer that its publisher's key and our request's nonce did not sign",
                NULL);
        nng_msg_free(m);
        return 0;
    }
    *ans = m;
    return 0;
}

static void request_failed(struct bus_sub *s, struct source *c, const char *what, int rv);

static int retired(const struct source *c, uint64_t epoch)
{
    for (int i = 0; i < c->n_retired && i < RETIRED_EPOCHS; i++)
        if (c->retired[i] == epoch)
            return 1;
    return 0;
}

static void retire(struct source *c, uint64_t epoch)
{
    if (epoch && !retired(c, epoch))
        c->retired[c->n_retired++ % RETIRED_EPOCHS] = epoch;
}

/* Whether the publisher is in h's epoch now, asked on the replay socket: a
 * signed frame of another epoch may be a recording of one it has left, and
 * what this subscriber remembers of left epochs is gone after a restart.
 * The answer, whatever its kind, carries the publisher's epoch, signed and
 * bound to our nonce, so no recording can stand for it. CCHC_OK when it is;
 * CCHC_ESTALE (counted, and the epoch retired) when the publisher is in
 * another; CCHC_EBUS when it cannot be asked now (the frame waits for the
 * next one). */
static int confirm_epoch(struct bus_sub *s, struct source *c, const struct proto_header *h)
{
    /* Not held back by a refused replay's backoff (until it is answered,
     * frames of the source's epoch could be ones its publisher has left),
     * only by a check that failed: a publisher whose replay socket does not
     * answer costs the loop one timeout a period, not one a frame. Frames of
     * the new epoch wait meanwhile; they are fetched again once it is taken. */
    if (nng_clock() < c->confirm_after)
        return CCHC_EBUS;
    struct proto_header q = {.version = PROTO_VERSION,
                             .kind = PROTO_REPLAY_REQUEST,
                             .epoch = h->epoch,
                             .seq = h->seq,
                             .count = 1};
    nng_msg *ans = NULL;
    struct proto_header a = {0};
    int rv = request(s, c, &q, &ans, &a);
    if (rv || !ans) {
        request_failed(s, c, "epoch check", rv);
        c->confirm_after = c->replay_after;
        return CCHC_EBUS;
    }
    uint64_t now_epoch = a.epoch;
    nng_msg_free(ans);
    if (now_epoch == h->epoch)
        return CCHC_OK;
    retire(c, h->epoch);
    refused(s, c, &s->st.old_epoch_frames, "an epoch its publisher has left", h);
    return CCHC_ESTALE;
}

static int ensure_position(struct bus_sub *s, struct source *c, const struct proto_header *h)
{
    if (c->known && c->epoch == h->epoch)
        return CCHC_OK;
    int rc = c->epoch == h->epoch ? CCHC_OK : confirm_epoch(s, c, h);
    if (rc)
        return rc;
    uint64_t next, ckpt = 0;
    rc = s->position(s->arg, h->publisher, h->epoch, &next, &ckpt);
    if (rc)
        return rc;
    if (c->known)
        cchc_warn("publisher %s: epoch %016llx replaces %016llx", h->publisher,
                  (unsigned long long)h->epoch, (unsigned long long)c->epoch);
    /* A journal is never taken back once replaced: its frames, signed as
     * they are, are old ones played back. */
    if (c->epoch != h->epoch) {
        retire(c, c->epoch);
        c->head = 0;
    }
    c->epoch = h->epoch;
    c->next = next == BUS_POS_LIVE ? h->seq : next;
    c->ckpt = ckpt;
    c->in_run = 0; /* found out at the checkpoint's next answer */
    c->known = 1;
    c->acked = UINT64_MAX; /* say where we stand again */
    c->durable = 0;        /* once the subscriber says */
    return CCHC_OK;
}

static int deliver(struct bus_sub *s, struct source *c, uint64_t seq, uint32_t count,
                   const uint8_t *body, size_t len, int trusted)
{
    uint64_t next;
    int rc = s->deliver(s->arg, c->publisher, c->epoch, seq, count, body, len, trusted, &next);
    if (rc) {
        s->st.deliver_failures++;
        /* Ask the store again next time: the failed step may have applied after all. */
        c->known = 0;
        return rc;
    }
    c->next = next;
    s->st.events += count;
    return CCHC_OK;
}

/* A request on the replay socket failed (rv: nng's error, 0 for an answer
 * that makes no sense): back off. When no answer came, the request may sit
 * on a dead pipe: the next one gets a new socket. Logged (unless what is
 * NULL) at most every 10 s a source: a subscriber that cannot catch up
 * says why. */
static void request_failed(struct bus_sub *s, struct source *c, const char *what, int rv)
{
    s->st.replay_failures++;
    nng_time now = nng_clock();
    c->replay_after = now + REPLAY_BACKOFF_MS;
    if (what && now - c->fail_warned >= 10000) {
        c->fail_warned = now;
        cchc_warn("%s: %s failed: %s; retrying (%llu failures so far)", c->cfg.replay_url, what,
                  rv ? nng_strerror(rv) : "an answer that does not fit the request",
                  (unsigned long long)s->st.replay_failures);
    }
    if (!rv)
        return;
    char why[160];
    nng_close(c->req);
    if (open_req(s, c, why, sizeof why))
        cchc_warn("%s", why);
}

/* Where the checkpoint's event at index i (the one before c->ckpt) leaves a
 * subscriber: within or at the end of the run that starts at c->next. */
static int ckpt_fits(const struct source *c, const uint8_t *body, size_t len, size_t *off)
{
    struct proto_event ev;
    char why[64];
    uint64_t from, to;
    if (proto_event_decode(body, len, off, &ev, why, sizeof why))
        return 0;
    if (proto_event_is_mark(&ev, &from, &to))
        return to == c->next;
    return proto_str_is(ev.type, PROTO_TYPE_SUM) && (ev.has & PROTO_HAS_N2) &&
           (uint64_t)ev.n2 == c->next;
}

/* The next events of the publisher's checkpoint (bus/retention.h), for a
 * source whose journal no longer holds c->next: asked from the one before
 * c->ckpt, which must show that c->ckpt and c->next agree (the store
 * applied the checkpoint up to there, or nothing of it). 1: delivered;
 * 0: nothing to deliver (no checkpoint, its end, or c->stale: the position
 * is on none of its runs); -1: the request failed. */
/* One page of the checkpoint from event `from`: the answer, or NULL (a
 * failed request: -1 in *rc, or a refusal or the end: 0). */
static nng_msg *ckpt_page(struct bus_sub *s, struct source *c, uint64_t from,
                          struct proto_header *h, int *rc)
{
    struct proto_header q = {.version = PROTO_VERSION,
                             .kind = PROTO_REPLAY_REQUEST,
                             .epoch = c->epoch,
                             .seq = BUS_CKPT | from,
                             .count = BUS_REPLAY_EVENTS};
    nng_msg *ans = NULL;
    int rv = request(s, c, &q, &ans, h);
    *rc = 0;
    if (rv || !ans) {
        request_failed(s, c, "checkpoint request", rv);
        *rc = -1;
        return NULL;
    }
    if (h->kind == PROTO_EVENTS && h->seq == q.seq && h->epoch == c->epoch && h->count > 0)
        return ans;
    nng_msg_free(ans);
    return NULL;
}

/* A store that holds the journal up to c->next but knows nothing of the
 * checkpoint (it followed the journal, or is an older copy): finds the mark
 * that ends at c->next and stands after it (1); or, when a run covers
 * c->next strictly within, says the store is stale (0, c->stale): only the
 * publisher's own marks can say so, never a refusal alone. 0 too when the
 * checkpoint does not reach c->next; -1 when a request failed. */
static int locate(struct bus_sub *s, struct source *c)
{
    uint64_t at = 0;
    for (;;) {
        struct proto_header h = {0};
        int rc;
        nng_msg *ans = ckpt_page(s, c, at, &h, &rc);
        if (!ans)
            return rc;
        size_t off = 0;
        for (uint32_t i = 0; i < h.count; i++) {
            struct proto_event ev;
            char why[64];
            uint64_t from, to;
            if (proto_event_decode(h.body, h.body_len, &off, &ev, why, sizeof why))
                break;
            if (!proto_event_is_mark(&ev, &from, &to))
                continue;
            if (to == c->next || (from < c->next && c->next < to) || from >= c->next) {
                nng_msg_free(ans);
                if (to == c->next) {
                    c->ckpt = at + i + 1;
                    return 1;
                }
                c->stale = from < c->next;
                return 0;
            }
        }
        at += h.count;
        nng_msg_free(ans);
    }
}

/* Whether body's n events are runs that go on from journal position at:
 * every sum of a run, and its mark, start where the run before ended. A
 * publisher's checkpoint that does not is refused, not applied: its CAS
 * in the store would fail forever. *reach: where the last mark ends,
 * *in_run: whether events follow it. */
static int runs_fit(const uint8_t *body, size_t len, uint32_t n, uint64_t at, uint64_t *reach,
                    int *in_run)
{
    size_t off = 0;
    for (uint32_t i = 0; i < n; i++) {
        struct proto_event ev;
        char why[64];
        uint64_t from, to;
        if (proto_event_decode(body, len, &off, &ev, why, sizeof why))
            return 0;
        if (proto_event_is_mark(&ev, &from, &to)) {
            if (from != at)
                return 0;
            at = to;
            *in_run = 0;
        } else if (proto_str_is(ev.type, PROTO_TYPE_SUM) && (ev.has & PROTO_HAS_N2) &&
                   (uint64_t)ev.n2 == at) {
            *in_run = 1;
        } else {
            return 0;
        }
    }
    *reach = at;
    return 1;
}

static int fetch_checkpoint(struct bus_sub *s, struct source *c, int may_locate)
{
    if (c->ckpt == 0 && c->next != 0) {
        int got = locate(s, c);
        if (got <= 0)
            return got;
    }
    struct proto_header h = {0};
    int rc;
    nng_msg *ans = ckpt_page(s, c, c->ckpt ? c->ckpt - 1 : 0, &h, &rc);
    if (!ans)
        return rc;
    size_t off = 0;
    uint32_t skip = c->ckpt ? 1 : 0;
    if (skip && !ckpt_fits(c, h.body, h.body_len, &off)) {
        /* Its place in the checkpoint is not where the store stands: an
         * older copy of the store, maybe at the end of another run, which
         * its marks may show; once. */
        nng_msg_free(ans);
        c->ckpt = 0;
        if (!may_locate || !c->next) {
            c->stale = 1;
            return 0;
        }
        int got = locate(s, c);
        return got <= 0 ? got : fetch_checkpoint(s, c, 0);
    }
    uint32_t n = h.count - skip;
    uint64_t reach = c->next, next;
    int in_run = c->in_run, got = 0;
    if (n == 0) {
        got = 0; /* its end */
    } else if (!runs_fit(h.body + off, h.body_len - off, n, c->next, &reach, &in_run)) {
        cchc_error("%s: publisher %s: its checkpoint's events from %llu do not go on from "
                   "journal position %llu: refused",
                   c->cfg.replay_url, c->publisher, (unsigned long long)c->ckpt,
                   (unsigned long long)c->next);
        got = 0;
    } else if (s->deliver(s->arg, c->publisher, c->epoch, BUS_CKPT | c->ckpt, n, h.body + off,
                          h.body_len - off, 1, &next)) {
        s->st.deliver_failures++;
        c->known = 0;
        got = -1;
    } else {
        /* The marks say where in the journal the delivered runs reach. */
        c->next = reach;
        c->in_run = in_run;
        c->ckpt += n;
        s->st.events += n;
        s->st.replayed_events += n;
        s->st.checkpoint_events += n;
        got = 1;
    }
    nng_msg_free(ans);
    return got;
}

/* Fetches [c->next, upto) from the publisher's journal. Stops at the first
 * failure, and at the poll's slice end, so that a long gap (a subscriber
 * catching up on millions of events) does not hold the subscriber's loop:
 * the rest is fetched on the next frame or heartbeat. */
static void fetch_gap(struct bus_sub *s, struct source *c, uint64_t upto)
{
    nng_time start = nng_clock();
    if (start < c->replay_after || start >= s->slice_end)
        return;
    s->st.gaps++;
    while (c->known && (c->next < upto || c->in_run) && nng_clock() < s->slice_end) {
        if (c->in_run) { /* a run is all applied before the journal after it */
            int got = fetch_checkpoint(s, c, 1);
            if (got < 0)
                return;
            if (got == 0) { /* a run without its mark: the publisher never serves one */
                c->in_run = 0;
                c->refused = 1;
                return;
            }
            continue;
        }
        struct proto_header q = {.version = PROTO_VERSION,
                                 .kind = PROTO_REPLAY_REQUEST,
                                 .epoch = c->epoch,
                                 .seq = c->next,
                                 .count = (uint32_t)(upto - c->next < BUS_REPLAY_EVENTS
                                                         ? upto - c->next
                                                         : BUS_REPLAY_EVENTS)};
        nng_msg *ans = NULL;
        struct proto_header h = {0};
        int rv = request(s, c, &q, &ans, &h);
        if (rv || !ans) {
            request_failed(s, c, "replay request", rv);
            return;
        }
        int ok = h.kind == PROTO_EVENTS && h.seq == c->next && h.count > 0 && h.epoch == c->epoch;
        if (!ok) {
            int nack = h.kind == PROTO_REPLAY_NACK;
            nng_msg_free(ans);
            /* Below the publisher's end: retention folded them into the
             * checkpoint, maybe. */
            int got = nack && c->next < h.seq ? fetch_checkpoint(s, c, 1) : 0;
            if (got > 0) {
                c->refused = c->stale = 0;
                continue;
            }
            if (got < 0)
                return;
            /* A refusal has its own message: a missed journal is an error. */
            request_failed(s, c, nack ? NULL : "replay request", 0);
            if (nack)
                c->refused = 1;
            if (nack && nng_clock() - c->nack_warned >= 60000) {
                c->nack_warned = nng_clock();
                cchc_error("%s: publisher %s refuses events from %llu (it is at %llu): %s",
                           c->cfg.replay_url, c->publisher, (unsigned long long)c->next,
                           (unsigned long long)h.seq,
                           c->stale ? "its journal no longer has them, and this subscriber "
                                      "stands on none of its checkpoint's runs (a store from an "
                                      "older copy, or damaged): only a rebuild from nothing "
                                      "can apply them"
                                    : "its journal and checkpoint no longer have them (a journal "
                                      "or checkpoint lost), or it does not take this "
                                      "subscriber's requests (its log says why); these events "
                                      "cannot be applied");
            }
            return;
        }
        c->refused = c->stale = 0;
        int rc = deliver(s, c, h.seq, h.count, h.body, h.body_len, 1);
        if (rc == CCHC_OK)
            s->st.replayed_events += h.count;
        nng_msg_free(ans);
        if (rc)
            return;
    }
}

/* Byte offset of event k in body, or CCHC_EPROTO. */
static int skip_events(const uint8_t *body, size_t len, uint32_t k, size_t *off)
{
    size_t o = 0;
    char why[64];
    for (uint32_t i = 0; i < k; i++) {
        struct proto_event ev;
        if (proto_event_decode(body, len, &o, &ev, why, sizeof why))
            return CCHC_EPROTO;
    }
    *off = o;
    return CCHC_OK;
}

static void handle(struct bus_sub *s, struct source *c, const uint8_t *buf, size_t len)
{
    struct proto_header h = {0};
    char why[160] = "";
    if (proto_frame_unsigned(buf, len)) {
        refused(s, c, &s->st.no_mac, "no signature (version 1 or 2, or flags bit 0 clear)", NULL);
        return;
    }
    if (proto_header_decode(buf, len, &h, why, sizeof why) ||
        (h.kind != PROTO_EVENTS && h.kind != PROTO_HEARTBEAT)) {
        s->st.rejected_frames++;
        cchc_warn("%s: frame rejected: %s", c->cfg.pub_url,
                  why[0] ? why : "a replay or acknowledgement frame on the live bus");
        return;
    }
    const struct bus_peer *pub = bus_keys_find(s->auth.keys, BUS_PUBLISHER, h.publisher);
    if (!pub) {
        refused(s, c, &s->st.unknown_publisher, "a publisher not in the bus keys", &h);
        return;
    }
    if (bus_peer_verify(pub, buf, len, &h, NULL) != CCHC_OK) {
        refused(s, c, &s->st.bad_mac, "wrong signature", &h);
        return;
    }
    if (h.epoch != c->epoch && retired(c, h.epoch)) {
        refused(s, c, &s->st.old_epoch_frames, "an epoch its publisher has left", &h);
        return;
    }
    if (c->publisher[0] == 0) {
        memcpy(c->publisher, h.publisher, sizeof c->publisher);
    } else if (strcmp(c->publisher, h.publisher) != 0) {
        s->st.rejected_frames++;
        cchc_warn("%s: frame from publisher '%s', this source is '%s'", c->cfg.pub_url, h.publisher,
                  c->publisher);
        return;
    }
    c->heard = nng_clock(); /* a frame of its own publisher: the source lives */
    if (ensure_position(s, c, &h))
        return;
    uint64_t announced = h.kind == PROTO_HEARTBEAT ? h.seq : h.seq + h.count;
    if (announced > c->head)
        c->head = announced;
    if (h.kind == PROTO_HEARTBEAT) {
        s->st.heartbeats++;
        if (h.seq > c->next)
            fetch_gap(s, c, h.seq);
        return;
    }
    s->st.frames++;
    if (h.count == 0)
        return;
    uint64_t end = h.seq + h.count;
    if (h.seq > c->next)
        fetch_gap(s, c, h.seq);
    if (!c->known || end <= c->next || h.seq > c->next) {
        if (c->known && end <= c->next) {
            s->st.duplicate_events += h.count;
            /* Signed, but wholly before where we stand: played back, or sent
             * both live and replayed (normal while catching up): counted, not
             * logged. */
            s->st.old_frames++;
        }
        return;
    }
    uint32_t skip = (uint32_t)(c->next - h.seq);
    size_t off = 0;
    if (skip && skip_events(h.body, h.body_len, skip, &off)) {
        s->st.rejected_frames++;
        return;
    }
    s->st.duplicate_events += skip;
    if (deliver(s, c, c->next, h.count - skip, h.body + off, h.body_len - off, 0) == CCHC_EPROTO)
        s->st.rejected_frames++;
}

/* A durable subscriber tells each publisher, about once a second, the
 * position it has applied, so that retention keeps what it still needs. */
static void acknowledge(struct bus_sub *s, struct source *c)
{
    nng_time now = nng_clock();
    /* Not to a publisher that is silent (down?): the answer would block the loop. */
    if (!s->durable || !c->known || !c->durable || c->durable == c->acked ||
        now - c->ack_at < ACK_EVERY_MS || now < c->replay_after ||
        now - c->heard > 10 * BUS_HEARTBEAT_MS)
        return;
    c->ack_at = now;
    struct proto_header q = {
        .version = PROTO_VERSION, .kind = PROTO_ACK, .epoch = c->epoch, .seq = c->durable};
    nng_msg *ans = NULL;
    struct proto_header h;
    int rv = request(s, c, &q, &ans, &h);
    if (rv == 0 && ans && h.kind == PROTO_ACK) {
        c->acked = q.seq;
        nng_msg_free(ans);
        return;
    }
    if (ans) {
        if (nng_clock() - c->fail_warned >= 10000)
            cchc_warn("%s: publisher %s refused our acknowledgement of %016llx/%llu (its log "
                      "says why)",
                      c->cfg.replay_url, c->publisher, (unsigned long long)q.epoch,
                      (unsigned long long)q.seq);
        nng_msg_free(ans);
    }
    request_failed(s, c, "acknowledgement", rv);
}

/* Gives every silent source new sockets (SILENCE_MS). */
static void revive_silent(struct bus_sub *s)
{
    nng_time now = nng_clock();
    for (int i = 0; i < s->nsrc; i++) {
        struct source *c = &s->src[i];
        if (now - c->heard < SILENCE_MS)
            continue;
        char why[160];
        cchc_warn("%s: silent for %llu ms: dialing again", c->cfg.pub_url,
                  (unsigned long long)(now - c->heard));
        s->st.redials++;
        nng_close(c->sub);
        nng_close(c->req);
        if (open_sub(s, c, why, sizeof why) || open_req(s, c, why, sizeof why))
            cchc_warn("%s", why);
        c->heard = now;
    }
}

int bus_sub_poll(struct bus_sub *s, int timeout_ms, int wake_fd)
{
    for (int i = 0; i < s->nsrc; i++)
        acknowledge(s, &s->src[i]);
    struct pollfd pfd[65];
    int n = s->nsrc < 64 ? s->nsrc : 64;
    for (int i = 0; i < n; i++)
        pfd[i] = (struct pollfd){.fd = s->src[i].fd, .events = POLLIN};
    pfd[n] = (struct pollfd){.fd = wake_fd, .events = POLLIN}; /* a negative fd is ignored */
    if (poll(pfd, (nfds_t)n + 1, timeout_ms) <= 0) {
        revive_silent(s);
        return CCHC_OK;
    }
    /* Bounded in time too: each queued frame of a source that is behind
     * fetches a page, and a slow store (one round trip per event) would
     * keep the caller from its heartbeat and its signals for minutes. */
    s->slice_end = nng_clock() + POLL_SLICE_MS;
    /* Each poll starts at the next source, so one that is behind cannot
     * take every slice. */
    unsigned first = s->turn++;
    for (int j = 0; j < n; j++) {
        int i = (int)((first + (unsigned)j) % (unsigned)n);
        /* Drain what is queued, bounded so one busy source cannot starve the others. */
        for (int k = 0; k < 256 && nng_clock() < s->slice_end; k++) {
            nng_msg *m;
            if (nng_recvmsg(s->src[i].sub, &m, NNG_FLAG_NONBLOCK))
                break;
            handle(s, &s->src[i], nng_msg_body(m), nng_msg_len(m));
            nng_msg_free(m);
        }
    }
    revive_silent(s);
    return CCHC_OK;
}

int bus_sources_parse(char *spec, struct bus_source *src, int max, int *n)
{
    *n = 0;
    for (char *save = NULL, *part = strtok_r(spec, "; ", &save); part;
         part = strtok_r(NULL, "; ", &save)) {
        /* PUB,REPLAY: two addresses, neither empty, neither with a comma */
        char *comma = strchr(part, ',');
        if (!comma || comma == part || !comma[1] || strchr(comma + 1, ',') || *n == max)
            return CCHC_EINVAL;
        *comma = 0;
        src[(*n)++] = (struct bus_source){.pub_url = part, .replay_url = comma + 1};
    }
    return *n ? CCHC_OK : CCHC_EINVAL;
}

void bus_sub_durable(struct bus_sub *s, const char *publisher, uint64_t epoch, uint64_t next)
{
    for (int i = 0; i < s->nsrc; i++) {
        struct source *c = &s->src[i];
        if (c->known && c->epoch == epoch && strcmp(c->publisher, publisher) == 0)
            c->durable = next;
    }
}

void bus_sub_reset(struct bus_sub *s)
{
    for (int i = 0; i < s->nsrc; i++)
        s->src[i].known = s->src[i].stale = 0;
}

void bus_sub_get_stats(const struct bus_sub *s, struct bus_sub_stats *st)
{
    *st = s->st;
    st->refused_sources = st->behind_sources = st->lag_events = 0;
    for (int i = 0; i < s->nsrc; i++) {
        const struct source *c = &s->src[i];
        st->refused_sources += c->refused;
        st->stale_sources += c->refused && c->stale;
        if (!c->known || c->next < c->head)
            st->behind_sources++;
        if (c->known && c->next < c->head)
            st->lag_events += c->head - c->next;
    }
}

int bus_sub_sources(struct bus_sub *s, struct bus_sub_source *out, int max)
{
    nng_time now = nng_clock();
    int n = 0;
    for (int i = 0; i < s->nsrc && n < max; i++, n++) {
        struct source *c = &s->src[i];
        int up = c->known && c->next >= c->head;
        if (up || !c->caught)
            c->caught = now;
        out[n] = (struct bus_sub_source){.known = c->known, .next = c->next, .head = c->head};
        snprintf(out[n].publisher, sizeof out[n].publisher, "%s", c->publisher);
        out[n].behind_ms = up ? 0 : (int64_t)(now - c->caught);
    }
    return n;
}

int bus_sub_open(const struct bus_source *src, int nsrc, const char *name,
                 const struct bus_auth *auth, bus_position_fn position, bus_deliver_fn deliver_fn,
                 void *arg, struct bus_sub **out, char *why, size_t why_cap)
{
    if (nsrc < 1 || nsrc > 64) {
        snprintf(why, why_cap, "bus: need 1..64 sources, have %d", nsrc);
        return CCHC_EINVAL;
    }
    /* It signs its requests with its own secret, one of its own lines'. */
    const struct bus_peer *self = auth ? bus_keys_self(auth->keys, auth->secret, auth->secret_path,
                                                       BUS_SUBSCRIBER, name, why, why_cap)
                                       : NULL;
    if (!self) {
        if (!auth)
            snprintf(why, why_cap, "bus: subscriber %s: no bus keys", name ? name : "(none)");
        return CCHC_EINVAL;
    }
    if (sodium_init() < 0) {
        snprintf(why, why_cap, "libsodium cannot start");
        return CCHC_EIO;
    }
    struct bus_sub *s = g_new0(struct bus_sub, 1);
    s->src = g_new0(struct source, (gsize)nsrc);
    s->nsrc = nsrc;
    s->auth = *auth;
    s->self = self;
    s->durable = self->durable;
    snprintf(s->name, sizeof s->name, "%s", name);
    s->position = position;
    s->deliver = deliver_fn;
    s->arg = arg;
    for (int i = 0; i < nsrc; i++) {
        struct source *c = &s->src[i];
        c->cfg = src[i];
        c->heard = nng_clock();
    }
    for (int i = 0; i < nsrc; i++) {
        struct source *c = &s->src[i];
        int rc;
        if ((rc = open_sub(s, c, why, why_cap)) || (rc = open_req(s, c, why, why_cap))) {
            bus_sub_close(s);
            return rc;
        }
    }
    *out = s;
    return CCHC_OK;
}

void bus_sub_close(struct bus_sub *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->nsrc; i++) {
        nng_close(s->src[i].sub);
        nng_close(s->src[i].req);
    }
    g_free(s->src);
    g_free(s);
}
