/* test_check.c: laketop check's verdict for each state (OK, WARNING,
 * CRITICAL, UNKNOWN), its text, and Prometheus output with escaped labels
 * and no sample for unknown figures, names holding terminal controls
 * escaped in both. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/check.h"
#include "collector/derive.h"
#include "collector/figures/insights.h"
#include "collector/figures/pipeline.h"
#include "common/xalloc.h"

#define NOW 1763683200

/* three tables with data 1 h, `age2` and 1 h old; warn 1 d, crit 2 d */
static lake_snapshot *make(int64_t age2) {
    lake_snapshot *s = snapshot_new("local:/lake");
    s->insights = insights_default_settings();
    s->generated_at = NOW;
    s->n_databases = 1;
    s->databases = xcalloc(1, sizeof *s->databases);
    s->databases[0].name = xstrdup("sales");
    s->n_tables = 3;
    s->tables = xcalloc(3, sizeof *s->tables);
    static const char *const names[] = {"a", "b\"q", "c"};
    for (size_t i = 0; i < 3; i++) {
        table_stats *t = &s->tables[i];
        t->database = xstrdup("sales");
        t->name = xstrdup(names[i]);
        t->location = xstrdup("storing/x/");
        t->format = xstrdup("parquet");
        t->table_type = xstrdup("");
        t->create_time = t->update_time = -1;
        t->objects = 3;
        t->bytes = 300 + (int64_t)i;
        t->newest_object = NOW - (i == 1 ? age2 : 3600);
        t->stale_warn_seconds = 86400;
        t->stale_crit_seconds = 2 * 86400;
    }
    derive_snapshot(s);
    return s;
}

static char *text_of(const lake_snapshot *s, check_status st, bool prometheus) {
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_true(prometheus ? check_write_prometheus(fp, s, st) : check_write_text(fp, s, st));
    fclose(fp);
    return buf;
}

static void test_states(void **state) {
    (void)state;
    lake_snapshot *s = make(3600);
    assert_int_equal(check_evaluate(s), CHECK_OK);
    char *t = text_of(s, CHECK_OK, false);
    assert_non_null(
        strstr(t, "LAKETOP OK - 0 of 3 tables past critical staleness, 0 past warning"));
    free(t);
    snapshot_release(s);

    s = make(86400 + 60);
    assert_int_equal(check_evaluate(s), CHECK_WARNING);
    t = text_of(s, CHECK_WARNING, false);
    assert_non_null(strstr(t, "LAKETOP WARNING - 0 of 3 tables past critical staleness, 1 past"));
    assert_non_null(strstr(t, "\nWARNING sales.b\"q: no new data for 1d"));
    free(t);
    snapshot_release(s);

    s = make(3 * 86400);
    assert_int_equal(check_evaluate(s), CHECK_CRITICAL);
    t = text_of(s, CHECK_CRITICAL, false);
    assert_non_null(strstr(t, "LAKETOP CRITICAL - 1 of 3 tables past critical staleness"));
    assert_non_null(strstr(t, "\nCRITICAL sales.b\"q: no new data for 3d (critical at 2d)"));
    free(t);
    snapshot_release(s);

    assert_int_equal(check_evaluate(NULL), CHECK_UNKNOWN);
    s = make(3600);
    s->error = xstrdup("Glue GetCrawlers: AccessDeniedException");
    assert_int_equal(check_evaluate(s), CHECK_WARNING); /* a part failed: the figures stand */
    t = text_of(s, CHECK_WARNING, false);
    assert_non_null(strstr(t, "\nWARNING local:/lake: Glue GetCrawlers: AccessDeniedException\n"));
    free(t);
    snapshot_release(s);
}

static void test_unreadable_warns(void **state) {
    (void)state;
    lake_snapshot *s = make(3600);
    s->tables[2].error = xstrdup("permission denied");
    assert_int_equal(check_evaluate(s), CHECK_WARNING);
    char *t = text_of(s, CHECK_WARNING, false);
    assert_non_null(strstr(t, "1 table and 0 databases unreadable"));
    assert_non_null(strstr(t, "\nWARNING sales.c: permission denied\n"));
    free(t);
    snapshot_release(s);
}

static void test_prometheus(void **state) {
    (void)state;
    lake_snapshot *s = make(3600);
    for (size_t i = 0; i < s->n_tables; i++)
        s->tables[i].queries_30d = -1;
    s->tables[0].bytes = -1; /* unknown: no sample */
    char *t = text_of(s, CHECK_OK, true);
    assert_non_null(strstr(t, "\nlaketop_check_status 0\n"));
    assert_non_null(strstr(t, "# TYPE laketop_table_bytes gauge\n"));
    assert_null(strstr(t, "laketop_table_bytes{database=\"sales\",table=\"a\"}"));
    assert_non_null(strstr(t, "laketop_table_bytes{database=\"sales\",table=\"b\\\"q\"} 301\n"));
    assert_non_null(
        strstr(t, "laketop_table_staleness_seconds{database=\"sales\",table=\"c\"} 3600\n"));
    /* no query history: no queries sample */
    assert_null(strstr(t, "laketop_table_queries_30d{"));
    free(t);
    snapshot_release(s);
}

/* A job (or state machine) whose runs are the states given, newest
 * first, each started an hour before the next newer one and 60 s long. */
static void add_job(pipeline_job *j, const char *name, bool critical, const char *const *states,
                    size_t n) {
    pipeline_job_clear(j);
    j->name = xstrdup(name);
    j->critical = critical;
    j->runs = xcalloc(n, sizeof *j->runs);
    for (size_t i = 0; i < n; i++) {
        pipeline_run *r = &j->runs[j->n_runs++];
        pipeline_run_clear(r);
        r->id = xasprintf("%s-%zu", name, i);
        r->state = xstrdup(states[i]);
        r->started_at = NOW - 3600 * (int64_t)(i + 1);
        bool running = strcmp(states[i], "RUNNING") == 0 || strcmp(states[i], "WAITING") == 0;
        r->ended_at = running ? -1 : r->started_at + 60;
        if (strcmp(states[i], "FAILED") == 0) {
            r->exit_status = 2;
            r->error = xstrdup("no _SUCCESS marker");
        }
    }
    pipeline_keep_runs(j, NOW);
}

static void test_jobs(void **state) {
    (void)state;
    lake_snapshot *s = make(3600);
    static const char *const ok[] = {"SUCCEEDED", "FAILED"};
    static const char *const failed[] = {"FAILED", "SUCCEEDED", "FAILED"};
    s->jobs = xcalloc(2, sizeof *s->jobs);
    add_job(&s->jobs[s->n_jobs++], "load", false, failed, 3);
    add_job(&s->jobs[s->n_jobs++], "tidy", false, ok, 2);
    /* a failed newest run: WARNING, named with its state, age and message */
    assert_int_equal(check_evaluate(s), CHECK_WARNING);
    char *t = text_of(s, CHECK_WARNING, false);
    assert_non_null(strstr(t, ", 1 of 2 jobs failed ("));
    assert_non_null(strstr(
        t, "\nWARNING job load: newest run FAILED 59m ago (exit status 2): no _SUCCESS marker\n"));
    assert_null(strstr(t, "job tidy"));
    free(t);
    /* severity = critical: CRITICAL */
    s->jobs[0].critical = true;
    assert_int_equal(check_evaluate(s), CHECK_CRITICAL);
    t = text_of(s, CHECK_CRITICAL, false);
    assert_non_null(strstr(t, "\nCRITICAL job load: newest run FAILED"));
    free(t);
    /* metrics: the newest run that ended, its seconds, the week's failures */
    t = text_of(s, CHECK_CRITICAL, true);
    assert_non_null(strstr(t, "# TYPE laketop_job_last_run_succeeded gauge\n"));
    assert_non_null(strstr(t, "\nlaketop_job_last_run_succeeded{job=\"load\"} 0\n"));
    assert_non_null(strstr(t, "\nlaketop_job_last_run_succeeded{job=\"tidy\"} 1\n"));
    assert_non_null(strstr(t, "\nlaketop_job_last_run_seconds{job=\"load\"} 60\n"));
    assert_non_null(strstr(t, "\nlaketop_job_failures_7d{job=\"load\"} 2\n"));
    assert_non_null(strstr(t, "\nlaketop_job_failures_7d{job=\"tidy\"} 1\n"));
    assert_non_null(strstr(t, "# HELP laketop_state_machine_failures_7d "));
    free(t);
    snapshot_release(s);

    /* a state machine: its own words and metrics; a run waiting 2 h */
    s = make(3600);
    static const char *const waiting[] = {"WAITING", "FAILED"};
    static const char *const aborted[] = {"FAILED"};
    s->state_machines = xcalloc(2, sizeof *s->state_machines);
    add_job(&s->state_machines[s->n_state_machines++], "etl", false, aborted, 1);
    add_job(&s->state_machines[s->n_state_machines++], "slow", false, waiting, 2);
    assert_int_equal(check_evaluate(s), CHECK_WARNING);
    t = text_of(s, CHECK_WARNING, false);
    assert_non_null(strstr(t, ", 1 of 2 state machines failed ("));
    assert_non_null(strstr(t, "\nWARNING state machine etl: newest run FAILED"));
    assert_non_null(strstr(t, "\nWARNING state machine slow: run slow-0 WAITING for 1h"));
    free(t);
    t = text_of(s, CHECK_WARNING, true);
    assert_non_null(
        strstr(t, "\nlaketop_state_machine_last_run_succeeded{state_machine=\"etl\"} 0\n"));
    /* the waiting one: its newest ended run (the failure before) */
    assert_non_null(
        strstr(t, "\nlaketop_state_machine_last_run_succeeded{state_machine=\"slow\"} 0\n"));
    assert_null(strstr(t, "laketop_job_last_run_succeeded{"));
    free(t);
    snapshot_release(s);

    /* the run log could not be read: a warning, named */
    s = make(3600);
    s->pipeline_error = xstrdup("jobs.jsonl: 2 lines are not a run, skipped");
    assert_int_equal(check_evaluate(s), CHECK_WARNING);
    t = text_of(s, CHECK_WARNING, false);
    assert_non_null(strstr(t, "\nWARNING local:/lake: jobs.jsonl: 2 lines are not a run"));
    free(t);
    snapshot_release(s);
}

/* an OSC 52, a BEL, a newline and a bidi override in names and messages */
#define HOSTILE_NAME "x\x1b]52;c;SGVsbG8=\x07\nCRITICAL fake.line\xe2\x80\xaegnp"

static void assert_no_raw_controls(const char *t) {
    assert_null(strchr(t, '\x1b'));
    assert_null(strchr(t, '\x07'));
    assert_null(strstr(t, "\xe2\x80\xae"));
    assert_null(strstr(t, "\nCRITICAL fake"));
}

static void test_text_escapes_names(void **state) {
    (void)state;
    lake_snapshot *s = make(3 * 86400);
    free(s->tables[1].name);
    s->tables[1].name = xstrdup(HOSTILE_NAME);
    s->tables[2].error = xstrdup("denied\n\x1b[2J");
    free(s->databases[0].name);
    s->databases[0].name = xstrdup("sa\x9bles"); /* invalid UTF-8: an 8-bit CSI */
    s->databases[0].error = xstrdup("gone\x1b]0;t\x07");
    char *t = text_of(s, CHECK_CRITICAL, false);
    assert_no_raw_controls(t);
    assert_null(strstr(t, "\x9b"));
    assert_non_null(strstr(t, "\nCRITICAL sales.x\\x1b]52;c;SGVsbG8=\\x07\\nCRITICAL "
                              "fake.line\\u202egnp: no new data for 3d (critical at 2d)\n"));
    assert_non_null(strstr(t, "\nWARNING sales.c: denied\\n\\x1b[2J\n"));
    assert_non_null(strstr(t, "\nWARNING sa\\x9bles: gone\\x1b]0;t\\x07\n"));
    /* the summary, one critical table, one unreadable, one database: 4 lines */
    size_t lines = 0;
    for (const char *p = t; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 4);
    free(t);

    t = text_of(s, CHECK_CRITICAL, true);
    assert_no_raw_controls(t);
    assert_non_null(strstr(t, "laketop_table_bytes{database=\"sales\",table=\"x\\\\x1b]52;"
                              "c;SGVsbG8=\\\\x07\\nCRITICAL fake.line\\\\u202egnp\"} 301\n"));
    free(t);
    snapshot_release(s);
}

/* the summary line names the account, or says it is unknown */
static void test_summary_names_account(void **state) {
    (void)state;
    lake_snapshot *s = make(3600);
    s->identity = xcalloc(1, sizeof *s->identity);
    s->identity->account = xstrdup("123456789012");
    s->identity->name = xstrdup("ops-readonly");
    s->identity->profile = xstrdup("ops");
    char *t = text_of(s, CHECK_OK, false);
    assert_non_null(strstr(t, "(local:/lake, account 123456789012 ops-readonly)\n"));
    free(t);
    free(s->identity->account);
    s->identity->account = NULL;
    t = text_of(s, CHECK_OK, false);
    assert_non_null(strstr(t, "(local:/lake, identity unknown)\n"));
    free(t);
    snapshot_release(s);
}

/* each line says which rule judged the table, as the Overview does */
static void test_rule_in_line(void **state) {
    (void)state;
    lake_snapshot *s = make(3 * 86400);
    s->tables[1].stale_rule = STALE_RULE_TABLE; /* its own [table] section */
    char *t = text_of(s, CHECK_CRITICAL, false);
    assert_non_null(strstr(t,
                           "\nCRITICAL sales.b\"q: no new data for 3d (critical at 2d, from [table "
                           "sales.b\"q])\n"));
    free(t);
    s->tables[1].stale_rule = STALE_RULE_GLOBAL;
    s->tables[1].usual_interval_seconds = 86400;
    t = text_of(s, CHECK_CRITICAL, false);
    assert_non_null(strstr(t, "no new data for 3d (critical at 2d; usually every 1d)\n"));
    free(t);
    snapshot_release(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_states),
        cmocka_unit_test(test_summary_names_account),
        cmocka_unit_test(test_unreadable_warns),
        cmocka_unit_test(test_prometheus),
        cmocka_unit_test(test_text_escapes_names),
        cmocka_unit_test(test_rule_in_line),
        cmocka_unit_test(test_jobs),
    };
    return cmocka_run_group_tests_name("check", tests, NULL, NULL);
}
