/* The events decided records produce, encoded back to back until they are
 * journaled: event i is body[ends[i-1] .. ends[i]) (ends[-1] = 0). Internal
 * to common/ingest; services only ingest_emit() into one (ingest.h). */
#ifndef CCHC_INGEST_OUT_H
#define CCHC_INGEST_OUT_H

#include "ingest/ingest.h"
#include "ingest/lines.h"

#include <glib.h>

struct ingest_out {
    GByteArray *body;
    GArray *ends; /* size_t */
    /* The metric vocabulary (base/metric.h, METRIC_NAMES_MAX): the names
     * emitted so far (borrowed from the lines' state), those the record being
     * decided adds (owned), and the name refused, "" when none. */
    GHashTable *names;
    GPtrArray *fresh;
    unsigned names_max;
    char refused[METRIC_NAME_MAX + 1];
    /* The sums' bounds (base/metric.h): the magnitudes of counter changes
     * taken so far and the record's; each level series' largest magnitude
     * (in db: STATE_LEVEL_MAX) and their sum, with the record's
     * raises (struct level_raise) to keep or forget. sum_refused: the
     * metric whose bound the record would pass, "" when none. in_level:
     * the events being emitted are a level's (ingest_emit_level). */
    uint64_t counters, counters_record, levels, levels_record;
    struct state_db *db; /* borrowed: STATE_LEVEL_MAX, STATE_NAMES */
    GArray *raises;
    uint64_t counters_max, levels_max;
    char sum_refused[METRIC_NAME_MAX + 1];
    int in_level;
    /* Per source (ops/README.md, "Budgets per source"): each source's account
     * (name -> struct ingest_budget, owned; "" for events journaled before
     * sources), and the account of the record being decided or the event
     * being replayed (borrowed; NULL: none is charged). shared: the accounts'
     * shares are in force (ingest_lines_set_sources), so a record past its
     * source's share is refused as one past the pool is. refused_by_source:
     * what refused the record was the source's share, not the pool;
     * refused_value: the magnitude that would have passed it (a counter's
     * change, a level's value). */
    GHashTable *budgets;
    struct ingest_budget *cur;
    int shared, refused_by_source, refused_level;
    uint64_t refused_value;
};

/* The account of source name ("" for none), made when first asked for. */
struct ingest_budget *ingest_out_budget(struct ingest_out *out, const char *name, size_t len);

struct level_raise {
    char *key; /* owned until kept */
    uint64_t to;
};

/* A level value of series key (ingest_level.c) for name: may it stand,
 * given the largest magnitudes so far? Notes the raise for keep/drop;
 * CCHC_ETOOBIG, with sum_refused, past METRIC_LEVELS_MAX. */
int ingest_out_level_value(struct ingest_out *out, const char *series, const char *name,
                           int64_t value);
/* At start, from a journaled event: its counter changes or level values. */
void ingest_out_replay(struct ingest_out *out, const char *series, const struct proto_event *ev);

void ingest_out_init(struct ingest_out *out);
void ingest_out_free(struct ingest_out *out);
/* How many events are queued: a mark to take a record's events back to. */
uint32_t ingest_out_count(const struct ingest_out *out);
/* Drops the events queued after mark. */
void ingest_out_rollback(struct ingest_out *out, uint32_t mark);
/* The record being decided is taken: its new names join the vocabulary. */
void ingest_out_names_keep(struct ingest_out *out);
/* It is not: its new names are forgotten, and out->refused. */
void ingest_out_names_drop(struct ingest_out *out);

#endif
