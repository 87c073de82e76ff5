/* pipeline_json.c: Glue's Job, JobRun and Trigger and Step Functions'
 * state machines and executions into the snapshot's pipeline model (see
 * pipeline_json.h). */
#include "collector/aws/pipeline_json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "collector/glue_json.h"
#include "common/xalloc.h"

static json_object *pipeline_json_get(json_object *o, const char *key) {
    json_object *v;
    if (!o || !json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v))
        return NULL;
    return v;
}

static const char *pipeline_json_string(json_object *o, const char *key) {
    json_object *v = pipeline_json_get(o, key);
    return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static char *pipeline_json_strdup(json_object *o, const char *key) {
    const char *s = pipeline_json_string(o, key);
    return s && *s ? xstrdup(s) : NULL;
}

/* A number (int or double) of `o`; -1 when absent, mistyped, negative or
 * not finite. */
static double pipeline_json_number(json_object *o, const char *key) {
    json_object *v = pipeline_json_get(o, key);
    if (!v || !(json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)))
        return -1;
    double d = json_object_get_double(v);
    return isfinite(d) && d >= 0 && d < 9e15 ? d : -1;
}

static json_object *pipeline_json_array(json_object *o, const char *key) {
    json_object *v = pipeline_json_get(o, key);
    return v && json_object_is_type(v, json_type_array) ? v : NULL;
}

bool pipeline_json_glue_job(json_object *o, pipeline_job *job) {
    pipeline_job_clear(job);
    job->kind = PIPELINE_GLUE;
    job->name = pipeline_json_strdup(o, "Name");
    job->description = pipeline_json_strdup(o, "Description");
    return job->name != NULL;
}

bool pipeline_json_glue_run(json_object *o, pipeline_run *run) {
    pipeline_run_clear(run);
    run->id = pipeline_json_strdup(o, "Id");
    run->state = pipeline_json_strdup(o, "JobRunState");
    run->started_at = glue_json_time(pipeline_json_get(o, "StartedOn"));
    run->ended_at = glue_json_time(pipeline_json_get(o, "CompletedOn"));
    double seconds = pipeline_json_number(o, "ExecutionTime");
    if (seconds >= 0)
        run->duration_seconds = (int64_t)seconds;
    else if (run->started_at >= 0 && run->ended_at >= run->started_at)
        run->duration_seconds = run->ended_at - run->started_at;
    run->error = pipeline_json_strdup(o, "ErrorMessage");
    double dpu = pipeline_json_number(o, "DPUSeconds");
    if (dpu < 0 && seconds >= 0) {
        double capacity = pipeline_json_number(o, "MaxCapacity");
        if (capacity < 0)
            capacity = pipeline_json_number(o, "AllocatedCapacity");
        if (capacity >= 0)
            dpu = capacity * seconds;
    }
    run->dpu_seconds = dpu;
    if (!run->id) {
        pipeline_run_clear(run);
        return false;
    }
    return true;
}

/* Appends *run (taken) to job's runs. */
static void pipeline_json_add_run(pipeline_job *job, pipeline_run *run) {
    job->runs = xrealloc(job->runs, (job->n_runs + 1) * sizeof *job->runs);
    job->runs[job->n_runs++] = *run;
}

void pipeline_json_glue_runs(json_object *answer, pipeline_job *job) {
    json_object *runs = pipeline_json_array(answer, "JobRuns");
    for (size_t i = 0; runs && i < json_object_array_length(runs); i++) {
        pipeline_run run;
        memset(&run, 0, sizeof run);
        if (pipeline_json_glue_run(json_object_array_get_idx(runs, i), &run))
            pipeline_json_add_run(job, &run);
    }
}

char *pipeline_json_trigger_schedule(json_object *trigger, const char *job_name) {
    const char *type = pipeline_json_string(trigger, "Type");
    const char *state = pipeline_json_string(trigger, "State");
    const char *schedule = pipeline_json_string(trigger, "Schedule");
    if (!type || strcmp(type, "SCHEDULED") != 0 || !state || !schedule || !*schedule ||
        (strcmp(state, "ACTIVATED") != 0 && strcmp(state, "ACTIVATING") != 0))
        return NULL;
    json_object *actions = pipeline_json_array(trigger, "Actions");
    for (size_t i = 0; actions && i < json_object_array_length(actions); i++) {
        const char *name = pipeline_json_string(json_object_array_get_idx(actions, i), "JobName");
        if (name && job_name && strcmp(name, job_name) == 0)
            return xstrdup(schedule);
    }
    return NULL;
}

bool pipeline_json_state_machine(json_object *o, const char **name, const char **arn,
                                 bool *standard) {
    *name = pipeline_json_string(o, "name");
    *arn = pipeline_json_string(o, "stateMachineArn");
    const char *type = pipeline_json_string(o, "type");
    *standard = !type || strcmp(type, "STANDARD") == 0; /* the default type */
    return *name && **name && *arn && **arn;
}

void pipeline_json_execution_error(json_object *answer, pipeline_run *run) {
    const char *error = pipeline_json_string(answer, "error");
    const char *cause = pipeline_json_string(answer, "cause");
    if (error && !*error)
        error = NULL;
    if (cause && !*cause)
        cause = NULL;
    if (!error && !cause)
        return;
    free(run->error);
    run->error =
        error && cause ? xasprintf("%s: %s", error, cause) : xstrdup(error ? error : cause);
}

bool pipeline_json_execution(json_object *o, pipeline_run *run) {
    pipeline_run_clear(run);
    run->id = pipeline_json_strdup(o, "executionArn");
    if (!run->id)
        return false;
    run->state = pipeline_json_strdup(o, "status");
    run->started_at = glue_json_time(pipeline_json_get(o, "startDate"));
    run->ended_at = glue_json_time(pipeline_json_get(o, "stopDate"));
    if (run->started_at >= 0 && run->ended_at >= run->started_at)
        run->duration_seconds = run->ended_at - run->started_at;
    pipeline_json_execution_error(o, run);
    return true;
}

void pipeline_json_executions(json_object *answer, pipeline_job *job) {
    json_object *list = pipeline_json_array(answer, "executions");
    for (size_t i = 0; list && i < json_object_array_length(list); i++) {
        pipeline_run run;
        memset(&run, 0, sizeof run);
        if (pipeline_json_execution(json_object_array_get_idx(list, i), &run))
            pipeline_json_add_run(job, &run);
    }
}

const char *pipeline_json_next_token(json_object *answer, const char *key) {
    const char *token = pipeline_json_string(answer, key);
    return token && *token ? token : NULL;
}
