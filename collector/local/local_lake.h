/* local_lake.h: the embedded local lake backend.
 *
 * A lake is a directory. Zones are sub-directories holding data files
 * (landing/, storing/, users/<app>/ ...). The catalog lives in catalog/
 * (its layout: local_catalog.h). A table's StorageDescriptor.Location is a
 * path relative to the lake, an absolute path, or a file:// URI; it is
 * matched as a directory.
 *
 * What is data, a marker, a hidden directory or a partition is decided by
 * collector/storage.h, as on S3. Symlinks are not followed. */
#ifndef LAKETOP_LOCAL_LAKE_H
#define LAKETOP_LOCAL_LAKE_H

#include "collector/snapshot.h"

/* Scans a table's location: fills objects, bytes, newest_object, partitions,
 * marker_objects; on failure sets table->error and leaves counts at -1. */
void local_lake_scan_table(const char *lake_dir, table_stats *table);

/* Location -> directory path (malloc'd); NULL with *error for a location the
 * local lake cannot read (s3:// etc.). */
char *local_lake_resolve(const char *lake_dir, const char *location, char **error);

#endif
