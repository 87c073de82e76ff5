/* test_config_jobs.c: [job NAME] sections: command, severity, description
 * read; a section without command (a Glue job's or state machine's
 * severity) kept; the critical ones listed once, a later severity =
 * warning taking a job off the list; a section given twice merged; a
 * section naming no job or state machine of the snapshot warned about,
 * with the nearest name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/config.h"
#include "app/config_names.h"
#include "common/xalloc.h"
#include "unit_tmp.h"

static char *write_temp(const char *text) {
    char tmpl[4096];
    unit_tmp_template(tmpl, sizeof tmpl, "laketop-config-jobs");
    int fd = mkstemp(tmpl);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return xstrdup(tmpl);
}

static void test_jobs(void **state) {
    (void)state;
    char *path = write_temp("[job compact_orders]\n"
                            "command = ./bin/compact sales/orders --days=2\n"
                            "severity = critical\n"
                            "description = nightly compaction\n"
                            "[job glue_etl]\n"
                            "severity = critical\n"
                            "[job tidy]\n"
                            "command = true\n"
                            "[job glue_etl]\n"
                            "severity = warning\n"
                            "[job step fn]\n"
                            "severity = critical\n");
    config c;
    config_init(&c);
    char *error = NULL;
    if (!config_load(&c, path, true, &error))
        fail_msg("%s", error);
    assert_int_equal(c.jobs.n, 4);
    const config_job *j = config_jobs_find(&c.jobs, "compact_orders");
    assert_non_null(j);
    assert_string_equal(j->command, "./bin/compact sales/orders --days=2");
    assert_string_equal(j->description, "nightly compaction");
    assert_true(j->critical);
    j = config_jobs_find(&c.jobs, "glue_etl");
    assert_null(j->command); /* severity only */
    assert_false(j->critical);
    j = config_jobs_find(&c.jobs, "tidy");
    assert_string_equal(j->command, "true");
    assert_null(j->description);
    assert_false(j->critical);
    assert_null(config_jobs_find(&c.jobs, "nope"));
    assert_int_equal(c.jobs.n_critical, 2);
    assert_string_equal(c.jobs.critical[0], "compact_orders");
    assert_string_equal(c.jobs.critical[1], "step fn");
    config_free(&c);
    unlink(path);
    free(path);
}

static void add(pipeline_job **list, size_t *n, const char *name) {
    *list = xrealloc(*list, (*n + 1) * sizeof **list);
    memset(&(*list)[*n], 0, sizeof **list);
    pipeline_job_clear(&(*list)[*n]);
    (*list)[(*n)++].name = xstrdup(name);
}

static void test_unmatched(void **state) {
    (void)state;
    char *path = write_temp("[job load_partners]\nseverity = critical\n"
                            "[job nightly_etl]\nseverity = critical\n"
                            "\n[job lod_partners]\nseverity = critical\n"
                            "[job nightly_etk]\nseverity = warning\n"
                            "[job other]\nseverity = warning\n");
    config c;
    config_init(&c);
    char *error = NULL;
    if (!config_load(&c, path, true, &error))
        fail_msg("%s", error);
    lake_snapshot *s = snapshot_new("t");
    char **lines;
    size_t n;
    /* no pipeline read: nothing to blame */
    assert_true(config_names_unmatched(&c, s, &lines, &n));
    assert_int_equal(n, 0);
    config_names_free(lines, n);
    add(&s->jobs, &s->n_jobs, "load_partners");
    add(&s->state_machines, &s->n_state_machines, "nightly_etl");
    assert_true(config_names_unmatched(&c, s, &lines, &n));
    assert_int_equal(n, 3);
    char *want = xasprintf("%s:6: [job lod_partners] names no job or state machine; did you "
                           "mean load_partners?",
                           path);
    assert_string_equal(lines[0], want);
    free(want);
    assert_non_null(strstr(lines[1], ":8: [job nightly_etk] names no job or state machine; "
                                     "did you mean nightly_etl?"));
    assert_non_null(strstr(lines[2], ":10: [job other] names no job or state machine"));
    assert_null(strstr(lines[2], "did you mean"));
    config_names_free(lines, n);
    /* the pipeline could not be read: nothing to blame either */
    s->pipeline_error = xstrdup("AccessDeniedException");
    assert_true(config_names_unmatched(&c, s, &lines, &n));
    assert_int_equal(n, 0);
    config_names_free(lines, n);
    snapshot_release(s);
    config_free(&c);
    unlink(path);
    free(path);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jobs),
        cmocka_unit_test(test_unmatched),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
