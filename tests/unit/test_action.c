/* test_action.c: what every action shares: the exit status of each outcome,
 * progress and notes through a report (recorded, or none at all), a job's
 * report, where an action's source comes from (borrowed, made, failing to
 * be made, no way to have one) and when it is freed, the S3 source for a
 * destination, and which destinations are well-formed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions/action.h"
#include "common/xalloc.h"

/* ---- action_exit_status ------------------------------------------------------- */

static void test_exit_status(void **state) {
    (void)state;
    assert_int_equal(action_exit_status(ACTION_RESULT_DONE), 0);
    assert_int_equal(action_exit_status(ACTION_RESULT_FAILED), 1);
    assert_int_equal(action_exit_status(ACTION_RESULT_ERROR), 1);
    assert_int_equal(action_exit_status(ACTION_RESULT_REFUSED), 2);
}

/* ---- action_progress, action_note --------------------------------------------- */

typedef struct recorder {
    int progress_calls;
    int note_calls;
    double fraction;
    char text[2048];
    char note[2048];
    void *ctx_seen;
} recorder;

static void record_progress(void *ctx, double fraction, const char *text) {
    recorder *r = ctx;
    r->progress_calls++;
    r->fraction = fraction;
    r->ctx_seen = ctx;
    snprintf(r->text, sizeof r->text, "%s", text);
}

static void record_note(void *ctx, const char *line) {
    recorder *r = ctx;
    r->note_calls++;
    r->ctx_seen = ctx;
    snprintf(r->note, sizeof r->note, "%s", line);
}

static void test_report(void **state) {
    (void)state;
    recorder rec = {0};
    action_report report = {.progress = record_progress, .note = record_note, .ctx = &rec};

    action_progress(&report, 0.25, "copying %d of %d (%s)", 1, 4, "a.csv");
    assert_int_equal(rec.progress_calls, 1);
    assert_int_equal(rec.note_calls, 0);
    assert_true(rec.fraction == 0.25);
    assert_string_equal(rec.text, "copying 1 of 4 (a.csv)");
    assert_ptr_equal(rec.ctx_seen, &rec);

    action_progress(&report, -1, "%s", "comparing"); /* unknown fraction */
    assert_int_equal(rec.progress_calls, 2);
    assert_true(rec.fraction == -1);
    assert_string_equal(rec.text, "comparing");

    action_note(&report, "plan: %zu objects, %s", (size_t)3, "2.0 KiB");
    assert_int_equal(rec.note_calls, 1);
    assert_int_equal(rec.progress_calls, 2);
    assert_string_equal(rec.note, "plan: 3 objects, 2.0 KiB");

    /* a '%' in an argument is text, not a format */
    action_note(&report, "%s", "100% done");
    assert_string_equal(rec.note, "100% done");

    /* a long line is cut, not overrun */
    char longer[1500];
    memset(longer, 'x', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    action_progress(&report, 0.5, "%s", longer);
    assert_int_equal(rec.progress_calls, 3);
    assert_true(strlen(rec.text) > 0 && strlen(rec.text) < sizeof longer - 1);
    assert_int_equal(strspn(rec.text, "x"), strlen(rec.text));
    action_note(&report, "%s", longer);
    assert_int_equal(rec.note_calls, 3);
    assert_true(strlen(rec.note) > 0 && strlen(rec.note) < sizeof longer - 1);
}

static void test_report_missing(void **state) {
    (void)state;
    /* no report at all */
    action_progress(NULL, 0.5, "%s", "nobody listens");
    action_note(NULL, "%s", "nobody listens");

    /* only notes: progress goes nowhere, notes arrive */
    recorder rec = {0};
    action_report notes_only = {.note = record_note, .ctx = &rec};
    action_progress(&notes_only, 0.5, "%s", "lost");
    action_note(&notes_only, "%s", "kept");
    assert_int_equal(rec.progress_calls, 0);
    assert_int_equal(rec.note_calls, 1);
    assert_string_equal(rec.note, "kept");

    /* only progress */
    recorder rec2 = {0};
    action_report progress_only = {.progress = record_progress, .ctx = &rec2};
    action_note(&progress_only, "%s", "lost");
    action_progress(&progress_only, 1, "%s", "kept");
    assert_int_equal(rec2.note_calls, 0);
    assert_int_equal(rec2.progress_calls, 1);
    assert_string_equal(rec2.text, "kept");

    /* neither function */
    action_report none = {.ctx = &rec};
    action_progress(&none, 0, "%s", "x");
    action_note(&none, "%s", "x");
    assert_int_equal(rec.progress_calls, 0);
    assert_int_equal(rec.note_calls, 1);
}

/* ---- action_report_job -------------------------------------------------------------- */

typedef struct job_test {
    sem_t reported;
    sem_t looked;
} job_test;

/* Reports, lets the test look at the job, then reports a note and ends. */
static bool reporting_job(void *ctx, job_progress *progress, char **result) {
    job_test *t = ctx;
    action_report report = action_report_job(progress);
    action_progress(&report, 0.5, "copying %d of %d", 2, 4);
    sem_post(&t->reported);
    sem_wait(&t->looked);
    action_note(&report, "%s", "verified");
    sem_post(&t->reported);
    sem_wait(&t->looked);
    *result = xstrdup("all done");
    return true;
}

static void test_report_job(void **state) {
    (void)state;
    job_test t;
    assert_int_equal(sem_init(&t.reported, 0, 0), 0);
    assert_int_equal(sem_init(&t.looked, 0, 0), 0);
    jobs *j = jobs_new(-1);
    jobs_start(j, "sync", "rule", false, reporting_job, &t, NULL);

    sem_wait(&t.reported);
    job_status *list;
    size_t n = jobs_snapshot(j, &list);
    assert_int_equal(n, 1);
    assert_true(list[0].progress == 0.5);
    assert_string_equal(list[0].message, "copying 2 of 4");
    jobs_status_free(list, n);
    sem_post(&t.looked);

    sem_wait(&t.reported);
    n = jobs_snapshot(j, &list);
    assert_string_equal(list[0].message, "verified");
    jobs_status_free(list, n);
    sem_post(&t.looked);

    jobs_free(j);
    sem_destroy(&t.reported);
    sem_destroy(&t.looked);
}

/* ---- action_source_open, action_source_close ------------------------------------------ */

typedef struct fake_source {
    lake_source source;
    int *freed; /* counts frees */
} fake_source;

static void fake_free(lake_source *self) {
    fake_source *f = (fake_source *)self;
    (*f->freed)++;
    free(f);
}

/* For a borrowed source on the stack: counts, frees nothing. */
static void fake_free_borrowed(lake_source *self) {
    (*((fake_source *)self)->freed)++;
}

typedef struct maker {
    int calls;
    int freed;
    bool fail;
    bool with_objects;
} maker;

static const source_object_store no_store; /* a store with nothing in it: it is there */

static lake_source *fake_make(void *ctx, char **error) {
    maker *m = ctx;
    m->calls++;
    if (m->fail) {
        *error = xstrdup("cannot read the AWS profile");
        return NULL;
    }
    fake_source *f = xcalloc(1, sizeof *f);
    f->source.name = "made";
    f->source.free = fake_free;
    f->source.objects = m->with_objects ? &no_store : NULL;
    f->freed = &m->freed;
    return &f->source;
}

static void test_source_borrowed(void **state) {
    (void)state;
    int freed = 0;
    fake_source own = {.source = {.name = "own", .free = fake_free_borrowed}, .freed = &freed};
    maker m = {0};
    action_source s = {.borrowed = &own.source, .make = fake_make, .make_ctx = &m};
    char *error = NULL;
    lake_source *opened = action_source_open(&s, &error);
    assert_ptr_equal(opened, &own.source); /* used as is */
    assert_int_equal(m.calls, 0);          /* nothing made */
    assert_null(error);
    action_source_close(&s, opened);
    assert_int_equal(freed, 0); /* not ours to free */
    assert_int_equal(m.freed, 0);
}

static void test_source_made(void **state) {
    (void)state;
    maker m = {0};
    action_source s = {.make = fake_make, .make_ctx = &m};
    char *error = NULL;
    lake_source *opened = action_source_open(&s, &error);
    assert_non_null(opened);
    assert_string_equal(opened->name, "made");
    assert_int_equal(m.calls, 1);
    assert_null(error);
    assert_int_equal(m.freed, 0);
    action_source_close(&s, opened);
    assert_int_equal(m.freed, 1); /* made for the action: freed */

    /* each open makes its own */
    lake_source *a = action_source_open(&s, &error);
    lake_source *b = action_source_open(&s, &error);
    assert_int_equal(m.calls, 3);
    assert_ptr_not_equal(a, b);
    action_source_close(&s, a);
    action_source_close(&s, b);
    assert_int_equal(m.freed, 3);

    action_source_close(&s, NULL); /* nothing opened: nothing freed */
    assert_int_equal(m.freed, 3);
}

static void test_source_failing(void **state) {
    (void)state;
    maker m = {.fail = true};
    action_source s = {.make = fake_make, .make_ctx = &m};
    char *error = NULL;
    assert_null(action_source_open(&s, &error));
    assert_int_equal(m.calls, 1);
    assert_non_null(error);
    assert_string_equal(error, "cannot read the AWS profile");
    free(error);

    /* no way to have one: NULL, the error untouched */
    action_source none = {0};
    char *untouched = (char *)"before";
    error = untouched;
    assert_null(action_source_open(&none, &error));
    assert_ptr_equal(error, untouched);
    error = NULL;
    assert_null(action_source_open(&none, &error));
    assert_null(error);
    action_source_close(&none, NULL);
}

/* ---- action_s3_open, action_s3_close ------------------------------------------------------ */

static void test_s3_open(void **state) {
    (void)state;
    int lake_freed = 0;
    /* the lake reaches S3 itself: it is used, nothing made, nothing freed */
    fake_source aws = {.source = {.name = "aws", .free = fake_free_borrowed, .objects = &no_store},
                       .freed = &lake_freed};
    maker m = {.with_objects = true};
    action_source s = {.make = fake_make, .make_ctx = &m};
    char *error = NULL;
    lake_source *s3 = action_s3_open(&s, &aws.source, "s3://b/backups", &error);
    assert_ptr_equal(s3, &aws.source);
    assert_int_equal(m.calls, 0);
    assert_null(error);
    action_s3_close(&s, &aws.source, s3);
    assert_int_equal(lake_freed, 0);

    /* a local lake: one is made for it, and freed */
    fake_source local = {.source = {.name = "local", .free = fake_free_borrowed},
                         .freed = &lake_freed};
    s3 = action_s3_open(&s, &local.source, "s3://b/backups", &error);
    assert_non_null(s3);
    assert_ptr_not_equal(s3, &local.source);
    assert_int_equal(m.calls, 1);
    action_s3_close(&s, &local.source, s3);
    assert_int_equal(m.freed, 1);
    assert_int_equal(lake_freed, 0);

    /* no lake at all */
    s3 = action_s3_open(&s, NULL, "s3://b/backups", &error);
    assert_non_null(s3);
    action_s3_close(&s, NULL, s3);
    assert_int_equal(m.freed, 2);

    /* no way to reach S3: the destination is named */
    action_source none = {0};
    error = NULL;
    assert_null(action_s3_open(&none, &local.source, "s3://b/backups", &error));
    assert_non_null(error);
    assert_string_equal(error, "s3://b/backups: no S3 access (the AWS options are needed)");
    free(error);
    action_s3_close(&none, &local.source, NULL);
    assert_int_equal(lake_freed, 0);

    /* making one fails: its own error, not the generic one */
    maker failing = {.fail = true};
    action_source f = {.make = fake_make, .make_ctx = &failing};
    error = NULL;
    assert_null(action_s3_open(&f, NULL, "s3://b/x", &error));
    assert_string_equal(error, "cannot read the AWS profile");
    free(error);
}

/* ---- action_address_ok ----------------------------------------------------------------- */

static void test_address_ok(void **state) {
    (void)state;
    static const char *good[] = {"/var/backups/laketop", "backups",      "./relative/dir",
                                 "s3://bucket",          "s3://bucket/", "s3://bucket/a/b",
                                 "s3://bucket/a/b/"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        char *error = NULL;
        if (!action_address_ok(good[i], &error))
            fail_msg("%s refused: %s", good[i], error);
        assert_null(error);
    }
    static const char *bad[] = {"s3://", "s3:///p", "s3:///"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *error = NULL;
        assert_false(action_address_ok(bad[i], &error));
        assert_non_null(error);
        if (!strstr(error, bad[i]) || !strstr(error, "not an s3://bucket[/prefix] address"))
            fail_msg("%s: \"%s\"", bad[i], error);
        free(error);
    }
}

/* ---- action_changes: read-only mode's one decision ------------------------------ */

static void expect_changes(action_kind kind, const char *dest, const char *want) {
    char *got = action_changes(kind, dest);
    if (!want) {
        if (got)
            fail_msg("kind %d dest %s: \"%s\", want nothing", (int)kind, dest ? dest : "(none)",
                     got);
    } else {
        assert_non_null(got);
        assert_string_equal(got, want);
    }
    free(got);
}

static void test_changes(void **state) {
    (void)state;
    /* local backups and exports change nothing in the account or the lake */
    expect_changes(ACTION_KIND_BACKUP, "/var/backups/laketop", NULL);
    expect_changes(ACTION_KIND_BACKUP, NULL, NULL);
    expect_changes(ACTION_KIND_EXPORT, "relative/dir", NULL);
    expect_changes(ACTION_KIND_EXPORT, NULL, NULL);
    /* to S3 they put objects */
    expect_changes(ACTION_KIND_BACKUP, "s3://bucket/backups",
                   "a backup to s3://bucket/backups writes to S3");
    expect_changes(ACTION_KIND_EXPORT, "s3://bucket", "an export to s3://bucket writes to S3");
    /* the rest always change something */
    expect_changes(ACTION_KIND_RESTORE, NULL, "a restore would change the catalog");
    expect_changes(ACTION_KIND_CRAWL, NULL, "starting a crawler changes the catalog");
    expect_changes(ACTION_KIND_JOB, NULL, "running a job changes the tables it writes");
    expect_changes(ACTION_KIND_SYNC, "marketing", "a sync writes to zone marketing");
    expect_changes(ACTION_KIND_SYNC, NULL, "a sync writes to its destination zone");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exit_status),     cmocka_unit_test(test_report),
        cmocka_unit_test(test_report_missing),  cmocka_unit_test(test_report_job),
        cmocka_unit_test(test_source_borrowed), cmocka_unit_test(test_source_made),
        cmocka_unit_test(test_source_failing),  cmocka_unit_test(test_s3_open),
        cmocka_unit_test(test_address_ok),      cmocka_unit_test(test_changes),
    };
    return cmocka_run_group_tests_name("action", tests, NULL, NULL);
}
