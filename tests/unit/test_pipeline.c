/* test_pipeline.c: what job and execution states mean (failures, running,
 * stopped), a week's failures, the runs kept newest first, durations, a
 * long wait, and the model's copy and lookup. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/figures/pipeline.h"
#include "common/xalloc.h"

static void test_states(void **state) {
    (void)state;
    const char *failed[] = {"FAILED", "ERROR", "TIMEOUT", "TIMED_OUT"};
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(pipeline_state_outcome(failed[i]), PIPELINE_FAILED);
    const char *running[] = {"STARTING", "RUNNING", "STOPPING", "PENDING_REDRIVE"};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(pipeline_state_outcome(running[i]), PIPELINE_RUNNING);
        assert_false(pipeline_outcome_ended(pipeline_state_outcome(running[i])));
    }
    assert_int_equal(pipeline_state_outcome("WAITING"), PIPELINE_WAITING);
    assert_int_equal(pipeline_state_outcome("STOPPED"), PIPELINE_STOPPED);
    assert_int_equal(pipeline_state_outcome("ABORTED"), PIPELINE_STOPPED);
    assert_int_equal(pipeline_state_outcome("EXPIRED"), PIPELINE_STOPPED);
    assert_int_equal(pipeline_state_outcome("SUCCEEDED"), PIPELINE_SUCCEEDED);
    assert_true(pipeline_outcome_ended(PIPELINE_SUCCEEDED));
    assert_true(pipeline_outcome_ended(PIPELINE_STOPPED));
    assert_int_equal(pipeline_state_outcome("failed"), PIPELINE_UNKNOWN); /* case matters */
    assert_int_equal(pipeline_state_outcome(NULL), PIPELINE_UNKNOWN);
    assert_false(pipeline_outcome_ended(PIPELINE_UNKNOWN));
}

static pipeline_run run_at(const char *id, const char *state, int64_t started) {
    pipeline_run r;
    memset(&r, 0, sizeof r);
    pipeline_run_clear(&r);
    r.id = xstrdup(id);
    r.state = xstrdup(state);
    r.started_at = started;
    return r;
}

static void test_keep_runs(void **state) {
    (void)state;
    const int64_t now = 1000000;
    pipeline_job job;
    memset(&job, 0, sizeof job);
    pipeline_job_clear(&job);
    job.name = xstrdup("compact");
    size_t n = PIPELINE_RUNS_KEPT + 10;
    job.runs = xcalloc(n, sizeof *job.runs);
    /* oldest first, one an hour; every third failed; one of unknown start */
    for (size_t i = 0; i < n; i++) {
        char id[16];
        snprintf(id, sizeof id, "r%02zu", i);
        job.runs[i] = run_at(id, i % 3 == 0 ? "FAILED" : "SUCCEEDED",
                             i == 5 ? -1 : now - (int64_t)(n - i) * 3600 * 6);
    }
    job.n_runs = n;
    pipeline_keep_runs(&job, now);
    assert_int_equal(job.n_runs, PIPELINE_RUNS_KEPT);
    assert_string_equal(job.runs[0].id, "r39"); /* the newest first */
    for (size_t i = 1; i < job.n_runs; i++)
        assert_true(job.runs[i - 1].started_at > job.runs[i].started_at);
    /* failed runs started within 7 days: every 6 h back from r39, 28 runs
     * (r12..r39) are within 7 x 24 h; of those i % 3 == 0: 12, 15, ..., 39 */
    int64_t expect = 0;
    for (size_t i = 0; i < n; i++)
        if (i % 3 == 0 && i != 5 && now - (int64_t)(n - i) * 3600 * 6 >= now - 7 * 86400)
            expect++;
    assert_int_equal(job.failures_7d, expect);
    assert_int_equal(expect, 10);
    assert_true(pipeline_job_failed(&job) == (39 % 3 == 0));
    pipeline_job copy;
    pipeline_job_copy(&copy, &job);
    pipeline_job_clear(&job);
    assert_string_equal(copy.runs[1].id, "r38");
    assert_string_equal(copy.name, "compact");
    pipeline_job_clear(&copy);
}

static void test_durations(void **state) {
    (void)state;
    pipeline_run r = run_at("a", "RUNNING", 100);
    assert_int_equal(pipeline_run_seconds(&r, 160), 60); /* still running */
    r.ended_at = 130;
    assert_int_equal(pipeline_run_seconds(&r, 160), 30);
    r.duration_seconds = 25; /* Glue's ExecutionTime wins */
    assert_int_equal(pipeline_run_seconds(&r, 160), 25);
    pipeline_run_clear(&r);
    pipeline_run e = run_at("b", "FAILED", 100);
    assert_int_equal(pipeline_run_seconds(&e, 160), -1); /* ended, no end time */
    pipeline_run_clear(&e);
    pipeline_run w = run_at("c", "WAITING", 1000);
    assert_false(pipeline_run_waiting_long(&w, 1000 + PIPELINE_WAITING_LONG_SECONDS));
    assert_true(pipeline_run_waiting_long(&w, 1001 + PIPELINE_WAITING_LONG_SECONDS));
    pipeline_run_clear(&w);
    pipeline_run ok = run_at("d", "RUNNING", 1000);
    assert_false(pipeline_run_waiting_long(&ok, 1000000));
    pipeline_run_clear(&ok);
}

static void test_find(void **state) {
    (void)state;
    lake_snapshot *s = snapshot_new("test");
    s->jobs = xcalloc(2, sizeof *s->jobs);
    s->jobs[0] = (pipeline_job){.name = xstrdup("zeta"), .kind = PIPELINE_GLUE};
    s->jobs[1] = (pipeline_job){.name = xstrdup("alpha"), .kind = PIPELINE_LOCAL};
    s->n_jobs = 2;
    s->state_machines = xcalloc(1, sizeof *s->state_machines);
    s->state_machines[0] = (pipeline_job){.name = xstrdup("alpha"), .kind = PIPELINE_STATES};
    s->n_state_machines = 1;
    snapshot_sort(s);
    assert_string_equal(s->jobs[0].name, "alpha");
    assert_int_equal(snapshot_find_job(s, PIPELINE_GLUE, "zeta")->kind, PIPELINE_GLUE);
    assert_int_equal(snapshot_find_job(s, PIPELINE_STATES, "alpha")->kind, PIPELINE_STATES);
    assert_int_equal(snapshot_find_job(s, PIPELINE_LOCAL, "alpha")->kind, PIPELINE_LOCAL);
    assert_null(snapshot_find_job(s, PIPELINE_STATES, "zeta"));
    assert_null(snapshot_find_job(s, PIPELINE_GLUE, NULL));
    snapshot_release(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_states),
        cmocka_unit_test(test_keep_runs),
        cmocka_unit_test(test_durations),
        cmocka_unit_test(test_find),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
