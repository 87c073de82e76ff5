/* test_watchdog.c: --timeout's TIME (the limit itself is tested by
 * tests/integration/test_timeout.sh against a stalled endpoint). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/watchdog.h"

static void test_parse(void **state) {
    (void)state;
    int64_t ms = -1;
    assert_true(watchdog_parse("30s", &ms));
    assert_int_equal(ms, 30000);
    assert_true(watchdog_parse("2m", &ms));
    assert_int_equal(ms, 120000);
    assert_true(watchdog_parse("500ms", &ms));
    assert_int_equal(ms, 500);
    assert_true(watchdog_parse("1h", &ms));
    assert_int_equal(ms, 3600000);
    assert_true(watchdog_parse("45", &ms)); /* seconds */
    assert_int_equal(ms, 45000);
    assert_true(watchdog_parse("0", &ms)); /* no limit */
    assert_int_equal(ms, 0);
    assert_true(watchdog_parse("24h", &ms));
    const char *bad[] = {
        "",     "s", "-1", "+5s", " 5s", "5 s", "5.5s", "10x", "2d", "25h", "99999999999999999999",
        "5sec", NULL};
    for (size_t i = 0; bad[i]; i++)
        assert_false(watchdog_parse(bad[i], &ms));
    assert_false(watchdog_parse(NULL, &ms));
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_parse)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
