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
        assert_true(cost_class_from_s3(cost_class_s3((cost_class)i), &c));
        assert_int_equal(c, i);
    }
    assert_false(cost_class_from_key("STANDARD", &c));
}

static void test_refresh_day(void **state) {
    (void)state;
    cost_prices p;
    cost_prices_default(&p);
    /* 200 LISTs and 50 GETs every 5 minutes: 288 refreshes, 57,600 LISTs
     * and 14,400 GETs. */
    assert_rel(cost_refresh_day(&p, 200, 50, 300), 57.6 * 0.005 + 14.4 * 0.0004);
    assert_rel(cost_refresh_day(&p, 200, 0, 300), 57.6 * 0.005);
    assert_rel(cost_refresh_day(&p, -1, 0, 300), 0);
    assert_rel(cost_refresh_day(&p, 200, 0, 0), 0);
}

static void test_storage(void **state) {
    (void)state;
    cost_prices p;
    cost_prices_default(&p);
    cost_storage st = {0};
    cost_storage_add(&st, COST_STANDARD, 1LL << 30);
    cost_storage_add(&st, COST_STANDARD_IA, 1024); /* bills 128 KiB */
    cost_storage_add(&st, COST_STANDARD_IA, MIB);  /* bills itself */
    cost_storage_add(&st, COST_GLACIER, 5 * MIB);  /* + 32 KiB, + 8 KiB STANDARD */
    cost_storage_add(&st, COST_DEEP_ARCHIVE, -5);  /* a negative size is 0 */
    cost_storage_add(&st, (cost_class)99, 10);     /* out of range: STANDARD */
    assert_int_equal(st.bytes[COST_STANDARD], (1LL << 30) + 10);
    assert_int_equal(st.objects[COST_STANDARD], 2);
    assert_int_equal(st.bytes[COST_STANDARD_IA], 1024 + MIB);
    assert_int_equal(st.billed[COST_STANDARD_IA], 131072 + MIB);
    assert_int_equal(st.billed[COST_GLACIER], 5 * MIB + 32768);
    assert_int_equal(st.billed[COST_DEEP_ARCHIVE], 32768);
    assert_int_equal(st.billed[COST_STANDARD], (1LL << 30) + 10 + 2 * 8192);
    double want = cost_object_month(&p, COST_STANDARD, 1LL << 30) +
                  cost_object_month(&p, COST_STANDARD_IA, 1024) +
                  cost_object_month(&p, COST_STANDARD_IA, MIB) +
                  cost_object_month(&p, COST_GLACIER, 5 * MIB) +
                  cost_object_month(&p, COST_DEEP_ARCHIVE, 0) +
                  cost_object_month(&p, COST_STANDARD, 10);
    assert_rel(cost_storage_month(&p, &st), want);
    double parts = 0;
    for (int c = 0; c < COST_CLASS_COUNT; c++)
        parts += cost_storage_class_month(&p, &st, (cost_class)c);
    assert_rel(parts, want);
    assert_rel(cost_storage_class_month(&p, &st, COST_GLACIER),
               cost_object_month(&p, COST_GLACIER, 5 * MIB));
    assert_rel(cost_storage_class_month(&p, &st, COST_STANDARD),
               cost_object_month(&p, COST_STANDARD, (1LL << 30) + 10));
    cost_storage none = {0};
    assert_rel(cost_storage_month(&p, &none), 0);
    cost_storage twice = {0};
    cost_storage_merge(&twice, &st);
    cost_storage_merge(&twice, &st);
    assert_int_equal(twice.billed[COST_GLACIER], 2 * st.billed[COST_GLACIER]);
    assert_int_equal(twice.objects[COST_STANDARD], 4);
    assert_rel(cost_storage_month(&p, &twice), 2 * want);
}

static void test_query_billed(void **state) {
    (void)state;
    cost_prices p;
    cost_prices_default(&p);
    assert_int_equal(cost_query_billed_bytes("SUCCEEDED", 0), 10 * MIB);
    assert_int_equal(cost_query_billed_bytes(NULL, 11 * MIB - 1), 11 * MIB);
    assert_int_equal(cost_query_billed_bytes("CANCELLED", 12 * MIB), 12 * MIB);
    assert_int_equal(cost_query_billed_bytes("FAILED", 12 * MIB), 0);
    assert_int_equal(cost_query_billed_bytes("QUEUED", 12 * MIB), 0);
    assert_true(cost_query_billed_bytes("SUCCEEDED", INT64_MAX) >= INT64_MAX - MIB);
    assert_rel(cost_scanned_usd(&p, 1099511627776.0), 5.0);
    assert_rel(cost_scanned_usd(&p, 5.0 * MIB), 5.0 * 5.0 / 1048576.0);
}

static void test_format(void **state) {
    (void)state;
    char b[32];
    assert_string_equal(cost_format_usd(-1, b, sizeof b), "-");
    assert_string_equal(cost_format_usd(0, b, sizeof b), "$0");
    assert_string_equal(cost_format_usd(0.0001, b, sizeof b), "<$0.01");
    assert_string_equal(cost_format_usd(0.005, b, sizeof b), "$0.01");
    assert_string_equal(cost_format_usd(4.2, b, sizeof b), "$4.20");
    assert_string_equal(cost_format_usd(9.999, b, sizeof b), "$10.0");
    assert_string_equal(cost_format_usd(42.04, b, sizeof b), "$42.0");
    assert_string_equal(cost_format_usd(420.4, b, sizeof b), "$420");
    assert_string_equal(cost_format_usd(4200, b, sizeof b), "$4200");
    assert_string_equal(cost_format_usd(42000, b, sizeof b), "$42.0k");
    assert_string_equal(cost_format_usd(4.2e6, b, sizeof b), "$4.2M");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_standard),
        cmocka_unit_test(test_ia_minimum),
        cmocka_unit_test(test_glacier_overhead),
        cmocka_unit_test(test_query),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_refresh_day),
        cmocka_unit_test(test_storage),
        cmocka_unit_test(test_query_billed),
        cmocka_unit_test(test_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
