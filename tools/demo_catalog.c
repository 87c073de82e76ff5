/* demo_catalog.c: the demo's local catalog under DIR/catalog/, shaped like
 * Glue's GetDatabase and GetTable answers: database.json, one JSON file per
 * table and, after a schema change, the table's versions. */
#include "tools/demo_internal.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fmt.h"
#include "common/xalloc.h"

static void demo_catalog_add_string(json_object *o, const char *key, const char *value) {
    json_object_object_add(o, key, json_object_new_string(value));
}

static void demo_catalog_add_time(json_object *o, const char *key, int64_t t) {
    char iso[32];
    demo_catalog_add_string(o, key, fmt_iso8601(t, iso, sizeof iso));
}

/* Makes `dir` and writes obj, pretty-printed, to dir/name. */
static bool demo_catalog_write_json(demo_ctx *c, const char *dir, const char *name,
                                    json_object *obj, int64_t mtime) {
    if (!demo_mkdirs(c, dir))
        return false;
    const char *text = json_object_to_json_string_ext(
        obj, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
    char *with_newline = xasprintf("%s\n", text);
    char *path = xasprintf("%s/%s", dir, name);
    bool ok = demo_write_file(c, path, with_newline, strlen(with_newline), mtime, false);
    free(path);
    free(with_newline);
    return ok;
}

static json_object *demo_catalog_columns(const demo_column *cols, size_t n) {
    json_object *arr = json_object_new_array();
    for (size_t i = 0; i < n; i++) {
        json_object *col = json_object_new_object();
        demo_catalog_add_string(col, "Name", cols[i].name);
        demo_catalog_add_string(col, "Type", cols[i].type);
        if (cols[i].comment)
            demo_catalog_add_string(col, "Comment", cols[i].comment);
        json_object_array_add(arr, col);
    }
    return arr;
}

static json_object *demo_catalog_partition_keys(const demo_spec *t) {
    static const demo_column dt_key[] = {{"dt", "string", K_DATE, 0, 0, NULL, 0, NULL}};
    static const demo_column ym_keys[] = {{"year", "string", K_INT, 0, 0, NULL, 0, NULL},
                                          {"month", "string", K_INT, 0, 0, NULL, 0, NULL}};
    switch (t->layout) {
    case DEMO_DT: return demo_catalog_columns(dt_key, 1);
    case DEMO_YEAR_MONTH: return demo_catalog_columns(ym_keys, 2);
    case DEMO_FLAT: break;
    }
    return json_object_new_array();
}

static json_object *demo_catalog_parameters(const demo_spec *t) {
    static const char *const classifications[] = {"parquet", "csv", "json"};
    json_object *params = json_object_new_object();
    demo_catalog_add_string(params, "classification", classifications[t->format]);
    demo_catalog_add_string(params, "compressionType",
                            t->format == DEMO_PARQUET ? "snappy" : "none");
    demo_catalog_add_string(params, "typeOfData", "file");
    if (t->format == DEMO_CSV) {
        demo_catalog_add_string(params, "delimiter", ",");
        demo_catalog_add_string(params, "skip.header.line.count", "1");
    }
    demo_catalog_add_string(params, "laketop.demo.growth", t->pattern);
    return params;
}

static json_object *demo_catalog_serde(const demo_spec *t) {
    json_object *serde = json_object_new_object();
    json_object *params = json_object_new_object();
    const char *library = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe";
    if (t->format == DEMO_CSV) {
        library = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe";
        demo_catalog_add_string(params, "field.delim", ",");
    } else if (t->format == DEMO_JSON) {
        library = "org.openx.data.jsonserde.JsonSerDe";
        demo_catalog_add_string(params, "paths", "");
    } else {
        demo_catalog_add_string(params, "serialization.format", "1");
    }
    demo_catalog_add_string(serde, "SerializationLibrary", library);
    json_object_object_add(serde, "Parameters", params);
    return serde;
}

static json_object *demo_catalog_storage(const demo_spec *t) {
    bool parquet = t->format == DEMO_PARQUET;
    json_object *sd = json_object_new_object();
    demo_catalog_add_string(sd, "Location", t->location);
    json_object_object_add(sd, "Columns", demo_catalog_columns(t->columns, t->n_columns));
    demo_catalog_add_string(sd, "InputFormat",
                            parquet
                                ? "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
                                : "org.apache.hadoop.mapred.TextInputFormat");
    demo_catalog_add_string(sd, "OutputFormat",
                            parquet
                                ? "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"
                                : "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat");
    json_object_object_add(sd, "Compressed", json_object_new_boolean(0));
    json_object_object_add(sd, "SerdeInfo", demo_catalog_serde(t));
    json_object_object_add(sd, "StoredAsSubDirectories", json_object_new_boolean(0));
    return sd;
}

static json_object *demo_catalog_table(const demo_spec *t, int64_t create_time,
                                       int64_t update_time) {
    json_object *o = json_object_new_object();
    demo_catalog_add_string(o, "Name", t->name);
    demo_catalog_add_string(o, "DatabaseName", t->database);
    demo_catalog_add_string(o, "Description", t->description);
    demo_catalog_add_string(o, "Owner", "hadoop");
    demo_catalog_add_time(o, "CreateTime", create_time);
    demo_catalog_add_time(o, "UpdateTime", update_time);
    json_object_object_add(o, "Retention", json_object_new_int(0));
    demo_catalog_add_string(o, "TableType", "EXTERNAL_TABLE");
    json_object_object_add(o, "Parameters", demo_catalog_parameters(t));
    json_object_object_add(o, "PartitionKeys", demo_catalog_partition_keys(t));
    json_object_object_add(o, "StorageDescriptor", demo_catalog_storage(t));
    return o;
}

/* Versions 1 (the old columns, as created) and 2 (today's columns, two
 * days and three hours before the demo's now, so that it reads "2d ago"
 * whatever the time of day) of a table whose schema changed; the table
 * file is the newest. */
static bool demo_catalog_write_versions(demo_ctx *c, const demo_spec *t, const char *db_dir,
                                        json_object *table, int64_t create_time) {
    char *dir = xasprintf("%s/versions/%s", db_dir, t->name);
    int64_t changed = c->now - (2 * 86400 + 3 * 3600 + 1234);
    if (changed <= create_time)
        changed = create_time + 1;
    bool ok = true;
    for (int version = 1; ok && version <= 2; version++) {
        json_object *o = NULL, *sd;
        json_object_deep_copy(table, &o, NULL);
        int64_t when = version == 1 ? create_time : changed;
        demo_catalog_add_time(o, "UpdateTime", when);
        if (version == 1 && json_object_object_get_ex(o, "StorageDescriptor", &sd))
            json_object_object_add(sd, "Columns",
                                   demo_catalog_columns(t->old_columns, t->n_old_columns));
        char name[24];
        snprintf(name, sizeof name, "%d.json", version);
        ok = demo_catalog_write_json(c, dir, name, o, when);
        json_object_put(o);
    }
    free(dir);
    return ok;
}

bool demo_catalog_write_table(demo_ctx *c, demo_table_state *s, const demo_files_tally *tally) {
    const demo_spec *t = s->spec;
    /* Created shortly before the first data; updated (crawled) after the last. */
    int64_t create_time, update_time;
    if (tally->first_data >= 0) {
        int32_t first = fmt_day_of(tally->first_data);
        create_time = demo_time(c, first, 60 + demo_rng_range(&s->rng, 0, 600));
        if (create_time > tally->first_data)
            create_time = tally->first_data;
        update_time = tally->last_data + 300 + demo_rng_range(&s->rng, 0, 900);
    } else {
        int32_t created = c->today - 1 < c->first_day ? c->first_day : c->today - 1;
        create_time = demo_time(c, created, 15 * 3600 + demo_rng_range(&s->rng, 0, 3599));
        update_time = create_time;
    }
    if (update_time > c->now)
        update_time = c->now;

    json_object *o = demo_catalog_table(t, create_time, update_time);
    char *db_dir = xasprintf("%s/catalog/%s", c->dir, t->database);
    char *name = xasprintf("%s.json", t->name);
    bool ok = demo_catalog_write_json(c, db_dir, name, o, update_time);
    if (ok && t->old_columns)
        ok = demo_catalog_write_versions(c, t, db_dir, o, create_time);
    free(name);
    free(db_dir);
    json_object_put(o);
    return ok;
}

/* Iceberg's GlueCatalog gives each column its field id. */
static void demo_catalog_iceberg_columns(json_object *columns) {
    for (size_t i = 0; i < json_object_array_length(columns); i++) {
        json_object *params = json_object_new_object();
        char id[24];
        snprintf(id, sizeof id, "%zu", i + 1);
        demo_catalog_add_string(params, "iceberg.field.id", id);
        demo_catalog_add_string(params, "iceberg.field.optional", i == 0 ? "false" : "true");
        demo_catalog_add_string(params, "iceberg.field.current", "true");
        json_object_object_add(json_object_array_get_idx(columns, i), "Parameters", params);
    }
}

bool demo_catalog_write_open_table(demo_ctx *c, const demo_open_table *t) {
    bool iceberg = t->metadata_location != NULL;
    json_object *o = json_object_new_object();
    demo_catalog_add_string(o, "Name", t->name);
    demo_catalog_add_string(o, "DatabaseName", t->database);
    demo_catalog_add_string(o, "Description", t->description);
    demo_catalog_add_string(o, "Owner", "hadoop");
    demo_catalog_add_time(o, "CreateTime", t->create_time);
    demo_catalog_add_time(o, "UpdateTime", t->update_time);
    json_object_object_add(o, "Retention", json_object_new_int(0));
    demo_catalog_add_string(o, "TableType", "EXTERNAL_TABLE");
    json_object *params = json_object_new_object();
    json_object *sd = json_object_new_object();
    demo_catalog_add_string(sd, "Location", t->location);
    json_object *columns = demo_catalog_columns(t->columns, t->n_columns);
    json_object_object_add(sd, "Columns", columns);
    if (iceberg) {
        demo_catalog_add_string(params, "table_type", "ICEBERG");
        demo_catalog_add_string(params, "metadata_location", t->metadata_location);
        if (t->previous_metadata_location)
            demo_catalog_add_string(params, "previous_metadata_location",
                                    t->previous_metadata_location);
        demo_catalog_iceberg_columns(columns);
    } else {
        demo_catalog_add_string(params, "spark.sql.sources.provider", "delta");
        demo_catalog_add_string(params, "table_type", "DELTA");
        demo_catalog_add_string(params, "EXTERNAL", "TRUE");
        demo_catalog_add_string(sd, "InputFormat",
                                "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat");
        demo_catalog_add_string(sd, "OutputFormat",
                                "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat");
        json_object *serde = json_object_new_object();
        json_object *serde_params = json_object_new_object();
        demo_catalog_add_string(serde_params, "serialization.format", "1");
        demo_catalog_add_string(serde_params, "path", t->location);
        demo_catalog_add_string(serde, "SerializationLibrary",
                                "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
        json_object_object_add(serde, "Parameters", serde_params);
        json_object_object_add(sd, "SerdeInfo", serde);
    }
    json_object_object_add(o, "Parameters", params);
    json_object_object_add(o, "PartitionKeys", json_object_new_array());
    json_object_object_add(o, "StorageDescriptor", sd);
    char *db_dir = xasprintf("%s/catalog/%s", c->dir, t->database);
    char *name = xasprintf("%s.json", t->name);
    bool ok = demo_catalog_write_json(c, db_dir, name, o, t->update_time);
    free(name);
    free(db_dir);
    json_object_put(o);
    return ok;
}

bool demo_catalog_write_database(demo_ctx *c, const char *name, const char *description,
                                 const char *location) {
    int64_t created = demo_time(c, c->first_day, 1200);
    json_object *o = json_object_new_object();
    demo_catalog_add_string(o, "Name", name);
    demo_catalog_add_string(o, "Description", description);
    demo_catalog_add_string(o, "LocationUri", location);
    demo_catalog_add_time(o, "CreateTime", created);
    char *db_dir = xasprintf("%s/catalog/%s", c->dir, name);
    bool ok = demo_catalog_write_json(c, db_dir, "database.json", o, created);
    free(db_dir);
    json_object_put(o);
    return ok;
}
