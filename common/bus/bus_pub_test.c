/* A publisher refuses a journal that is older than what its durable
 * subscribers have applied (restored from an older copy), and opens one
 * that is not. Real nng sockets on ipc paths in a private folder. */
#include "base/err.h"
#include "bus/bus.h"
#include "bus/journal.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

static char dir[] = "/tmp/cchc-bus-pub-XXXXXX";

/* Opens a publisher on a journal of 10 events whose subscribers file says
 * `acks` (a format of "NAME EPOCH_HEX NEXT" lines, %llx taking the epoch). */
static int open_with(const char *acks_fmt, long long next, char *why, size_t cap)
{
    char jpath[300], apath[300], pub[320], rep[320];
    snprintf(jpath, sizeof jpath, "%s/events.journal", dir);
    snprintf(apath, sizeof apath, "%s/subscribers", dir);
    snprintf(pub, sizeof pub, "ipc://%s/pub", dir);
    snprintf(rep, sizeof rep, "ipc://%s/rep", dir);
    unlink(jpath);
    struct journal *j;
    assert_int_equal(journal_open(jpath, NULL, NULL, &j, why, cap), CCHC_OK);
    for (int i = 0; i < 10; i++)
        assert_int_equal(journal_append(j, (const uint8_t *)"event", 5), CCHC_OK);
    assert_int_equal(journal_sync(j), CCHC_OK);
    FILE *f = fopen(apath, "w");
    assert_non_null(f);
    fprintf(f, acks_fmt, (unsigned long long)journal_epoch(j), next);
    fclose(f);
    struct bus_pub *p = NULL;
    int rc = bus_pub_open("test", pub, rep, j, apath, &p, why, cap);
    bus_pub_close(p);
    journal_close(j);
    unlink(apath);
    return rc;
}

static void test_acks_past_the_journal(void **unused)
{
    char why[512];
    /* up to the end: fine */
    assert_int_equal(open_with("aggregator %llx %lld\n", 10, why, sizeof why), CCHC_OK);
    /* another epoch's position says nothing of this journal */
    assert_int_equal(open_with("aggregator 1%llx %lld\n", 99, why, sizeof why), CCHC_OK);
    /* past the end: the journal lost synced events */
    assert_int_equal(open_with("aggregator %llx %lld\n", 11, why, sizeof why), CCHC_ECORRUPT);
    assert_non_null(strstr(why, "durable subscriber 'aggregator' has applied events up to 11"));
    assert_non_null(strstr(why, "the journal ends at 10"));
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_acks_past_the_journal),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return rc;
}
