#include "bus/retention.h"

#include "base/err.h"
#include "base/log.h"
#include "proto/event.h"
#include "proto/frame.h"

#include <glib.h>
#include <inttypes.h>
#include <nng/nng.h>
#include <nng/supplemental/util/platform.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WARN_EVERY_MS 60000

struct retention {
    char *journal_path;
    char ckpt_path[4200];
    struct journal *ckpt; /* NULL until there is a checkpoint */
    uint64_t max_bytes;
    nng_time warned;
    char warned_who[PROTO_PUBLISHER_MAX + 32]; /* whom it waited for then */
};

static void set_ckpt_path(struct retention *r, uint64_t epoch)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", r->journal_path);
    char *slash = strrchr(dir, '/');
    snprintf(r->ckpt_path, sizeof r->ckpt_path, "%s/checkpoint-%016" PRIx64 ".journal",
             slash ? (*slash = 0, dir) : ".", epoch);
}

int retention_open(const char *journal_path, uint64_t max_bytes, journal_scan_fn rebuild, void *arg,
                   struct retention **out, char *why, size_t why_cap)
{
    struct retention *r = g_new0(struct retention, 1);
    r->journal_path = g_strdup(journal_path);
    r->max_bytes = max_bytes;
    uint64_t epoch;
    FILE *f;
    if (journal_peek_epoch(journal_path, &epoch) == CCHC_OK) {
        set_ckpt_path(r, epoch);
        if ((f = fopen(r->ckpt_path, "r")) != NULL) {
            fclose(f);
            int rc = journal_open(r->ckpt_path, rebuild, arg, &r->ckpt, why, why_cap);
            if (rc) {
                retention_close(r);
                return rc;
            }
        }
    }
    *out = r;
    return CCHC_OK;
}

uint64_t retention_folded(const struct retention *r)
{
    return r->ckpt ? journal_next_seq(r->ckpt) : 0;
}

int retention_check(const struct retention *r, struct journal *j, char *why, size_t why_cap)
{
    if (journal_base(j) <= retention_folded(r))
        return CCHC_OK;
    snprintf(why, why_cap,
             "%s starts at event %" PRIu64 " but its checkpoint holds only %" PRIu64
             " events: the state would miss events; restore the checkpoint (%s)",
             r->journal_path, journal_base(j), retention_folded(r),
             r->ckpt_path[0] ? r->ckpt_path : "none found");
    return CCHC_ECORRUPT;
}

/* One dropped event into the checkpoint, whole: its metric changes are
 * what the service's bounds on metric names and sums are rebuilt from at
 * start (base/metric.h), so they must outlive the journal's copy. */
static int fold(void *arg, uint64_t seq, const uint8_t *buf, size_t len)
{
    struct retention *r = arg;
    struct proto_event ev;
    size_t off = 0;
    char why[128];
    if (proto_event_decode(buf, len, &off, &ev, why, sizeof why)) {
        cchc_error("journal event %" PRIu64 ": %s", seq, why);
        return CCHC_ECORRUPT;
    }
    return journal_append(r->ckpt, buf, len);
}

int retention_run(struct retention *r, struct journal *j, struct bus_pub *pub)
{
    if (!r->max_bytes || journal_bytes(j) < r->max_bytes)
        return CCHC_OK;
    char who[PROTO_PUBLISHER_MAX + 32], why[512];
    uint64_t floor = bus_pub_retention_floor(pub, who, sizeof who);
    uint64_t base = journal_base(j), next = journal_next_seq(j), durable = journal_durable(j);
    if (floor > durable)
        floor = durable;
    if (floor <= base || (floor - base) * 2 < next - base) {
        /* Once a minute, and at once when it waits for someone else. */
        if (nng_clock() - r->warned >= WARN_EVERY_MS || !r->warned ||
            strcmp(who, r->warned_who) != 0) {
            r->warned = nng_clock();
            snprintf(r->warned_who, sizeof r->warned_who, "%s", who);
            cchc_warn("journal over %" PRIu64 " MiB (events %" PRIu64 "..%" PRIu64
                      "): retention waits for %s, at %" PRIu64,
                      r->max_bytes >> 20, base, next, who, floor);
        }
        return CCHC_OK;
    }
    if (!r->ckpt) {
        set_ckpt_path(r, journal_epoch(j));
        int rc = journal_open(r->ckpt_path, NULL, NULL, &r->ckpt, why, sizeof why);
        if (rc) {
            cchc_error("%s", why);
            return rc;
        }
    }
    /* The checkpoint may already hold some of them: a crash came between its
     * sync and the journal's rename last time. */
    uint64_t from = journal_next_seq(r->ckpt);
    if (from < base) {
        cchc_error("%s holds %" PRIu64 " events, the journal starts at %" PRIu64, r->ckpt_path,
                   from, base);
        return CCHC_ECORRUPT;
    }
    int rc = from < floor ? journal_each(j, from, floor, fold, r) : CCHC_OK;
    if (rc == CCHC_OK)
        rc = journal_sync(r->ckpt);
    /* Only once the checkpoint is durable may the journal let them go. */
    if (rc == CCHC_OK)
        rc = journal_compact(j, floor, why, sizeof why);
    if (rc) {
        cchc_error("retention: %s", rc == CCHC_EIO ? why : cchc_strerror(rc));
        return rc;
    }
    cchc_info("retention: dropped events %" PRIu64 "..%" PRIu64 " (all durable subscribers have "
              "them; slowest: %s); journal now %" PRIu64 " events, %" PRIu64 " KiB",
              base, floor - 1, who, next - floor, journal_bytes(j) >> 10);
    return CCHC_OK;
}

void retention_close(struct retention *r)
{
    if (!r)
        return;
    journal_close(r->ckpt);
    g_free(r->journal_path);
    g_free(r);
}
