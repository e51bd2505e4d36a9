/* The sources file: good lines resolve to scopes, every bad field stops the
 * load naming the file, the line and the field; a token finds its source
 * and only its own; a unit is in scope at its root and below. */
#include "ingest/sources.h"

#include "base/err.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

static const char registry[] = "# id\tlevel\tkind\tname\n"
                               "kg\tprovince\tgovernment\tKG\n"
                               "kg.rachgia\tdistrict\tgovernment\tRG\n"
                               "kg.rachgia.p-vinh-loi\tcommune\tgovernment\tVL\n"
                               "kg.hatien\tdistrict\tgovernment\tHT\n";

static const char *const types[] = {"received", "resolved", "feedback", NULL};

/* Token "a" x 64 and "b" x 64, and their SHA-256 (sha256sum of the text). */
#define TOKEN_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define TOKEN_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define HASH_A "sha256:ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"
#define HASH_B "sha256:a0fab1377f49a759b57f63318262ebe89fabfc990e8e93ceac2984561482b9d4"
#define HASH_C "sha256:0000000000000000000000000000000000000000000000000000000000000001"

static struct units *units;

static int setup(void **unused)
{
    char why[256];
    return units_load_text("test", registry, &units, why, sizeof why);
}

static int teardown(void **unused)
{
    units_free(units);
    return 0;
}

static void test_good(void **unused)
{
    char why[512] = "", text[1024];
    snprintf(text, sizeof text,
             "# name hash posts units\n\n"
             "igate-rg  %s  dossier.received,finance.*  kg.rachgia\n"
             "\thr\t%s\tstaffing.*\t*  \n",
             HASH_A, HASH_B);
    struct sources *s = NULL;
    assert_int_equal(sources_load_text("f", text, units, "dossier", types, &s, why, sizeof why),
                     CCHC_OK);
    assert_int_equal(sources_count(s), 2);
    const struct source *a = sources_check_token(s, TOKEN_A, 64);
    assert_non_null(a);
    assert_string_equal(a->name, "igate-rg");
    assert_true(source_may_type(a, 0));
    assert_false(source_may_type(a, 1));
    assert_false(source_may_type(a, 2));
    int rg = units_find(units, "kg.rachgia", 10),
        vl = units_find(units, "kg.rachgia.p-vinh-loi", 21), kg = units_find(units, "kg", 2),
        ht = units_find(units, "kg.hatien", 9);
    assert_true(source_may_unit(a, units, rg));
    assert_true(source_may_unit(a, units, vl));
    assert_false(source_may_unit(a, units, kg));
    assert_false(source_may_unit(a, units, ht));
    const struct source *b = sources_check_token(s, TOKEN_B, 64);
    assert_non_null(b);
    assert_string_equal(b->name, "hr");
    assert_int_equal(b->types, 0); /* nothing of dossier: a 403 there */
    assert_true(source_may_unit(b, units, kg));
    /* Wrong tokens: another byte, short, long, empty, the hash itself. */
    char t[80];
    snprintf(t, sizeof t, "%s", TOKEN_A);
    t[63] = 'b';
    assert_null(sources_check_token(s, t, 64));
    assert_null(sources_check_token(s, TOKEN_A, 63));
    assert_null(sources_check_token(s, TOKEN_A "a", 65));
    assert_null(sources_check_token(s, "", 0));
    assert_null(sources_check_token(s, &HASH_A[7], 64)); /* the hash is not the token */
    sources_free(s);
}

/* Rotation: two lines of one name and scope, two tokens of one source. */
static void test_rotation(void **unused)
{
    char why[512] = "", text[1024];
    snprintf(text, sizeof text, "rg %s dossier.* kg.rachgia\nrg %s dossier.* kg.rachgia\n", HASH_A,
             HASH_B);
    struct sources *s = NULL;
    assert_int_equal(sources_load_text("f", text, units, "dossier", types, &s, why, sizeof why),
                     CCHC_OK);
    const struct source *a = sources_check_token(s, TOKEN_A, 64),
                        *b = sources_check_token(s, TOKEN_B, 64);
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(a->name, "rg");
    assert_string_equal(b->name, "rg");
    sources_free(s);
}

static void must_fail(const char *line, const char *want)
{
    char why[512] = "", text[1024];
    snprintf(text, sizeof text, "ok %s dossier.* *\n%s\n", HASH_B, line);
    struct sources *s = NULL;
    assert_int_equal(
        sources_load_text("src.txt", text, units, "dossier", types, &s, why, sizeof why),
        CCHC_EINVAL);
    if (!strstr(why, want))
        fail_msg("line [%s]: want [%s], got [%s]", line, want, why);
    assert_null(s);
}

static void test_bad(void **unused)
{
    must_fail("a " HASH_A " dossier.*", "src.txt line 2: want 4 fields");
    must_fail("a " HASH_A " dossier.* * budget=10% extra", "src.txt line 2: want 4 fields");
    must_fail("a " HASH_A " dossier.* * extra", "src.txt line 2 field \"budget\": \"extra\"");
    must_fail("a " HASH_A " dossier.* * budget=0%", "field \"budget\": \"budget=0%\"");
    must_fail("a " HASH_A " dossier.* * budget=101%", "field \"budget\"");
    must_fail("a " HASH_A " dossier.* * budget=50", "field \"budget\"");
    must_fail("a " HASH_A " dossier.* * budget=-5%", "field \"budget\"");
    must_fail("a " HASH_A " dossier.* * budget=99999999999999999999%", "field \"budget\"");
    must_fail("ok " HASH_B " dossier.* * budget=10%", "\"ok\" appears twice with another scope");
    must_fail("a/b " HASH_A " dossier.* *", "src.txt line 2 field \"name\"");
    must_fail("ok " HASH_A " dossier.* kg",
              "src.txt line 2 field \"name\": \"ok\" appears twice with another scope");
    must_fail("ok " HASH_A " dossier.received *", "\"ok\" appears twice with another scope");
    must_fail("a sha1:ffe054fe "
              " dossier.* *",
              "field \"hash\"");
    must_fail(
        "a sha256:FFE054FE7AE0CB6DC65C3AF9B61D5209F439851DB43D0BA5997337DF154668EB dossier.* *",
        "field \"hash\"");
    must_fail("a " HASH_B " dossier.* *", "field \"hash\": the same token as source ok");
    must_fail("a " HASH_A " dossier *", "field \"posts\": \"dossier\": want service.type");
    must_fail("a " HASH_A " bank.* *", "field \"posts\": \"bank.*\": unknown service");
    must_fail("a " HASH_A " dossier.closed *", "dossier takes no record type \"closed\"");
    must_fail("a " HASH_A " dossier.*,, *", "field \"posts\": \"\"");
    must_fail("a " HASH_A " finance.Bad *", "field \"posts\": \"finance.Bad\"");
    must_fail("a " HASH_A " dossier.* kg.nowhere", "field \"units\": \"kg.nowhere\"");
    must_fail("a " HASH_A " dossier.* kg,", "field \"units\": \"\"");
    char why[256];
    struct sources *s = NULL;
    assert_int_equal(
        sources_load_text("empty", "# nothing\n", units, "dossier", types, &s, why, sizeof why),
        CCHC_EINVAL);
    assert_non_null(strstr(why, "no source"));
    assert_int_equal(
        sources_load("/nonexistent/sources", units, "dossier", types, &s, why, sizeof why),
        CCHC_EIO);
}

/* budget=P%: kept; the budgets of the sources that may post to the
 * loading service add up to at most 100% (a rotation's two lines count once). */
static void test_budget(void **unused)
{
    char why[512] = "", text[1024];
    snprintf(text, sizeof text,
             "rg %s dossier.* kg.rachgia budget=60%%\nrg %s dossier.* kg.rachgia budget=60%%\n"
             "hr %s staffing.* * budget=70%%\n",
             HASH_A, HASH_B, HASH_C);
    struct sources *s = NULL;
    assert_int_equal(sources_load_text("f", text, units, "dossier", types, &s, why, sizeof why),
                     CCHC_OK);
    assert_int_equal(sources_count(s), 3);
    assert_int_equal(sources_get(s, 0)->budget_pct, 60);
    assert_int_equal(sources_get(s, 2)->budget_pct, 70); /* hr posts nothing here */
    sources_free(s);
    snprintf(text, sizeof text,
             "rg %s dossier.* kg.rachgia budget=60%%\nall %s dossier.received * budget=41%%\n",
             HASH_A, HASH_B);
    assert_int_equal(sources_load_text("f", text, units, "dossier", types, &s, why, sizeof why),
                     CCHC_EINVAL);
    assert_non_null(
        strstr(why, "the sources that may post to dossier have budget= adding up to 101%"));
    const char *const staffing[] = {"count", NULL};
    assert_int_equal(sources_load_text("f", text, units, "staffing", staffing, &s, why, sizeof why),
                     CCHC_OK); /* neither may post there */
    assert_int_equal(sources_get(s, 0)->types, 0);
    sources_free(s);
    /* 100% to the sources with budget= leaves nothing to one without. */
    snprintf(text, sizeof text,
             "rg %s dossier.* kg.rachgia budget=100%%\nall %s dossier.received *\n", HASH_A,
             HASH_B);
    assert_int_equal(sources_load_text("f", text, units, "dossier", types, &s, why, sizeof why),
                     CCHC_EINVAL);
    assert_non_null(strstr(why, "take 100%, which leaves nothing to the 1 without one"));
    snprintf(text, sizeof text, "rg %s dossier.* kg.rachgia budget=100%%\n", HASH_A);
    assert_int_equal(sources_load_text("f", text, units, "dossier", types, &s, why, sizeof why),
                     CCHC_OK);
    sources_free(s);
}

/* The sources' units against the subtrees the service's bus key speaks for. */
static void test_within(void **unused)
{
    char why[512] = "", text[1024];
    snprintf(text, sizeof text, "rg %s dossier.* kg.rachgia.p-vinh-loi,kg.rachgia\n", HASH_A);
    struct sources *s = NULL;
    assert_int_equal(sources_load_text("f", text, units, "dossier", types, &s, why, sizeof why),
                     CCHC_OK);
    int rachgia = units_find(units, "kg.rachgia", 10), kg = units_find(units, "kg", 2),
        hatien = units_find(units, "kg.hatien", 9);
    assert_int_equal(sources_within(s, units, &rachgia, 1, why, sizeof why), CCHC_OK);
    assert_int_equal(sources_within(s, units, &kg, 1, why, sizeof why), CCHC_OK);
    assert_int_equal(sources_within(s, units, NULL, -1, why, sizeof why), CCHC_OK);
    assert_int_equal(sources_within(s, units, &hatien, 1, why, sizeof why), CCHC_EINVAL);
    assert_non_null(strstr(why, "source rg may post for kg.rachgia.p-vinh-loi,kg.rachgia"));
    sources_free(s);
    /* Every unit is more than any subtree but the whole registry's. */
    snprintf(text, sizeof text, "all %s dossier.* *\n", HASH_B);
    assert_int_equal(sources_load_text("f", text, units, "dossier", types, &s, why, sizeof why),
                     CCHC_OK);
    assert_int_equal(sources_within(s, units, &kg, 1, why, sizeof why), CCHC_EINVAL);
    assert_int_equal(sources_within(s, units, NULL, -1, why, sizeof why), CCHC_OK);
    sources_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good), cmocka_unit_test(test_bad), cmocka_unit_test(test_rotation),
        cmocka_unit_test(test_within), cmocka_unit_test(test_budget)};
    return cmocka_run_group_tests(tests, setup, teardown);
}
