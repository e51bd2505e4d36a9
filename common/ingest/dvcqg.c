#include "ingest/dvcqg.h"

#include "base/err.h"
#include "base/period.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* DVCQG's names of the state record's fields. */
static const struct {
    const char *dvcqg, *state;
} names[] = {
    {"MaHoSo", "dossier"},          {"MaTTHC", "procedure"},      {"MaLinhVuc", "field"},
    {"KenhThucHien", "channel"},    {"TrangThaiHoSo", "status"},  {"NgayTiepNhan", "received"},
    {"NgayHenTra", "due"},          {"NgayKetThucXuLy", "ended"}, {"NgayTra", "returned"},
    {"HinhThuc", "return_channel"},
};

const char *dvcqg_field_name(const char *state_field, size_t n)
{
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strlen(names[i].state) == n && memcmp(names[i].state, state_field, n) == 0)
            return names[i].dvcqg;
    return NULL;
}

int dvcqg_envelope(json_t *v, int *is, const char **madonvi, json_t **data, char *why, size_t cap)
{
    *is = json_is_object(v) && json_object_get(v, "data");
    *madonvi = NULL;
    *data = NULL;
    if (!*is)
        return CCHC_OK;
    json_t *s = json_object_get(v, "service"), *u = json_object_get(v, "isUpdating"),
           *m = json_object_get(v, "madonvi");
    const char *sv = json_string_value(s), *uv = json_string_value(u);
    if (!sv || strcmp(sv, "DongBoHoSoMC") != 0) {
        snprintf(why, cap,
                 "field \"service\": %s (an envelope of dossier records has "
                 "\"service\":\"DongBoHoSoMC\")",
                 s ? "not \"DongBoHoSoMC\"" : "missing");
        return CCHC_EINVAL;
    }
    if (u && (!uv || (strcmp(uv, "True") != 0 && strcmp(uv, "False") != 0))) {
        snprintf(why, cap, "field \"isUpdating\": not \"True\" or \"False\"");
        return CCHC_EINVAL;
    }
    if (m && !json_is_null(m) && !json_is_string(m)) {
        snprintf(why, cap, "field \"madonvi\": must be a string");
        return CCHC_EINVAL;
    }
    if (!json_is_array(*data = json_object_get(v, "data"))) {
        snprintf(why, cap, "field \"data\": must be an array of DongBoHoSoMC records");
        return CCHC_EINVAL;
    }
    *madonvi = json_string_value(m);
    return CCHC_OK;
}

/* A small number sent as an integer or as its digits ("4"): 1 with *out,
 * 0 when v is neither. */
static int small_int(json_t *v, long *out)
{
    if (json_is_integer(v)) {
        json_int_t n = json_integer_value(v);
        if (n < 0 || n > 99)
            return 0;
        *out = (long)n;
        return 1;
    }
    const char *s = json_string_value(v);
    if (!s || !*s || strlen(s) > 2 || strspn(s, "0123456789") != strlen(s))
        return 0;
    *out = strtol(s, NULL, 10);
    return 1;
}

/* An absent, null or empty field: not set. */
static int unset(json_t *v)
{
    return !v || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0);
}

/* A time as DVCQG writes it, yyyyMMddHHmmss in local time (UTC+7), into
 * ms and its RFC 3339 form iso (30 bytes). 0: set; 1: unset; -1: bad. */
static int local_time(json_t *v, int64_t *ms, char iso[32])
{
    if (unset(v))
        return 1;
    const char *s = json_string_value(v);
    if (!s || json_string_length(v) != 14 || strspn(s, "0123456789") != 14)
        return -1;
    char buf[40];
    snprintf(buf, sizeof buf, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2s+07:00", s, s + 4, s + 6, s + 8, s + 10,
             s + 12);
    int64_t day;
    char d[CCHC_DAY_LEN];
    memcpy(d, buf, 10);
    d[10] = 0;
    /* cchc_time_parse takes hours to 23 and seconds to 59; the day is checked to be real. */
    if (cchc_day_parse(d, &day) || cchc_time_parse(buf, strlen(buf), ms))
        return -1;
    memcpy(iso, buf, strlen(buf) + 1);
    return 0;
}

static int bad(char *why, size_t cap, const char *field, const char *fmt, const char *v)
{
    int n = snprintf(why, cap, "field \"%s\": ", field);
    if (n > 0 && (size_t)n < cap)
        snprintf(why + n, cap - (size_t)n, fmt, v);
    return CCHC_EINVAL;
}

/* A unit whose code or madonvi s was on some day, or -1: for messages. */
static int code_ever(const struct units *u, const char *s)
{
    for (size_t i = 0; i < units_count(u); i++)
        if (strcmp(units_code(u, (int)i), s) == 0 || strcmp(units_madonvi(u, (int)i), s) == 0)
            return (int)i;
    return -1;
}

/* Why code s of `field` names no unit on day. */
static void no_unit(const struct units *u, const char *field, const char *s, int64_t day, char *why,
                    size_t cap)
{
    char on[CCHC_DAY_LEN], edge[CCHC_DAY_LEN];
    cchc_day_format(day, on);
    int was = code_ever(u, s);
    int n = snprintf(why, cap, "field \"%s\": \"%.64s\" is no unit's code or madonvi on %s", field,
                     s, on);
    if (was < 0 || n < 0 || (size_t)n >= cap)
        return;
    int before = day < units_from(u, was);
    cchc_day_format(before ? units_from(u, was) : units_to(u, was), edge);
    n += snprintf(why + n, cap - (size_t)n, " (it is %s's %s %s", units_id(u, was),
                  before ? "from" : "until", edge);
    const int *succ;
    size_t k = before ? 0 : units_successors(u, was, &succ);
    for (size_t i = 0; i < k && (size_t)n < cap; i++)
        n += snprintf(why + n, cap - (size_t)n, "%s%s",
                      i ? ", " : "; its successors: ", units_id(u, succ[i]));
    if ((size_t)n < cap)
        snprintf(why + n, cap - (size_t)n, ")");
}

/* Of DonViXuLy, the record's madonvi and the envelope's, the first that is
 * a unit's code or madonvi on day: its index, or -1 with why. DonViXuLy
 * may be a name rather than a code: it is passed over unless it is, or
 * was, some unit's code. */
static int find_unit(json_t *rec, const char *env_madonvi, const struct units *u, int64_t day,
                     char *why, size_t cap)
{
    const char *cand[3] = {json_string_value(json_object_get(rec, "DonViXuLy")),
                           json_string_value(json_object_get(rec, "madonvi")), env_madonvi};
    static const char *const field[3] = {"DonViXuLy", "madonvi", "madonvi"};
    for (int i = 0; i < 3; i++) {
        if (!cand[i] || !*cand[i])
            continue;
        int unit = units_find_code(u, cand[i], strlen(cand[i]), day);
        if (unit >= 0)
            return unit;
        if (i == 0 && code_ever(u, cand[i]) < 0)
            continue;
        no_unit(u, field[i], cand[i], day, why, cap);
        return -1;
    }
    if (cand[0] && *cand[0])
        snprintf(why, cap,
                 "field \"DonViXuLy\": \"%.64s\" is no unit's code or madonvi, and no "
                 "\"madonvi\" is sent, in the envelope or in the record",
                 cand[0]);
    else
        snprintf(why, cap,
                 "field \"madonvi\": missing, in the envelope and in the record, and "
                 "\"DonViXuLy\" is empty: the record names no unit");
    return -1;
}

int dvcqg_to_state(json_t *rec, const char *madonvi, const struct units *u, json_t **out, char *why,
                   size_t cap)
{
    *out = NULL;
    if (!json_is_object(rec)) {
        snprintf(why, cap, "not a JSON object");
        return CCHC_EINVAL;
    }
    json_t *v = json_object_get(rec, "MaHoSo");
    const char *code = json_string_value(v);
    if (!code || json_string_length(v) == 0 || json_string_length(v) > DVCQG_MAHOSO_MAX ||
        memchr(code, 0, json_string_length(v))) {
        snprintf(why, cap, "field \"MaHoSo\": %s",
                 !v      ? "missing"
                 : !code ? "must be a string"
                         : "must be 1..100 bytes");
        return CCHC_EINVAL;
    }
    json_t *st = json_object();
    json_object_set_new(st, "type", json_string(DVCQG_TYPE));
    json_object_set_new(st, "dossier", json_string(code));
    /* Checked by the service, under their DVCQG names. */
    const char *copied[][2] = {{"MaTTHC", "procedure"}, {"MaLinhVuc", "field"}};
    for (int i = 0; i < 2; i++)
        if ((v = json_object_get(rec, copied[i][0])))
            json_object_set(st, copied[i][1], v);
    static const char *const channels[] = {NULL, "direct", "online", "postal"};
    long n = 1; /* absent: direct, as national reports count it */
    int rc = CCHC_EINVAL;
    if (!unset(v = json_object_get(rec, "KenhThucHien")) && (!small_int(v, &n) || n < 1 || n > 3)) {
        bad(why, cap, "KenhThucHien", "%s", "not 1 (direct), 2 (online) or 3 (postal)");
        goto out;
    }
    json_object_set_new(st, "channel", json_string(channels[n]));
    if ((v = json_object_get(rec, "TrangThaiHoSo"))) {
        if (!small_int(v, &n) || n < 1 || n > 10) {
            bad(why, cap, "TrangThaiHoSo", "%s", "not a status of 1..10");
            goto out;
        }
        json_object_set_new(st, "status", json_integer(n));
    }
    if (!unset(v = json_object_get(rec, "HinhThuc"))) {
        if (!small_int(v, &n) || n > 1) {
            bad(why, cap, "HinhThuc", "%s", "not 0 (at the counter) or 1 (by post)");
            goto out;
        }
        json_object_set_new(st, "return_channel", json_string(n ? "postal" : "direct"));
    }
    /* The times; the record's own is the latest of the first three: the
     * state it reports, for the unit in force then (a dossier received
     * before a merge is reported after it under the merged unit). */
    static const char *const times[] = {"NgayTiepNhan", "NgayKetThucXuLy", "NgayTra", "NgayHenTra"};
    int64_t at = 0;
    int has_at = 0;
    for (int i = 0; i < 4; i++) {
        int64_t ms;
        char iso[32];
        int t = local_time(json_object_get(rec, times[i]), &ms, iso);
        if (t < 0) {
            bad(why, cap, times[i], "%s", "not a time as yyyyMMddHHmmss (local time, UTC+7)");
            goto out;
        }
        if (t == 0) {
            for (size_t k = 0; k < sizeof names / sizeof *names; k++)
                if (strcmp(names[k].dvcqg, times[i]) == 0)
                    json_object_set_new(st, names[k].state, json_string(iso));
            if (i < 3 && (!has_at || ms > at))
                at = ms, has_at = 1;
        }
    }
    if (!has_at) {
        snprintf(why, cap,
                 "field \"NgayTiepNhan\": empty, and so are \"NgayKetThucXuLy\" and "
                 "\"NgayTra\": the record has no time to count it at");
        goto out;
    }
    int unit = find_unit(rec, madonvi, u, cchc_day_of_ms(at), why, cap);
    if (unit < 0)
        goto out;
    char iso[32];
    cchc_time_format(at, iso, sizeof iso);
    json_object_set_new(st, "unit", json_string(units_id(u, unit)));
    json_object_set_new(st, "at", json_string(iso));
    /* The id: the dossier and a digest of its state, so that the same state
     * sent again is a duplicate and any change is a new record. */
    char *canon = json_dumps(st, JSON_COMPACT | JSON_SORT_KEYS);
    uint8_t dg[8];
    char hex[17], id[8 + DVCQG_MAHOSO_MAX + 20];
    crypto_generichash(dg, sizeof dg, (const unsigned char *)canon, strlen(canon), NULL, 0);
    free(canon);
    sodium_bin2hex(hex, sizeof hex, dg, sizeof dg);
    snprintf(id, sizeof id, "dvcqg:%s:%s", code, hex);
    json_object_set_new(st, "id", json_string(id));
    *out = st;
    return CCHC_OK;
out:
    json_decref(st);
    return rc;
}
