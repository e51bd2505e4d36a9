/* What the aggregator says of itself: the heartbeat hash in Redis and the
 * progress line in its log. */
#include "health.h"

#include "base/err.h"
#include "base/log.h"
#include "scope.h"
#include "store/keys.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void health_fields(const struct apply_stats *as, const struct bus_sub_stats *bs,
                   uint64_t out_of_scope, struct health_field out[HEALTH_FIELDS])
{
    const struct health_field f[] = {
        {"applied_events", as->applied_events},
        {"frames", bs->frames},
        {"gaps", bs->gaps},
        {"replayed_events", bs->replayed_events},
        {"rejected_frames", bs->rejected_frames},
        {"rejected_events", as->rejected_events},
        {"duplicate_events", bs->duplicate_events},
        {"replay_failures", bs->replay_failures},
        {"redials", bs->redials},
        {"flushes", as->batches},
        {"figures_written", as->figures_written},
        {"hashes_loaded", as->hashes_loaded},
        {"checkpoint_events", as->checkpoint_events},
        {"rebuilds", as->rebuilds},
        {"redis_lost", as->redis_lost},
        {"redis_lost_wrote_stamp", as->lost_wrote_stamp},
        {"redis_lost_found_stamp", as->lost_found_stamp},
        /* what the bus refused */
        {"no_mac", bs->no_mac},
        {"bad_mac", bs->bad_mac},
        {"unknown_publisher", bs->unknown_publisher},
        {"old_frames", bs->old_frames},
        {"old_epoch_frames", bs->old_epoch_frames},
        {"bad_answers", bs->bad_answers},
        {"out_of_scope", out_of_scope},
        {"replay_refused_sources", bs->refused_sources},
        {"replay_stale_sources", bs->stale_sources},
    };
    G_STATIC_ASSERT(G_N_ELEMENTS(f) == HEALTH_FIELDS);
    memcpy(out, f, sizeof f);
}

void health_beat(struct store *s, const struct apply *a, const struct bus_sub *sub,
                 const struct scope *scope, int64_t now)
{
    struct apply_stats as;
    struct bus_sub_stats bs;
    apply_get_stats(a, &as);
    bus_sub_get_stats(sub, &bs);
    struct health_field f[HEALTH_FIELDS];
    health_fields(&as, &bs, scope_refused(scope), f);
    /* HSET key at_ms T pid P, then each field */
    enum { ARGS = 6 + 2 * HEALTH_FIELDS };
    const char *argv[ARGS];
    size_t len[ARGS];
    char nums[2 + HEALTH_FIELDS][24];
    int n = 0;
    argv[n++] = "HSET";
    argv[n++] = KEY_HEARTBEAT_AGGREGATOR;
    argv[n++] = "at_ms";
    snprintf(nums[0], sizeof nums[0], "%lld", (long long)now);
    argv[n++] = nums[0];
    argv[n++] = "pid";
    snprintf(nums[1], sizeof nums[1], "%d", (int)getpid());
    argv[n++] = nums[1];
    for (int i = 0; i < HEALTH_FIELDS; i++) {
        argv[n++] = f[i].name;
        snprintf(nums[2 + i], sizeof nums[2 + i], "%llu", (unsigned long long)f[i].value);
        argv[n++] = nums[2 + i];
    }
    for (int i = 0; i < n; i++)
        len[i] = strlen(argv[i]);
    redisReply *r;
    if (store_appendv(s, n, argv, len) == CCHC_OK && store_reply(s, &r) == CCHC_OK)
        freeReplyObject(r);
}

/* Every ten seconds, when something moved: what an operator reads first.
 * Failures count as moving: an aggregator that cannot catch up says so. */
void health_log(const struct apply *a, const struct bus_sub *sub)
{
    static uint64_t last = UINT64_MAX;
    struct apply_stats as;
    struct bus_sub_stats bs;
    apply_get_stats(a, &as);
    bus_sub_get_stats(sub, &bs);
    uint64_t moved = as.applied_events + bs.gaps + bs.replay_failures + bs.rejected_frames +
                     bs.deliver_failures + bs.redials;
    if (moved == last)
        return;
    last = moved;
    cchc_info("applied %llu events in %llu batches (%llu stale); frames %llu, gaps %llu, "
              "replayed %llu, replay failures %llu, rejected frames %llu, deliver failures %llu, "
              "redials %llu",
              (unsigned long long)as.applied_events, (unsigned long long)as.batches,
              (unsigned long long)as.stale_batches, (unsigned long long)bs.frames,
              (unsigned long long)bs.gaps, (unsigned long long)bs.replayed_events,
              (unsigned long long)bs.replay_failures, (unsigned long long)bs.rejected_frames,
              (unsigned long long)bs.deliver_failures, (unsigned long long)bs.redials);
}
