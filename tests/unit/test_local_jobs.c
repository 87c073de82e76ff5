/* test_local_jobs.c: the local lake's run log (jobs.jsonl): the last line
 * of an id wins, broken lines skipped and counted, a line written then
 * read back the same (escapes, nulls), stderr's tail (5 lines, 1000 bytes,
 * a character never cut, bytes that are not UTF-8 replaced), the pid in a
 * run id; and a real run through the local source: SUCCEEDED, FAILED with
 * its stderr, the arguments in the environment, snapshot->jobs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/figures/pipeline.h"
#include "collector/local/local_jobs.h"
#include "collector/local/local_source.h"
#include "common/fs.h"
#include "common/xalloc.h"
#include "unit_tmp.h"

static void test_last_line_wins(void **state) {
    (void)state;
    const char text[] =
        "{\"job\": \"a\", \"id\": \"a-100-7\", \"state\": \"RUNNING\", \"started_at\": 100, "
        "\"ended_at\": null, \"exit_status\": null, \"error\": null}\n"
        "{\"job\": \"b\", \"id\": \"b-150-8\", \"state\": \"RUNNING\", \"started_at\": 150}\n"
        "{\"job\": \"a\", \"id\": \"a-100-7\", \"state\": \"FAILED\", \"started_at\": 100, "
        "\"ended_at\": 142, \"exit_status\": 3, \"error\": \"boom\\nbang\"}\n"
        "\n"
        "{\"job\": \"b\", \"id\": \"b-150-8\", \"state\": \"SUCCEEDED\", \"started_at\": 150, "
        "\"ended_at\": 160, \"exit_status\": 0, \"error\": null}";
    local_jobs_log log;
    local_jobs_parse(text, sizeof text - 1, &log);
    assert_int_equal(log.n, 2);
    assert_int_equal(log.broken_lines, 0);
    /* in the order of their first lines */
    assert_string_equal(log.entries[0].job, "a");
    const pipeline_run *a = &log.entries[0].run;
    assert_string_equal(a->state, "FAILED");
    assert_int_equal(a->started_at, 100);
    assert_int_equal(a->ended_at, 142);
    assert_int_equal(a->exit_status, 3);
    assert_string_equal(a->error, "boom\nbang");
    const local_jobs_entry *b = local_jobs_find(&log, "b-150-8");
    assert_non_null(b);
    assert_string_equal(b->run.state, "SUCCEEDED");
    assert_int_equal(b->run.exit_status, 0);
    assert_null(b->run.error);
    assert_null(local_jobs_find(&log, "c-1-1"));
    local_jobs_log_free(&log);
}

static void test_broken_lines(void **state) {
    (void)state;
    const char text[] =
        "not json\n"
        "[1, 2]\n"
        "{\"job\": \"a\", \"state\": \"RUNNING\", \"started_at\": 1}\n" /* no id */
        "{\"job\": \"a\", \"id\": \"x\", \"state\": \"RUNNING\", \"started_at\": \"1\"}\n" /* text
                                                                                            */
        "{\"job\": \"a\", \"id\": \"x\", \"state\": \"RUNNING\", \"started_at\": 1} junk\n"
        "{\"job\": \"a\", \"id\": \"x\", \"state\": \"FAILED\", \"started_at\": 1, \"error\": 5}\n"
        "{\"job\": \"a\", \"id\": \"x\", \"state\": \"FAILED\", \"started_at\": 1, "
        "\"exit_status\": 999}\n"
        "{\"job\": \"a\", \"id\": \"ok-1-2\", \"state\": \"RUNNING\", \"started_at\": 1}\r\n"
        "   \n"
        "{\"job\": \"a\", \"id\": \"cut";
    local_jobs_log log;
    local_jobs_parse(text, sizeof text - 1, &log);
    assert_int_equal(log.n, 1);
    assert_string_equal(log.entries[0].run.id, "ok-1-2");
    assert_int_equal(log.entries[0].run.ended_at, -1);
    assert_int_equal(log.broken_lines, 7); /* the cut last line may be being written */
    local_jobs_log_free(&log);
    local_jobs_parse("", 0, &log);
    assert_int_equal(log.n, 0);
    local_jobs_log_free(&log);
}

static void test_line_round_trip(void **state) {
    (void)state;
    pipeline_run run;
    memset(&run, 0, sizeof run);
    pipeline_run_clear(&run);
    run.id = "we\"ird-5-9";
    run.state = "FAILED";
    run.started_at = 1764583200;
    run.ended_at = 1764583242;
    run.exit_status = 1;
    run.error = "tab\there\nback\\slash \x01 é";
    char line[2048];
    size_t n = local_jobs_format_line(line, sizeof line, "j\"ob", &run);
    assert_true(n > 0);
    assert_int_equal(line[n - 1], '\n');
    assert_null(memchr(line, '\n', n - 1)); /* one line */
    local_jobs_log log;
    local_jobs_parse(line, n, &log);
    assert_int_equal(log.n, 1);
    assert_string_equal(log.entries[0].job, "j\"ob");
    assert_string_equal(log.entries[0].run.id, run.id);
    assert_string_equal(log.entries[0].run.error, run.error);
    assert_int_equal(log.entries[0].run.ended_at, run.ended_at);
    local_jobs_log_free(&log);
    /* a RUNNING line: nulls */
    run.state = "RUNNING";
    run.ended_at = -1;
    run.exit_status = -1;
    run.error = NULL;
    n = local_jobs_format_line(line, sizeof line, "a", &run);
    assert_non_null(strstr(line, "\"ended_at\": null, \"exit_status\": null, \"error\": null}"));
    /* too small a buffer: nothing */
    assert_int_equal(local_jobs_format_line(line, 20, "a", &run), 0);
}

static void test_stderr_tail(void **state) {
    (void)state;
    char out[LOCAL_JOBS_TAIL_BYTES + 1];
    const char *seven = "one\ntwo\nthree\nfour\nfive\nsix\nseven\n\n\n";
    local_jobs_stderr_tail(seven, strlen(seven), out, sizeof out);
    assert_string_equal(out, "three\nfour\nfive\nsix\nseven");
    local_jobs_stderr_tail("boom\n", 5, out, sizeof out);
    assert_string_equal(out, "boom");
    local_jobs_stderr_tail("", 0, out, sizeof out);
    assert_string_equal(out, "");
    /* one long line of two-byte characters: 1000 bytes at most, whole ones */
    char *long_line = xmalloc(3001);
    for (int i = 0; i < 1500; i++)
        memcpy(long_line + 2 * i, "\xc3\xa9", 2); /* é */
    long_line[3000] = '\0';
    size_t n = local_jobs_stderr_tail(long_line, 3000, out, sizeof out);
    assert_int_equal(n, 1000);
    assert_int_equal((unsigned char)out[0], 0xc3);
    free(long_line);
    /* the start of a character cut off: the tail starts at the next one */
    char odd[1001];
    odd[0] = 'x';
    for (int i = 0; i < 500; i++)
        memcpy(odd + 1 + 2 * i, "\xc3\xa9", 2);
    n = local_jobs_stderr_tail(odd, 1001, out, sizeof out);
    assert_int_equal(n, 1000);
    assert_string_equal(out + 998, "\xc3\xa9");
    n = local_jobs_stderr_tail(odd, 1000, out, sizeof out); /* ends in half a character */
    assert_int_equal(out[n - 1], '?');
    /* bytes that are not UTF-8 */
    local_jobs_stderr_tail("a\xff"
                           "b\xc3",
                           4, out, sizeof out);
    assert_string_equal(out, "a?b?");
    /* a terminal's escapes and carriage returns */
    const char *colour = "\x1b[31merror\x1b[0m\tat 50%\r100%\r\n";
    local_jobs_stderr_tail(colour, strlen(colour), out, sizeof out);
    assert_string_equal(out, "?[31merror?[0m\tat 50%100%");
}

static void test_id_pid(void **state) {
    (void)state;
    assert_int_equal(local_jobs_id_pid("compact_orders-1764583200-4242"), 4242);
    assert_int_equal(local_jobs_id_pid("a-b-c-1-77"), 77);
    assert_int_equal(local_jobs_id_pid("nodash"), -1);
    assert_int_equal(local_jobs_id_pid("a-1-"), -1);
    assert_int_equal(local_jobs_id_pid("a-1-12x"), -1);
    assert_int_equal(local_jobs_id_pid(NULL), -1);
}

/* A run to its end through the source, as `laketop job` follows it. */
static pipeline_run run_job(lake_source *src, const char *name, char *const *args, size_t n) {
    char *id = NULL, *error = NULL;
    if (!src->pipeline->start_job(src, name, args, n, true, &id, &error))
        fail_msg("%s", error);
    pipeline_run run = {0};
    pipeline_run_clear(&run);
    for (int i = 0; i < 3000; i++) {
        pipeline_run_clear(&run);
        if (!src->pipeline->get_job_run(src, name, id, &run, &error))
            fail_msg("%s", error);
        if (pipeline_outcome_ended(pipeline_state_outcome(run.state)))
            break;
        usleep(10000);
    }
    assert_string_equal(run.id, id);
    free(id);
    return run;
}

static void test_local_runs(void **state) {
    (void)state;
    char tmp[256];
    unit_tmp_template(tmp, sizeof tmp, "local-jobs");
    assert_non_null(mkdtemp(tmp));
    char *catalog = xasprintf("%s/catalog", tmp);
    char *error = NULL;
    assert_true(fs_mkdirs(catalog, &error));
    lake_source *src = local_source_new(tmp);
    local_source_add_job(src, "ok",
                         "printf '%s/%s' \"$LAKETOP_ARG_day\" \"$LAKETOP_ARG_run_id_v\" > day.txt",
                         "writes the day");
    local_source_add_job(src, "bad", "echo one >&2; echo two >&2; exit 3", NULL);
    char *args[] = {"day=2026-12-01", "run-id.v=a=b"};
    pipeline_run run = run_job(src, "ok", args, 2);
    assert_string_equal(run.state, "SUCCEEDED");
    assert_int_equal(run.exit_status, 0);
    assert_null(run.error);
    pipeline_run_clear(&run);
    char *day_path = xasprintf("%s/day.txt", tmp);
    size_t length;
    char *day = fs_read_file(day_path, &length, &error);
    assert_non_null(day);
    assert_string_equal(day, "2026-12-01/a=b"); /* run-id.v: $LAKETOP_ARG_run_id_v */
    run = run_job(src, "bad", NULL, 0);
    assert_string_equal(run.state, "FAILED");
    assert_int_equal(run.exit_status, 3);
    assert_string_equal(run.error, "one\ntwo");
    pipeline_run_clear(&run);
    /* no such job: the service's word for it */
    char *id = NULL;
    assert_false(src->pipeline->start_job(src, "nope", NULL, 0, true, &id, &error));
    assert_non_null(strstr(error, "EntityNotFoundException"));
    free(error);
    error = NULL;
    /* the refresh lists both, with their runs, the command as description */
    lake_snapshot *s = snapshot_new("t");
    assert_true(src->refresh(src, s, NULL, &error));
    assert_int_equal(s->n_jobs, 2);
    snapshot_sort_pipeline(s);
    const pipeline_job *bad = snapshot_find_job(s, PIPELINE_LOCAL, "bad");
    assert_non_null(bad);
    assert_int_equal(bad->n_runs, 1);
    assert_true(pipeline_job_failed(bad));
    assert_int_equal(bad->failures_7d, 1);
    assert_string_equal(bad->description, "echo one >&2; echo two >&2; exit 3");
    const pipeline_job *ok = snapshot_find_job(s, PIPELINE_LOCAL, "ok");
    assert_string_equal(ok->description, "writes the day");
    assert_string_equal(ok->runs[0].state, "SUCCEEDED");
    assert_null(s->pipeline_error);
    snapshot_release(s);
    lake_source_free(src);
    free(day);
    free(day_path);
    free(catalog);
    fs_remove_tree(tmp);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_last_line_wins),  cmocka_unit_test(test_broken_lines),
        cmocka_unit_test(test_line_round_trip), cmocka_unit_test(test_stderr_tail),
        cmocka_unit_test(test_id_pid),          cmocka_unit_test(test_local_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
