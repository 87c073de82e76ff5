/* pipeline_rows.c: the rows and words the pipeline screens share
 * (pipeline_rows.h). */
#include "views/pipeline_rows.h"

#include <string.h>

#include "collector/figures/pipeline.h"
#include "common/xalloc.h"

void pipeline_rows_build(pipeline_rows *r, const lake_snapshot *s, const view_frame *f,
                         int64_t now) {
    memset(r, 0, sizeof *r);
    r->s = s;
    r->f = f;
    r->now = now;
    size_t n_jobs = s ? s->n_jobs : 0, machines = s ? s->n_state_machines : 0;
    r->jobs = xcalloc(n_jobs + machines + 1, sizeof *r->jobs);
    for (size_t i = 0; i < n_jobs; i++)
        r->jobs[r->n++] = &s->jobs[i];
    for (size_t i = 0; i < machines; i++)
        r->jobs[r->n++] = &s->state_machines[i];
}

void pipeline_rows_free(pipeline_rows *r) {
    free(r->jobs);
    memset(r, 0, sizeof *r);
}

int64_t pipeline_rows_state_rank(const pipeline_job *job) {
    const pipeline_run *run = pipeline_newest(job);
    if (!run)
        return 6;
    switch (pipeline_state_outcome(run->state)) {
    case PIPELINE_FAILED: return 0;
    case PIPELINE_WAITING: return 1;
    case PIPELINE_RUNNING: return 2;
    case PIPELINE_UNKNOWN: return 3;
    case PIPELINE_STOPPED: return 4;
    case PIPELINE_SUCCEEDED: return 5;
    }
    return 3;
}

theme_role pipeline_rows_state_role(const pipeline_run *run, int64_t now) {
    switch (pipeline_state_outcome(run->state)) {
    case PIPELINE_FAILED: return ROLE_ERROR;
    case PIPELINE_WAITING: return pipeline_run_waiting_long(run, now) ? ROLE_STALE_WARN : ROLE_SIZE;
    case PIPELINE_RUNNING: return ROLE_SIZE;
    case PIPELINE_SUCCEEDED: return ROLE_FRESH;
    case PIPELINE_STOPPED:
    case PIPELINE_UNKNOWN: break;
    }
    return ROLE_DIM;
}

const char *pipeline_rows_kind_word(pipeline_kind kind) {
    switch (kind) {
    case PIPELINE_GLUE: return "glue";
    case PIPELINE_STATES: return "states";
    case PIPELINE_LOCAL: break;
    }
    return "local";
}

const char *pipeline_rows_kind_key(pipeline_kind kind) {
    return kind == PIPELINE_STATES ? "states" : "job";
}

const pipeline_job *pipeline_rows_find(const lake_snapshot *s, const char *kind_key,
                                       const char *name) {
    if (!s || !name)
        return NULL;
    return snapshot_find_job(
        s, kind_key && strcmp(kind_key, "states") == 0 ? PIPELINE_STATES : PIPELINE_LOCAL, name);
}
