/* backup.c: the backup action (see backup.h). */
#include "actions/backup.h"

#include <stdlib.h>

#include "actions/audit.h"
#include "actions/backup_format.h"
#include "actions/backup_s3.h"
#include "collector/storage.h"
#include "common/clock.h"
#include "common/xalloc.h"

action_status backup_run(const backup_request *r, const action_report *report, char **result) {
    char *error = NULL;
    if (!action_address_ok(r->dest, &error)) {
        *result = error;
        return ACTION_RESULT_REFUSED;
    }
    lake_source *source = action_source_open(&r->source, &error);
    if (!source) {
        *result = error ? error : xstrdup("no catalog to back up");
        return ACTION_RESULT_ERROR;
    }
    action_progress(report, 0.1, "reading the catalog");
    json_object *dump = NULL;
    char *written = NULL;
    backup_counts counts;
    bool ok = source->dump_catalog && source->dump_catalog(source, &dump, &error);
    if (!ok && !error)
        error = xasprintf("%s cannot be backed up yet", source->name);
    if (ok) {
        action_progress(report, 0.6, "writing the backup");
        if (storage_is_s3(r->dest)) {
            lake_source *s3 = action_s3_open(&r->s3, source, r->dest, &error);
            ok = s3 && backup_s3_write(dump, s3, r->dest, source->name, clock_now(), &written,
                                       &counts, &error);
            action_s3_close(&r->s3, source, s3);
        } else {
            ok = backup_format_write(dump, r->dest, source->name, clock_now(), &written, &counts,
                                     &error);
        }
    }
    json_object_put(dump);
    if (ok) {
        *result = xasprintf("%zu databases, %zu tables, %zu partitions in %s", counts.databases,
                            counts.tables, counts.partitions, written);
        audit_log(report, source->name, "backup", written, "ok");
    } else {
        *result = error;
        audit_log(report, source->name, "backup", r->dest, error);
    }
    free(written);
    action_source_close(&r->source, source);
    return ok ? ACTION_RESULT_DONE : ACTION_RESULT_ERROR;
}

typedef struct backup_job {
    action_context context;
    char *dest;
} backup_job;

static bool backup_job_run(void *ctx, job_progress *progress, char **result) {
    backup_job *b = ctx;
    backup_request r = {
        .source = {.make = b->context.make_source, .make_ctx = b->context.make_ctx},
        .s3 = {.make = b->context.make_s3_source, .make_ctx = b->context.make_ctx},
        .dest = b->dest,
    };
    action_report report = action_report_job(progress);
    return backup_run(&r, &report, result) == ACTION_RESULT_DONE;
}

static void backup_job_free(void *ctx) {
    backup_job *b = ctx;
    free(b->dest);
    free(b);
}

int backup_start_job(jobs *j, const action_context *context) {
    backup_job *b = xcalloc(1, sizeof *b);
    b->context = *context;
    b->dest = xstrdup(context->backup_dest);
    return jobs_start(j, "backup", b->dest, false, backup_job_run, b, backup_job_free);
}
