/* test_job_run.c: the job action against a fake source: done only once
 * the run SUCCEEDED, failed with its state and message, refused for an
 * unknown job or a source without jobs, started without waiting, the
 * arguments handed over, and --arg's KEY=VALUE check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "actions/job_run.h"
#include "common/xalloc.h"
#include "unit_tmp.h"

/* The fake: a job "ok" that runs 2 polls then SUCCEEDED, "bad" that ends
 * FAILED with a message, anything else is not found. */
typedef struct fake_source {
    lake_source base;
    int polls;
    size_t n_args;
    char last_arg[64];
    bool waited;
} fake_source;

static bool fake_start(lake_source *self, const char *name, char *const *args, size_t n_args,
                       bool wait_hint, char **run_id, char **error) {
    fake_source *f = (fake_source *)self;
    if (strcmp(name, "ok") != 0 && strcmp(name, "bad") != 0) {
        *error = xasprintf("EntityNotFoundException: Failed to start job run due to missing "
                           "metadata");
        return false;
    }
    f->n_args = n_args;
    if (n_args)
        snprintf(f->last_arg, sizeof f->last_arg, "%s", args[n_args - 1]);
    f->waited = wait_hint;
    f->polls = 0;
    *run_id = xstrdup("jr_1");
    return true;
}

static bool fake_get(lake_source *self, const char *name, const char *run_id, pipeline_run *out,
                     char **error) {
    fake_source *f = (fake_source *)self;
    (void)error;
    assert_string_equal(run_id, "jr_1");
    out->id = xstrdup(run_id);
    out->started_at = 1000;
    if (f->polls++ < 2) {
        out->state = xstrdup("RUNNING");
        return true;
    }
    out->ended_at = 1042;
    out->state = xstrdup(strcmp(name, "ok") == 0 ? "SUCCEEDED" : "FAILED");
    if (strcmp(name, "bad") == 0)
        out->error = xstrdup("An error occurred while calling o95.pyWriteDynamicFrame");
    return true;
}

static const source_pipeline fake_pipeline = {.start_job = fake_start, .get_job_run = fake_get};

static void fake_free(lake_source *self) {
    (void)self;
}

static void fake_init(fake_source *f, bool with_pipeline) {
    memset(f, 0, sizeof *f);
    f->base.name = "fake";
    f->base.free = fake_free;
    f->base.pipeline = with_pipeline ? &fake_pipeline : NULL;
}

static action_status run(fake_source *f, const char *name, bool wait, char *const *args,
                         size_t n_args, char **result) {
    job_run_request r = {.source = {.borrowed = &f->base},
                         .name = name,
                         .args = args,
                         .n_args = n_args,
                         .wait = wait,
                         .poll_ms = 1};
    return job_run(&r, NULL, result);
}

static void test_succeeded(void **state) {
    (void)state;
    fake_source f;
    fake_init(&f, true);
    char *args[] = {"day=2026-12-01", "mode=full"};
    char *result = NULL;
    assert_int_equal(run(&f, "ok", true, args, 2, &result), ACTION_RESULT_DONE);
    assert_int_equal(f.polls, 3); /* done only after the poll that saw SUCCEEDED */
    assert_int_equal(f.n_args, 2);
    assert_string_equal(f.last_arg, "mode=full");
    assert_true(f.waited);
    assert_string_equal(result, "job ok: SUCCEEDED in 42s (run jr_1)");
    free(result);
    assert_int_equal(action_exit_status(ACTION_RESULT_DONE), 0);
}

static void test_failed(void **state) {
    (void)state;
    fake_source f;
    fake_init(&f, true);
    char *result = NULL;
    assert_int_equal(run(&f, "bad", true, NULL, 0, &result), ACTION_RESULT_FAILED);
    assert_string_equal(
        result,
        "job bad: FAILED after 42s: An error occurred while calling o95.pyWriteDynamicFrame");
    free(result);
    assert_int_equal(action_exit_status(ACTION_RESULT_FAILED), 1);
}

static void test_refused(void **state) {
    (void)state;
    fake_source f;
    fake_init(&f, true);
    char *result = NULL;
    assert_int_equal(run(&f, "nope", true, NULL, 0, &result), ACTION_RESULT_REFUSED);
    assert_string_equal(result, "there is no job named nope");
    free(result);
    assert_int_equal(action_exit_status(ACTION_RESULT_REFUSED), 2);
    fake_init(&f, false);
    assert_int_equal(run(&f, "ok", true, NULL, 0, &result), ACTION_RESULT_REFUSED);
    assert_string_equal(result, "fake has no jobs to run");
    free(result);
}

static void test_no_wait(void **state) {
    (void)state;
    fake_source f;
    fake_init(&f, true);
    char *result = NULL;
    assert_int_equal(run(&f, "bad", false, NULL, 0, &result), ACTION_RESULT_DONE);
    assert_int_equal(f.polls, 0);
    assert_false(f.waited);
    assert_string_equal(result, "job bad started (run jr_1)");
    free(result);
}

static void test_args(void **state) {
    (void)state;
    char *error = NULL;
    assert_true(job_run_arg_ok("day=2026-12-01", &error));
    assert_true(job_run_arg_ok("a.b-c_d=", &error)); /* an empty value is a value */
    assert_true(job_run_arg_ok("k=v=w", &error));
    assert_false(job_run_arg_ok("=v", &error));
    assert_string_equal(error, "--arg \"=v\": write KEY=VALUE");
    free(error);
    assert_false(job_run_arg_ok("novalue", &error));
    free(error);
    assert_false(job_run_arg_ok("a b=c", &error));
    assert_non_null(strstr(error, "a KEY has letters"));
    free(error);
}

int main(void) {
    /* the audit log goes to a state directory of the test's own */
    char dir[512];
    if (!mkdtemp(unit_tmp_template(dir, sizeof dir, "job_run")))
        return 1;
    setenv("XDG_STATE_HOME", dir, 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_succeeded), cmocka_unit_test(test_failed),
        cmocka_unit_test(test_refused),   cmocka_unit_test(test_no_wait),
        cmocka_unit_test(test_args),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        failed++;
    return failed;
}
