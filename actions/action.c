/* action.c: the pieces every action shares (see action.h). */
#include "actions/action.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "collector/storage.h"
#include "common/xalloc.h"

int action_exit_status(action_status status) {
    switch (status) {
    case ACTION_RESULT_DONE: return 0;
    case ACTION_RESULT_FAILED:
    case ACTION_RESULT_ERROR: return 1;
    case ACTION_RESULT_REFUSED: break;
    }
    return 2;
}

void action_progress(const action_report *r, double fraction, const char *fmt, ...) {
    if (!r || !r->progress)
        return;
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    r->progress(r->ctx, fraction, text);
}

void action_note(const action_report *r, const char *fmt, ...) {
    if (!r || !r->note)
        return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    r->note(r->ctx, line);
}

static void action_job_progress(void *ctx, double fraction, const char *text) {
    job_progress_set(ctx, fraction, text);
}

static void action_job_note(void *ctx, const char *line) {
    job_progress_set(ctx, -1, line);
}

action_report action_report_job(job_progress *progress) {
    return (action_report){
        .progress = action_job_progress, .note = action_job_note, .ctx = progress};
}

lake_source *action_source_open(const action_source *s, char **error) {
    if (s->borrowed)
        return s->borrowed;
    return s->make ? s->make(s->make_ctx, error) : NULL;
}

void action_source_close(const action_source *s, lake_source *opened) {
    if (opened && opened != s->borrowed)
        lake_source_free(opened);
}

lake_source *action_s3_open(const action_source *s, lake_source *lake, const char *dest,
                            char **error) {
    if (lake && lake->objects)
        return lake;
    lake_source *s3 = action_source_open(s, error);
    if (!s3 && !*error)
        *error = xasprintf("%s: no S3 access (the AWS options are needed)", dest);
    return s3;
}

void action_s3_close(const action_source *s, lake_source *lake, lake_source *opened) {
    if (opened != lake)
        action_source_close(s, opened);
}

bool action_address_ok(const char *dest, char **error) {
    if (!storage_is_s3(dest))
        return true;
    char *bucket = NULL, *prefix = NULL;
    bool ok = storage_s3_parse(dest, &bucket, &prefix, error);
    free(bucket);
    free(prefix);
    return ok;
}

char *action_changes(action_kind kind, const char *dest) {
    switch (kind) {
    case ACTION_KIND_BACKUP:
        return dest && storage_is_s3(dest) ? xasprintf("a backup to %s writes to S3", dest) : NULL;
    case ACTION_KIND_EXPORT:
        return dest && storage_is_s3(dest) ? xasprintf("an export to %s writes to S3", dest) : NULL;
    case ACTION_KIND_RESTORE: return xstrdup("a restore would change the catalog");
    case ACTION_KIND_CRAWL: return xstrdup("starting a crawler changes the catalog");
    case ACTION_KIND_JOB: return xstrdup("running a job changes the tables it writes");
    case ACTION_KIND_SYNC:
        return dest ? xasprintf("a sync writes to zone %s", dest)
                    : xstrdup("a sync writes to its destination zone");
    }
    return xstrdup("it would change the lake");
}

bool action_s3_list(lake_source *s3, const char *url, char **bucket, char **prefix,
                    object_entry **objects, size_t *n, char **error) {
    *bucket = *prefix = NULL;
    *objects = NULL;
    *n = 0;
    if (!s3 || !s3->objects) {
        *error = xasprintf("%s: no S3 access (the AWS options are needed)", url);
        return false;
    }
    return storage_s3_parse(url, bucket, prefix, error) &&
           s3->objects->list_objects(s3, *bucket, *prefix, objects, n, error);
}
