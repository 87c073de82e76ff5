/* test_writers.c: which job or state machine writes a table (the table's
 * section wins over its database's, a later line of a section replaces
 * it), the late line of a late or stale table whose writer failed, waits
 * or runs, and an error cut to one line with an ellipsis. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/figures/writers.h"
#include "common/xalloc.h"

static void test_lookup(void **state) {
    (void)state;
    writer_rules w = {0};
    writer_rules_set(&w, "sales", NULL, PIPELINE_LOCAL, "load_sales");
    writer_rules_set(&w, "sales", "orders", PIPELINE_LOCAL, "compact_orders");
    writer_rules_set(&w, "web", "clicks", PIPELINE_STATES, "clicks_flow");
    writer_rules_set(&w, "web", "clicks", PIPELINE_STATES, "clicks_flow_v2"); /* replaces */
    assert_int_equal(w.n, 3);
    assert_string_equal(writer_rules_lookup(&w, "sales", "orders")->name, "compact_orders");
    assert_string_equal(writer_rules_lookup(&w, "sales", "customers")->name, "load_sales");
    assert_string_equal(writer_rules_lookup(&w, "web", "clicks")->name, "clicks_flow_v2");
    assert_int_equal(writer_rules_lookup(&w, "web", "clicks")->kind, PIPELINE_STATES);
    assert_null(writer_rules_lookup(&w, "web", "events"));
    assert_null(writer_rules_lookup(&w, "census", "people"));
    assert_null(writer_rules_lookup(NULL, "sales", "orders"));

    table_stats t;
    memset(&t, 0, sizeof t);
    t.database = xstrdup("sales");
    t.name = xstrdup("orders");
    writers_apply(&w, &t);
    assert_string_equal(t.writer, "compact_orders");
    assert_int_equal(t.writer_kind, PIPELINE_LOCAL);
    assert_string_equal(writers_kind_name(t.writer_kind), "job");
    free(t.name);
    t.name = xstrdup("gone");
    writers_apply(&w, &t); /* the database's rule */
    assert_string_equal(t.writer, "load_sales");
    writers_apply(NULL, &t);
    assert_null(t.writer);
    free(t.database);
    t.database = xstrdup("web");
    free(t.name);
    t.name = xstrdup("clicks");
    writers_apply(&w, &t);
    assert_int_equal(t.writer_kind, PIPELINE_STATES);
    assert_string_equal(writers_kind_name(t.writer_kind), "state_machine");
    free(t.database);
    free(t.name);
    free(t.writer);
    writer_rules_free(&w);
    assert_int_equal(w.n, 0);
}

static void test_one_line(void **state) {
    (void)state;
    char out[WRITERS_MESSAGE_MAX + 1];
    assert_string_equal(writers_one_line("Traceback:\n  boom\n\tKeyError: 'x'\n", out, sizeof out),
                        "Traceback: boom KeyError: 'x'");
    assert_string_equal(writers_one_line(NULL, out, sizeof out), "");
    char longer[300];
    memset(longer, 'a', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    writers_one_line(longer, out, sizeof out);
    /* 117 letters and the 3 bytes of the ellipsis */
    assert_int_equal(strlen(out), WRITERS_MESSAGE_MAX);
    assert_memory_equal(out + WRITERS_MESSAGE_MAX - 3, "\xe2\x80\xa6", 3);
    /* a character of two bytes is never cut in half */
    char accents[300] = "";
    for (int i = 0; i < 100; i++)
        strcat(accents, "\xc3\xa9");
    writers_one_line(accents, out, sizeof out);
    size_t n = strlen(out);
    assert_memory_equal(out + n - 3, "\xe2\x80\xa6", 3);
    assert_int_equal((n - 3) % 2, 0);
    char small[8];
    writers_one_line("abcdefghijkl", small, sizeof small); /* 7 bytes: 4 letters + ... */
    assert_string_equal(small, "abcd\xe2\x80\xa6");
}

static pipeline_job job_with(const char *state, int64_t started, int64_t ended, const char *error) {
    pipeline_job job;
    memset(&job, 0, sizeof job);
    pipeline_job_clear(&job);
    job.name = xstrdup("compact_orders");
    job.runs = xcalloc(1, sizeof *job.runs); /* zeroed: clear frees nothing */
    pipeline_run_clear(&job.runs[0]);
    job.runs[0].id = xstrdup("r1");
    job.runs[0].state = xstrdup(state);
    job.runs[0].started_at = started;
    job.runs[0].ended_at = ended;
    job.runs[0].error = error ? xstrdup(error) : NULL;
    job.n_runs = 1;
    return job;
}

static void job_free(pipeline_job *job) {
    pipeline_job_clear(job);
}

static void test_late_text(void **state) {
    (void)state;
    const int64_t now = 1764600000;
    table_stats t;
    memset(&t, 0, sizeof t);
    t.database = "sales";
    t.name = "orders";
    t.writer = "compact_orders";
    t.late = true;
    t.stale = STALE_FRESH;
    /* ended 5 hours before now */
    pipeline_job failed =
        job_with("FAILED", now - 5 * 3600 - 42, now - 5 * 3600, "KeyError: 'x'\n");
    char out[400];
    assert_true(writers_late_text(&t, &failed, now, true, out, sizeof out));
    assert_string_equal(out, "late: writer compact_orders FAILED 5h ago: KeyError: 'x'");
    assert_true(writers_late_text(&t, &failed, now, false, out, sizeof out));
    assert_string_equal(out, "writer compact_orders FAILED 5h ago: KeyError: 'x'");
    t.stale = STALE_CRIT;
    assert_true(writers_late_text(&t, &failed, now, true, out, sizeof out));
    assert_string_equal(out, "stale: writer compact_orders FAILED 5h ago: KeyError: 'x'");
    /* neither late nor stale: nothing to say */
    t.late = false;
    t.stale = STALE_FRESH;
    assert_false(writers_late_text(&t, &failed, now, true, out, sizeof out));
    assert_string_equal(out, "");
    t.stale = STALE_WARN;
    assert_true(writers_late_text(&t, &failed, now, true, out, sizeof out));
    /* no writer named, or not in the snapshot */
    assert_false(writers_late_text(&t, NULL, now, true, out, sizeof out));
    t.writer = NULL;
    assert_false(writers_late_text(&t, &failed, now, true, out, sizeof out));
    t.writer = "compact_orders";
    job_free(&failed);

    /* a Glue TIMEOUT without a message */
    pipeline_job timeout = job_with("TIMEOUT", now - 3 * 86400, now - 2 * 86400, NULL);
    assert_true(writers_late_text(&t, &timeout, now, true, out, sizeof out));
    assert_string_equal(out, "stale: writer compact_orders TIMEOUT 2d ago");
    assert_true(writers_describe(&t, &timeout, now, out, sizeof out));
    assert_string_equal(out, "job compact_orders: TIMEOUT 2d ago");
    t.writer_kind = PIPELINE_STATES;
    assert_false(writers_describe(&t, NULL, now, out, sizeof out));
    assert_string_equal(out, "state machine compact_orders: not among the lake's state machines");
    t.writer_kind = PIPELINE_LOCAL;
    job_free(&timeout);

    /* still running; waiting long */
    pipeline_job running = job_with("RUNNING", now - 3 * 3600, -1, NULL);
    assert_true(writers_late_text(&t, &running, now, true, out, sizeof out));
    assert_string_equal(out, "stale: writer compact_orders RUNNING for 3h");
    assert_false(writers_job_problem(&running, now, false, out, sizeof out));
    job_free(&running);
    pipeline_job waiting = job_with("WAITING", now - 25 * 60, -1, NULL);
    assert_true(writers_job_problem(&waiting, now, false, out, sizeof out));
    assert_string_equal(out, "WAITING for 25m");
    job_free(&waiting);

    /* succeeded: the writer is fine, the usual line stands */
    pipeline_job ok = job_with("SUCCEEDED", now - 3600, now - 3500, NULL);
    assert_false(writers_late_text(&t, &ok, now, true, out, sizeof out));
    assert_false(writers_describe(&t, &ok, now, out, sizeof out));
    assert_string_equal(out, "job compact_orders: SUCCEEDED 58m ago"); /* 3500 s */
    job_free(&ok);
    /* never ran */
    pipeline_job never;
    memset(&never, 0, sizeof never);
    pipeline_job_clear(&never);
    assert_false(writers_job_problem(&never, now, true, out, sizeof out));
    never.name = "compact_orders";
    assert_false(writers_describe(&t, &never, now, out, sizeof out));
    assert_string_equal(out, "job compact_orders: never ran");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_one_line),
        cmocka_unit_test(test_late_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
