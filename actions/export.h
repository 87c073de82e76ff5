/* export.h: the day's figures for BI tools, in the layout and columns of
 * the widely deployed Glue collector job, so the Athena tables and
 * dashboards built on it keep working:
 *   DEST/datalake/tables/year=YYYY/month=M/day=D/tables.csv
 *     TableName, DatabaseName, Owner, CreateTime, UpdateTime, LastAccessTime,
 *     TableType, Retention, CreatedBy, IsRegisteredWithLakeFormation,
 *     Location, SizeInMBOnS3, TotalFilesonS3
 *   DEST/datalake/databases/year=YYYY/month=M/day=D/databases.csv
 *     DatabaseName, CreateTime, SharedResource, SharedResourceOwner,
 *     SharedResourceDatabaseName, Location, Description
 *   DEST/datalake/tables/year=YYYY/month=M/day=D/laketop.jsonl
 *     one line per table with laketop's fuller figures (the --once JSON)
 * CSV is RFC 4180 (quoted where a field has a comma, quote or newline:
 * the job's own output breaks there); times are "YYYY-MM-DD HH:MM:SS+00:00"
 * as that job printed them; unknown values are empty. Each file is written
 * whole (temp file, fsync, rename) or not at all. `laketop export s3://...`
 * writes it in a staging directory and uploads it (main.c). */
#ifndef LAKETOP_EXPORT_H
#define LAKETOP_EXPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "collector/snapshot.h"

/* Writes the export of the snapshot's day (generated_at, UTC) under dest;
 * *tables_dir gets the directory of tables.csv (malloc'd). */
bool export_write(const lake_snapshot *s, const char *dest, char **tables_dir, char **error);

#endif
