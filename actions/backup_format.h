/* backup_format.h: the on-disk format of a catalog backup, written, read
 * back and verified. A backup is a directory
 *   DEST/YYYYMMDDTHHMMSSZ[-N]/
 *     databases/<db>.json             Glue Database
 *     tables/<db>/<table>.json        Glue Table
 *     partitions/<db>/<table>.json    [Glue Partition...]
 *     ddl/<db>/<table>.sql            CREATE EXTERNAL TABLE ... (Hive DDL)
 *     manifest.json                   format, source, time, counts, sha256 of every file
 * written under a hidden name and renamed into place only when whole, so a
 * backup that is visible is complete (its name is held meanwhile by an empty
 * directory, which is no backup: it has no manifest). Backups started in the
 * same second take YYYYMMDDTHHMMSSZ-2, -3 ...; the name is taken with mkdir,
 * so two at once never share one. A backup holds the catalog: its
 * directories are 0700 and its files 0600 whatever the umask. File names
 * escape anything but
 * [A-Za-z0-9._-] as %XX; the JSON inside carries the real names. */
#ifndef LAKETOP_BACKUP_FORMAT_H
#define LAKETOP_BACKUP_FORMAT_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BACKUP_FORMAT "laketop-catalog-backup/1"
/* DEST/.partial-STAMP-PID-START-XXXXXX: a backup being written (see
 * backup_sweep.h for what happens to one a killed backup left) */
#define BACKUP_FORMAT_PARTIAL ".partial-"

typedef struct backup_counts {
    size_t databases;
    size_t tables;
    size_t partitions;
    size_t files;
} backup_counts;

/* Writes a catalog dump (see source.h) as a backup under `dest`; *written
 * gets the backup's directory (malloc'd). */
bool backup_format_write(json_object *dump, const char *dest, const char *source_name, int64_t now,
                         char **written, backup_counts *counts, char **error);

/* Reads a backup after verifying its manifest (every file present, its
 * sha256 right, nothing extra): a dump in the shape source.h documents.
 * `dir` is a backup, or a directory of backups (the newest is taken, by
 * stamp then by -N; *chosen says which). */
bool backup_format_read(const char *dir, json_object **dump, backup_counts *counts, char **chosen,
                        char **error);

/* The order of backup names: by stamp, then by the suffix of a backup of
 * the same second (STAMP < STAMP-2 < ... < STAMP-10), by number, not by
 * text. */
int backup_format_name_compare(const char *a, const char *b);

/* Hive DDL for a Glue Table (malloc'd). */
char *backup_format_ddl(json_object *table, const char *database);

/* The string member `key` of a Glue object; NULL when absent or not a
 * string. */
const char *backup_format_string(json_object *o, const char *key);

#endif
