/* The publisher's durable journal: an append-only file of events, each with
 * an implicit sequence number (base + position). It is the source of truth of
 * a service: its state is rebuilt from it at start, and replay requests are
 * answered from it.
 *
 * File: a 32-byte header ("CCHCJRN1", epoch u64, base seq u64, reserved),
 * then records: u32 length, u32 CRC-32 of the payload (both little-endian),
 * payload (one msgpack event, proto/event.h). A record that is cut short or
 * fails its CRC at the end of the file is a torn write from a crash: it was
 * never acknowledged, and opening the journal cuts it off.
 *
 * Threads: one thread appends and syncs; any thread may journal_read(). */
#ifndef CCHC_JOURNAL_H
#define CCHC_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#define JOURNAL_RECORD_MAX (1u << 20)

struct journal; /* opaque */

/* Called for every intact record while opening, in order. A non-zero return
 * stops the open with that error. */
typedef int (*journal_scan_fn)(void *arg, uint64_t seq, const uint8_t *ev, size_t len);

/* Opens or creates path (a new file gets a fresh random epoch). */
int journal_open(const char *path, journal_scan_fn fn, void *arg, struct journal **out, char *why,
                 size_t why_cap);
void journal_close(struct journal *j);

/* Reads a journal without opening it for writing (a running service may own
 * it): fn for every intact record, in order; a torn tail is left alone.
 * *base is the first event kept (above 0 after retention), *count how many. */
int journal_scan(const char *path, journal_scan_fn fn, void *arg, uint64_t *epoch, uint64_t *base,
                 uint64_t *count, char *why, size_t why_cap);

uint64_t journal_epoch(const struct journal *j);
uint64_t journal_base(struct journal *j);           /* the oldest event kept */
uint64_t journal_bytes(const struct journal *j);    /* the file's size, appended included */
uint64_t journal_next_seq(const struct journal *j); /* next to append */
uint64_t journal_durable(struct journal *j);        /* events [.., this) are on disk */

/* Buffers one event; it is durable only after journal_sync(). */
int journal_append(struct journal *j, const uint8_t *ev, size_t len);
/* Writes what was appended and fdatasyncs: one sync for a whole group. */
int journal_sync(struct journal *j);

/* Copies durable events [from, ...), at most max_events and about max_bytes,
 * concatenated, into a new buffer that the caller frees with g_free(). CCHC_ENOTFOUND when
 * `from` is not durable yet or before the journal's base. */
int journal_read(struct journal *j, uint64_t from, uint32_t max_events, size_t max_bytes,
                 uint8_t **buf, size_t *len, uint32_t *count);

/* The epoch in a journal's header, without reading it further;
 * CCHC_ENOTFOUND when there is no journal (or not even a header) at path. */
int journal_peek_epoch(const char *path, uint64_t *epoch);

/* Calls fn for each durable event [from, to), in order, stopping at the
 * first non-zero return. CCHC_ENOTFOUND when the range is not all kept and
 * durable. Appender's thread only. */
int journal_each(struct journal *j, uint64_t from, uint64_t to, journal_scan_fn fn, void *arg);

/* Drops the newest events [keep, next) (nothing appended but unsynced): a
 * checkpoint cuts a run of sums that a crash left without its mark
 * (bus/retention.h). Appender's thread only. */
int journal_truncate(struct journal *j, uint64_t keep);

/* Retention: drops events [base, cut) (cut <= durable, nothing appended but
 * unsynced). The events kept are copied to a new file that replaces the
 * journal by rename: a crash leaves the old journal or the new one, both
 * whole. The epoch stays, so subscribers' positions stay valid; reading an
 * event before the new base gets CCHC_ENOTFOUND. Appender's thread only;
 * readers on other threads may run meanwhile. */
int journal_compact(struct journal *j, uint64_t cut, char *why, size_t why_cap);

#endif
