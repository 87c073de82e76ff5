/* pipeline.c: the meaning of job and execution states (see pipeline.h). */
#include "collector/figures/pipeline.h"

#include <stdlib.h>
#include <string.h>

static const struct {
    const char *state;
    pipeline_outcome outcome;
} pipeline_states[] = {
    {"STARTING", PIPELINE_RUNNING}, {"RUNNING", PIPELINE_RUNNING},
    {"STOPPING", PIPELINE_RUNNING}, {"PENDING_REDRIVE", PIPELINE_RUNNING},
    {"WAITING", PIPELINE_WAITING},  {"SUCCEEDED", PIPELINE_SUCCEEDED},
    {"FAILED", PIPELINE_FAILED},    {"ERROR", PIPELINE_FAILED},
    {"TIMEOUT", PIPELINE_FAILED},   {"TIMED_OUT", PIPELINE_FAILED},
    {"STOPPED", PIPELINE_STOPPED},  {"ABORTED", PIPELINE_STOPPED},
    {"EXPIRED", PIPELINE_STOPPED},
};

pipeline_outcome pipeline_state_outcome(const char *state) {
    if (!state)
        return PIPELINE_UNKNOWN;
    for (size_t i = 0; i < sizeof pipeline_states / sizeof pipeline_states[0]; i++)
        if (strcmp(pipeline_states[i].state, state) == 0)
            return pipeline_states[i].outcome;
    return PIPELINE_UNKNOWN;
}

bool pipeline_outcome_ended(pipeline_outcome o) {
    return o == PIPELINE_SUCCEEDED || o == PIPELINE_FAILED || o == PIPELINE_STOPPED;
}

bool pipeline_run_failed(const pipeline_run *run) {
    return run && pipeline_state_outcome(run->state) == PIPELINE_FAILED;
}

bool pipeline_run_waiting_long(const pipeline_run *run, int64_t now) {
    if (!run || run->started_at < 0)
        return false;
    bool waiting = pipeline_state_outcome(run->state) == PIPELINE_WAITING ||
                   (run->state && strcmp(run->state, "STARTING") == 0);
    return waiting && now - run->started_at > PIPELINE_WAITING_LONG_SECONDS;
}

const pipeline_run *pipeline_newest(const pipeline_job *job) {
    return job && job->n_runs ? &job->runs[0] : NULL;
}

bool pipeline_job_failed(const pipeline_job *job) {
    return pipeline_run_failed(pipeline_newest(job));
}

static int pipeline_cmp_newest(const void *a, const void *b) {
    const pipeline_run *x = a, *y = b;
    if (x->started_at != y->started_at) {
        if (x->started_at < 0)
            return 1; /* unknown last */
        if (y->started_at < 0)
            return -1;
        return x->started_at > y->started_at ? -1 : 1;
    }
    return strcmp(y->id ? y->id : "", x->id ? x->id : "");
}

void pipeline_keep_runs(pipeline_job *job, int64_t now) {
    if (job->n_runs > 1)
        qsort(job->runs, job->n_runs, sizeof *job->runs, pipeline_cmp_newest);
    int64_t failures = 0;
    for (size_t i = 0; i < job->n_runs; i++)
        if (pipeline_run_failed(&job->runs[i]) && job->runs[i].started_at >= 0 &&
            job->runs[i].started_at >= now - PIPELINE_FAILURE_WINDOW_SECONDS)
            failures++;
    job->failures_7d = failures;
    while (job->n_runs > PIPELINE_RUNS_KEPT)
        pipeline_run_clear(&job->runs[--job->n_runs]);
}

int64_t pipeline_run_seconds(const pipeline_run *run, int64_t now) {
    if (run->duration_seconds >= 0)
        return run->duration_seconds;
    if (run->started_at < 0)
        return -1;
    if (run->ended_at >= run->started_at)
        return run->ended_at - run->started_at;
    if (pipeline_outcome_ended(pipeline_state_outcome(run->state)))
        return -1;
    return now >= run->started_at ? now - run->started_at : -1;
}
