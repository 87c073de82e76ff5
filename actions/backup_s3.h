/* backup_s3.h: catalog backups kept on S3. A backup on S3 is the tree of
 * backup_format.h under s3://bucket/prefix/STAMP/, written on disk first (and
 * verified there), then uploaded with manifest.json last: a backup whose
 * manifest is listed is complete. Its name is the first of STAMP, STAMP-2
 * ... that no object under the prefix uses and that it can claim: it puts
 * NAME/.laketop-claim-TOKEN and lists NAME/; the name is its own when its
 * claim is all there is (else it deletes the claim and tries the next),
 * and the claim is deleted before the manifest is put. S3's listings show
 * every write that came before them, so of two backups of the same second,
 * in two processes or on two machines, the later one to list sees the
 * other's claim: they never share a name. A restore downloads one into a local
 * directory and verifies it there with backup_format_read. */
#ifndef LAKETOP_BACKUP_S3_H
#define LAKETOP_BACKUP_S3_H

#include <stdbool.h>
#include <stddef.h>

#include "actions/backup_format.h"
#include "collector/source.h"

/* Uploads every file under the directory `local` to url/<relative path>,
 * the top-level file `last` (may be NULL) after all others; *files counts
 * them. */
bool backup_s3_put_tree(lake_source *s3, const char *local, const char *url, const char *last,
                        size_t *files, char **error);

/* $TMPDIR/laketop-backup-PID-START-XXXXXX (see backup_sweep.h) */
#define BACKUP_S3_STAGING "laketop-backup-"

/* A private directory under $TMPDIR for files on their way to S3
 * (malloc'd; the caller removes it with fs_remove_tree). */
char *backup_s3_staging(char **error);

/* backup_format_write to S3: the dump is written and verified in a staging
 * directory under $TMPDIR, uploaded, and the staging removed. */
bool backup_s3_write(json_object *dump, lake_source *s3, const char *url, const char *source_name,
                     int64_t now, char **written, backup_counts *counts, char **error);

/* backup_format_read from S3: downloaded to a staging directory, verified there,
 * staging removed; *chosen gets the s3:// address of the backup read. */
bool backup_s3_read(lake_source *s3, const char *url, json_object **dump, backup_counts *counts,
                    char **chosen, char **error);

#endif
