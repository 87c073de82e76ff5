/* restore.h: recreating a catalog from a backup (backup_format.h), local or
 * on S3 (backup_s3.h): what is missing is created, nothing is overwritten
 * unless forced, and nothing at all is changed before the backup is
 * verified. */
#ifndef LAKETOP_RESTORE_H
#define LAKETOP_RESTORE_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "actions/action.h"
#include "collector/source.h"

typedef struct restore_result {
    size_t databases_created;
    size_t tables_created;
    size_t tables_replaced;
    size_t tables_skipped; /* existed; --force replaces them */
    size_t partitions_added;
} restore_result;

typedef struct restore_request {
    action_source source; /* the catalog restored into */
    action_source s3;     /* reaches S3 for an s3:// backup when the source does not */
    const char *from;     /* a backup, a directory of backups, or s3://... */
    bool dry_run;
    bool force;
    FILE *log; /* each step, as it is done or would be; may be NULL */
} restore_request;

/* The restore action: reads and verifies the backup (a note says which),
 * then restore_apply; audited unless a dry run. *result is the summary
 * ("5 databases, 19 tables created, ..."), or the error (with the summary
 * of what was done before it). */
action_status restore_run(const restore_request *request, const action_report *report,
                          char **result);

#endif
