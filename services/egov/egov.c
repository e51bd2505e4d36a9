/* cchc-egov: e-government (form 7): electronic documents, the catalogue of
 * procedures offered online, portal posts, official e-mail use. The online
 * catalogue and e-mail use are levels; documents and posts are counters.
 * Metric names: services/README.md. */
#include "base/err.h"
#include "base/metric.h"
#include "ingest/ingest.h"
#include "ingest/ingest_level.h"

#include <stdio.h>
#include <string.h>

static const char *const directions[] = {"in", "out", NULL};
static const char *const kinds[] = {"news", "image", "document", NULL};
static const char *const tiers[] = {"district", "commune", NULL};
static const char *const types[] = {"document", "online_service", "portal_post", "email_usage",
                                    NULL};

#define PEOPLE_MAX 10000000

static struct proto_str str(const char *s)
{
    return (struct proto_str){s, (uint32_t)strlen(s)};
}

static int online_service(const struct ingest_record *r, struct proto_event *ev,
                          struct ingest_out *out, char *why, size_t cap)
{
    const char *proc, *tier = "district";
    size_t plen;
    int64_t level;
    int payment, portal, offered;
    if (ingest_procedure(r->obj, "procedure", &proc, &plen, why, cap) ||
        ingest_int(r->obj, "level", 3, 4, &level, why, cap) ||
        ingest_bool(r->obj, "payment", &payment, why, cap) ||
        ingest_bool(r->obj, "national_portal", &portal, why, cap) ||
        ingest_opt_bool(r->obj, "offered", 1, &offered, why, cap) ||
        (json_object_get(r->obj, "tier") && ingest_enum(r->obj, "tier", tiers, &tier, why, cap)))
        return CCHC_EINVAL;
    char name[8][96], key[64];
    const char *names[8];
    int64_t v[8];
    int k = 0;
    for (int l = 3; l <= 4; l++) {
        snprintf(name[k], sizeof name[k], "online_eligible_l%d.%s", l, tier);
        v[k++] = level == l;
        snprintf(name[k], sizeof name[k], "online_offered_l%d.%s", l, tier);
        v[k++] = level == l && offered;
    }
    snprintf(name[k], sizeof name[k], "online_payment.%s", tier);
    v[k++] = offered && payment;
    snprintf(name[k], sizeof name[k], "online_portal.%s", tier);
    v[k++] = offered && portal;
    for (int l = 3; l <= 4; l++) {
        if (metric_proc_online(name[k], sizeof name[k], proc, plen, l)) {
            snprintf(why, cap, "field \"procedure\": too long for a metric name");
            return CCHC_EINVAL;
        }
        v[k++] = level == l && offered;
    }
    for (int i = 0; i < k; i++)
        names[i] = name[i];
    snprintf(key, sizeof key, "%.*s|%s", (int)plen, proc, tier);
    ev->key = str(key);
    ev->procedure = (struct proto_str){proc, (uint32_t)plen};
    ev->n = level;
    ev->has = PROTO_HAS_N;
    return ingest_emit_level(out, r->levels, ev, names, v, k);
}

static int on_record(void *state, const struct units *units, const struct ingest_record *r,
                     struct ingest_out *out, char *why, size_t cap)
{
    char id[INGEST_ID_MAX + 1], type[48], metric[2][64];
    snprintf(id, sizeof id, "%.*s", (int)r->id_len, r->id);
    snprintf(type, sizeof type, "egov.%s", r->type);
    struct proto_event ev = {
        .type = str(type), .id = str(id), .unit = str(units_id(units, r->unit)), .at_ms = r->at_ms};
    if (strcmp(r->type, "document") == 0) {
        const char *dir;
        int electronic;
        if (ingest_enum(r->obj, "direction", directions, &dir, why, cap) ||
            ingest_bool(r->obj, "electronic", &electronic, why, cap))
            return CCHC_EINVAL;
        snprintf(metric[0], sizeof metric[0], "documents_%s", dir);
        snprintf(metric[1], sizeof metric[1], "documents_%s_electronic", dir);
        ev.cat = str(dir);
        ev.b = electronic;
        ev.has = PROTO_HAS_B;
        ev.m[ev.nm++] = (struct proto_metric){str(metric[0]), 1};
        if (electronic)
            ev.m[ev.nm++] = (struct proto_metric){str(metric[1]), 1};
        return ingest_emit(out, &ev);
    }
    if (strcmp(r->type, "portal_post") == 0) {
        const char *kind;
        if (ingest_enum(r->obj, "kind", kinds, &kind, why, cap))
            return CCHC_EINVAL;
        snprintf(metric[0], sizeof metric[0], "portal_%s", kind);
        ev.cat = str(kind);
        ev.m[ev.nm++] = (struct proto_metric){str(metric[0]), 1};
        return ingest_emit(out, &ev);
    }
    if (strcmp(r->type, "email_usage") == 0) {
        int64_t v[2];
        if (ingest_int(r->obj, "users", 0, PEOPLE_MAX, &v[0], why, cap) ||
            ingest_int(r->obj, "staff", 0, PEOPLE_MAX, &v[1], why, cap))
            return CCHC_EINVAL;
        if (v[0] > v[1]) {
            snprintf(why, cap, "field \"users\": more than \"staff\"");
            return CCHC_EINVAL;
        }
        const char *names[] = {"email_users", "email_staff"};
        return ingest_emit_level(out, r->levels, &ev, names, v, 2);
    }
    return online_service(r, &ev, out, why, cap);
}

int main(int argc, char **argv)
{
    const struct ingest_service svc = {
        .name = "egov",
        .default_port = 8084,
        .types = types,
        .record = on_record,
    };
    return ingest_main(argc, argv, &svc);
}
