/* The unit registry: a good TSV gives every unit with its level, kind, parent
 * and name; each kind of bad row is refused with "FILE:LINE: what". */
#include "base/units.h"
#include "base/err.h"
#include "base/period.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

static char dir[] = "/tmp/cchc-units-XXXXXX";
static char files[128][256];
static int nfiles;

static int setup(void **unused)
{
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **unused)
{
    for (int i = 0; i < nfiles; i++)
        unlink(files[i]);
    return rmdir(dir);
}

/* A new file in the private folder holding text; its path stays valid. */
static const char *tsv(const char *text)
{
    assert_true(nfiles < 128);
    char *path = files[nfiles++];
    snprintf(path, sizeof files[0], "%s/units-XXXXXX", dir);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t len = strlen(text);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    assert_int_equal(close(fd), 0);
    return path;
}

static struct units *must_load(const char *text)
{
    const char *path = tsv(text);
    struct units *u = NULL;
    char why[512] = "";
    int rc = units_load(path, &u, why, sizeof why);
    if (rc != CCHC_OK)
        fail_msg("must_load: rc %d: %s", rc, why);
    assert_non_null(u);
    return u;
}

/* want is what follows "FILE:" in the message: "LINE: what", or "what" for
 * the whole file. */
static void must_not_load(const char *text, int rc_want, const char *want)
{
    const char *path = tsv(text);
    struct units *u = (struct units *)&u; /* must stay untouched */
    char why[512] = "", full[1024];
    int rc = units_load(path, &u, why, sizeof why);
    snprintf(full, sizeof full, "%s:%s", path, want);
    if (rc != rc_want)
        fail_msg("must_not_load '%s': rc %d (%s), want %d", text, rc, why, rc_want);
    assert_ptr_equal(u, (struct units *)&u);
    if (strcmp(why, full) != 0)
        fail_msg("must_not_load '%s':\n  got  '%s'\n  want '%s'", text, why, full);
}

static const char good[] = "# cchc unit registry: id<TAB>level<TAB>kind<TAB>name\n"
                           "\n"
                           "kg\tprovince\tgovernment\tTỉnh Kiên Giang\n"
                           "kg.rachgia\tdistrict\tgovernment\tUBND thành phố Rạch Giá\n"
                           "kg.rachgia.mot-cua\tdistrict\tagency\tBộ phận một cửa\n"
                           "# a comment between rows\n"
                           "kg.rachgia.p-vinh-thanh\tcommune\tgovernment\tPhường Vĩnh Thanh\r\n"
                           "kg.rachgia.p-vinh-thanh.truong-1\tcommune\tservice-unit\tTrường 1\n"
                           "kg.so-noi-vu\tprovince\tagency\tSở Nội vụ\n"
                           "hg\tprovince\tgovernment\tTỉnh Hậu Giang"; /* no final newline */

static void test_good(void **unused)
{
    struct units *u = must_load(good);
    assert_int_equal(units_count(u), 7);
    static const struct {
        const char *id, *name, *parent;
        enum unit_level level;
        enum unit_kind kind;
    } want[] = {
        {"kg", "Tỉnh Kiên Giang", NULL, UNIT_PROVINCE, UNIT_GOVERNMENT},
        {"kg.rachgia", "UBND thành phố Rạch Giá", "kg", UNIT_DISTRICT, UNIT_GOVERNMENT},
        {"kg.rachgia.mot-cua", "Bộ phận một cửa", "kg.rachgia", UNIT_DISTRICT, UNIT_AGENCY},
        {"kg.rachgia.p-vinh-thanh", "Phường Vĩnh Thanh", "kg.rachgia", UNIT_COMMUNE,
         UNIT_GOVERNMENT},
        {"kg.rachgia.p-vinh-thanh.truong-1", "Trường 1", "kg.rachgia.p-vinh-thanh", UNIT_COMMUNE,
         UNIT_SERVICE_UNIT},
        {"kg.so-noi-vu", "Sở Nội vụ", "kg", UNIT_PROVINCE, UNIT_AGENCY},
        {"hg", "Tỉnh Hậu Giang", NULL, UNIT_PROVINCE, UNIT_GOVERNMENT},
    };
    for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
        int i = units_find(u, want[k].id, strlen(want[k].id));
        assert_int_equal(i, (int)k); /* indices in file order */
        assert_string_equal(units_id(u, i), want[k].id);
        assert_string_equal(units_name(u, i), want[k].name);
        assert_int_equal(units_level(u, i), want[k].level);
        assert_int_equal(units_kind(u, i), want[k].kind);
        int p = units_parent(u, i);
        if (want[k].parent)
            assert_int_equal(p, units_find(u, want[k].parent, strlen(want[k].parent)));
        else
            assert_int_equal(p, -1);
    }
    /* A length into a longer buffer, not NUL-terminated. */
    const char buf[] = "kg.rachgia.mot-cua|junk";
    assert_int_equal(units_find(u, buf, 2), 0);
    assert_int_equal(units_find(u, buf, 10), 1);
    assert_int_equal(units_find(u, buf, 18), 2);
    assert_int_equal(units_find(u, buf, 19), -1);
    assert_int_equal(units_find(u, buf, 1), -1);
    assert_int_equal(units_find(u, buf, 0), -1);
    assert_int_equal(units_find(u, "kg.rachgiaX", 11), -1);
    char longer[UNIT_ID_MAX + 10];
    memset(longer, 'a', sizeof longer);
    assert_int_equal(units_find(u, longer, sizeof longer), -1);
    assert_string_equal(unit_level_name(UNIT_COMMUNE), "commune");
    assert_string_equal(unit_kind_name(UNIT_SERVICE_UNIT), "service-unit");
    units_free(u);
    units_free(NULL);
}

/* The longest id allowed, and every character allowed. */
static void test_id_limits(void **unused)
{
    char text[1024], id[UNIT_ID_MAX + 1];
    memset(id, 'a', UNIT_ID_MAX);
    id[UNIT_ID_MAX] = 0;
    snprintf(text, sizeof text,
             "a\tprovince\tgovernment\tA\n"
             "%s\tprovince\tgovernment\tLong\n"
             "a.z-09.x\tdistrict\tagency\tB\n",
             id);
    /* a.z-09.x needs its parent a.z-09 */
    const char *path = tsv(text);
    struct units *u;
    char why[512];
    assert_int_equal(units_load(path, &u, why, sizeof why), CCHC_EINVAL);
    snprintf(text, sizeof text,
             "a\tprovince\tgovernment\tA\n"
             "%s\tprovince\tgovernment\tLong\n"
             "a.z-09\tdistrict\tagency\tB\n"
             "a.z-09.0-9\tcommune\tagency\tC\n",
             id);
    u = must_load(text);
    assert_int_equal(units_count(u), 4);
    assert_int_equal(units_find(u, id, UNIT_ID_MAX), 1);
    assert_int_equal(units_parent(u, 3), 2);
    assert_int_equal(units_parent(u, 2), 0);
    units_free(u);

    /* 15 ancestors at most: a chain of 16 units loads, one more does not */
    char chain[UNIT_DEPTH_MAX + 2][64];
    size_t len = 0;
    text[0] = 0;
    for (int i = 0; i <= UNIT_DEPTH_MAX; i++) {
        snprintf(chain[i], sizeof chain[i], "%s%s%c", i ? chain[i - 1] : "", i ? "." : "", 'a' + i);
        len +=
            (size_t)snprintf(text + len, sizeof text - len, "%s\tdistrict\tagency\tU\n", chain[i]);
        if (i == UNIT_DEPTH_MAX - 1) {
            u = must_load(text);
            assert_int_equal(units_count(u), UNIT_DEPTH_MAX);
            units_free(u);
        }
    }
    assert_int_equal(units_load(tsv(text), &u, why, sizeof why), CCHC_EINVAL);
    assert_non_null(strstr(why, "has 16 ancestors, at most 15"));
}

#define ROOT "kg\tprovince\tgovernment\tTỉnh\n"
#define BADID " (lower-case ASCII, digits, '-', dots)"

static const struct {
    const char *text, *want;
} bad_rows[] = {
    /* missing columns */
    {"kg\tprovince\tgovernment\n", "1: want id<TAB>level<TAB>kind<TAB>name"},
    {"kg\tprovince\n", "1: want id<TAB>level<TAB>kind<TAB>name"},
    {"kg\n", "1: want id<TAB>level<TAB>kind<TAB>name"},
    {" \n", "1: want id<TAB>level<TAB>kind<TAB>name"},
    {"kg province government Tỉnh\n", "1: want id<TAB>level<TAB>kind<TAB>name"},
    /* the line counts comments and blank lines */
    {"# registry\n\n" ROOT "kg.a\tdistrict\tagency\n", "4: want id<TAB>level<TAB>kind<TAB>name"},
    /* level */
    {"kg\tregion\tgovernment\tX\n", "1: level 'region' is not province, district or commune"},
    {"kg\tProvince\tgovernment\tX\n", "1: level 'Province' is not province, district or commune"},
    {"kg\t\tgovernment\tX\n", "1: level '' is not province, district or commune"},
    {ROOT "kg.a\tdistrict \tagency\tX\n",
     "2: level 'district ' is not province, district or commune"},
    /* kind */
    {"kg\tprovince\tministry\tX\n", "1: kind 'ministry' is not government, agency or service-unit"},
    {"kg\tprovince\tservice_unit\tX\n",
     "1: kind 'service_unit' is not government, agency or service-unit"},
    {"kg\tprovince\t\tX\n", "1: kind '' is not government, agency or service-unit"},
    /* id characters */
    {"KG\tprovince\tgovernment\tX\n", "1: bad unit id 'KG'" BADID},
    {"k_g\tprovince\tgovernment\tX\n", "1: bad unit id 'k_g'" BADID},
    {"k g\tprovince\tgovernment\tX\n", "1: bad unit id 'k g'" BADID},
    {"kg/a\tprovince\tgovernment\tX\n", "1: bad unit id 'kg/a'" BADID},
    {"kiên\tprovince\tgovernment\tX\n", "1: bad unit id 'kiên'" BADID},
    {"\tprovince\tgovernment\tX\n", "1: bad unit id ''" BADID},
    /* dots */
    {ROOT "kg..a\tdistrict\tagency\tX\n", "2: bad unit id 'kg..a'" BADID},
    {ROOT ".kg\tdistrict\tagency\tX\n", "2: bad unit id '.kg'" BADID},
    {ROOT "kg.\tdistrict\tagency\tX\n", "2: bad unit id 'kg.'" BADID},
    {ROOT ".\tdistrict\tagency\tX\n", "2: bad unit id '.'" BADID},
    /* too long: see test_too_long */
    /* listed twice */
    {ROOT "kg\tprovince\tgovernment\tAgain\n", "2: unit 'kg' listed twice"},
    {ROOT "kg.a\tdistrict\tagency\tX\n# c\nkg.a\tdistrict\tagency\tX\n",
     "4: unit 'kg.a' listed twice"},
    /* parent not listed before */
    {"kg.rachgia\tdistrict\tgovernment\tX\n",
     "1: parent 'kg' of 'kg.rachgia' is not listed before it"},
    {"kg.a\tdistrict\tagency\tX\n" ROOT, "1: parent 'kg' of 'kg.a' is not listed before it"},
    {ROOT "kg.a.b\tcommune\tagency\tX\n", "2: parent 'kg.a' of 'kg.a.b' is not listed before it"},
    {ROOT "k.a\tdistrict\tagency\tX\n", "2: parent 'k' of 'k.a' is not listed before it"},
    /* no units */
    {"", " no units"},
    {"# only a comment\n\n\r\n", " no units"},
};

/* The registry over time: two-tier reform of a city's wards into a
 * province of communes, with a split, a move of parent and codes. */
static const char dated[] =
    "kg\tprovince\tgovernment\tTỉnh Kiên Giang\tto=2025-06-30\tsuccessors=ag\tcode=91\n"
    "kg.rg\tdistrict\tgovernment\tThành phố Rạch Giá\tto=2025-06-30\tsuccessors=ag\n"
    "kg.rg.p-a\tcommune\tgovernment\tPhường A\tto=2025-06-30\tsuccessors=ag.p-rg\tcode=30001\n"
    "kg.rg.p-b\tcommune\tgovernment\tPhường B\tto=2025-06-30\tsuccessors=ag.p-rg\tcode=30002\n"
    "kg.rg.x-c\tcommune\tgovernment\tXã C\tto=2025-06-30\tsuccessors=ag.p-rg,ag.p-vt\t"
    "history=ag.p-vt\n"
    "kg.rg.x-d\tcommune\tgovernment\tXã D\tparent=kg@2024-01-01\tto=2025-06-30\t"
    "successors=ag.p-vt\n"
    "kg.so-nv\tprovince\tagency\tSở Nội vụ\tmadonvi=000.00.12.H33\tto=2025-06-30\n"
    "ag\tprovince\tgovernment\tTỉnh An Giang\tfrom=2025-07-01\tcode=89\n"
    "ag.p-rg\tcommune\tgovernment\tPhường Rạch Giá\tfrom=2025-07-01\tcode=30001\n"
    "ag.p-vt\tcommune\tgovernment\tPhường Vĩnh Thông\tfrom=2025-07-01\n"
    "ag.so-nv\tprovince\tagency\tSở Nội vụ\tfrom=2025-07-01\tmadonvi=000.00.12.H33\n";

static int64_t day(const char *s)
{
    int64_t d;
    assert_int_equal(cchc_day_parse(s, &d), CCHC_OK);
    return d;
}

static int id(const struct units *u, const char *s)
{
    int i = units_find(u, s, strlen(s));
    if (i < 0)
        fail_msg("no unit %s", s);
    return i;
}

static void test_dated(void **unused)
{
    struct units *u = must_load(dated);
    assert_int_equal(units_count(u), 11);
    int kg = id(u, "kg"), rg = id(u, "kg.rg"), a = id(u, "kg.rg.p-a"), c = id(u, "kg.rg.x-c"),
        d = id(u, "kg.rg.x-d"), ag = id(u, "ag"), prg = id(u, "ag.p-rg"), pvt = id(u, "ag.p-vt");
    /* validity, both ends inclusive, open ends */
    assert_true(units_from(u, kg) == UNIT_DAY_FIRST);
    assert_true(units_to(u, kg) == day("2025-06-30"));
    assert_true(units_from(u, ag) == day("2025-07-01"));
    assert_true(units_to(u, ag) == UNIT_DAY_LAST);
    assert_true(units_valid_on(u, a, day("2025-06-30")));
    assert_false(units_valid_on(u, a, day("2025-07-01")));
    assert_false(units_valid_on(u, prg, day("2025-06-30")));
    assert_true(units_valid_on(u, prg, day("2025-07-01")));
    /* the two-tier system: a commune right under its province */
    assert_int_equal(units_parent(u, prg), ag);
    assert_int_equal(units_level(u, prg), UNIT_COMMUNE);
    /* a parent that changes on a date */
    assert_int_equal(units_parent(u, d), rg);
    assert_int_equal(units_parent_on(u, d, day("2023-12-31")), rg);
    assert_int_equal(units_parent_on(u, d, day("2024-01-01")), kg);
    assert_int_equal(units_parent_on(u, d, day("2025-06-30")), kg);
    assert_int_equal(units_parent_on(u, a, day("2025-06-30")), rg);
    /* successors and the one that takes the history */
    const int *succ;
    assert_int_equal(units_successors(u, a, &succ), 1);
    assert_int_equal(succ[0], prg);
    assert_int_equal(units_heir(u, a), prg);
    assert_int_equal(units_successors(u, c, &succ), 2);
    assert_int_equal(succ[0], prg);
    assert_int_equal(succ[1], pvt);
    assert_int_equal(units_heir(u, c), pvt);
    assert_int_equal(units_successors(u, ag, &succ), 0);
    assert_int_equal(units_heir(u, ag), -1);
    /* codes: one code, two units at different times */
    assert_string_equal(units_code(u, a), "30001");
    assert_string_equal(units_code(u, pvt), "");
    assert_int_equal(units_find_code(u, "30001", 5, day("2025-06-30")), a);
    assert_int_equal(units_find_code(u, "30001", 5, day("2025-07-01")), prg);
    assert_int_equal(units_find_code(u, "30001x", 5, day("2025-07-01")), prg);
    assert_int_equal(units_find_code(u, "30003", 5, day("2025-07-01")), -1);
    assert_int_equal(units_find_code(u, "000.00.12.H33", 13, day("2022-01-01")), id(u, "kg.so-nv"));
    assert_int_equal(units_find_code(u, "000.00.12.H33", 13, day("2026-01-01")), id(u, "ag.so-nv"));
    assert_string_equal(units_madonvi(u, id(u, "ag.so-nv")), "000.00.12.H33");
    units_free(u);
}

#define KG "kg\tprovince\tgovernment\tTỉnh\tto=2025-06-30\n"
#define AG "ag\tprovince\tgovernment\tTỉnh\tfrom=2025-07-01\n"

static const struct {
    const char *text, *want;
} bad_dated[] = {
    {"kg\tprovince\tgovernment\tX\tfrom\n",
     "1: column 'from' is not key=value (from, to, code, madonvi, parent, successors, history)"},
    {"kg\tprovince\tgovernment\tX\tsince=2025-01-01\n",
     "1: unknown column 'since' (from, to, code, madonvi, parent, successors, history)"},
    {"kg\tprovince\tgovernment\tX\tfrom=2025-02-30\n",
     "1: from: '2025-02-30' is not a date YYYY-MM-DD"},
    {"kg\tprovince\tgovernment\tX\tto=\n", "1: to: '' is not a date YYYY-MM-DD"},
    {"kg\tprovince\tgovernment\tX\tfrom=2025-07-01\tto=2025-06-30\n",
     "1: unit 'kg' ends (to=2025-06-30) before it starts (from=2025-07-01)"},
    {"kg\tprovince\tgovernment\tX\tcode=9 1\n",
     "1: code: '9 1' is not a code (printable ASCII, no spaces, at most 64 bytes)"},
    {"kg\tprovince\tgovernment\tX\tmadonvi=\n",
     "1: madonvi: '' is not a code (printable ASCII, no spaces, at most 64 bytes)"},
    /* a successor that does not exist, or is not there the day after */
    {KG "kg.a\tcommune\tgovernment\tX\tto=2025-06-30\tsuccessors=ag.b\n",
     "2: successor 'ag.b' of 'kg.a' is not in the registry"},
    {KG AG "kg.a\tcommune\tgovernment\tX\tto=2025-06-30\tsuccessors=ag.b\n"
           "ag.b\tcommune\tgovernment\tX\tfrom=2025-07-02\n",
     "3: successor 'ag.b' of 'kg.a' is not valid on 2025-07-01, the day after 'kg.a' ends"},
    {KG "kg.a\tcommune\tgovernment\tX\tsuccessors=kg\n",
     "2: 'kg.a' has successors but no last day (to=)"},
    {KG "kg.a\tcommune\tgovernment\tX\tto=2025-06-30\tsuccessors=kg.a\n",
     "2: 'kg.a' is its own successor"},
    {KG "kg.a\tcommune\tgovernment\tX\tto=2025-06-30\tsuccessors=kg..b\n",
     "2: successors: 'kg..b' is not unit ids separated by commas"},
    /* a split names the successor that takes the history */
    {KG AG "kg.a\tcommune\tgovernment\tX\tto=2025-06-30\tsuccessors=ag.b,ag.c\n"
           "ag.b\tcommune\tgovernment\tB\tfrom=2025-07-01\n"
           "ag.c\tcommune\tgovernment\tC\tfrom=2025-07-01\n",
     "3: 'kg.a' is split into 2 successors: history= must name the one that takes its history"},
    {KG AG "kg.a\tcommune\tgovernment\tX\tto=2025-06-30\tsuccessors=ag.b\thistory=ag\n"
           "ag.b\tcommune\tgovernment\tB\tfrom=2025-07-01\n",
     "3: history 'ag' of 'kg.a' is not one of its successors"},
    {KG "kg.a\tcommune\tgovernment\tX\thistory=ag.b,ag.c\n",
     "2: history: 'ag.b,ag.c' is not one unit id"},
    /* parents over time */
    {KG "kg.a\tcommune\tgovernment\tX\tparent=kg.b@2024-01-01\n",
     "2: parent 'kg.b' of 'kg.a' is not in the registry"},
    {KG "kg.a\tcommune\tgovernment\tX\tparent=kg\n",
     "2: parent: 'kg' is not UNIT@YYYY-MM-DD (the parent from that day on)"},
    {KG "kg.b\tdistrict\tgovernment\tB\tto=2025-06-30\n"
        "kg.a\tcommune\tgovernment\tX\tto=2025-06-30\tparent=kg.b@2024-01-01\t"
        "parent=kg@2024-01-01\n",
     "3: 'kg.a' has two parents on 2024-01-01"},
    {KG "kg.a\tcommune\tgovernment\tX\tfrom=2024-01-01\tto=2025-06-30\tparent=kg@2024-01-01\n",
     "2: parent 'kg' of 'kg.a' from 2024-01-01: not within the unit's validity after its first "
     "day"},
    /* a cycle: a moves under its own child */
    {"r\tprovince\tgovernment\tR\n"
     "r.a\tdistrict\tgovernment\tA\tparent=r.a.b@2024-01-01\n"
     "r.a.b\tcommune\tgovernment\tB\n",
     "2: 'r.a' is its own ancestor on 2024-01-01 (a cycle of parents)"},
    /* a parent valid for less time than its child */
    {KG "kg.a\tcommune\tgovernment\tX\n", "2: parent 'kg' of 'kg.a' is not valid on 2025-07-01"},
    {AG "ag.a\tcommune\tgovernment\tX\tfrom=2025-06-01\n",
     "2: parent 'ag' of 'ag.a' is not valid on 2025-06-01"},
    /* overlapping validity: one code, two units on one day */
    {KG AG "kg.a\tcommune\tgovernment\tX\tto=2025-06-30\tcode=30001\n"
           "ag.a\tcommune\tgovernment\tX\tfrom=2025-06-30\tcode=30001\n",
     "4: parent 'ag' of 'ag.a' is not valid on 2025-06-30"},
    {KG AG "kg.a\tcommune\tgovernment\tX\tto=2025-06-30\tcode=30001\n"
           "ag.a\tcommune\tgovernment\tX\tfrom=2025-07-01\tcode=30001\n"
           "ag.b\tcommune\tgovernment\tX\tfrom=2025-07-01\tcode=30001\n",
     "5: code '30001' of 'ag.b' is also 'ag.a''s (line 4) on days both are valid"},
    /* a madonvi is looked up with the codes: it must not be another's code */
    {KG "kg.a\tcommune\tgovernment\tX\tcode=30001\tto=2025-06-30\n"
        "kg.b\tcommune\tagency\tX\tmadonvi=30001\tto=2025-06-30\n",
     "3: madonvi '30001' of 'kg.b' is also 'kg.a''s (line 2) on days both are valid"},
};

static void test_bad_dated(void **unused)
{
    for (size_t i = 0; i < sizeof bad_dated / sizeof *bad_dated; i++)
        must_not_load(bad_dated[i].text, CCHC_EINVAL, bad_dated[i].want);
}

/* units_check names every problem, each with its line; 0 for a good file. */
static void test_check_all(void **unused)
{
    char out[4096];
    FILE *f = fmemopen(out, sizeof out, "w");
    assert_non_null(f);
    const char *path = tsv(KG "kg.a\tcommune\tgovernment\tX\tto=2025-06-30\tsuccessors=ag.b\n"
                              "kg.b\tregion\tgovernment\tX\n"
                              "kg.c\tcommune\tgovernment\tX\tto=2025-06-30\tcolour=red\n");
    assert_int_equal(units_check(path, f), 3);
    assert_int_equal(units_check(tsv(dated), f), 0);
    fclose(f);
    char want[2048];
    snprintf(want, sizeof want,
             "%s:3: level 'region' is not province, district or commune\n"
             "%s:4: unknown column 'colour' (from, to, code, madonvi, parent, successors, "
             "history)\n"
             "%s:2: successor 'ag.b' of 'kg.a' is not in the registry\n",
             path, path, path);
    assert_string_equal(out, want);
    char missing[300];
    snprintf(missing, sizeof missing, "%s/none.tsv", dir);
    f = fmemopen(out, sizeof out, "w");
    assert_int_equal(units_check(missing, f), -1);
    fclose(f);
}

static void test_bad_rows(void **unused)
{
    for (size_t i = 0; i < sizeof bad_rows / sizeof *bad_rows; i++)
        must_not_load(bad_rows[i].text, CCHC_EINVAL, bad_rows[i].want);
}

static void test_too_long(void **unused)
{
    char text[1024], id[UNIT_ID_MAX + 2], want[512];
    memset(id, 'a', UNIT_ID_MAX + 1);
    id[UNIT_ID_MAX + 1] = 0;
    snprintf(text, sizeof text, ROOT "%s\tprovince\tgovernment\tX\n", id);
    snprintf(want, sizeof want, "2: bad unit id '%s'" BADID, id);
    must_not_load(text, CCHC_EINVAL, want);
    /* a child whose own id is too long, under a parent that is listed */
    memcpy(id, "kg.", 3);
    snprintf(text, sizeof text, ROOT "%s\tdistrict\tagency\tX\n", id);
    snprintf(want, sizeof want, "2: bad unit id '%s'" BADID, id);
    must_not_load(text, CCHC_EINVAL, want);
}

static void test_missing_file(void **unused)
{
    char path[300], why[512], want[400];
    snprintf(path, sizeof path, "%s/no-such-file.tsv", dir);
    struct units *u = (struct units *)&u;
    assert_int_equal(units_load(path, &u, why, sizeof why), CCHC_EIO);
    assert_ptr_equal(u, (struct units *)&u);
    snprintf(want, sizeof want, "%s: cannot open unit registry", path);
    assert_string_equal(why, want);
}

/* The registry a program loads by default is a good one. */
static void test_default_registry(void **unused)
{
    struct units *u;
    char why[512] = "";
    int rc = units_load(units_default_path(), &u, why, sizeof why);
    if (rc)
        fail_msg("%s: rc %d: %s", units_default_path(), rc, why);
    assert_true(units_count(u) > 1);
    int kg = units_find(u, "kg", 2);
    assert_true(kg >= 0);
    assert_int_equal(units_parent(u, kg), -1);
    assert_int_equal(units_level(u, kg), UNIT_PROVINCE);
    units_free(u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),         cmocka_unit_test(test_id_limits),
        cmocka_unit_test(test_bad_rows),     cmocka_unit_test(test_too_long),
        cmocka_unit_test(test_missing_file), cmocka_unit_test(test_default_registry),
        cmocka_unit_test(test_dated),        cmocka_unit_test(test_bad_dated),
        cmocka_unit_test(test_check_all),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
