/* backup.h: the backup action: a catalog's dump (source.h) written as a
 * backup (backup_format.h) to a directory, or through a staging directory
 * to s3:// (backup_s3.h). Used by `laketop backup` and the dashboard's `b`. */
#ifndef LAKETOP_BACKUP_H
#define LAKETOP_BACKUP_H

#include "actions/action.h"
#include "actions/jobs.h"

typedef struct backup_request {
    action_source source; /* the catalog backed up */
    action_source s3;     /* reaches S3 for an s3:// dest when the source does not */
    const char *dest;     /* a directory or s3://bucket/prefix */
    /* s3:// dest: first remove the backups there without a manifest whose
     * newest object is over an hour old (see backup_sweep.h) */
    bool prune_incomplete;
} backup_request;

/* Removes what killed backups left (backup_sweep.h: partials in a local
 * DEST, staging directories in $TMPDIR; incomplete backups on S3 with
 * prune_incomplete), each said as a note, then reads the catalog and writes
 * the backup; audited. *result: "5 databases,
 * 19 tables, 10 partitions in DIR", or the error. */
action_status backup_run(const backup_request *request, const action_report *report, char **result);

/* The same as a background job, to the context's backup_dest; returns its
 * id. */
int backup_start_job(jobs *j, const action_context *context);

#endif
