/* local_scan.h: the storage scan of a table on the local lake. What is
 * data, a marker, a hidden directory or a partition is decided by
 * collector/storage.h, as on S3; symlinks are not followed, and a file that
 * vanishes mid-scan is not an error. */
#ifndef LAKETOP_LOCAL_SCAN_H
#define LAKETOP_LOCAL_SCAN_H

#include "collector/snapshot.h"

/* Scans the table's location (local_lake_resolve): fills objects, bytes,
 * newest_object, partitions (the key=value directories n_partition_keys
 * deep), marker_objects, and s3_objects, s3_bytes (every file, hidden
 * directories and markers too); a _delta_log/ or .hoodie/ directly under
 * the location sets table_format (formats_detect). A location that cannot be opened sets
 * table->error and leaves the counts at -1; a directory below it that
 * cannot be read sets table->error and keeps the counts of the rest. */
void local_scan_table(const char *lake_dir, table_stats *table);

#endif
