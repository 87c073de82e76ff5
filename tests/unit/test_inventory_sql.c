/* test_inventory_sql.c: the Athena SQL of S3 Inventory reports: table and
 * partition names, the DDL for each format, the aggregate query (quoting of
 * ' in names and prefixes, the tables inline, the CSV decoding) and the
 * reading of GetQueryResults pages, bad ones refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/inventory/inventory_sql.h"

static const char schema[] = "Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size, "
                             "LastModifiedDate, ETag, StorageClass";

static void test_names(void **state) {
    (void)state;
    char *n = inventory_sql_table_name("My.Lake-01", "daily cfg");
    assert_string_equal(n, "laketop_my_lake_01_daily_cfg");
    free(n);
    char dt[17];
    assert_true(inventory_sql_hive_dt("2026-12-01T01-00Z", dt));
    assert_string_equal(dt, "2026-12-01-01-00");
    assert_true(inventory_sql_hive_dt("2026-12-01T13-45Z/", dt));
    assert_string_equal(dt, "2026-12-01-13-45");
    assert_false(inventory_sql_hive_dt("2026-12-01", dt));
    assert_false(inventory_sql_hive_dt("2026-12-01X01-00Z", dt));
    assert_true(inventory_sql_database_ok("laketop_inventory"));
    assert_false(inventory_sql_database_ok("Laketop"));
    assert_false(inventory_sql_database_ok("a-b"));
    assert_false(inventory_sql_database_ok(""));
}

static void test_ddl(void **state) {
    (void)state;
    char *error = NULL;
    char *sql = inventory_sql_create_table("laketop_inventory", "laketop_lake_cfg", "CSV", schema,
                                           "inv", "lake/cfg/", &error);
    assert_non_null(sql);
    assert_non_null(strstr(sql, "CREATE EXTERNAL TABLE IF NOT EXISTS "
                                "`laketop_inventory`.`laketop_lake_cfg` (`bucket` string, `key` "
                                "string, `version_id` string, `is_latest` string, "));
    assert_non_null(strstr(sql, "`last_modified_date` string, `e_tag` string, `storage_class` "
                                "string) PARTITIONED BY (`dt` string)"));
    assert_non_null(strstr(sql, "'org.apache.hadoop.hive.serde2.OpenCSVSerde'"));
    assert_non_null(strstr(sql, "'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat'"));
    assert_non_null(strstr(sql, "LOCATION 's3://inv/lake/cfg/hive/'"));
    free(sql);
    sql = inventory_sql_create_table("d", "t", "ORC", schema, "inv", "p/", &error);
    assert_non_null(strstr(sql, "`size` bigint"));
    assert_non_null(strstr(sql, "`is_latest` boolean"));
    assert_non_null(strstr(sql, "`last_modified_date` timestamp"));
    assert_non_null(strstr(sql, "'org.apache.hadoop.hive.ql.io.orc.OrcSerde'"));
    free(sql);
    sql = inventory_sql_create_table("d", "t", "Parquet", schema, "inv", "p/", &error);
    assert_non_null(strstr(sql, "'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'"));
    free(sql);
    assert_null(inventory_sql_create_table("d", "t", "JSON", schema, "inv", "p/", &error));
    assert_non_null(strstr(error, "JSON"));
    free(error);
    error = NULL;
    assert_null(inventory_sql_create_table("d", "t", "CSV", "Bucket, Size", "inv", "p/", &error));
    free(error);
    sql = inventory_sql_add_partition("d", "t", "2026-12-01-01-00", "inv", "it's/cfg/");
    assert_string_equal(sql, "ALTER TABLE `d`.`t` ADD IF NOT EXISTS PARTITION (dt = "
                             "'2026-12-01-01-00') LOCATION "
                             "'s3://inv/it''s/cfg/hive/dt=2026-12-01-01-00/'");
    free(sql);
    sql = inventory_sql_create_database("laketop_inventory");
    assert_string_equal(sql, "CREATE DATABASE IF NOT EXISTS `laketop_inventory`");
    free(sql);
}

/* The fileSchema of an ORC and a Parquet report as S3 writes them (the
 * manifest examples of AWS's "Locating your inventory list"; the Parquet one
 * also as newer reports annotate it, STRING and TIMESTAMP(MILLIS,true)). */
static const char orc_schema[] =
    "struct<bucket:string,key:string,version_id:string,is_latest:boolean,is_delete_marker:"
    "boolean,size:bigint,last_modified_date:timestamp,e_tag:string,storage_class:string,"
    "is_multipart_uploaded:boolean,replication_status:string,encryption_status:string,"
    "object_lock_retain_until_date:timestamp,object_lock_mode:string,"
    "object_lock_legal_hold_status:string>";
static const char parquet_schema[] =
    "message s3.inventory { required binary bucket (UTF8); required binary key (UTF8); "
    "optional binary version_id (UTF8); optional boolean is_latest; optional boolean "
    "is_delete_marker; optional int64 size; optional int64 last_modified_date "
    "(TIMESTAMP_MILLIS); optional binary e_tag (UTF8); optional binary storage_class (UTF8); "
    "optional boolean is_multipart_uploaded; optional binary replication_status (UTF8); "
    "optional binary encryption_status (UTF8); optional int64 object_lock_retain_until_date "
    "(TIMESTAMP_MILLIS); optional binary object_lock_mode (UTF8); optional binary "
    "object_lock_legal_hold_status (UTF8);}";
static const char parquet_schema_new[] =
    "message s3.inventory {  required binary bucket (STRING);  required binary key (STRING);  "
    "optional int64 size;  optional int64 last_modified_date (TIMESTAMP(MILLIS,true));  "
    "optional binary storage_class (STRING);}";

static void test_columnar_schemas(void **state) {
    (void)state;
    char *error = NULL;
    static const char columns[] =
        "(`bucket` string, `key` string, `version_id` string, `is_latest` boolean, "
        "`is_delete_marker` boolean, `size` bigint, `last_modified_date` timestamp, `e_tag` "
        "string, `storage_class` string, `is_multipart_uploaded` boolean, `replication_status` "
        "string, `encryption_status` string, `object_lock_retain_until_date` timestamp, "
        "`object_lock_mode` string, `object_lock_legal_hold_status` string)";
    /* the same 15 columns from either shape, typed */
    const char *schemas[] = {orc_schema, parquet_schema};
    const char *formats[] = {"ORC", "Parquet"};
    for (int i = 0; i < 2; i++) {
        char *sql =
            inventory_sql_create_table("d", "t", formats[i], schemas[i], "inv", "p/", &error);
        assert_non_null(sql);
        assert_non_null(strstr(sql, columns));
        free(sql);
    }
    char *sql =
        inventory_sql_create_table("d", "t", "Parquet", parquet_schema_new, "inv", "p/", &error);
    assert_non_null(sql);
    assert_non_null(strstr(sql, "(`bucket` string, `key` string, `size` bigint, "
                                "`last_modified_date` timestamp, `storage_class` string) "));
    free(sql);
    /* the query reads them typed: no url_decode, no CAST of size, the
     * IsLatest and IsDeleteMarker filters as booleans */
    inventory_sql_table t = {.bucket = "lake", .prefix = "wh/t/", .depth = 1};
    sql = inventory_sql_query("db", "t", "d", "Parquet", parquet_schema, &t, 1, &error);
    assert_non_null(sql);
    assert_null(strstr(sql, "url_decode"));
    assert_non_null(strstr(sql, "\"size\" AS size"));
    assert_non_null(strstr(sql, "CAST(\"last_modified_date\" AS varchar) AS lm"));
    assert_non_null(strstr(sql, " AND \"is_latest\" AND NOT \"is_delete_marker\""));
    free(sql);
    /* a schema of neither shape, or without key */
    assert_null(inventory_sql_create_table("d", "t", "Parquet",
                                           "message s3.inventory { required binary bucket; "
                                           "optional int64 size; }",
                                           "inv", "p/", &error));
    assert_non_null(strstr(error, "lacks"));
    free(error);
    error = NULL;
    assert_null(inventory_sql_create_table("d", "t", "ORC", "struct<>", "inv", "p/", &error));
    free(error);
}

static void test_query(void **state) {
    (void)state;
    inventory_sql_table tables[] = {
        {"lake", "wh/tbl/", 1}, {"lake", "wh/it's/", 0}, {"o'brien", "", 2}, {"lake", "x/", 1}};
    char *error = NULL;
    char *sql =
        inventory_sql_query("db", "t", "2026-12-01-01-00", "CSV", schema, tables, 4, &error);
    assert_non_null(sql);
    assert_non_null(strstr(sql, "VALUES (0, 'lake', 'wh/tbl/', 1), (1, 'lake', 'wh/it''s/', 0), "
                                "(2, 'o''brien', '', 2), (3, 'lake', 'x/', 1))"));
    assert_non_null(strstr(sql, "url_decode(\"key\")"));
    assert_non_null(strstr(sql, "FROM \"db\".\"t\" WHERE dt = '2026-12-01-01-00' AND \"is_latest\" "
                                "= 'true' AND \"is_delete_marker\" <> 'true'"));
    /* each depth's pattern once */
    const char *one = strstr(sql, "WHEN 1 THEN regexp_extract(rest, '^([^/=]+=[^/]+/){1}')");
    assert_non_null(one);
    assert_null(strstr(one + 1, "WHEN 1 THEN regexp_extract(rest, '^([^/=]+=[^/]+/){1}')"));
    assert_non_null(strstr(sql, "WHEN 2 THEN regexp_extract(rest, '^([^/=]+=[^/]+/){2}')"));
    assert_non_null(strstr(sql, "ORDER BY length(t.prefix) DESC"));
    assert_non_null(strstr(sql, "GROUP BY idx, dir"));
    free(sql);
    /* ORC: keys as they are, typed columns; no IsLatest: no filter */
    sql = inventory_sql_query("db", "t", "d", "ORC", "Bucket, Key, Size", tables + 1, 1, &error);
    assert_null(strstr(sql, "url_decode"));
    assert_null(strstr(sql, "is_latest"));
    assert_non_null(strstr(sql, "CAST(NULL AS varchar) AS lm"));
    assert_non_null(strstr(sql, "WHEN 0 THEN NULL END AS part"));
    free(sql);
    assert_null(inventory_sql_query("db", "t", "d", "CSV", schema, tables, 0, &error));
    free(error);
}

/* A GetQueryResults page: the header when `header`, then `rows` (each a
 * string of comma-separated cells, "~" a NULL). */
static char *page(bool header, const char *const *rows, size_t n, const char *next) {
    size_t cap = 1 << 16;
    char *out = malloc(cap);
    size_t len = (size_t)snprintf(out, cap, "{\"ResultSet\":{\"Rows\":[");
    bool first = true;
    if (header) {
        len += (size_t)snprintf(out + len, cap - len, "{\"Data\":[");
        for (size_t i = 0; i < inventory_sql_n_columns; i++)
            len += (size_t)snprintf(out + len, cap - len, "%s{\"VarCharValue\":\"%s\"}",
                                    i ? "," : "", inventory_sql_columns[i]);
        len += (size_t)snprintf(out + len, cap - len, "]}");
        first = false;
    }
    for (size_t r = 0; r < n; r++) {
        len += (size_t)snprintf(out + len, cap - len, "%s{\"Data\":[", first ? "" : ",");
        first = false;
        char *copy = strdup(rows[r]), *save = NULL;
        size_t i = 0;
        for (char *c = strtok_r(copy, ",", &save); c; c = strtok_r(NULL, ",", &save), i++)
            len += (size_t)snprintf(out + len, cap - len,
                                    strcmp(c, "~") == 0 ? "%s{}" : "%s{\"VarCharValue\":\"%s\"}",
                                    i ? "," : "", c);
        free(copy);
        len += (size_t)snprintf(out + len, cap - len, "]}");
    }
    snprintf(out + len, cap - len, "]}%s%s%s}", next ? ",\"NextToken\":\"" : "", next ? next : "",
             next ? "\"" : "");
    return out;
}

#define ZEROS21 "0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0"

static void test_results(void **state) {
    (void)state;
    inventory_sql_table tables[] = {{"lake", "wh/tbl/", 1}, {"lake", "wh/flat/", 0}};
    inventory_report rep = {.created = 1000};
    inventory_sql_results r;
    inventory_sql_results_begin(&r, tables, 2, &rep);
    const char *rows1[] = {
        /* table 0, a directory; STANDARD 1 of 100, STANDARD_IA 1 of 200 (billed 128 KiB) */
        "0,dt=2026-01-02/"
        ",2,300,2026-11-02T00:00:00.000Z,1,1,3,300,2,100,262144,1,200,131072," ZEROS21,
        /* table 0, keys at its root */
        "0,~,1,4,2026-10-05T00:00:00.000Z,0,0,1,4,1,4,131072,0,0,0," ZEROS21,
    };
    char *p = page(true, rows1, 2, "2"), *token = NULL, *error = NULL;
    assert_true(inventory_sql_results_page(&r, p, strlen(p), &token, &error));
    assert_string_equal(token, "2");
    free(token);
    free(p);
    const char *rows2[] = {
        "0,dt=2026-01-01/,1,50,2026-11-03 00:00:00.000,0,1,1,50,1,50,131072,0,0,0," ZEROS21,
        /* table 1: flat, its dir NULL; GLACIER (class 5): +32 KiB, +8 KiB STANDARD */
        "1,~,1,7,~,0,0,1,7,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,7,131072,0,0,0,0,0,0,0,0,0",
    };
    p = page(false, rows2, 2, NULL);
    assert_true(inventory_sql_results_page(&r, p, strlen(p), &token, &error));
    assert_null(token);
    free(p);
    inventory_sql_results_end(&r);
    const inventory_table_report *t = &rep.tables[0];
    assert_int_equal(t->n_dirs, 2);
    assert_string_equal(t->dirs[0].name, "wh/tbl/dt=2026-01-01/"); /* sorted */
    assert_string_equal(t->dirs[1].name, "wh/tbl/dt=2026-01-02/");
    assert_int_equal(t->dirs[0].listed_at, 1000);
    assert_int_equal(t->total.objects, 4);
    assert_int_equal(t->total.bytes, 354);
    assert_int_equal(t->total.markers, 1);
    assert_int_equal(t->total.partitions, 2);
    assert_int_equal(t->total.s3_objects, 5);
    assert_int_equal(t->total.newest, 1793664000); /* 2026-11-03 */
    assert_int_equal(t->total.storage.objects[0], 4);
    assert_int_equal(t->total.storage.bytes[1], 200);
    assert_int_equal(t->total.storage.billed[1], 131072);
    assert_int_equal(t->total.storage.billed[0], 154);
    const inventory_table_report *f = &rep.tables[1];
    assert_int_equal(f->n_dirs, 0);
    assert_int_equal(f->total.objects, 1);
    assert_int_equal(f->total.newest, 0);
    assert_int_equal(f->total.storage.billed[5], 7 + 32 * 1024);
    assert_int_equal(f->total.storage.billed[0], 8 * 1024);
    assert_int_equal(rep.rows, 4);
    inventory_report_clear(&rep);
}

static void test_bad_results(void **state) {
    (void)state;
    inventory_sql_table tables[] = {{"lake", "wh/tbl/", 1}};
    const char *bad[] = {
        "{}", "not json", "{\"ResultSet\":{\"Rows\":{}}}", NULL, /* a row too short */
        NULL,                                                    /* an index out of range */
        NULL,                                                    /* a count that is not one */
        NULL,                                                    /* a time that is not one */
        NULL,                                                    /* a negative index */
    };
    const char *rows[] = {
        "0,~,1",
        "7,~,1,4,~,0,0,1,4,1,4,4,0,0,0," ZEROS21,
        "0,~,x1,4,~,0,0,1,4,1,4,4,0,0,0," ZEROS21,
        "0,~,1,4,yesterday,0,0,1,4,1,4,4,0,0,0," ZEROS21,
        "-1,~,1,4,~,0,0,1,4,1,4,4,0,0,0," ZEROS21,
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        inventory_report rep = {0};
        inventory_sql_results r;
        inventory_sql_results_begin(&r, tables, 1, &rep);
        char *p = bad[i] ? strdup(bad[i]) : page(true, &rows[i - 3], 1, NULL);
        char *token = NULL, *error = NULL;
        assert_false(inventory_sql_results_page(&r, p, strlen(p), &token, &error));
        assert_non_null(error);
        assert_null(token);
        free(error);
        free(p);
        inventory_report_clear(&rep);
    }
    /* a header of another query */
    inventory_report rep = {0};
    inventory_sql_results r;
    inventory_sql_results_begin(&r, tables, 1, &rep);
    const char *row[] = {"idx,dir,objects,bytes,newest,markers,partitions,s3_objects,s3_bytes,"
                         "o0,b0,f0,o1,b1,f1,o2,b2,f2,o3,b3,f3,o4,b4,f4,o5,b5,f5,o6,b6,f6,o7,b7,f7,"
                         "o8,b8,WRONG"};
    char *p = page(false, row, 1, NULL), *token = NULL, *error = NULL;
    assert_false(inventory_sql_results_page(&r, p, strlen(p), &token, &error));
    assert_non_null(strstr(error, "WRONG"));
    free(error);
    free(p);
    inventory_report_clear(&rep);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),       cmocka_unit_test(test_ddl),
        cmocka_unit_test(test_query),       cmocka_unit_test(test_results),
        cmocka_unit_test(test_bad_results), cmocka_unit_test(test_columnar_schemas),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
