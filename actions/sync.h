/* sync.h: zones and sync rules. A zone is a named place holding table data
 * (a local directory or s3://bucket/prefix/), with a role
 * (landing, storing, user). A rule copies prefixes from one zone to another:
 * incremental (what is missing, or differs in size or modification time, is
 * copied), never leaving a partial object (copies land under a temporary
 * name and are renamed into place), resumable (a sync killed halfway and run
 * again ends equal), deleting extra objects at the destination only when the
 * rule says delete = true. */
#ifndef LAKETOP_SYNC_H
#define LAKETOP_SYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "actions/jobs.h"
#include "collector/snapshot.h"
#include "collector/source.h"
#include "collector/zones.h"

typedef struct sync_plan {
    object_entry *copy;
    size_t n_copy;
    int64_t bytes_to_copy;
    object_entry *remove; /* extra objects at the destination */
    size_t n_remove;
    size_t n_same;
} sync_plan;

/* What a rule would do (nothing is changed). `s3` (may be NULL) is the
 * source that reaches s3:// zones. Between two S3 zones objects are copied
 * server-side; between a local and an S3 zone they are uploaded or
 * downloaded. */
bool sync_plan_build(const sync_config *c, const sync_rule *rule, lake_source *s3, sync_plan *plan,
                     char **error);
void sync_plan_free(sync_plan *plan);

/* Carries a plan out; progress(ctx, done, total) after each object (may be
 * NULL). Deletes only when rule->delete_extra. */
bool sync_apply(const sync_config *c, const sync_rule *rule, lake_source *s3, const sync_plan *plan,
                void (*progress)(void *ctx, size_t done, size_t total), void *ctx, size_t *copied,
                size_t *removed, char **error);
/* The last run of each rule, kept in $XDG_STATE_HOME/laketop/syncs.json
 * ({"RULE": {"time": ISO, "ok": bool, "result": "..."}}), replaced
 * atomically. */
void sync_state_record(const char *rule, bool ok, const char *result);

/* A whole sync (plan, then apply) as a background job; with plan_only the
 * job's result is the dry run's summary. */
typedef struct sync_job {
    sync_config config; /* a copy, owned */
    char *rule;
    bool plan_only;
    /* for s3:// zones: makes a source of the job's own */
    lake_source *(*make_source)(void *ctx, char **error);
    void *make_ctx;
} sync_job;

/* The one-line summary of a plan, for dry runs and confirmations. */
char *sync_plan_summary(const sync_rule *rule, const sync_plan *plan);
bool sync_job_run(void *ctx, job_progress *progress, char **result);
void sync_job_free(void *ctx);

#endif
