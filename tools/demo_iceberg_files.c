/* demo_iceberg_files.c: the metadata files of the demo's Iceberg table in
 * format version 2 as the spec has them: manifests and manifest lists (Avro,
 * with the spec's schemas and field ids, records encoded by libavro) and the
 * table metadata JSON (json-c) with version-hint.text beside it. Every
 * address is relative to the lake, so that the lake can move. */
#include "tools/demo_iceberg.h"

#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "tools/demo_avro.h"

/* The table's columns: Iceberg's field id and type, and the Glue type its
 * catalog entry shows. */
static const struct {
    int id;
    const char *name, *iceberg_type;
    bool required;
} ice_schema_fields[] = {
    {1, "event_id", "long", true},        {2, "user_id", "long", false},
    {3, "event_ts", "timestamptz", true}, {4, "event_type", "string", false},
    {5, "page", "string", false},         {6, "device", "string", false},
    {7, "country", "string", false},      {8, "duration_ms", "int", false},
};
static const demo_column ice_glue_columns[] = {
    {"event_id", "bigint", K_SEQ, 0, 0, NULL, 0, NULL},
    {"user_id", "bigint", K_INT, 0, 0, NULL, 0, NULL},
    {"event_ts", "timestamp", K_TS, 0, 0, NULL, 0, "partitioned by day(event_ts)"},
    {"event_type", "string", K_WORD, 0, 0, NULL, 0, NULL},
    {"page", "string", K_URL, 0, 0, NULL, 0, NULL},
    {"device", "string", K_WORD, 0, 0, NULL, 0, NULL},
    {"country", "string", K_WORD, 0, 0, NULL, 0, NULL},
    {"duration_ms", "int", K_INT, 0, 0, NULL, 0, NULL},
};

#define ICE_SPEC_FIELDS \
    "[{\"name\":\"event_ts_day\",\"transform\":\"day\",\"source-id\":3,\"field-id\":1000}]"

/* The spec's manifest_file (manifest list entry), version 2. */
static const char ice_manifest_list_schema[] =
    "{\"type\":\"record\",\"name\":\"manifest_file\",\"fields\":["
    "{\"name\":\"manifest_path\",\"type\":\"string\",\"doc\":\"Location URI with FS "
    "scheme\",\"field-id\":500},"
    "{\"name\":\"manifest_length\",\"type\":\"long\",\"field-id\":501},"
    "{\"name\":\"partition_spec_id\",\"type\":\"int\",\"field-id\":502},"
    "{\"name\":\"content\",\"type\":\"int\",\"field-id\":517},"
    "{\"name\":\"sequence_number\",\"type\":\"long\",\"field-id\":515},"
    "{\"name\":\"min_sequence_number\",\"type\":\"long\",\"field-id\":516},"
    "{\"name\":\"added_snapshot_id\",\"type\":\"long\",\"field-id\":503},"
    "{\"name\":\"added_files_count\",\"type\":\"int\",\"field-id\":504},"
    "{\"name\":\"existing_files_count\",\"type\":\"int\",\"field-id\":505},"
    "{\"name\":\"deleted_files_count\",\"type\":\"int\",\"field-id\":506},"
    "{\"name\":\"added_rows_count\",\"type\":\"long\",\"field-id\":512},"
    "{\"name\":\"existing_rows_count\",\"type\":\"long\",\"field-id\":513},"
    "{\"name\":\"deleted_rows_count\",\"type\":\"long\",\"field-id\":514},"
    "{\"name\":\"partitions\",\"type\":[\"null\",{\"type\":\"array\",\"items\":{\"type\":"
    "\"record\",\"name\":\"r508\",\"fields\":["
    "{\"name\":\"contains_null\",\"type\":\"boolean\",\"field-id\":509},"
    "{\"name\":\"contains_nan\",\"type\":[\"null\",\"boolean\"],\"default\":null,\"field-id\":"
    "518},"
    "{\"name\":\"lower_bound\",\"type\":[\"null\",\"bytes\"],\"default\":null,\"field-id\":510},"
    "{\"name\":\"upper_bound\",\"type\":[\"null\",\"bytes\"],\"default\":null,\"field-id\":511}"
    "]},\"element-id\":508}],\"default\":null,\"field-id\":507},"
    "{\"name\":\"key_metadata\",\"type\":[\"null\",\"bytes\"],\"default\":null,\"field-id\":519}"
    "]}";

/* A map of column ids to `value` as Iceberg writes it in Avro: an array of
 * key/value records. */
#define ICE_MAP(name, id, key_id, value_id, value)                                               \
    "{\"name\":\"" name "\",\"type\":[\"null\",{\"type\":\"array\",\"items\":{\"type\":"         \
    "\"record\",\"name\":\"k" #key_id "_v" #value_id "\",\"fields\":[{\"name\":\"key\","         \
    "\"type\":\"int\",\"field-id\":" #key_id "},{\"name\":\"value\",\"type\":\"" value "\","     \
    "\"field-id\":" #value_id "}]},\"logicalType\":\"map\"}],\"default\":null,\"field-id\":" #id \
    "},"

/* The spec's manifest_entry with its data_file (r2) and the partition
 * tuple of the table's spec (r102), version 2. */
static const char ice_manifest_schema[] =
    "{\"type\":\"record\",\"name\":\"manifest_entry\",\"fields\":["
    "{\"name\":\"status\",\"type\":\"int\",\"field-id\":0},"
    "{\"name\":\"snapshot_id\",\"type\":[\"null\",\"long\"],\"default\":null,\"field-id\":1},"
    "{\"name\":\"sequence_number\",\"type\":[\"null\",\"long\"],\"default\":null,\"field-id\":3},"
    "{\"name\":\"file_sequence_number\",\"type\":[\"null\",\"long\"],\"default\":null,"
    "\"field-id\":4},"
    "{\"name\":\"data_file\",\"type\":{\"type\":\"record\",\"name\":\"r2\",\"fields\":["
    "{\"name\":\"content\",\"type\":\"int\",\"doc\":\"Contents of the file: 0=data, 1=position "
    "deletes, 2=equality deletes\",\"field-id\":134},"
    "{\"name\":\"file_path\",\"type\":\"string\",\"doc\":\"Location URI with FS "
    "scheme\",\"field-id\":100},"
    "{\"name\":\"file_format\",\"type\":\"string\",\"doc\":\"File format name: avro, orc, or "
    "parquet\",\"field-id\":101},"
    "{\"name\":\"partition\",\"type\":{\"type\":\"record\",\"name\":\"r102\",\"fields\":["
    "{\"name\":\"event_ts_day\",\"type\":[\"null\",{\"type\":\"int\",\"logicalType\":\"date\"}],"
    "\"default\":null,\"field-id\":1000}]},\"doc\":\"Partition data tuple, schema based on the "
    "partition spec\",\"field-id\":102},"
    "{\"name\":\"record_count\",\"type\":\"long\",\"doc\":\"Number of records in the "
    "file\",\"field-id\":103},"
    "{\"name\":\"file_size_in_bytes\",\"type\":\"long\",\"doc\":\"Total file size in "
    "bytes\",\"field-id\":104}," ICE_MAP("column_sizes", 108, 117, 118, "long")
        ICE_MAP("value_counts", 109, 119, 120, "long")
            ICE_MAP("null_value_counts", 110, 121, 122, "long")
                ICE_MAP("nan_value_counts", 137, 138, 139, "long")
                    ICE_MAP("lower_bounds", 125, 126, 127, "bytes")
                        ICE_MAP("upper_bounds", 128, 129, 130,
                                "bytes") "{\"name\":\"key_metadata\",\"type\":[\"null\",\"bytes\"],"
                                         "\"default\":null,\"field-id\":131},"
                                         "{\"name\":\"split_offsets\",\"type\":[\"null\",{\"type\":"
                                         "\"array\",\"items\":\"long\","
                                         "\"element-id\":133}],\"default\":null,\"field-id\":132},"
                                         "{\"name\":\"equality_ids\",\"type\":[\"null\",{\"type\":"
                                         "\"array\",\"items\":\"int\","
                                         "\"element-id\":136}],\"default\":null,\"field-id\":135},"
                                         "{\"name\":\"sort_order_id\",\"type\":[\"null\",\"int\"],"
                                         "\"default\":null,\"field-id\":140}"
                                         "]},\"field-id\":2}]}";

const demo_column *demo_iceberg_columns(size_t *n) {
    *n = sizeof ice_glue_columns / sizeof ice_glue_columns[0];
    return ice_glue_columns;
}

/* The table schema (schema-id 0) as a JSON object. */
static json_object *ice_schema_json(void) {
    json_object *schema = json_object_new_object();
    json_object_object_add(schema, "type", json_object_new_string("struct"));
    json_object_object_add(schema, "schema-id", json_object_new_int(0));
    json_object *fields = json_object_new_array();
    for (size_t i = 0; i < sizeof ice_schema_fields / sizeof ice_schema_fields[0]; i++) {
        json_object *f = json_object_new_object();
        json_object_object_add(f, "id", json_object_new_int(ice_schema_fields[i].id));
        json_object_object_add(f, "name", json_object_new_string(ice_schema_fields[i].name));
        json_object_object_add(f, "required",
                               json_object_new_boolean(ice_schema_fields[i].required));
        json_object_object_add(f, "type",
                               json_object_new_string(ice_schema_fields[i].iceberg_type));
        json_object_array_add(fields, f);
    }
    json_object_object_add(schema, "fields", fields);
    return schema;
}

static const char *ice_json_text(json_object *o) {
    return json_object_to_json_string_ext(o,
                                          JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
}

/* ---- filling Avro records ---- */

static avro_value_t ice_field(avro_value_t *record, const char *name) {
    avro_value_t field = {0};
    avro_value_get_by_name(record, name, &field, NULL);
    return field;
}

static void ice_set_int(avro_value_t *record, const char *name, int32_t v) {
    avro_value_t f = ice_field(record, name);
    avro_value_set_int(&f, v);
}

static void ice_set_long(avro_value_t *record, const char *name, int64_t v) {
    avro_value_t f = ice_field(record, name);
    avro_value_set_long(&f, v);
}

static void ice_set_string(avro_value_t *record, const char *name, const char *v) {
    avro_value_t f = ice_field(record, name);
    avro_value_set_string(&f, v);
}

/* A ["null", T] field: null, or the branch T to fill. */
static void ice_set_null(avro_value_t *record, const char *name) {
    avro_value_t f = ice_field(record, name), branch = {0};
    avro_value_set_branch(&f, 0, &branch);
    avro_value_set_null(&branch);
}

static avro_value_t ice_set_present(avro_value_t *record, const char *name) {
    avro_value_t f = ice_field(record, name), branch = {0};
    avro_value_set_branch(&f, 1, &branch);
    return branch;
}

/* A date partition bound: 4 bytes, little-endian. */
static void ice_set_bound(avro_value_t *record, const char *name, int32_t day) {
    avro_value_t b = ice_set_present(record, name);
    unsigned char le[4] = {(unsigned char)day, (unsigned char)(day >> 8),
                           (unsigned char)(day >> 16), (unsigned char)(day >> 24)};
    avro_value_set_bytes(&b, le, 4);
}

/* ---- manifests ---- */

static void ice_fill_entry(const ice_table *t, const ice_manifest *m, const ice_entry *e,
                           avro_value_t *r) {
    const ice_file *f = &t->files[e->file];
    ice_set_int(r, "status", e->status);
    avro_value_t v = ice_set_present(r, "snapshot_id");
    avro_value_set_long(&v, e->status == ICE_EXISTING ? f->snapshot_id : m->snapshot_id);
    if (e->status == ICE_ADDED) { /* inherited from the manifest list */
        ice_set_null(r, "sequence_number");
        ice_set_null(r, "file_sequence_number");
    } else {
        v = ice_set_present(r, "sequence_number");
        avro_value_set_long(&v, f->seq);
        v = ice_set_present(r, "file_sequence_number");
        avro_value_set_long(&v, f->seq);
    }
    avro_value_t file = ice_field(r, "data_file");
    ice_set_int(&file, "content", f->content);
    ice_set_string(&file, "file_path", f->path);
    ice_set_string(&file, "file_format", "PARQUET");
    avro_value_t partition = ice_field(&file, "partition");
    v = ice_set_present(&partition, "event_ts_day");
    avro_value_set_int(&v, f->day);
    ice_set_long(&file, "record_count", f->records);
    ice_set_long(&file, "file_size_in_bytes", f->size);
    static const char *const absent[] = {"column_sizes",     "value_counts", "null_value_counts",
                                         "nan_value_counts", "lower_bounds", "upper_bounds",
                                         "key_metadata",     "equality_ids"};
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++)
        ice_set_null(&file, absent[i]);
    avro_value_t offsets = ice_set_present(&file, "split_offsets"), offset;
    avro_value_append(&offsets, &offset, NULL);
    avro_value_set_long(&offset, 4);
    if (f->content == 0) {
        v = ice_set_present(&file, "sort_order_id");
        avro_value_set_int(&v, 0);
    } else {
        ice_set_null(&file, "sort_order_id");
    }
}

bool demo_iceberg_write_manifest(ice_table *t, ice_manifest *m, int64_t mtime) {
    demo_ctx *c = t->c;
    demo_avro *a = demo_avro_new(c, ice_manifest_schema, &t->rng);
    if (!a)
        return false;
    bool ok = true;
    for (size_t i = 0; ok && i < m->n_entries; i++) {
        ice_fill_entry(t, m, &m->entries[i], demo_avro_record(a));
        ok = demo_avro_append(c, a);
    }
    json_object *schema = ice_schema_json();
    const char *const meta[] = {
        "schema",
        ice_json_text(schema),
        "schema-id",
        "0",
        "partition-spec",
        ICE_SPEC_FIELDS,
        "partition-spec-id",
        "0",
        "format-version",
        "2",
        "content",
        m->content ? "deletes" : "data",
    };
    char *path = xasprintf("%s/%s", c->dir, m->path);
    ok = ok &&
         demo_avro_finish(c, a, path, meta, sizeof meta / sizeof meta[0] / 2, mtime, &m->length);
    free(path);
    json_object_put(schema);
    demo_avro_free(a);
    return ok;
}

/* ---- manifest lists ---- */

static void ice_fill_manifest_file(const ice_table *t, const ice_manifest *m, avro_value_t *r) {
    int counts[3] = {0};
    int64_t rows[3] = {0};
    int32_t lo = INT32_MAX, hi = INT32_MIN;
    for (size_t i = 0; i < m->n_entries; i++) {
        const ice_file *f = &t->files[m->entries[i].file];
        counts[m->entries[i].status]++;
        rows[m->entries[i].status] += f->records;
        lo = f->day < lo ? f->day : lo;
        hi = f->day > hi ? f->day : hi;
    }
    ice_set_string(r, "manifest_path", m->path);
    ice_set_long(r, "manifest_length", m->length);
    ice_set_int(r, "partition_spec_id", 0);
    ice_set_int(r, "content", m->content);
    ice_set_long(r, "sequence_number", m->seq);
    ice_set_long(r, "min_sequence_number", m->min_seq);
    ice_set_long(r, "added_snapshot_id", m->snapshot_id);
    ice_set_int(r, "added_files_count", counts[ICE_ADDED]);
    ice_set_int(r, "existing_files_count", counts[ICE_EXISTING]);
    ice_set_int(r, "deleted_files_count", counts[ICE_DELETED]);
    ice_set_long(r, "added_rows_count", rows[ICE_ADDED]);
    ice_set_long(r, "existing_rows_count", rows[ICE_EXISTING]);
    ice_set_long(r, "deleted_rows_count", rows[ICE_DELETED]);
    avro_value_t partitions = ice_set_present(r, "partitions"), summary;
    avro_value_append(&partitions, &summary, NULL);
    avro_value_t contains_null = ice_field(&summary, "contains_null");
    avro_value_set_boolean(&contains_null, 0);
    ice_set_null(&summary, "contains_nan");
    if (m->n_entries > 0) {
        ice_set_bound(&summary, "lower_bound", lo);
        ice_set_bound(&summary, "upper_bound", hi);
    } else {
        ice_set_null(&summary, "lower_bound");
        ice_set_null(&summary, "upper_bound");
    }
    ice_set_null(r, "key_metadata");
}

bool demo_iceberg_write_manifest_list(ice_table *t, const ice_snapshot *s) {
    demo_ctx *c = t->c;
    demo_avro *a = demo_avro_new(c, ice_manifest_list_schema, &t->rng);
    if (!a)
        return false;
    bool ok = true;
    for (size_t i = 0; ok && i < s->n_manifests; i++) {
        ice_fill_manifest_file(t, &t->manifests[s->manifests[i]], demo_avro_record(a));
        ok = demo_avro_append(c, a);
    }
    char id[24], parent[24], seq[24];
    snprintf(id, sizeof id, "%" PRId64, s->id);
    if (s->parent >= 0)
        snprintf(parent, sizeof parent, "%" PRId64, s->parent);
    else
        snprintf(parent, sizeof parent, "null");
    snprintf(seq, sizeof seq, "%" PRId64, s->seq);
    const char *const meta[] = {"snapshot-id",     id,  "parent-snapshot-id", parent,
                                "sequence-number", seq, "format-version",     "2"};
    char *path = xasprintf("%s/%s", c->dir, s->manifest_list);
    ok = ok && demo_avro_finish(c, a, path, meta, 4, s->ms / 1000, NULL);
    free(path);
    demo_avro_free(a);
    return ok;
}

/* ---- the table metadata ---- */

static void ice_summary_add(json_object *summary, const char *key, int64_t v, bool always) {
    if (!always && v <= 0)
        return;
    char text[24];
    snprintf(text, sizeof text, "%" PRId64, v);
    json_object_object_add(summary, key, json_object_new_string(text));
}

static json_object *ice_snapshot_json(const ice_snapshot *s) {
    json_object *o = json_object_new_object();
    json_object_object_add(o, "sequence-number", json_object_new_int64(s->seq));
    json_object_object_add(o, "snapshot-id", json_object_new_int64(s->id));
    if (s->parent >= 0)
        json_object_object_add(o, "parent-snapshot-id", json_object_new_int64(s->parent));
    json_object_object_add(o, "timestamp-ms", json_object_new_int64(s->ms));
    json_object *summary = json_object_new_object();
    json_object_object_add(summary, "operation", json_object_new_string(s->operation));
    ice_summary_add(summary, "added-data-files", s->added_files, false);
    ice_summary_add(summary, "deleted-data-files", s->deleted_files, false);
    ice_summary_add(summary, "added-delete-files", s->added_delete_files, false);
    ice_summary_add(summary, "added-position-delete-files", s->added_delete_files, false);
    ice_summary_add(summary, "added-records", s->added_records, false);
    ice_summary_add(summary, "deleted-records", s->deleted_records, false);
    ice_summary_add(summary, "added-files-size", s->added_size, false);
    ice_summary_add(summary, "removed-files-size", s->removed_size, false);
    ice_summary_add(summary, "added-position-deletes", s->added_position_deletes, false);
    ice_summary_add(summary, "changed-partition-count", s->changed_partitions, true);
    ice_summary_add(summary, "total-records", s->total_records, true);
    ice_summary_add(summary, "total-files-size", s->total_size, true);
    ice_summary_add(summary, "total-data-files", s->total_files, true);
    ice_summary_add(summary, "total-delete-files", s->total_delete_files, true);
    ice_summary_add(summary, "total-position-deletes", s->total_position_deletes, true);
    ice_summary_add(summary, "total-equality-deletes", 0, true);
    json_object_object_add(o, "summary", summary);
    json_object_object_add(o, "manifest-list", json_object_new_string(s->manifest_list));
    json_object_object_add(o, "schema-id", json_object_new_int(0));
    return o;
}

static json_object *ice_metadata_json(const ice_table *t, int64_t ms) {
    json_object *o = json_object_new_object();
    json_object_object_add(o, "format-version", json_object_new_int(2));
    json_object_object_add(o, "table-uuid", json_object_new_string(t->uuid));
    json_object_object_add(o, "location", json_object_new_string(t->location));
    const ice_snapshot *current = t->current >= 0 ? &t->snapshots[t->current] : NULL;
    json_object_object_add(o, "last-sequence-number",
                           json_object_new_int64(current ? current->seq : 0));
    json_object_object_add(o, "last-updated-ms", json_object_new_int64(ms));
    json_object_object_add(o, "last-column-id", json_object_new_int(8));
    json_object_object_add(o, "current-schema-id", json_object_new_int(0));
    json_object *schemas = json_object_new_array();
    json_object_array_add(schemas, ice_schema_json());
    json_object_object_add(o, "schemas", schemas);
    json_object_object_add(o, "default-spec-id", json_object_new_int(0));
    json_object *spec = json_object_new_object();
    json_object_object_add(spec, "spec-id", json_object_new_int(0));
    json_object_object_add(spec, "fields", json_tokener_parse(ICE_SPEC_FIELDS));
    json_object *specs = json_object_new_array();
    json_object_array_add(specs, spec);
    json_object_object_add(o, "partition-specs", specs);
    json_object_object_add(o, "last-partition-id", json_object_new_int(1000));
    json_object_object_add(o, "default-sort-order-id", json_object_new_int(0));
    json_object *order = json_object_new_object();
    json_object_object_add(order, "order-id", json_object_new_int(0));
    json_object_object_add(order, "fields", json_object_new_array());
    json_object *orders = json_object_new_array();
    json_object_array_add(orders, order);
    json_object_object_add(o, "sort-orders", orders);
    json_object *properties = json_object_new_object();
    json_object_object_add(properties, "write.format.default", json_object_new_string("parquet"));
    json_object_object_add(properties, "write.parquet.compression-codec",
                           json_object_new_string("zstd"));
    json_object_object_add(o, "properties", properties);
    json_object_object_add(o, "current-snapshot-id",
                           json_object_new_int64(current ? current->id : -1));
    json_object *refs = json_object_new_object();
    if (current) {
        json_object *main_ref = json_object_new_object();
        json_object_object_add(main_ref, "snapshot-id", json_object_new_int64(current->id));
        json_object_object_add(main_ref, "type", json_object_new_string("branch"));
        json_object_object_add(refs, "main", main_ref);
    }
    json_object_object_add(o, "refs", refs);
    json_object *snapshots = json_object_new_array(), *log = json_object_new_array();
    for (size_t i = 0; i < t->n_snapshots; i++) {
        if (t->snapshots[i].expired)
            continue;
        json_object_array_add(snapshots, ice_snapshot_json(&t->snapshots[i]));
        json_object *entry = json_object_new_object();
        json_object_object_add(entry, "timestamp-ms", json_object_new_int64(t->snapshots[i].ms));
        json_object_object_add(entry, "snapshot-id", json_object_new_int64(t->snapshots[i].id));
        json_object_array_add(log, entry);
    }
    json_object_object_add(o, "snapshots", snapshots);
    json_object_object_add(o, "statistics", json_object_new_array());
    json_object_object_add(o, "snapshot-log", log);
    json_object *metadata_log = json_object_new_array();
    for (size_t i = 0; i < t->n_versions; i++) {
        json_object *entry = json_object_new_object();
        json_object_object_add(entry, "timestamp-ms", json_object_new_int64(t->version_ms[i]));
        json_object_object_add(entry, "metadata-file", json_object_new_string(t->versions[i]));
        json_object_array_add(metadata_log, entry);
    }
    json_object_object_add(o, "metadata-log", metadata_log);
    return o;
}

bool demo_iceberg_write_metadata(ice_table *t, int64_t ms) {
    demo_ctx *c = t->c;
    size_t version = t->n_versions + 1;
    char *address = xasprintf("%s/metadata/v%zu.metadata.json", t->location, version);
    json_object *o = ice_metadata_json(t, ms);
    const char *text = ice_json_text(o);
    char *path = xasprintf("%s/%s", c->dir, address);
    bool ok = demo_write_file(c, path, text, strlen(text), ms / 1000, false);
    json_object_put(o);
    free(path);
    if (ok) { /* what a Hadoop catalog reads first */
        char hint[24];
        int n = snprintf(hint, sizeof hint, "%zu", version);
        path = xasprintf("%s/%s/metadata/version-hint.text", c->dir, t->location);
        ok = demo_write_file(c, path, hint, (size_t)n, ms / 1000, true);
        free(path);
    }
    t->versions = xrealloc(t->versions, version * sizeof *t->versions);
    t->version_ms = xrealloc(t->version_ms, version * sizeof *t->version_ms);
    t->versions[t->n_versions] = address;
    t->version_ms[t->n_versions] = ms;
    t->n_versions = version;
    return ok;
}
