/* test_cost.c: S3 storage and Athena billing rules against figures worked
 * out by hand here (GB = 2^30, TB = 2^40, MiB = 2^20). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include "collector/figures/cost.h"

#define GB 1073741824.0
#define MIB 1048576LL

static void assert_rel(double got, double want) {
    if (fabs(got - want) > 1e-9 * (fabs(want) > 1 ? fabs(want) : 1))
        fail_msg("got %.12g, want %.12g", got, want);
}

static void test_standard(void **state) {
    (void)state;
    cost_prices p;
    cost_prices_default(&p);
    assert_rel(cost_object_month(&p, COST_STANDARD, 1LL << 30), 0.023);
    assert_rel(cost_object_month(&p, COST_STANDARD, 0), 0);
    assert_rel(cost_object_month(&p, COST_INTELLIGENT_TIERING, 3LL << 30), 3 * 0.023);
}

static void test_ia_minimum(void **state) {
    (void)state;
    cost_prices p;
    cost_prices_default(&p);
    /* 1 KiB in IA bills 128 KiB; 1 MiB bills itself. */
    assert_rel(cost_object_month(&p, COST_STANDARD_IA, 1024), 131072 / GB * 0.0125);
    assert_rel(cost_object_month(&p, COST_STANDARD_IA, MIB), MIB / GB * 0.0125);
    assert_rel(cost_object_month(&p, COST_ONEZONE_IA, 0), 131072 / GB * 0.01);
    assert_rel(cost_object_month(&p, COST_GLACIER_IR, 131071), 131072 / GB * 0.004);
}

static void test_glacier_overhead(void **state) {
    (void)state;
    cost_prices p;
    cost_prices_default(&p);
    double want = (MIB + 32768) / GB * 0.0036 + 8192 / GB * 0.023;
    assert_rel(cost_object_month(&p, COST_GLACIER, MIB), want);
    want = 32768 / GB * 0.00099 + 8192 / GB * 0.023;
    assert_rel(cost_object_month(&p, COST_DEEP_ARCHIVE, 0), want);
    /* The Standard part follows the configured Standard price. */
    p.gb_month[COST_STANDARD] = 1.0;
    assert_rel(cost_object_month(&p, COST_DEEP_ARCHIVE, 0), 32768 / GB * 0.00099 + 8192 / GB);
}

static void test_query(void **state) {
    (void)state;
    cost_prices p;
    cost_prices_default(&p);
    double per_mib = 5.0 / 1048576.0; /* $5 per 2^20 MiB */
    assert_rel(cost_query(&p, "SUCCEEDED", 1), 10 * per_mib);
    assert_rel(cost_query(&p, "SUCCEEDED", 10 * MIB + 1), 11 * per_mib);
    assert_rel(cost_query(&p, "SUCCEEDED", 100 * MIB), 100 * per_mib);
    assert_rel(cost_query(&p, "CANCELLED", 0), 10 * per_mib);
    assert_rel(cost_query(&p, "FAILED", 100 * MIB), 0);
    assert_rel(cost_query(&p, "RUNNING", 100 * MIB), 0);
    assert_rel(cost_query(&p, NULL, 100 * MIB), 0);
}

static void test_names(void **state) {
    (void)state;
    cost_class c;
    assert_true(cost_class_from_s3(NULL, &c));
    assert_int_equal(c, COST_STANDARD);
    assert_true(cost_class_from_s3("DEEP_ARCHIVE", &c));
    assert_int_equal(c, COST_DEEP_ARCHIVE);
    assert_false(cost_class_from_s3("deep_archive", &c));
    assert_false(cost_class_from_s3("TAPE", &c));
    for (int i = 0; i < COST_CLASS_COUNT; i++) {
        assert_true(cost_class_from_key(cost_class_key((cost_class)i), &c));
        assert_int_equal(c, i);
    }
    assert_false(cost_class_from_key("STANDARD", &c));
}

static void test_refresh_day(void **state) {
    (void)state;
    cost_prices p;
    cost_prices_default(&p);
    /* 200 requests every 5 minutes: 288 refreshes, 57,600 requests. */
    assert_rel(cost_refresh_day(&p, 200, 300), 57.6 * 0.005);
    assert_rel(cost_refresh_day(&p, -1, 300), 0);
    assert_rel(cost_refresh_day(&p, 200, 0), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_standard),
        cmocka_unit_test(test_ia_minimum),
        cmocka_unit_test(test_glacier_overhead),
        cmocka_unit_test(test_query),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_refresh_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
