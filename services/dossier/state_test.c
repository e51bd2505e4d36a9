/* DVCQG dossier records (ingest/dvcqg.h) through the deciding half
 * (ingest/lines.h) of cchc-dossier: every status path, a due date moved
 * after a supplement, the same state twice, states out of order, times
 * either side of midnight UTC and of a merge, and each bad field, with the
 * events each record gives and the reason of each it does not take. */
#include "base/err.h"
#include "base/period.h"
#include "ingest/lines.h"
#include "ingest/state_tmp.h"
#include "service.h"

#include <glib.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

/* Two wards merged into ag.x on 2025-07-01; ag.x keeps kg.a's code. */
static const char registry[] =
    "kg\tprovince\tgovernment\tKG\tto=2025-06-30\tsuccessors=ag\tcode=91\n"
    "kg.a\tcommune\tgovernment\tA\tto=2025-06-30\tcode=100\tsuccessors=ag.x\n"
    "kg.b\tcommune\tgovernment\tB\tto=2025-06-30\tcode=101\tsuccessors=ag.x\n"
    "ag\tprovince\tgovernment\tAG\tfrom=2025-07-01\tcode=89\n"
    "ag.x\tcommune\tgovernment\tX\tfrom=2025-07-01\tcode=100\tmadonvi=000.00.01.H01\n";

struct fixture {
    struct units *units;
    struct ingest_service *svc;
    struct state_db *db;
    char *dir;
    struct ingest_lines *st;
};

static int setup(void **state)
{
    struct fixture *f = g_new0(struct fixture, 1);
    char why[256];
    if (units_load_text("t", registry, &f->units, why, sizeof why) != CCHC_OK)
        fail_msg("%s", why);
    f->svc = cchc_service_new();
    f->db = state_tmp_open(&f->dir);
    f->st = ingest_lines_new(f->svc, f->units, f->db);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    ingest_lines_free(f->st);
    state_tmp_remove(f->db, f->dir);
    cchc_service_free(f->svc);
    units_free(f->units);
    g_free(f);
    return 0;
}

/* The events the last decided line queued, "type@unit@day:metric+metric"
 * separated by spaces. */
static void events(struct ingest_lines *st, GString *out)
{
    const uint8_t *body;
    const size_t *ends;
    uint32_t n = ingest_lines_events(st, &body, &ends);
    for (uint32_t i = 0; i < n; i++) {
        size_t a = i ? ends[i - 1] : 0, off = 0;
        struct proto_event ev;
        char why[128], day[CCHC_DAY_LEN];
        assert_int_equal(proto_event_decode(body + a, ends[i] - a, &off, &ev, why, sizeof why),
                         CCHC_OK);
        cchc_day_format(cchc_day_of_ms(ev.at_ms), day);
        g_string_append_printf(out, "%s%.*s@%.*s@%s", i ? " " : "", (int)ev.type.len, ev.type.p,
                               (int)ev.unit.len, ev.unit.p, day);
        for (uint32_t k = 0; k < ev.nm; k++)
            if (!memchr(ev.m[k].name.p, '.', ev.m[k].name.len)) /* no procedures' names */
                g_string_append_printf(out, "%c%.*s", k ? '+' : ':', (int)ev.m[k].name.len,
                                       ev.m[k].name.p);
        if (ev.outcome.len)
            g_string_append_printf(out, "=%.*s", (int)ev.outcome.len, ev.outcome.p);
    }
    ingest_lines_clear_events(st);
}

/* A DongBoHoSoMC record for dossier D (fields as the portal spells them,
 * any of them "" when unset). */
static char *rec(const char *d, int status, const char *received, const char *due,
                 const char *ended, const char *extra)
{
    return g_strdup_printf("{\"MaHoSo\":\"%s\",\"MaTTHC\":\"1.004227\",\"MaLinhVuc\":\"G09-TP\","
                           "\"KenhThucHien\":\"2\",\"TrangThaiHoSo\":\"%d\","
                           "\"NgayTiepNhan\":\"%s\",\"NgayHenTra\":\"%s\","
                           "\"NgayKetThucXuLy\":\"%s\",\"NgayTra\":\"\"%s}",
                           d, status, received, due, ended, extra ? extra : "");
}

/* Decides text as a DVCQG record sent for madonvi 100: the verdict wanted,
 * then the events it gave (want_events) or the reason (want_why). */
static void decide(struct fixture *f, char *text, enum ingest_verdict want, const char *expect)
{
    struct ingest_line l = {
        .text = text, .n = strlen(text), .lineno = 1, .dvcqg = 1, .madonvi = "100"};
    ingest_line_parse(f->st, &l);
    ingest_line_decide(f->st, &l);
    GString *got = g_string_new(NULL);
    if (l.v == INGEST_REJECTED)
        g_string_append(got, l.why);
    else
        events(f->st, got);
    if (l.v != want || strcmp(got->str, expect) != 0)
        fail_msg("%s:\n verdict %d, want %d\n got  %s\n want %s", text, l.v, want, got->str,
                 expect);
    g_string_free(got, TRUE);
    ingest_line_done(&l);
    g_free(text);
}

#define OK INGEST_ACCEPTED
#define DUP INGEST_DUPLICATE
#define BAD INGEST_REJECTED
#define RCV "dossier.received@kg.a@2025-05-02:received+received_online"

/* 2 -> 4 -> 9 -> 10: received once, resolved once, on time on its due day. */
static void test_done_and_returned(void **state)
{
    struct fixture *f = *state;
    const char *r = "20250502080000", *due = "20250509170000";
    decide(f, rec("H1", 2, r, due, "", NULL), OK, RCV);
    decide(f, rec("H1", 4, r, due, "", NULL), OK, "dossier.state@kg.a@2025-05-02");
    decide(f, rec("H1", 9, r, due, "20250509163000", NULL), OK,
           "dossier.resolved@kg.a@2025-05-09:resolved+resolved_on_time+returned_direct=on_time");
    decide(f, rec("H1", 10, r, due, "20250509163000", ",\"HinhThuc\":\"1\""), OK,
           "dossier.state@kg.a@2025-05-09");
    /* The same state again: a duplicate. */
    decide(f, rec("H1", 9, r, due, "20250509163000", NULL), DUP, "");
}

/* 2 -> 5 -> 4 -> 9, the due date moved after the supplement: judged
 * against the due date in force when it was resolved. */
static void test_supplement_moves_due(void **state)
{
    struct fixture *f = *state;
    const char *r = "20250502080000";
    decide(f, rec("H2", 2, r, "20250505170000", "", NULL), OK, RCV);
    decide(f, rec("H2", 5, r, "20250505170000", "", NULL), OK,
           "dossier.supplement_requested@kg.a@2025-05-02:supplement_requested");
    decide(f, rec("H2", 4, r, "20250512170000", "", NULL), OK, "dossier.state@kg.a@2025-05-02");
    decide(f, rec("H2", 9, r, "20250512170000", "20250508100000", NULL), OK,
           "dossier.resolved@kg.a@2025-05-08:resolved+resolved_early+returned_direct=early");
}

/* 2 -> 7, 3, 2 -> 8, 6: the ends without a result, and what is pending. */
static void test_other_ends(void **state)
{
    struct fixture *f = *state;
    const char *r = "20250502080000", *due = "20250509170000";
    decide(f, rec("H3", 2, r, due, "", NULL), OK, RCV);
    decide(f, rec("H3", 7, r, due, "20250503090000", NULL), OK,
           "dossier.withdrawn@kg.a@2025-05-03:withdrawn");
    decide(f, rec("H4", 3, r, "", "", NULL), OK,
           "dossier.not_accepted@kg.a@2025-05-02:not_accepted");
    decide(f, rec("H5", 2, r, due, "", NULL), OK, RCV);
    decide(f, rec("H5", 8, r, due, "20250510090000", NULL), OK,
           "dossier.stopped@kg.a@2025-05-10:stopped");
    /* First seen waiting for financial obligations: received, and that. */
    decide(f, rec("H6", 6, r, due, "", NULL), OK,
           RCV " dossier.financial_obligation@kg.a@2025-05-02:financial_obligation");
    /* States no dossier passes through both of. */
    decide(f, rec("H3", 9, r, due, "20250504090000", NULL), BAD,
           "field \"TrangThaiHoSo\": 9 (done), but dossier \"H3\" ended already, withdrawn");
    decide(f, rec("H4", 2, r, due, "", NULL), BAD,
           "field \"TrangThaiHoSo\": 2 (accepted), but dossier \"H4\" was not accepted");
    decide(f, rec("H5", 3, r, "", "", NULL), BAD,
           "field \"TrangThaiHoSo\": 3 (not accepted), but dossier \"H5\" was accepted");
}

/* Out of order: the result first, then the states before it, which add
 * nothing; the supplement still counts once. */
static void test_out_of_order(void **state)
{
    struct fixture *f = *state;
    const char *r = "20250502080000", *due = "20250509170000";
    decide(f, rec("H7", 10, r, due, "20250512080000", NULL), OK,
           RCV " dossier.resolved@kg.a@2025-05-12:resolved+resolved_late+returned_direct=late");
    decide(f, rec("H7", 4, r, due, "", NULL), OK, "dossier.state@kg.a@2025-05-02");
    decide(f, rec("H7", 5, r, due, "", NULL), OK,
           "dossier.supplement_requested@kg.a@2025-05-02:supplement_requested");
    decide(f, rec("H7", 2, r, due, "", NULL), OK, "dossier.state@kg.a@2025-05-02");
    decide(f, rec("H7", 9, r, due, "20250512080000", NULL), OK, "dossier.state@kg.a@2025-05-12");
}

/* Local times either side of midnight UTC, and of the merge: received in
 * kg.a on its last day (23:30 local, 16:30 UTC), resolved after it (06:00
 * local on 1 July, 23:00 UTC on 30 June) by ag.x, its successor; code 100
 * is kg.a's until then and ag.x's after. */
static void test_local_days_and_merge(void **state)
{
    struct fixture *f = *state;
    decide(f, rec("H8", 2, "20250630233000", "20250701060000", "", NULL), OK,
           "dossier.received@kg.a@2025-06-30:received+received_online");
    decide(f, rec("H8", 9, "20250630233000", "20250701060000", "20250701060000", NULL), OK,
           "dossier.resolved@ag.x@2025-07-01:resolved+resolved_on_time+returned_direct=on_time");
    /* First seen after the merge, received before it: no unit to count it at. */
    decide(f, rec("H13", 9, "20250630100000", "20250702170000", "20250702090000", NULL), BAD,
           "field \"NgayTiepNhan\": dossier \"H13\" was received on 2025-06-30, when \"ag.x\" was "
           "not valid: send the state it had then, under the unit that received it");
    /* Received after the merge under the same code: ag.x's. */
    decide(f, rec("H9", 2, "20250701000000", "20250704170000", "", NULL), OK,
           "dossier.received@ag.x@2025-07-01:received+received_online");
    /* By DonViXuLy, ahead of madonvi: kg.b's code on its day. */
    decide(f, rec("H10", 2, "20250601080000", "20250604170000", "", ",\"DonViXuLy\":\"101\""), OK,
           "dossier.received@kg.b@2025-06-01:received+received_online");
    decide(f, rec("H11", 2, "20250701080000", "20250704170000", "", ",\"DonViXuLy\":\"101\""), BAD,
           "field \"DonViXuLy\": \"101\" is no unit's code or madonvi on 2025-07-01 (it is "
           "kg.b's until 2025-06-30; its successors: ag.x)");
    /* A name, not a code: passed over for madonvi. */
    decide(f, rec("H12", 2, "20250701080000", "20250704170000", "", ",\"DonViXuLy\":\"UBND X\""),
           OK, "dossier.received@ag.x@2025-07-01:received+received_online");
}

/* Each kind of bad field, named as DVCQG names it. */
static void test_bad_fields(void **state)
{
    struct fixture *f = *state;
    const char *r = "20250502080000", *due = "20250509170000";
    decide(f, g_strdup("{\"MaHoSo\":7}"), BAD, "field \"MaHoSo\": must be a string");
    decide(f, g_strdup("[1]"), BAD, "not a JSON object");
    decide(f, rec("B1", 11, r, due, "", NULL), BAD,
           "field \"TrangThaiHoSo\": not a status of 1..10");
    decide(f, rec("B1", 2, "2025050208000", due, "", NULL), BAD,
           "field \"NgayTiepNhan\": not a time as yyyyMMddHHmmss (local time, UTC+7)");
    decide(f, rec("B1", 2, r, "20250230170000", "", NULL), BAD,
           "field \"NgayHenTra\": not a time as yyyyMMddHHmmss (local time, UTC+7)");
    decide(f, rec("B1", 2, r, "", "", NULL), BAD,
           "field \"NgayHenTra\": missing: status 2 (accepted) needs the due date");
    decide(f, rec("B1", 2, r, "20250501170000", "", NULL), BAD,
           "field \"NgayHenTra\": before the time the dossier was received");
    decide(f, rec("B1", 9, r, due, "", NULL), BAD,
           "field \"NgayKetThucXuLy\": missing: status 9 (done) needs the time processing ended");
    decide(f, rec("B1", 7, r, due, "20250501080000", NULL), BAD,
           "field \"NgayKetThucXuLy\": before the time the dossier was received");
    decide(f, rec("B1", 4, "", due, "20250503080000", NULL), BAD,
           "field \"NgayTiepNhan\": missing: status 4 (in process) needs the time the dossier "
           "was accepted");
    decide(f, rec("B1", 1, "", "", "", NULL), BAD,
           "field \"NgayTiepNhan\": empty, and so are \"NgayKetThucXuLy\" and \"NgayTra\": the "
           "record has no time to count it at");
    decide(f, rec("B1", 2, r, due, "", ",\"KenhThucHien\":\"4\""), BAD,
           "malformed JSON at column 205: duplicate object key near '\"KenhThucHien\"'");
    decide(f, rec("B1", 2, r, due, "", ",\"HinhThuc\":2"), BAD,
           "field \"HinhThuc\": not 0 (at the counter) or 1 (by post)");
    decide(f,
           rec("B1", 2, "20240502080000", "20240509170000", "", ",\"DonViXuLy\":\"000.00.01.H01\""),
           BAD,
           "field \"DonViXuLy\": \"000.00.01.H01\" is no unit's code or madonvi on 2024-05-02 "
           "(it is ag.x's from 2025-07-01)");
    char *t = rec("B1", 2, r, due, "", NULL);
    memcpy(strstr(t, "1.004227"), "1.00422!", 8);
    decide(f, t, BAD, "field \"MaTTHC\": \"1.00422!\" is not a procedure code like 1.004227");
    t = g_strdup(
        "{\"MaHoSo\":\"B1\",\"MaTTHC\":\"1.004227\",\"MaLinhVuc\":\"G09-TP\","
        "\"KenhThucHien\":\"2\",\"TrangThaiHoSo\":\"10\",\"NgayTiepNhan\":\"20250502080000\","
        "\"NgayHenTra\":\"20250509170000\",\"NgayKetThucXuLy\":\"20250503080000\","
        "\"NgayTra\":\"20250503070000\"}");
    decide(f, t, BAD, "field \"NgayTra\": before the time processing ended");
    t = g_strdup("{\"MaHoSo\":\"B1\",\"MaTTHC\":\"1.004227\",\"KenhThucHien\":\"2\","
                 "\"TrangThaiHoSo\":\"1\",\"NgayTiepNhan\":\"20250301080000\"}");
    decide(f, t, BAD, "field \"MaLinhVuc\": missing");
    t = rec("B1", 2, r, due, "", NULL);
    memcpy(strstr(t, "\"2\""), "\"9\"", 3);
    decide(f, t, BAD, "field \"KenhThucHien\": not 1 (direct), 2 (online) or 3 (postal)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_done_and_returned, setup, teardown),
        cmocka_unit_test_setup_teardown(test_supplement_moves_due, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_ends, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_of_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_local_days_and_merge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_fields, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
