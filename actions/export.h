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
 *   DEST/datalake/tables/year=YYYY/month=M/day=D/costs.csv
 *     TableName, DatabaseName, StorageCostMonthUSD, StorageCostMonthIn30DaysUSD,
 *     QueryCost30DaysUSD, StorageClasses ("STANDARD=bytes;GLACIER=bytes")
 * CSV is RFC 4180 (quoted where a field has a comma, quote or newline:
 * the job's own output breaks there); times are "YYYY-MM-DD HH:MM:SS+00:00"
 * as that job printed them; unknown values are empty. Each file is written
 * whole (temp file, fsync, rename) or not at all. An s3:// DEST gets the
 * same files, written in a staging directory, then put one by one. A
 * snapshot that is not the whole lake (the source, a database or a table
 * could not be read) is not exported at all: the day's earlier files stay
 * as they were, and the result says what failed. */
#ifndef LAKETOP_EXPORT_H
#define LAKETOP_EXPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "actions/action.h"
#include "actions/jobs.h"
#include "collector/snapshot.h"

typedef struct export_request {
    const lake_snapshot *snapshot;
    const char *dest; /* a directory or s3://bucket/prefix */
    action_source s3; /* for an s3:// dest */
} export_request;

/* Why the snapshot is not the whole lake (malloc'd), or NULL when it is:
 * the source, a database or a table that could not be read. An export of
 * part of the lake would replace the day's good files with fewer tables or
 * figures that are not today's, so export_run refuses it. */
char *export_incomplete(const lake_snapshot *snapshot);

/* The export action, used by `laketop export` and the dashboard's daily
 * export. *result: "19 tables, 5 databases in DIR", or the error. */
action_status export_run(const export_request *request, const action_report *report, char **result);

/* The same as a background job, of `snapshot` (retained until the job
 * ends) to the context's export_dest; returns its id. */
int export_start_job(jobs *j, const action_context *context, lake_snapshot *snapshot);

#endif
