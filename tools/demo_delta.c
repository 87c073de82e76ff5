/* demo_delta.c: sales.payments, the demo's Delta Lake table (partitioned by
 * payment_date), written as Spark with Delta Lake leaves it over the last 30
 * days: version 0 creates it (protocol, metaData), then a daily blind append
 * (WRITE) of 1 to 3 files; 10 days ago an OPTIMIZE compacts every older
 * partition of more than one file (its removes are not vacuumed: the files
 * stay on disk); 6 days ago a job fails after writing its files (orphans).
 * Every commit is one JSON file in _delta_log/ (commitInfo first, as Spark
 * writes it); the newest version has its .crc. Data files are
 * parquet-shaped bytes of the sizes the log says. */
#include "tools/demo_internal.h"

#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fmt.h"
#include "common/xalloc.h"

#define DELTA_DAYS 30
#define DELTA_OPTIMIZE 10    /* days ago: OPTIMIZE of the partitions older than that */
#define DELTA_FAILED_WRITE 6 /* days ago: orphans of a failed job */
#define DELTA_ROW_BYTES 64
#define DELTA_ENGINE "Apache-Spark/3.5.1 Delta-Lake/3.2.0"

static const demo_column delta_columns[] = {
    {"payment_id", "bigint", K_SEQ, 0, 0, NULL, 0, NULL},
    {"order_id", "bigint", K_INT, 0, 0, NULL, 0, "sales.orders.order_id"},
    {"paid_at", "timestamp", K_TS, 0, 0, NULL, 0, NULL},
    {"method", "string", K_WORD, 0, 0, NULL, 0, "card, transfer, wallet"},
    {"amount", "decimal(10,2)", K_MONEY, 0, 0, NULL, 0, NULL},
    {"currency", "string", K_WORD, 0, 0, NULL, 0, "ISO 4217"},
    {"payment_date", "date", K_DATE, 0, 0, NULL, 0, "partition column"},
};
/* Delta's names for the Glue types above */
static const char *const delta_types[] = {"long",   "long",          "timestamp", "string",
                                          "string", "decimal(10,2)", "date"};

typedef struct delta_file {
    char *path; /* relative to the table, as the log writes it */
    int32_t day;
    int64_t size, records, first_id;
    bool live;
} delta_file;

typedef struct delta_table {
    demo_ctx *c;
    demo_rng rng;
    const char *location;
    delta_file *files;
    size_t n_files;
    int64_t version; /* the next version to write */
    int64_t seq;     /* payment ids so far */
    json_object *metadata, *protocol;
    strbuf commit; /* the commit file being written */
} delta_table;

static void delta_add_string(json_object *o, const char *key, const char *value) {
    json_object_object_add(o, key, json_object_new_string(value));
}

static void delta_add_count(json_object *o, const char *key, int64_t v) {
    char text[24];
    snprintf(text, sizeof text, "%" PRId64, v);
    delta_add_string(o, key, text);
}

/* One action, one line of the commit file. */
static void delta_put_action(delta_table *t, const char *kind, json_object *action) {
    json_object *line = json_object_new_object();
    json_object_object_add(line, kind, action);
    strbuf_puts(&t->commit, json_object_to_json_string_ext(
                                line, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
    strbuf_putc(&t->commit, '\n');
    json_object_put(line);
}

static json_object *delta_copy(json_object *o) {
    json_object *copy = NULL;
    json_object_deep_copy(o, &copy, NULL);
    return copy;
}

/* The table's metaData and protocol actions, kept for the .crc. */
static void delta_make_metadata(delta_table *t, int64_t ms) {
    char id[37];
    demo_rng_uuid(&t->rng, id);
    json_object *schema = json_object_new_object();
    delta_add_string(schema, "type", "struct");
    json_object *fields = json_object_new_array();
    for (size_t i = 0; i < sizeof delta_columns / sizeof delta_columns[0]; i++) {
        json_object *f = json_object_new_object();
        delta_add_string(f, "name", delta_columns[i].name);
        delta_add_string(f, "type", delta_types[i]);
        json_object_object_add(f, "nullable", json_object_new_boolean(i != 0));
        json_object_object_add(f, "metadata", json_object_new_object());
        json_object_array_add(fields, f);
    }
    json_object_object_add(schema, "fields", fields);
    json_object *m = json_object_new_object();
    delta_add_string(m, "id", id);
    json_object *format = json_object_new_object();
    delta_add_string(format, "provider", "parquet");
    json_object_object_add(format, "options", json_object_new_object());
    json_object_object_add(m, "format", format);
    delta_add_string(m, "schemaString",
                     json_object_to_json_string_ext(schema, JSON_C_TO_STRING_PLAIN));
    json_object *partitions = json_object_new_array();
    json_object_array_add(partitions, json_object_new_string("payment_date"));
    json_object_object_add(m, "partitionColumns", partitions);
    json_object_object_add(m, "configuration", json_object_new_object());
    json_object_object_add(m, "createdTime", json_object_new_int64(ms));
    json_object_put(schema);
    t->metadata = m;
    t->protocol = json_object_new_object();
    json_object_object_add(t->protocol, "minReaderVersion", json_object_new_int(1));
    json_object_object_add(t->protocol, "minWriterVersion", json_object_new_int(2));
}

static void delta_put_commit_info(delta_table *t, int64_t ms, const char *operation,
                                  json_object *parameters, json_object *metrics, bool blind) {
    char txn[37];
    demo_rng_uuid(&t->rng, txn);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "timestamp", json_object_new_int64(ms));
    delta_add_string(o, "operation", operation);
    json_object_object_add(o, "operationParameters", parameters);
    if (t->version > 0)
        json_object_object_add(o, "readVersion", json_object_new_int64(t->version - 1));
    delta_add_string(o, "isolationLevel", blind ? "Serializable" : "SnapshotIsolation");
    json_object_object_add(o, "isBlindAppend", json_object_new_boolean(blind));
    json_object_object_add(o, "operationMetrics", metrics);
    delta_add_string(o, "engineInfo", DELTA_ENGINE);
    delta_add_string(o, "txnId", txn);
    delta_put_action(t, "commitInfo", o);
}

static json_object *delta_partition_values(int32_t day) {
    char iso[16];
    json_object *values = json_object_new_object();
    delta_add_string(values, "payment_date", fmt_day(day, iso, sizeof iso));
    return values;
}

static void delta_put_add(delta_table *t, const delta_file *f, int64_t ms, bool data_change) {
    json_object *a = json_object_new_object();
    delta_add_string(a, "path", f->path);
    json_object_object_add(a, "partitionValues", delta_partition_values(f->day));
    json_object_object_add(a, "size", json_object_new_int64(f->size));
    json_object_object_add(a, "modificationTime", json_object_new_int64(ms));
    json_object_object_add(a, "dataChange", json_object_new_boolean(data_change));
    char *stats = xasprintf("{\"numRecords\":%" PRId64 ",\"minValues\":{\"payment_id\":%" PRId64
                            "},\"maxValues\":{\"payment_id\":%" PRId64
                            "},\"nullCount\":{\"payment_id\":0,\"order_id\":0}}",
                            f->records, f->first_id, f->first_id + f->records - 1);
    delta_add_string(a, "stats", stats);
    free(stats);
    delta_put_action(t, "add", a);
}

static void delta_put_remove(delta_table *t, const delta_file *f, int64_t ms) {
    json_object *r = json_object_new_object();
    delta_add_string(r, "path", f->path);
    json_object_object_add(r, "deletionTimestamp", json_object_new_int64(ms));
    json_object_object_add(r, "dataChange", json_object_new_boolean(0));
    json_object_object_add(r, "extendedFileMetadata", json_object_new_boolean(1));
    json_object_object_add(r, "partitionValues", delta_partition_values(f->day));
    json_object_object_add(r, "size", json_object_new_int64(f->size));
    delta_put_action(t, "remove", r);
}

/* Writes t->commit as the next version at `ms`. */
static bool delta_write_commit(delta_table *t, int64_t ms) {
    demo_ctx *c = t->c;
    char *path = xasprintf("%s/%s/_delta_log/%020" PRId64 ".json", c->dir, t->location, t->version);
    bool ok = demo_write_file(c, path, t->commit.data, t->commit.length, ms / 1000, false);
    free(path);
    strbuf_free(&t->commit);
    t->version++;
    return ok;
}

/* A new data file of `size` bytes in the partition of `day`. */
static size_t delta_write_file(delta_table *t, int32_t day, int64_t size, int64_t records, int part,
                               int64_t mtime, bool *ok) {
    demo_ctx *c = t->c;
    char iso[16], uuid[37];
    fmt_day(day, iso, sizeof iso);
    demo_rng_uuid(&t->rng, uuid);
    t->files = xrealloc(t->files, (t->n_files + 1) * sizeof *t->files);
    delta_file *f = &t->files[t->n_files];
    *f = (delta_file){.day = day, .size = size, .records = records, .first_id = t->seq + 1};
    t->seq += records;
    f->path = xasprintf("payment_date=%s/part-%05d-%s.c000.snappy.parquet", iso, part, uuid);
    char *dir = xasprintf("%s/%s/payment_date=%s", c->dir, t->location, iso);
    *ok = *ok && demo_mkdirs(c, dir);
    free(dir);
    if (*ok) {
        demo_content_parquet(&c->buf, &t->rng, (size_t)size);
        char *path = xasprintf("%s/%s/%s", c->dir, t->location, f->path);
        *ok = demo_write_file(c, path, c->buf.data, c->buf.length, mtime, false);
        free(path);
        strbuf_free(&c->buf);
    }
    return t->n_files++;
}

static bool delta_create(delta_table *t, int64_t ms) {
    delta_make_metadata(t, ms);
    json_object *parameters = json_object_new_object();
    delta_add_string(parameters, "isManaged", "false");
    delta_add_string(parameters, "partitionBy", "[\"payment_date\"]");
    delta_add_string(parameters, "properties", "{}");
    delta_put_commit_info(t, ms, "CREATE TABLE", parameters, json_object_new_object(), true);
    delta_put_action(t, "protocol", delta_copy(t->protocol));
    delta_put_action(t, "metaData", delta_copy(t->metadata));
    return delta_write_commit(t, ms);
}

/* The day's blind append. */
static bool delta_append(delta_table *t, int32_t day, int ago, int64_t ms) {
    int n = (int)demo_rng_range(&t->rng, 1, 3);
    double growth = 1.0 + 0.5 * (double)(DELTA_DAYS - 1 - ago) / (DELTA_DAYS - 1);
    int64_t rows = 0, bytes = 0;
    size_t first = t->n_files;
    bool ok = true;
    for (int i = 0; i < n; i++) {
        int64_t size = (int64_t)(growth * (double)demo_rng_range(&t->rng, 10, 30) * DEMO_KIB);
        int64_t records = size / DELTA_ROW_BYTES - demo_rng_range(&t->rng, 0, 49);
        size_t f = delta_write_file(t, day, size, records, i, ms / 1000 - 30 + i, &ok);
        t->files[f].live = true;
        rows += records;
        bytes += size;
    }
    json_object *parameters = json_object_new_object();
    delta_add_string(parameters, "mode", "Append");
    delta_add_string(parameters, "partitionBy", "[]");
    json_object *metrics = json_object_new_object();
    delta_add_count(metrics, "numFiles", n);
    delta_add_count(metrics, "numOutputRows", rows);
    delta_add_count(metrics, "numOutputBytes", bytes);
    delta_put_commit_info(t, ms, "WRITE", parameters, metrics, true);
    for (size_t i = first; i < t->n_files; i++)
        delta_put_add(t, &t->files[i], (ms / 1000 - 30 + (int64_t)(i - first)) * 1000, true);
    return ok && delta_write_commit(t, ms);
}

/* OPTIMIZE: every partition before `before` with more than one live file
 * becomes one file; the removed files stay on disk. */
static bool delta_optimize(delta_table *t, int32_t before, int64_t ms) {
    size_t n_before = t->n_files;
    bool *removing = xcalloc(n_before + 1, sizeof *removing);
    int64_t removed = 0, removed_bytes = 0, added = 0, added_bytes = 0;
    bool ok = true;
    int32_t lo = INT32_MAX;
    for (size_t i = 0; i < n_before; i++)
        if (t->files[i].live && t->files[i].day < lo)
            lo = t->files[i].day;
    for (int32_t day = lo; ok && day < before; day++) {
        int64_t count = 0, bytes = 0, records = 0;
        for (size_t i = 0; i < n_before; i++)
            if (t->files[i].live && t->files[i].day == day) {
                count++;
                bytes += t->files[i].size;
                records += t->files[i].records;
            }
        if (count < 2)
            continue;
        int64_t size = bytes * (920 + demo_rng_range(&t->rng, 0, 40)) / 1000;
        size_t f = delta_write_file(t, day, size, records, 0, ms / 1000 - 90, &ok);
        t->seq -= records; /* the same rows */
        for (size_t i = 0; i < n_before; i++)
            if (t->files[i].live && t->files[i].day == day) {
                t->files[f].first_id = t->files[i].first_id < t->files[f].first_id
                                           ? t->files[i].first_id
                                           : t->files[f].first_id;
                t->files[i].live = false;
                removing[i] = true;
            }
        removed += count;
        removed_bytes += bytes;
        added++;
        added_bytes += size;
    }
    if (added == 0) {
        for (size_t i = n_before; i < t->n_files; i++)
            free(t->files[i].path);
        t->n_files = n_before;
        free(removing);
        return ok;
    }
    json_object *parameters = json_object_new_object();
    delta_add_string(parameters, "predicate", "[]");
    delta_add_string(parameters, "zOrderBy", "[]");
    json_object_object_add(parameters, "auto", json_object_new_boolean(0));
    json_object *metrics = json_object_new_object();
    delta_add_count(metrics, "numRemovedFiles", removed);
    delta_add_count(metrics, "numRemovedBytes", removed_bytes);
    delta_add_count(metrics, "numAddedFiles", added);
    delta_add_count(metrics, "numAddedBytes", added_bytes);
    delta_put_commit_info(t, ms, "OPTIMIZE", parameters, metrics, false);
    for (size_t i = 0; i < n_before; i++)
        if (removing[i])
            delta_put_remove(t, &t->files[i], ms);
    free(removing);
    for (size_t i = n_before; i < t->n_files; i++) {
        t->files[i].live = true;
        delta_put_add(t, &t->files[i], ms - 90 * 1000, false);
    }
    return ok && delta_write_commit(t, ms);
}

/* The newest version's checksum file, as Delta writes it after a commit. */
static bool delta_write_crc(delta_table *t, int64_t ms) {
    int64_t files = 0, bytes = 0;
    for (size_t i = 0; i < t->n_files; i++)
        if (t->files[i].live) {
            files++;
            bytes += t->files[i].size;
        }
    char txn[37];
    demo_rng_uuid(&t->rng, txn);
    json_object *o = json_object_new_object();
    delta_add_string(o, "txnId", txn);
    json_object_object_add(o, "tableSizeBytes", json_object_new_int64(bytes));
    json_object_object_add(o, "numFiles", json_object_new_int64(files));
    json_object_object_add(o, "numMetadata", json_object_new_int(1));
    json_object_object_add(o, "numProtocol", json_object_new_int(1));
    json_object_object_add(o, "setTransactions", json_object_new_array());
    json_object_object_add(o, "domainMetadata", json_object_new_array());
    json_object_object_add(o, "metadata", delta_copy(t->metadata));
    json_object_object_add(o, "protocol", delta_copy(t->protocol));
    const char *text =
        json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
    char *path =
        xasprintf("%s/%s/_delta_log/%020" PRId64 ".crc", t->c->dir, t->location, t->version - 1);
    bool ok = demo_write_file(t->c, path, text, strlen(text), ms / 1000, false);
    free(path);
    json_object_put(o);
    return ok;
}

static void delta_live_totals(const delta_table *t, int64_t *files, int64_t *bytes) {
    *files = *bytes = 0;
    for (size_t i = 0; i < t->n_files; i++)
        if (t->files[i].live) {
            (*files)++;
            *bytes += t->files[i].size;
        }
}

bool demo_delta_write(demo_ctx *c) {
    delta_table t = {.c = c, .location = "storing/sales/payments"};
    t.rng = demo_rng_seed("sales", "payments", 0);
    int first = c->days < DELTA_DAYS ? c->days - 1 : DELTA_DAYS - 1;
    char *log_dir = xasprintf("%s/%s/_delta_log", c->dir, t.location);
    bool ok = demo_mkdirs(c, log_dir);
    free(log_dir);
    int64_t created = demo_time(c, c->today - first, 2 * 3600 + 2400);
    ok = ok && delta_create(&t, created * 1000 + 321);

    demo_files_tally tally = {.first_data = -1, .last_data = -1};
    tally.bytes = xcalloc((size_t)c->days, sizeof *tally.bytes);
    tally.objects = xcalloc((size_t)c->days, sizeof *tally.objects);
    tally.newest = xcalloc((size_t)c->days, sizeof *tally.newest);
    int64_t files = 0, bytes = 0, last_ms = created * 1000;
    for (int d = 0; d < c->days; d++)
        tally.newest[d] = -1;
    for (int ago = first; ok && ago >= 0; ago--) {
        int32_t day = c->today - ago;
        int d = c->days - 1 - ago;
        int64_t ms = demo_time(c, day, 3 * 3600 + demo_rng_range(&t.rng, 0, 1799)) * 1000 +
                     demo_rng_range(&t.rng, 0, 999);
        ok = delta_append(&t, day, ago, ms);
        last_ms = ms;
        if (ok && ago == DELTA_FAILED_WRITE) {
            for (int i = 0; ok && i < 2; i++) {
                int64_t size = demo_rng_range(&t.rng, 24, 40) * DEMO_KIB;
                delta_write_file(&t, day, size, size / DELTA_ROW_BYTES, i,
                                 demo_time(c, day, 11 * 3600 + i), &ok);
            }
        }
        if (ok && ago == DELTA_OPTIMIZE) {
            int64_t before = t.version;
            int64_t optimize_ms = demo_time(c, day, 12 * 3600 + 600) * 1000 + 42;
            ok = delta_optimize(&t, day, optimize_ms);
            if (t.version > before)
                last_ms = optimize_ms;
        }
        int64_t day_files, day_bytes;
        delta_live_totals(&t, &day_files, &day_bytes);
        tally.objects[d] = day_files - files;
        tally.bytes[d] = day_bytes - bytes;
        tally.newest[d] = last_ms / 1000;
        files = day_files;
        bytes = day_bytes;
    }
    ok = ok && delta_write_crc(&t, last_ms);
    if (ok) {
        demo_open_table entry = {
            .database = "sales",
            .name = "payments",
            .description = "Payments as a Delta Lake table (optimized, not vacuumed)",
            .location = t.location,
            .columns = delta_columns,
            .n_columns = sizeof delta_columns / sizeof delta_columns[0],
            .create_time = created,
            .update_time = last_ms / 1000,
        };
        ok = demo_catalog_write_open_table(c, &entry);
    }
    if (ok) {
        demo_spec spec = {.database = "sales", .name = "payments"};
        demo_history_record_table(c, &spec, &tally);
    }
    demo_files_tally_free(&tally);
    for (size_t i = 0; i < t.n_files; i++)
        free(t.files[i].path);
    free(t.files);
    json_object_put(t.metadata);
    json_object_put(t.protocol);
    strbuf_free(&t.commit);
    return ok;
}
