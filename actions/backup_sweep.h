/* backup_sweep.h: what killed backups leave behind, found and removed.
 *
 * A local backup is written under DEST/.partial-STAMP-OWNER-XXXXXX and a
 * backup to S3 (or a restore or an export from it) is staged in
 * $TMPDIR/laketop-backup-OWNER-XXXXXX, where OWNER is "PID-START": the
 * writer's process id and its start time (/proc/PID/stat), so that a
 * later backup can tell a live writer from a dead one even when the pid
 * has been reused. The next backup removes those whose writer is gone; one
 * of an older laketop (no OWNER, or a pid alone) when its writer is gone or
 * it is older than an hour; and empty DEST/STAMP directories (a name held by
 * a backup killed just before its rename) older than an hour.
 *
 * On S3 nothing says who is writing: a STAMP/ prefix with objects but no
 * manifest.json (the manifest is put last) is an incomplete backup. `restore
 * --dry-run` lists them; `backup --prune-incomplete` removes those whose
 * newest object is older than an hour (a younger one may be a backup being
 * written elsewhere). */
#ifndef LAKETOP_BACKUP_SWEEP_H
#define LAKETOP_BACKUP_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/source.h"

/* Past this age a leftover whose writer cannot be told is removed. */
#define BACKUP_SWEEP_AGE_SECONDS 3600

/* "PID-START" of this process, for the names above. */
void backup_sweep_owner(char *buf, size_t size);

/* Removes what killed writers left in `dir` under names starting with
 * `prefix` (".partial-" with a STAMP- after it when `stamped`, or
 * "laketop-backup-"), and, when `stamped`, the empty STAMP directories;
 * `now` for the ages. Returns how many were removed; *names (may be NULL)
 * gets them, ", "-separated (malloc'd, NULL when none). */
size_t backup_sweep_local(const char *dir, const char *prefix, bool stamped, int64_t now,
                          char **names);

/* The directory backups are staged in: $TMPDIR, else /tmp. */
const char *backup_sweep_tmpdir(void);

/* An S3 backup without its manifest. */
typedef struct backup_incomplete {
    char *name;  /* STAMP[-N] */
    char **keys; /* its objects' full keys */
    size_t n_keys;
    int64_t bytes;
    int64_t newest; /* its newest object's time */
} backup_incomplete;

/* The incomplete backups under the s3:// prefix `url` (none when `url` is a
 * backup itself). */
bool backup_sweep_s3_list(lake_source *s3, const char *url, backup_incomplete **out, size_t *n,
                          char **error);
/* Deletes one of them (its objects); *deleted counts them. */
bool backup_sweep_s3_remove(lake_source *s3, const char *url, const backup_incomplete *b,
                            size_t *deleted, char **error);
void backup_sweep_s3_free(backup_incomplete *list, size_t n);

#endif
