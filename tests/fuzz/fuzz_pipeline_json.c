/* fuzz_pipeline_json.c: libFuzzer harness for the pipeline's AWS answers
 * (pipeline_json.h): any JSON read as GetJobs' Job, GetJobRuns' and
 * GetJobRun's JobRun, a Trigger, ListStateMachines' items, ListExecutions
 * and DescribeExecution, then kept as a refresh keeps them; the bytes and a
 * trigger's Schedule as a cron schedule (glue_schedule.h). */
#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/aws/glue_schedule.h"
#include "collector/aws/pipeline_json.h"
#include "collector/figures/pipeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* the bytes as a schedule too */
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    glue_schedule_next(text, 1764583230);
    free(text);
    json_tokener *tok = json_tokener_new();
    json_object *o = json_tokener_parse_ex(tok, (const char *)data, (int)size);
    json_tokener_free(tok);
    if (!o)
        return 0;
    pipeline_job job;
    memset(&job, 0, sizeof job);
    pipeline_json_glue_job(o, &job);
    pipeline_json_glue_runs(o, &job);
    pipeline_json_executions(o, &job);
    json_object *run;
    if (json_object_object_get_ex(o, "JobRun", &run)) {
        pipeline_run r;
        memset(&r, 0, sizeof r);
        pipeline_json_glue_run(run, &r);
        pipeline_run_clear(&r);
    }
    for (size_t i = 0; i < job.n_runs; i++)
        pipeline_json_execution_error(o, &job.runs[i]);
    char *schedule = pipeline_json_trigger_schedule(o, job.name ? job.name : "job");
    glue_schedule_next(schedule, 1764583230);
    free(schedule);
    const char *name, *arn;
    bool standard;
    pipeline_json_state_machine(o, &name, &arn, &standard);
    pipeline_json_next_token(o, "NextToken");
    pipeline_json_next_token(o, "nextToken");
    pipeline_keep_runs(&job, 1764583200);
    for (size_t i = 0; i < job.n_runs; i++)
        pipeline_run_seconds(&job.runs[i], 1764583200);
    pipeline_job_clear(&job);
    json_object_put(o);
    return 0;
}
