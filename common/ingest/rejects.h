/* The reject log of a service: every rejected line, bounded. Its one job is
 * to keep what an operator needs to find a bad line again without letting a
 * hostile body grow the disk (ops/README.md, "The reject log"):
 *
 *   an entry      one JSON line: when, the source, the line number, the
 *                 reason (at most REJECTS_REASON_MAX bytes), the line's length
 *                 and at most REJECTS_RECORD_MAX bytes of it; a longer line
 *                 is kept truncated, with the BLAKE2b-256 of the whole line
 *   a request     its entries at most REJECTS_REQUEST_MAX bytes, written with
 *                 one write and one fdatasync; lines past that are not kept,
 *                 only counted, in one closing entry
 *   the files     rejects.ndjson, rotated to .1 ... .N past a size cap
 *
 * What was not kept (lines and bytes) is counted, for GET /v1/stats. Any
 * thread: a batch belongs to its request's thread, the log has its own lock. */
#ifndef CCHC_INGEST_REJECTS_H
#define CCHC_INGEST_REJECTS_H

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

#define REJECTS_RECORD_MAX 1024        /* bytes of a line kept in its entry */
#define REJECTS_REASON_MAX 256         /* bytes of a reason kept */
#define REJECTS_REQUEST_MAX (1u << 20) /* bytes of entries one request may add */
/* The bound of one entry: 6 x (record + reason + source) escaped, and keys. */
#define REJECTS_ENTRY_MAX (12u << 10)
#define REJECTS_FILE_MB_DEFAULT 64 /* size cap of one file */
#define REJECTS_FILES_DEFAULT 4    /* rotated files kept: .1 ... .4 */

struct rejects;       /* opaque: the log */
struct rejects_batch; /* opaque: one request's entries */

/* Opens (appends to) path, rotated past file_max bytes into path.1 ...
 * path.files (files 0: the file is emptied instead). CCHC_EIO with why. The
 * caller frees it with rejects_close(). */
int rejects_open(const char *path, uint64_t file_max, unsigned files, struct rejects **out,
                 char *why, size_t why_cap);
void rejects_close(struct rejects *r);

/* A request's entries; source is copied. Freed by rejects_commit(). */
struct rejects_batch *rejects_batch_new(const char *source, const char *src);
/* One rejected line: text[0..n) (borrowed for the call) with its number and
 * reason. Past REJECTS_REQUEST_MAX it is only counted. */
void rejects_batch_add(struct rejects_batch *b, long lineno, const char *reason, const char *text,
                       size_t n);
/* Writes the batch (one write, one fdatasync) and frees it; an empty batch
 * writes nothing. A failed write is counted, not fatal: the lines were
 * answered rejected either way. */
void rejects_commit(struct rejects *r, struct rejects_batch *b);

/* At most max bytes of p[0..n), not cutting a UTF-8 sequence in two. */
size_t rejects_prefix_len(const char *p, size_t n, size_t max);

/* Appends the log's counters as a JSON object (no key) to s. */
void rejects_stats(struct rejects *r, GString *s);

/* For tests: the entry of one line, as rejects_batch_add writes it (with a
 * fixed time). */
void rejects_entry(GString *s, const char *logged, const char *source, const char *src, long lineno,
                   const char *reason, const char *text, size_t n);

#endif
