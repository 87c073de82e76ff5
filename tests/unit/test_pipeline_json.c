/* test_pipeline_json.c: Glue's Job, JobRun and Trigger and Step Functions'
 * state machines and executions read into the pipeline model: the fields
 * taken, DPU-seconds from capacity, schedules only from an active
 * scheduled trigger naming the job, "error: cause", wrong shapes unknown. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "collector/aws/glue_schedule.h"
#include "collector/aws/pipeline_json.h"

static json_object *parse(const char *text) {
    json_object *o = json_tokener_parse(text);
    assert_non_null(o);
    return o;
}

static void test_glue_run(void **state) {
    (void)state;
    json_object *o =
        parse("{\"Id\": \"jr_1\", \"JobRunState\": \"FAILED\", \"StartedOn\": 1764583200.25,"
              " \"CompletedOn\": 1764583300.9, \"ExecutionTime\": 95, \"MaxCapacity\": 2.0,"
              " \"ErrorMessage\": \"Access Denied\"}");
    pipeline_run r;
    memset(&r, 0, sizeof r);
    assert_true(pipeline_json_glue_run(o, &r));
    assert_string_equal(r.id, "jr_1");
    assert_string_equal(r.state, "FAILED");
    assert_int_equal(r.started_at, 1764583200);
    assert_int_equal(r.ended_at, 1764583300);
    assert_int_equal(r.duration_seconds, 95); /* ExecutionTime, not ended - started */
    assert_string_equal(r.error, "Access Denied");
    assert_true(r.dpu_seconds == 190.0); /* MaxCapacity x ExecutionTime */
    assert_int_equal(r.exit_status, -1);
    json_object_put(o);
    /* DPUSeconds wins; no ExecutionTime: from the times */
    o = parse("{\"Id\": \"jr_2\", \"JobRunState\": \"SUCCEEDED\", \"StartedOn\": 100,"
              " \"CompletedOn\": 160, \"DPUSeconds\": 33.5}");
    assert_true(pipeline_json_glue_run(o, &r));
    assert_int_equal(r.duration_seconds, 60);
    assert_true(r.dpu_seconds == 33.5);
    assert_null(r.error);
    json_object_put(o);
    /* running: no end, no duration, no DPU */
    o = parse("{\"Id\": \"jr_3\", \"JobRunState\": \"RUNNING\", \"StartedOn\": "
              "\"2025-12-01T10:00:00Z\"}");
    assert_true(pipeline_json_glue_run(o, &r));
    assert_int_equal(r.started_at, 1764583200);
    assert_int_equal(r.ended_at, -1);
    assert_int_equal(r.duration_seconds, -1);
    assert_true(r.dpu_seconds < 0);
    json_object_put(o);
    /* no Id, or not an object: nothing */
    o = parse("{\"JobRunState\": \"RUNNING\", \"ExecutionTime\": \"x\"}");
    assert_false(pipeline_json_glue_run(o, &r));
    assert_null(r.id);
    json_object_put(o);
    o = parse("[1, 2]");
    assert_false(pipeline_json_glue_run(o, &r));
    json_object_put(o);
    pipeline_run_clear(&r);
}

static void test_glue_job_and_runs(void **state) {
    (void)state;
    json_object *o = parse("{\"Name\": \"compact\", \"Description\": \"compacts\"}");
    pipeline_job j;
    memset(&j, 0, sizeof j);
    assert_true(pipeline_json_glue_job(o, &j));
    assert_string_equal(j.name, "compact");
    assert_string_equal(j.description, "compacts");
    assert_int_equal(j.kind, PIPELINE_GLUE);
    assert_int_equal(j.failures_7d, -1);
    json_object_put(o);
    o = parse(
        "{\"JobRuns\": [{\"Id\": \"a\", \"JobRunState\": \"SUCCEEDED\"}, {\"JobRunState\": \"X\"},"
        " 7, {\"Id\": \"b\"}], \"NextToken\": \"t1\"}");
    pipeline_json_glue_runs(o, &j);
    assert_int_equal(j.n_runs, 2);
    assert_string_equal(j.runs[1].id, "b");
    assert_null(j.runs[1].state);
    assert_string_equal(pipeline_json_next_token(o, "NextToken"), "t1");
    assert_null(pipeline_json_next_token(o, "nextToken"));
    json_object_put(o);
    o = parse("{\"NextToken\": \"\", \"JobRuns\": {}}");
    pipeline_json_glue_runs(o, &j);
    assert_int_equal(j.n_runs, 2);
    assert_null(pipeline_json_next_token(o, "NextToken")); /* an empty token ends the listing */
    json_object_put(o);
    pipeline_job_clear(&j);
    o = parse("{\"Description\": \"no name\"}");
    assert_false(pipeline_json_glue_job(o, &j));
    json_object_put(o);
    pipeline_job_clear(&j);
}

static void test_trigger_schedule(void **state) {
    (void)state;
    json_object *o = parse(
        "{\"Type\": \"SCHEDULED\", \"State\": \"ACTIVATED\", \"Schedule\": \"cron(0 2 * * ? *)\","
        " \"Actions\": [{\"CrawlerName\": \"c\"}, {\"JobName\": \"compact\"}]}");
    char *s = pipeline_json_trigger_schedule(o, "compact");
    assert_string_equal(s, "cron(0 2 * * ? *)");
    free(s);
    assert_null(pipeline_json_trigger_schedule(o, "other"));
    assert_null(pipeline_json_trigger_schedule(o, NULL));
    json_object_put(o);
    const char *not_scheduling[] = {
        "{\"Type\": \"SCHEDULED\", \"State\": \"DEACTIVATED\", \"Schedule\": \"cron(1 * * * ? *)\","
        " \"Actions\": [{\"JobName\": \"compact\"}]}",
        "{\"Type\": \"CONDITIONAL\", \"State\": \"ACTIVATED\", \"Actions\": [{\"JobName\": "
        "\"compact\"}]}",
        "{\"Type\": \"SCHEDULED\", \"State\": \"ACTIVATED\", \"Actions\": [{\"JobName\": "
        "\"compact\"}]}",
        "{\"Type\": \"SCHEDULED\", \"State\": \"ACTIVATED\", \"Schedule\": \"cron(1 * * * ? *)\","
        " \"Actions\": {\"JobName\": \"compact\"}}",
        "\"SCHEDULED\"",
    };
    for (size_t i = 0; i < sizeof not_scheduling / sizeof not_scheduling[0]; i++) {
        o = parse(not_scheduling[i]);
        assert_null(pipeline_json_trigger_schedule(o, "compact"));
        json_object_put(o);
    }
}

static void test_state_machines(void **state) {
    (void)state;
    const char *name, *arn;
    bool standard;
    json_object *o =
        parse("{\"name\": \"etl\", \"stateMachineArn\": \"arn:m\", \"type\": \"EXPRESS\"}");
    assert_true(pipeline_json_state_machine(o, &name, &arn, &standard));
    assert_string_equal(name, "etl");
    assert_string_equal(arn, "arn:m");
    assert_false(standard);
    json_object_put(o);
    o = parse("{\"name\": \"etl\", \"stateMachineArn\": \"arn:m\", \"type\": \"STANDARD\"}");
    assert_true(pipeline_json_state_machine(o, &name, &arn, &standard));
    assert_true(standard);
    json_object_put(o);
    o = parse("{\"name\": \"etl\"}");
    assert_false(pipeline_json_state_machine(o, &name, &arn, &standard));
    json_object_put(o);
}

static void test_executions(void **state) {
    (void)state;
    pipeline_job m;
    memset(&m, 0, sizeof m);
    pipeline_job_clear(&m);
    json_object *o =
        parse("{\"executions\": [{\"executionArn\": \"arn:e1\", \"status\": \"FAILED\","
              " \"startDate\": 1000.5, \"stopDate\": 1600.2},"
              " {\"executionArn\": \"arn:e2\", \"status\": \"RUNNING\", \"startDate\": 2000},"
              " {\"status\": \"SUCCEEDED\"}], \"nextToken\": \"n\"}");
    pipeline_json_executions(o, &m);
    assert_int_equal(m.n_runs, 2);
    assert_string_equal(m.runs[0].state, "FAILED");
    assert_int_equal(m.runs[0].duration_seconds, 600);
    assert_int_equal(m.runs[1].ended_at, -1);
    assert_int_equal(m.runs[1].duration_seconds, -1);
    assert_string_equal(pipeline_json_next_token(o, "nextToken"), "n");
    json_object_put(o);
    o = parse("{\"error\": \"States.TaskFailed\", \"cause\": \"Lambda returned 500\"}");
    pipeline_json_execution_error(o, &m.runs[0]);
    assert_string_equal(m.runs[0].error, "States.TaskFailed: Lambda returned 500");
    json_object_put(o);
    o = parse("{\"cause\": \"only a cause\", \"error\": \"\"}");
    pipeline_json_execution_error(o, &m.runs[0]);
    assert_string_equal(m.runs[0].error, "only a cause");
    json_object_put(o);
    o = parse("{\"error\": 5}");
    pipeline_json_execution_error(o, &m.runs[0]); /* nothing there: unchanged */
    assert_string_equal(m.runs[0].error, "only a cause");
    json_object_put(o);
    pipeline_job_clear(&m);
}

/* Next runs after Monday 2025-12-01 10:00:30 UTC (1764583230), worked out
 * with Python's calendar.timegm. */
static void test_schedule_next(void **state) {
    (void)state;
    const int64_t after = 1764583230;
    static const struct {
        const char *cron;
        int64_t next;
    } cases[] = {
        {"cron(0 2 * * ? *)", 1764640800},             /* tomorrow 02:00 */
        {"cron(15 10 * * ? *)", 1764584100},           /* today 10:15 */
        {"cron(*/20 * * * ? *)", 1764584400},          /* 10:20 */
        {"cron(0 9 ? * MON-FRI *)", 1764666000},       /* Tuesday 09:00 */
        {"cron(0 9 ? * 1 *)", 1765098000},             /* Sunday (1) 09:00 */
        {"cron(0 0 1 JAN ? 2027)", 1798761600},        /* a year given */
        {"cron(30 23 31 * ? *)", 1767223800},          /* the next 31st */
        {"cron(0 12 29 FEB ? *)", 1835438400},         /* the next leap day, 2028 */
        {"cron(1 10 1 12 ? 2025)", 1764583260},        /* the next minute */
        {"cron(0,30 10-11 ? * mon 2025)", 1764585000}, /* names in any case, lists */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t got = glue_schedule_next(cases[i].cron, after);
        if (got != cases[i].next)
            fail_msg("%s: %lld, want %lld", cases[i].cron, (long long)got,
                     (long long)cases[i].next);
    }
    /* not understood, or never again: unknown */
    const char *unknown[] = {
        "cron(0 2 * * * *)",    /* both day fields given */
        "cron(0 2 ? * ? *)",    /* neither */
        "cron(0 2 L * ? *)",    /* last day: not worked out */
        "cron(0 2 ? * 6#3 *)",  /* nth weekday */
        "cron(0 24 * * ? *)",   /* hour out of range */
        "cron(0 2 * * ? 2024)", /* only in the past */
        "cron(0 2 * * ?)",      /* five fields */
        "cron(0 2 * * ? * 1)",  /* seven */
        "cron(0 2 * * ? *) ",   /* after the parenthesis */
        "cron(*/0 2 * * ? *)",  /* a step of 0 */
        "cron(0, 2 * * ? *)",   /* an empty item */
        "rate(5 minutes)",      "", NULL,
    };
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
        if (glue_schedule_next(unknown[i], after) != -1)
            fail_msg("%s: not -1", unknown[i] ? unknown[i] : "NULL");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_glue_run),         cmocka_unit_test(test_glue_job_and_runs),
        cmocka_unit_test(test_trigger_schedule), cmocka_unit_test(test_state_machines),
        cmocka_unit_test(test_executions),       cmocka_unit_test(test_schedule_next),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
