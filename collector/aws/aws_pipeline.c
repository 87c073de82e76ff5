/* aws_pipeline.c: the pipeline of an AWS account in a refresh (Glue jobs
 * and their runs, their schedules, standard Step Functions state machines
 * and their executions), and `laketop job` on Glue (StartJobRun, then
 * GetJobRun). The refresh's requests are queued at once on the source's
 * HTTP client: GetJobs, GetTriggers and ListStateMachines first; each job's
 * GetJobRuns (50 a page: more pages only while the runs read do not reach
 * PIPELINE_RUNS_KEPT and 7 days back) and each standard machine's
 * ListExecutions (30, the runs kept) as their names come in; then
 * DescribeExecution for a newest execution that failed (its error and
 * cause). A job's schedule is its first active scheduled trigger's, its
 * next run worked out by glue_schedule.h. A part whose request failed with
 * a retryable error gets the refresh's rounds (aws_rounds.h); what still
 * fails is the job's error and the snapshot's pipeline_error, the other
 * figures stand. */
#include <stdlib.h>
#include <string.h>

#include "collector/aws/aws_internal.h"
#include "collector/aws/glue_schedule.h"
#include "collector/aws/page_guard.h"
#include "collector/aws/pipeline_json.h"
#include "collector/figures/pipeline.h"
#include "common/clock.h"
#include "common/xalloc.h"

/* GetJobs, GetTriggers, ListStateMachines: 100 a page, Glue's quota of
 * 1,000 jobs (10 pages) times a hundred; GetJobRuns and ListExecutions
 * stop by themselves after a week of runs, the bound is for an answer
 * that never ends. */
#define AWS_PIPELINE_MAX_PAGES 1000
#define AWS_PIPELINE_RUNS_PAGE 50
#define AWS_PIPELINE_EXECUTIONS_PAGE 30

typedef enum aws_pipeline_op {
    AWS_PIPELINE_GET_JOBS,
    AWS_PIPELINE_GET_TRIGGERS,
    AWS_PIPELINE_LIST_MACHINES,
    AWS_PIPELINE_GET_JOB_RUNS,
    AWS_PIPELINE_LIST_EXECUTIONS,
    AWS_PIPELINE_DESCRIBE_EXECUTION,
} aws_pipeline_op;

static const struct {
    const char *operation;
    bool states;           /* Step Functions, else Glue */
    const char *token_key; /* the next page's token, in and out */
} aws_pipeline_ops[] = {
    [AWS_PIPELINE_GET_JOBS] = {"GetJobs", false, "NextToken"},
    [AWS_PIPELINE_GET_TRIGGERS] = {"GetTriggers", false, "NextToken"},
    [AWS_PIPELINE_LIST_MACHINES] = {"ListStateMachines", true, "nextToken"},
    [AWS_PIPELINE_GET_JOB_RUNS] = {"GetJobRuns", false, "NextToken"},
    [AWS_PIPELINE_LIST_EXECUTIONS] = {"ListExecutions", true, "nextToken"},
    [AWS_PIPELINE_DESCRIBE_EXECUTION] = {"DescribeExecution", true, NULL},
};

typedef struct aws_pipeline_scan aws_pipeline_scan_t;

/* One listing (its pages one after another) or one DescribeExecution. */
typedef struct aws_pipeline_call {
    aws_signing sign;
    aws_pipeline_scan_t *scan;
    aws_pipeline_op op;
    char *target;
    char *body;
    json_object *input; /* the first page's input; NextToken added for the next */
    pipeline_job *job;  /* GetJobRuns, ListExecutions, DescribeExecution */
    page_guard pages;
    struct aws_pipeline_call *next; /* every call of the scan, freed at its end */
} aws_pipeline_call;

struct aws_pipeline_scan {
    aws_source *src;
    int64_t now;
    aws_rounds rounds;
    aws_pipeline_call *calls;
    pipeline_job **jobs; /* each on its own: calls point to them */
    size_t n_jobs, cap_jobs;
    pipeline_job **machines;
    size_t n_machines, cap_machines;
    json_object *triggers; /* every Trigger read */
    char *error;           /* the failure of the earliest op (enum order) */
    aws_pipeline_op error_op;
    size_t n_errors;
};

static void aws_pipeline_done(void *ctx, const http_response *response);

static void aws_pipeline_prepare(void *ctx, http_request *request, int attempt) {
    (void)attempt;
    aws_request_sign(&((aws_pipeline_call *)ctx)->sign, request);
}

/* (Re)sends the call with its input as it is now. */
static void aws_pipeline_send(aws_pipeline_call *c) {
    aws_source *src = c->scan->src;
    aws_request_signing_free(&c->sign);
    free(c->body);
    c->body = xstrdup(json_object_to_json_string_ext(c->input, JSON_C_TO_STRING_PLAIN));
    bool states = aws_pipeline_ops[c->op].states;
    aws_request_json_send(src, states ? src->config.endpoint_states : src->config.endpoint_glue,
                          states ? "states" : "glue", &c->sign, c->target, c->body,
                          aws_pipeline_prepare, aws_pipeline_done, c, false);
}

static void aws_pipeline_resend(void *ctx) {
    aws_pipeline_send(ctx);
}

/* A new call of `op` with `input` (taken) for `job` (may be NULL), sent. */
static void aws_pipeline_submit(aws_pipeline_scan_t *scan, aws_pipeline_op op, json_object *input,
                                pipeline_job *job) {
    aws_pipeline_call *c = xcalloc(1, sizeof *c);
    c->scan = scan;
    c->op = op;
    c->target = xasprintf("%s.%s", aws_pipeline_ops[op].states ? "AWSStepFunctions" : "AWSGlue",
                          aws_pipeline_ops[op].operation);
    c->input = input;
    c->job = job;
    c->next = scan->calls;
    scan->calls = c;
    aws_pipeline_send(c);
}

static void aws_pipeline_call_free(aws_pipeline_call *c) {
    aws_request_signing_free(&c->sign);
    free(c->target);
    free(c->body);
    json_object_put(c->input);
    page_guard_free(&c->pages);
    free(c);
}

/* The call failed for good: the job's error, and the scan's. */
static void aws_pipeline_fail(aws_pipeline_call *c, const char *why) {
    const char *operation = aws_pipeline_ops[c->op].operation;
    const char *service = aws_pipeline_ops[c->op].states ? "Step Functions" : "Glue";
    char *message = c->job ? xasprintf("%s %s %s: %s", service, operation, c->job->name, why)
                           : xasprintf("%s %s: %s", service, operation, why);
    if (c->job && !c->job->error)
        c->job->error = xstrdup(message);
    /* the one said is the first listing's failure (GetJobs before
     * GetTriggers...), whatever the order the answers came in */
    if (!c->scan->error || c->op < c->scan->error_op) {
        free(c->scan->error);
        c->scan->error = message;
        c->scan->error_op = c->op;
    } else {
        free(message);
    }
    c->scan->n_errors++;
}

static pipeline_job *aws_pipeline_add(pipeline_job ***list, size_t *n, size_t *cap) {
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *list = xrealloc(*list, *cap * sizeof **list);
    }
    pipeline_job *job = xcalloc(1, sizeof *job);
    pipeline_job_clear(job);
    (*list)[(*n)++] = job;
    return job;
}

/* More runs are wanted: fewer than are kept, or none older than a week. */
static bool aws_pipeline_more_runs(const pipeline_job *job, int64_t now) {
    if (job->n_runs < PIPELINE_RUNS_KEPT)
        return true;
    for (size_t i = 0; i < job->n_runs; i++)
        if (job->runs[i].started_at >= 0 &&
            job->runs[i].started_at < now - PIPELINE_FAILURE_WINDOW_SECONDS)
            return false;
    return true;
}

static void aws_pipeline_jobs_page(aws_pipeline_scan_t *scan, json_object *answer) {
    json_object *list;
    if (!json_object_object_get_ex(answer, "Jobs", &list) ||
        !json_object_is_type(list, json_type_array))
        return;
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        pipeline_job probe;
        memset(&probe, 0, sizeof probe);
        if (!pipeline_json_glue_job(json_object_array_get_idx(list, i), &probe)) {
            pipeline_job_clear(&probe);
            continue;
        }
        pipeline_job *job = aws_pipeline_add(&scan->jobs, &scan->n_jobs, &scan->cap_jobs);
        *job = probe;
        json_object *in = json_object_new_object();
        json_object_object_add(in, "JobName", json_object_new_string(job->name));
        json_object_object_add(in, "MaxResults", json_object_new_int(AWS_PIPELINE_RUNS_PAGE));
        aws_pipeline_submit(scan, AWS_PIPELINE_GET_JOB_RUNS, in, job);
    }
}

static void aws_pipeline_machines_page(aws_pipeline_scan_t *scan, json_object *answer) {
    json_object *list;
    if (!json_object_object_get_ex(answer, "stateMachines", &list) ||
        !json_object_is_type(list, json_type_array))
        return;
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        const char *name, *arn;
        bool standard;
        if (!pipeline_json_state_machine(json_object_array_get_idx(list, i), &name, &arn,
                                         &standard) ||
            !standard)
            continue; /* an EXPRESS machine keeps no execution history to list */
        pipeline_job *m = aws_pipeline_add(&scan->machines, &scan->n_machines, &scan->cap_machines);
        m->name = xstrdup(name);
        m->kind = PIPELINE_STATES;
        json_object *in = json_object_new_object();
        json_object_object_add(in, "stateMachineArn", json_object_new_string(arn));
        json_object_object_add(in, "maxResults", json_object_new_int(AWS_PIPELINE_EXECUTIONS_PAGE));
        aws_pipeline_submit(scan, AWS_PIPELINE_LIST_EXECUTIONS, in, m);
    }
}

/* The newest execution read, when it failed: its error and cause. */
static void aws_pipeline_describe_newest(aws_pipeline_scan_t *scan, pipeline_job *m) {
    const pipeline_run *newest = NULL;
    for (size_t i = 0; i < m->n_runs; i++)
        if (!newest || m->runs[i].started_at > newest->started_at)
            newest = &m->runs[i];
    if (!newest || !pipeline_run_failed(newest) || newest->error)
        return;
    json_object *in = json_object_new_object();
    json_object_object_add(in, "executionArn", json_object_new_string(newest->id));
    aws_pipeline_submit(scan, AWS_PIPELINE_DESCRIBE_EXECUTION, in, m);
}

static void aws_pipeline_describe_answer(aws_pipeline_call *c, json_object *answer) {
    json_object *arn = json_object_object_get(c->input, "executionArn");
    for (size_t i = 0; arn && i < c->job->n_runs; i++)
        if (c->job->runs[i].id && strcmp(c->job->runs[i].id, json_object_get_string(arn)) == 0)
            pipeline_json_execution_error(answer, &c->job->runs[i]);
}

static void aws_pipeline_done(void *ctx, const http_response *response) {
    aws_pipeline_call *c = ctx;
    aws_pipeline_scan_t *scan = c->scan;
    if (response->error) {
        if (!aws_rounds_defer(&scan->rounds, response, aws_pipeline_resend, aws_pipeline_done, c))
            aws_pipeline_fail(c, response->error);
        return;
    }
    json_object *answer = json_tokener_parse(response->body ? response->body : "");
    if (!answer || !json_object_is_type(answer, json_type_object)) {
        json_object_put(answer);
        aws_pipeline_fail(c, "the answer is not a JSON object");
        return;
    }
    bool more = true; /* another page is wanted, when there is one */
    switch (c->op) {
    case AWS_PIPELINE_GET_JOBS: aws_pipeline_jobs_page(scan, answer); break;
    case AWS_PIPELINE_GET_TRIGGERS: {
        json_object *list;
        if (json_object_object_get_ex(answer, "Triggers", &list) &&
            json_object_is_type(list, json_type_array))
            for (size_t i = 0; i < json_object_array_length(list); i++)
                json_object_array_add(scan->triggers,
                                      json_object_get(json_object_array_get_idx(list, i)));
        break;
    }
    case AWS_PIPELINE_LIST_MACHINES: aws_pipeline_machines_page(scan, answer); break;
    case AWS_PIPELINE_GET_JOB_RUNS:
        pipeline_json_glue_runs(answer, c->job);
        more = aws_pipeline_more_runs(c->job, scan->now);
        break;
    case AWS_PIPELINE_LIST_EXECUTIONS:
        pipeline_json_executions(answer, c->job);
        more = aws_pipeline_more_runs(c->job, scan->now);
        break;
    case AWS_PIPELINE_DESCRIBE_EXECUTION:
        aws_pipeline_describe_answer(c, answer);
        more = false;
        break;
    }
    const char *key = aws_pipeline_ops[c->op].token_key;
    const char *token = key && more ? pipeline_json_next_token(answer, key) : NULL;
    char *error = NULL;
    if (token && page_guard_next(&c->pages, token, AWS_PIPELINE_MAX_PAGES, &error)) {
        json_object_object_add(c->input, key, json_object_new_string(token));
        json_object_put(answer);
        aws_pipeline_send(c); /* the next page */
        return;
    }
    if (error) {
        aws_pipeline_fail(c, error);
        free(error);
    } else if (c->op == AWS_PIPELINE_LIST_EXECUTIONS) {
        aws_pipeline_describe_newest(scan, c->job);
    }
    json_object_put(answer);
}

/* The first schedule a trigger gives the job, and when it fires next. */
static void aws_pipeline_schedule(json_object *triggers, pipeline_job *job, int64_t now) {
    for (size_t i = 0; !job->schedule && i < json_object_array_length(triggers); i++)
        job->schedule =
            pipeline_json_trigger_schedule(json_object_array_get_idx(triggers, i), job->name);
    if (job->schedule)
        job->next_run = glue_schedule_next(job->schedule, now);
}

/* Moves the scan's jobs into an array of the snapshot, runs kept. */
static pipeline_job *aws_pipeline_take(pipeline_job **list, size_t n, json_object *triggers,
                                       int64_t now) {
    pipeline_job *out = n ? xcalloc(n, sizeof *out) : NULL;
    for (size_t i = 0; i < n; i++) {
        pipeline_keep_runs(list[i], now);
        if (list[i]->error)
            list[i]->failures_7d = -1; /* not all of the week was read */
        if (triggers)
            aws_pipeline_schedule(triggers, list[i], now);
        out[i] = *list[i];
        free(list[i]);
    }
    free(list);
    return out;
}

aws_pipeline_scan_t *aws_pipeline_scan_start(aws_source *src) {
    aws_pipeline_scan_t *scan = xcalloc(1, sizeof *scan);
    *scan =
        (aws_pipeline_scan_t){.src = src, .now = clock_now(), .triggers = json_object_new_array()};
    json_object *in = json_object_new_object();
    json_object_object_add(in, "MaxResults", json_object_new_int(100));
    aws_pipeline_submit(scan, AWS_PIPELINE_GET_JOBS, in, NULL);
    in = json_object_new_object();
    json_object_object_add(in, "MaxResults", json_object_new_int(100));
    aws_pipeline_submit(scan, AWS_PIPELINE_GET_TRIGGERS, in, NULL);
    in = json_object_new_object();
    json_object_object_add(in, "maxResults", json_object_new_int(100));
    aws_pipeline_submit(scan, AWS_PIPELINE_LIST_MACHINES, in, NULL);
    return scan;
}

void aws_pipeline_scan_finish(aws_pipeline_scan_t *scan, lake_snapshot *s, const bool *stop) {
    aws_source *src = scan->src;
    http_client_run(src->http, stop);
    aws_rounds_run(&scan->rounds, src->http, src->options.retry_base_ms, true, stop);
    aws_rounds_clear(&scan->rounds);
    while (scan->calls) {
        aws_pipeline_call *next = scan->calls->next;
        aws_pipeline_call_free(scan->calls);
        scan->calls = next;
    }
    lake_snapshot *discarded = s ? NULL : snapshot_new("discarded");
    if (!s)
        s = discarded; /* a refresh that failed: read to the end, dropped */
    s->jobs = aws_pipeline_take(scan->jobs, scan->n_jobs, scan->triggers, scan->now);
    s->n_jobs = scan->n_jobs;
    s->state_machines = aws_pipeline_take(scan->machines, scan->n_machines, NULL, scan->now);
    s->n_state_machines = scan->n_machines;
    json_object_put(scan->triggers);
    if (scan->error) {
        free(s->pipeline_error);
        s->pipeline_error = scan->n_errors > 1 ? xasprintf("%s (and %zu more failed)", scan->error,
                                                           scan->n_errors - 1)
                                               : xstrdup(scan->error);
    }
    free(scan->error);
    if (discarded)
        snapshot_release(discarded);
    else
        snapshot_sort_pipeline(s);
    free(scan);
}

void aws_pipeline_scan(aws_source *src, lake_snapshot *s, const bool *stop) {
    aws_pipeline_scan_finish(aws_pipeline_scan_start(src), s, stop);
}

/* ---- `laketop job NAME` on Glue ------------------------------------------ */

static bool aws_pipeline_start_job(lake_source *self, const char *name, char *const *args,
                                   size_t n_args, bool wait_hint, char **run_id, char **error) {
    (void)wait_hint;
    aws_source *src = aws_source_ready(self, error);
    if (!src)
        return false;
    json_object *in = json_object_new_object(), *answer = NULL, *id;
    json_object_object_add(in, "JobName", json_object_new_string(name));
    if (n_args) {
        /* KEY=VALUE is Glue's "--KEY": "VALUE" (a KEY may be given with its dashes) */
        json_object *arguments = json_object_new_object();
        for (size_t i = 0; i < n_args; i++) {
            const char *eq = strchr(args[i], '=');
            if (!eq)
                continue;
            char *key = strncmp(args[i], "--", 2) == 0
                            ? xstrndup(args[i], (size_t)(eq - args[i]))
                            : xasprintf("--%.*s", (int)(eq - args[i]), args[i]);
            json_object_object_add(arguments, key, json_object_new_string(eq + 1));
            free(key);
        }
        json_object_object_add(in, "Arguments", arguments);
    }
    bool ok = aws_request_glue_one(src, "StartJobRun", in, &answer, error);
    json_object_put(in);
    if (ok && (!json_object_object_get_ex(answer, "JobRunId", &id) ||
               !json_object_is_type(id, json_type_string))) {
        *error = xstrdup("Glue StartJobRun: the answer has no JobRunId");
        ok = false;
    }
    if (ok)
        *run_id = xstrdup(json_object_get_string(id));
    json_object_put(answer);
    return ok;
}

static bool aws_pipeline_get_job_run(lake_source *self, const char *name, const char *run_id,
                                     pipeline_run *out, char **error) {
    aws_source *src = aws_source_ready(self, error);
    if (!src)
        return false;
    json_object *in = json_object_new_object(), *answer = NULL, *run;
    json_object_object_add(in, "JobName", json_object_new_string(name));
    json_object_object_add(in, "RunId", json_object_new_string(run_id));
    bool ok = aws_request_glue_one(src, "GetJobRun", in, &answer, error);
    json_object_put(in);
    if (ok &&
        (!json_object_object_get_ex(answer, "JobRun", &run) || !pipeline_json_glue_run(run, out))) {
        *error = xstrdup("Glue GetJobRun: the answer has no JobRun with an Id");
        ok = false;
    }
    json_object_put(answer);
    return ok;
}

const source_pipeline aws_pipeline = {.start_job = aws_pipeline_start_job,
                                      .get_job_run = aws_pipeline_get_job_run};
