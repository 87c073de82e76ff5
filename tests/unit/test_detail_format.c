/* test_detail_format.c: the maintenance hints the detail view gives an
 * open-format table, chosen from its figures: unreferenced files ->
 * remove_orphan_files / VACUUM (Delta VACUUM RETAIN 168 HOURS); many
 * snapshots or much retained -> expire_snapshots (with the time 7 days
 * before now); many small live files -> OPTIMIZE; nothing for a Hive-style
 * table, figures from the listing, or a tidy table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "collector/figures/insights.h"
#include "views/detail_format.h"

#define GiB ((int64_t)1 << 30)
#define NOW ((int64_t)1764633600) /* 2025-12-02T00:00:00Z */

static table_stats table_of(table_format format) {
    table_stats t;
    memset(&t, 0, sizeof t);
    table_stats_formats_unknown(&t);
    t.database = "db";
    t.name = "tbl";
    t.table_format = format;
    t.origin = FIGURES_METADATA;
    t.objects = 100;
    t.bytes = 100 * GiB;
    t.unreferenced_bytes = 0;
    t.retained_bytes = 0;
    t.snapshots = 10;
    return t;
}

static void test_iceberg(void **state) {
    (void)state;
    insight_settings in = insights_default_settings();
    detail_hint h[4];
    table_stats t = table_of(TABLE_FORMAT_ICEBERG);
    assert_int_equal(detail_format_hints(&in, &t, NOW, h, 4), 0); /* tidy */

    t.unreferenced_bytes = 41 * GiB;
    t.waste = true;
    assert_int_equal(detail_format_hints(&in, &t, NOW, h, 4), 1);
    assert_true(h[0].warn);
    assert_non_null(strstr(h[0].why, "41.0 GiB unreferenced (41 % of live)"));
    assert_int_equal(h[0].n_statements, 2);
    assert_string_equal(h[0].engine[0], "Spark");
    assert_string_equal(h[0].statement[0], "CALL system.remove_orphan_files(table => 'db.tbl')");
    assert_string_equal(h[0].engine[1], "Athena");
    assert_string_equal(h[0].statement[1], "VACUUM db.tbl");

    /* a few orphans: still a hint, not a warning */
    t.unreferenced_bytes = 1024;
    t.waste = false;
    assert_int_equal(detail_format_hints(&in, &t, NOW, h, 4), 1);
    assert_false(h[0].warn);

    t = table_of(TABLE_FORMAT_ICEBERG);
    t.snapshots = 612;
    t.many_snapshots = true;
    assert_int_equal(detail_format_hints(&in, &t, NOW, h, 4), 1);
    assert_non_null(strstr(h[0].why, "612 snapshots (over 500)"));
    /* 7 days before NOW */
    assert_string_equal(h[0].statement[0],
                        "CALL system.expire_snapshots('db.tbl', TIMESTAMP '2025-11-25 00:00:00')");
    assert_string_equal(h[0].statement[1], "VACUUM db.tbl");

    /* retained past 30 % and 10 GiB: expire, without many snapshots */
    t = table_of(TABLE_FORMAT_ICEBERG);
    t.retained_bytes = 31 * GiB;
    assert_int_equal(detail_format_hints(&in, &t, NOW, h, 4), 1);
    assert_non_null(strstr(h[0].why, "31.0 GiB only older snapshots hold"));
    t.retained_bytes = 29 * GiB; /* under 30 % */
    assert_int_equal(detail_format_hints(&in, &t, NOW, h, 4), 0);

    t = table_of(TABLE_FORMAT_ICEBERG);
    t.small_files = true;
    t.objects = 3000;
    t.bytes = 3000 * 1024;
    assert_int_equal(detail_format_hints(&in, &t, NOW, h, 4), 1);
    assert_string_equal(h[0].statement[0], "OPTIMIZE db.tbl REWRITE DATA USING BIN_PACK");
    assert_string_equal(h[0].statement[1], "CALL system.rewrite_data_files('db.tbl')");

    /* all three, in that order */
    t.unreferenced_bytes = 5;
    t.many_snapshots = true;
    t.snapshots = 600;
    assert_int_equal(detail_format_hints(&in, &t, NOW, h, 4), 3);
    assert_non_null(strstr(h[0].statement[0], "remove_orphan_files"));
    assert_non_null(strstr(h[1].statement[0], "expire_snapshots"));
    assert_non_null(strstr(h[2].statement[0], "OPTIMIZE"));
    assert_int_equal(detail_format_hints(&in, &t, NOW, h, 2), 2); /* at most cap */
}

static void test_delta(void **state) {
    (void)state;
    insight_settings in = insights_default_settings();
    detail_hint h[4];
    table_stats t = table_of(TABLE_FORMAT_DELTA);
    assert_int_equal(detail_format_hints(&in, &t, NOW, h, 4), 0);
    t.unreferenced_bytes = 2 * GiB;
    assert_int_equal(detail_format_hints(&in, &t, NOW, h, 4), 1);
    assert_int_equal(h[0].n_statements, 1);
    assert_string_equal(h[0].engine[0], "Delta");
    assert_string_equal(h[0].statement[0], "VACUUM db.tbl RETAIN 168 HOURS");
    /* retained alone: VACUUM too */
    t = table_of(TABLE_FORMAT_DELTA);
    t.retained_bytes = 50 * GiB;
    assert_int_equal(detail_format_hints(&in, &t, NOW, h, 4), 1);
    assert_string_equal(h[0].statement[0], "VACUUM db.tbl RETAIN 168 HOURS");
    /* both: one VACUUM */
    t.unreferenced_bytes = GiB;
    assert_int_equal(detail_format_hints(&in, &t, NOW, h, 4), 1);
    assert_non_null(strstr(h[0].why, "old versions hold"));
    t = table_of(TABLE_FORMAT_DELTA);
    t.many_snapshots = true;
    t.snapshots = 700;
    t.small_files = true;
    assert_int_equal(detail_format_hints(&in, &t, NOW, h, 4), 2);
    assert_non_null(strstr(h[0].why, "700 versions in the log (over 500)"));
    assert_non_null(strstr(h[0].statement[0], "delta.logRetentionDuration"));
    assert_string_equal(h[1].statement[0], "OPTIMIZE db.tbl");
}

static void test_none(void **state) {
    (void)state;
    insight_settings in = insights_default_settings();
    detail_hint h[4];
    table_stats t = table_of(TABLE_FORMAT_HIVE);
    t.small_files = true; /* the Overview's small files line says it */
    assert_int_equal(detail_format_hints(&in, &t, NOW, h, 4), 0);
    t = table_of(TABLE_FORMAT_ICEBERG);
    t.origin = FIGURES_LISTING; /* its metadata unread: nothing to go by */
    t.unreferenced_bytes = 50 * GiB;
    t.small_files = true;
    assert_int_equal(detail_format_hints(&in, &t, NOW, h, 4), 0);
    t = table_of(TABLE_FORMAT_HUDI);
    t.origin = FIGURES_LISTING;
    assert_int_equal(detail_format_hints(&in, &t, NOW, h, 4), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_iceberg),
        cmocka_unit_test(test_delta),
        cmocka_unit_test(test_none),
    };
    return cmocka_run_group_tests_name("detail_format", tests, NULL, NULL);
}
