/* The events decided records produce, encoded back to back until they are
 * journaled: event i is body[ends[i-1] .. ends[i]) (ends[-1] = 0). Internal
 * to common/ingest; services only ingest_emit() into one (ingest.h). */
#ifndef CCHC_INGEST_OUT_H
#define CCHC_INGEST_OUT_H

#include "ingest/ingest.h"

#include <glib.h>

struct ingest_out {
    GByteArray *body;
    GArray *ends; /* size_t */
};

void ingest_out_init(struct ingest_out *out);
void ingest_out_free(struct ingest_out *out);
/* How many events are queued: a mark to take a record's events back to. */
uint32_t ingest_out_count(const struct ingest_out *out);
/* Drops the events queued after mark. */
void ingest_out_rollback(struct ingest_out *out, uint32_t mark);

#endif
