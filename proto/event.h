/* One event on the bus: a msgpack map with short string keys.
 *
 *   key   type   meaning
 *   "t"   str    event type, e.g. "dossier.received" (see proto/README.md)
 *   "id"  str    the source record's id (idempotency key)
 *   "u"   str    unit id the event counts for, e.g. "kg.rachgia.mot-cua"
 *   "at"  int    event time, milliseconds since 1970-01-01T00:00:00Z
 *   "d"   str    dossier id                        (optional)
 *   "p"   str    procedure code                    (optional)
 *   "f"   str    field of the procedure            (optional)
 *   "c"   str    channel / category / kind         (optional)
 *   "c2"  str    a second category, e.g. return channel (optional)
 *   "o"   str    outcome: "early" | "on_time" | "late" (optional)
 *   "due" int    due time, ms since epoch          (optional)
 *   "rat" int    received time of the dossier, ms  (optional)
 *   "n"   int    a count or an amount in dong      (optional)
 *   "n2"  int    a second count, e.g. quota        (optional)
 *   "b"   bool   a flag, e.g. satisfied            (optional)
 *   "k"   str    the series of a level within its unit and type (optional)
 *   "m"   map    metric name (str) -> change (int): what the event adds to
 *                the figures; the aggregator applies exactly this (optional)
 *   "v"   map    metric name (str) -> value (int): a level's new values,
 *                on snapshot events (optional)
 *   "src" str    the source (sources file) that posted the record: record
 *                ids are namespaced per source (optional: an event
 *                without it was journaled before sources existed)
 *   "dg"  str    the record's content digest, 32 hex digits: BLAKE2b-128
 *                of its JSON with sorted keys, compact (optional)
 * Unknown keys are skipped, so later versions may add keys. Strings are at
 * most PROTO_STR_MAX bytes. A decoded event's strings point into the frame. */
#ifndef CCHC_PROTO_EVENT_H
#define CCHC_PROTO_EVENT_H

#include "base/metric.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define PROTO_STR_MAX 256
#define PROTO_EVENT_KEYS_MAX 32
#define PROTO_METRICS_MAX 16                  /* entries in "m" or "v" */
#define PROTO_METRIC_NAME_MAX METRIC_NAME_MAX /* bytes in a metric name (base/metric.h) */

struct proto_str {
    const char *p; /* not NUL-terminated; NULL when absent */
    uint32_t len;
};

/* A NUL-terminated s as a proto_str; NULL stays absent. */
static inline struct proto_str proto_cstr(const char *s)
{
    return (struct proto_str){s, s ? (uint32_t)strlen(s) : 0};
}

/* Which optional fields are present. */
enum proto_has {
    PROTO_HAS_DUE = 1 << 0,
    PROTO_HAS_RAT = 1 << 1,
    PROTO_HAS_N = 1 << 2,
    PROTO_HAS_N2 = 1 << 3,
    PROTO_HAS_B = 1 << 4,
};

struct proto_metric {
    struct proto_str name;
    int64_t value;
};

struct proto_event {
    struct proto_str type, id, unit;
    int64_t at_ms;
    struct proto_str dossier, procedure, field, cat, cat2, outcome, key;
    struct proto_str src, digest;
    int64_t due_ms, rat_ms, n, n2;
    bool b;
    unsigned has; /* enum proto_has bits */
    uint32_t nm, nv;
    struct proto_metric m[PROTO_METRICS_MAX]; /* "m": present when nm > 0 */
    struct proto_metric v[PROTO_METRICS_MAX]; /* "v": present when nv > 0 */
};

/* What a publisher's checkpoint holds in place of the events retention
 * dropped (bus/retention.h), in runs, one per compaction:
 *   "bus.sum"         per unit and day: "u", "at" (that day's first
 *                     instant), "m" what the dropped events of that unit and
 *                     day added, PROTO_METRICS_MAX names at most (a unit and
 *                     day with more gets several), "n2" the journal
 *                     position its run starts at
 *   "bus.checkpoint"  closing a run: "n2" the journal position the run's
 *                     events started at, "n" the one after them ("u" "*")
 * A subscriber that applied the sums of a run stands at its "n". */
#define PROTO_TYPE_SUM "bus.sum"
#define PROTO_TYPE_CHECKPOINT "bus.checkpoint"

static inline int proto_str_is(struct proto_str s, const char *lit)
{
    size_t n = strlen(lit);
    return s.p && s.len == n && memcmp(s.p, lit, n) == 0;
}

/* A checkpoint's mark: its run covers the journal's [*from, *to). */
static inline int proto_event_is_mark(const struct proto_event *ev, uint64_t *from, uint64_t *to)
{
    if (!proto_str_is(ev->type, PROTO_TYPE_CHECKPOINT) ||
        (ev->has & (PROTO_HAS_N | PROTO_HAS_N2)) != (PROTO_HAS_N | PROTO_HAS_N2) || ev->n2 < 0 ||
        ev->n < ev->n2)
        return 0;
    *from = (uint64_t)ev->n2;
    *to = (uint64_t)ev->n;
    return 1;
}

/* Appends the msgpack map of `ev` to buf; fields with NULL strings or unset
 * `has` bits are left out. buf grows by g_realloc; the caller owns *buf (with
 * its *len and *cap) and frees it with g_free().
 * CCHC_EINVAL when t, id or u is missing or empty, CCHC_ETOOBIG for a string
 * over PROTO_STR_MAX; on any error *len is unchanged. */
int proto_event_encode(const struct proto_event *ev, uint8_t **buf, size_t *len, size_t *cap);

/* Decodes one event from buf[*off..len) and advances *off past it. Requires
 * "t", "id", "u" and "at". CCHC_EPROTO with a reason in why for anything else:
 * truncated bytes, a map over PROTO_EVENT_KEYS_MAX, a string over
 * PROTO_STR_MAX, a wrong type for a known key. Never allocates. */
int proto_event_decode(const uint8_t *buf, size_t len, size_t *off, struct proto_event *ev,
                       char *why, size_t why_cap);

/* Room for the JSON of any event proto_event_decode accepts: twelve strings
 * of PROTO_STR_MAX bytes and 2 * PROTO_METRICS_MAX metric names of
 * PROTO_METRIC_NAME_MAX, each byte escaped to at most 6 characters, keys,
 * four times, integers, and the NUL. */
#define PROTO_EVENT_JSON_MAX 65536

/* Writes `ev` as one JSON object (no newline) to buf[0..cap); *len gets the
 * length. For cchc-tap and the test vectors. CCHC_ETOOBIG if cap is short
 * (buf then holds ""). */
int proto_event_to_json(const struct proto_event *ev, char *buf, size_t cap, size_t *len);

#endif
