/* job_run.c: StartJobRun (or a local job's command), then the run's state
 * until it ends (see job_run.h). */
#include "actions/job_run.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "actions/audit.h"
#include "collector/figures/pipeline.h"
#include "common/clock.h"
#include "common/xalloc.h"

bool job_run_arg_ok(const char *arg, char **error) {
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg) {
        *error = xasprintf("--arg \"%s\": write KEY=VALUE", arg);
        return false;
    }
    for (const char *p = arg; p < eq; p++)
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' && *p != '.') {
            *error = xasprintf("--arg \"%s\": a KEY has letters, digits, '_', '-' and '.'", arg);
            return false;
        }
    return true;
}

static void job_run_sleep_ms(int ms) {
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* The line a run that ended gets: "job NAME: SUCCEEDED in 12s (run ID)",
 * "job NAME: FAILED after 3s: MESSAGE". */
static char *job_run_ended(const char *name, const pipeline_run *run) {
    int64_t seconds = pipeline_run_seconds(run, clock_now());
    char took[48] = "";
    bool ok = pipeline_state_outcome(run->state) == PIPELINE_SUCCEEDED;
    if (seconds >= 0)
        snprintf(took, sizeof took, " %s %llds", ok ? "in" : "after", (long long)seconds);
    if (ok)
        return xasprintf("job %s: SUCCEEDED%s (run %s)", name, took, run->id ? run->id : "?");
    return xasprintf("job %s: %s%s%s%s", name, run->state ? run->state : "FAILED", took,
                     run->error ? ": " : "", run->error ? run->error : "");
}

/* Starts the run and follows it; sets *result, returns the status. */
static action_status job_run_follow(lake_source *source, const job_run_request *r,
                                    const action_report *report, char **result) {
    char *error = NULL, *run_id = NULL;
    if (!source->pipeline) {
        *result = xasprintf("%s has no jobs to run", source->name);
        return ACTION_RESULT_REFUSED;
    }
    if (!source->pipeline->start_job(source, r->name, r->args, r->n_args, r->wait, &run_id,
                                     &error)) {
        action_status status = ACTION_RESULT_FAILED;
        if (strstr(error, "EntityNotFoundException")) {
            *result = xasprintf("there is no job named %s", r->name);
            status = ACTION_RESULT_REFUSED;
        } else if (strstr(error, "ConcurrentRunsExceededException")) {
            *result =
                xasprintf("job %s is already running as often as it may: wait for it", r->name);
        } else {
            *result = xasprintf("job %s could not be started: %s", r->name, error);
        }
        free(error);
        return status;
    }
    action_progress(report, -1, "started %s", run_id);
    if (!r->wait) {
        *result = xasprintf("job %s started (run %s)", r->name, run_id);
        free(run_id);
        return ACTION_RESULT_DONE;
    }
    int64_t began = clock_monotonic_ms();
    action_status status = ACTION_RESULT_FAILED;
    for (int poll = 0;; poll++) {
        if (poll > 0)
            job_run_sleep_ms(r->poll_ms);
        pipeline_run run = {0};
        pipeline_run_clear(&run);
        if (!source->pipeline->get_job_run(source, r->name, run_id, &run, &error)) {
            *result = xasprintf("job %s, run %s: %s", r->name, run_id, error);
            free(error);
            break;
        }
        pipeline_outcome o = pipeline_state_outcome(run.state);
        action_progress(report, -1, "%s, %llds", run.state ? run.state : "?",
                        (long long)((clock_monotonic_ms() - began) / 1000));
        if (pipeline_outcome_ended(o)) {
            *result = job_run_ended(r->name, &run);
            status = o == PIPELINE_SUCCEEDED ? ACTION_RESULT_DONE : ACTION_RESULT_FAILED;
            pipeline_run_clear(&run);
            break;
        }
        pipeline_run_clear(&run);
    }
    free(run_id);
    return status;
}

action_status job_run(const job_run_request *r, const action_report *report, char **result) {
    char *error = NULL;
    lake_source *source = action_source_open(&r->source, &error);
    if (!source) {
        *result = error ? error : xstrdup("no source to run a job on");
        return ACTION_RESULT_ERROR;
    }
    action_status status = job_run_follow(source, r, report, result);
    audit_log(report, source->name, r->wait ? "job" : "job --no-wait", r->name, *result);
    action_source_close(&r->source, source);
    return status;
}

typedef struct job_run_job {
    action_context context;
    char *name;
} job_run_job;

static bool job_run_job_run(void *ctx, job_progress *progress, char **result) {
    job_run_job *c = ctx;
    job_run_request r = {
        .source = {.make = c->context.make_source, .make_ctx = c->context.make_ctx},
        .name = c->name,
        .wait = true,
        .poll_ms = c->context.crawl_poll_ms,
    };
    action_report report = action_report_job(progress);
    return job_run(&r, &report, result) == ACTION_RESULT_DONE;
}

static void job_run_job_free(void *ctx) {
    job_run_job *c = ctx;
    free(c->name);
    free(c);
}

int job_run_start_job(jobs *j, const action_context *context, const char *name) {
    job_run_job *c = xcalloc(1, sizeof *c);
    c->context = *context;
    c->name = xstrdup(name);
    return jobs_start(j, "job", name, true, job_run_job_run, c, job_run_job_free);
}
