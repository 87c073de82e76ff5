/* pipeline.h: what a job's run or a state machine's execution means for the
 * people on call (pure): its state as one of a few outcomes, which ones are
 * failures, how many failures a week had, which runs are kept.
 *
 * Glue JobRunState: STARTING, RUNNING, STOPPING are running; WAITING waits
 * (worth a line past PIPELINE_WAITING_LONG_SECONDS); SUCCEEDED succeeded;
 * FAILED, ERROR and TIMEOUT are failures; STOPPED was stopped by someone;
 * EXPIRED (a WAITING run that never started) ended without running.
 * Step Functions: RUNNING and PENDING_REDRIVE run, SUCCEEDED, FAILED and
 * TIMED_OUT (failures), ABORTED (stopped). A local run: RUNNING, SUCCEEDED,
 * FAILED, STOPPED (killed, e.g. laketop quit while it ran). */
#ifndef LAKETOP_PIPELINE_H
#define LAKETOP_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/snapshot.h"

#define PIPELINE_WAITING_LONG_SECONDS (20 * 60)
#define PIPELINE_FAILURE_WINDOW_SECONDS (7 * 86400)

typedef enum pipeline_outcome {
    PIPELINE_UNKNOWN = 0, /* a state laketop does not know, or none */
    PIPELINE_RUNNING,
    PIPELINE_WAITING,
    PIPELINE_SUCCEEDED,
    PIPELINE_FAILED,
    PIPELINE_STOPPED, /* stopped, aborted or expired: not a failure */
} pipeline_outcome;

pipeline_outcome pipeline_state_outcome(const char *state);
/* The run is over (it will not change state again). */
bool pipeline_outcome_ended(pipeline_outcome outcome);
bool pipeline_run_failed(const pipeline_run *run);
/* WAITING (or STARTING) for longer than PIPELINE_WAITING_LONG_SECONDS at `now`. */
bool pipeline_run_waiting_long(const pipeline_run *run, int64_t now);
/* The newest run; NULL when it never ran. */
const pipeline_run *pipeline_newest(const pipeline_job *job);
/* The job's newest run failed (what check and the Overview count). */
bool pipeline_job_failed(const pipeline_job *job);

/* For a source that read `job`'s runs (any order): puts them newest first
 * (by started_at, unknown last), sets failures_7d from all of them (failed
 * runs started at or after now - 7 days) and keeps the newest
 * PIPELINE_RUNS_KEPT, freeing the rest. */
void pipeline_keep_runs(pipeline_job *job, int64_t now);

/* A run's duration: duration_seconds, else ended - started, else (still
 * running) now - started; -1 unknown. */
int64_t pipeline_run_seconds(const pipeline_run *run, int64_t now);

#endif
