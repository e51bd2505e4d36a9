/* cchc-egov: e-government (form 7): electronic documents, the catalogue of
 * procedures offered online, portal posts, official e-mail use. The online
 * catalogue and e-mail use are levels; documents and posts are counters.
 * Metric names: services/README.md. */
#include "base/err.h"
#include "base/metric.h"
#include "ingest/ingest.h"
#include "ingest/ingest_level.h"
#include "service.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

static const char *const directions[] = {"in", "out", NULL};
static const char *const kinds[] = {"news", "image", "document", NULL};
static const char *const tiers[] = {"district", "commune", NULL};

#define PEOPLE_MAX 10000000

static int on_online_service(void *state, const struct ingest_type *t,
                             const struct ingest_record *r, struct proto_event *ev,
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
    ev->key = proto_cstr(key);
    ev->procedure = (struct proto_str){proc, (uint32_t)plen};
    ev->n = level;
    ev->has = PROTO_HAS_N;
    return ingest_emit_level(out, r->levels, ev, names, v, k);
}

static int on_document(void *state, const struct ingest_type *t, const struct ingest_record *r,
                       struct proto_event *ev, struct ingest_out *out, char *why, size_t cap)
{
    const char *dir;
    int electronic;
    char metric[2][64];
    if (ingest_enum(r->obj, "direction", directions, &dir, why, cap) ||
        ingest_bool(r->obj, "electronic", &electronic, why, cap))
        return CCHC_EINVAL;
    snprintf(metric[0], sizeof metric[0], "documents_%s", dir);
    snprintf(metric[1], sizeof metric[1], "documents_%s_electronic", dir);
    ev->cat = proto_cstr(dir);
    ev->b = electronic;
    ev->has = PROTO_HAS_B;
    ev->m[ev->nm++] = (struct proto_metric){proto_cstr(metric[0]), 1};
    if (electronic)
        ev->m[ev->nm++] = (struct proto_metric){proto_cstr(metric[1]), 1};
    return ingest_emit(out, ev);
}

static int on_portal_post(void *state, const struct ingest_type *t, const struct ingest_record *r,
                          struct proto_event *ev, struct ingest_out *out, char *why, size_t cap)
{
    const char *kind;
    char metric[64];
    if (ingest_enum(r->obj, "kind", kinds, &kind, why, cap))
        return CCHC_EINVAL;
    snprintf(metric, sizeof metric, "portal_%s", kind);
    ev->cat = proto_cstr(kind);
    ev->m[ev->nm++] = (struct proto_metric){proto_cstr(metric), 1};
    return ingest_emit(out, ev);
}

static int on_email_usage(void *state, const struct ingest_type *t, const struct ingest_record *r,
                          struct proto_event *ev, struct ingest_out *out, char *why, size_t cap)
{
    int64_t v[2];
    if (ingest_int(r->obj, "users", 0, PEOPLE_MAX, &v[0], why, cap) ||
        ingest_int(r->obj, "staff", 0, PEOPLE_MAX, &v[1], why, cap))
        return CCHC_EINVAL;
    if (v[0] > v[1]) {
        snprintf(why, cap, "field \"users\": more than \"staff\"");
        return CCHC_EINVAL;
    }
    const char *names[] = {"email_users", "email_staff"};
    return ingest_emit_level(out, r->levels, ev, names, v, 2);
}

/* The record types, each with its handler. */
static const struct ingest_type types[] = {
    {"document", on_document, NULL},
    {"online_service", on_online_service, NULL},
    {"portal_post", on_portal_post, NULL},
    {"email_usage", on_email_usage, NULL},
    {0},
};

struct ingest_service *cchc_service_new(void)
{
    struct ingest_service *svc = g_new0(struct ingest_service, 1);
    *svc = (struct ingest_service){
        .name = "egov",
        .default_port = 8084,
        .types = types,
    };
    return svc;
}

void cchc_service_free(struct ingest_service *svc)
{
    g_free(svc);
}
