/* backup.c: the backup action (see backup.h). */
#include "actions/backup.h"

#include <stdlib.h>
#include <string.h>

#include "actions/audit.h"
#include "actions/backup_format.h"
#include "actions/backup_s3.h"
#include "actions/backup_sweep.h"
#include "collector/storage.h"
#include "common/clock.h"
#include "common/fmt.h"
#include "common/xalloc.h"

/* What killed backups left here and in $TMPDIR, removed and said. */
static void backup_sweep(const backup_request *r, const action_report *report, int64_t now) {
    char *names = NULL;
    size_t n;
    if (!storage_is_s3(r->dest)) {
        n = backup_sweep_local(r->dest, BACKUP_FORMAT_PARTIAL, true, now, &names);
        if (n)
            action_note(report, "removed %zu unfinished %s a killed backup left in %s: %s", n,
                        fmt_plural((int64_t)n, "backup", "backups"), r->dest, names);
        free(names);
    }
    n = backup_sweep_local(backup_sweep_tmpdir(), BACKUP_S3_STAGING, false, now, &names);
    if (n)
        action_note(report, "removed %zu staging %s a killed backup left in %s: %s", n,
                    fmt_plural((int64_t)n, "directory", "directories"), backup_sweep_tmpdir(),
                    names);
    free(names);
}

/* --prune-incomplete: the backups under an s3:// dest without a manifest,
 * removed when their newest object is over an hour old. */
static bool backup_prune_s3(lake_source *s3, const char *url, const action_report *report,
                            int64_t now, char **error) {
    backup_incomplete *list = NULL;
    size_t n = 0;
    if (!backup_sweep_s3_list(s3, url, &list, &n, error))
        return false;
    bool ok = true;
    size_t len = strlen(url);
    const char *sep = len && url[len - 1] == '/' ? "" : "/";
    for (size_t i = 0; ok && i < n; i++) {
        const backup_incomplete *b = &list[i];
        int64_t age = now - b->newest;
        size_t deleted = 0;
        if (age <= BACKUP_SWEEP_AGE_SECONDS) {
            action_note(report,
                        "left %s%s%s (no manifest): its newest object is %lld s old, it may be a "
                        "backup still being written",
                        url, sep, b->name, (long long)age);
            continue;
        }
        ok = backup_sweep_s3_remove(s3, url, b, &deleted, error);
        if (ok)
            action_note(report, "removed the incomplete backup %s%s%s (%zu %s, no manifest)", url,
                        sep, b->name, deleted, fmt_plural((int64_t)deleted, "object", "objects"));
    }
    backup_sweep_s3_free(list, n);
    return ok;
}

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
    int64_t now = clock_now();
    backup_sweep(r, report, now);
    if (r->prune_incomplete && !storage_is_s3(r->dest))
        action_note(report, "--prune-incomplete is for s3:// backups: a local backup is renamed "
                            "into place whole, and what a killed one left is removed anyway");
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
            ok = s3 && (!r->prune_incomplete || backup_prune_s3(s3, r->dest, report, now, &error));
            ok = ok &&
                 backup_s3_write(dump, s3, r->dest, source->name, now, &written, &counts, &error);
            action_s3_close(&r->s3, source, s3);
        } else {
            ok = backup_format_write(dump, r->dest, source->name, now, &written, &counts, &error);
        }
    }
    json_object_put(dump);
    if (ok) {
        /* the partitions the catalog registers (on a local lake its
         * partitions/TABLE.json files), not the partition directories in
         * storage that a table's detail counts first */
        *result =
            xasprintf("%zu %s, %zu %s, %zu catalog %s in %s", counts.databases,
                      fmt_plural((int64_t)counts.databases, "database", "databases"), counts.tables,
                      fmt_plural((int64_t)counts.tables, "table", "tables"), counts.partitions,
                      fmt_plural((int64_t)counts.partitions, "partition", "partitions"), written);
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
