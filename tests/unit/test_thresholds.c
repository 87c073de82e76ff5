/* test_thresholds.c: staleness thresholds and quotas, most specific first
 * (table, then database, then global); rules that leave a value unset
 * inherit it; copies are deep. The INI side is in test_config.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include "collector/figures/insights.h"
#include "collector/figures/thresholds.h"

#define HOUR 3600
#define DAY 86400

static void assert_lookup(const thresholds *t, const char *database, const char *table,
                          int64_t want_warn, int64_t want_crit) {
    int64_t warn = -2, crit = -2;
    thresholds_lookup(t, database, table, &warn, &crit);
    if (warn != want_warn || crit != want_crit)
        fail_msg("%s.%s: warn %lld crit %lld, want %lld %lld", database, table ? table : "(none)",
                 (long long)warn, (long long)crit, (long long)want_warn, (long long)want_crit);
}

static void test_defaults(void **state) {
    (void)state;
    thresholds t;
    thresholds_init(&t);
    assert_int_equal(t.warn, 2 * DAY);
    assert_int_equal(t.crit, 7 * DAY);
    assert_int_equal(t.warn, THRESHOLDS_DEFAULT_WARN);
    assert_int_equal(t.crit, THRESHOLDS_DEFAULT_CRIT);
    assert_int_equal(t.quota, -1);
    assert_int_equal(t.n_rules, 0);
    /* The insight settings start at insights.h's defaults. */
    assert_true(t.late_factor == INSIGHTS_LATE_FACTOR);
    assert_true(t.anomaly_k == INSIGHTS_MAD_K);
    assert_int_equal(t.small_files, INSIGHTS_SMALL_FILES);
    assert_int_equal(t.small_file_size, INSIGHTS_SMALL_AVG);
    /* No rules: every table gets the global values, no quota. */
    assert_lookup(&t, "sales", "orders", 2 * DAY, 7 * DAY);
    assert_lookup(&t, "sales", NULL, 2 * DAY, 7 * DAY);
    assert_int_equal(thresholds_quota(&t, "sales", "orders"), -1);
    thresholds_free(&t);
}

static void test_most_specific_wins(void **state) {
    (void)state;
    thresholds t;
    thresholds_init(&t);
    t.warn = 3 * DAY;
    t.crit = 10 * DAY;
    thresholds_set(&t, "sales", NULL, 6 * HOUR, 2 * DAY);
    thresholds_set(&t, "sales", "orders", HOUR, 4 * HOUR);
    /* Order of the rules does not matter: a table rule set before its
     * database rule still wins over it. */
    thresholds_set(&t, "web", "clicks", 10 * 60, 30 * 60);
    thresholds_set(&t, "web", NULL, DAY, 3 * DAY);

    assert_lookup(&t, "sales", "orders", HOUR, 4 * HOUR);        /* table */
    assert_lookup(&t, "sales", "customers", 6 * HOUR, 2 * DAY);  /* database */
    assert_lookup(&t, "web", "clicks", 10 * 60, 30 * 60);        /* table */
    assert_lookup(&t, "web", "sessions", DAY, 3 * DAY);          /* database */
    assert_lookup(&t, "census", "zip_codes", 3 * DAY, 10 * DAY); /* global */
    /* A database-level lookup (no table) never takes a table's rule. */
    assert_lookup(&t, "sales", NULL, 6 * HOUR, 2 * DAY);
    assert_lookup(&t, "census", NULL, 3 * DAY, 10 * DAY);
    thresholds_free(&t);
}

static void test_names_match_whole(void **state) {
    (void)state;
    thresholds t;
    thresholds_init(&t);
    thresholds_set(&t, "sales", "orders", HOUR, 2 * HOUR);
    thresholds_set(&t, "sales", NULL, 5 * HOUR, 9 * HOUR);
    /* The same table name in another database is another table. */
    assert_lookup(&t, "archive", "orders", THRESHOLDS_DEFAULT_WARN, THRESHOLDS_DEFAULT_CRIT);
    /* Names are not prefixes of one another. */
    assert_lookup(&t, "sales_eu", "orders", THRESHOLDS_DEFAULT_WARN, THRESHOLDS_DEFAULT_CRIT);
    assert_lookup(&t, "sale", "orders", THRESHOLDS_DEFAULT_WARN, THRESHOLDS_DEFAULT_CRIT);
    assert_lookup(&t, "sales", "orders_old", 5 * HOUR, 9 * HOUR);
    assert_lookup(&t, "sales", "order", 5 * HOUR, 9 * HOUR);
    thresholds_free(&t);
}

static void test_inherit_per_value(void **state) {
    (void)state;
    thresholds t;
    thresholds_init(&t);
    /* A database rule with only crit: warn comes from the global value. */
    thresholds_set(&t, "sales", NULL, -1, 3 * DAY);
    assert_lookup(&t, "sales", "orders", THRESHOLDS_DEFAULT_WARN, 3 * DAY);
    /* A table rule with only warn: crit from the database, not the global. */
    thresholds_set(&t, "sales", "orders", 2 * HOUR, -1);
    assert_lookup(&t, "sales", "orders", 2 * HOUR, 3 * DAY);
    /* A table rule with no database rule above it falls back to global. */
    thresholds_set(&t, "web", "clicks", -1, 5 * HOUR);
    assert_lookup(&t, "web", "clicks", THRESHOLDS_DEFAULT_WARN, 5 * HOUR);
    /* Zero is a value (always stale), not "inherit". */
    thresholds_set(&t, "web", NULL, 0, 0);
    assert_lookup(&t, "web", "sessions", 0, 0);
    assert_lookup(&t, "web", "clicks", 0, 5 * HOUR);
    thresholds_free(&t);
}

static void test_set_updates_in_place(void **state) {
    (void)state;
    thresholds t;
    thresholds_init(&t);
    thresholds_set(&t, "sales", "orders", HOUR, 2 * HOUR);
    thresholds_set(&t, "sales", "orders", -1, 3 * HOUR); /* -1 keeps warn */
    thresholds_set(&t, "sales", "orders", 30 * 60, -1);  /* -1 keeps crit */
    assert_int_equal(t.n_rules, 1);
    assert_lookup(&t, "sales", "orders", 30 * 60, 3 * HOUR);
    /* A database rule and a table rule of that database are two rules. */
    thresholds_set(&t, "sales", NULL, DAY, -1);
    assert_int_equal(t.n_rules, 2);
    assert_lookup(&t, "sales", "orders", 30 * 60, 3 * HOUR);
    assert_lookup(&t, "sales", "products", DAY, THRESHOLDS_DEFAULT_CRIT);
    thresholds_free(&t);
}

static void test_many_rules(void **state) {
    (void)state;
    thresholds t;
    thresholds_init(&t);
    char name[32];
    for (int i = 0; i < 300; i++) {
        snprintf(name, sizeof name, "table_%03d", i);
        thresholds_set(&t, i % 2 ? "odd" : "even", name, i + 1, 1000 + i);
    }
    thresholds_set(&t, "odd", NULL, 7, 8);
    assert_int_equal(t.n_rules, 301);
    for (int i = 0; i < 300; i++) {
        snprintf(name, sizeof name, "table_%03d", i);
        assert_lookup(&t, i % 2 ? "odd" : "even", name, i + 1, 1000 + i);
        /* In the other database the table has no rule of its own. */
        if (i % 2)
            assert_lookup(&t, "even", name, THRESHOLDS_DEFAULT_WARN, THRESHOLDS_DEFAULT_CRIT);
        else
            assert_lookup(&t, "odd", name, 7, 8);
    }
    thresholds_free(&t);
}

static void test_quota(void **state) {
    (void)state;
    thresholds t;
    thresholds_init(&t);
    assert_int_equal(thresholds_quota(&t, "sales", "orders"), -1);
    thresholds_set_quota(&t, NULL, NULL, 1000000); /* every table */
    assert_int_equal(t.quota, 1000000);
    assert_int_equal(thresholds_quota(&t, "sales", "orders"), 1000000);
    thresholds_set_quota(&t, "sales", NULL, 5000);
    thresholds_set_quota(&t, "sales", "orders", 800);
    assert_int_equal(thresholds_quota(&t, "sales", "orders"), 800);       /* table */
    assert_int_equal(thresholds_quota(&t, "sales", "customers"), 5000);   /* database */
    assert_int_equal(thresholds_quota(&t, "sales", NULL), 5000);          /* database */
    assert_int_equal(thresholds_quota(&t, "web", "clicks"), 1000000);     /* global */
    assert_int_equal(thresholds_quota(&t, "archive", "orders"), 1000000); /* not sales.orders */
    /* A quota makes a rule but leaves its staleness thresholds inherited. */
    assert_lookup(&t, "sales", "orders", THRESHOLDS_DEFAULT_WARN, THRESHOLDS_DEFAULT_CRIT);
    /* A staleness rule leaves the quota inherited. */
    thresholds_set(&t, "web", "clicks", HOUR, 2 * HOUR);
    assert_int_equal(thresholds_quota(&t, "web", "clicks"), 1000000);
    /* Changing a quota replaces it, and keeps the rule's thresholds. */
    thresholds_set_quota(&t, "web", "clicks", 42);
    assert_int_equal(thresholds_quota(&t, "web", "clicks"), 42);
    assert_lookup(&t, "web", "clicks", HOUR, 2 * HOUR);
    /* Zero is a quota (nothing allowed), not "none". */
    thresholds_set_quota(&t, "sales", "orders", 0);
    assert_int_equal(thresholds_quota(&t, "sales", "orders"), 0);
    thresholds_free(&t);
}

static void test_quota_without_global(void **state) {
    (void)state;
    thresholds t;
    thresholds_init(&t);
    thresholds_set_quota(&t, "sales", NULL, 5000);
    assert_int_equal(thresholds_quota(&t, "sales", "orders"), 5000);
    assert_int_equal(thresholds_quota(&t, "web", "clicks"), -1);
    /* A table rule without a quota falls through to the database's. */
    thresholds_set(&t, "sales", "orders", HOUR, -1);
    assert_int_equal(thresholds_quota(&t, "sales", "orders"), 5000);
    thresholds_free(&t);
}

static void test_copy_is_deep(void **state) {
    (void)state;
    thresholds src, dst;
    thresholds_init(&src);
    src.warn = 4 * HOUR;
    src.crit = 8 * HOUR;
    src.late_factor = 2.5;
    src.anomaly_k = 6.0;
    src.small_files = 12;
    src.small_file_size = 4096;
    thresholds_set_quota(&src, NULL, NULL, 777);
    thresholds_set(&src, "sales", NULL, HOUR, -1);
    thresholds_set(&src, "sales", "orders", -1, 2 * HOUR);
    thresholds_set_quota(&src, "sales", "orders", 99);
    thresholds_set_quota(&src, "web", NULL, 55); /* a rule with only a quota */

    thresholds_copy(&dst, &src);
    assert_int_equal(dst.n_rules, src.n_rules);
    assert_int_equal(dst.warn, 4 * HOUR);
    assert_int_equal(dst.crit, 8 * HOUR);
    assert_true(dst.late_factor == 2.5);
    assert_true(dst.anomaly_k == 6.0);
    assert_int_equal(dst.small_files, 12);
    assert_int_equal(dst.small_file_size, 4096);

    /* The copy owns its names: the source changed, then freed (ASan would
     * see a read of freed names), and the copy answers as before. */
    thresholds_set(&src, "sales", "orders", 1, 1);
    thresholds_free(&src);
    assert_lookup(&dst, "sales", "orders", HOUR, 2 * HOUR);
    assert_lookup(&dst, "sales", "customers", HOUR, 8 * HOUR);
    assert_lookup(&dst, "web", "clicks", 4 * HOUR, 8 * HOUR);
    assert_int_equal(thresholds_quota(&dst, "sales", "orders"), 99);
    assert_int_equal(thresholds_quota(&dst, "sales", "customers"), 777);
    assert_int_equal(thresholds_quota(&dst, "web", "clicks"), 55);
    thresholds_free(&dst);
}

static void test_free_resets(void **state) {
    (void)state;
    thresholds t;
    thresholds_init(&t);
    thresholds_set(&t, "sales", "orders", HOUR, 2 * HOUR);
    thresholds_free(&t);
    assert_null(t.rules);
    assert_int_equal(t.n_rules, 0);
    thresholds_free(&t); /* twice is harmless */
    /* Set up again, the old rule is gone. */
    thresholds_init(&t);
    assert_lookup(&t, "sales", "orders", THRESHOLDS_DEFAULT_WARN, THRESHOLDS_DEFAULT_CRIT);
    thresholds_free(&t);
}

/* ---- which rule set them; the learned interval's thresholds; the text --- */

static void test_lookup_rule(void **state) {
    (void)state;
    thresholds t;
    thresholds_init(&t);
    int64_t warn, crit;
    assert_int_equal(thresholds_lookup_rule(&t, "census", "zip_codes", &warn, &crit),
                     STALE_RULE_GLOBAL);
    /* a quota alone is no threshold */
    thresholds_set_quota(&t, "census", NULL, 1000);
    thresholds_set_quota(&t, "census", "zip_codes", 1000);
    assert_int_equal(thresholds_lookup_rule(&t, "census", "zip_codes", &warn, &crit),
                     STALE_RULE_GLOBAL);
    thresholds_set(&t, "census", NULL, 30 * DAY, -1);
    assert_int_equal(thresholds_lookup_rule(&t, "census", "zip_codes", &warn, &crit),
                     STALE_RULE_DATABASE);
    assert_int_equal(warn, 30 * DAY);
    assert_int_equal(crit, 7 * DAY); /* unset in the section: the global */
    thresholds_set(&t, "census", "zip_codes", -1, 60 * DAY);
    assert_int_equal(thresholds_lookup_rule(&t, "census", "zip_codes", &warn, &crit),
                     STALE_RULE_TABLE);
    assert_int_equal(warn, 30 * DAY); /* from the database */
    assert_int_equal(crit, 60 * DAY);
    assert_int_equal(thresholds_lookup_rule(&t, "census", "population", &warn, &crit),
                     STALE_RULE_DATABASE);
    thresholds_free(&t);
}

static void test_learned(void **state) {
    (void)state;
    /* monthly: warn at 1.5 x 30d = 45d, crit at twice that, 90d */
    int64_t warn = 2 * DAY, crit = 7 * DAY;
    assert_true(thresholds_learned(30 * DAY, 1.5, &warn, &crit));
    assert_int_equal(warn, 45 * DAY);
    assert_int_equal(crit, 90 * DAY);
    /* weekly: 10.5d and 21d */
    warn = 2 * DAY, crit = 7 * DAY;
    assert_true(thresholds_learned(7 * DAY, 1.5, &warn, &crit));
    assert_int_equal(warn, 10 * DAY + 12 * HOUR);
    assert_int_equal(crit, 21 * DAY);
    /* every two days: warn 3d over the global 2d; crit 6d under the global 7d stays 7d */
    warn = 2 * DAY, crit = 7 * DAY;
    assert_true(thresholds_learned(2 * DAY, 1.5, &warn, &crit));
    assert_int_equal(warn, 3 * DAY);
    assert_int_equal(crit, 7 * DAY);
    /* daily: 1.5d and 3d are under the global: never stricter */
    warn = 2 * DAY, crit = 7 * DAY;
    assert_false(thresholds_learned(DAY, 1.5, &warn, &crit));
    assert_int_equal(warn, 2 * DAY);
    assert_int_equal(crit, 7 * DAY);
    /* no interval learned */
    assert_false(thresholds_learned(-1, 1.5, &warn, &crit));
    assert_false(thresholds_learned(0, 1.5, &warn, &crit));
    assert_int_equal(warn, 2 * DAY);
}

static void test_reason_text(void **state) {
    (void)state;
    table_stats t = {.database = "census", .name = "zip_codes", .usual_interval_seconds = -1};
    char out[200];
    t.stale_warn_seconds = 2 * DAY;
    t.stale_crit_seconds = 7 * DAY;
    assert_string_equal(thresholds_reason(&t, true, "crit at", out, sizeof out), "crit at 7d");
    assert_string_equal(thresholds_source_text(&t, out, sizeof out), "");
    t.usual_interval_seconds = DAY - 40; /* a daily table: its interval, to the hour */
    assert_string_equal(thresholds_reason(&t, true, "critical at", out, sizeof out),
                        "critical at 7d; usually every 1d");
    t.stale_rule = STALE_RULE_TABLE;
    assert_string_equal(thresholds_reason(&t, false, "warn at", out, sizeof out),
                        "warn at 2d, from [table census.zip_codes]");
    t.stale_rule = STALE_RULE_DATABASE;
    assert_string_equal(thresholds_reason(&t, false, "warning at", out, sizeof out),
                        "warning at 2d, from [database census]");
    /* learned from 29d 23h 57m: 44d 23h 55m 30s reads 45d */
    t.stale_rule = STALE_RULE_LEARNED;
    t.usual_interval_seconds = 30 * DAY - 180;
    t.stale_warn_seconds = (int64_t)(1.5 * (double)t.usual_interval_seconds);
    t.stale_crit_seconds = 2 * t.stale_warn_seconds;
    assert_string_equal(thresholds_reason(&t, false, "warn at", out, sizeof out),
                        "warn at 45d, from its usual 30d");
    assert_string_equal(thresholds_reason(&t, true, "crit at", out, sizeof out),
                        "crit at 90d, from its usual 30d");
    assert_string_equal(thresholds_source_text(&t, out, sizeof out), "from its usual 30d");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_most_specific_wins),
        cmocka_unit_test(test_names_match_whole),
        cmocka_unit_test(test_inherit_per_value),
        cmocka_unit_test(test_set_updates_in_place),
        cmocka_unit_test(test_many_rules),
        cmocka_unit_test(test_quota),
        cmocka_unit_test(test_quota_without_global),
        cmocka_unit_test(test_copy_is_deep),
        cmocka_unit_test(test_lookup_rule),
        cmocka_unit_test(test_learned),
        cmocka_unit_test(test_reason_text),
        cmocka_unit_test(test_free_resets),
    };
    return cmocka_run_group_tests_name("thresholds", tests, NULL, NULL);
}
