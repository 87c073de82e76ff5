/* local_lake.h: the embedded local lake backend.
 *
 * A lake is a directory. Zones are sub-directories holding data files
 * (landing/, storing/, users/<app>/ ...). The catalog lives in
 *   catalog/<database>/database.json      Glue Database shape
 *   catalog/<database>/<table>.json       Glue Table shape
 *   catalog/<database>/versions/<table>/<N>.json  earlier versions of it
 *                                         (as Glue's GetTableVersions: N
 *                                         rises; the table file is newest)
 * A table's StorageDescriptor.Location is a path relative to the lake, an
 * absolute path, or a file:// URI; it is matched as a directory.
 *
 * What is data, a marker, a hidden directory or a partition is decided by
 * collector/storage.h, as on S3. Symlinks are not followed. */
#ifndef LAKETOP_LOCAL_LAKE_H
#define LAKETOP_LOCAL_LAKE_H

#include <json-c/json.h>
#include <stdbool.h>

#include "collector/snapshot.h"

/* Reads the catalog into snapshot->databases and snapshot->tables (catalog
 * fields only; storage counts set to -1). A database or table whose JSON is
 * broken becomes a row with its error set. False with *error when the lake
 * itself cannot be read (missing directory, no catalog/). */
bool local_lake_read_catalog(const char *lake_dir, lake_snapshot *snapshot, char **error);

/* Scans a table's location: fills objects, bytes, newest_object, partitions,
 * marker_objects; on failure sets table->error and leaves counts at -1. */
void local_lake_scan_table(const char *lake_dir, table_stats *table);

/* Location -> directory path (malloc'd); NULL with *error for a location the
 * local lake cannot read (s3:// etc.). */
char *local_lake_resolve(const char *lake_dir, const char *location, char **error);

/* Before a table file in `db_dir` is replaced by `replacement`: keeps the
 * current one as versions/<table>/<N>.json, N one past the newest kept
 * (nothing to do when the table does not exist yet or equals the
 * replacement as JSON). False with *error when it cannot. */
bool local_lake_keep_version(const char *db_dir, const char *table, json_object *replacement,
                             char **error);

#endif
