/* backup.h: catalog backups and restores. A backup is a directory
 *   DEST/YYYYMMDDTHHMMSSZ/
 *     databases/<db>.json             Glue Database
 *     tables/<db>/<table>.json        Glue Table
 *     partitions/<db>/<table>.json    [Glue Partition...]
 *     ddl/<db>/<table>.sql            CREATE EXTERNAL TABLE ... (Hive DDL)
 *     manifest.json                   format, source, time, counts, sha256 of every file
 * written under a hidden name and renamed into place only when whole, so a
 * backup that is visible is complete. File names escape anything but
 * [A-Za-z0-9._-] as %XX; the JSON inside carries the real names. */
#ifndef LAKETOP_BACKUP_H
#define LAKETOP_BACKUP_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "collector/source.h"

#define BACKUP_FORMAT "laketop-catalog-backup/1"

typedef struct backup_counts {
    size_t databases;
    size_t tables;
    size_t partitions;
    size_t files;
} backup_counts;

/* Writes a catalog dump (see source.h) as a backup under `dest`; *written
 * gets the backup's directory (malloc'd). */
bool backup_write(json_object *dump, const char *dest, const char *source_name, int64_t now,
                  char **written, backup_counts *counts, char **error);

/* Reads a backup after verifying its manifest (every file present, its
 * sha256 right, nothing extra). `dir` is a backup, or a directory of
 * backups (the newest is taken; *chosen says which). */
bool backup_read(const char *dir, json_object **dump, backup_counts *counts, char **chosen,
                 char **error);

/* Hive DDL for a Glue Table (malloc'd). */
char *backup_ddl(json_object *table, const char *database);

typedef struct restore_result {
    size_t databases_created;
    size_t tables_created;
    size_t tables_replaced;
    size_t tables_skipped; /* existed; --force replaces them */
    size_t partitions_added;
} restore_result;

/* Recreates what the backup has and the source lacks; never overwrites a
 * table unless `force`. With dry_run nothing is changed. Each step is
 * written to `log` (may be NULL). False with *error at the first failure
 * (what was done before it stays done and is counted). */
bool restore_apply(lake_source *source, json_object *backup, bool dry_run, bool force,
                   restore_result *result, FILE *log, char **error);

/* ---- a backup as a background job (the dashboard's `b`) ------------------ */

#include "actions/jobs.h"

typedef struct backup_job {
    /* makes a source of its own for the job's thread */
    lake_source *(*make_source)(void *ctx, char **error);
    /* for an s3:// dest (NULL: the source made above must reach S3) */
    lake_source *(*make_s3_source)(void *ctx, char **error);
    void *make_ctx;
    char *dest; /* a directory or s3://bucket/prefix */
} backup_job;

bool backup_job_run(void *ctx, job_progress *progress, char **result);
void backup_job_free(void *ctx);

#endif
