/* local_lake.h: the embedded local lake backend.
 *
 * A lake is a directory. Zones are sub-directories holding data files
 * (landing/, storing/, users/<app>/ ...). The catalog lives in catalog/
 * (its layout: local_catalog.h); a table's directory is scanned by
 * local_scan.h, crawlers write catalog entries (local_crawler.h), and
 * local_source serves it all as a lake_source.
 *
 * A table's StorageDescriptor.Location is a path relative to the lake, an
 * absolute path, or a file:// URI; it is matched as a directory. */
#ifndef LAKETOP_LOCAL_LAKE_H
#define LAKETOP_LOCAL_LAKE_H

/* Location -> directory path (malloc'd); NULL with *error for a location the
 * local lake cannot read (s3:// etc.). */
char *local_lake_resolve(const char *lake_dir, const char *location, char **error);

#endif
