/* The event bus. Delivery never depends on nng PUB/SUB being reliable (it
 * drops by design when a subscriber is slow): events carry per-publisher
 * sequence numbers, the publisher keeps them in its journal and answers
 * replay requests on a REQ/REP socket, and announces its position in a
 * heartbeat so a subscriber notices even a lost last frame. Frames follow
 * proto/frame.h.
 *
 * Publisher side: the service journals a group of events, syncs it, then
 * hands the group to bus_pub_batch(). Subscriber side: bus_sub delivers
 * each publisher's events in order, without gaps, fetching what it missed. */
#ifndef CCHC_BUS_H
#define CCHC_BUS_H

#include "bus/journal.h"
#include "bus/keys.h"
#include "bus/net.h"

#include <stddef.h>
#include <stdint.h>

#define BUS_FRAME_EVENTS 1024      /* events in one live frame */
#define BUS_FRAME_BYTES (1u << 20) /* body bytes in one frame, about */
#define BUS_REPLAY_EVENTS 8192     /* events in one replay answer */
#define BUS_HEARTBEAT_MS 100
/* A replay request's seq with this bit set asks for the publisher's
 * checkpoint (bus/retention.h), from event seq & ~BUS_CKPT of it; the
 * answer's seq has it too. Journal positions never reach it. */
#define BUS_CKPT (UINT64_C(1) << 63)

struct bus_pub; /* opaque */

#define BUS_REPLAY_CONTEXTS 8 /* replay requests answered at once */

/* Listens on pub_url (PUB) and replay_url (REP), answers replays from j
 * and, for requests with BUS_CKPT, from its checkpoint ckpt (NULL: none;
 * both borrowed: they must outlive the publisher) and beats every BUS_HEARTBEAT_MS.
 * Every frame it sends is signed with auth->secret, which must be one of its
 * lines' in auth->keys (both borrowed, like auth); replay requests and ACKs are taken only from the
 * subscribers there, checked with their keys, and ACKs only from durable ones for the journal's
 * epoch. Durable subscribers are kept in acks_path (NULL: in memory only) across restarts; a name
 * there that the keys no longer make durable is dropped, with a log line. Requests are answered by
 * BUS_REPLAY_CONTEXTS nng contexts at once, so a requester that stops
 * reading holds one of them, at most REPLAY_SEND_MS. CCHC_EINVAL when
 * publisher has no line in the keys or auth->secret is none of its lines'
 * keys, CCHC_ECORRUPT when a subscriber kept in acks_path
 * has applied more of the journal's epoch than the journal holds (a
 * journal restored from an older copy). */
int bus_pub_open(const char *publisher, const char *pub_url, const char *replay_url,
                 struct journal *j, struct journal *ckpt, const char *acks_path,
                 const struct bus_auth *auth, struct bus_pub **out, char *why, size_t why_cap);

/* What the replay socket refused, and served (the service's /v1/stats). */
struct bus_pub_stats {
    uint64_t replays_served, acks_taken,
        bad_requests,        /* undecodable, unsigned, or not for this publisher */
        stranger_requests,   /* a subscriber name not in the bus keys */
        bad_mac_requests,    /* a configured name, a signature none of its keys verifies */
        refused_acks,        /* from a reader, for another epoch, or past the journal */
        refused_connections; /* past the caps of bus/peers.h, on either socket */
};
void bus_pub_get_stats(struct bus_pub *p, struct bus_pub_stats *st);
/* Retention: the lowest position a durable subscriber has acknowledged for
 * the journal's epoch (a subscriber of another epoch counts as 0), and its
 * name in who; 0 when no subscriber has ever acknowledged. Events before it
 * may be dropped; nothing at or after it. */
uint64_t bus_pub_retention_floor(struct bus_pub *p, char *who, size_t who_cap);
typedef void (*bus_sub_info_fn)(void *arg, const char *name, uint64_t next);
/* Calls fn for each durable subscriber: its name and acknowledged position. */
void bus_pub_subscribers(struct bus_pub *p, bus_sub_info_fn fn, void *arg);
/* Publishes events [seq, seq+n): event i is body[ends[i-1] .. ends[i]) (ends[-1] = 0).
 * They must be durable already. A send that fails is dropped, not retried:
 * subscribers replay it. */
int bus_pub_batch(struct bus_pub *p, uint64_t seq, const uint8_t *body, const size_t *ends,
                  uint32_t n);
void bus_pub_close(struct bus_pub *p);

struct bus_sub; /* opaque */

/* Where the four services publish when nothing else is configured: ipc
 * sockets in the private runtime folder (bus_sources_default, net.h). */

struct bus_source {
    const char *pub_url;    /* the publisher's PUB address */
    const char *replay_url; /* its REP address */
    int recv_buffer;        /* frames queued before PUB drops; 0: nng's default */
};

/* Where a subscriber stands for publisher/epoch: the next sequence it needs,
 * or BUS_POS_LIVE to start with whatever the publisher sends next. */
#define BUS_POS_LIVE UINT64_MAX
/* *ckpt (0 unless set): the events of the publisher's checkpoint it has
 * applied (bus/retention.h): with *next, where it stands in a replay of the
 * history retention folded; the two are kept together, as the marks of the
 * runs move *next. */
typedef int (*bus_position_fn)(void *arg, const char *publisher, uint64_t epoch, uint64_t *next,
                               uint64_t *ckpt);
/* Hands over events [seq, seq+count) of publisher/epoch, concatenated in
 * body; with BUS_CKPT in seq, events of its checkpoint (sums, and marks
 * that move the journal position: proto/event.h), *next then being the
 * checkpoint's next, with BUS_CKPT. `trusted` is set for events from the publisher's journal
 * (replay): an undecodable one there must be skipped, not retried forever. On success *next is the
 * position after them (normally seq+count). On failure nothing of them was taken; the events are
 * fetched again later. The subscriber may hold events in memory rather than make them durable at
 * once: a durable subscriber says what is durable with bus_sub_durable, and only that is
 * acknowledged to publishers. */
typedef int (*bus_deliver_fn)(void *arg, const char *publisher, uint64_t epoch, uint64_t seq,
                              uint32_t count, const uint8_t *body, size_t len, int trusted,
                              uint64_t *next);

struct bus_sub_stats {
    uint64_t frames, heartbeats, events, duplicate_events, gaps, replayed_events, replay_failures,
        rejected_frames, deliver_failures, redials;
    /* Sources whose last replay request was refused: the events this
     * subscriber needs are gone from their journals (retention, or a Redis
     * that lost state), and nothing moves until an operator acts. */
    uint64_t refused_sources;
    /* Of them, those refused while this subscriber holds part of the history
     * but on none of the checkpoint's runs (a store restored from an older
     * copy, or damaged): only a rebuild from nothing helps. */
    uint64_t stale_sources;
    uint64_t checkpoint_events; /* replayed from publishers' checkpoints */
    /* Sources not caught up: not heard yet (or their position not asked
     * since bus_sub_reset), or behind the position their publisher last
     * announced; and the events they are behind by, in all. */
    uint64_t behind_sources, lag_events;
    /* Refused before anything is read from them: */
    uint64_t no_mac,       /* frames without a signature (version 1 or 2, or flags bit 0 clear) */
        bad_mac,           /* a signature none of the publisher's keys verifies */
        unknown_publisher, /* a publisher not in the bus keys */
        old_frames,        /* EVENTS frames wholly before the position: replayed */
        old_epoch_frames,  /* frames of an epoch the publisher has left */
        bad_answers;       /* replay answers whose signature (with the request's nonce) fails */
};

/* "PUB,REPLAY;PUB,REPLAY" -> src[0..*n). The strings point into spec, which
 * is modified and must outlive src. CCHC_EINVAL for a malformed spec. */
int bus_sources_parse(char *spec, struct bus_source *src, int max, int *n);

/* name: the subscriber's name in auth->keys (borrowed, like auth);
 * auth->secret, which must be one of its lines' keys, signs its replay
 * requests and ACKs; every frame is checked against
 * its publisher's keys there. A durable subscriber (its keys line says
 * so) acknowledges to each publisher, about once a second, the position it
 * last gave bus_sub_durable (what it has made durable is never asked for
 * again), and publishers keep in their journals whatever it has not
 * acknowledged yet. CCHC_EINVAL when name has no line, or the secret is
 * none of its keys'. */
int bus_sub_open(const struct bus_source *src, int nsrc, const char *name,
                 const struct bus_auth *auth, bus_position_fn position, bus_deliver_fn deliver,
                 void *arg, struct bus_sub **out, char *why, size_t why_cap);
/* Waits up to timeout_ms for frames on any source, or for wake_fd (-1:
 * none) to be readable, and handles all frames that came. */
int bus_sub_poll(struct bus_sub *s, int timeout_ms, int wake_fd);
/* Events of publisher/epoch before next are durable where the subscriber
 * keeps them: what its acknowledgements carry. */
void bus_sub_durable(struct bus_sub *s, const char *publisher, uint64_t epoch, uint64_t next);
/* Forgets where every source stands, so positions are asked again (after the
 * store behind `position` was lost or restarted). */
void bus_sub_reset(struct bus_sub *s);
void bus_sub_get_stats(const struct bus_sub *s, struct bus_sub_stats *st);
/* One source, for the lag per publisher: its publisher ("" before its first
 * frame), whether its position is known, the next sequence to deliver and
 * the publisher's as last announced, and how long it has been behind (0
 * when caught up: next at the announced position). */
struct bus_sub_source {
    char publisher[PROTO_PUBLISHER_MAX + 1];
    int known;
    uint64_t next, head;
    int64_t behind_ms;
};
/* The sources, at most max, into out; how many. Each call notes, for
 * behind_ms, which are caught up now: call it often (the aggregator does,
 * at every turn). */
int bus_sub_sources(struct bus_sub *s, struct bus_sub_source *out, int max);
void bus_sub_close(struct bus_sub *s);

#endif
