/* The emitted records as NDJSON lines, and the figures they count to.
 *
 * lg_count reads the same record list the writer prints, one record at a time
 * and in any order, and applies the pipeline's rules to it: so expected.json
 * says what the data set holds, not what the scenario meant it to hold, and
 * lg_check can catch the difference. */
#include "loadgen.h"

#include <stdlib.h>
#include <string.h>

size_t lg_record_format(const struct lg_data *d, const struct lg_record *r, char *buf, size_t cap)
{
    char at[LG_TIME_LEN], due[LG_TIME_LEN];
    int n;
    if (r->kind == LG_ITEM)
        return lg_item_format(d, &d->items[r->ref], buf, cap);
    lg_time_format(r->at, at);
    if (r->kind == LG_FEEDBACK) {
        const struct lg_feedback *f = &d->feedback[r->ref];
        n = snprintf(buf, cap,
                     "{\"id\":\"%s-%s-pakn-%03u\",\"type\":\"feedback\",\"unit\":\"%s\","
                     "\"at\":\"%s\",\"status\":\"%s\"}\n",
                     d->id_prefix, lg_units[f->unit].slug, r->ref + 1, lg_units[f->unit].id, at,
                     f->resolved ? "resolved" : "received");
    } else if (r->kind == LG_RECEIVED) {
        const struct lg_dossier *x = &d->dossiers[r->ref];
        const struct lg_unit *u = &lg_units[x->unit];
        const struct lg_procedure *p = &d->procedures[x->procedure];
        lg_time_format(x->due, due);
        n = snprintf(buf, cap,
                     "{\"id\":\"%s-%s-%06u-r\",\"type\":\"received\",\"unit\":\"%s\",\"at\":\"%s\","
                     "\"dossier\":\"%s-%s-%06u\",\"procedure\":\"%s\",\"field\":\"%s\","
                     "\"channel\":\"%s\",\"due\":\"%s\"}\n",
                     d->id_prefix, u->slug, x->seq, u->id, at, d->id_prefix, u->slug, x->seq,
                     p->code, p->field, lg_channel_names[x->channel], due);
    } else {
        const struct lg_dossier *x = &d->dossiers[r->ref];
        const struct lg_unit *u = &lg_units[x->unit];
        n = snprintf(buf, cap,
                     "{\"id\":\"%s-%s-%06u-x\",\"type\":\"resolved\",\"unit\":\"%s\",\"at\":\"%s\","
                     "\"dossier\":\"%s-%s-%06u\",\"return_channel\":\"%s\"}\n",
                     d->id_prefix, u->slug, x->seq, u->id, at, d->id_prefix, u->slug, x->seq,
                     lg_channel_names[x->return_channel]);
    }
    return n < 0 || (size_t)n >= cap ? 0 : (size_t)n;
}

enum { SEEN_RECEIVED = 1, SEEN_RESOLVED = 2 };

/* What the records say about one dossier. */
struct seen {
    int64_t received, due, resolved;
    uint16_t unit, procedure;
    uint8_t channel, return_channel, flags;
};

static int inside(const struct lg_window *w, int64_t t)
{
    return t >= w->from && t < w->to;
}

static void classify(const struct seen *s, const struct lg_window *w, struct lg_figures *f)
{
    int resolved = (s->flags & SEEN_RESOLVED) != 0;
    if (s->received < w->from && !(resolved && s->resolved < w->from)) {
        f->carried_over++;
        f->received_total++;
    }
    if (inside(w, s->received)) {
        f->received_in_window++;
        f->received_total++;
        f->online += s->channel == LG_ONLINE;
        f->new_direct_or_postal += s->channel != LG_ONLINE;
        f->postal += s->channel == LG_POSTAL;
    }
    if (s->received < w->to && !(resolved && s->resolved < w->to))
        f->pending_end++;
    if (resolved && inside(w, s->resolved)) {
        f->resolved++;
        /* Late iff strictly after due; exactly at due is on time. */
        f->late += s->resolved > s->due;
        f->on_time += s->resolved <= s->due;
        f->returned_postal += s->channel == LG_POSTAL && s->return_channel == LG_POSTAL;
    }
}

/* Form 7 rows 6.x: dossiers received in the window by the online level of
 * their procedure at the window's end. */
static void form7(const struct seen *s, const struct lg_window *w, struct lg_counts *c,
                  uint8_t *has_online)
{
    int l = lg_units[s->unit].level == LG_COMMUNE;
    int offered = c->online_end[s->procedure] != 0, online = s->channel == LG_ONLINE;
    if (!inside(w, s->received))
        return;
    c->f7[l].received_of_online_procedures += offered;
    c->f7[l].received_online += offered && online;
    c->f7[l].online_of_offline_procedures += !offered && online;
    if (online)
        has_online[s->procedure] |= (uint8_t)(1 << l);
}

static void add_figures(struct lg_figures *to, const struct lg_figures *f)
{
#define LG_ADD(name) to->name += f->name;
    LG_FIGURES(LG_ADD)
#undef LG_ADD
}

/* Takes one record into s; -1 on a record the data set must never hold. */
static int take(const struct lg_data *d, const struct lg_record *r, const struct lg_window *w,
                struct seen *s, struct lg_counts *c)
{
    if (r->kind == LG_ITEM)
        return 0; /* lg_count_items */
    if (r->kind == LG_FEEDBACK) {
        if (inside(w, r->at)) {
            c->feedback_resolved += d->feedback[r->ref].resolved != 0;
            c->feedback_received += d->feedback[r->ref].resolved == 0;
        }
        return 0;
    }
    const struct lg_dossier *x = &d->dossiers[r->ref];
    struct seen *e = &s[r->ref];
    int bit = r->kind == LG_RECEIVED ? SEEN_RECEIVED : SEEN_RESOLVED;
    if (e->flags & bit) {
        fprintf(stderr, "cchc-loadgen: self-check: dossier %s-%s-%06u emitted twice\n",
                d->id_prefix, lg_units[x->unit].slug, x->seq);
        return -1;
    }
    e->flags |= (uint8_t)bit;
    e->unit = x->unit;
    if (r->kind == LG_RECEIVED) {
        e->received = r->at;
        e->due = x->due;
        e->channel = x->channel;
        e->procedure = x->procedure;
    } else {
        e->resolved = r->at;
        e->return_channel = x->return_channel;
    }
    return 0;
}

int lg_count(const struct lg_data *d, const struct lg_record *recs, size_t n,
             const struct lg_window *w, struct lg_counts *c)
{
    struct seen *s = calloc(d->n_dossiers ? d->n_dossiers : 1, sizeof *s);
    uint8_t *has_online = NULL; /* per procedure: bit level, an online dossier in the window */
    int rc = -1;
    if (!s) {
        fprintf(stderr, "cchc-loadgen: out of memory\n");
        return -1;
    }
    memset(c, 0, sizeof *c);
    if (lg_count_items(d, recs, n, w, c))
        goto cleanup;
    has_online = calloc(d->n_procedures + 1, 1);
    if (!has_online) {
        fprintf(stderr, "cchc-loadgen: out of memory\n");
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++)
        if (take(d, &recs[i], w, s, c))
            goto cleanup;
    for (size_t i = 0; i < d->n_dossiers; i++) {
        const struct seen *e = &s[i];
        if (!e->flags)
            continue;
        if (!(e->flags & SEEN_RECEIVED) ||
            ((e->flags & SEEN_RESOLVED) && e->resolved < e->received)) {
            fprintf(stderr,
                    "cchc-loadgen: self-check: dossier %s-%s-%06u resolved without or before "
                    "receipt\n",
                    d->id_prefix, lg_units[e->unit].slug, d->dossiers[i].seq);
            goto cleanup;
        }
        classify(e, w, &c->unit[e->unit]);
        form7(e, w, c, has_online);
    }
    for (size_t p = 0; p < d->n_procedures; p++)
        for (int l = 0; l < 2; l++)
            if (has_online[p] & (1 << l)) {
                c->f7[l].l3_with_online += c->online_end[p] == 3;
                c->f7[l].l4_with_online += c->online_end[p] == 4;
            }
    for (size_t u = 0; u < LG_N_UNITS; u++) {
        const struct lg_figures *f = &c->unit[u];
        if (lg_units[u].level == LG_COMMUNE)
            add_figures(&c->group[LG_WARDS], f);
        else
            add_figures(&c->group[LG_CITY], f);
        if (!strcmp(lg_units[u].id, "kg.rachgia.vpdkdd"))
            add_figures(&c->group[LG_VPDKDD], f);
        if (!strcmp(lg_units[u].id, "kg.rachgia.mot-cua"))
            add_figures(&c->group[LG_MOT_CUA], f);
    }
    rc = 0;
cleanup:
    free(s);
    free(has_online);
    return rc;
}

void lg_counts_free(struct lg_counts *c)
{
    free(c->online_end);
    c->online_end = NULL;
}

static int check_long(const char *group, const char *name, long got, long want)
{
    if (got == want)
        return 0;
    fprintf(stderr,
            "cchc-loadgen: self-check: %s.%s counts %ld in the records, the scenario "
            "is built for %ld\n",
            group, name, got, want);
    return -1;
}

int lg_check(const struct lg_counts *c, const struct lg_targets *t)
{
    int bad = 0;
    for (int g = 0; g < LG_N_GROUPS; g++) {
        const struct lg_figures *got = &c->group[g], *want = &t->group[g];
#define LG_CHECK(f) bad |= check_long(lg_group_names[g], #f, got->f, want->f);
        LG_FIGURES(LG_CHECK)
#undef LG_CHECK
    }
    bad |= check_long("pakn", "feedback_received", c->feedback_received, t->feedback_received);
    bad |= check_long("pakn", "feedback_resolved", c->feedback_resolved, t->feedback_resolved);
    /* Form 7: every district figure; at commune level, which the forms do
     * not print, the online dossiers. */
#define LG_CHECK(f) bad |= check_long("form7.district", #f, c->f7[0].f, t->f7[0].f);
    LG_F7(LG_CHECK)
#undef LG_CHECK
    bad |= check_long("form7.commune", "received_online", c->f7[1].received_online,
                      t->f7[1].received_online);
    bad |= check_long("form7.commune", "online_of_offline_procedures",
                      c->f7[1].online_of_offline_procedures, t->f7[1].online_of_offline_procedures);
    bad |= lg_check_items(c, t);
    return bad ? -1 : 0;
}

static void write_figures(FILE *f, const struct lg_figures *x)
{
    const char *sep = "{";
#define LG_JSON(name)                                                                              \
    fprintf(f, "%s\"" #name "\":%ld", sep, x->name);                                               \
    sep = ",";
    LG_FIGURES(LG_JSON)
#undef LG_JSON
    fputc('}', f);
}

static int unit_has_dossiers(const struct lg_figures *x)
{
    static const struct lg_figures zero;
    return memcmp(x, &zero, sizeof zero) != 0;
}

int lg_write_expected(FILE *f, const char *scenario, const struct lg_window *w,
                      const struct lg_counts *c, const size_t n_records[LG_N_SERVICES])
{
    size_t total = 0;
    for (int i = 0; i < LG_N_SERVICES; i++)
        total += n_records[i];
    char from[LG_TIME_LEN], to[LG_TIME_LEN];
    lg_time_format(w->from, from);
    lg_time_format(w->to - 1, to); /* the window's last day, inclusive, as reports name it */
    fprintf(f, "{\"scenario\":\"%s\",\"window\":{\"from\":\"%.10s\",\"to\":\"%.10s\"},", scenario,
            from, to);
    fprintf(f, "\"records\":%zu,\"by_service\":{", total);
    for (int i = 0; i < LG_N_SERVICES; i++)
        fprintf(f, "%s\"%s\":%zu", i ? "," : "", lg_service_names[i], n_records[i]);
    fputs("},\n", f);
    for (int g = 0; g < LG_N_GROUPS; g++) {
        fprintf(f, "\"%s\":", lg_group_names[g]);
        write_figures(f, &c->group[g]);
        fputs(",\n", f);
    }
    fprintf(f, "\"feedback_received\":%ld,\"feedback_resolved\":%ld,\n\"units\":{",
            c->feedback_received, c->feedback_resolved);
    const char *sep = "\n";
    for (size_t u = 0; u < LG_N_UNITS; u++) {
        if (!unit_has_dossiers(&c->unit[u]))
            continue;
        fprintf(f, "%s\"%s\":", sep, lg_units[u].id);
        write_figures(f, &c->unit[u]);
        sep = ",\n";
    }
    fputs("},\n", f);
    lg_write_expected_items(f, c);
    fputs("}\n", f);
    return ferror(f) ? -1 : 0;
}
