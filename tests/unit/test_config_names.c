/* test_config_names.c: a theme checked against the theme files, and the
 * config's sections against a catalog (issue 12, item 9). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/config_names.h"
#include "common/xalloc.h"
#include "tests/unit/unit_tmp.h"

static void test_theme(void **state) {
    (void)state;
    char dir[4096];
    unit_tmp_template(dir, sizeof dir, "laketop-names");
    assert_non_null(mkdtemp(dir));
    char *good = xasprintf("%s/sunset.theme", dir), *broken = xasprintf("%s/broken.theme", dir);
    FILE *f = fopen(good, "w");
    fputs("title = red on black bold\n", f);
    fclose(f);
    f = fopen(broken, "w");
    fputs("title = purplish\n", f);
    fclose(f);
    char *error = NULL;
    assert_true(config_names_theme("sunset", dir, &error));
    assert_true(config_names_theme("dark", dir, &error)); /* built in */
    assert_true(config_names_theme("mono", NULL, &error));
    assert_false(config_names_theme("drak", dir, &error));
    char *want = xasprintf("theme: \"drak\" is not a theme: broken, dark, mono or sunset "
                           "(NAME.theme files in %s; dark and mono are built in)",
                           dir);
    assert_string_equal(error, want);
    free(want);
    free(error);
    assert_false(config_names_theme("broken", dir, &error));
    if (!strstr(error, "broken.theme") || !strstr(error, "line 1"))
        fail_msg("%s", error);
    free(error);
    assert_false(config_names_theme("light", NULL, &error));
    assert_non_null(strstr(error, "dark or mono (built in; no themes directory found"));
    free(error);
    unlink(good);
    unlink(broken);
    rmdir(dir);
    free(good);
    free(broken);
}

static void test_unmatched(void **state) {
    (void)state;
    database_stats dbs[] = {
        {.name = "music", .first_table = 0, .n_tables = 1},
        {.name = "sales", .first_table = 1, .n_tables = 2},
        {.name = "weblogs", .first_table = 3, .n_tables = 0, .error = "unreadable"},
    };
    table_stats tables[] = {
        {.database = "music", .name = "songs"},
        {.database = "sales", .name = "customers"},
        {.database = "sales", .name = "orders"},
    };
    lake_snapshot s = {.databases = dbs, .n_databases = 3, .tables = tables, .n_tables = 3};
    config_section sections[] = {
        {.database = "sales", .table = "orders", .line = 2},  /* exists */
        {.database = "sales", .table = "orderz", .line = 5},  /* a typo */
        {.database = "salse", .table = NULL, .line = 7},      /* a typo */
        {.database = "ops", .table = "jobs", .line = 9},      /* nothing like it */
        {.database = "weblogs", .table = "hits", .line = 11}, /* its database unread */
        {.database = "music", .table = NULL, .line = 13},     /* exists */
    };
    config c = {.path = "/etc/lt", .sections = sections, .n_sections = 6};
    char **lines;
    size_t n;
    assert_true(config_names_unmatched(&c, &s, &lines, &n));
    assert_int_equal(n, 3);
    assert_string_equal(lines[0], "/etc/lt:5: [table sales.orderz] names no table of the catalog; "
                                  "did you mean sales.orders?");
    assert_string_equal(lines[1], "/etc/lt:7: [database salse] names no database of the catalog; "
                                  "did you mean sales?");
    assert_string_equal(lines[2], "/etc/lt:9: [table ops.jobs] names no database of the catalog");
    config_names_free(lines, n);
    /* no judgement before the catalog is read */
    s.from_saved_state = true;
    assert_false(config_names_unmatched(&c, &s, &lines, &n));
    assert_int_equal(n, 0);
    s.from_saved_state = false;
    s.error = "the lake directory is gone";
    assert_false(config_names_unmatched(&c, &s, &lines, &n));
    assert_false(config_names_unmatched(&c, NULL, &lines, &n));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_theme),
        cmocka_unit_test(test_unmatched),
    };
    return cmocka_run_group_tests_name("config_names", tests, NULL, NULL);
}
