/* test_sparkline.c: sparklines and charts in UTF-8 and ASCII. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "tui/sparkline.h"

static void test_ramp(void **state) {
    (void)state;
    double v[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    char out[64];
    sparkline_render(v, 8, 8, true, out, sizeof out);
    assert_string_equal(out, "▁▂▃▄▅▆▇█");
    sparkline_render(v, 8, 8, false, out, sizeof out);
    assert_string_equal(out, "_.-:=+*#");
}

static void test_window_and_gaps(void **state) {
    (void)state;
    double v[5] = {100, -1, 0, 50, 100};
    char out[64];
    /* only the last 3 values fit: scaled 0..100 */
    sparkline_render(v, 5, 3, false, out, sizeof out);
    assert_string_equal(out, "_=#");
    /* missing value is a blank, and short series are right-aligned */
    sparkline_render(v, 5, 7, false, out, sizeof out);
    assert_string_equal(out, "  # _=#");
    double flat[3] = {5, 5, 5}, zero[2] = {0, 0};
    sparkline_render(flat, 3, 3, false, out, sizeof out);
    assert_string_equal(out, ":::");
    sparkline_render(zero, 2, 2, false, out, sizeof out);
    assert_string_equal(out, "__");
    /* a tiny buffer is never overrun */
    char tiny[4];
    sparkline_render(v, 5, 5, true, tiny, sizeof tiny);
    assert_true(strlen(tiny) < sizeof tiny);
}

static void test_chart(void **state) {
    (void)state;
    double v[4] = {0, 1, 2, 4};
    char r0[32], r1[32];
    char *rows[2] = {r0, r1};
    sparkline_chart(v, 4, 4, 2, true, rows, sizeof r0);
    /* 4 -> full both rows; 2 -> full bottom; 1 -> half bottom; 0 -> blank */
    assert_string_equal(r0, "   █");
    assert_string_equal(r1, " ▄██");
    sparkline_chart(v, 4, 4, 2, false, rows, sizeof r0);
    assert_string_equal(r0, "   #");
    assert_string_equal(r1, " ###");
    /* more values than columns: last value of each bucket */
    double many[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    sparkline_chart(many, 8, 2, 1, false, rows, sizeof r0);
    assert_string_equal(r0, "##");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ramp),
        cmocka_unit_test(test_window_and_gaps),
        cmocka_unit_test(test_chart),
    };
    return cmocka_run_group_tests_name("sparkline", tests, NULL, NULL);
}
