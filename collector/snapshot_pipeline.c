/* snapshot_pipeline.c: the pipeline part of the snapshot model (jobs, state
 * machines and their runs, snapshot.h): freeing, copying, finding, order. */
#include <stdlib.h>
#include <string.h>

#include "collector/snapshot.h"
#include "common/xalloc.h"

static char *snapshot_pipeline_strdup(const char *s) {
    return s ? xstrdup(s) : NULL;
}

void pipeline_run_clear(pipeline_run *run) {
    free(run->id);
    free(run->state);
    free(run->error);
    memset(run, 0, sizeof *run);
    run->started_at = run->ended_at = run->duration_seconds = -1;
    run->exit_status = -1;
    run->dpu_seconds = -1;
}

void pipeline_job_clear(pipeline_job *job) {
    free(job->name);
    free(job->description);
    free(job->schedule);
    free(job->error);
    for (size_t i = 0; i < job->n_runs; i++)
        pipeline_run_clear(&job->runs[i]);
    free(job->runs);
    memset(job, 0, sizeof *job);
    job->next_run = -1;
    job->failures_7d = -1;
}

void pipeline_job_copy(pipeline_job *to, const pipeline_job *from) {
    *to = *from; /* the numbers; every pointer is replaced below */
    to->name = snapshot_pipeline_strdup(from->name);
    to->description = snapshot_pipeline_strdup(from->description);
    to->schedule = snapshot_pipeline_strdup(from->schedule);
    to->error = snapshot_pipeline_strdup(from->error);
    to->runs = from->n_runs ? xcalloc(from->n_runs, sizeof *to->runs) : NULL;
    for (size_t i = 0; i < from->n_runs; i++) {
        to->runs[i] = from->runs[i];
        to->runs[i].id = snapshot_pipeline_strdup(from->runs[i].id);
        to->runs[i].state = snapshot_pipeline_strdup(from->runs[i].state);
        to->runs[i].error = snapshot_pipeline_strdup(from->runs[i].error);
    }
}

static int snapshot_pipeline_cmp(const void *a, const void *b) {
    return strcmp(((const pipeline_job *)a)->name, ((const pipeline_job *)b)->name);
}

const pipeline_job *snapshot_find_job(const lake_snapshot *s, pipeline_kind kind,
                                      const char *name) {
    if (!name)
        return NULL;
    pipeline_job key = {.name = (char *)name};
    if (kind == PIPELINE_STATES)
        return s->n_state_machines ? bsearch(&key, s->state_machines, s->n_state_machines,
                                             sizeof key, snapshot_pipeline_cmp)
                                   : NULL;
    return s->n_jobs ? bsearch(&key, s->jobs, s->n_jobs, sizeof key, snapshot_pipeline_cmp) : NULL;
}

void snapshot_sort_pipeline(lake_snapshot *s) {
    if (s->n_jobs)
        qsort(s->jobs, s->n_jobs, sizeof *s->jobs, snapshot_pipeline_cmp);
    if (s->n_state_machines)
        qsort(s->state_machines, s->n_state_machines, sizeof *s->state_machines,
              snapshot_pipeline_cmp);
}
