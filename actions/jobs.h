/* jobs.h: actions on the lake run in the background (a thread each), so the
 * UI never waits for them. A job reports progress and ends SUCCEEDED or
 * FAILED with a one-line result; the UI reads copies of the jobs' state and
 * is woken through the same notification pipe as the collector's. */
#ifndef LAKETOP_JOBS_H
#define LAKETOP_JOBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum job_state { JOB_RUNNING, JOB_SUCCEEDED, JOB_FAILED } job_state;

typedef struct job_status {
    int id;
    char *title;  /* "backup" */
    char *target; /* what it acts on */
    job_state state;
    double progress; /* 0..1, or -1 when unknown */
    char *message;   /* progress text, then the result */
    int64_t started; /* monotonic ms */
    int64_t finished;
    bool changes_lake; /* a crawl or a sync: the figures are worth refreshing after it */
} job_status;

typedef struct job_progress job_progress;
typedef struct jobs jobs;

/* A job's body: runs on its own thread; returns true on success with
 * *result (malloc'd, one line) set in both cases. */
typedef bool (*job_fn)(void *ctx, job_progress *progress, char **result);

jobs *jobs_new(int notify_fd);
/* Starts a job; `free_ctx` (may be NULL) is called on ctx when it ends.
 * changes_lake: it writes to the lake (a crawl, a sync), not only reads it
 * (a backup, an export, a dry run). */
int jobs_start(jobs *j, const char *title, const char *target, bool changes_lake, job_fn fn,
               void *ctx, void (*free_ctx)(void *ctx));
/* From inside a job. */
void job_progress_set(job_progress *p, double fraction, const char *message);
/* Copies of every job's status, newest first; free with jobs_status_free. */
size_t jobs_snapshot(jobs *j, job_status **out);
void jobs_status_free(job_status *list, size_t n);
size_t jobs_running(jobs *j);
/* Waits for every job to end, then frees everything. */
void jobs_free(jobs *j);

#endif
