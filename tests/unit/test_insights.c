/* test_insights.c: the usual interval between arrivals (daily, weekly,
 * too few), anomalies (a spike on a steady table, a weekly table's normal
 * arrival, a quiet day, too little history) and small files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "collector/figures/insights.h"

#define DAY0 20000
#define T(day) ((int64_t)(DAY0 + (day)) * 86400)

/* n days; data arrives every `every` days at 02:00, `grow` bytes each time */
static history_sample *series(size_t n, int every, int64_t grow) {
    history_sample *h = calloc(n, sizeof *h);
    int64_t bytes = 1000000, newest = -1;
    for (size_t i = 0; i < n; i++) {
        if (i % (size_t)every == 0) {
            bytes += grow;
            newest = T(i) + 7200;
        }
        h[i] = (history_sample){
            .day = DAY0 + (int32_t)i, .bytes = bytes, .objects = 1, .newest_object = newest};
    }
    return h;
}

static void test_usual_interval(void **state) {
    (void)state;
    history_sample *h = series(30, 1, 5000);
    assert_int_equal(insights_usual_interval(h, 30), 86400);
    free(h);
    h = series(60, 7, 5000);
    assert_int_equal(insights_usual_interval(h, 60), 7 * 86400);
    /* three arrivals are not enough to know */
    assert_int_equal(insights_usual_interval(h, 15), -1);
    free(h);
    h = series(5, 1, 0);
    for (size_t i = 0; i < 5; i++)
        h[i].newest_object = -1; /* an empty table */
    assert_int_equal(insights_usual_interval(h, 5), -1);
    free(h);
}

static void test_anomaly(void **state) {
    (void)state;
    int64_t g = 0;
    /* steady 5000 a day with a little noise: a normal day is not flagged */
    history_sample *h = series(40, 1, 5000);
    for (size_t i = 1; i < 40; i++)
        h[i].bytes += (int64_t)(i % 3) * 200;
    assert_false(insights_anomaly(h, 40, INSIGHTS_MAD_K, &g));
    /* today 50 times as much */
    h[39].bytes = h[38].bytes + 250000;
    assert_true(insights_anomaly(h, 40, INSIGHTS_MAD_K, &g));
    assert_int_equal(g, 250000);
    /* a tolerant k lets it pass */
    assert_false(insights_anomaly(h, 40, 300.0, &g));
    /* today's data shrank by a lot */
    h[39].bytes = h[38].bytes - 500000;
    assert_true(insights_anomaly(h, 40, INSIGHTS_MAD_K, &g));
    /* nothing today: late, maybe, but not an anomaly */
    h[39].bytes = h[38].bytes;
    assert_false(insights_anomaly(h, 40, INSIGHTS_MAD_K, &g));
    /* too little history */
    assert_false(insights_anomaly(h, 6, INSIGHTS_MAD_K, &g));
    free(h);
    /* a weekly table on its arrival day: usual */
    h = series(57, 7, 70000);
    assert_false(insights_anomaly(h, 57, INSIGHTS_MAD_K, &g));
    assert_int_equal(g, 70000);
    free(h);
}

static void test_small_files(void **state) {
    (void)state;
    const int64_t many = INSIGHTS_SMALL_FILES, small = INSIGHTS_SMALL_AVG;
    assert_true(insights_small_files(3000, 3000 * 1024, many, small));
    assert_false(insights_small_files(1000, 1000 * 1024, many, small)); /* not over 1,000 */
    assert_false(insights_small_files(5000, 5000 * INSIGHTS_SMALL_AVG, many, small));
    assert_false(insights_small_files(-1, -1, many, small));
    assert_false(insights_small_files(0, 0, many, small));
    /* configured: 100 files under 4 KiB */
    assert_true(insights_small_files(101, 101 * 1024, 100, 4096));
    assert_false(insights_small_files(101, 101 * 8192, 100, 4096));
}

/* issue 13: waste past both the share of the live size and the bytes;
 * many snapshots past the count; the share in percent for people. */
/* uploads left: some, the oldest started over a day ago; unknown is not */
static void test_uploads_left(void **state) {
    (void)state;
    int64_t now = 1800000000;
    assert_true(insights_uploads_left(2, now - 86401, now));
    assert_false(insights_uploads_left(2, now - 86400, now)); /* may still be running */
    assert_false(insights_uploads_left(0, -1, now));
    assert_false(insights_uploads_left(-1, -1, now)); /* unknown (denied) */
    assert_false(insights_uploads_left(1, -1, now));  /* no Initiated */
}

static void test_waste(void **state) {
    (void)state;
    const int64_t GiB = (int64_t)1 << 30;
    const double share = INSIGHTS_WASTE_SHARE;
    const int64_t least = INSIGHTS_WASTE_BYTES; /* 10 GiB */
    /* 41 GiB unreferenced of 100 GiB live: over 30 % and over 10 GiB */
    assert_true(insights_waste(41 * GiB, 100 * GiB, share, least));
    /* 20 GiB of 100 GiB: over 10 GiB but only 20 % */
    assert_false(insights_waste(20 * GiB, 100 * GiB, share, least));
    /* 30 GiB of 100 GiB: exactly 30 % is not past it */
    assert_false(insights_waste(30 * GiB, 100 * GiB, share, least));
    /* 5 GiB of 1 GiB: 500 %, but under 10 GiB */
    assert_false(insights_waste(5 * GiB, 1 * GiB, share, least));
    /* exactly 10 GiB of 1 GiB: not past the bytes */
    assert_false(insights_waste(10 * GiB, 1 * GiB, share, least));
    assert_true(insights_waste(10 * GiB + 1, 1 * GiB, share, least));
    /* nothing live: the bytes alone decide */
    assert_true(insights_waste(11 * GiB, 0, share, least));
    /* unknown: a Hive table (-1), a failed scan */
    assert_false(insights_waste(-1, 100 * GiB, share, least));
    assert_false(insights_waste(41 * GiB, -1, share, least));
    /* configured: 10 % and 1 KiB */
    assert_true(insights_waste(2048, 10000, 0.10, 1024));
    assert_false(insights_waste(900, 10000, 0.10, 512));
    /* waste_bytes 0: the share alone */
    assert_true(insights_waste(1, 0, 0.30, 0));
    assert_false(insights_waste(0, 0, 0.30, 0));

    assert_true(insights_many_snapshots(501, INSIGHTS_MAX_SNAPSHOTS));
    assert_false(insights_many_snapshots(500, INSIGHTS_MAX_SNAPSHOTS));
    assert_false(insights_many_snapshots(-1, INSIGHTS_MAX_SNAPSHOTS));
    assert_true(insights_many_snapshots(11, 10));

    assert_int_equal(insights_waste_percent(41, 100), 41);
    assert_int_equal(insights_waste_percent(1, 3), 33);
    assert_int_equal(insights_waste_percent(2, 3), 67);
    assert_int_equal(insights_waste_percent(300 * GiB, 100 * GiB), 300);
    assert_int_equal(insights_waste_percent(5, 0), -1);
    assert_int_equal(insights_waste_percent(-1, 100), -1);

    insight_settings d = insights_default_settings();
    assert_true(d.waste_share > 0.2999 && d.waste_share < 0.3001);
    assert_int_equal(d.waste_bytes, (int64_t)10 << 30);
    assert_int_equal(d.max_snapshots, 500);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_usual_interval), cmocka_unit_test(test_anomaly),
        cmocka_unit_test(test_small_files),    cmocka_unit_test(test_waste),
        cmocka_unit_test(test_uploads_left),
    };
    return cmocka_run_group_tests_name("insights", tests, NULL, NULL);
}
