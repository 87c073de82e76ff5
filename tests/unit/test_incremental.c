/* test_incremental.c: which partition directories a refresh lists (new
 * ones, the newest `recent`, those due, and an even share of the rest, so
 * every one is listed within verify_every and no refresh is a burst), and
 * the state file's text both ways (incremental.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/figures/incremental.h"
#include "common/xalloc.h"

#define HOUR 3600

static char **names(size_t n) {
    char **d = xcalloc(n, sizeof *d);
    for (size_t i = 0; i < n; i++)
        d[i] = xasprintf("t/dt=%04zu/", i);
    return d;
}

static void free_names(char **d, size_t n) {
    for (size_t i = 0; i < n; i++)
        free(d[i]);
    free(d);
}

/* A table state of dirs[0..n) all listed at `at`, refreshed at `at`. */
static incremental_table table_of(char **dirs, size_t n, int64_t at) {
    incremental_table t = {.database = xstrdup("db"),
                           .table = xstrdup("t"),
                           .location = xstrdup("b/t/"),
                           .refreshed_at = at,
                           .dirs = xcalloc(n, sizeof *t.dirs),
                           .n_dirs = n};
    for (size_t i = 0; i < n; i++) {
        t.dirs[i].name = xstrdup(dirs[i]);
        t.dirs[i].listed_at = at;
        t.dirs[i].figures.objects = (int64_t)i;
        t.dirs[i].figures.newest = -1;
    }
    return t;
}

static void test_first_refresh_lists_all(void **state) {
    (void)state;
    incremental_settings s;
    incremental_settings_default(&s);
    assert_int_equal(s.recent, 3);
    assert_int_equal(s.verify_every, 24 * HOUR);
    assert_int_equal(s.flat_below, 10000);
    char **d = names(10);
    bool list[10];
    assert_int_equal(incremental_plan(NULL, d, 10, 1000, &s, list), 10);
    for (int i = 0; i < 10; i++)
        assert_true(list[i]);
    free_names(d, 10);
}

static void test_new_and_recent(void **state) {
    (void)state;
    incremental_settings s;
    incremental_settings_default(&s);
    char **d = names(12);
    incremental_table t = table_of(d, 10, 1000); /* dirs 10 and 11 are new */
    /* dir 4 vanished from the listing: the plan sees the 11 others */
    char *now[11];
    for (size_t i = 0, k = 0; i < 12; i++)
        if (i != 4)
            now[k++] = d[i];
    bool list[11];
    assert_int_equal(incremental_plan(&t, now, 11, 1000, &s, list), 3);
    for (int i = 0; i < 11; i++)
        assert_true(list[i] == (i >= 8)); /* the newest 3, two of them new */
    /* recent 0: only the new ones */
    s.recent = 0;
    assert_int_equal(incremental_plan(&t, now, 11, 1000, &s, list), 2);
    incremental_table_clear(&t);
    free_names(d, 12);
}

static void test_due_ones(void **state) {
    (void)state;
    incremental_settings s = {.recent = 1, .verify_every = 10 * HOUR, .flat_below = 0};
    char **d = names(5);
    incremental_table t = table_of(d, 5, 0);
    t.dirs[1].listed_at = -20 * HOUR; /* overdue */
    t.refreshed_at = 1000;
    bool list[5];
    /* no time since the last refresh: the due one and the newest only */
    assert_int_equal(incremental_plan(&t, d, 5, 1000, &s, list), 2);
    assert_true(list[1] && list[4] && !list[0] && !list[2] && !list[3]);
    /* verify_every passed for all */
    assert_int_equal(incremental_plan(&t, d, 5, 10 * HOUR, &s, list), 5);
    incremental_table_clear(&t);
    free_names(d, 5);
}

/* A refresh an hour for three days: every old directory listed within
 * verify_every, no refresh lists more than its share (48 old, 24 h: 2). */
static void test_rotation_is_even(void **state) {
    (void)state;
    incremental_settings s = {.recent = 2, .verify_every = 24 * HOUR, .flat_below = 0};
    enum { N = 50 };
    char **d = names(N);
    incremental_table t = table_of(d, N, 0);
    int64_t last_listed[N];
    for (int i = 0; i < N; i++)
        last_listed[i] = 0;
    for (int64_t now = HOUR; now <= 72 * HOUR; now += HOUR) {
        bool list[N];
        size_t n = incremental_plan(&t, d, N, now, &s, list);
        assert_true(n <= 2 + 2); /* the 2 recent and 48 * 1/24 */
        for (int i = 0; i < N; i++) {
            if (list[i]) {
                t.dirs[i].listed_at = now;
                last_listed[i] = now;
            }
            assert_true(now - last_listed[i] < 24 * HOUR);
        }
        t.refreshed_at = now;
    }
    incremental_table_clear(&t);
    free_names(d, N);
}

/* A table's rule over its database's over the global; others untouched. */
static void test_settings_lookup(void **state) {
    (void)state;
    incremental_settings s, copy, got;
    incremental_settings_default(&s);
    incremental_settings_rule(&s, "db", NULL)->verify_every = 600;
    incremental_settings_rule(&s, "db", NULL)->recent = 7;
    incremental_settings_rule(&s, "db", "t")->recent = 1;
    incremental_settings_rule(&s, "other", "t")->flat_below = 5;
    assert_int_equal(s.n_rules, 3);
    incremental_settings_copy(&copy, &s);
    incremental_settings_free(&s);
    incremental_settings_lookup(&copy, "db", "t", &got);
    assert_int_equal(got.recent, 1);
    assert_int_equal(got.verify_every, 600);
    assert_int_equal(got.flat_below, INCREMENTAL_DEFAULT_FLAT_BELOW);
    assert_int_equal(got.n_rules, 0);
    incremental_settings_lookup(&copy, "db", "u", &got);
    assert_int_equal(got.recent, 7);
    incremental_settings_lookup(&copy, "x", "t", &got);
    assert_int_equal(got.recent, INCREMENTAL_DEFAULT_RECENT);
    assert_int_equal(got.verify_every, INCREMENTAL_DEFAULT_VERIFY);
    incremental_settings_lookup(&copy, "other", "t", &got);
    assert_int_equal(got.flat_below, 5);
    incremental_settings_free(&copy);
}

static void test_state_round_trip(void **state) {
    (void)state;
    char **d = names(3);
    incremental_state st = {0};
    incremental_table t = table_of(d, 3, 1234);
    t.dirs[2].figures = (incremental_figures){.objects = 5,
                                              .bytes = 6,
                                              .newest = 7,
                                              .markers = 8,
                                              .partitions = 9,
                                              .s3_objects = 10,
                                              .s3_bytes = 11};
    t.dirs[2].figures.storage.billed[COST_GLACIER] = 42;
    incremental_state_put(&st, &t);
    incremental_table u = table_of(d, 1, 99);
    free(u.table);
    u.table = xstrdup("u");
    incremental_state_put(&st, &u);
    char *text = incremental_state_format(&st);
    incremental_state back;
    char *error = NULL;
    assert_true(incremental_state_parse(text, strlen(text), &back, &error));
    assert_int_equal(back.n_tables, 2);
    incremental_table *bt = incremental_state_find(&back, "db", "t");
    assert_non_null(bt);
    assert_int_equal(bt->n_dirs, 3);
    assert_int_equal(bt->refreshed_at, 1234);
    assert_string_equal(bt->location, "b/t/");
    const incremental_dir *x = incremental_table_dir(bt, d[2]);
    assert_non_null(x);
    assert_memory_equal(&x->figures, &st.tables[0].dirs[2].figures, sizeof x->figures);
    assert_int_equal(x->figures.storage.billed[COST_GLACIER], 42);
    assert_null(incremental_table_dir(bt, "t/dt=9999/"));
    char *again = incremental_state_format(&back);
    assert_string_equal(text, again);
    free(again);
    free(text);
    incremental_state_free(&back);
    /* a name with a tab is not kept (the table is listed whole next time) */
    free(st.tables[1].dirs[0].name);
    st.tables[1].dirs[0].name = xstrdup("t/a\tb/");
    text = incremental_state_format(&st);
    assert_true(incremental_state_parse(text, strlen(text), &back, &error));
    assert_int_equal(back.n_tables, 1);
    incremental_state_free(&back);
    free(text);
    incremental_state_free(&st);
    free_names(d, 3);
}

static void refused(const char *text, const char *why) {
    incremental_state s;
    char *error = NULL;
    if (incremental_state_parse(text, strlen(text), &s, &error))
        fail_msg("accepted: %s", text);
    if (!strstr(error, why))
        fail_msg("%s: error \"%s\" lacks \"%s\"", text, error, why);
    assert_int_equal(s.n_tables, 0);
    free(error);
}

static void test_state_refused(void **state) {
    (void)state;
    refused("", "empty");
    refused("history 1\n", "line 1: not a laketop incremental state file");
    refused("laketop-incremental 1\nP\tx/\t1\n", "line 2: a P line before any T line");
    refused("laketop-incremental 1\nT\tdb\tt\tb/t/\tnow\n", "line 2: a T line");
    refused("laketop-incremental 1\nT\tdb\tt\tb/t/\t1\nT\tdb\tt\tb/t/\t1\n", "twice");
    refused("laketop-incremental 1\nT\tdb\tt\tb/t/\t1\nP\tx/\t1\t2\n", "fields");
    refused("laketop-incremental 1\nX\n", "not a T or P line");
    char *p = xstrdup("");
    for (int i = 0; i < 10 + 3 * COST_CLASS_COUNT - 2; i++) {
        char *q = xasprintf("%s\t%d", p, i == 5 ? -1 : 1);
        free(p);
        p = q;
    }
    char *ok = xasprintf("laketop-incremental 1\nT\tdb\tt\tb/t/\t1\nP\tb/%s\nP\ta/%s\n", p, p);
    refused(ok, "line 4: directories out of order");
    char *bad = xasprintf("laketop-incremental 1\nT\tdb\tt\tb/t/\t1\nP\tb/%s9x\n", p);
    refused(bad, "not a number");
    incremental_state s;
    char *error = NULL;
    char *good = xasprintf("laketop-incremental 1\n\nT\tdb\tt\tb/t/\t1\nP\ta/%s\nP\tb/%s\n", p, p);
    assert_true(incremental_state_parse(good, strlen(good), &s, &error));
    assert_int_equal(s.tables[0].n_dirs, 2);
    incremental_state_free(&s);
    free(good);
    free(bad);
    free(ok);
    free(p);
}

/* Between two reports: the directories of the report (listed_at its time)
 * counted from it, whatever their age; new ones, the ones listed since it
 * and the ones the report saw being written (newest object within a day
 * before it, whatever the name) listed; no rotation, no `recent`. */
static void test_since_report(void **state) {
    (void)state;
    char **dirs = names(12);
    int64_t report = 1000 * HOUR;
    incremental_table t = table_of(dirs, 10, report); /* the report had 10 */
    t.report_date = xstrdup("2026-12-01T01-00Z");
    t.report_created = report;
    t.dirs[4].listed_at = report + HOUR; /* listed since the report */
    for (size_t i = 0; i < 10; i++)
        t.dirs[i].figures.newest = report - 30 * 24 * HOUR;
    t.dirs[7].figures.newest = report - 23 * HOUR; /* being written: listed */
    t.dirs[9].figures.newest = report - 25 * HOUR; /* the newest name, but done */
    incremental_settings settings;
    incremental_settings_default(&settings);
    settings.recent = 2;
    settings.verify_every = HOUR; /* all due by rotation's rule: ignored */
    bool list[12];
    size_t n = incremental_plan(&t, dirs, 12, report + 100 * HOUR, &settings, list);
    /* 4 (since), 7 (being written at the report), 10 and 11 (new) */
    assert_int_equal(n, 4);
    for (size_t i = 0; i < 12; i++)
        assert_int_equal(list[i], i == 4 || i == 7 || i >= 10);
    /* the report date survives the state file; a 7-field T line only */
    incremental_state st = {0};
    incremental_state_put(&st, &t);
    char *text = incremental_state_format(&st);
    assert_non_null(strstr(text, "\t2026-12-01T01-00Z\t3600000\n"));
    incremental_state back;
    char *error = NULL;
    assert_true(incremental_state_parse(text, strlen(text), &back, &error));
    assert_string_equal(back.tables[0].report_date, "2026-12-01T01-00Z");
    assert_int_equal(back.tables[0].report_created, report);
    incremental_state_free(&back);
    char *six = xstrdup("laketop-incremental 1\nT\tdb\tt\tb/t/\t1\tx\n");
    assert_false(incremental_state_parse(six, strlen(six), &back, &error));
    free(error);
    free(six);
    free(text);
    incremental_state_free(&st);
    free_names(dirs, 12);
}

static bool keep_only_a(void *ctx, const char *database, const char *table) {
    (void)ctx, (void)database;
    return strcmp(table, "a") == 0;
}

/* Tables gone from the catalog are dropped from the state. */
static void test_prune(void **state) {
    (void)state;
    incremental_state st = {0};
    const char *order[] = {"b", "a", "c"};
    for (int i = 0; i < 3; i++) {
        incremental_table t = {.database = xstrdup("db"),
                               .table = xstrdup(order[i]),
                               .location = xasprintf("b/%s/", order[i])};
        incremental_state_put(&st, &t);
    }
    incremental_state_prune(&st, keep_only_a, NULL);
    assert_int_equal(st.n_tables, 1);
    assert_string_equal(st.tables[0].table, "a");
    assert_null(incremental_state_find(&st, "db", "b"));
    incremental_state_free(&st);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_refresh_lists_all),
        cmocka_unit_test(test_new_and_recent),
        cmocka_unit_test(test_due_ones),
        cmocka_unit_test(test_rotation_is_even),
        cmocka_unit_test(test_settings_lookup),
        cmocka_unit_test(test_state_round_trip),
        cmocka_unit_test(test_state_refused),
        cmocka_unit_test(test_since_report),
        cmocka_unit_test(test_prune),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
