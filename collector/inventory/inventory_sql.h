/* inventory_sql.h: the SQL of an S3 Inventory report aggregated by Athena
 * (aws_inventory_athena.c): the DDL of laketop's table over the report's
 * hive/ symlink layout (one table per inventory configuration, one
 * partition per report), the aggregate query that counts every key for
 * the table whose location contains it by the listing's rules (storage.h,
 * as inventory_agg.c does on this machine), and the reading of
 * GetQueryResults pages into an inventory_report. The query is Trino
 * (Athena engine v3); besides url_decode, regexp_like, regexp_extract,
 * greatest and rank() it uses only standard SQL. Pure (json-c, no I/O). */
#ifndef LAKETOP_INVENTORY_SQL_H
#define LAKETOP_INVENTORY_SQL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/inventory/inventory_report.h"

/* One laketop table to count: s3://bucket/prefix (prefix "" or ending in
 * '/'), its partition keys' count (0: flat, no per-directory figures). */
typedef struct inventory_sql_table {
    const char *bucket;
    const char *prefix;
    size_t depth;
} inventory_sql_table;

/* "laketop_<source>_<config>": lower case, every other byte than [a-z0-9]
 * an '_', at most 128 bytes (a Glue table name). */
char *inventory_sql_table_name(const char *source_bucket, const char *config_id);
/* True for a Glue database name laketop accepts: [a-z0-9_], 1 to 128. */
bool inventory_sql_database_ok(const char *name);
/* "2026-12-01T01-00Z" -> "2026-12-01-01-00" (the hive dt= of the report);
 * false for anything else. out holds 17 bytes. */
bool inventory_sql_hive_dt(const char *date, char out[17]);

char *inventory_sql_create_database(const char *database);
/* CREATE EXTERNAL TABLE IF NOT EXISTS over s3://dest/prefix/hive/ (prefix
 * "SOURCE/CONFIG/"), its columns from `schema` (fileSchema), the SerDe of
 * `format` (CSV, ORC, Parquet); NULL with *error for another format or a
 * schema without Bucket, Key and Size. */
char *inventory_sql_create_table(const char *database, const char *table, const char *format,
                                 const char *schema, const char *dest, const char *prefix,
                                 char **error);
/* ALTER TABLE ... ADD IF NOT EXISTS PARTITION (dt='DT') LOCATION
 * 's3://dest/prefix/hive/dt=DT/'. */
char *inventory_sql_add_partition(const char *database, const char *table, const char *dt,
                                  const char *dest, const char *prefix);

/* The aggregate query over partition `dt` for `tables`: one row per
 * (table, top-level directory) (the directory NULL for a flat table and
 * for keys at a table's root), columns as inventory_sql_columns. NULL with
 * *error as inventory_sql_create_table. */
char *inventory_sql_query(const char *database, const char *table, const char *dt,
                          const char *format, const char *schema, const inventory_sql_table *tables,
                          size_t n_tables, char **error);

/* The result's columns, in order (the header row must say these). */
extern const char *const inventory_sql_columns[];
extern const size_t inventory_sql_n_columns;

/* GetQueryResults pages read into a report. */
typedef struct inventory_sql_results {
    const inventory_sql_table *tables;
    size_t n_tables;
    inventory_report *report; /* report->tables allocated by _begin */
    bool header_seen;
    int64_t rows; /* result rows read */
} inventory_sql_results;

/* Makes out->tables (n_tables, zeroed). */
void inventory_sql_results_begin(inventory_sql_results *r, const inventory_sql_table *tables,
                                 size_t n_tables, inventory_report *out);
/* One GetQueryResults answer (JSON): its rows added; *next_token set to
 * its NextToken (malloc'd) or NULL. False with *error for an answer that
 * is not one (a header other than the query's, a row of another width, a
 * number that is not one, an index out of range). */
bool inventory_sql_results_page(inventory_sql_results *r, const char *json, size_t length,
                                char **next_token, char **error);
/* The same, of an answer already parsed (not taken). */
struct json_object;
bool inventory_sql_results_json(inventory_sql_results *r, struct json_object *root,
                                char **next_token, char **error);
/* The directories sorted by name and the totals summed from them. */
void inventory_sql_results_end(inventory_sql_results *r);

#endif
