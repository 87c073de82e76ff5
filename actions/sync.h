/* sync.h: copies between zones (collector/zones.h), rule by rule:
 * incremental (what is missing, or differs, is copied), never leaving a
 * partial object (copies land under a temporary name and are renamed into
 * place, or are atomic per object on S3), resumable (a sync killed halfway
 * and run again ends equal), deleting extra objects at the destination only
 * when the rule says delete = true. Between two local zones files are
 * copied; between two S3 zones objects are copied server-side; between a
 * local and an S3 zone they are uploaded or downloaded. */
#ifndef LAKETOP_SYNC_H
#define LAKETOP_SYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "actions/action.h"
#include "actions/jobs.h"
#include "collector/storage.h"
#include "collector/zones.h"

/* What a rule would do. */
typedef struct sync_plan {
    object_entry *copy; /* missing or different at the destination */
    size_t n_copy;
    int64_t bytes_to_copy;
    object_entry *remove; /* extra objects at the destination */
    size_t n_remove;
    size_t n_same;
} sync_plan;

/* The plan from two listings sorted by key (zones_list): pure. Same object?
 * Local files: size and modification time. S3: size and ETag, unless one is
 * a multipart ETag ("...-N"), which a copy changes. Between a local and an
 * S3 zone: size, and the copy no older than the source. */
void sync_plan_compare(const object_entry *source, size_t n_source, const object_entry *dest,
                       size_t n_dest, sync_plan *plan);
void sync_plan_free(sync_plan *plan);
/* The one-line summary of a plan, for dry runs and confirmations. */
char *sync_plan_summary(const sync_rule *rule, const sync_plan *plan);

typedef struct sync_request {
    const sync_config *config;
    const char *rule;
    bool dry_run;     /* only say what it would do */
    action_source s3; /* reaches s3:// zones */
} sync_request;

/* The sync action: checks the rules, lists both zones, and (unless a dry
 * run, whose result is the plan's summary) notes the plan, copies and
 * deletes, reporting "done / total"; audited, and kept as the rule's last
 * run (zones_runs_path). *result: "copied 3 objects (1.2 KiB), deleted 0",
 * or what stopped it. */
action_status sync_run(const sync_request *request, const action_report *report, char **result);

/* The same as a background job, with the context's rules; a dry run
 * changes nothing (the dashboard's question shows its result). Returns the
 * job's id. */
int sync_start_job(jobs *j, const action_context *context, const char *rule, bool dry_run);

#endif
