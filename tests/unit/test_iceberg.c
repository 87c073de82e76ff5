/* test_iceberg.c: Iceberg metadata files (v1 with the legacy schema,
 * partition-spec and manifests fields, v2 with schemas, partition specs and
 * manifest lists, an empty table, the errors that name the field) and
 * manifest lists and manifests (Avro files built here with libavro's
 * writer: v1 and v2 schemas, codecs, and bytes that are not one). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/formats/iceberg.h"

static const char metadata_v2[] =
    "{\n"
    "  \"format-version\": 2,\n"
    "  \"table-uuid\": \"9c12d441-03fe-4693-9a96-a0705ddf69c1\",\n"
    "  \"location\": \"s3://lake/warehouse/sales\",\n"
    "  \"last-sequence-number\": 3,\n"
    "  \"last-updated-ms\": 1700000300000,\n"
    "  \"last-column-id\": 9,\n"
    "  \"current-schema-id\": 1,\n"
    "  \"schemas\": [\n"
    "    {\"type\": \"struct\", \"schema-id\": 0, \"fields\": [\n"
    "      {\"id\": 1, \"name\": \"id\", \"required\": true, \"type\": \"long\"}]},\n"
    "    {\"type\": \"struct\", \"schema-id\": 1, \"fields\": [\n"
    "      {\"id\": 1, \"name\": \"id\", \"required\": true, \"type\": \"long\"},\n"
    "      {\"id\": 2, \"name\": \"ts\", \"required\": true, \"type\": \"timestamptz\",\n"
    "       \"doc\": \"event time\"},\n"
    "      {\"id\": 3, \"name\": \"amount\", \"required\": false, \"type\": \"decimal(10, 2)\"},\n"
    "      {\"id\": 4, \"name\": \"tags\", \"required\": false, \"type\": {\"type\": \"list\",\n"
    "       \"element-id\": 7, \"element\": \"string\", \"element-required\": false}},\n"
    "      {\"id\": 5, \"name\": \"attrs\", \"required\": false, \"type\": {\"type\": \"map\",\n"
    "       \"key-id\": 8, \"key\": \"string\", \"value-id\": 9, \"value\": {\"type\": \"list\",\n"
    "       \"element-id\": 10, \"element\": \"int\", \"element-required\": true},\n"
    "       \"value-required\": false}},\n"
    "      {\"id\": 6, \"name\": \"point\", \"required\": false, \"type\": {\"type\": \"struct\",\n"
    "       \"fields\": [{\"id\": 11, \"name\": \"x\", \"required\": false, \"type\": "
    "\"double\"},\n"
    "                  {\"id\": 12, \"name\": \"y\", \"required\": false, \"type\": "
    "\"double\"}]}}\n"
    "    ]}\n"
    "  ],\n"
    "  \"default-spec-id\": 1,\n"
    "  \"partition-specs\": [\n"
    "    {\"spec-id\": 0, \"fields\": []},\n"
    "    {\"spec-id\": 1, \"fields\": [\n"
    "      {\"name\": \"ts_day\", \"transform\": \"day\", \"source-id\": 2, \"field-id\": 1000},\n"
    "      {\"name\": \"id_bucket\", \"transform\": \"bucket[16]\", \"source-id\": 1,\n"
    "       \"field-id\": 1001},\n"
    "      {\"name\": \"x_trunc\", \"transform\": \"truncate[4]\", \"source-id\": 11,\n"
    "       \"field-id\": 1002},\n"
    "      {\"name\": \"amount\", \"transform\": \"identity\", \"source-id\": 3, \"field-id\": "
    "1003}]}\n"
    "  ],\n"
    "  \"last-partition-id\": 1003,\n"
    "  \"properties\": {},\n"
    "  \"current-snapshot-id\": 3051729675574597004,\n"
    "  \"refs\": {\"main\": {\"snapshot-id\": 3051729675574597004, \"type\": \"branch\"}},\n"
    "  \"snapshots\": [\n"
    "    {\"snapshot-id\": 1001, \"sequence-number\": 1, \"timestamp-ms\": 1700000000000,\n"
    "     \"manifest-list\": \"s3://lake/warehouse/sales/metadata/snap-1001.avro\",\n"
    "     \"summary\": {\"operation\": \"append\", \"added-data-files\": \"2\",\n"
    "                 \"added-records\": \"100\", \"total-data-files\": \"2\",\n"
    "                 \"total-files-size\": \"2048\", \"total-records\": \"100\",\n"
    "                 \"total-delete-files\": \"0\"}, \"schema-id\": 0},\n"
    "    {\"snapshot-id\": 3051729675574597004, \"parent-snapshot-id\": 1001,\n"
    "     \"sequence-number\": 3, \"timestamp-ms\": 1700000200000,\n"
    "     \"manifest-list\": \"s3://lake/warehouse/sales/metadata/snap-3051.avro\",\n"
    "     \"summary\": {\"operation\": \"replace\", \"added-data-files\": 1,\n"
    "                 \"deleted-data-files\": 2, \"added-records\": 100,\n"
    "                 \"deleted-records\": \"100\", \"total-data-files\": 1,\n"
    "                 \"total-files-size\": 1900, \"total-records\": 100.0,\n"
    "                 \"total-delete-files\": \"1\"}}\n"
    "  ],\n"
    "  \"snapshot-log\": [], \"metadata-log\": []\n"
    "}\n";

static void test_metadata_v2(void **state) {
    (void)state;
    iceberg_metadata m;
    char *error = NULL;
    assert_true(iceberg_metadata_parse(metadata_v2, strlen(metadata_v2), &m, &error));
    assert_null(error);
    assert_int_equal(m.format_version, 2);
    assert_string_equal(m.location, "s3://lake/warehouse/sales");
    assert_int_equal(m.last_updated_ms, 1700000300000LL);
    assert_int_equal(m.n_snapshots, 2);
    const iceberg_snapshot *s = iceberg_current_snapshot(&m);
    assert_non_null(s);
    assert_ptr_equal(s, &m.snapshots[1]);
    assert_int_equal(s->id, 3051729675574597004LL);
    assert_int_equal(s->parent_id, 1001);
    assert_int_equal(s->sequence_number, 3);
    assert_int_equal(s->timestamp_ms, 1700000200000LL);
    assert_string_equal(s->manifest_list, "s3://lake/warehouse/sales/metadata/snap-3051.avro");
    assert_int_equal(s->n_manifests, 0);
    assert_string_equal(s->operation, "replace");
    /* numbers accepted as well as the spec's strings */
    assert_int_equal(s->total_data_files, 1);
    assert_int_equal(s->total_files_size, 1900);
    assert_int_equal(s->total_records, 100);
    assert_int_equal(s->total_delete_files, 1);
    assert_int_equal(s->added_data_files, 1);
    assert_int_equal(s->deleted_data_files, 2);
    assert_int_equal(s->added_records, 100);
    assert_int_equal(s->deleted_records, 100);
    const iceberg_snapshot *first = &m.snapshots[0];
    assert_int_equal(first->parent_id, -1);
    assert_int_equal(first->deleted_data_files, -1); /* not in its summary */
    assert_int_equal(first->total_files_size, 2048);
    assert_string_equal(m.partition_spec, "day(ts), bucket(16, id), truncate(4, point.x), amount");
    /* the current schema (1), not the first */
    assert_int_equal(m.n_columns, 6);
    assert_string_equal(m.columns[0].name, "id");
    assert_string_equal(m.columns[0].type, "long");
    assert_null(m.columns[0].comment);
    assert_string_equal(m.columns[1].name, "ts");
    assert_string_equal(m.columns[1].type, "timestamptz");
    assert_string_equal(m.columns[1].comment, "event time");
    assert_string_equal(m.columns[2].type, "decimal(10, 2)");
    assert_string_equal(m.columns[3].type, "list<string>");
    assert_string_equal(m.columns[4].type, "map<string, list<int>>");
    assert_string_equal(m.columns[5].name, "point");
    assert_string_equal(m.columns[5].type, "struct<x: double, y: double>");
    iceberg_metadata_clear(&m);
    iceberg_metadata_clear(&m); /* twice is harmless */
}

/* v1 as the first writers left it: "schema", "partition-spec", and a
 * snapshot with "manifests" instead of a manifest list. */
static const char metadata_v1[] =
    "{\"format-version\": 1, \"table-uuid\": \"x\", \"location\": \"file:///lake/ice\",\n"
    " \"last-updated-ms\": 1600000100000, \"last-column-id\": 3,\n"
    " \"schema\": {\"type\": \"struct\", \"fields\": [\n"
    "   {\"id\": 1, \"name\": \"id\", \"required\": true, \"type\": \"long\"},\n"
    "   {\"id\": 2, \"name\": \"region\", \"required\": false, \"type\": \"string\"},\n"
    "   {\"id\": 3, \"name\": \"at\", \"required\": false, \"type\": \"timestamp\"}]},\n"
    " \"partition-spec\": [{\"name\": \"region\", \"transform\": \"identity\", \"source-id\": 2},\n"
    "                    {\"name\": \"at_hour\", \"transform\": \"hour\", \"source-id\": 3}],\n"
    " \"properties\": {}, \"current-snapshot-id\": 7,\n"
    " \"snapshots\": [\n"
    "   {\"snapshot-id\": 5, \"timestamp-ms\": 1600000000000,\n"
    "    \"manifests\": [\"file:///lake/ice/metadata/a-m0.avro\"],\n"
    "    \"summary\": {\"operation\": \"append\"}},\n"
    "   {\"snapshot-id\": 7, \"parent-snapshot-id\": 5, \"timestamp-ms\": 1600000100000,\n"
    "    \"manifests\": [\"file:///lake/ice/metadata/b-m0.avro\",\n"
    "                  \"file:///lake/ice/metadata/a-m0.avro\"]}]}";

static void test_metadata_v1(void **state) {
    (void)state;
    iceberg_metadata m;
    char *error = NULL;
    assert_true(iceberg_metadata_parse(metadata_v1, strlen(metadata_v1), &m, &error));
    assert_int_equal(m.format_version, 1);
    assert_string_equal(m.location, "file:///lake/ice");
    assert_int_equal(m.n_snapshots, 2);
    const iceberg_snapshot *s = iceberg_current_snapshot(&m);
    assert_non_null(s);
    assert_int_equal(s->id, 7);
    assert_int_equal(s->sequence_number, 0);
    assert_null(s->manifest_list);
    assert_int_equal(s->n_manifests, 2);
    assert_string_equal(s->manifests[0], "file:///lake/ice/metadata/b-m0.avro");
    assert_string_equal(s->manifests[1], "file:///lake/ice/metadata/a-m0.avro");
    assert_null(s->operation); /* no summary at all */
    assert_int_equal(s->total_data_files, -1);
    assert_int_equal(s->total_records, -1);
    assert_string_equal(m.snapshots[0].operation, "append");
    assert_int_equal(m.snapshots[0].total_files_size, -1);
    assert_string_equal(m.partition_spec, "region, hour(at)");
    assert_int_equal(m.n_columns, 3);
    assert_string_equal(m.columns[2].name, "at");
    assert_string_equal(m.columns[2].type, "timestamp");
    iceberg_metadata_clear(&m);
}

static void test_metadata_empty(void **state) {
    (void)state;
    static const char empty[] =
        "{\"format-version\": 2, \"location\": \"s3://b/t\", \"last-updated-ms\": 1,\n"
        " \"current-schema-id\": 0, \"schemas\": [{\"schema-id\": 0, \"type\": \"struct\",\n"
        " \"fields\": [{\"id\": 1, \"name\": \"id\", \"required\": true, \"type\": \"long\"}]}],\n"
        " \"default-spec-id\": 0, \"partition-specs\": [{\"spec-id\": 0, \"fields\": []}],\n"
        " \"current-snapshot-id\": -1, \"snapshots\": [], \"snapshot-log\": []}";
    iceberg_metadata m;
    char *error = NULL;
    assert_true(iceberg_metadata_parse(empty, strlen(empty), &m, &error));
    assert_int_equal(m.current_snapshot_id, -1);
    assert_null(iceberg_current_snapshot(&m));
    assert_int_equal(m.n_snapshots, 0);
    assert_string_equal(m.partition_spec, "");
    assert_int_equal(m.n_columns, 1);
    iceberg_metadata_clear(&m);
    /* a null current snapshot and no snapshots key at all: the same */
    static const char null_current[] =
        "{\"format-version\": 2, \"location\": \"s3://b/t\", \"current-snapshot-id\": null,\n"
        " \"schema\": {\"type\": \"struct\", \"fields\": []}}";
    assert_true(iceberg_metadata_parse(null_current, strlen(null_current), &m, &error));
    assert_int_equal(m.current_snapshot_id, -1);
    assert_null(iceberg_current_snapshot(&m));
    assert_int_equal(m.last_updated_ms, -1);
    assert_string_equal(m.partition_spec, "");
    iceberg_metadata_clear(&m);
}

static void expect_metadata_error(const char *text, const char *want) {
    iceberg_metadata m;
    char *error = NULL;
    memset(&m, 0x5a, sizeof m);
    bool ok = iceberg_metadata_parse(text, strlen(text), &m, &error);
    if (ok || !error || !strstr(error, want))
        fail_msg("for %.60s: wanted an error with \"%s\", got %s", text, want,
                 error ? error : "success");
    assert_null(m.snapshots);
    assert_null(m.columns);
    assert_null(m.location);
    free(error);
}

static void test_metadata_errors(void **state) {
    (void)state;
    expect_metadata_error("", "not an Iceberg metadata file: the JSON ends early");
    expect_metadata_error("{\"format-version\": 2, \"location\": \"s3://", "ends early");
    expect_metadata_error("{\"format-version\" 2}", "bad JSON");
    expect_metadata_error("[1, 2]", "not an Iceberg metadata file: not a JSON object");
    expect_metadata_error("{\"location\": \"x\"}",
                          "not an Iceberg metadata file: no format-version");
    expect_metadata_error("{\"format-version\": \"2\"}", "format-version is not an integer");
    expect_metadata_error("{\"format-version\": 3, \"location\": \"x\"}", "format-version 3");
    expect_metadata_error("{\"format-version\": 2}", "no location");
    expect_metadata_error("{\"format-version\": 2, \"location\": \"x\"}", "no schema");
    expect_metadata_error("{\"format-version\": 2, \"location\": \"x\", \"schema\": {}}",
                          "the current schema has no fields");
    expect_metadata_error("{\"format-version\": 2, \"location\": \"x\", \"schemas\": [],"
                          " \"current-schema-id\": 4}",
                          "current-schema-id 4 is not among schemas");
    expect_metadata_error("{\"format-version\": 2, \"location\": \"x\", \"schema\": {\"fields\":"
                          " [{\"id\": 1, \"type\": \"long\"}]}}",
                          "schema field 0 has no name");
    expect_metadata_error("{\"format-version\": 2, \"location\": \"x\", \"schema\": {\"fields\":"
                          " [{\"id\": 1, \"name\": \"a\", \"type\": 5}]}}",
                          "schema field a has no type");
    expect_metadata_error("{\"format-version\": 2, \"location\": \"x\", \"snapshots\": {}}",
                          "snapshots is not an array");
    expect_metadata_error("{\"format-version\": 2, \"location\": \"x\", \"snapshots\": [{}]}",
                          "snapshots[0] no snapshot-id");
    expect_metadata_error("{\"format-version\": 2, \"location\": \"x\", \"snapshots\":"
                          " [{\"snapshot-id\": 1}]}",
                          "snapshots[0] no timestamp-ms");
    expect_metadata_error("{\"format-version\": 2, \"location\": \"x\", \"snapshots\":"
                          " [{\"snapshot-id\": 1, \"timestamp-ms\": 2}]}",
                          "snapshots[0] has no manifest-list");
    expect_metadata_error("{\"format-version\": 2, \"location\": \"x\", \"snapshots\":"
                          " [{\"snapshot-id\": 1, \"timestamp-ms\": 2, \"manifests\": [3]}]}",
                          "snapshots[0] manifests[0] is not a string");
    expect_metadata_error("{\"format-version\": 2, \"location\": \"x\", \"snapshots\":"
                          " [{\"snapshot-id\": 1, \"timestamp-ms\": 2, \"manifest-list\": \"m\","
                          " \"summary\": {\"total-records\": \"12x\"}}]}",
                          "snapshots[0] summary total-records is not a count");
    expect_metadata_error("{\"format-version\": 2, \"location\": \"x\", \"snapshots\":"
                          " [{\"snapshot-id\": 1, \"timestamp-ms\": 2, \"manifest-list\": \"m\","
                          " \"summary\": {\"total-files-size\": -5}}]}",
                          "summary total-files-size is not a count");
    expect_metadata_error("{\"format-version\": 2, \"location\": \"x\", \"current-snapshot-id\": 9,"
                          " \"snapshots\": [{\"snapshot-id\": 1, \"timestamp-ms\": 2,"
                          " \"manifest-list\": \"m\"}], \"schema\": {\"fields\": []}}",
                          "current-snapshot-id 9 is not among snapshots");
    expect_metadata_error("{\"format-version\": 2, \"location\": \"x\", \"schema\": {\"fields\":"
                          " []}} trailing",
                          "data after the JSON object");
}

/* A type nested past the depth written out is named by its kind. */
static void test_metadata_deep_type(void **state) {
    (void)state;
    char text[4096];
    int n = snprintf(text, sizeof text,
                     "{\"format-version\": 2, \"location\": \"x\", "
                     "\"schema\": {\"fields\": [{\"id\": 1, \"name\": \"deep\", "
                     "\"type\": ");
    for (int i = 0; i < 20; i++)
        n += snprintf(text + n, sizeof text - (size_t)n, "{\"type\": \"list\", \"element\": ");
    n += snprintf(text + n, sizeof text - (size_t)n, "\"int\"");
    for (int i = 0; i < 20; i++)
        n += snprintf(text + n, sizeof text - (size_t)n, "}");
    snprintf(text + n, sizeof text - (size_t)n, "}]}}");
    iceberg_metadata m;
    char *error = NULL;
    assert_true(iceberg_metadata_parse(text, strlen(text), &m, &error));
    assert_string_equal(m.columns[0].type, "list<list<list<list<list<list<list<list<list>>>>>>>>");
    iceberg_metadata_clear(&m);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_metadata_v2),        cmocka_unit_test(test_metadata_v1),
        cmocka_unit_test(test_metadata_empty),     cmocka_unit_test(test_metadata_errors),
        cmocka_unit_test(test_metadata_deep_type),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
