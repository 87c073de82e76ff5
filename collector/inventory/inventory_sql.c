/* inventory_sql.c: the DDL and the aggregate query of an S3 Inventory
 * report in Athena, and its results read into an inventory_report. */
#include "collector/inventory/inventory_sql.h"

#include <ctype.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/figures/cost.h"
#include "common/fmt.h"
#include "common/xalloc.h"

#define SQL_NAME_MAX 128

/* A growing string. */
typedef struct sql_buf {
    char *s;
    size_t n, cap;
} sql_buf;

static void sql_add(sql_buf *b, const char *text) {
    size_t length = strlen(text);
    b->s = xgrow(b->s, &b->cap, b->n + length + 1, 1);
    memcpy(b->s + b->n, text, length + 1);
    b->n += length;
}

__attribute__((format(printf, 2, 3))) static void sql_addf(sql_buf *b, const char *format, ...);
static void sql_addf(sql_buf *b, const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    char *s = xvasprintf(format, ap);
    va_end(ap);
    sql_add(b, s);
    free(s);
}

/* A string literal: 'it''s'. */
static void sql_literal(sql_buf *b, const char *text) {
    sql_add(b, "'");
    for (const char *p = text; *p; p++) {
        char one[2] = {*p, '\0'};
        sql_add(b, *p == '\'' ? "''" : one);
    }
    sql_add(b, "'");
}

char *inventory_sql_table_name(const char *source_bucket, const char *config_id) {
    char *raw = xasprintf("laketop_%s_%s", source_bucket, config_id);
    size_t i = 0;
    for (; raw[i] && i < SQL_NAME_MAX; i++) {
        unsigned char c = (unsigned char)raw[i];
        raw[i] = isalnum(c) && c < 128 ? (char)tolower(c) : '_';
    }
    raw[i] = '\0';
    return raw;
}

bool inventory_sql_database_ok(const char *name) {
    size_t n = strlen(name);
    if (n < 1 || n > SQL_NAME_MAX)
        return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return false;
    return true;
}

bool inventory_sql_hive_dt(const char *date, char out[17]) {
    /* YYYY-MM-DDTHH-MMZ */
    static const char shape[] = "dddd-dd-ddTdd-ddZ";
    size_t n = strlen(date);
    if (n == 18 && date[17] == '/')
        n = 17;
    if (n != 17)
        return false;
    for (size_t i = 0; i < 17; i++)
        if (shape[i] == 'd' ? !isdigit((unsigned char)date[i]) : date[i] != shape[i])
            return false;
    memcpy(out, date, 10);
    out[10] = '-';
    memcpy(out + 11, date + 11, 5);
    out[16] = '\0';
    return true;
}

char *inventory_sql_create_database(const char *database) {
    return xasprintf("CREATE DATABASE IF NOT EXISTS `%s`", database);
}

/* The report's columns: fileSchema's names in snake case ("LastModifiedDate"
 * -> last_modified_date, "ETag" -> e_tag), as AWS's Athena tables name
 * them. */
typedef struct sql_schema {
    char **names;
    size_t n;
    bool csv, orc;
} sql_schema;

static void sql_schema_free(sql_schema *s) {
    for (size_t i = 0; i < s->n; i++)
        free(s->names[i]);
    free(s->names);
}

static bool sql_schema_has(const sql_schema *s, const char *name) {
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->names[i], name) == 0)
            return true;
    return false;
}

static char *sql_snake(const char *field, size_t length) {
    if (length == 4 && strncmp(field, "ETag", 4) == 0)
        return xstrdup("e_tag");
    sql_buf b = {0};
    sql_add(&b, "");
    for (size_t i = 0; i < length; i++) {
        unsigned char c = (unsigned char)field[i];
        if (isupper(c) && i > 0 && islower((unsigned char)field[i - 1]))
            sql_add(&b, "_");
        char one[2] = {isalnum(c) && c < 128 ? (char)tolower(c) : '_', '\0'};
        sql_add(&b, one);
    }
    return b.s;
}

static void sql_schema_add(sql_schema *s, size_t *cap, const char *name, size_t length) {
    while (length && (*name == ' ' || *name == '`'))
        name++, length--;
    while (length && (name[length - 1] == ' ' || name[length - 1] == '`'))
        length--;
    if (!length)
        return;
    s->names = xgrow(s->names, cap, s->n + 1, sizeof *s->names);
    s->names[s->n++] = sql_snake(name, length);
}

/* The column names of a fileSchema, in the three shapes S3 writes it:
 * CSV "Bucket, Key, Size, LastModifiedDate" (fields as named in the
 * configuration), ORC "struct<bucket:string,key:string,size:bigint>",
 * Parquet "message s3.inventory { required binary bucket (UTF8); optional
 * int64 size; }" (the name is a field's third word; its annotation, in
 * parentheses, may hold a comma: fields end at ';'). */
static void sql_schema_names(const char *schema, sql_schema *s) {
    size_t cap = 0;
    const char *p = schema;
    while (*p == ' ')
        p++;
    if (strncmp(p, "struct<", 7) == 0) {
        for (p += 7; *p && *p != '>';) {
            const char *end = p + strcspn(p, ",>");
            const char *colon = memchr(p, ':', (size_t)(end - p));
            sql_schema_add(s, &cap, p, (size_t)((colon ? colon : end) - p));
            p = *end == ',' ? end + 1 : end;
        }
        return;
    }
    if (strncmp(p, "message", 7) == 0 && strchr(p, '{')) {
        for (p = strchr(p, '{') + 1; *p && *p != '}';) {
            const char *end = p + strcspn(p, ";}");
            const char *word = p;
            for (int w = 0; w < 2 && word < end; w++) { /* repetition, type */
                word += strspn(word, " \t\n");
                word += strcspn(word, " \t\n;}");
            }
            word += strspn(word, " \t\n");
            if (word < end) /* the name ends before ';' or '}' */
                sql_schema_add(s, &cap, word, strcspn(word, " \t\n(;}"));
            p = *end == ';' ? end + 1 : end;
        }
        return;
    }
    while (*p) {
        const char *end = p + strcspn(p, ",");
        sql_schema_add(s, &cap, p, (size_t)(end - p));
        p = *end ? end + 1 : end;
    }
}

static bool sql_schema_parse(const char *format, const char *schema, sql_schema *s, char **error) {
    memset(s, 0, sizeof *s);
    s->csv = format && strcmp(format, "CSV") == 0;
    s->orc = format && strcmp(format, "ORC") == 0;
    if (!s->csv && !s->orc && !(format && strcmp(format, "Parquet") == 0)) {
        *error =
            xasprintf("inventory format \"%s\" is not CSV, ORC nor Parquet", format ? format : "");
        return false;
    }
    sql_schema_names(schema ? schema : "", s);
    if (!sql_schema_has(s, "bucket") || !sql_schema_has(s, "key") || !sql_schema_has(s, "size")) {
        *error = xstrdup("inventory fileSchema lacks Bucket, Key or Size");
        sql_schema_free(s);
        return false;
    }
    return true;
}

/* The Hive type of a column in an ORC or Parquet report. */
static const char *sql_type(const char *name) {
    if (strcmp(name, "size") == 0)
        return "bigint";
    if (strcmp(name, "last_modified_date") == 0 ||
        strcmp(name, "object_lock_retain_until_date") == 0)
        return "timestamp";
    if (strcmp(name, "is_latest") == 0 || strcmp(name, "is_delete_marker") == 0 ||
        strcmp(name, "is_multipart_uploaded") == 0)
        return "boolean";
    return "string";
}

static void sql_hive_location(sql_buf *b, const char *dest, const char *prefix, const char *dt) {
    char *where = dt ? xasprintf("s3://%s/%shive/dt=%s/", dest, prefix, dt)
                     : xasprintf("s3://%s/%shive/", dest, prefix);
    sql_literal(b, where);
    free(where);
}

char *inventory_sql_create_table(const char *database, const char *table, const char *format,
                                 const char *schema, const char *dest, const char *prefix,
                                 char **error) {
    sql_schema s;
    if (!sql_schema_parse(format, schema, &s, error))
        return NULL;
    sql_buf b = {0};
    sql_addf(&b, "CREATE EXTERNAL TABLE IF NOT EXISTS `%s`.`%s` (", database, table);
    for (size_t i = 0; i < s.n; i++)
        sql_addf(&b, "%s`%s` %s", i ? ", " : "", s.names[i],
                 s.csv ? "string" : sql_type(s.names[i]));
    sql_add(&b, ") PARTITIONED BY (`dt` string) ROW FORMAT SERDE ");
    if (s.csv)
        sql_add(&b, "'org.apache.hadoop.hive.serde2.OpenCSVSerde'");
    else if (s.orc)
        sql_add(&b, "'org.apache.hadoop.hive.ql.io.orc.OrcSerde'");
    else
        sql_add(&b, "'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'");
    sql_add(&b, " STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat' "
                "OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.IgnoreKeyTextOutputFormat' LOCATION ");
    sql_hive_location(&b, dest, prefix, NULL);
    sql_schema_free(&s);
    return b.s;
}

char *inventory_sql_add_partition(const char *database, const char *table, const char *dt,
                                  const char *dest, const char *prefix) {
    sql_buf b = {0};
    sql_addf(&b, "ALTER TABLE `%s`.`%s` ADD IF NOT EXISTS PARTITION (dt = ", database, table);
    sql_literal(&b, dt);
    sql_add(&b, ") LOCATION ");
    sql_hive_location(&b, dest, prefix, dt);
    return b.s;
}

const char *const inventory_sql_columns[] = {
    "idx", "dir", "objects", "bytes", "newest", "markers", "partitions", "s3_objects", "s3_bytes",
    "o0",  "b0",  "f0",      "o1",    "b1",     "f1",      "o2",         "b2",         "f2",
    "o3",  "b3",  "f3",      "o4",    "b4",     "f4",      "o5",         "b5",         "f5",
    "o6",  "b6",  "f6",      "o7",    "b7",     "f7",      "o8",         "b8",         "f8"};
const size_t inventory_sql_n_columns = sizeof inventory_sql_columns / sizeof *inventory_sql_columns;
_Static_assert(sizeof inventory_sql_columns / sizeof *inventory_sql_columns ==
                   9 + 3 * COST_CLASS_COUNT,
               "three columns a storage class");

/* The listing's rules (storage.h) as regular expressions (Java's and
 * Python's alike): a directory below the location starting with '.' or '_'
 * (hidden: counted only in s3_*), a marker key (ending in '/', its last
 * component starting with '.' or '_' or ending in _$folder$), and the
 * first `depth` key=value directories (a partition). */
#define SQL_HIDDEN "(^|/)[._][^/]*/"
#define SQL_MARKER "/$|(^|/)[._][^/]*$|_\\$folder\\$$"
#define SQL_TOP_DIR "^[^/]*/"

char *inventory_sql_query(const char *database, const char *table, const char *dt,
                          const char *format, const char *schema, const inventory_sql_table *tables,
                          size_t n_tables, char **error) {
    sql_schema s;
    if (!sql_schema_parse(format, schema, &s, error))
        return NULL;
    if (!n_tables) {
        *error = xstrdup("no table to count");
        sql_schema_free(&s);
        return NULL;
    }
    sql_buf b = {0};
    sql_add(&b, "WITH t (idx, bucket, prefix, depth) AS (VALUES ");
    for (size_t i = 0; i < n_tables; i++) {
        sql_addf(&b, "%s(%zu, ", i ? ", " : "", i);
        sql_literal(&b, tables[i].bucket);
        sql_add(&b, ", ");
        sql_literal(&b, tables[i].prefix);
        sql_addf(&b, ", %zu)", tables[i].depth);
    }
    sql_addf(&b,
             "), k AS (SELECT \"bucket\" AS bucket, %s AS \"key\", %s AS size, %s AS lm, %s AS sc "
             "FROM \"%s\".\"%s\" WHERE dt = ",
             s.csv ? "url_decode(\"key\")" : "\"key\"",
             s.csv ? "CAST(\"size\" AS bigint)" : "\"size\"",
             sql_schema_has(&s, "last_modified_date")
                 ? (s.csv ? "\"last_modified_date\"" : "CAST(\"last_modified_date\" AS varchar)")
                 : "CAST(NULL AS varchar)",
             sql_schema_has(&s, "storage_class") ? "COALESCE(\"storage_class\", '')" : "''",
             database, table);
    sql_literal(&b, dt);
    if (sql_schema_has(&s, "is_latest"))
        sql_add(&b, s.csv ? " AND \"is_latest\" = 'true'" : " AND \"is_latest\"");
    if (sql_schema_has(&s, "is_delete_marker"))
        sql_add(&b,
                s.csv ? " AND \"is_delete_marker\" <> 'true'" : " AND NOT \"is_delete_marker\"");
    /* every key to the tables of the longest location containing it */
    sql_add(
        &b,
        "), m AS (SELECT t.idx, t.depth, k.\"key\", substr(k.\"key\", length(t.prefix) + 1) "
        "AS rest, k.size, k.lm, k.sc, rank() OVER (PARTITION BY k.bucket, k.\"key\" ORDER "
        "BY length(t.prefix) DESC) AS r FROM k JOIN t ON k.bucket = t.bucket AND "
        "substr(k.\"key\", 1, length(t.prefix)) = t.prefix), "
        "c AS (SELECT idx, CASE WHEN depth = 0 THEN NULL ELSE regexp_extract(rest, '" SQL_TOP_DIR
        "') END AS dir, CASE WHEN regexp_like(rest, '" SQL_HIDDEN
        "') THEN 2 WHEN regexp_like(\"key\", '" SQL_MARKER
        "') THEN 1 ELSE 0 END AS kind, CASE depth");
    bool any_depth = false;
    for (size_t i = 0; i < n_tables; i++) {
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = tables[j].depth == tables[i].depth;
        if (seen || !tables[i].depth)
            continue;
        sql_addf(&b, " WHEN %zu THEN regexp_extract(rest, '^([^/=]+=[^/]+/){%zu}')",
                 tables[i].depth, tables[i].depth);
        any_depth = true;
    }
    sql_add(&b, any_depth ? " END AS part, size, lm, CASE sc"
                          : " WHEN 0 THEN NULL END AS part, "
                            "size, lm, CASE sc");
    for (int c = 1; c < COST_CLASS_COUNT; c++)
        sql_addf(&b, " WHEN '%s' THEN %d", cost_class_s3((cost_class)c), c);
    sql_add(&b, " ELSE 0 END AS cls FROM m WHERE r = 1) SELECT idx, dir, "
                "sum(CASE WHEN kind = 0 THEN 1 ELSE 0 END) AS objects, "
                "sum(CASE WHEN kind = 0 THEN size ELSE 0 END) AS bytes, "
                "max(CASE WHEN kind = 0 THEN lm END) AS newest, "
                "sum(CASE WHEN kind = 1 THEN 1 ELSE 0 END) AS markers, "
                "count(DISTINCT CASE WHEN kind = 0 THEN part END) AS partitions, "
                "count(*) AS s3_objects, sum(size) AS s3_bytes");
    for (int c = 0; c < COST_CLASS_COUNT; c++)
        sql_addf(&b,
                 ", sum(CASE WHEN cls = %d THEN 1 ELSE 0 END) AS o%d, sum(CASE WHEN cls = %d THEN "
                 "size ELSE 0 END) AS b%d, sum(CASE WHEN cls = %d THEN greatest(size, 131072) ELSE "
                 "0 END) AS f%d",
                 c, c, c, c, c, c);
    sql_add(&b, " FROM c GROUP BY idx, dir ORDER BY idx, dir");
    sql_schema_free(&s);
    return b.s;
}

/* ---- results ---------------------------------------------------------- */

void inventory_sql_results_begin(inventory_sql_results *r, const inventory_sql_table *tables,
                                 size_t n_tables, inventory_report *out) {
    memset(r, 0, sizeof *r);
    r->tables = tables;
    r->n_tables = n_tables;
    r->report = out;
    out->tables = xcalloc(n_tables ? n_tables : 1, sizeof *out->tables);
    out->n_tables = n_tables;
}

/* Row `row`'s cell `i`: its VarCharValue, NULL for SQL NULL; false when
 * the cell is not an object. */
static bool sql_cell(json_object *data, size_t i, const char **out) {
    json_object *cell = json_object_array_get_idx(data, i), *v;
    if (!cell || !json_object_is_type(cell, json_type_object))
        return false;
    *out = NULL;
    if (json_object_object_get_ex(cell, "VarCharValue", &v)) {
        if (!json_object_is_type(v, json_type_string))
            return false;
        *out = json_object_get_string(v);
    }
    return true;
}

static bool sql_count(const char *text, int64_t *out) {
    if (!text) {
        *out = 0;
        return true;
    }
    return fmt_parse_count(text, out);
}

static bool sql_row(inventory_sql_results *r, json_object *data, char **error) {
    const char *cell[9 + 3 * COST_CLASS_COUNT];
    for (size_t i = 0; i < inventory_sql_n_columns; i++)
        if (!sql_cell(data, i, &cell[i])) {
            *error =
                xasprintf("result row %lld: cell %zu is not a value", (long long)r->rows + 1, i);
            return false;
        }
    int64_t idx, v[7];
    if (!cell[0] || !fmt_parse_count(cell[0], &idx) || idx < 0 || (uint64_t)idx >= r->n_tables) {
        *error = xasprintf("result row %lld: table index \"%s\" is not one asked for",
                           (long long)r->rows + 1, cell[0] ? cell[0] : "NULL");
        return false;
    }
    incremental_figures f = {0};
    static const size_t counted[] = {2, 3, 5, 6, 7, 8};
    for (size_t i = 0; i < 6; i++)
        if (!sql_count(cell[counted[i]], &v[i])) {
            *error = xasprintf("result row %lld: %s \"%s\" is not a count", (long long)r->rows + 1,
                               inventory_sql_columns[counted[i]], cell[counted[i]]);
            return false;
        }
    f.objects = v[0], f.bytes = v[1], f.markers = v[2], f.partitions = v[3];
    f.s3_objects = v[4], f.s3_bytes = v[5];
    if (cell[4] && *cell[4]) {
        /* "2026-11-01T00:00:00.000Z" (CSV) or "2026-11-01 00:00:00.000" */
        char when[40];
        snprintf(when, sizeof when, "%s", cell[4]);
        char *dot = strchr(when, '.');
        if (dot)
            *dot = '\0';
        size_t n = strlen(when);
        if (n && when[n - 1] == 'Z')
            when[n - 1] = '\0';
        if (!fmt_parse_iso8601(when, &f.newest)) {
            *error = xasprintf("result row %lld: newest \"%s\" is not a time",
                               (long long)r->rows + 1, cell[4]);
            return false;
        }
    }
    for (int c = 0; c < COST_CLASS_COUNT; c++) {
        int64_t objects, bytes, floor;
        if (!sql_count(cell[9 + 3 * c], &objects) || !sql_count(cell[10 + 3 * c], &bytes) ||
            !sql_count(cell[11 + 3 * c], &floor)) {
            *error = xasprintf("result row %lld: storage class %s is not counts",
                               (long long)r->rows + 1, cost_class_s3((cost_class)c));
            return false;
        }
        f.storage.objects[c] += objects;
        f.storage.bytes[c] += bytes;
        /* the billing rules of cost_storage_add, summed */
        switch (c) {
        case COST_STANDARD_IA:
        case COST_ONEZONE_IA:
        case COST_GLACIER_IR: f.storage.billed[c] += floor; break;
        case COST_GLACIER:
        case COST_DEEP_ARCHIVE:
            f.storage.billed[c] += bytes + 32 * 1024 * objects;
            f.storage.billed[COST_STANDARD] += 8 * 1024 * objects;
            break;
        default: f.storage.billed[c] += bytes; break;
        }
    }
    inventory_table_report *t = &r->report->tables[idx];
    if (cell[1] && r->tables[idx].depth) {
        t->dirs = xrealloc(t->dirs, (t->n_dirs + 1) * sizeof *t->dirs);
        incremental_dir *d = &t->dirs[t->n_dirs++];
        memset(d, 0, sizeof *d);
        d->name = xasprintf("%s%s", r->tables[idx].prefix, cell[1]);
        d->listed_at = r->report->created;
        d->figures = f;
    } else {
        incremental_figures_add(&t->total, &f);
    }
    r->rows++;
    return true;
}

bool inventory_sql_results_page(inventory_sql_results *r, const char *json, size_t length,
                                char **next_token, char **error) {
    json_tokener *tok = json_tokener_new();
    json_object *root =
        json_tokener_parse_ex(tok, json, (int)(length > 1u << 30 ? 1u << 30 : length));
    json_tokener_free(tok);
    bool ok = inventory_sql_results_json(r, root, next_token, error);
    json_object_put(root);
    return ok;
}

bool inventory_sql_results_json(inventory_sql_results *r, json_object *root, char **next_token,
                                char **error) {
    *next_token = NULL;
    json_object *set, *rows, *next;
    bool ok = root && json_object_object_get_ex(root, "ResultSet", &set) &&
              json_object_object_get_ex(set, "Rows", &rows) &&
              json_object_is_type(rows, json_type_array);
    if (!ok)
        *error = xstrdup("GetQueryResults: no ResultSet.Rows");
    for (size_t i = 0; ok && i < json_object_array_length(rows); i++) {
        json_object *data;
        json_object *row = json_object_array_get_idx(rows, i);
        if (!json_object_object_get_ex(row, "Data", &data) ||
            !json_object_is_type(data, json_type_array) ||
            json_object_array_length(data) != inventory_sql_n_columns) {
            *error = xasprintf("GetQueryResults: a row of %zu cells, not %zu",
                               data && json_object_is_type(data, json_type_array)
                                   ? json_object_array_length(data)
                                   : 0,
                               inventory_sql_n_columns);
            ok = false;
            break;
        }
        if (!r->header_seen) {
            for (size_t k = 0; ok && k < inventory_sql_n_columns; k++) {
                const char *name = NULL;
                if (!sql_cell(data, k, &name) || !name ||
                    strcmp(name, inventory_sql_columns[k]) != 0) {
                    *error = xasprintf("GetQueryResults: column %zu is \"%s\", not %s", k,
                                       name ? name : "", inventory_sql_columns[k]);
                    ok = false;
                }
            }
            r->header_seen = true;
            continue;
        }
        ok = sql_row(r, data, error);
    }
    if (ok && json_object_object_get_ex(root, "NextToken", &next) &&
        json_object_is_type(next, json_type_string) && *json_object_get_string(next))
        *next_token = xstrdup(json_object_get_string(next));
    return ok;
}

static int sql_dir_compare(const void *x, const void *y) {
    return strcmp(((const incremental_dir *)x)->name, ((const incremental_dir *)y)->name);
}

void inventory_sql_results_end(inventory_sql_results *r) {
    for (size_t i = 0; i < r->report->n_tables; i++) {
        inventory_table_report *t = &r->report->tables[i];
        if (t->n_dirs)
            qsort(t->dirs, t->n_dirs, sizeof *t->dirs, sql_dir_compare);
        for (size_t k = 0; k < t->n_dirs; k++)
            incremental_figures_add(&t->total, &t->dirs[k].figures);
    }
    r->report->rows = r->rows;
}
