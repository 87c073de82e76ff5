/* test_fmt.c: sizes, counts, ages, ISO 8601 times, days and durations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "common/fmt.h"

static void test_bytes(void **state) {
    (void)state;
    char b[32];
    assert_string_equal(fmt_bytes(0, b, sizeof b), "0 B");
    assert_string_equal(fmt_bytes(1023, b, sizeof b), "1023 B");
    assert_string_equal(fmt_bytes(1024, b, sizeof b), "1.0 KiB");
    assert_string_equal(fmt_bytes(1536, b, sizeof b), "1.5 KiB");
    assert_string_equal(fmt_bytes(1048575, b, sizeof b), "1.0 MiB");
    assert_string_equal(fmt_bytes(150LL * 1024 * 1024, b, sizeof b), "150 MiB");
    assert_string_equal(fmt_bytes(5LL << 30, b, sizeof b), "5.0 GiB");
    assert_string_equal(fmt_bytes(3LL << 40, b, sizeof b), "3.0 TiB");
    assert_string_equal(fmt_bytes(-2048, b, sizeof b), "-2.0 KiB");
    assert_string_equal(fmt_bytes(INT64_MIN, b, sizeof b), "-8.0 EiB");
    assert_string_equal(fmt_bytes_delta(2048, b, sizeof b), "+2.0 KiB");
    assert_string_equal(fmt_bytes_delta(0, b, sizeof b), "0 B");
    assert_string_equal(fmt_bytes_delta(-5, b, sizeof b), "-5 B");
}

static void test_count(void **state) {
    (void)state;
    char b[32];
    assert_string_equal(fmt_count(0, b, sizeof b), "0");
    assert_string_equal(fmt_count(9999, b, sizeof b), "9999");
    assert_string_equal(fmt_count(12345, b, sizeof b), "12.3k");
    assert_string_equal(fmt_count(200000, b, sizeof b), "200k");
    assert_string_equal(fmt_count(4500000, b, sizeof b), "4.5M");
    assert_string_equal(fmt_count(-1, b, sizeof b), "-");
}

static void test_parse_count(void **state) {
    (void)state;
    int64_t v = -1;
    assert_true(fmt_parse_count("0", &v));
    assert_int_equal(v, 0);
    assert_true(fmt_parse_count("9223372036854775807", &v));
    assert_true(v == INT64_MAX);
    assert_false(fmt_parse_count("9223372036854775808", &v)); /* one past */
    assert_false(fmt_parse_count("", &v));
    assert_false(fmt_parse_count("-1", &v));
    assert_false(fmt_parse_count(" 1", &v));
    assert_false(fmt_parse_count("12x", &v));
}

static void test_age(void **state) {
    (void)state;
    char b[32];
    assert_string_equal(fmt_age(0, b, sizeof b), "0s");
    assert_string_equal(fmt_age(59, b, sizeof b), "59s");
    assert_string_equal(fmt_age(300, b, sizeof b), "5m");
    assert_string_equal(fmt_age(3 * 3600 + 5, b, sizeof b), "3h");
    assert_string_equal(fmt_age(2 * 86400 + 100, b, sizeof b), "2d");
    assert_string_equal(fmt_age(400 * 86400, b, sizeof b), "1y");
    assert_string_equal(fmt_age(-1, b, sizeof b), "-");
}

static void test_iso8601(void **state) {
    (void)state;
    char b[32];
    assert_string_equal(fmt_iso8601(0, b, sizeof b), "1970-01-01T00:00:00Z");
    assert_string_equal(fmt_iso8601(1763757798, b, sizeof b), "2025-11-21T20:43:18Z");
    assert_string_equal(fmt_iso8601(951782400, b, sizeof b), "2000-02-29T00:00:00Z");
    assert_string_equal(fmt_iso8601(-1, b, sizeof b), "1969-12-31T23:59:59Z");
    int64_t t;
    assert_true(fmt_parse_iso8601("2025-11-21T20:43:18Z", &t));
    assert_int_equal(t, 1763757798);
    assert_true(fmt_parse_iso8601("2025-11-21T20:43:18.250Z", &t));
    assert_int_equal(t, 1763757798);
    assert_true(fmt_parse_iso8601("2025-11-21T22:43:18+02:00", &t));
    assert_int_equal(t, 1763757798);
    assert_true(fmt_parse_iso8601("2025-11-21 20:43:18", &t));
    assert_int_equal(t, 1763757798);
    assert_false(fmt_parse_iso8601("2025-13-01T00:00:00Z", &t));
    assert_false(fmt_parse_iso8601("2025-02-30T00:00:00Z", &t));
    assert_false(fmt_parse_iso8601("2025-11-21", &t));
    assert_false(fmt_parse_iso8601("2025-11-21T20:43:18Zjunk", &t));
    assert_false(fmt_parse_iso8601("", &t));
}

static void test_days(void **state) {
    (void)state;
    char b[16];
    int32_t d;
    assert_true(fmt_parse_day("1970-01-01", &d));
    assert_int_equal(d, 0);
    assert_true(fmt_parse_day("2024-02-29", &d));
    assert_string_equal(fmt_day(d, b, sizeof b), "2024-02-29");
    assert_string_equal(fmt_day(d + 1, b, sizeof b), "2024-03-01");
    assert_false(fmt_parse_day("2024-02-29x", &d));
    assert_false(fmt_parse_day("24-02-29", &d));
    assert_int_equal(fmt_day_of(86399), 0);
    assert_int_equal(fmt_day_of(86400), 1);
    assert_int_equal(fmt_day_of(-1), -1);
    /* every day of 1900..2100 round-trips */
    for (int32_t day = -25567; day < 47482; day++) {
        int32_t back;
        assert_true(fmt_parse_day(fmt_day(day, b, sizeof b), &back));
        assert_int_equal(back, day);
    }
}

static void test_duration(void **state) {
    (void)state;
    int64_t s;
    assert_true(fmt_parse_duration("90", &s));
    assert_int_equal(s, 90);
    assert_true(fmt_parse_duration("90s", &s));
    assert_int_equal(s, 90);
    assert_true(fmt_parse_duration("15m", &s));
    assert_int_equal(s, 900);
    assert_true(fmt_parse_duration("36h", &s));
    assert_int_equal(s, 129600);
    assert_true(fmt_parse_duration(" 2d ", &s));
    assert_int_equal(s, 172800);
    assert_true(fmt_parse_duration("1w", &s));
    assert_int_equal(s, 604800);
    assert_false(fmt_parse_duration("", &s));
    assert_false(fmt_parse_duration("-5", &s));
    assert_false(fmt_parse_duration("5x", &s));
    assert_false(fmt_parse_duration("5 d", &s));
    assert_false(fmt_parse_duration("d", &s));
    assert_false(fmt_parse_duration("99999999999999999999", &s));
    assert_false(fmt_parse_duration("9999999999999999w", &s));
}

static void test_plural(void **state) {
    (void)state;
    assert_string_equal(fmt_plural(1, "table", "tables"), "table");
    assert_string_equal(fmt_plural(0, "table", "tables"), "tables");
    assert_string_equal(fmt_plural(2, "table", "tables"), "tables");
    assert_string_equal(fmt_plural(-1, "byte", "bytes"), "byte");
    assert_string_equal(fmt_plural(11, "query", "queries"), "queries");
    assert_string_equal(fmt_plural(INT64_MAX, "file", "files"), "files");
    char line[64];
    size_t n = 1;
    snprintf(line, sizeof line, "%zu %s", n, fmt_plural((int64_t)n, "marker file", "marker files"));
    assert_string_equal(line, "1 marker file");
}

static void test_parse_bytes(void **state) {
    (void)state;
    int64_t b;
    static const struct {
        const char *text;
        int64_t want;
    } good[] = {
        {"500", 500},
        {"64KiB", 65536},
        {"10 GiB", 10LL << 30},
        {"1.5TiB", 3LL << 39},
        {"2GB", 2000000000},
        {"3k", 3072},
        {"7B", 7},
        {" 1M", 1LL << 20},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        assert_true(fmt_parse_bytes(good[i].text, &b));
        assert_int_equal(b, good[i].want);
    }
    static const char *const bad[] = {"", "GiB", "-5", "5 parsecs", "5GiBs", "1e30TiB", "5Xb"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (fmt_parse_bytes(bad[i], &b))
            fail_msg("\"%s\" parsed as %lld", bad[i], (long long)b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_bytes), cmocka_unit_test(test_bytes),
        cmocka_unit_test(test_count),       cmocka_unit_test(test_parse_count),
        cmocka_unit_test(test_age),         cmocka_unit_test(test_iso8601),
        cmocka_unit_test(test_days),        cmocka_unit_test(test_duration),
        cmocka_unit_test(test_plural),
    };
    return cmocka_run_group_tests_name("fmt", tests, NULL, NULL);
}
