/* test_format_mark.c: the mark beside an open-format table's name: ice, Δ
 * (dlt where the terminal is not UTF-8), hudi (hud), "*" when the figures
 * are the listing's, none for a Hive-style table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "views/format_mark.h"

static table_stats table_of(table_format format, figures_origin origin) {
    table_stats t;
    memset(&t, 0, sizeof t);
    table_stats_formats_unknown(&t);
    t.table_format = format;
    t.origin = origin;
    return t;
}

static void test_marks(void **state) {
    (void)state;
    table_stats t = table_of(TABLE_FORMAT_ICEBERG, FIGURES_METADATA);
    assert_string_equal(format_mark(&t, true), "ice");
    assert_string_equal(format_mark(&t, false), "ice");
    assert_false(format_mark_listed(&t));
    t = table_of(TABLE_FORMAT_DELTA, FIGURES_METADATA);
    assert_string_equal(format_mark(&t, true), "\xce\x94");
    assert_string_equal(format_mark(&t, false), "dlt");
    t = table_of(TABLE_FORMAT_HUDI, FIGURES_LISTING);
    assert_string_equal(format_mark(&t, true), "hudi*");
    assert_string_equal(format_mark(&t, false), "hud*");
    assert_true(format_mark_listed(&t));
    t = table_of(TABLE_FORMAT_HUDI, FIGURES_METADATA);
    assert_string_equal(format_mark(&t, true), "hudi");
    assert_string_equal(format_mark(&t, false), "hud");
    /* the metadata could not be read: the listing's figures */
    t = table_of(TABLE_FORMAT_ICEBERG, FIGURES_LISTING);
    assert_string_equal(format_mark(&t, true), "ice*");
    t = table_of(TABLE_FORMAT_DELTA, FIGURES_LISTING);
    assert_string_equal(format_mark(&t, true), "\xce\x94*");
    assert_string_equal(format_mark(&t, false), "dlt*");
    t = table_of(TABLE_FORMAT_HIVE, FIGURES_LISTING);
    assert_null(format_mark(&t, true));
    assert_null(format_mark(&t, false));
    assert_false(format_mark_listed(&t));
    assert_string_equal(format_mark_name(TABLE_FORMAT_ICEBERG), "Iceberg");
    assert_string_equal(format_mark_name(TABLE_FORMAT_DELTA), "Delta Lake");
    assert_string_equal(format_mark_name(TABLE_FORMAT_HUDI), "Hudi");
    assert_string_equal(format_mark_name(TABLE_FORMAT_HIVE), "Hive-style");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_marks),
    };
    return cmocka_run_group_tests_name("format_mark", tests, NULL, NULL);
}
