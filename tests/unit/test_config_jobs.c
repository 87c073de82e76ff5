/* test_config_jobs.c: [job NAME] sections: command, severity, description
 * read; a section without command (a Glue job's or state machine's
 * severity) kept; the critical ones listed once, a later severity =
 * warning taking a job off the list; a section given twice merged. */
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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jobs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
