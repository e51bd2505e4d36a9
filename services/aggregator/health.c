/* What the aggregator says of itself: the heartbeat hash in Redis and the
 * progress line in its log. */
#include "health.h"

#include "base/err.h"
#include "base/log.h"
#include "scope.h"
#include "store/keys.h"

#include <unistd.h>

void health_beat(struct store *s, const struct apply *a, const struct bus_sub *sub, int64_t now)
{
    struct apply_stats as;
    struct bus_sub_stats bs;
    apply_get_stats(a, &as);
    bus_sub_get_stats(sub, &bs);
    redisReply *r;
    if (store_command(
            s, &r,
            "HSET " KEY_HEARTBEAT_AGGREGATOR " at_ms %lld pid %d applied_events %llu "
            "frames %llu gaps %llu replayed_events %llu rejected_frames %llu "
            "rejected_events %llu duplicate_events %llu replay_failures %llu redials %llu "
            "flushes %llu figures_written %llu hashes_loaded %llu redis_lost %llu "
            "redis_lost_wrote_stamp %llu redis_lost_found_stamp %llu",
            (long long)now, (int)getpid(), (unsigned long long)as.applied_events,
            (unsigned long long)bs.frames, (unsigned long long)bs.gaps,
            (unsigned long long)bs.replayed_events, (unsigned long long)bs.rejected_frames,
            (unsigned long long)as.rejected_events, (unsigned long long)bs.duplicate_events,
            (unsigned long long)bs.replay_failures, (unsigned long long)bs.redials,
            (unsigned long long)as.batches, (unsigned long long)as.figures_written,
            (unsigned long long)as.hashes_loaded, (unsigned long long)as.redis_lost,
            (unsigned long long)as.lost_wrote_stamp,
            (unsigned long long)as.lost_found_stamp) == CCHC_OK)
        freeReplyObject(r);
}

void health_beat_bus(struct store *s, const struct bus_sub *sub, const struct scope *scope)
{
    struct bus_sub_stats bs;
    bus_sub_get_stats(sub, &bs);
    redisReply *r;
    if (store_command(s, &r,
                      "HSET " KEY_HEARTBEAT_AGGREGATOR " no_mac %llu bad_mac %llu "
                      "unknown_publisher %llu old_frames %llu old_epoch_frames %llu "
                      "bad_answers %llu out_of_scope %llu replay_refused_sources %llu",
                      (unsigned long long)bs.no_mac, (unsigned long long)bs.bad_mac,
                      (unsigned long long)bs.unknown_publisher, (unsigned long long)bs.old_frames,
                      (unsigned long long)bs.old_epoch_frames, (unsigned long long)bs.bad_answers,
                      (unsigned long long)scope_refused(scope),
                      (unsigned long long)bs.refused_sources) == CCHC_OK)
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
