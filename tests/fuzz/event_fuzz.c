/* fuzz_event: any bytes as the events of a frame's body, decoded one after
 * the other (proto_event_decode) as a subscriber walks them. Each accepted
 * event is encoded again (proto_event_encode), and that decodes to the same
 * fields; its JSON (proto_event_to_json) fits PROTO_EVENT_JSON_MAX. */
#include "base/err.h"
#include "fuzz.h"
#include "proto/event.h"

#include <glib.h>
#include <stdint.h>
#include <string.h>

static int same_str(struct proto_str a, struct proto_str b)
{
    if (!a.p || !b.p)
        return !a.p == !b.p;
    return a.len == b.len && !memcmp(a.p, b.p, a.len);
}

static int same_metrics(const struct proto_metric *a, const struct proto_metric *b, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (!same_str(a[i].name, b[i].name) || a[i].value != b[i].value)
            return 0;
    return 1;
}

static void check_same(const struct proto_event *a, const struct proto_event *b)
{
    FUZZ_CHECK(same_str(a->type, b->type) && same_str(a->id, b->id) && same_str(a->unit, b->unit) &&
                   a->at_ms == b->at_ms,
               "t, id, u or at");
    FUZZ_CHECK(same_str(a->dossier, b->dossier) && same_str(a->procedure, b->procedure) &&
                   same_str(a->field, b->field) && same_str(a->cat, b->cat) &&
                   same_str(a->cat2, b->cat2) && same_str(a->outcome, b->outcome) &&
                   same_str(a->key, b->key),
               "an optional string");
    FUZZ_CHECK(a->has == b->has, "has %#x, then %#x", a->has, b->has);
    FUZZ_CHECK(!(a->has & PROTO_HAS_DUE) || a->due_ms == b->due_ms, "due");
    FUZZ_CHECK(!(a->has & PROTO_HAS_RAT) || a->rat_ms == b->rat_ms, "rat");
    FUZZ_CHECK(!(a->has & PROTO_HAS_N) || a->n == b->n, "n");
    FUZZ_CHECK(!(a->has & PROTO_HAS_N2) || a->n2 == b->n2, "n2");
    FUZZ_CHECK(!(a->has & PROTO_HAS_B) || a->b == b->b, "b");
    FUZZ_CHECK(a->nm == b->nm && same_metrics(a->m, b->m, a->nm), "m");
    FUZZ_CHECK(a->nv == b->nv && same_metrics(a->v, b->v, a->nv), "v");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char json[PROTO_EVENT_JSON_MAX];
    size_t off = 0;
    for (int k = 0; k < 64 && off < size; k++) {
        struct proto_event ev;
        char why[256];
        why[0] = 0;
        size_t before = off;
        int rc = proto_event_decode(data, size, &off, &ev, why, sizeof why);
        if (rc) {
            FUZZ_CHECK(rc == CCHC_EPROTO, "rc %d", rc);
            FUZZ_CHECK(memchr(why, 0, sizeof why) && why[0], "no reason given");
            return 0;
        }
        FUZZ_CHECK(off > before && off <= size, "offset %zu -> %zu of %zu", before, off, size);
        FUZZ_CHECK(ev.nm <= PROTO_METRICS_MAX && ev.nv <= PROTO_METRICS_MAX, "metric counts");

        size_t jl;
        rc = proto_event_to_json(&ev, json, sizeof json, &jl);
        FUZZ_CHECK(rc == CCHC_OK && jl < sizeof json, "JSON of an accepted event: rc %d", rc);

        uint8_t *buf = NULL;
        size_t len = 0, cap = 0;
        rc = proto_event_encode(&ev, &buf, &len, &cap);
        FUZZ_CHECK(rc == CCHC_OK, "an accepted event does not encode: rc %d", rc);
        struct proto_event ev2;
        size_t off2 = 0;
        rc = proto_event_decode(buf, len, &off2, &ev2, why, sizeof why);
        FUZZ_CHECK(rc == CCHC_OK && off2 == len, "the re-encoded event: %s", why);
        check_same(&ev, &ev2);
        g_free(buf);
    }
    return 0;
}
