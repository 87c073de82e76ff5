/* test_commands.c: the table of subcommands: lookup by name (and none for
 * an unknown one), what each takes (a required argument, --dry-run,
 * --force, --no-wait) and refuses, which ones --read-only stops, --help
 * listing every command; and the flags laid over the config, --concurrency
 * checked for every command (sync ignored it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/commands.h"
#include "app/options.h"

static void test_find(void **state) {
    (void)state;
    const char *names[] = {"demo", "backup", "restore", "crawl", "sync", "export", "check"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const command *c = commands_find(names[i]);
        assert_non_null(c);
        assert_string_equal(c->name, names[i]);
        assert_true(c->exec || c->main);
    }
    assert_null(commands_find("nosuch"));
    assert_null(commands_find("Backup"));
    assert_null(commands_find(""));
    assert_null(commands_find(NULL));
    /* only demo parses options of its own; only sync needs no lake */
    assert_non_null(commands_find("demo")->main);
    assert_null(commands_find("backup")->main);
    assert_false(commands_find("sync")->opens_lake);
    assert_true(commands_find("crawl")->opens_lake);
    /* what --read-only refuses: what changes the lake */
    assert_non_null(commands_find("restore")->mutates_what);
    assert_non_null(commands_find("crawl")->mutates_what);
    assert_non_null(commands_find("sync")->mutates_what);
    assert_null(commands_find("check")->mutates_what);
    /* a backup and an export: only when they write to S3 */
    command_context a = {0};
    const command *backup = commands_find("backup"), *export = commands_find("export");
    assert_null(backup->mutates_what(&a, "/tmp/backups"));
    assert_null(backup->mutates_what(&a, NULL)); /* the default: a local directory */
    assert_null(export->mutates_what(&a, "/tmp/export"));
    char *what = backup->mutates_what(&a, "s3://bucket/backups");
    assert_string_equal(what, "a backup to s3://bucket/backups writes to S3");
    free(what);
    a.cfg.export_dir = "s3://bucket/export"; /* from the config */
    what = export->mutates_what(&a, NULL);
    assert_string_equal(what, "an export to s3://bucket/export writes to S3");
    free(what);
}

/* commands_check_args on `laketop ARGS...` with the flags of `o`. */
static int check(options *o, char **args, int n) {
    o->args = args;
    o->n_args = n;
    const command *c = n > 0 ? commands_find(args[0]) : NULL;
    return commands_check_args(c && !c->main ? c : NULL, o);
}

static void test_arguments(void **state) {
    (void)state;
    options o = {0};
    char *crawl[] = {"crawl", "x", "y"};
    assert_int_equal(check(&o, crawl, 1), 2); /* needs the crawler's NAME */
    assert_int_equal(check(&o, crawl, 2), -1);
    assert_int_equal(check(&o, crawl, 3), 2); /* unexpected argument */
    char *backup[] = {"backup", "/dest", "more"};
    assert_int_equal(check(&o, backup, 1), -1); /* DEST is optional */
    assert_int_equal(check(&o, backup, 2), -1);
    assert_int_equal(check(&o, backup, 3), 2);
    char *check_cmd[] = {"check", "x"};
    assert_int_equal(check(&o, check_cmd, 1), -1);
    assert_int_equal(check(&o, check_cmd, 2), 2); /* takes no argument */
    char *unknown[] = {"frobnicate"};
    assert_int_equal(check(&o, unknown, 1), 2);  /* not a command: unexpected */
    assert_int_equal(check(&o, unknown, 0), -1); /* the dashboard */
    char *demo[] = {"demo"};
    assert_int_equal(check(&o, demo, 1), 2); /* demo's options go after its name */
}

static void test_flags(void **state) {
    (void)state;
    char *restore[] = {"restore", "/b"}, *sync[] = {"sync", "r"}, *crawl[] = {"crawl", "c"};
    char *backup[] = {"backup"};
    options o = {.dry_run = true};
    assert_int_equal(check(&o, restore, 2), -1);
    assert_int_equal(check(&o, sync, 2), -1);
    assert_int_equal(check(&o, crawl, 2), 2);
    assert_int_equal(check(&o, backup, 1), 2);
    assert_int_equal(check(&o, backup, 0), 2); /* not for the dashboard either */
    o = (options){.force = true};
    assert_int_equal(check(&o, restore, 2), -1);
    assert_int_equal(check(&o, sync, 2), 2);
    o = (options){.no_wait = true};
    assert_int_equal(check(&o, crawl, 2), -1);
    assert_int_equal(check(&o, restore, 2), 2);
}

static void test_usage(void **state) {
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    commands_usage(fp);
    fclose(fp);
    const char *usages[] = {"demo [DIR]",
                            "backup [DEST]",
                            "restore SRC [--dry-run] [--force]",
                            "crawl NAME [--no-wait]",
                            "sync RULE [--dry-run]",
                            "export [DEST]",
                            "check [--format text|prometheus]"};
    for (size_t i = 0; i < sizeof usages / sizeof usages[0]; i++) {
        char *line = NULL;
        if (asprintf(&line, "       laketop %s", usages[i]) < 0)
            fail();
        if (!strstr(text, line))
            fail_msg("--help lacks \"%s\"", line);
        free(line);
    }
    /* the first line names both backends (issue 12, item 10), in 80 columns */
    size_t first = strcspn(text, "\n");
    char *line1 = strndup(text, first);
    if (!strstr(line1, "local lake") || !strstr(line1, "AWS") || first > 80)
        fail_msg("--help's first line: \"%s\"", line1);
    free(line1);
    /* summaries line up in one column, continuations below them */
    assert_non_null(strstr(text, "       laketop backup [DEST]             back up the catalog"));
    assert_non_null(strstr(text, "exit 0 OK,\n                                         1 WARNING"));
    assert_non_null(strstr(text, "--concurrency N"));
    free(text);
}

/* options_apply on the given flags, with no config file around. */
static bool apply(options *o, command_context *a) {
    setenv("XDG_CONFIG_HOME", "/nonexistent-laketop-test", 1);
    return options_apply(a, o, 0);
}

static void test_concurrency(void **state) {
    (void)state;
    const char *bad[] = {"0", "abc", "", "1025", "8x", "-3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        options o = {.concurrency = bad[i]};
        command_context a;
        if (apply(&o, &a))
            fail_msg("--concurrency \"%s\" accepted", bad[i]);
        options_close(&a);
    }
    options o = {.concurrency = "8", .read_only = true, .endpoint_url = "http://127.0.0.1:9"};
    command_context a;
    assert_true(apply(&o, &a));
    assert_int_equal(a.aws.concurrency, 8);
    assert_int_equal(a.cfg.concurrency, 8);
    assert_true(a.cfg.read_only);
    assert_string_equal(a.aws.request.endpoint_url, "http://127.0.0.1:9");
    options_close(&a);
    o = (options){0};
    assert_true(apply(&o, &a));
    assert_int_equal(a.aws.concurrency, 32); /* the default */
    options_close(&a);
}

/* --timeout: check's default, --once's none, a given one, where it goes. */
static void test_timeout(void **state) {
    (void)state;
    char *check_args[] = {"check"};
    options o = {.args = check_args, .n_args = 1};
    command_context a;
    assert_true(apply(&o, &a));
    assert_int_equal(a.timeout_ms, OPTIONS_CHECK_TIMEOUT_MS);
    assert_int_equal(a.timeout_ms, 55000);
    assert_true(a.timeout_check);
    options_close(&a);
    o = (options){.once = true};
    assert_true(apply(&o, &a));
    assert_int_equal(a.timeout_ms, 0); /* none for --once */
    options_close(&a);
    o = (options){.once = true, .timeout = "2m"};
    assert_true(apply(&o, &a));
    assert_int_equal(a.timeout_ms, 120000);
    assert_false(a.timeout_check);
    options_close(&a);
    o = (options){.args = check_args, .n_args = 1, .timeout = "0"};
    assert_true(apply(&o, &a));
    assert_int_equal(a.timeout_ms, 0); /* check without a limit */
    options_close(&a);
    o = (options){.args = check_args, .n_args = 1, .timeout = "soon"};
    assert_false(apply(&o, &a));
    options_close(&a);
    char *backup_args[] = {"backup"};
    o = (options){.args = backup_args, .n_args = 1, .timeout = "5s"};
    assert_false(apply(&o, &a)); /* not for backup */
    options_close(&a);
    o = (options){.timeout = "5s"};
    assert_false(apply(&o, &a)); /* nor the dashboard */
    options_close(&a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find),        cmocka_unit_test(test_arguments),
        cmocka_unit_test(test_flags),       cmocka_unit_test(test_usage),
        cmocka_unit_test(test_concurrency), cmocka_unit_test(test_timeout),
    };
    return cmocka_run_group_tests_name("commands", tests, NULL, NULL);
}
