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

#include <avro.h>

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
    /* not in its summary, beside the totals: none (Java writes only changes that are not 0) */
    assert_int_equal(first->deleted_data_files, 0);
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

/* ---- manifests: Avro files written here with libavro's writer */

/* v2 manifest_file as the spec has it (partitions left out: null). */
static const char list_v2_schema[] =
    "{\"type\": \"record\", \"name\": \"manifest_file\", \"fields\": ["
    "{\"name\": \"manifest_path\", \"type\": \"string\", \"field-id\": 500},"
    "{\"name\": \"manifest_length\", \"type\": \"long\", \"field-id\": 501},"
    "{\"name\": \"partition_spec_id\", \"type\": \"int\", \"field-id\": 502},"
    "{\"name\": \"content\", \"type\": \"int\", \"field-id\": 517},"
    "{\"name\": \"sequence_number\", \"type\": \"long\", \"field-id\": 515},"
    "{\"name\": \"min_sequence_number\", \"type\": \"long\", \"field-id\": 516},"
    "{\"name\": \"added_snapshot_id\", \"type\": \"long\", \"field-id\": 503},"
    "{\"name\": \"added_files_count\", \"type\": \"int\", \"field-id\": 504},"
    "{\"name\": \"existing_files_count\", \"type\": \"int\", \"field-id\": 505},"
    "{\"name\": \"deleted_files_count\", \"type\": \"int\", \"field-id\": 506},"
    "{\"name\": \"added_rows_count\", \"type\": \"long\", \"field-id\": 512},"
    "{\"name\": \"existing_rows_count\", \"type\": \"long\", \"field-id\": 513},"
    "{\"name\": \"deleted_rows_count\", \"type\": \"long\", \"field-id\": 514},"
    "{\"name\": \"partitions\", \"type\": [\"null\", {\"type\": \"array\", \"items\": {"
    "\"type\": \"record\", \"name\": \"r508\", \"fields\": ["
    "{\"name\": \"contains_null\", \"type\": \"boolean\", \"field-id\": 509},"
    "{\"name\": \"lower_bound\", \"type\": [\"null\", \"bytes\"], \"field-id\": 510},"
    "{\"name\": \"upper_bound\", \"type\": [\"null\", \"bytes\"], \"field-id\": 511}]},"
    "\"element-id\": 508}], \"default\": null, \"field-id\": 507},"
    "{\"name\": \"key_metadata\", \"type\": [\"null\", \"bytes\"], \"default\": null,"
    " \"field-id\": 519}]}";

/* v1 manifest_file: no content, the counts and the snapshot id optional. */
static const char list_v1_schema[] =
    "{\"type\": \"record\", \"name\": \"manifest_file\", \"fields\": ["
    "{\"name\": \"manifest_path\", \"type\": \"string\", \"field-id\": 500},"
    "{\"name\": \"manifest_length\", \"type\": \"long\", \"field-id\": 501},"
    "{\"name\": \"partition_spec_id\", \"type\": \"int\", \"field-id\": 502},"
    "{\"name\": \"added_snapshot_id\", \"type\": [\"null\", \"long\"], \"default\": null,"
    " \"field-id\": 503},"
    "{\"name\": \"added_data_files_count\", \"type\": [\"null\", \"int\"], \"default\": null,"
    " \"field-id\": 504}]}";

/* v2 manifest_entry with its data_file (r2) and partition (r102). */
static const char entry_v2_schema[] =
    "{\"type\": \"record\", \"name\": \"manifest_entry\", \"fields\": ["
    "{\"name\": \"status\", \"type\": \"int\", \"field-id\": 0},"
    "{\"name\": \"snapshot_id\", \"type\": [\"null\", \"long\"], \"default\": null, \"field-id\": "
    "1},"
    "{\"name\": \"sequence_number\", \"type\": [\"null\", \"long\"], \"default\": null,"
    " \"field-id\": 3},"
    "{\"name\": \"file_sequence_number\", \"type\": [\"null\", \"long\"], \"default\": null,"
    " \"field-id\": 4},"
    "{\"name\": \"data_file\", \"field-id\": 2, \"type\": {\"type\": \"record\", \"name\": \"r2\","
    " \"fields\": ["
    "{\"name\": \"content\", \"type\": \"int\", \"field-id\": 134},"
    "{\"name\": \"file_path\", \"type\": \"string\", \"field-id\": 100},"
    "{\"name\": \"file_format\", \"type\": \"string\", \"field-id\": 101},"
    "{\"name\": \"partition\", \"field-id\": 102, \"type\": {\"type\": \"record\", \"name\": "
    "\"r102\","
    " \"fields\": [{\"name\": \"ts_day\", \"type\": [\"null\", {\"type\": \"int\", \"logicalType\":"
    " \"date\"}], \"default\": null, \"field-id\": 1000}]}},"
    "{\"name\": \"record_count\", \"type\": \"long\", \"field-id\": 103},"
    "{\"name\": \"file_size_in_bytes\", \"type\": \"long\", \"field-id\": 104},"
    "{\"name\": \"column_sizes\", \"type\": [\"null\", {\"type\": \"array\", \"logicalType\": "
    "\"map\","
    " \"items\": {\"type\": \"record\", \"name\": \"k117_v118\", \"fields\": ["
    "{\"name\": \"key\", \"type\": \"int\", \"field-id\": 117},"
    "{\"name\": \"value\", \"type\": \"long\", \"field-id\": 118}]}}], \"default\": null,"
    " \"field-id\": 108},"
    "{\"name\": \"split_offsets\", \"type\": [\"null\", {\"type\": \"array\", \"items\": \"long\","
    " \"element-id\": 133}], \"default\": null, \"field-id\": 132}]}}]}";

/* v1 manifest_entry: no content, snapshot_id required, block_size_in_bytes. */
static const char entry_v1_schema[] =
    "{\"type\": \"record\", \"name\": \"manifest_entry\", \"fields\": ["
    "{\"name\": \"status\", \"type\": \"int\", \"field-id\": 0},"
    "{\"name\": \"snapshot_id\", \"type\": \"long\", \"field-id\": 1},"
    "{\"name\": \"data_file\", \"field-id\": 2, \"type\": {\"type\": \"record\", \"name\": \"r2\","
    " \"fields\": ["
    "{\"name\": \"file_path\", \"type\": \"string\", \"field-id\": 100},"
    "{\"name\": \"file_format\", \"type\": \"string\", \"field-id\": 101},"
    "{\"name\": \"partition\", \"field-id\": 102, \"type\": {\"type\": \"record\", \"name\": "
    "\"r102\","
    " \"fields\": []}},"
    "{\"name\": \"record_count\", \"type\": \"long\", \"field-id\": 103},"
    "{\"name\": \"file_size_in_bytes\", \"type\": \"long\", \"field-id\": 104},"
    "{\"name\": \"block_size_in_bytes\", \"type\": \"long\", \"field-id\": 105}]}}]}";

/* An Avro file in memory being written. */
typedef struct avro_out {
    char *data;
    size_t length;
    FILE *fp;
    avro_schema_t schema;
    avro_file_writer_t writer;
    avro_value_iface_t *iface;
    avro_value_t value;
} avro_out;

static void avro_out_start(avro_out *o, const char *schema_json, const char *codec,
                           size_t block_size) {
    memset(o, 0, sizeof *o);
    if (avro_schema_from_json_length(schema_json, strlen(schema_json), &o->schema) != 0)
        fail_msg("test schema: %s", avro_strerror());
    o->fp = open_memstream(&o->data, &o->length);
    assert_non_null(o->fp);
    if (avro_file_writer_create_with_codec_fp(o->fp, "test", 1, o->schema, &o->writer, codec,
                                              block_size) != 0)
        fail_msg("writer: %s", avro_strerror());
    o->iface = avro_generic_class_from_schema(o->schema);
    assert_int_equal(avro_generic_value_new(o->iface, &o->value), 0);
}

/* Sets every union under `v` to null (the generic value has no branch). */
static void avro_out_nulls(avro_value_t *v) {
    avro_value_t child, branch;
    size_t n;
    switch (avro_value_get_type(v)) {
    case AVRO_RECORD:
        assert_int_equal(avro_value_get_size(v, &n), 0);
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(avro_value_get_by_index(v, i, &child, NULL), 0);
            avro_out_nulls(&child);
        }
        break;
    case AVRO_UNION:
        assert_int_equal(avro_value_set_branch(v, 0, &branch), 0);
        assert_int_equal(avro_value_set_null(&branch), 0);
        break;
    default: break;
    }
}

static avro_value_t avro_out_field(avro_value_t *record, const char *name) {
    avro_value_t field;
    if (avro_value_get_by_name(record, name, &field, NULL) != 0)
        fail_msg("no field %s", name);
    return field;
}

static void avro_out_long(avro_value_t *record, const char *name, int64_t v) {
    avro_value_t field = avro_out_field(record, name), branch;
    if (avro_value_get_type(&field) == AVRO_UNION) {
        assert_int_equal(avro_value_set_branch(&field, 1, &branch), 0);
        field = branch;
    }
    if (avro_value_get_type(&field) == AVRO_INT32)
        assert_int_equal(avro_value_set_int(&field, (int32_t)v), 0);
    else
        assert_int_equal(avro_value_set_long(&field, v), 0);
}

static void avro_out_string(avro_value_t *record, const char *name, const char *s) {
    avro_value_t field = avro_out_field(record, name);
    assert_int_equal(avro_value_set_string(&field, s), 0);
}

static void avro_out_append(avro_out *o) {
    if (avro_file_writer_append_value(o->writer, &o->value) != 0)
        fail_msg("append: %s", avro_strerror());
}

static void avro_out_finish(avro_out *o) {
    assert_int_equal(avro_file_writer_close(o->writer), 0); /* closes the memstream */
    avro_value_decref(&o->value);
    avro_value_iface_decref(o->iface);
    avro_schema_decref(o->schema);
}

static void list_entry(avro_out *o, const char *path, int64_t length, int content,
                       int64_t snapshot) {
    avro_out_nulls(&o->value);
    avro_out_string(&o->value, "manifest_path", path);
    avro_out_long(&o->value, "manifest_length", length);
    avro_out_long(&o->value, "partition_spec_id", 0);
    if (content >= 0)
        avro_out_long(&o->value, "content", content);
    if (snapshot >= 0)
        avro_out_long(&o->value, "added_snapshot_id", snapshot);
    if (content >= 0) { /* v2 */
        static const char *const counts[] = {"sequence_number",     "min_sequence_number",
                                             "added_files_count",   "existing_files_count",
                                             "deleted_files_count", "added_rows_count",
                                             "existing_rows_count", "deleted_rows_count"};
        for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
            avro_out_long(&o->value, counts[i], 1);
    }
    avro_out_append(o);
}

static void test_manifest_list_v2(void **state) {
    (void)state;
    avro_out o;
    avro_out_start(&o, list_v2_schema, "deflate", 0);
    list_entry(&o, "s3://b/t/metadata/a-m0.avro", 6100, 0, 77);
    list_entry(&o, "s3://b/t/metadata/b-m0.avro", 5200, 1, 78);
    list_entry(&o, "s3://b/t/metadata/c-m0.avro", 4300, 0, 3051729675574597004LL);
    avro_out_finish(&o);
    iceberg_manifest_ref *refs;
    size_t n;
    char *error = NULL;
    assert_true(iceberg_manifest_list_read(o.data, o.length, &refs, &n, &error));
    assert_null(error);
    assert_int_equal(n, 3);
    assert_string_equal(refs[0].path, "s3://b/t/metadata/a-m0.avro");
    assert_int_equal(refs[0].length, 6100);
    assert_int_equal(refs[0].content, 0);
    assert_int_equal(refs[0].added_snapshot_id, 77);
    assert_int_equal(refs[1].content, 1);
    assert_int_equal(refs[2].added_snapshot_id, 3051729675574597004LL);
    iceberg_manifest_refs_free(refs, n);
    free(o.data);
}

static void test_manifest_list_v1(void **state) {
    (void)state;
    avro_out o;
    avro_out_start(&o, list_v1_schema, "null", 0);
    list_entry(&o, "file:///lake/t/metadata/a-m0.avro", 900, -1, 5);
    list_entry(&o, "file:///lake/t/metadata/b-m0.avro", 901, -1, -1); /* null snapshot id */
    avro_out_finish(&o);
    iceberg_manifest_ref *refs;
    size_t n;
    char *error = NULL;
    assert_true(iceberg_manifest_list_read(o.data, o.length, &refs, &n, &error));
    assert_int_equal(n, 2);
    assert_int_equal(refs[0].content, 0);
    assert_int_equal(refs[0].added_snapshot_id, 5);
    assert_string_equal(refs[1].path, "file:///lake/t/metadata/b-m0.avro");
    assert_int_equal(refs[1].length, 901);
    assert_int_equal(refs[1].added_snapshot_id, -1);
    iceberg_manifest_refs_free(refs, n);
    free(o.data);
}

static void manifest_entry(avro_out *o, bool v2, int status, int content, const char *path,
                           int64_t size, int64_t records) {
    avro_out_nulls(&o->value);
    avro_out_long(&o->value, "status", status);
    avro_out_long(&o->value, "snapshot_id", 12);
    avro_value_t df = avro_out_field(&o->value, "data_file");
    if (v2)
        avro_out_long(&df, "content", content);
    avro_out_string(&df, "file_path", path);
    avro_out_string(&df, "file_format", "PARQUET");
    avro_out_long(&df, "record_count", records);
    avro_out_long(&df, "file_size_in_bytes", size);
    if (!v2) {
        avro_out_long(&df, "block_size_in_bytes", 67108864);
    } else {
        avro_value_t part = avro_out_field(&df, "partition");
        avro_out_long(&part, "ts_day", 20000);
        /* column_sizes: an array of two key/value records */
        avro_value_t sizes = avro_out_field(&df, "column_sizes"), array, item;
        assert_int_equal(avro_value_set_branch(&sizes, 1, &array), 0);
        assert_int_equal(avro_value_reset(&array), 0);
        for (int k = 1; k <= 2; k++) {
            assert_int_equal(avro_value_append(&array, &item, NULL), 0);
            avro_out_long(&item, "key", k);
            avro_out_long(&item, "value", size / 3);
        }
    }
    avro_out_append(o);
}

static void test_manifest_v2(void **state) {
    (void)state;
    avro_out o;
    avro_out_start(&o, entry_v2_schema, "snappy", 0);
    manifest_entry(&o, true, 1, 0, "s3://b/t/data/ts_day=2024-10-04/00000-0-a.parquet", 123456,
                   1000);
    manifest_entry(&o, true, 0, 0, "s3://b/t/data/ts_day=2024-10-04/00001-0-b.parquet",
                   5000000000LL, 4000000000LL);
    manifest_entry(&o, true, 2, 0, "s3://b/t/data/ts_day=2024-10-03/00002-0-c.parquet", 77, 3);
    manifest_entry(&o, true, 1, 1, "s3://b/t/data/ts_day=2024-10-04/00003-0-d-deletes.parquet",
                   1500, 12);
    avro_out_finish(&o);
    iceberg_file *files;
    size_t n;
    char *error = NULL;
    assert_true(iceberg_manifest_read(o.data, o.length, &files, &n, &error));
    assert_null(error);
    assert_int_equal(n, 4);
    assert_int_equal(files[0].status, 1);
    assert_int_equal(files[0].content, 0);
    assert_string_equal(files[0].path, "s3://b/t/data/ts_day=2024-10-04/00000-0-a.parquet");
    assert_int_equal(files[0].size, 123456);
    assert_int_equal(files[0].records, 1000);
    assert_int_equal(files[1].status, 0);
    assert_int_equal(files[1].size, 5000000000LL);
    assert_int_equal(files[1].records, 4000000000LL);
    assert_int_equal(files[2].status, 2);
    assert_int_equal(files[3].content, 1);
    assert_int_equal(files[3].records, 12);
    iceberg_files_free(files, n);
    free(o.data);
}

/* v1, null codec, 600 entries over many small blocks. */
static void test_manifest_v1_blocks(void **state) {
    (void)state;
    avro_out o;
    char path[64];
    avro_out_start(&o, entry_v1_schema, "null", 512);
    for (int i = 0; i < 600; i++) {
        snprintf(path, sizeof path, "/lake/t/data/%05d.parquet", i);
        manifest_entry(&o, false, i % 3, 0, path, 1000 + i, i);
    }
    avro_out_finish(&o);
    iceberg_file *files;
    size_t n;
    char *error = NULL;
    assert_true(iceberg_manifest_read(o.data, o.length, &files, &n, &error));
    assert_int_equal(n, 600);
    int64_t bytes = 0;
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(files[i].content, 0);
        assert_int_equal(files[i].status, (int)(i % 3));
        bytes += files[i].size;
    }
    assert_int_equal(bytes, 600 * 1000 + 599 * 600 / 2);
    assert_string_equal(files[599].path, "/lake/t/data/00599.parquet");
    iceberg_files_free(files, n);
    free(o.data);
}

/* A manifest with no entry is a header alone: no block at all. */
static void test_manifest_empty(void **state) {
    (void)state;
    avro_out o;
    avro_out_start(&o, entry_v2_schema, "deflate", 0);
    avro_out_finish(&o);
    iceberg_file *files;
    size_t n = 9;
    char *error = NULL;
    assert_true(iceberg_manifest_read(o.data, o.length, &files, &n, &error));
    assert_int_equal(n, 0);
    iceberg_files_free(files, n);
    free(o.data);
    avro_out_start(&o, list_v2_schema, "null", 0);
    avro_out_finish(&o);
    iceberg_manifest_ref *refs;
    assert_true(iceberg_manifest_list_read(o.data, o.length, &refs, &n, &error));
    assert_int_equal(n, 0);
    iceberg_manifest_refs_free(refs, n);
    free(o.data);
}

static void expect_manifest_error(const char *data, size_t length, const char *want) {
    iceberg_file *files = (iceberg_file *)1;
    size_t n = 7;
    char *error = NULL;
    if (iceberg_manifest_read(data, length, &files, &n, &error) || !error ||
        (want && !strstr(error, want)))
        fail_msg("wanted an error with \"%s\", got %s", want ? want : "(any)",
                 error ? error : "success");
    assert_null(files);
    assert_int_equal(n, 0);
    free(error);
}

static void expect_list_error(const char *data, size_t length, const char *want) {
    iceberg_manifest_ref *refs = (iceberg_manifest_ref *)1;
    size_t n = 7;
    char *error = NULL;
    if (iceberg_manifest_list_read(data, length, &refs, &n, &error) || !error ||
        (want && !strstr(error, want)))
        fail_msg("wanted an error with \"%s\", got %s", want ? want : "(any)",
                 error ? error : "success");
    assert_null(refs);
    assert_int_equal(n, 0);
    free(error);
}

/* A header-only Avro file with this schema and codec (malloc'd). */
static char *avro_header(const char *schema, const char *codec, size_t *length) {
    size_t schema_length = strlen(schema), codec_length = strlen(codec);
    char *out = malloc(64 + schema_length + codec_length), *p = out;
    memcpy(p,
           "Obj\x01\x04\x14"
           "avro.codec",
           16);
    p += 16;
    *p++ = (char)(codec_length * 2);
    memcpy(p, codec, codec_length);
    p += codec_length;
    memcpy(p,
           "\x16"
           "avro.schema",
           12);
    p += 12;
    for (uint64_t v = (uint64_t)schema_length * 2;; v >>= 7) { /* zigzag varint */
        *p++ = (char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
        if (v <= 0x7f)
            break;
    }
    memcpy(p, schema, schema_length);
    p += schema_length;
    *p++ = 0; /* end of the metadata map */
    memcpy(p, "0123456789abcdef", 16);
    *length = (size_t)(p + 16 - out);
    return out;
}

/* Schemas libavro refuses, some of them leaking what it built (a named
 * type defined twice): refused before it sees them. */
static void test_manifest_bad_schema(void **state) {
    (void)state;
    static const char *const schemas[] = {
        "{\"type\": \"record\", \"name\": \"a\", \"fields\": [{\"name\": \"x\", \"type\":"
        " {\"type\": \"record\", \"name\": \"a\", \"fields\": []}}]}",
        "{\"type\": \"record\", \"name\": \"a\", \"fields\": [{\"name\": \"x\", \"type\":"
        " {\"type\": \"enum\", \"name\": \"e\", \"symbols\": [\"A\"]}}, {\"name\": \"y\","
        " \"type\": {\"type\": \"fixed\", \"name\": \"e\", \"size\": 4}}]}",
        "{\"type\": \"record\", \"name\": \"a\", \"fields\": [{\"name\": \"x\", \"type\":"
        " \"nosuchtype\"}]}",
        "{\"type\": \"record\", \"name\": \"a\", \"fields\": [{\"name\": \"x\"}]}",
        "{\"type\": \"record\", \"name\": \"a\"} trailing",
        "[]",
    };
    for (size_t i = 0; i < sizeof schemas / sizeof schemas[0]; i++) {
        size_t length;
        char *file = avro_header(schemas[i], "null", &length);
        expect_manifest_error(file, length, "the schema does not parse");
        expect_list_error(file, length, "the schema does not parse");
        free(file);
    }
    /* the helper makes good files too */
    size_t length;
    char *file = avro_header(list_v1_schema, "deflate", &length);
    iceberg_manifest_ref *refs;
    size_t n;
    char *error = NULL;
    assert_true(iceberg_manifest_list_read(file, length, &refs, &n, &error));
    assert_int_equal(n, 0);
    iceberg_manifest_refs_free(refs, n);
    free(file);
}

static void test_manifest_not_avro(void **state) {
    (void)state;
    static const char parquet[] = "PAR1\0\0\0\0PAR1";
    expect_manifest_error(parquet, sizeof parquet - 1, "manifest: not an Avro object container");
    expect_list_error(parquet, sizeof parquet - 1, "manifest list: not an Avro object container");
    expect_manifest_error("", 0, "not an Avro");
    expect_manifest_error(NULL, 0, "not an Avro");
    static const char json[] = "{\"format-version\": 2}";
    expect_list_error(json, sizeof json - 1, "not an Avro");
    static const char lzma[] = "Obj\x01\x04\x14"
                               "avro.codec\x08lzma\x16"
                               "avro.schema\x10\"string\"\x00"
                               "0123456789abcdef";
    expect_manifest_error(lzma, sizeof lzma - 1, "codec 'lzma' is not read");
    static const char bad_schema[] = "Obj\x01\x04\x14"
                                     "avro.codec\x08null\x16"
                                     "avro.schema\x0e{\"type\"\x00"
                                     "0123456789abcdef";
    expect_manifest_error(bad_schema, sizeof bad_schema - 1, "the schema does not parse");
}

/* Every cut of a good file fails, cleanly, with "truncated" where it
 * matters; none crashes or leaks (the ASan build runs this too). */
static void test_manifest_truncated(void **state) {
    (void)state;
    avro_out o;
    avro_out_start(&o, entry_v2_schema, "deflate", 256);
    for (int i = 0; i < 12; i++)
        manifest_entry(&o, true, 1, 0, "s3://b/t/data/f.parquet", 100 + i, i);
    avro_out_finish(&o);
    for (size_t cut = 0; cut < o.length; cut++) {
        iceberg_file *files;
        size_t n;
        char *error = NULL;
        bool ok = iceberg_manifest_read(o.data, cut, &files, &n, &error);
        if (ok) {
            /* a cut exactly after a block is a shorter valid file */
            assert_true(n < 12);
            iceberg_files_free(files, n);
        } else {
            assert_non_null(error);
            free(error);
        }
    }
    expect_manifest_error(o.data, o.length - 1, "truncated Avro file");
    expect_manifest_error(o.data, o.length - 20, "truncated Avro file");
    free(o.data);
}

/* Every byte of a good file changed in turn: no crash, no leak. */
static void test_manifest_corrupt_bytes(void **state) {
    (void)state;
    static const char *const codecs[] = {"null", "deflate", "snappy"};
    for (size_t c = 0; c < 3; c++) {
        avro_out o;
        avro_out_start(&o, entry_v2_schema, codecs[c], 0);
        manifest_entry(&o, true, 1, 0, "s3://b/t/data/a.parquet", 100, 10);
        manifest_entry(&o, true, 2, 1, "s3://b/t/data/b.parquet", 200, 20);
        avro_out_finish(&o);
        char *copy = malloc(o.length);
        static const unsigned char values[] = {0x00, 0x01, 0x7f, 0x80, 0xff};
        for (size_t i = 0; i < o.length; i++) {
            for (size_t v = 0; v < sizeof values; v++) {
                memcpy(copy, o.data, o.length);
                copy[i] = (char)values[v];
                iceberg_file *files;
                size_t n;
                char *error = NULL;
                if (iceberg_manifest_read(copy, o.length, &files, &n, &error))
                    iceberg_files_free(files, n);
                else
                    free(error);
                iceberg_manifest_ref *refs;
                if (iceberg_manifest_list_read(copy, o.length, &refs, &n, &error))
                    iceberg_manifest_refs_free(refs, n);
                else
                    free(error);
            }
        }
        free(copy);
        free(o.data);
    }
}

/* A string length of -1 (zigzag 0x01), one past the block and one of
 * 1 TiB, in a null-codec block: refused before libavro allocates it. */
static void test_manifest_negative_length(void **state) {
    (void)state;
    avro_out o;
    avro_out_start(&o, entry_v1_schema, "null", 0);
    manifest_entry(&o, false, 1, 0, "ABCDEFGH", 100, 10);
    avro_out_finish(&o);
    char *at = memmem(o.data, o.length, "ABCDEFGH", 8);
    assert_non_null(at);
    assert_int_equal((unsigned char)at[-1], 16); /* zigzag 8 */
    at[-1] = 0x01;
    expect_manifest_error(o.data, o.length, "block 1, record 1: a string length runs past");
    at[-1] = 0x7e; /* 63: past the block */
    expect_manifest_error(o.data, o.length, "record 1");
    /* 1 TiB: libavro would allocate it (an ASan build aborts) */
    memcpy(at - 1, "\x80\x80\x80\x80\x80\x40", 6);
    expect_manifest_error(o.data, o.length, "block 1, record 1: a string length runs past");
    free(o.data);
}

static void test_manifest_schema_errors(void **state) {
    (void)state;
    static const char no_path[] =
        "{\"type\": \"record\", \"name\": \"manifest_entry\", \"fields\": ["
        "{\"name\": \"status\", \"type\": \"int\"},"
        "{\"name\": \"data_file\", \"type\": {\"type\": \"record\", \"name\": \"r2\", \"fields\": ["
        "{\"name\": \"record_count\", \"type\": \"long\"},"
        "{\"name\": \"file_size_in_bytes\", \"type\": \"long\"}]}}]}";
    static const char path_long[] =
        "{\"type\": \"record\", \"name\": \"manifest_file\", \"fields\": ["
        "{\"name\": \"manifest_path\", \"type\": \"long\"},"
        "{\"name\": \"manifest_length\", \"type\": \"long\"}]}";
    static const char no_data_file[] =
        "{\"type\": \"record\", \"name\": \"manifest_entry\", \"fields\": ["
        "{\"name\": \"status\", \"type\": \"int\"}]}";
    static const char not_record[] = "{\"type\": \"array\", \"items\": \"long\"}";
    avro_out o;
    avro_out_start(&o, no_path, "null", 0);
    avro_out_finish(&o);
    expect_manifest_error(o.data, o.length, "manifest schema lacks file_path");
    free(o.data);
    avro_out_start(&o, path_long, "null", 0);
    avro_out_finish(&o);
    expect_list_error(o.data, o.length, "manifest list schema: manifest_path is not a string");
    expect_manifest_error(o.data, o.length, "manifest schema lacks status");
    free(o.data);
    avro_out_start(&o, no_data_file, "null", 0);
    avro_out_finish(&o);
    expect_manifest_error(o.data, o.length, "manifest schema lacks data_file");
    expect_list_error(o.data, o.length, "manifest list schema lacks manifest_path");
    free(o.data);
    avro_out_start(&o, not_record, "null", 0);
    avro_out_finish(&o);
    expect_manifest_error(o.data, o.length, "manifest schema is not a record");
    free(o.data);
    /* a manifest list is not a manifest */
    avro_out_start(&o, list_v2_schema, "null", 0);
    list_entry(&o, "s3://b/t/metadata/a-m0.avro", 6100, 0, 77);
    avro_out_finish(&o);
    expect_manifest_error(o.data, o.length, "manifest schema lacks status");
    free(o.data);
}

static void test_manifest_bad_values(void **state) {
    (void)state;
    avro_out o;
    avro_out_start(&o, entry_v2_schema, "null", 0);
    manifest_entry(&o, true, 7, 0, "s3://b/t/data/a.parquet", 100, 10);
    avro_out_finish(&o);
    expect_manifest_error(o.data, o.length, "entry 1 has no status 0, 1 or 2");
    free(o.data);
    avro_out_start(&o, entry_v2_schema, "null", 0);
    manifest_entry(&o, true, 1, 0, "s3://b/t/data/a.parquet", 100, 10);
    manifest_entry(&o, true, 1, 4, "s3://b/t/data/b.parquet", 100, 10);
    avro_out_finish(&o);
    expect_manifest_error(o.data, o.length, "entry 2 has content 4");
    free(o.data);
    avro_out_start(&o, list_v2_schema, "null", 0);
    list_entry(&o, "s3://b/t/metadata/a-m0.avro", 6100, 2, 77);
    avro_out_finish(&o);
    expect_list_error(o.data, o.length, "entry 1 has content 2");
    free(o.data);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_metadata_v2),
        cmocka_unit_test(test_metadata_v1),
        cmocka_unit_test(test_metadata_empty),
        cmocka_unit_test(test_metadata_errors),
        cmocka_unit_test(test_metadata_deep_type),
        cmocka_unit_test(test_manifest_list_v2),
        cmocka_unit_test(test_manifest_list_v1),
        cmocka_unit_test(test_manifest_v2),
        cmocka_unit_test(test_manifest_v1_blocks),
        cmocka_unit_test(test_manifest_empty),
        cmocka_unit_test(test_manifest_not_avro),
        cmocka_unit_test(test_manifest_bad_schema),
        cmocka_unit_test(test_manifest_truncated),
        cmocka_unit_test(test_manifest_corrupt_bytes),
        cmocka_unit_test(test_manifest_negative_length),
        cmocka_unit_test(test_manifest_schema_errors),
        cmocka_unit_test(test_manifest_bad_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
