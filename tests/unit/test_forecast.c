/* test_forecast.c: Theil-Sen trends on synthetic series with known slopes,
 * spikes and drops; too little history gives no forecast; quota days. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>

#include "collector/figures/forecast.h"

#define DAY0 20000

/* n daily samples of base + slope * day */
static history_sample *linear(size_t n, int64_t base, int64_t slope) {
    history_sample *h = calloc(n, sizeof *h);
    for (size_t i = 0; i < n; i++)
        h[i] = (history_sample){.day = DAY0 + (int32_t)i, .bytes = base + slope * (int64_t)i};
    return h;
}

static void assert_near(double got, double want, double tolerance) {
    if (fabs(got - want) > tolerance)
        fail_msg("got %.3f, want %.3f (+-%.3f)", got, want, tolerance);
}

static void test_linear(void **state) {
    (void)state;
    history_sample *h = linear(90, 1000000, 25000);
    forecast f;
    assert_true(forecast_fit(h, 90, &f));
    assert_near(f.bytes_per_day, 25000, 1e-6);
    int64_t now = h[89].bytes;
    assert_int_equal(f.projected_30d, now + 30 * 25000);
    assert_int_equal(f.projected_90d, now + 90 * 25000);
    free(h);
}

static void test_spikes(void **state) {
    (void)state;
    /* a one-off tenfold spike, a day of nothing, and a day dropped to 0:
     * the slope stays within 2 % and the projection within 5 % */
    history_sample *h = linear(60, 5000000, 100000);
    h[20].bytes *= 10;
    h[40].bytes = 0;
    h[59].bytes += 50000000; /* today's spike does not carry into the trend */
    forecast f;
    assert_true(forecast_fit(h, 60, &f));
    assert_near(f.bytes_per_day, 100000, 2000);
    double want30 = 5000000 + 100000.0 * (59 + 30);
    assert_near((double)f.projected_30d, want30, want30 * 0.05);
    free(h);
}

static void test_window_and_shrink(void **state) {
    (void)state;
    /* fast growth long ago, then a steady shrink: only the window counts */
    history_sample *h = linear(200, 0, 1000000);
    for (size_t i = 100; i < 200; i++)
        h[i].bytes = h[99].bytes - (int64_t)(i - 99) * 1000;
    forecast f;
    assert_true(forecast_fit(h, 200, &f));
    assert_near(f.bytes_per_day, -1000, 1e-6);
    assert_int_equal(forecast_days_to_quota(&f, h[199].bytes, h[199].bytes * 2), -1);
    /* a shrink to below zero is projected as 0 */
    history_sample *g = linear(10, 1000, -100);
    assert_true(forecast_fit(g, 10, &f));
    assert_int_equal(f.projected_90d, 0);
    free(g);
    free(h);
}

static void test_too_little(void **state) {
    (void)state;
    history_sample *h = linear(FORECAST_MIN_DAYS, 100, 10);
    forecast f = {.bytes_per_day = 123};
    assert_false(forecast_fit(h, 1, &f));
    assert_false(forecast_fit(h, FORECAST_MIN_DAYS - 1, &f));
    assert_true(f.bytes_per_day == 123); /* untouched */
    assert_true(forecast_fit(h, FORECAST_MIN_DAYS, &f));
    assert_near(f.bytes_per_day, 10, 1e-9);
    free(h);
}

static void test_gaps(void **state) {
    (void)state;
    /* samples every third day: the slope is per day, not per sample */
    history_sample h[20];
    for (int i = 0; i < 20; i++)
        h[i] = (history_sample){.day = DAY0 + 3 * i, .bytes = 700 * 3 * i};
    forecast f;
    assert_true(forecast_fit(h, 20, &f));
    assert_near(f.bytes_per_day, 700, 1e-9);
    assert_int_equal(f.projected_30d, 700 * 3 * 19 + 30 * 700);
}

static void test_quota(void **state) {
    (void)state;
    forecast f = {.bytes_per_day = 1000};
    assert_int_equal(forecast_days_to_quota(&f, 5000, 10000), 5);
    assert_int_equal(forecast_days_to_quota(&f, 5000, 10001), 6);
    assert_int_equal(forecast_days_to_quota(&f, 20000, 10000), 0);
    f.bytes_per_day = 0;
    assert_int_equal(forecast_days_to_quota(&f, 5000, 10000), -1);
}

/* The definition, the slow way: every slope sorted, the middle one(s). */
static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double sorted_median(double *v, size_t n) {
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Random series (noise, repeated values, flat runs, even and odd lengths)
 * against the definition: the fit's median finding must agree exactly. */
static void test_against_definition(void **state) {
    (void)state;
    srand(12345);
    for (int round = 0; round < 300; round++) {
        size_t n = 5 + (size_t)(rand() % 26);
        history_sample h[30];
        int64_t bytes = rand() % 100000;
        for (size_t i = 0; i < n; i++) {
            int r = rand() % 10;
            bytes += r < 3 ? 0 : r < 9 ? rand() % 5000 : -(rand() % 3000);
            h[i] = (history_sample){.day = 20000 + (int32_t)i, .bytes = bytes < 0 ? 0 : bytes};
        }
        double slopes[435], intercepts[30];
        size_t ns = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t j = i + 1; j < n; j++)
                slopes[ns++] = (double)(h[j].bytes - h[i].bytes) / (double)(h[j].day - h[i].day);
        double slope = sorted_median(slopes, ns);
        for (size_t i = 0; i < n; i++)
            intercepts[i] = (double)h[i].bytes - slope * (double)(h[i].day - h[n - 1].day);
        double at_last = sorted_median(intercepts, n);
        forecast f;
        assert_true(forecast_fit(h, n, &f));
        if (f.bytes_per_day != slope)
            fail_msg("round %d (n %zu): slope %f, the definition %f", round, n, f.bytes_per_day,
                     slope);
        double p30 = at_last + 30 * slope;
        assert_int_equal(f.projected_30d, p30 > 0 ? (int64_t)llround(p30) : 0);
    }
}

static void test_flat(void **state) {
    (void)state;
    forecast f = {.bytes_per_day = 2250, .projected_30d = 1, .projected_90d = 2};
    forecast_flat(1990000, &f);
    assert_true(f.bytes_per_day == 0);
    assert_int_equal(f.projected_30d, 1990000);
    assert_int_equal(f.projected_90d, 1990000);
    assert_int_equal(forecast_days_to_quota(&f, 1990000, 2000000), -1); /* never */
    assert_int_equal(forecast_days_to_quota(&f, 1990000, 1000), 0);     /* reached */
    forecast_flat(-1, &f);
    assert_int_equal(f.projected_30d, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linear),
        cmocka_unit_test(test_spikes),
        cmocka_unit_test(test_window_and_shrink),
        cmocka_unit_test(test_too_little),
        cmocka_unit_test(test_gaps),
        cmocka_unit_test(test_quota),
        cmocka_unit_test(test_against_definition),
        cmocka_unit_test(test_flat),
    };
    return cmocka_run_group_tests_name("forecast", tests, NULL, NULL);
}
