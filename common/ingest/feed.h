/* Where a request's records come from, in order, each as an unparsed
 * ingest_line (lines.h): the lines of NDJSON (blank ones skipped, a '\r'
 * before '\n' dropped), or the DVCQG records (dvcqg.h) of a body of JSON
 * values, envelopes or bare records, one a line or spread over lines,
 * split up front: a record of an envelope answers for the line its
 * envelope starts on; a value that is not JSON, or an envelope that is
 * not one, is a line rejected already (its why set). */
#ifndef CCHC_INGEST_FEED_H
#define CCHC_INGEST_FEED_H

#include "ingest/lines.h"

#include <glib.h>
#include <stddef.h>

struct feed {
    const char *body; /* borrowed: must outlive the feed */
    size_t len, pos;
    long lineno;
    GArray *pieces; /* DVCQG: struct piece (feed.c); NULL: NDJSON */
    GPtrArray *envelopes;
    size_t next;
};

/* body[0..len), whose first line is first_line; DVCQG when dvcqg. Returns
 * how many lines (NDJSON, blank ones too) or records it holds. */
size_t feed_open(struct feed *f, int dvcqg, const char *body, size_t len, long first_line);
/* The next record into l, from src (borrowed), unparsed; l->why set: it is
 * rejected already (the reason is then l's, freed by ingest_line_done).
 * 1, or 0 past the last. l's text lives as long as the feed. */
int feed_next(struct feed *f, const struct source *src, struct ingest_line *l);
void feed_free(struct feed *f);

#endif
