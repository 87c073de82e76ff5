/* pipeline_json.h: the pipeline's answers from AWS (pure): Glue's Job,
 * JobRun and Trigger shapes and Step Functions' state machines and
 * executions, read into the snapshot's pipeline_job and pipeline_run
 * (snapshot.h). Every function takes any JSON value, wrong shapes included
 * (an answer is outside data): what is missing or mistyped is unknown. */
#ifndef LAKETOP_PIPELINE_JSON_H
#define LAKETOP_PIPELINE_JSON_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "collector/snapshot.h"

/* A Glue Job (GetJobs' Jobs[]) into *job (cleared first, kind
 * PIPELINE_GLUE): name and description; false when it has no Name. */
bool pipeline_json_glue_job(json_object *o, pipeline_job *job);

/* A Glue JobRun into *run (cleared first): Id, JobRunState, StartedOn,
 * CompletedOn, ExecutionTime, ErrorMessage, DPUSeconds (else MaxCapacity,
 * else AllocatedCapacity, times ExecutionTime); false when it has no Id. */
bool pipeline_json_glue_run(json_object *o, pipeline_run *run);

/* The runs of a GetJobRuns answer, appended to job->runs (any order). */
void pipeline_json_glue_runs(json_object *answer, pipeline_job *job);

/* The schedule a Glue Trigger gives `job_name`: its ScheduleExpression
 * ("cron(0 2 * * ? *)") when it is a SCHEDULED trigger, ACTIVATED (or
 * ACTIVATING), with an action that names the job; NULL otherwise. */
char *pipeline_json_trigger_schedule(json_object *trigger, const char *job_name);

/* A Step Functions StateMachineListItem: its name and ARN (borrowed from
 * `o`), and whether it is a STANDARD machine (ListExecutions does not take
 * an EXPRESS one); false when it has no name or ARN. */
bool pipeline_json_state_machine(json_object *o, const char **name, const char **arn,
                                 bool *standard);

/* An execution (ListExecutions' executions[], or DescribeExecution's
 * answer) into *run (cleared first): executionArn, status, startDate,
 * stopDate, and "error: cause" when it has them; false without an ARN. */
bool pipeline_json_execution(json_object *o, pipeline_run *run);

/* The executions of a ListExecutions answer, appended to job->runs. */
void pipeline_json_executions(json_object *answer, pipeline_job *job);

/* A DescribeExecution answer's error and cause into run->error ("error:
 * cause", either alone when the other is missing; unchanged when it has
 * neither). */
void pipeline_json_execution_error(json_object *answer, pipeline_run *run);

/* The next-page token of an answer ("NextToken" for Glue, "nextToken" for
 * Step Functions); NULL when there is none or it is empty (borrowed). */
const char *pipeline_json_next_token(json_object *answer, const char *key);

#endif
