/* job_run.h: running a job (a Glue job, a local [job NAME] command) and
 * following it to its end: the same action for `laketop job NAME` and the
 * Pipeline view's `j`. It starts the run through the source's pipeline
 * part (source.h), then reads the run until its state is one that ends
 * (collector/figures/pipeline.h). */
#ifndef LAKETOP_JOB_RUN_H
#define LAKETOP_JOB_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "actions/action.h"
#include "actions/jobs.h"
#include "collector/source.h"

typedef struct job_run_request {
    action_source source; /* the lake (or account) whose job it is */
    const char *name;
    char *const *args; /* "KEY=VALUE", n_args of them */
    size_t n_args;
    bool wait;   /* follow it to the end (else done once it started) */
    int poll_ms; /* between two looks at it */
} job_run_request;

/* Whether `arg` is KEY=VALUE with a KEY of letters, digits, '_', '-' and
 * '.'; else false with *error saying why. */
bool job_run_arg_ok(const char *arg, char **error);

/* The job action: starts the run and, when `wait`, follows it, reporting
 * its state; audited. ACTION_RESULT_DONE when the run SUCCEEDED (or
 * started, without wait); ACTION_RESULT_FAILED when it ended otherwise (the
 * result carries its state and error message) or could not be started;
 * ACTION_RESULT_REFUSED when there is no such job or the source has no jobs;
 * *result gets one line (malloc'd). */
action_status job_run(const job_run_request *request, const action_report *report, char **result);

/* The same as a background job (the Pipeline view's `j`); returns its id. */
int job_run_start_job(jobs *j, const action_context *context, const char *name);

#endif
