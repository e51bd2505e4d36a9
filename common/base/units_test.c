/* The unit registry: a good TSV gives every unit with its level, kind, parent
 * and name; each kind of bad row is refused with "FILE:LINE: what". */
#include "base/units.h"
#include "base/err.h"

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
static char files[64][256];
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
    assert_true(nfiles < 64);
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
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
