/* local_catalog.h: the local lake's catalog, read and written in Glue's own
 * JSON shapes. It lives in
 *   catalog/<database>/database.json      Glue Database shape
 *   catalog/<database>/<table>.json       Glue Table shape
 *   catalog/<database>/versions/<table>/<N>.json  earlier versions of it
 *                                         (as Glue's GetTableVersions: N
 *                                         rises; the table file is newest)
 *   catalog/<database>/partitions/<table>.json    [Glue Partition...], kept
 *                                         by restores, read by backups
 * The directory names the database, whatever its JSON says; directories
 * and files whose names start with '.' are not part of the catalog. */
#ifndef LAKETOP_LOCAL_CATALOG_H
#define LAKETOP_LOCAL_CATALOG_H

#include <json-c/json.h>
#include <stdbool.h>

#include "collector/snapshot.h"

/* Reads the catalog into snapshot->databases and snapshot->tables (catalog
 * fields only; storage counts set to -1), with each table's last schema
 * change from its kept versions. A database or table whose JSON is broken
 * becomes a row with its error set. False with *error when the lake itself
 * cannot be read (missing directory, no catalog/). */
bool local_catalog_read(const char *lake_dir, lake_snapshot *snapshot, char **error);

/* The whole catalog in the shape of lake_source's dump_catalog (source.h),
 * partitions included. False with *error when catalog/ cannot be listed or
 * at the first broken file (JSON that does not parse, a table without a
 * Name, partitions that are not an array). */
bool local_catalog_dump(const char *lake_dir, json_object **dump, char **error);

/* Restore writes, as Glue's CreateDatabase, CreateTable (UpdateTable when
 * `replace`) and BatchCreatePartition. Names must be plain (not empty, no
 * '/' or newline, no leading '.'). create_database refuses a database that exists; put_table a
 * table that exists unless `replace`, and keeps the replaced one as a
 * version; add_partitions adds the partitions whose Values are not there
 * yet. */
bool local_catalog_create_database(const char *lake_dir, json_object *database, char **error);
bool local_catalog_put_table(const char *lake_dir, const char *database, json_object *table,
                             bool replace, char **error);
bool local_catalog_add_partitions(const char *lake_dir, const char *database, const char *table,
                                  json_object *partitions, char **error);

/* Before a table file in `db_dir` is replaced by `replacement`: keeps the
 * current one as versions/<table>/<N>.json, N one past the newest kept
 * (nothing to do when the table does not exist yet or equals the
 * replacement as JSON). False with *error when it cannot. */
bool local_catalog_keep_version(const char *db_dir, const char *table, json_object *replacement,
                                char **error);

#endif
