/* test_jobs.c: background jobs: started with ids, newest first, running
 * until their body returns, their progress seen from outside while they
 * run, ending SUCCEEDED or FAILED with their result line (or "done" /
 * "failed" without one), jobs_running counting them, changes_lake kept,
 * every context freed; an action's report reaching a job's progress.
 * Jobs wait on pipes the test writes to and the test waits on the jobs'
 * notification pipe: no sleeps, no timing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "actions/action.h"
#include "actions/jobs.h"
#include "common/xalloc.h"

typedef struct gate {
    int fds[2];         /* the job waits to read a byte from fds[0] */
    bool ok;            /* what the job returns */
    const char *result; /* its result line (NULL: none) */
    int *freed;         /* counts free_ctx calls */
} gate;

static bool gated_job(void *ctx, job_progress *progress, char **result) {
    gate *g = ctx;
    action_report report = action_report_job(progress);
    action_progress(&report, 0.5, "%d of %d", 1, 2);
    char byte;
    assert_int_equal(read(g->fds[0], &byte, 1), 1);
    if (byte == 'n')
        action_note(&report, "a note");
    if (byte == 'n')
        assert_int_equal(read(g->fds[0], &byte, 1), 1);
    *result = g->result ? xstrdup(g->result) : NULL;
    return g->ok;
}

static void gate_free(void *ctx) {
    gate *g = ctx;
    __atomic_add_fetch(g->freed, 1, __ATOMIC_SEQ_CST); /* from each job's thread */
}

static gate *gate_new(bool ok, const char *result, int *freed) {
    gate *g = xcalloc(1, sizeof *g);
    assert_int_equal(pipe(g->fds), 0);
    g->ok = ok;
    g->result = result;
    g->freed = freed;
    return g;
}

static void gate_open(gate *g, char byte) {
    assert_int_equal(write(g->fds[1], &byte, 1), 1);
}

/* A copy of job `id`'s status (the caller frees it with jobs_status_free). */
static job_status *status_of(jobs *j, int id, job_status **list, size_t *n) {
    *n = jobs_snapshot(j, list);
    for (size_t i = 0; i < *n; i++)
        if ((*list)[i].id == id)
            return &(*list)[i];
    fail_msg("no job %d", id);
    return NULL;
}

/* Waits, woken by the notification pipe, until job `id`'s message is
 * `message` (or, with NULL, until it has ended). */
static void wait_for(jobs *j, int notify, int id, const char *message) {
    for (;;) {
        job_status *list;
        size_t n;
        job_status *s = status_of(j, id, &list, &n);
        bool there = message ? strcmp(s->message, message) == 0 : s->state != JOB_RUNNING;
        jobs_status_free(list, n);
        if (there)
            return;
        char byte;
        assert_int_equal(read(notify, &byte, 1), 1);
    }
}

static void test_lifecycle(void **state) {
    (void)state;
    int notify[2];
    assert_int_equal(pipe(notify), 0);
    jobs *j = jobs_new(notify[1]);
    int freed = 0;
    gate *good = gate_new(true, "3 tables in /b", &freed);
    gate *bad = gate_new(false, "cannot write /b", &freed);
    int id1 = jobs_start(j, "backup", "/b", false, gated_job, good, gate_free);
    int id2 = jobs_start(j, "sync", "rule", true, gated_job, bad, gate_free);
    assert_int_equal(id1, 1);
    assert_int_equal(id2, 2);
    wait_for(j, notify[0], id1, "1 of 2");
    wait_for(j, notify[0], id2, "1 of 2");
    assert_int_equal(jobs_running(j), 2);
    job_status *list;
    size_t n = jobs_snapshot(j, &list);
    assert_int_equal(n, 2);
    assert_int_equal(list[0].id, id2); /* newest first */
    assert_string_equal(list[0].title, "sync");
    assert_string_equal(list[0].target, "rule");
    assert_true(list[0].changes_lake);
    assert_false(list[1].changes_lake);
    assert_int_equal(list[1].state, JOB_RUNNING);
    assert_true(list[1].progress > 0.49 && list[1].progress < 0.51);
    jobs_status_free(list, n);

    gate_open(good, 'y');
    wait_for(j, notify[0], id1, NULL);
    assert_int_equal(jobs_running(j), 1);
    job_status *s = status_of(j, id1, &list, &n);
    assert_int_equal(s->state, JOB_SUCCEEDED);
    assert_string_equal(s->message, "3 tables in /b");
    assert_true(s->progress > 0.99);
    assert_true(s->finished >= s->started);
    jobs_status_free(list, n);

    gate_open(bad, 'n'); /* a note first: it becomes the progress line */
    wait_for(j, notify[0], id2, "a note");
    s = status_of(j, id2, &list, &n);
    assert_true(s->progress < 0); /* a note's progress is unknown */
    jobs_status_free(list, n);
    gate_open(bad, 'y');
    wait_for(j, notify[0], id2, NULL);
    s = status_of(j, id2, &list, &n);
    assert_int_equal(s->state, JOB_FAILED);
    assert_string_equal(s->message, "cannot write /b");
    jobs_status_free(list, n);
    assert_int_equal(jobs_running(j), 0);

    /* no result line: "done" or "failed" */
    gate *quiet_ok = gate_new(true, NULL, &freed), *quiet_bad = gate_new(false, NULL, &freed);
    int id3 = jobs_start(j, "export", "/e", false, gated_job, quiet_ok, gate_free);
    int id4 = jobs_start(j, "export", "/e", false, gated_job, quiet_bad, gate_free);
    gate_open(quiet_ok, 'y');
    gate_open(quiet_bad, 'y');
    wait_for(j, notify[0], id3, NULL);
    wait_for(j, notify[0], id4, NULL);
    s = status_of(j, id3, &list, &n);
    assert_string_equal(s->message, "done");
    jobs_status_free(list, n);
    s = status_of(j, id4, &list, &n);
    assert_string_equal(s->message, "failed");
    assert_int_equal(s->state, JOB_FAILED);
    jobs_status_free(list, n);

    jobs_free(j); /* joins every thread */
    assert_int_equal(freed, 4);
    gate *gates[] = {good, bad, quiet_ok, quiet_bad};
    for (size_t i = 0; i < 4; i++) {
        close(gates[i]->fds[0]);
        close(gates[i]->fds[1]);
        free(gates[i]);
    }
    close(notify[0]);
    close(notify[1]);
}

static void test_status_codes(void **state) {
    (void)state;
    assert_int_equal(action_exit_status(ACTION_RESULT_DONE), 0);
    assert_int_equal(action_exit_status(ACTION_RESULT_FAILED), 1);
    assert_int_equal(action_exit_status(ACTION_RESULT_ERROR), 1);
    assert_int_equal(action_exit_status(ACTION_RESULT_REFUSED), 2);
    char *error = NULL;
    assert_true(action_address_ok("/var/backups", &error));
    assert_true(action_address_ok("s3://bucket/prefix", &error));
    assert_null(error);
    assert_false(action_address_ok("s3://", &error));
    assert_non_null(error);
    free(error);
    action_progress(NULL, 0.5, "no report: %s", "nothing happens");
    action_note(NULL, "nor here");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lifecycle),
        cmocka_unit_test(test_status_codes),
    };
    return cmocka_run_group_tests_name("jobs", tests, NULL, NULL);
}
