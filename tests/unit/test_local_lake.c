/* test_local_lake.c: catalog reading, locations, storage scanning (tbl/
 * vs tbl_old/, partitions), per-table errors, and one refresh through
 * the collector with history and derived figures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "collector/collector.h"
#include "collector/glue_json.h"
#include "collector/local/local_lake.h"
#include "collector/local/local_source.h"
#include "lake_fixture.h"

static void test_resolve(void **state) {
    (void)state;
    char *error = NULL;
    char *p = local_lake_resolve("/lake", "storing/x/", &error);
    assert_string_equal(p, "/lake/storing/x/");
    free(p);
    p = local_lake_resolve("/lake", "file:///abs/x", &error);
    assert_string_equal(p, "/abs/x");
    free(p);
    assert_null(local_lake_resolve("/lake", "s3://bucket/x/", &error));
    assert_non_null(strstr(error, "s3://bucket/x/"));
    free(error);
}

static const table_stats *find(const lake_snapshot *s, const char *db, const char *name) {
    const table_stats *t = snapshot_find_table(s, db, name);
    if (!t)
        fail_msg("table %s.%s missing", db, name);
    return t;
}

static void test_refresh(void **state) {
    (void)state;
    char *root = fixture_lake();
    setenv("LAKETOP_NOW", "2025-11-21T12:00:00Z", 1);
    char *history = fs_join(root, ".laketop/history.tsv");
    collector_options o = {.source = local_source_new(root),
                           .history_path = history,
                           .interval_seconds = 60,
                           .notify_fd = -1};
    thresholds_init(&o.thresholds);
    thresholds_set(&o.thresholds, "web", NULL, 86400, 5 * 86400);
    char *error = NULL;
    lake_snapshot *s = collector_refresh_once(&o, &error);
    assert_non_null(s);
    assert_int_equal(s->n_databases, 2);
    assert_int_equal(s->n_tables, 6);

    const table_stats *orders = find(s, "sales", "orders");
    assert_null(orders->error);
    assert_int_equal(orders->objects, 3); /* not _temporary, .crc, orders_old */
    assert_int_equal(orders->bytes, 350);
    assert_int_equal(orders->marker_objects, 3); /* _SUCCESS, _$folder$, .crc */
    assert_int_equal(orders->partitions, 2);
    assert_int_equal(orders->newest_object, FIXTURE_DAY - 86400 + 3600);
    assert_int_equal(orders->staleness_seconds, 12 * 3600 + 86400 - 3600);
    assert_int_equal(orders->stale, STALE_FRESH);
    assert_string_equal(orders->format, "parquet");
    assert_int_equal(orders->update_time, 1761991200);
    assert_int_equal(orders->n_columns, 1);
    assert_int_equal(orders->n_history, 1);

    const table_stats *customers = find(s, "sales", "customers");
    assert_int_equal(customers->objects, 0);
    assert_int_equal(customers->stale, STALE_UNKNOWN);
    assert_int_equal(customers->staleness_seconds, -1);
    assert_string_equal(customers->format, "parquet"); /* from InputFormat */

    const table_stats *broken = find(s, "sales", "broken");
    assert_non_null(broken->error);
    assert_non_null(strstr(broken->error, "catalog/sales/broken.json:"));
    assert_int_equal(broken->objects, -1);

    const table_stats *lost = find(s, "sales", "lost");
    assert_non_null(strstr(lost->error, "does not exist"));
    const table_stats *notdir = find(s, "sales", "notdir");
    assert_non_null(notdir->error);

    const table_stats *events = find(s, "web", "events");
    assert_null(events->error);
    assert_int_equal(events->objects, 1);
    assert_int_equal(events->stale, STALE_CRIT); /* 10.5 days > 5d */
    assert_int_equal(events->stale_warn_seconds, 86400);

    const database_stats *sales = snapshot_find_database(s, "sales");
    assert_int_equal(sales->n_tables, 5);
    assert_int_equal(sales->bytes, 350);
    assert_int_equal(sales->objects, 3);
    assert_int_equal(sales->stale_tables, 0);
    assert_int_equal(sales->error_tables, 3);
    assert_string_equal(sales->description, "Sales");
    const database_stats *web = snapshot_find_database(s, "web");
    assert_int_equal(web->stale_tables, 1);
    snapshot_release(s);

    /* a second refresh on the next day appends to the persisted history */
    setenv("LAKETOP_NOW", "2025-11-22T12:00:00Z", 1);
    fixture_file(root, "storing/sales/orders/dt=2025-11-22/part-0.parquet", 1000,
                 FIXTURE_DAY + 86400);
    s = collector_refresh_once(&o, &error);
    orders = find(s, "sales", "orders");
    assert_int_equal(orders->n_history, 2);
    assert_int_equal(orders->history[0].bytes, 350);
    assert_int_equal(orders->history[1].bytes, 1350);
    assert_int_equal(orders->partitions, 3);
    snapshot_release(s);
    thresholds_free(&o.thresholds);

    /* a missing lake is a source-level error */
    collector_options missing = o;
    missing.source = local_source_new("/nonexistent/lake");
    missing.history_path = NULL;
    thresholds_init(&missing.thresholds);
    assert_null(collector_refresh_once(&missing, &error));
    assert_non_null(strstr(error, "/nonexistent/lake"));
    free(error);
    lake_source_free(missing.source);
    lake_source_free(o.source);
    free(history);
    unsetenv("LAKETOP_NOW");
    fixture_remove(root);
}

static void test_glue_json(void **state) {
    (void)state;
    json_object *o = json_tokener_parse(
        "{\"Name\":\"t\",\"CreateTime\":1.7e9,\"Parameters\":{\"n\":5,\"classification\":\"\"},"
        "\"StorageDescriptor\":{\"SerdeInfo\":{\"SerializationLibrary\":"
        "\"org.openx.data.jsonserde.JsonSerDe\"},\"Columns\":[{\"Name\":\"a\",\"Type\":\"int\","
        "\"Comment\":\"c\"},{\"Type\":\"no name\"}]}}");
    table_stats t;
    memset(&t, 0, sizeof t);
    char *error = NULL;
    assert_true(glue_json_table(o, "db", &t, &error));
    assert_string_equal(t.database, "db");
    assert_string_equal(t.format, "json");
    assert_int_equal(t.create_time, 1700000000);
    assert_int_equal(t.n_columns, 1);
    assert_string_equal(t.columns[0].comment, "c");
    assert_int_equal(t.n_parameters, 2);
    table_stats_clear(&t);
    json_object_put(o);
    o = json_tokener_parse("{\"DatabaseName\":\"x\"}");
    assert_false(glue_json_table(o, "db", &t, &error));
    assert_non_null(strstr(error, "Name"));
    free(error);
    json_object_put(o);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resolve),
        cmocka_unit_test(test_refresh),
        cmocka_unit_test(test_glue_json),
    };
    return cmocka_run_group_tests_name("local_lake", tests, NULL, NULL);
}
