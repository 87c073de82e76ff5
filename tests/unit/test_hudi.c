/* test_hudi.c: the Hudi timeline (hudi.h) from .hoodie/ file names:
 * completed commit, deltacommit and replacecommit instants counted, their
 * .requested and .inflight variants and other actions not, the newest
 * completed one's time (UTC, 14 and 17 digits, Hudi 1.x completion times),
 * bad instant times refused, instant times checked against dates worked
 * out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "collector/formats/hudi.h"

#define N(a) (sizeof(a) / sizeof *(a))

static void read_ok(const char *const *names, size_t n, int64_t want_last, int64_t want_commits) {
    int64_t last = 77, commits = 77;
    char *error = NULL;
    if (!hudi_timeline_read(names, n, &last, &commits, &error))
        fail_msg("refused: %s", error);
    assert_int_equal(commits, want_commits);
    assert_int_equal(last, want_last);
}

static void test_instant_time(void **state) {
    (void)state;
    int64_t t = 0;
    assert_true(hudi_instant_time("19700101000000", 14, &t));
    assert_int_equal(t, 0);
    /* 2024-03-05T14:30:45Z = 1709649045 (date -u -d ...) */
    assert_true(hudi_instant_time("20240305143045", 14, &t));
    assert_int_equal(t, 1709649045);
    assert_true(hudi_instant_time("20240305143045999", 17, &t));
    assert_int_equal(t, 1709649045);
    assert_true(hudi_instant_time("20240229235959", 14, &t)); /* a leap day */
    assert_int_equal(t, 1709251199);
    assert_true(hudi_instant_time("20001231000000", 14, &t));
    assert_int_equal(t, 978220800);
    const char *bad[] = {"20230229000000",
                         "19000229000000",
                         "20241301000000",
                         "20240001000000",
                         "20240100000000",
                         "20240132000000",
                         "20240430120000"
                         "0",
                         "20240101240000",
                         "20240101006000",
                         "20240101000060",
                         "2024010100000",
                         "2024010100000a",
                         "202401010000001",
                         "",
                         "2024-01-01 00:00"};
    for (size_t i = 0; i < N(bad); i++)
        if (hudi_instant_time(bad[i], strlen(bad[i]), &t))
            fail_msg("'%s' was taken for an instant time", bad[i]);
    assert_true(hudi_instant_time("20000229000000", 14, &t)); /* 2000 is a leap year */
}

static void test_completed_commits(void **state) {
    (void)state;
    const char *names[] = {
        "hoodie.properties",
        "20240305143045123.commit",
        "20240305143045123.commit.requested",
        "20240305143045123.inflight",
        "20240306000000000.deltacommit",
        "20240306000000000.deltacommit.requested",
        "20240306000000000.deltacommit.inflight",
        "20240307000000.replacecommit",
        "20240307000000.replacecommit.requested",
        "20240307000000.replacecommit.inflight",
        /* not completed: only requested or inflight, newer */
        "20240308000000000.commit.requested",
        "20240308000000000.inflight",
        "20240309000000000.deltacommit.inflight",
        /* other actions */
        "20240310000000000.clean",
        "20240310000000000.clean.requested",
        "20240311000000000.rollback",
        "20240312000000000.savepoint",
        "20240313000000000.compaction.requested",
        "20240314000000000.restore",
        "20240315000000000.indexing",
        /* subdirectories and hidden files */
        "archived/20200101000000.commit",
        "metadata/.hoodie/20250101000000000.deltacommit",
        ".aux/20250101000000000.commit",
        ".temp",
        ".20250101000000000.commit.crc",
        NULL,
    };
    /* 2024-03-07T00:00:00Z */
    read_ok(names, N(names), 1709769600, 3);
}

static void test_empty_timeline(void **state) {
    (void)state;
    read_ok(NULL, 0, -1, 0);
    const char *names[] = {"hoodie.properties", "20240308000000000.commit.requested"};
    read_ok(names, N(names), -1, 0);
}

static void test_hudi_1x(void **state) {
    (void)state;
    const char *names[] = {
        "hoodie.properties",
        "timeline/20240305143045123_20240305143050000.commit",
        "timeline/20240306000000000_20240306000100999.deltacommit",
        "timeline/20240307000000000.deltacommit.requested",
        "timeline/20240307000000000.deltacommit.inflight",
        "timeline/history/20200101000000000_20200101000000001.commit",
    };
    /* the completion time of the newest: 2024-03-06T00:01:00Z */
    read_ok(names, N(names), 1709683260, 2);
}

static void test_bootstrap_instants(void **state) {
    (void)state;
    const char *names[] = {"00000000000001.commit", "00000000000002.commit",
                           "20240101000000.commit"};
    read_ok(names, N(names), 1704067200, 3);
}

static void test_bad_instant(void **state) {
    (void)state;
    const char *names[] = {"20240101000000.commit", "2024.commit"};
    int64_t last = 77, commits = 77;
    char *error = NULL;
    assert_false(hudi_timeline_read(names, N(names), &last, &commits, &error));
    assert_string_equal(error,
                        ".hoodie/2024.commit: the instant time '2024' is not yyyyMMddHHmmss[SSS]");
    free(error);
    assert_int_equal(last, 77);
    assert_int_equal(commits, 77);
    const char *month13[] = {"20241301000000.deltacommit"};
    assert_false(hudi_timeline_read(month13, 1, &last, &commits, NULL));
    /* a bad time on something that is not a completed commit is no matter */
    const char *other[] = {"2024.commit.requested", "2024.clean", "x.commit",
                           "20240101000000.commit"};
    read_ok(other, N(other), 1704067200, 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_instant_time),       cmocka_unit_test(test_completed_commits),
        cmocka_unit_test(test_empty_timeline),     cmocka_unit_test(test_hudi_1x),
        cmocka_unit_test(test_bootstrap_instants), cmocka_unit_test(test_bad_instant),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
