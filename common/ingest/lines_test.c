/* The deciding half of a service, with a small service of its own and no
 * HTTP, journal or bus: every kind of bad line is refused by the parse with
 * its exact reason; a good line is accepted once, its events queued, then a
 * duplicate; a line the service refuses leaves neither events nor its id
 * behind; replayed events make their ids duplicates and reach the service. */
#include "ingest/lines.h"
#include "base/err.h"
#include "ingest/ingest_level.h"
#include "ingest/state_tmp.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <glib.h>

/* ---- the registry, in a private folder ---- */

static struct units *units;

static const char registry[] = "# id\tlevel\tkind\tname\n"
                               "kg\tprovince\tgovernment\tTỉnh Kiên Giang\n"
                               "kg.rachgia\tdistrict\tgovernment\tUBND thành phố Rạch Giá\n"
                               "kg.rachgia.mot-cua\tdistrict\tagency\tBộ phận một cửa\n"
                               "kg.old\tcommune\tgovernment\tXã Cũ\tto=2022-02-28\t"
                               "successors=kg.new,kg.other\thistory=kg.new\n"
                               "kg.new\tcommune\tgovernment\tXã Mới\tfrom=2022-03-01\n"
                               "kg.other\tcommune\tgovernment\tXã Khác\tfrom=2022-03-01\n";

/* ---- the service: three types, one or two fields of their own ---- */

struct svc_state {
    int records, replays;
    int fail_replay;  /* replay() answers CCHC_EINVAL */
    char last_id[64]; /* of the last replayed event */
    char last_type[64];
};

/* count: n in 0..1000, one event. pair: one event, then n is checked (so a
 * bad n fails after an event was emitted: lines.c must take it back), then
 * a second event. level: n as a level, through the service's levels. */
static int on_count(void *state, const struct ingest_type *t, const struct ingest_record *r,
                    struct proto_event *ev, struct ingest_out *out, char *why, size_t cap)
{
    struct svc_state *s = state;
    s->records++;
    int64_t n;
    if (ingest_int(r->obj, "n", 0, 1000, &n, why, cap))
        return CCHC_EINVAL;
    ev->n = n;
    ev->has = PROTO_HAS_N;
    ev->m[ev->nm++] = (struct proto_metric){proto_cstr(t->metric), n};
    return ingest_emit(out, ev);
}

static int on_pair(void *state, const struct ingest_type *t, const struct ingest_record *r,
                   struct proto_event *ev, struct ingest_out *out, char *why, size_t cap)
{
    struct svc_state *s = state;
    s->records++;
    ev->type = proto_cstr("test.pair.first");
    ev->m[ev->nm++] = (struct proto_metric){proto_cstr("firsts"), 1};
    int rc = ingest_emit(out, ev);
    if (rc)
        return rc;
    int64_t n;
    if (ingest_int(r->obj, "n", 0, 1000, &n, why, cap))
        return CCHC_EINVAL;
    ev->type = proto_cstr("test.pair.second");
    ev->m[0] = (struct proto_metric){proto_cstr("seconds"), n};
    return ingest_emit(out, ev);
}

static int on_level(void *state, const struct ingest_type *t, const struct ingest_record *r,
                    struct proto_event *ev, struct ingest_out *out, char *why, size_t cap)
{
    struct svc_state *s = state;
    s->records++;
    int64_t n;
    if (ingest_int(r->obj, "n", 0, 1000, &n, why, cap))
        return CCHC_EINVAL;
    const char *names[] = {"headcount"};
    return ingest_emit_level(out, r->levels, ev, names, &n, 1);
}

/* named: one event with the metric "x.<code>"; twice: "y.<code>", then a
 * second event with "z.<code>"; tier: a level named "lv.<code>". Names made
 * from a field, for the vocabulary's cap. */
static int code_name(const struct ingest_record *r, const char *prefix, char *name, size_t n,
                     char *why, size_t cap)
{
    const char *code;
    if (ingest_str(r->obj, "code", 16, &code, NULL, why, cap))
        return CCHC_EINVAL;
    snprintf(name, n, "%s.%s", prefix, code);
    return CCHC_OK;
}

static int on_named(void *state, const struct ingest_type *t, const struct ingest_record *r,
                    struct proto_event *ev, struct ingest_out *out, char *why, size_t cap)
{
    struct svc_state *s = state;
    s->records++;
    char name[32];
    if (code_name(r, "x", name, sizeof name, why, cap))
        return CCHC_EINVAL;
    ev->m[ev->nm++] = (struct proto_metric){proto_cstr(name), 1};
    return ingest_emit(out, ev);
}

static int on_twice(void *state, const struct ingest_type *t, const struct ingest_record *r,
                    struct proto_event *ev, struct ingest_out *out, char *why, size_t cap)
{
    struct svc_state *s = state;
    s->records++;
    char y[32], z[32];
    if (code_name(r, "y", y, sizeof y, why, cap) || code_name(r, "z", z, sizeof z, why, cap))
        return CCHC_EINVAL;
    ev->m[ev->nm++] = (struct proto_metric){proto_cstr(y), 1};
    int rc = ingest_emit(out, ev);
    if (rc)
        return rc;
    ev->m[0] = (struct proto_metric){proto_cstr(z), 1};
    return ingest_emit(out, ev);
}

static int on_tier(void *state, const struct ingest_type *t, const struct ingest_record *r,
                   struct proto_event *ev, struct ingest_out *out, char *why, size_t cap)
{
    struct svc_state *s = state;
    s->records++;
    char name[32];
    int64_t n;
    if (code_name(r, "lv", name, sizeof name, why, cap) ||
        ingest_int(r->obj, "n", 0, 1000, &n, why, cap))
        return CCHC_EINVAL;
    const char *names[] = {name};
    return ingest_emit_level(out, r->levels, ev, names, &n, 1);
}

static const struct ingest_type types[] = {
    {"count", on_count, "things"},
    {"pair", on_pair, NULL},
    {"level", on_level, NULL},
    {"named", on_named, NULL},
    {"twice", on_twice, NULL},
    {"tier", on_tier, NULL},
    {0},
};

static int on_replay(void *state, const struct units *u, struct state_db *db,
                     const struct proto_event *ev)
{
    struct svc_state *s = state;
    s->replays++;
    snprintf(s->last_id, sizeof s->last_id, "%.*s", (int)ev->id.len, ev->id.p);
    snprintf(s->last_type, sizeof s->last_type, "%.*s", (int)ev->type.len, ev->type.p);
    return s->fail_replay ? CCHC_EINVAL : CCHC_OK;
}

static struct svc_state seen;
static const struct ingest_service svc = {
    .name = "test",
    .types = types,
    .state = &seen,
    .replay = on_replay,
};
/* The same without replay(): its levels are still rebuilt. */
static const struct ingest_service svc_no_replay = {
    .name = "test",
    .types = types,
    .state = &seen,
};

static int setup(void **unused)
{
    char why[512];
    if (units_load_text("registry", registry, &units, why, sizeof why)) {
        fprintf(stderr, "%s\n", why);
        return -1;
    }
    return 0;
}

/* The state of the lines made last, on disk in its own folder. */
static struct state_db *db;
static char *db_dir;

static int teardown(void **unused)
{
    state_tmp_remove(db, db_dir);
    units_free(units);
    return 0;
}

/* Lines on a new, empty state. */
static struct ingest_lines *new_lines(const struct ingest_service *s)
{
    memset(&seen, 0, sizeof seen);
    state_tmp_remove(db, db_dir);
    db_dir = NULL;
    db = state_tmp_open(&db_dir);
    struct ingest_lines *st = ingest_lines_new(s, units, db);
    assert_non_null(st);
    return st;
}

/* A restart without a journal to replay: the state is what was committed. */
static struct ingest_lines *reopen_lines(struct ingest_lines *st, const struct ingest_service *s)
{
    ingest_lines_free(st);
    state_close(db);
    db = state_tmp_open(&db_dir);
    return ingest_lines_new(s, units, db);
}

static int unit(const char *id)
{
    int i = units_find(units, id, strlen(id));
    assert_true(i >= 0);
    return i;
}

/* ---- lines ---- */

static uint32_t nevents(const struct ingest_lines *st);

#define AT "\"at\":\"2022-03-01T08:30:00+07:00\""
#define AT_MS 1646098200000LL
/* A good line of type TYPE with id ID (a C string literal, quoted inside). */
#define LINE(ID, TYPE, N)                                                                          \
    "{\"id\":\"" ID "\",\"type\":\"" TYPE "\",\"unit\":\"kg.rachgia.mot-cua\"," AT ",\"n\":" N "}"

/* Parses and decides text on st; the line is returned decided (its why still owned). */
static struct ingest_line decide(struct ingest_lines *st, const char *text)
{
    struct ingest_line l = {.text = text, .n = strlen(text), .lineno = 1};
    ingest_line_parse(st, &l);
    if (l.v != INGEST_ACCEPTED)
        fail_msg("decide: parse refused '%.200s': %s", text, l.why ? l.why : "(no reason)");
    assert_non_null(l.obj);
    ingest_line_decide(st, &l);
    assert_null(l.obj);
    return l;
}

static void must_accept(struct ingest_lines *st, const char *text, const char *id)
{
    struct ingest_line l = decide(st, text);
    if (l.v != INGEST_ACCEPTED)
        fail_msg("must_accept '%.200s': verdict %d (%s)", text, l.v, l.why ? l.why : "");
    assert_null(l.why);
    assert_string_equal(l.id, id);
    ingest_line_done(&l);
}

static void must_be_duplicate(struct ingest_lines *st, const char *text, const char *id)
{
    int records = seen.records;
    struct ingest_line l = decide(st, text);
    if (l.v != INGEST_DUPLICATE)
        fail_msg("must_be_duplicate '%.200s': verdict %d (%s)", text, l.v, l.why ? l.why : "");
    assert_null(l.why);
    assert_string_equal(l.id, id);
    assert_int_equal(seen.records, records); /* the service never saw it */
    ingest_line_done(&l);
}

/* Rejected as a conflict: id came before with other content; the service
 * never saw it. */
static void must_conflict(struct ingest_lines *st, const char *text, const char *id)
{
    int records = seen.records;
    uint32_t n = nevents(st);
    struct ingest_line l = decide(st, text);
    if (l.v != INGEST_REJECTED)
        fail_msg("must_conflict '%.200s': verdict %d", text, l.v);
    assert_int_equal(l.why_kind, INGEST_WHY_CONFLICT);
    char want[256];
    snprintf(want, sizeof want,
             "field \"id\": \"%s\" was accepted before with other content (a conflict: the "
             "first record stands; send a change under a new id)",
             id);
    assert_string_equal(l.why, want);
    assert_int_equal(seen.records, records);
    assert_int_equal(nevents(st), n);
    ingest_line_done(&l);
}

/* The service's record() refuses it: no events, no id for the answer. */
static void must_be_refused(struct ingest_lines *st, const char *text, const char *want)
{
    const uint8_t *body;
    const size_t *ends;
    uint32_t n = ingest_lines_events(st, &body, &ends);
    size_t len = n ? ends[n - 1] : 0;
    int records = seen.records;
    struct ingest_line l = decide(st, text);
    if (l.v != INGEST_REJECTED)
        fail_msg("must_be_refused '%s': verdict %d", text, l.v);
    assert_int_equal(seen.records, records + 1);
    assert_non_null(l.why);
    if (strcmp(l.why, want) != 0)
        fail_msg("must_be_refused '%s':\n  got  '%s'\n  want '%s'", text, l.why, want);
    assert_string_equal(l.id, "");
    assert_int_equal(ingest_lines_events(st, &body, &ends), n);
    assert_int_equal(n ? ends[n - 1] : 0, len);
    ingest_line_done(&l);
    assert_null(l.why);
}

/* Refused by the parse with exactly want, and still refused once decided,
 * without reaching the service or queueing anything. */
static void must_not_parse(const char *text, size_t n, const char *want)
{
    struct ingest_lines *st = new_lines(&svc);
    struct ingest_line l = {.text = text, .n = n, .lineno = 7};
    ingest_line_parse(st, &l);
    if (l.v != INGEST_REJECTED)
        fail_msg("must_not_parse '%.*s': verdict %d", (int)(n < 200 ? n : 200), text, l.v);
    assert_non_null(l.why);
    if (strcmp(l.why, want) != 0)
        fail_msg("must_not_parse '%.*s':\n  got  '%s'\n  want '%s'", (int)(n < 200 ? n : 200), text,
                 l.why, want);
    const char *why = l.why;
    ingest_line_decide(st, &l);
    assert_int_equal(l.v, INGEST_REJECTED);
    assert_ptr_equal(l.why, why);
    assert_null(l.obj);
    assert_string_equal(l.id, "");
    assert_int_equal(seen.records, 0);
    const uint8_t *body;
    const size_t *ends;
    assert_int_equal(ingest_lines_events(st, &body, &ends), 0);
    ingest_line_done(&l);
    assert_null(l.why);
    ingest_lines_free(st);
}

/* ---- events ---- */

static uint32_t nevents(const struct ingest_lines *st)
{
    const uint8_t *body;
    const size_t *ends;
    return ingest_lines_events(st, &body, &ends);
}

struct want_event {
    const char *type, *id, *unit;
    int64_t at_ms;
    int has_n;
    int64_t n;
    const char *m; /* one metric, or NULL */
    int64_t mv;
    const char *v; /* one level value, or NULL */
    int64_t vv;
};

static void str_is(struct proto_str s, const char *want, const char *what, uint32_t i)
{
    if (!s.p || s.len != strlen(want) || memcmp(s.p, want, s.len) != 0)
        fail_msg("event %u: %s is '%.*s', want '%s'", i, what, (int)s.len, s.p ? s.p : "", want);
}

/* The queue holds exactly want[0..n), back to back. */
static void events_are(const struct ingest_lines *st, const struct want_event *want, uint32_t n)
{
    const uint8_t *body;
    const size_t *ends;
    uint32_t got = ingest_lines_events(st, &body, &ends);
    assert_int_equal(got, n);
    for (uint32_t i = 0; i < n; i++) {
        const struct want_event *w = &want[i];
        size_t off = i ? ends[i - 1] : 0;
        assert_true(off < ends[i]);
        struct proto_event ev;
        char why[256] = "";
        int rc = proto_event_decode(body, ends[i], &off, &ev, why, sizeof why);
        if (rc != CCHC_OK)
            fail_msg("event %u: decode: rc %d: %s", i, rc, why);
        assert_int_equal(off, ends[i]); /* one event, the whole of it */
        str_is(ev.type, w->type, "type", i);
        str_is(ev.id, w->id, "id", i);
        str_is(ev.unit, w->unit, "unit", i);
        assert_int_equal(ev.at_ms, w->at_ms);
        assert_int_equal(!!(ev.has & PROTO_HAS_N), w->has_n);
        if (w->has_n)
            assert_int_equal(ev.n, w->n);
        assert_int_equal(ev.nm, w->m ? 1 : 0);
        if (w->m) {
            str_is(ev.m[0].name, w->m, "metric", i);
            assert_int_equal(ev.m[0].value, w->mv);
        }
        assert_int_equal(ev.nv, w->v ? 1 : 0);
        if (w->v) {
            str_is(ev.v[0].name, w->v, "level", i);
            assert_int_equal(ev.v[0].value, w->vv);
        }
    }
}

#define UNIT "kg.rachgia.mot-cua"

/* The events of the service's types, on the unit and at of LINE. */
static struct want_event count_ev(const char *id, int64_t n)
{
    return (struct want_event){"test.count", id, UNIT, AT_MS, 1, n, "things", n, NULL, 0};
}

static struct want_event first_ev(const char *id)
{
    return (struct want_event){"test.pair.first", id, UNIT, AT_MS, 0, 0, "firsts", 1, NULL, 0};
}

static struct want_event second_ev(const char *id, int64_t n)
{
    return (struct want_event){"test.pair.second", id, UNIT, AT_MS, 0, 0, "seconds", n, NULL, 0};
}

/* ---- 1. the parse ---- */

static const struct {
    const char *text;
    const char *id, *type, *unit;
    int64_t at_ms;
} good_lines[] = {
    {LINE("c-1", "count", "1"), "c-1", "count", UNIT, AT_MS},
    {"{\"id\":\"c-2\",\"type\":\"pair\",\"unit\":\"kg\",\"at\":\"2022-03-01T01:30:00.250Z\",\"n\":"
     "0}",
     "c-2", "pair", "kg", AT_MS + 250},
    /* whitespace around and inside, keys in any order, fields of the service's own and
     * others it does not know */
    {"  { \"n\" : 1000 ,\t\"at\" : \"2022-03-01T09:30:00+08:00\", \"unit\" : \"kg.rachgia\" , "
     "\"type\" : \"level\" , \"id\" : \"c 3\", \"note\": {\"x\": [1, null, \"y\"]} }  ",
     "c 3", "level", "kg.rachgia", AT_MS},
    /* an id with an escape: l->id is the decoded string (hồ: 4 bytes) */
    {LINE("h\\u1ed3", "count", "2"), "h\xe1\xbb\x93", "count", UNIT, AT_MS},
    {LINE("hồ-sơ/2022", "count", "2"), "hồ-sơ/2022", "count", UNIT, AT_MS},
    /* the ends of int64 elsewhere in the record are fine */
    {"{\"id\":\"c-4\",\"type\":\"count\",\"unit\":\"kg\"," AT
     ",\"n\":5,\"big\":9223372036854775807,\"small\":-9223372036854775808}",
     "c-4", "count", "kg", AT_MS},
    /* a dated unit on its first and last day, UTC+7 */
    {"{\"id\":\"d-1\",\"type\":\"count\",\"unit\":\"kg.old\",\"at\":\"2022-02-28T16:59:59Z\","
     "\"n\":1}",
     "d-1", "count", "kg.old", 1646067599000LL},
    {"{\"id\":\"d-2\",\"type\":\"count\",\"unit\":\"kg.new\",\"at\":\"2022-02-28T17:00:00Z\","
     "\"n\":1}",
     "d-2", "count", "kg.new", 1646067600000LL},
};

static void test_parse_good(void **unused)
{
    for (size_t k = 0; k < sizeof good_lines / sizeof *good_lines; k++) {
        struct ingest_lines *st = new_lines(&svc);
        struct ingest_line l = {.text = good_lines[k].text, .n = strlen(good_lines[k].text)};
        ingest_line_parse(st, &l);
        if (l.v != INGEST_ACCEPTED)
            fail_msg("must_parse '%s': %s", l.text, l.why ? l.why : "(no reason)");
        assert_null(l.why);
        assert_non_null(l.obj);
        assert_ptr_equal(l.r.obj, l.obj);
        assert_int_equal(l.r.id_len, strlen(good_lines[k].id));
        assert_memory_equal(l.r.id, good_lines[k].id, l.r.id_len);
        assert_non_null(l.r.type);
        assert_string_equal(l.r.type->name, good_lines[k].type);
        /* the service's own entry, so that it may compare pointers */
        const struct ingest_type *t = types;
        while (t->name && strcmp(t->name, good_lines[k].type) != 0)
            t++;
        assert_ptr_equal(l.r.type, t);
        assert_int_equal(l.r.unit, unit(good_lines[k].unit));
        assert_int_equal(l.r.at_ms, good_lines[k].at_ms);
        assert_int_equal(seen.records, 0); /* parsing does not reach the service */
        ingest_line_decide(st, &l);
        assert_int_equal(l.v, INGEST_ACCEPTED);
        assert_string_equal(l.id, good_lines[k].id);
        ingest_line_done(&l);
        ingest_lines_free(st);
    }
}

/* The limits: a line of INGEST_LINE_MAX bytes and an id or unit at the most
 * they may be are taken; a byte more of any is not. */
static void test_parse_limits(void **unused)
{
    static char line[INGEST_LINE_MAX + 2], want[512];
    char id[INGEST_ID_MAX + 2], uid[UNIT_ID_MAX + 2];
    const char head[] = LINE("max", "count", "1");
    size_t h = strlen(head) - 1; /* before the closing brace */
    memcpy(line, head, h);
    memset(line + h, ' ', INGEST_LINE_MAX - h - 1);
    line[INGEST_LINE_MAX - 1] = '}';
    line[INGEST_LINE_MAX] = 0;
    struct ingest_lines *st = new_lines(&svc);
    must_accept(st, line, "max");
    ingest_lines_free(st);

    line[INGEST_LINE_MAX - 1] = ' ';
    line[INGEST_LINE_MAX] = '}';
    snprintf(want, sizeof want, "line longer than %d bytes (%d)", INGEST_LINE_MAX,
             INGEST_LINE_MAX + 1);
    must_not_parse(line, INGEST_LINE_MAX + 1, want);
    /* the length is checked before anything else: even bad UTF-8 is just too long */
    line[10] = '\xff';
    must_not_parse(line, INGEST_LINE_MAX + 1, want);

    memset(id, 'i', INGEST_ID_MAX);
    id[INGEST_ID_MAX] = 0;
    snprintf(line, sizeof line, "{\"id\":\"%s\",\"type\":\"count\",\"unit\":\"kg\"," AT ",\"n\":1}",
             id);
    st = new_lines(&svc);
    must_accept(st, line, id);
    ingest_lines_free(st);
    id[INGEST_ID_MAX] = 'i';
    id[INGEST_ID_MAX + 1] = 0;
    snprintf(line, sizeof line, "{\"id\":\"%s\",\"type\":\"count\",\"unit\":\"kg\"," AT ",\"n\":1}",
             id);
    snprintf(want, sizeof want, "field \"id\": must be 1..%d bytes, has %d", INGEST_ID_MAX,
             INGEST_ID_MAX + 1);
    must_not_parse(line, strlen(line), want);

    /* a unit id one byte too long is refused by its length, not as unknown */
    memset(uid, 'u', UNIT_ID_MAX + 1);
    uid[UNIT_ID_MAX + 1] = 0;
    snprintf(line, sizeof line, "{\"id\":\"u\",\"type\":\"count\",\"unit\":\"%s\"," AT ",\"n\":1}",
             uid);
    snprintf(want, sizeof want, "field \"unit\": must be 1..%d bytes, has %d", UNIT_ID_MAX,
             UNIT_ID_MAX + 1);
    must_not_parse(line, strlen(line), want);
    uid[UNIT_ID_MAX] = 0;
    snprintf(line, sizeof line, "{\"id\":\"u\",\"type\":\"count\",\"unit\":\"%s\"," AT ",\"n\":1}",
             uid);
    snprintf(want, sizeof want, "field \"unit\": unknown unit \"%s\"", uid);
    must_not_parse(line, strlen(line), want);
}

#define REST ",\"type\":\"count\",\"unit\":\"kg\"," AT ",\"n\":1}"
#define MAL "malformed JSON at column "
#define RFC "not an RFC 3339 time with offset (like 2022-03-01T08:30:00+07:00)"
#define TYPES " is not one of count|pair|level|named|twice|tier"

static const struct {
    const char *text;
    size_t n; /* 0: strlen(text) */
    const char *want;
} bad_lines[] = {
    /* invalid UTF-8: the position is in bytes, from 1 */
    {"{\"id\":\"\xff\"" REST, 0, "invalid UTF-8 at byte 8"},
    {"{\"id\":\"ồ\xff\"" REST, 0, "invalid UTF-8 at byte 11"},
    {"{\"id\":\"x\xc0\xaf\"" REST, 0, "invalid UTF-8 at byte 9"},        /* overlong '/' */
    {"{\"id\":\"\xed\xa0\x80\"" REST, 0, "invalid UTF-8 at byte 8"},     /* a surrogate */
    {"{\"id\":\"\xf4\x90\x80\x80\"" REST, 0, "invalid UTF-8 at byte 8"}, /* past U+10FFFF */
    {"{\"id\":\"a\xe1\x80", 0, "invalid UTF-8 at byte 9"},               /* cut short */
    {"{\"id\":\"a\0\"}", 11, "invalid UTF-8 at byte 9"},                 /* a NUL byte */
    /* malformed JSON: the column is in characters */
    {"", 0, MAL "0: '[' or '{' expected near end of file"},
    {"   ", 0, MAL "3: '[' or '{' expected near end of file"},
    {"{\"id\":", 0, MAL "6: unexpected token near end of file"},
    {"{\"id\" 1}", 0, MAL "7: ':' expected near '1'"},
    {"{\"id\":\"ồ\" 1}", 0, MAL "11: '}' expected near '1'"},
    {"{'id':1}", 0, MAL "2: string or '}' expected near '''"},
    {"{\"id\":\"a\",}", 0, MAL "11: string or '}' expected near '}'"},
    {"{\"id\":\"a\"} x", 0, MAL "12: end of file expected near 'x'"},
    {"{\"id\":\"a\"}{\"id\":\"b\"}", 0, MAL "11: end of file expected near '{'"},
    {"{\"id\":\"\\u0000\"}", 0,
     MAL "14: \\u0000 is not allowed without JSON_ALLOW_NUL near '\"\\u0000\"'"},
    {"{\"id\":\"a\",\"n\":1e999}", 0, MAL "19: real number overflow near '1e999'"},
    /* not an object */
    {"42", 0, MAL "2: '[' or '{' expected near '42'"},
    {"\"c-1\"", 0, MAL "5: '[' or '{' expected near '\"c-1\"'"},
    {"null", 0, MAL "4: '[' or '{' expected near 'null'"},
    {"[1,2]", 0, "not a JSON object"},
    {"[]", 0, "not a JSON object"},
    {"[" LINE("c-1", "count", "1") "]", 0, "not a JSON object"},
    /* an integer beyond int64, by the field it is in */
    {"{\"id\":\"a\",\"n\":99999999999999999999}", 0, "field \"n\": integer out of range (int64)"},
    {"{\"id\":\"a\",\"n\":9223372036854775808}", 0, "field \"n\": integer out of range (int64)"},
    {"{\"id\":\"a\",\"n\" : -9223372036854775809}", 0, "field \"n\": integer out of range (int64)"},
    {"{\"id\":\"a\",\"x\":{\"deep\":\t9223372036854775808}}", 0,
     "field \"deep\": integer out of range (int64)"},
    {"{\"id\":\"a\",\"list\":[1,2,99999999999999999999]}", 0,
     "field \"list\": integer out of range (int64)"},
    /* the field that holds the number, whatever stands before it: other
     * big numbers that fit, reals, text that looks like a key */
    {"{\"id\":\"a\",\"a\":9223372036854775807,\"b\":99999999999999999999}", 0,
     "field \"b\": integer out of range (int64)"},
    {"{\"id\":\"a\",\"a\":-9223372036854775808,\"b\":-99999999999999999999}", 0,
     "field \"b\": integer out of range (int64)"},
    {"{\"id\":\"a\",\"zz\":1e300,\"n\":99999999999999999999}", 0,
     "field \"n\": integer out of range (int64)"},
    {"{\"id\":\"a\",\"n\":"
     "1000000000000000000000000000000000000000000000000000000000000000000000000000000000}",
     0, "field \"n\": integer out of range (int64)"},
    /* the field that holds the number, whatever text stands before it */
    {"{\"id\":\"a\",\"list\":[{\"z\":1},99999999999999999999]}", 0,
     "field \"list\": integer out of range (int64)"},
    {"{\"id\":\"a\",\"tags\":[\"k\\\":\",99999999999999999999]}", 0,
     "field \"tags\": integer out of range (int64)"},
    {"{\"id\":99999999999999999999" REST, 0, "field \"id\": integer out of range (int64)"},
    /* outside any object there is no field to name */
    {"[99999999999999999999]", 0, MAL "21: too big integer near '99999999999999999999'"},
    /* a key twice, at the top or deeper */
    {"{\"id\":\"a\",\"id\":\"b\"" REST, 0, MAL "14: duplicate object key near '\"id\"'"},
    {"{\"id\":\"a\",\"x\":{\"k\":1,\"k\":2}" REST, 0, MAL "24: duplicate object key near '\"k\"'"},
    /* id */
    {"{\"type\":\"count\",\"unit\":\"kg\"," AT "}", 0, "field \"id\": missing"},
    {"{\"id\":null" REST, 0, "field \"id\": missing"},
    {"{\"id\":\"\"" REST, 0, "field \"id\": must be 1..128 bytes, has 0"},
    {"{\"id\":7" REST, 0, "field \"id\": must be a string"},
    {"{\"id\":[\"a\"]" REST, 0, "field \"id\": must be a string"},
    /* type: one of the service's */
    {"{\"id\":\"a\",\"unit\":\"kg\"," AT "}", 0, "field \"type\": missing"},
    {"{\"id\":\"a\",\"type\":\"audit\",\"unit\":\"kg\"," AT "}", 0,
     "field \"type\": \"audit\"" TYPES},
    {"{\"id\":\"a\",\"type\":\"Count\",\"unit\":\"kg\"," AT "}", 0,
     "field \"type\": \"Count\"" TYPES},
    {"{\"id\":\"a\",\"type\":\"count \",\"unit\":\"kg\"," AT "}", 0,
     "field \"type\": \"count \"" TYPES},
    {"{\"id\":\"a\",\"type\":\"\",\"unit\":\"kg\"," AT "}", 0,
     "field \"type\": must be 1..64 bytes, has 0"},
    {"{\"id\":\"a\",\"type\":1,\"unit\":\"kg\"," AT "}", 0, "field \"type\": must be a string"},
    /* unit: registered */
    {"{\"id\":\"a\",\"type\":\"count\"," AT "}", 0, "field \"unit\": missing"},
    {"{\"id\":\"a\",\"type\":\"count\",\"unit\":\"kg.nowhere\"," AT "}", 0,
     "field \"unit\": unknown unit \"kg.nowhere\""},
    {"{\"id\":\"a\",\"type\":\"count\",\"unit\":\"KG\"," AT "}", 0,
     "field \"unit\": unknown unit \"KG\""},
    {"{\"id\":\"a\",\"type\":\"count\",\"unit\":\"kg.\"," AT "}", 0,
     "field \"unit\": unknown unit \"kg.\""},
    {"{\"id\":\"a\",\"type\":\"count\",\"unit\":\"\"," AT "}", 0,
     "field \"unit\": must be 1..128 bytes, has 0"},
    /* unit: valid on the record's day (UTC+7) */
    {"{\"id\":\"a\",\"type\":\"count\",\"unit\":\"kg.old\"," AT "}", 0,
     "field \"unit\": \"kg.old\" is not valid on 2022-03-01 (the registry has it until "
     "2022-02-28; its successors: kg.new, kg.other)"},
    {"{\"id\":\"a\",\"type\":\"count\",\"unit\":\"kg.old\",\"at\":\"2022-02-28T17:00:00Z\"}", 0,
     "field \"unit\": \"kg.old\" is not valid on 2022-03-01 (the registry has it until "
     "2022-02-28; its successors: kg.new, kg.other)"},
    {"{\"id\":\"a\",\"type\":\"count\",\"unit\":\"kg.new\",\"at\":\"2022-02-28T23:59:59+07:00\"}",
     0,
     "field \"unit\": \"kg.new\" is not valid on 2022-02-28 (the registry has it from "
     "2022-03-01)"},
    {"{\"id\":\"a\",\"type\":\"count\",\"unit\":{}," AT "}", 0, "field \"unit\": must be a string"},
    /* at: RFC 3339 with an offset */
    {"{\"id\":\"a\",\"type\":\"count\",\"unit\":\"kg\"}", 0, "field \"at\": missing"},
    {"{\"id\":\"a\",\"type\":\"count\",\"unit\":\"kg\",\"at\":\"2022-03-01T08:30:00\"}", 0,
     "field \"at\": " RFC},
    {"{\"id\":\"a\",\"type\":\"count\",\"unit\":\"kg\",\"at\":\"2022-03-01\"}", 0,
     "field \"at\": " RFC},
    {"{\"id\":\"a\",\"type\":\"count\",\"unit\":\"kg\",\"at\":\"2022-03-01 08:30:00+07:00\"}", 0,
     "field \"at\": " RFC},
    {"{\"id\":\"a\",\"type\":\"count\",\"unit\":\"kg\",\"at\":\"2022-03-01T08:30:00+07:00 \"}", 0,
     "field \"at\": " RFC},
    {"{\"id\":\"a\",\"type\":\"count\",\"unit\":\"kg\",\"at\":\"\"}", 0, "field \"at\": " RFC},
    {"{\"id\":\"a\",\"type\":\"count\",\"unit\":\"kg\",\"at\":1646098200000}", 0,
     "field \"at\": " RFC},
    /* the first bad field is the one named: at is checked before the unit is looked up */
    {"{\"id\":\"a\",\"type\":\"count\",\"unit\":\"kg.nowhere\",\"at\":\"soon\"}", 0,
     "field \"at\": " RFC},
    {"{\"id\":\"\",\"type\":\"audit\"}", 0, "field \"id\": must be 1..128 bytes, has 0"},
};

static void test_parse_bad(void **unused)
{
    for (size_t k = 0; k < sizeof bad_lines / sizeof *bad_lines; k++) {
        size_t n = bad_lines[k].n ? bad_lines[k].n : strlen(bad_lines[k].text);
        must_not_parse(bad_lines[k].text, n, bad_lines[k].want);
    }
}

/* ---- 2. deciding ---- */

static void test_decide(void **unused)
{
    struct ingest_lines *st = new_lines(&svc);
    must_accept(st, LINE("c-1", "count", "3"), "c-1");
    assert_int_equal(seen.records, 1);
    const struct want_event one[] = {count_ev("c-1", 3)};
    events_are(st, one, 1);

    must_accept(st, LINE("p-1", "pair", "4"), "p-1");
    const struct want_event three[] = {count_ev("c-1", 3), first_ev("p-1"), second_ev("p-1", 4)};
    events_are(st, three, 3);

    /* the same content is a duplicate, keys in any order, blanks aside;
     * other content under the id is a conflict */
    must_be_duplicate(st, LINE("c-1", "count", "3"), "c-1");
    must_be_duplicate(st,
                      "{ \"n\": 3, " AT ", \"unit\":\"kg.rachgia.mot-cua\",\"type\":\"count\","
                      "\"id\":\"c-1\"}",
                      "c-1");
    must_conflict(st, LINE("c-1", "pair", "9"), "c-1");
    must_conflict(st, LINE("p-1", "count", "1"), "p-1");
    must_conflict(st, LINE("p-1", "pair", "5"), "p-1");
    events_are(st, three, 3);

    /* refused by the service, even after it emitted an event: taken back,
     * and the events before it are untouched */
    must_be_refused(st, LINE("p-2", "pair", "-1"), "field \"n\": must not be negative");
    must_be_refused(st, LINE("c-2", "count", "1001"), "field \"n\": must be between 0 and 1000");
    must_be_refused(st, LINE("c-2", "count", "\"5\""), "field \"n\": must be an integer");
    must_be_refused(st, "{\"id\":\"c-2\",\"type\":\"count\",\"unit\":\"kg\"," AT "}",
                    "field \"n\": missing");
    events_are(st, three, 3);
    /* ... and its id is free */
    must_accept(st, LINE("p-2", "pair", "1"), "p-2");
    must_accept(st, LINE("c-2", "count", "5"), "c-2");
    const struct want_event six[] = {count_ev("c-1", 3), first_ev("p-1"),     second_ev("p-1", 4),
                                     first_ev("p-2"),    second_ev("p-2", 1), count_ev("c-2", 5)};
    events_are(st, six, 6);

    /* a line the parse refused keeps no id either */
    struct ingest_line bad = {.text = "{\"id\":\"c-3\",\"type\":\"count\",\"unit\":\"kg.x\"," AT
                                      ",\"n\":1}"};
    bad.n = strlen(bad.text);
    ingest_line_parse(st, &bad);
    assert_int_equal(bad.v, INGEST_REJECTED);
    ingest_line_decide(st, &bad);
    assert_int_equal(bad.v, INGEST_REJECTED);
    assert_string_equal(bad.why, "field \"unit\": unknown unit \"kg.x\"");
    assert_string_equal(bad.id, "");
    ingest_line_done(&bad);
    events_are(st, six, 6);
    must_accept(st, LINE("c-3", "count", "0"), "c-3");
    must_be_duplicate(st, LINE("c-3", "count", "0"), "c-3");
    assert_int_equal(nevents(st), 7);

    /* as a request does: a chunk is parsed whole, then decided line by line,
     * so the second of two like lines with one id is a duplicate of the first */
    const char *chunk[] = {LINE("d-1", "count", "1"), LINE("d-1", "count", "1"),
                           LINE("d-2", "pair", "\"x\""), LINE("d-2", "count", "2"), "[]"};
    const enum ingest_verdict want[] = {INGEST_ACCEPTED, INGEST_DUPLICATE, INGEST_REJECTED,
                                        INGEST_ACCEPTED, INGEST_REJECTED};
    struct ingest_line ls[5];
    for (int i = 0; i < 5; i++) {
        ls[i] = (struct ingest_line){.text = chunk[i], .n = strlen(chunk[i]), .lineno = i + 1};
        ingest_line_parse(st, &ls[i]);
    }
    for (int i = 0; i < 5; i++) {
        ingest_line_decide(st, &ls[i]);
        assert_int_equal(ls[i].v, want[i]);
        assert_null(ls[i].obj);
    }
    assert_string_equal(ls[0].id, "d-1");
    assert_string_equal(ls[1].id, "d-1");
    assert_string_equal(ls[2].why, "field \"n\": must be an integer");
    assert_string_equal(ls[3].id, "d-2");
    assert_string_equal(ls[4].why, "not a JSON object");
    for (int i = 0; i < 5; i++)
        ingest_line_done(&ls[i]);
    const struct want_event all[] = {count_ev("c-1", 3), first_ev("p-1"),     second_ev("p-1", 4),
                                     first_ev("p-2"),    second_ev("p-2", 1), count_ev("c-2", 5),
                                     count_ev("c-3", 0), count_ev("d-1", 1),  count_ev("d-2", 2)};
    events_are(st, all, 9);
    ingest_lines_free(st);
}

/* A level goes through the service's levels: the second snapshot of a series
 * emits the change from the first. */
static void test_decide_level(void **unused)
{
    struct ingest_lines *st = new_lines(&svc);
    must_accept(st, LINE("l-1", "level", "7"), "l-1");
    must_accept(st,
                "{\"id\":\"l-2\",\"type\":\"level\",\"unit\":\"kg.rachgia.mot-cua\","
                "\"at\":\"2022-03-01T09:30:00+07:00\",\"n\":10}",
                "l-2");
    const struct want_event want[] = {
        {"test.level", "l-1", UNIT, AT_MS, 0, 0, "headcount", 7, "headcount", 7},
        {"test.level", "l-2", UNIT, AT_MS + 3600000, 0, 0, "headcount", 3, "headcount", 10},
    };
    events_are(st, want, 2);
    ingest_lines_free(st);
}

/* ---- 3. the queue ---- */

static void test_clear_events(void **unused)
{
    struct ingest_lines *st = new_lines(&svc);
    const uint8_t *body;
    const size_t *ends;
    assert_int_equal(ingest_lines_events(st, &body, &ends), 0);
    ingest_lines_clear_events(st); /* clearing nothing */
    assert_int_equal(ingest_lines_events(st, &body, &ends), 0);
    must_accept(st, LINE("c-1", "count", "1"), "c-1");
    must_accept(st, LINE("p-1", "pair", "2"), "p-1");
    assert_int_equal(ingest_lines_events(st, &body, &ends), 3);
    ingest_lines_clear_events(st);
    assert_int_equal(ingest_lines_events(st, &body, &ends), 0);
    events_are(st, NULL, 0);
    /* the ids stay: a journaled record is still a duplicate */
    must_be_duplicate(st, LINE("c-1", "count", "1"), "c-1");
    assert_int_equal(ingest_lines_events(st, &body, &ends), 0);
    /* the next event starts the queue afresh */
    must_accept(st, LINE("c-2", "count", "8"), "c-2");
    const struct want_event want[] = {count_ev("c-2", 8)};
    events_are(st, want, 1);
    /* a refused record after a clear takes back only its own */
    must_be_refused(st, LINE("p-2", "pair", "1001"), "field \"n\": must be between 0 and 1000");
    events_are(st, want, 1);
    ingest_lines_clear_events(st);
    must_be_refused(st, LINE("p-2", "pair", "-5"), "field \"n\": must not be negative");
    events_are(st, NULL, 0);
    ingest_lines_free(st);
}

/* ---- 4. replay ---- */

static void test_replay(void **unused)
{
    struct ingest_lines *st = new_lines(&svc);
    struct proto_event ev = {.type = proto_cstr("test.count"),
                             .id = proto_cstr("r-1"),
                             .unit = proto_cstr(UNIT),
                             .at_ms = AT_MS,
                             .n = 4,
                             .has = PROTO_HAS_N};
    ev.m[ev.nm++] = (struct proto_metric){proto_cstr("things"), 4};
    assert_int_equal(ingest_lines_replay(st, &ev), CCHC_OK);
    assert_int_equal(seen.replays, 1);
    assert_string_equal(seen.last_id, "r-1");
    assert_string_equal(seen.last_type, "test.count");
    assert_int_equal(seen.records, 0);
    /* a record's second event replays its id again */
    assert_int_equal(ingest_lines_replay(st, &ev), CCHC_OK);
    assert_int_equal(seen.replays, 2);

    must_be_duplicate(st, LINE("r-1", "count", "4"), "r-1");
    must_be_duplicate(st, LINE("r-1", "pair", "1"), "r-1");
    events_are(st, NULL, 0);
    must_accept(st, LINE("r-2", "count", "4"), "r-2");

    /* an id as a length, not NUL-terminated, in a longer frame */
    const char frame[] = "r-3|junk";
    ev.id = (struct proto_str){frame, 3};
    assert_int_equal(ingest_lines_replay(st, &ev), CCHC_OK);
    assert_string_equal(seen.last_id, "r-3");
    must_be_duplicate(st, LINE("r-3", "count", "4"), "r-3");
    must_accept(st, LINE("r-3|junk", "count", "4"), "r-3|junk");

    /* replay() failing is the replay failing */
    seen.fail_replay = 1;
    ev.id = proto_cstr("r-4");
    assert_int_equal(ingest_lines_replay(st, &ev), CCHC_EINVAL);
    assert_int_equal(seen.replays, 4);
    ingest_lines_free(st);
}

/* Replayed levels are the service's levels, with or without its replay():
 * the next snapshot emits its change from the replayed one. */
static void test_replay_level(void **unused)
{
    const struct ingest_service *svcs[] = {&svc, &svc_no_replay};
    for (int k = 0; k < 2; k++) {
        struct ingest_lines *st = new_lines(svcs[k]);
        struct proto_event ev = {.type = proto_cstr("test.level"),
                                 .id = proto_cstr("l-1"),
                                 .unit = proto_cstr(UNIT),
                                 .at_ms = AT_MS - 3600000};
        ev.v[ev.nv++] = (struct proto_metric){proto_cstr("headcount"), 5};
        ev.m[ev.nm++] = (struct proto_metric){proto_cstr("headcount"), 5};
        assert_int_equal(ingest_lines_replay(st, &ev), CCHC_OK);
        assert_int_equal(seen.replays, k == 0 ? 1 : 0);
        must_be_duplicate(st, LINE("l-1", "level", "5"), "l-1");
        must_accept(st, LINE("l-2", "level", "7"), "l-2");
        const struct want_event want[] = {
            {"test.level", "l-2", UNIT, AT_MS, 0, 0, "headcount", 2, "headcount", 7}};
        events_are(st, want, 1);
        ingest_lines_free(st);
    }
}

/* ---- the metric vocabulary (METRIC_NAMES_MAX) ---- */

#define CODED(ID, TYPE, CODE, N)                                                                   \
    "{\"id\":\"" ID "\",\"type\":\"" TYPE "\",\"unit\":\"kg.rachgia.mot-cua\"," AT                 \
    ",\"code\":\"" CODE "\",\"n\":" N "}"
#define PAST_CAP(FIELD, NAME, CAP)                                                                 \
    "field \"" FIELD "\": would add metric name \"" NAME "\" past the " CAP                        \
    " metric names this service may emit (METRIC_NAMES_MAX): nothing of the record was taken"

static unsigned names_count(const struct ingest_lines *st, uint64_t *refused)
{
    unsigned count, max;
    ingest_lines_names(st, &count, &max, refused);
    return count;
}

/* The one metric change of the last event queued. */
static int64_t last_change(struct ingest_lines *st, const char *name)
{
    const uint8_t *body;
    const size_t *ends;
    uint32_t n = ingest_lines_events(st, &body, &ends);
    assert_true(n > 0);
    size_t a = n > 1 ? ends[n - 2] : 0, off = 0;
    struct proto_event ev;
    char why[128];
    assert_int_equal(proto_event_decode(body + a, ends[n - 1] - a, &off, &ev, why, sizeof why),
                     CCHC_OK);
    for (uint32_t i = 0; i < ev.nm; i++)
        if (ev.m[i].name.len == strlen(name) && !memcmp(ev.m[i].name.p, name, ev.m[i].name.len))
            return ev.m[i].value;
    fail_msg("no metric %s in the last event", name);
    return 0;
}

static void test_metric_names(void **unused)
{
    struct ingest_lines *st = new_lines(&svc);
    uint64_t refused;
    unsigned max;
    unsigned count;
    ingest_lines_names(st, &count, &max, &refused);
    assert_int_equal(count, 0);
    assert_int_equal(max, METRIC_NAMES_MAX);
    ingest_lines_set_names_max(st, 3);
    must_accept(st, CODED("a", "named", "A", "1"), "a");
    must_accept(st, CODED("b", "named", "B", "1"), "b");
    must_accept(st, CODED("c", "named", "C", "1"), "c");
    assert_int_equal(names_count(st, &refused), 3);
    /* One more name: refused whole, naming the field, the name and the cap. */
    must_be_refused(st, CODED("d", "named", "D", "1"), PAST_CAP("code", "x.D", "3"));
    assert_int_equal(names_count(st, &refused), 3);
    assert_int_equal(refused, 1);
    /* Its id was not taken, and known names still go through. */
    must_accept(st, CODED("d", "named", "A", "1"), "d");
    must_accept(st, CODED("e", "named", "A", "1"), "e");
    ingest_lines_clear_events(st);

    /* A record whose first event fits and whose second does not: neither
     * event stays, nor the first one's new name. */
    ingest_lines_set_names_max(st, 4);
    must_be_refused(st, CODED("t1", "twice", "Q", "1"), PAST_CAP("code", "z.Q", "4"));
    assert_int_equal(names_count(st, &refused), 3);
    assert_int_equal(refused, 2);
    must_accept(st, CODED("t2", "named", "Q", "1"), "t2"); /* the room is still there */
    assert_int_equal(names_count(st, &refused), 4);

    /* A level past the cap leaves its history untouched: once there is room,
     * the same level comes as its first value, not as no change. */
    must_be_refused(st, CODED("l1", "tier", "T", "5"), PAST_CAP("code", "lv.T", "4"));
    ingest_lines_set_names_max(st, 5);
    must_accept(st, CODED("l2", "tier", "T", "5"), "l2");
    assert_int_equal(last_change(st, "lv.T"), 5);
    assert_int_equal(names_count(st, &refused), 5);
    ingest_lines_free(st);
}

static void test_metric_names_replay(void **unused)
{
    struct ingest_lines *st = new_lines(&svc);
    struct proto_event ev = {.type = proto_cstr("test.named"),
                             .id = proto_cstr("r1"),
                             .unit = proto_cstr("kg.rachgia.mot-cua"),
                             .at_ms = AT_MS,
                             .nm = 2,
                             .m = {{proto_cstr("x.A"), 1}, {proto_cstr("x.B"), 1}}};
    assert_int_equal(ingest_lines_replay(st, &ev), CCHC_OK);
    ev.id = proto_cstr("r2");
    ev.nm = 1;
    ev.m[0] = (struct proto_metric){proto_cstr("x.A"), 1}; /* twice counts once */
    assert_int_equal(ingest_lines_replay(st, &ev), CCHC_OK);
    uint64_t refused;
    assert_int_equal(names_count(st, &refused), 2);
    ingest_lines_set_names_max(st, 2);
    must_be_refused(st, CODED("c", "named", "C", "1"), PAST_CAP("code", "x.C", "2"));
    must_accept(st, CODED("b", "named", "B", "1"), "b");
    ingest_lines_free(st);
}

/* ---- the sums' bounds (METRIC_COUNTERS_MAX, METRIC_LEVELS_MAX) ---- */

/* The reason of a record past the pool (field "n" holds the value that passes it). */
#define PAST_SUMS(WHAT, BOUND, USED, NAME)                                                         \
    "field \"n\": the bound of this service's " WHAT " is " BOUND " (" USED "): metric \"" NAME    \
    "\" would pass it, and no figure may leave int64; nothing of the record "                      \
    "was taken"

static struct ingest_sums sums_of(const struct ingest_lines *st)
{
    struct ingest_sums s;
    ingest_lines_sums(st, &s);
    return s;
}

static void test_sums(void **unused)
{
    struct ingest_lines *st = new_lines(&svc);
    assert_int_equal(sums_of(st).counters_max, METRIC_COUNTERS_MAX);
    assert_int_equal(sums_of(st).levels_max, METRIC_LEVELS_MAX);
    ingest_lines_set_sums_max(st, 10, 7);
    /* Counters: the magnitudes of their changes add up, to the bound and no further. */
    must_accept(st, LINE("c1", "count", "6"), "c1");
    must_be_refused(st, LINE("c2", "count", "5"),
                    PAST_SUMS("counter changes", "10", "METRIC_COUNTERS_MAX, used 6", "things"));
    assert_int_equal(sums_of(st).counters, 6);
    assert_int_equal(sums_of(st).refused_records, 1);
    must_accept(st, LINE("c2", "count", "4"), "c2"); /* its id was not taken */
    assert_int_equal(sums_of(st).counters, 10);
    /* Levels: each series' largest value counts once, however often it changes. */
    must_accept(st, CODED("l1", "tier", "T", "5"), "l1");
    must_accept(st, CODED("l2", "tier", "T", "3"), "l2");
    must_accept(st, CODED("l3", "tier", "T", "5"), "l3");
    assert_int_equal(sums_of(st).levels, 5);
    /* Another name past the bound: refused whole, the history untouched.
     * (This test service keeps every tier in one series, so the change
     * comes from T's 5: 3 - 5; had the refused record been kept, it would
     * be 0.) */
    must_be_refused(st, CODED("l4", "tier", "U", "3"),
                    PAST_SUMS("level values", "7", "METRIC_LEVELS_MAX, used 5", "lv.U"));
    assert_int_equal(sums_of(st).levels, 5);
    ingest_lines_set_sums_max(st, 10, 8);
    must_accept(st, CODED("l5", "tier", "U", "3"), "l5");
    assert_int_equal(last_change(st, "lv.U"), -2);
    assert_int_equal(sums_of(st).levels, 8);
    /* A level's own changes never count as a counter's. */
    assert_int_equal(sums_of(st).counters, 10);
    ingest_lines_free(st);

    /* Rebuilt from the journal: counters from their changes, levels from their values. */
    st = new_lines(&svc);
    struct proto_event ev = {.type = proto_cstr("test.count"),
                             .id = proto_cstr("r1"),
                             .unit = proto_cstr("kg.rachgia.mot-cua"),
                             .at_ms = AT_MS,
                             .nm = 1,
                             .m = {{proto_cstr("things"), -9}}};
    assert_int_equal(ingest_lines_replay(st, &ev), CCHC_OK);
    struct proto_event lv = {.type = proto_cstr("test.tier"),
                             .id = proto_cstr("r2"),
                             .unit = proto_cstr("kg.rachgia.mot-cua"),
                             .at_ms = AT_MS,
                             .nm = 1,
                             .m = {{proto_cstr("lv.T"), 4}},
                             .nv = 1,
                             .v = {{proto_cstr("lv.T"), 4}}};
    assert_int_equal(ingest_lines_replay(st, &lv), CCHC_OK);
    struct proto_event adj = {.type = proto_cstr("level.adjust"),
                              .id = proto_cstr("r2"),
                              .unit = proto_cstr("kg.rachgia.mot-cua"),
                              .at_ms = AT_MS + 1,
                              .nm = 1,
                              .m = {{proto_cstr("lv.T"), -100}}};
    assert_int_equal(ingest_lines_replay(st, &adj), CCHC_OK);
    assert_int_equal(sums_of(st).counters, 9);
    assert_int_equal(sums_of(st).levels, 4);
    ingest_lines_set_sums_max(st, 10, 100);
    must_be_refused(st, LINE("c9", "count", "2"),
                    PAST_SUMS("counter changes", "10", "METRIC_COUNTERS_MAX, used 9", "things"));
    must_accept(st, LINE("c9", "count", "1"), "c9");
    ingest_lines_free(st);
}

/* ---- 5. sources: scope, namespaces, conflicts, rebuilt from replay ---- */

static struct source src_a = {.name = "igate-a",
                              .types = 1u << 0 | 1u << 1,
                              .posts = "test.count,test.pair",
                              .units_text = "kg.rachgia",
                              .nroots = 1};
static struct source src_b = {
    .name = "igate-b", .types = 7u, .posts = "test.*", .units_text = "*", .nroots = -1};

static struct ingest_line decide_as(struct ingest_lines *st, const struct source *src,
                                    const char *text)
{
    struct ingest_line l = {.text = text, .n = strlen(text), .lineno = 1, .src = src};
    ingest_line_parse(st, &l);
    if (l.v == INGEST_ACCEPTED)
        ingest_line_decide(st, &l);
    else
        ingest_line_decide(st, &l); /* a rejected parse stays rejected */
    return l;
}

static void verdict_is(struct ingest_lines *st, const struct source *src, const char *text,
                       enum ingest_verdict v, enum ingest_why kind, const char *why)
{
    struct ingest_line l = decide_as(st, src, text);
    if (l.v != v)
        fail_msg("%s: '%.200s': verdict %d, want %d (%s)", src->name, text, l.v, v,
                 l.why ? l.why : "");
    if (v == INGEST_REJECTED) {
        assert_int_equal(l.why_kind, kind);
        if (why && strcmp(l.why, why) != 0)
            fail_msg("got  '%s'\nwant '%s'", l.why, why);
    }
    ingest_line_done(&l);
}

/* The source and digest of event i of the queue. */
static void event_src(const struct ingest_lines *st, uint32_t i, const char *src, char *digest)
{
    const uint8_t *body;
    const size_t *ends;
    assert_true(ingest_lines_events(st, &body, &ends) > i);
    size_t off = i ? ends[i - 1] : 0;
    struct proto_event ev;
    char why[128];
    assert_int_equal(proto_event_decode(body, ends[i], &off, &ev, why, sizeof why), CCHC_OK);
    if (src)
        str_is(ev.src, src, "src", i);
    else
        assert_null(ev.src.p);
    assert_int_equal(ev.digest.len, 32);
    memcpy(digest, ev.digest.p, 32);
    digest[32] = 0;
}

static void test_sources(void **unused)
{
    src_a.roots = (int[]){unit("kg.rachgia")};
    struct ingest_lines *st = new_lines(&svc);
    /* scope: a type outside POSTS, a unit outside UNITS (kg is above kg.rachgia) */
    verdict_is(st, &src_a, LINE("s-1", "level", "1"), INGEST_REJECTED, INGEST_WHY_SCOPE,
               "field \"type\": \"level\" is outside what source igate-a may post "
               "(test.count,test.pair)");
    verdict_is(st, &src_a, "{\"id\":\"s-1\",\"type\":\"count\",\"unit\":\"kg\"," AT ",\"n\":1}",
               INGEST_REJECTED, INGEST_WHY_SCOPE,
               "field \"unit\": \"kg\" is outside what source igate-a may post for (kg.rachgia)");
    assert_int_equal(nevents(st), 0);
    assert_int_equal(seen.records, 0);
    /* in scope: the root and below */
    verdict_is(st, &src_a, LINE("s-1", "count", "1"), INGEST_ACCEPTED, 0, NULL);
    verdict_is(st, &src_a,
               "{\"id\":\"s-2\",\"type\":\"count\",\"unit\":\"kg.rachgia\"," AT ",\"n\":1}",
               INGEST_ACCEPTED, 0, NULL);
    /* namespaces: B's s-1 is another record, even with A's very content */
    verdict_is(st, &src_b, LINE("s-1", "count", "1"), INGEST_ACCEPTED, 0, NULL);
    verdict_is(st, &src_b, LINE("s-2", "count", "7"), INGEST_ACCEPTED, 0, NULL);
    /* within a namespace: duplicate or conflict */
    verdict_is(st, &src_a, LINE("s-1", "count", "1"), INGEST_DUPLICATE, 0, NULL);
    verdict_is(st, &src_a, LINE("s-1", "count", "2"), INGEST_REJECTED, INGEST_WHY_CONFLICT, NULL);
    verdict_is(st, &src_b, LINE("s-2", "count", "7"), INGEST_DUPLICATE, 0, NULL);
    verdict_is(st, &src_b, LINE("s-2", "count", "1"), INGEST_REJECTED, INGEST_WHY_CONFLICT, NULL);
    assert_int_equal(nevents(st), 4);
    char dg[4][33];
    event_src(st, 0, "igate-a", dg[0]);
    event_src(st, 1, "igate-a", dg[1]);
    event_src(st, 2, "igate-b", dg[2]);
    event_src(st, 3, "igate-b", dg[3]);
    assert_string_equal(dg[0], dg[2]); /* the same content, the same digest */
    assert_string_not_equal(dg[0], dg[1]);
    assert_string_not_equal(dg[2], dg[3]);

    /* a restart: the journal's events rebuild namespaces and digests */
    const uint8_t *body;
    const size_t *ends;
    uint32_t n = ingest_lines_events(st, &body, &ends);
    uint8_t *copy = g_memdup2(body, ends[n - 1]);
    size_t *cends = g_memdup2(ends, n * sizeof *ends);
    ingest_lines_free(st);
    st = new_lines(&svc);
    for (uint32_t i = 0; i < n; i++) {
        size_t off = i ? cends[i - 1] : 0;
        struct proto_event ev;
        char why[128];
        assert_int_equal(proto_event_decode(copy, cends[i], &off, &ev, why, sizeof why), CCHC_OK);
        assert_int_equal(ingest_lines_replay(st, &ev), CCHC_OK);
    }
    g_free(copy);
    g_free(cends);
    verdict_is(st, &src_a, LINE("s-1", "count", "1"), INGEST_DUPLICATE, 0, NULL);
    verdict_is(st, &src_a, LINE("s-1", "count", "3"), INGEST_REJECTED, INGEST_WHY_CONFLICT, NULL);
    verdict_is(st, &src_b, LINE("s-2", "count", "7"), INGEST_DUPLICATE, 0, NULL);
    verdict_is(st, &src_b, LINE("s-2", "count", "8"), INGEST_REJECTED, INGEST_WHY_CONFLICT, NULL);
    verdict_is(st, &src_a, LINE("s-3", "count", "1"), INGEST_ACCEPTED, 0, NULL);
    verdict_is(st, &src_b, LINE("s-3", "count", "1"), INGEST_ACCEPTED, 0, NULL);
    ingest_lines_free(st);
}

/* An id journaled before sources (an event without "src"): the record is
 * taken for it (a duplicate) only from a source whose scope covers its type
 * and unit, and only with its content: the same digest, or, for an event
 * without "dg", the same type, unit and time. Any other record with that id
 * is a new record of the source that sends it. Before, the id answered
 * duplicate to any source: one source could learn and suppress another's
 * records. */
static void test_legacy_ids(void **unused)
{
    src_a.roots = (int[]){unit("kg.rachgia")};
    struct ingest_lines *st = new_lines(&svc);
    /* old-3's digest: that of the content it was journaled with */
    char dg[33];
    {
        const char *text = LINE("old-3", "count", "5");
        struct ingest_line l = {.text = text, .n = strlen(text), .lineno = 1};
        ingest_line_parse(st, &l);
        assert_int_equal(l.v, INGEST_ACCEPTED);
        memcpy(dg, l.digest, 33);
        json_decref(l.obj);
    }
    struct proto_event old[] = {
        {.type = proto_cstr("test.count"), .id = proto_cstr("old-1"), .unit = proto_cstr(UNIT)},
        {.type = proto_cstr("test.count"), .id = proto_cstr("old-2"), .unit = proto_cstr("kg")},
        {.type = proto_cstr("test.count"),
         .id = proto_cstr("old-3"),
         .unit = proto_cstr(UNIT),
         .digest = {dg, 32}},
        /* the first event of no record type (as a held resolution's) */
        {.type = proto_cstr("test.pair.first"),
         .id = proto_cstr("old-4"),
         .unit = proto_cstr(UNIT)},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(old); i++) {
        old[i].at_ms = AT_MS;
        assert_int_equal(ingest_lines_replay(st, &old[i]), CCHC_OK);
    }
    /* old-1, without a digest: the same type, unit and time is the record */
    verdict_is(st, &src_a, LINE("old-1", "count", "1"), INGEST_DUPLICATE, 0, NULL);
    /* Other content under old-1 from a source that could have sent it (its
     * author may be sending it again, changed): a conflict, nothing taken. */
    verdict_is(st, &src_b, LINE("old-1", "pair", "9"), INGEST_REJECTED, INGEST_WHY_CONFLICT, NULL);
    verdict_is(st, &src_a,
               "{\"id\":\"old-1\",\"type\":\"count\",\"unit\":\"" UNIT
               "\",\"at\":\"2022-03-02T08:30:00+07:00\",\"n\":1}",
               INGEST_REJECTED, INGEST_WHY_CONFLICT, NULL); /* another time */
    assert_int_equal(nevents(st), 0);
    /* old-2 at kg, outside A's scope: A's old-2 at its own unit is A's record */
    verdict_is(st, &src_a, LINE("old-2", "count", "1"), INGEST_ACCEPTED, 0, NULL);
    char d[33];
    event_src(st, 0, "igate-a", d);
    verdict_is(st, &src_a, LINE("old-2", "count", "1"), INGEST_DUPLICATE, 0, NULL);
    verdict_is(st, &src_b, "{\"id\":\"old-2\",\"type\":\"count\",\"unit\":\"kg\"," AT ",\"n\":2}",
               INGEST_DUPLICATE, 0, NULL);
    /* old-3, with a digest: only its very content */
    verdict_is(st, &src_b, LINE("old-3", "count", "6"), INGEST_REJECTED, INGEST_WHY_CONFLICT, NULL);
    verdict_is(st, &src_a, LINE("old-3", "count", "5"), INGEST_DUPLICATE, 0, NULL);
    /* old-4: no record of a source is that event's */
    verdict_is(st, &src_a, LINE("old-4", "pair", "1"), INGEST_ACCEPTED, 0, NULL);
    assert_int_equal(nevents(st), 1 + 2);
    /* without a source (a service's own tests), the old namespace itself */
    must_be_duplicate(st, LINE("old-1", "count", "7"), "old-1");
    ingest_lines_free(st);
}

/* ---- 6. budgets per source ---- */

static void account(void *arg, const struct ingest_budget *b)
{
    g_string_append_printf(arg, "%s:%llu/%llu,%llu/%llu,%llu/%llu,r%llu%s;", b->name,
                           (unsigned long long)b->counters, (unsigned long long)b->counters_max,
                           (unsigned long long)b->levels, (unsigned long long)b->levels_max,
                           (unsigned long long)b->names, (unsigned long long)b->names_max,
                           (unsigned long long)b->refused_records, b->current ? "" : "(gone)");
}

/* Every account as "NAME:counters/share,levels/share,names/share,rREFUSED;". */
static char *accounts(const struct ingest_lines *st)
{
    GString *s = g_string_new("");
    ingest_lines_budgets(st, account, s);
    return g_string_free(s, FALSE);
}

static void accounts_are(const struct ingest_lines *st, const char *want)
{
    char *got = accounts(st);
    if (strcmp(got, want) != 0)
        fail_msg("accounts:\n  got  %s\n  want %s", got, want);
    g_free(got);
}

#define HASH(C) "sha256:" C "000000000000000000000000000000000000000000000000000000000000000"
static const char *const type_names[] = {"count", "pair", "level", "named", "twice", "tier", NULL};

static struct sources *load_sources(const char *text)
{
    struct sources *s = NULL;
    char why[512];
    if (sources_load_text("sources", text, units, "dossier", type_names, &s, why, sizeof why))
        fail_msg("%s", why);
    return s;
}

/* The journal of a test: what was replayed, then what was queued. */
struct journal {
    GByteArray *body;
    GArray *ends; /* size_t */
};

static void journal_take(struct journal *j, struct ingest_lines *st)
{
    const uint8_t *body;
    const size_t *ends;
    uint32_t n = ingest_lines_events(st, &body, &ends);
    for (uint32_t i = 0; i < n; i++) {
        size_t from = i ? ends[i - 1] : 0, end;
        g_byte_array_append(j->body, body + from, (guint)(ends[i] - from));
        end = j->body->len;
        g_array_append_val(j->ends, end);
    }
    ingest_lines_clear_events(st);
}

/* A restart: the journal replayed into a new state, which takes its shares from text. */
static struct ingest_lines *restart(struct ingest_lines *st, struct journal *j, const char *text,
                                    struct sources **s)
{
    journal_take(j, st);
    ingest_lines_free(st);
    st = new_lines(&svc);
    ingest_lines_set_sums_max(st, 100, 60);
    ingest_lines_set_names_max(st, 10);
    for (guint i = 0; i < j->ends->len; i++) {
        size_t off = i ? g_array_index(j->ends, size_t, i - 1) : 0;
        struct proto_event ev;
        char why[128];
        assert_int_equal(proto_event_decode(j->body->data, g_array_index(j->ends, size_t, i), &off,
                                            &ev, why, sizeof why),
                         CCHC_OK);
        assert_int_equal(ingest_lines_replay(st, &ev), CCHC_OK);
    }
    sources_free(*s);
    *s = load_sources(text);
    ingest_lines_set_sources(st, *s);
    return st;
}

/* One source cannot take what the others may take: each has its share of
 * the pool (budget=P%, or an equal part of the rest) of counter changes,
 * level values and metric names, after what events journaled before sources
 * took; the shares and what each took are rebuilt from the journal. Before,
 * the pool was one for all: igate-a's 22 + 79 would have starved the others. */
static void test_budgets(void **unused)
{
    struct ingest_lines *st = new_lines(&svc);
    ingest_lines_set_sums_max(st, 100, 60);
    ingest_lines_set_names_max(st, 10);
    /* Journaled before sources: 10 of "things", a name. */
    struct proto_event old = {.type = proto_cstr("test.count"),
                              .id = proto_cstr("old-1"),
                              .unit = proto_cstr(UNIT),
                              .at_ms = AT_MS,
                              .nm = 1,
                              .m = {{proto_cstr("things"), 10}}};
    assert_int_equal(ingest_lines_replay(st, &old), CCHC_OK);
    struct journal j = {g_byte_array_new(), g_array_new(FALSE, FALSE, sizeof(size_t))};
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    assert_int_equal(proto_event_encode(&old, &buf, &len, &cap), CCHC_OK);
    g_byte_array_append(j.body, buf, (guint)len);
    g_array_append_val(j.ends, len);
    g_free(buf);
    static const char file[] = "igate-a " HASH(
        "a") " dossier.* *\n"
             "igate-b " HASH("b") " dossier.* *\n"
                                  "igate-c " HASH(
                                      "c") " dossier.* * budget=50%\n"
                                           "hr " HASH(
                                               "d") " staffing.* *\n"; /* nothing here: no share */
    struct sources *s = load_sources(file);
    ingest_lines_set_sources(st, s);
    const struct source *a = sources_get(s, 0), *b = sources_get(s, 1), *c = sources_get(s, 2);
    /* 90 of counters left: c 45, a and b 22 each; levels 30, 15, 15; names
     * 9 left: c 4, a and b 2 each. */
    accounts_are(st, ":10/0,0/0,1/0,r0(gone);igate-a:0/22,0/15,0/2,r0;igate-b:0/22,0/15,0/2,r0;"
                     "igate-c:0/45,0/30,0/4,r0;");
    /* Names: charged to the source that brings them first. */
    verdict_is(st, a, CODED("a1", "named", "A", "1"), INGEST_ACCEPTED, 0, NULL);
    verdict_is(st, a, CODED("a2", "named", "B", "1"), INGEST_ACCEPTED, 0, NULL);
    verdict_is(st, a, CODED("a3", "named", "C", "1"), INGEST_REJECTED, INGEST_WHY_BUDGET,
               "field \"code\": source igate-a's budget of metric names at this service is 2 (it "
               "brought 2): new metric name \"x.C\" would pass it; nothing of the record was "
               "taken");
    verdict_is(st, b, CODED("b1", "named", "A", "1"), INGEST_ACCEPTED, 0, NULL); /* known */
    verdict_is(st, b, CODED("b2", "named", "C", "1"), INGEST_ACCEPTED, 0, NULL);
    verdict_is(st, b, CODED("b3", "named", "D", "1"), INGEST_ACCEPTED, 0, NULL);
    verdict_is(st, b, CODED("b4", "named", "E", "1"), INGEST_REJECTED, INGEST_WHY_BUDGET, NULL);
    /* Counters: a takes its 22 and no more; b and c still take theirs. */
    verdict_is(st, a, LINE("a4", "count", "20"), INGEST_ACCEPTED, 0, NULL);
    verdict_is(st, a, LINE("a5", "count", "1"), INGEST_REJECTED, INGEST_WHY_BUDGET,
               "field \"n\": source igate-a's budget of counter changes at this service is 22 "
               "(used 22): metric \"things\" (1) would pass it; nothing of the record was taken");
    verdict_is(st, b, LINE("b5", "count", "19"), INGEST_ACCEPTED, 0, NULL);
    verdict_is(st, b, LINE("b6", "count", "1"), INGEST_REJECTED, INGEST_WHY_BUDGET, NULL);
    verdict_is(st, c, LINE("c1", "count", "45"), INGEST_ACCEPTED, 0, NULL);
    verdict_is(st, c, LINE("c2", "count", "1"), INGEST_REJECTED, INGEST_WHY_BUDGET, NULL);
    /* Levels: a raise is charged to who raises; a value under a series' largest costs nothing. */
    verdict_is(st, c, CODED("c3", "tier", "T", "30"), INGEST_ACCEPTED, 0, NULL);
    verdict_is(st, c, CODED("c4", "tier", "U", "1"), INGEST_REJECTED, INGEST_WHY_BUDGET,
               "field \"n\": source igate-c's budget of level values at this service is 30 (used "
               "30): metric \"lv.U\" (1) would pass it; nothing of the record was taken");
    verdict_is(st, b, CODED("b7", "tier", "T", "12"), INGEST_ACCEPTED, 0, NULL);
    /* An id a source's budget refused was not taken: within it, it goes through. */
    verdict_is(st, a, LINE("a5", "count", "0"), INGEST_ACCEPTED, 0, NULL);
    static const char after[] =
        ":10/0,0/0,1/0,r0(gone);igate-a:22/22,0/15,2/2,r2;igate-b:22/22,0/15,2/2,r2;"
        "igate-c:45/45,30/30,1/4,r2;";
    accounts_are(st, after);
    struct ingest_sums sums;
    ingest_lines_sums(st, &sums);
    assert_int_equal(sums.counters, 99); /* within the pool, whatever was posted */
    assert_int_equal(sums.levels, 30);
    assert_int_equal(sums.refused_records, 4);

    /* A restart: every account rebuilt from the journal, the same shares. */
    st = restart(st, &j, file, &s);
    char *got = accounts(st);
    assert_string_equal(got, ":10/0,0/0,1/0,r0(gone);igate-a:22/22,0/15,2/2,r0;igate-b:22/22,0/"
                             "15,2/2,r0;igate-c:45/45,30/30,1/4,r0;");
    g_free(got);
    verdict_is(st, sources_get(s, 0), LINE("a6", "count", "1"), INGEST_REJECTED, INGEST_WHY_BUDGET,
               NULL);

    /* A restart with a only: what b and c took is no longer theirs to share,
     * a's share is what is left (100 - 10 - 22 - 45 = 23), and the pool holds. */
    st = restart(st, &j, "igate-a " HASH("a") " dossier.* *\n", &s);
    a = sources_get(s, 0);
    accounts_are(st, ":10/0,0/0,1/0,r0(gone);igate-a:22/23,0/30,2/6,r0;igate-b:22/0,0/0,2/0,r0("
                     "gone);igate-c:45/0,30/0,1/0,r0(gone);");
    verdict_is(st, a, LINE("a7", "count", "1"), INGEST_ACCEPTED, 0, NULL);
    verdict_is(st, a, LINE("a8", "count", "1"), INGEST_REJECTED, INGEST_WHY_BUDGET, NULL);
    ingest_lines_free(st);
    sources_free(s);
    g_byte_array_free(j.body, TRUE);
    g_array_free(j.ends, TRUE);
}

/* A source that took more than its share before it had one (a journal of
 * when it was the only source, or of a bigger share) keeps what it took and
 * takes nothing more; the others share what it left, and their shares say
 * so. Before, b's share read 50 while the pool let it take only 10. */
static void test_budgets_over_share(void **unused)
{
    struct ingest_lines *st = new_lines(&svc);
    ingest_lines_set_sums_max(st, 100, 60);
    ingest_lines_set_names_max(st, 10);
    struct proto_event old = {.type = proto_cstr("test.count"),
                              .id = proto_cstr("a-old"),
                              .unit = proto_cstr(UNIT),
                              .at_ms = AT_MS,
                              .src = proto_cstr("igate-a"),
                              .nm = 1,
                              .m = {{proto_cstr("things"), 90}}};
    assert_int_equal(ingest_lines_replay(st, &old), CCHC_OK);
    struct sources *s = load_sources("igate-a " HASH("a") " dossier.* *\n"
                                                          "igate-b " HASH("b") " dossier.* *\n");
    ingest_lines_set_sources(st, s);
    accounts_are(st, "igate-a:90/90,0/30,1/5,r0;igate-b:0/10,0/30,0/5,r0;");
    const struct source *a = sources_get(s, 0), *b = sources_get(s, 1);
    verdict_is(st, a, LINE("a1", "count", "1"), INGEST_REJECTED, INGEST_WHY_BUDGET, NULL);
    verdict_is(st, b, LINE("b1", "count", "10"), INGEST_ACCEPTED, 0, NULL);
    verdict_is(st, b, LINE("b2", "count", "1"), INGEST_REJECTED, INGEST_WHY_BUDGET,
               "field \"n\": the bound of this service's counter changes is 100 "
               "(METRIC_COUNTERS_MAX, used 100; source igate-b's budget 10, used 10): metric "
               "\"things\" would pass it, and no figure may leave int64; nothing of the record "
               "was taken");
    accounts_are(st, "igate-a:90/90,0/30,1/5,r1;igate-b:10/10,0/30,0/5,r1;");
    ingest_lines_free(st);
    sources_free(s);
}

/* ---- 6. the state on disk ---- */

/* What was committed survives a restart with nothing to replay: the ids
 * (duplicates and conflicts), the metric names, the sums, what each account
 * took, the level histories. What was decided after the last commit (its
 * events never journaled) is gone with the process: those ids are new. */
static void test_state_restart(void **unused)
{
    struct ingest_lines *st = new_lines(&svc);
    char why[512];
    must_accept(st, LINE("c-1", "count", "3"), "c-1");
    must_accept(st, LINE("l-1", "level", "7"), "l-1");
    must_accept(st, "{\"id\":\"n-1\",\"type\":\"named\",\"unit\":\"kg\"," AT ",\"code\":\"a\"}",
                "n-1");
    assert_int_equal(ingest_lines_commit(st, 7, nevents(st), why, sizeof why), CCHC_OK);
    ingest_lines_clear_events(st);
    must_accept(st, LINE("c-2", "count", "4"), "c-2"); /* never committed */
    unsigned names, max;
    uint64_t refused;
    struct ingest_sums sums;
    ingest_lines_names(st, &names, &max, &refused);
    assert_int_equal(names, 3); /* things, headcount, x.a */

    st = reopen_lines(st, &svc);
    assert_int_equal(state_get_u64(db, STATE_META, "epoch", 0), 7);
    assert_int_equal(state_get_u64(db, STATE_META, "next", 0), 3);
    must_be_duplicate(st, LINE("c-1", "count", "3"), "c-1");
    must_conflict(st, LINE("c-1", "count", "5"), "c-1");
    must_be_duplicate(st, LINE("l-1", "level", "7"), "l-1");
    must_accept(st, LINE("c-2", "count", "4"), "c-2");
    ingest_lines_names(st, &names, &max, &refused);
    assert_int_equal(names, 3);
    ingest_lines_sums(st, &sums);
    assert_int_equal(sums.counters, 3 + 1 + 4); /* c-1, n-1, and c-2 now */
    assert_int_equal(sums.levels, 7);
    /* The level in force is the committed one: a later snapshot steps from 7. */
    ingest_lines_clear_events(st);
    must_accept(st,
                "{\"id\":\"l-2\",\"type\":\"level\",\"unit\":\"kg.rachgia.mot-cua\","
                "\"at\":\"2022-03-01T09:30:00+07:00\",\"n\":10}",
                "l-2");
    const struct want_event want[] = {
        {"test.level", "l-2", UNIT, AT_MS + 3600000, 0, 0, "headcount", 3, "headcount", 10},
    };
    events_are(st, want, 1);
    ingest_lines_free(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_good),
        cmocka_unit_test(test_parse_limits),
        cmocka_unit_test(test_parse_bad),
        cmocka_unit_test(test_decide),
        cmocka_unit_test(test_decide_level),
        cmocka_unit_test(test_clear_events),
        cmocka_unit_test(test_replay),
        cmocka_unit_test(test_replay_level),
        cmocka_unit_test(test_metric_names),
        cmocka_unit_test(test_metric_names_replay),
        cmocka_unit_test(test_sources),
        cmocka_unit_test(test_sums),
        cmocka_unit_test(test_legacy_ids),
        cmocka_unit_test(test_budgets),
        cmocka_unit_test(test_budgets_over_share),
        cmocka_unit_test(test_state_restart),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
