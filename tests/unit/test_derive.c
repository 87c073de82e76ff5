/* test_derive.c: the figures derive_snapshot computes before a snapshot is
 * published: the promised order, staleness against each table's
 * thresholds, database totals and summed history, growth, late with the
 * snapshot's insight settings, a recent schema change, days to a quota.
 * Every expected figure is worked out by hand in the comments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "collector/derive.h"
#include "collector/figures/insights.h"
#include "common/xalloc.h"

#define DAY 86400
#define TODAY 20000 /* days since the epoch */
#define NOW ((int64_t)TODAY * DAY + 12 * 3600)

static table_stats *add_table(lake_snapshot *s, const char *db, const char *name) {
    s->tables = xrealloc(s->tables, (s->n_tables + 1) * sizeof *s->tables);
    table_stats *t = &s->tables[s->n_tables++];
    memset(t, 0, sizeof *t);
    t->database = xstrdup(db);
    t->name = xstrdup(name);
    t->objects = 10;
    t->bytes = 1000;
    t->newest_object = NOW - 3600;
    t->stale_warn_seconds = 2 * DAY;
    t->stale_crit_seconds = 7 * DAY;
    t->quota_bytes = -1;
    t->schema_changed_at = -1;
    return t;
}

static void add_database(lake_snapshot *s, const char *name) {
    s->databases = xrealloc(s->databases, (s->n_databases + 1) * sizeof *s->databases);
    database_stats *d = &s->databases[s->n_databases++];
    memset(d, 0, sizeof *d);
    d->name = xstrdup(name);
}

static lake_snapshot *new_snapshot(void) {
    lake_snapshot *s = snapshot_new("local:/lake");
    s->insights = insights_default_settings();
    s->generated_at = NOW;
    return s;
}

/* day-by-day history: `n` samples ending today, bytes = step * (k + 1),
 * newest_object at noon of each day */
static void daily_history(table_stats *t, size_t n, int64_t step) {
    t->history = xcalloc(n, sizeof *t->history);
    t->n_history = n;
    for (size_t k = 0; k < n; k++) {
        t->history[k].day = TODAY - (int32_t)(n - 1 - k);
        t->history[k].bytes = step * (int64_t)(k + 1);
        t->history[k].objects = (int64_t)k + 1;
        t->history[k].newest_object = (int64_t)t->history[k].day * DAY + 12 * 3600;
    }
}

static void test_order_and_totals(void **state) {
    (void)state;
    lake_snapshot *s = new_snapshot();
    add_database(s, "web");
    add_database(s, "sales");
    table_stats *t = add_table(s, "web", "clicks");
    t->newest_object = NOW - 3 * DAY; /* past warn (2d), before crit (7d) */
    t = add_table(s, "sales", "orders");
    t->bytes = 5000;
    t->objects = 50;
    t = add_table(s, "sales", "customers");
    t->newest_object = NOW - 8 * DAY; /* past crit */
    t = add_table(s, "sales", "broken");
    t->bytes = t->objects = t->newest_object = -1; /* its scan failed */
    t->error = xstrdup("cannot read");
    add_table(s, "orphan", "t"); /* a database with no database entry */
    derive_snapshot(s);

    assert_string_equal(s->databases[0].name, "sales");
    assert_string_equal(s->databases[1].name, "web");
    const database_stats *sales = &s->databases[0], *web = &s->databases[1];
    assert_int_equal(sales->n_tables, 3);
    assert_string_equal(s->tables[sales->first_table].name, "broken");
    assert_string_equal(s->tables[sales->first_table + 1].name, "customers");
    assert_string_equal(s->tables[sales->first_table + 2].name, "orders");
    assert_int_equal(web->n_tables, 1);
    assert_string_equal(s->tables[web->first_table].name, "clicks");
    /* totals leave the unknown (-1) out: 1000 + 5000 bytes, 10 + 50 objects */
    assert_int_equal(sales->bytes, 6000);
    assert_int_equal(sales->objects, 60);
    assert_int_equal(sales->stale_tables, 1); /* customers; broken is unknown */
    assert_int_equal(sales->error_tables, 1);
    assert_int_equal(web->stale_tables, 1);
    assert_int_equal(s->error_tables, 1);
    snapshot_release(s);
}

static void test_staleness(void **state) {
    (void)state;
    lake_snapshot *s = new_snapshot();
    add_database(s, "db");
    add_table(s, "db", "a_fresh");
    add_table(s, "db", "b_warn")->newest_object = NOW - 2 * DAY; /* exactly warn */
    add_table(s, "db", "c_crit")->newest_object = NOW - 7 * DAY; /* exactly crit */
    add_table(s, "db", "d_empty")->newest_object = -1;
    table_stats *own = add_table(s, "db", "e_own");
    own->newest_object = NOW - 3 * DAY;
    own->stale_warn_seconds = 4 * DAY; /* its own thresholds */
    own->stale_crit_seconds = 10 * DAY;
    add_table(s, "db", "f_future")->newest_object = NOW + 60; /* a clock ahead */
    derive_snapshot(s);
    const table_stats *t = s->tables;
    assert_int_equal(t[0].stale, STALE_FRESH);
    assert_int_equal(t[0].staleness_seconds, 3600);
    assert_int_equal(t[1].stale, STALE_WARN);
    assert_int_equal(t[2].stale, STALE_CRIT);
    assert_int_equal(t[3].stale, STALE_UNKNOWN);
    assert_int_equal(t[3].staleness_seconds, -1);
    assert_int_equal(t[4].stale, STALE_FRESH);
    assert_int_equal(t[4].staleness_seconds, 3 * DAY);
    assert_int_equal(t[5].staleness_seconds, 0);
    assert_int_equal(t[5].stale, STALE_FRESH);
    snapshot_release(s);
}

static void test_database_history(void **state) {
    (void)state;
    lake_snapshot *s = new_snapshot();
    add_database(s, "db");
    table_stats *a = add_table(s, "db", "a");
    a->history = xcalloc(2, sizeof *a->history);
    a->n_history = 2;
    a->history[0] = (history_sample){TODAY - 2, 100, 1, 10};
    a->history[1] = (history_sample){TODAY, 300, 3, 30};
    table_stats *b = add_table(s, "db", "b");
    b->history = xcalloc(1, sizeof *b->history);
    b->n_history = 1;
    b->history[0] = (history_sample){TODAY - 1, 50, 5, 20};
    derive_snapshot(s);
    const database_stats *d = &s->databases[0];
    /* days T-2..T; each table's last sample carried forward:
     * T-2: a 100; T-1: a 100 + b 50; T: a 300 + b 50 */
    assert_int_equal(d->n_history, 3);
    assert_int_equal(d->history[0].day, TODAY - 2);
    assert_int_equal(d->history[0].bytes, 100);
    assert_int_equal(d->history[1].bytes, 150);
    assert_int_equal(d->history[1].objects, 6);
    assert_int_equal(d->history[2].bytes, 350);
    assert_int_equal(d->history[2].objects, 8);
    assert_int_equal(d->history[2].newest_object, 30); /* the newest of both */
    snapshot_release(s);
}

static void test_growth_and_late(void **state) {
    (void)state;
    lake_snapshot *s = new_snapshot();
    add_database(s, "db");
    table_stats *t = add_table(s, "db", "daily");
    daily_history(t, 10, 100); /* bytes 100 .. 1000, one arrival a day */
    /* but nothing since two days ago: the last two samples repeat the third */
    t->history[9].newest_object = t->history[8].newest_object = t->history[7].newest_object;
    t->newest_object = t->history[7].newest_object; /* noon, two days ago */
    derive_snapshot(s);
    t = &s->tables[0];
    /* 7 days: 1000 - 300; 30 days: not that much history */
    assert_true(t->has_growth_7d);
    assert_int_equal(t->growth_7d_bytes, 700);
    assert_false(t->has_growth_30d);
    /* usual interval one day (8 arrivals, gaps of one day), 2 days without:
     * late at 1.5 times the usual */
    assert_int_equal(t->usual_interval_seconds, DAY);
    assert_int_equal(t->staleness_seconds, 2 * DAY);
    assert_true(t->late);
    snapshot_release(s);

    /* the same table with late_factor = 3: not late */
    s = new_snapshot();
    s->insights.late_factor = 3;
    add_database(s, "db");
    t = add_table(s, "db", "daily");
    daily_history(t, 10, 100);
    t->history[9].newest_object = t->history[8].newest_object = t->history[7].newest_object;
    t->newest_object = t->history[7].newest_object;
    derive_snapshot(s);
    assert_false(s->tables[0].late);
    snapshot_release(s);
}

static void test_small_files_setting(void **state) {
    (void)state;
    lake_snapshot *s = new_snapshot();
    s->insights.small_files = 5;
    s->insights.small_file_size = 200;
    add_database(s, "db");
    table_stats *t = add_table(s, "db", "a"); /* 10 files of 100 bytes */
    t = add_table(s, "db", "b");
    t->bytes = 10 * 300; /* 10 files of 300 bytes */
    derive_snapshot(s);
    assert_true(s->tables[0].small_files);
    assert_false(s->tables[1].small_files);
    snapshot_release(s);
}

/* issue 13: waste and many snapshots with the snapshot's settings; small
 * files on the live files of a metadata-origin table (objects/bytes). */
static void test_waste_and_snapshots(void **state) {
    (void)state;
    const int64_t GiB = (int64_t)1 << 30;
    lake_snapshot *s = new_snapshot(); /* defaults: 30 %, 10 GiB, 500 */
    add_database(s, "db");
    table_stats *t = add_table(s, "db", "a_waste"); /* 41 GiB of 100 GiB live: 41 % */
    table_stats_formats_unknown(t);
    t->table_format = TABLE_FORMAT_ICEBERG;
    t->origin = FIGURES_METADATA;
    t->bytes = 100 * GiB;
    t->unreferenced_bytes = 41 * GiB;
    t->snapshots = 501;
    t = add_table(s, "db", "b_slack"); /* 20 GiB of 100 GiB: 20 % */
    table_stats_formats_unknown(t);
    t->table_format = TABLE_FORMAT_DELTA;
    t->origin = FIGURES_METADATA;
    t->bytes = 100 * GiB;
    t->unreferenced_bytes = 20 * GiB;
    t->snapshots = 500;
    t = add_table(s, "db", "c_hive"); /* unreferenced unknown */
    table_stats_formats_unknown(t);
    t->bytes = 100 * GiB;
    t = add_table(s, "db", "d_small_live"); /* 3000 live files of 1 KiB; 50 GiB on storage */
    table_stats_formats_unknown(t);
    t->table_format = TABLE_FORMAT_ICEBERG;
    t->origin = FIGURES_METADATA;
    t->objects = 3000;
    t->bytes = 3000 * 1024;
    t->s3_objects = 3500;
    t->s3_bytes = 50 * GiB;
    t->unreferenced_bytes = 0;
    t = add_table(s, "db", "e_big_live"); /* 10 live files of 1 GiB; 5000 tiny on storage */
    table_stats_formats_unknown(t);
    t->table_format = TABLE_FORMAT_ICEBERG;
    t->origin = FIGURES_METADATA;
    t->objects = 10;
    t->bytes = 10 * GiB;
    t->s3_objects = 5010;
    t->s3_bytes = 10 * GiB + 5000 * 1024;
    derive_snapshot(s);
    assert_true(s->tables[0].waste);
    assert_true(s->tables[0].many_snapshots);
    assert_false(s->tables[1].waste);
    assert_false(s->tables[1].many_snapshots);
    assert_false(s->tables[2].waste);
    assert_false(s->tables[2].many_snapshots);
    assert_true(s->tables[3].small_files);
    assert_false(s->tables[3].waste);
    assert_false(s->tables[4].small_files);
    snapshot_release(s);

    /* the config's settings: 10 %, 1 GiB, 100 snapshots */
    s = new_snapshot();
    s->insights.waste_share = 0.10;
    s->insights.waste_bytes = GiB;
    s->insights.max_snapshots = 100;
    add_database(s, "db");
    t = add_table(s, "db", "b_slack");
    table_stats_formats_unknown(t);
    t->table_format = TABLE_FORMAT_DELTA;
    t->origin = FIGURES_METADATA;
    t->bytes = 100 * GiB;
    t->unreferenced_bytes = 20 * GiB;
    t->snapshots = 101;
    derive_snapshot(s);
    assert_true(s->tables[0].waste);
    assert_true(s->tables[0].many_snapshots);
    snapshot_release(s);
}

static schema_change *one_change(void) {
    schema_change *c = xcalloc(1, sizeof *c);
    c->kind = SCHEMA_ADDED;
    c->column = xstrdup("state");
    c->to = xstrdup("string");
    return c;
}

static void test_schema_recent(void **state) {
    (void)state;
    lake_snapshot *s = new_snapshot();
    add_database(s, "db");
    table_stats *t = add_table(s, "db", "a_recent");
    t->schema_changed_at = NOW - 2 * DAY;
    t->schema_changes = one_change();
    t->n_schema_changes = 1;
    t = add_table(s, "db", "b_old");
    t->schema_changed_at = NOW - 8 * DAY;
    t->schema_changes = one_change();
    t->n_schema_changes = 1;
    t = add_table(s, "db", "c_no_diff"); /* a time, but no change known */
    t->schema_changed_at = NOW - DAY;
    t = add_table(s, "db", "d_unknown");
    t->schema_changes = one_change();
    t->n_schema_changes = 1;
    derive_snapshot(s);
    assert_true(s->tables[0].schema_recent);
    assert_false(s->tables[1].schema_recent);
    assert_false(s->tables[2].schema_recent);
    assert_false(s->tables[3].schema_recent);
    snapshot_release(s);
}

static void test_forecast_and_quota(void **state) {
    (void)state;
    lake_snapshot *s = new_snapshot();
    add_database(s, "db");
    table_stats *t = add_table(s, "db", "growing");
    daily_history(t, 10, 100); /* exactly 100 bytes a day, 1000 today */
    t->bytes = 1000;
    t->quota_bytes = 2000; /* 1000 more at 100 a day: 10 days */
    t = add_table(s, "db", "full");
    daily_history(t, 10, 100);
    t->bytes = 2500;
    t->quota_bytes = 2000; /* reached */
    t = add_table(s, "db", "young");
    daily_history(t, 3, 100); /* under 5 days: no forecast */
    t->quota_bytes = 2000;
    derive_snapshot(s);
    t = &s->tables[1]; /* "growing" sorts after "full" */
    assert_true(t->has_forecast);
    assert_true(t->growth_bytes_per_day > 99.9 && t->growth_bytes_per_day < 100.1);
    assert_int_equal(t->projected_bytes_30d, 1000 + 30 * 100);
    assert_int_equal(t->days_to_quota, 10);
    assert_int_equal(s->tables[0].days_to_quota, 0);
    assert_false(s->tables[2].has_forecast);
    assert_int_equal(s->tables[2].days_to_quota, -1);
    snapshot_release(s);
}

/* `n` daily samples ending today of a table loaded every `period` days,
 * the last load `ago` days ago at noon, 1000 bytes a load */
static void periodic_history(table_stats *t, size_t n, int period, int ago) {
    t->history = xcalloc(n, sizeof *t->history);
    t->n_history = n;
    int64_t bytes = 0, newest = -1;
    for (size_t k = 0; k < n; k++) {
        int32_t day = TODAY - (int32_t)(n - 1 - k);
        int back = TODAY - day; /* days ago */
        if (back >= ago && (back - ago) % period == 0) {
            bytes += 1000;
            newest = (int64_t)day * DAY + 12 * 3600;
        }
        t->history[k] = (history_sample){day, bytes, bytes / 1000, newest};
    }
    t->bytes = bytes;
    t->objects = bytes / 1000;
    t->newest_object = newest;
}

/* thresholds.h's rule: a learned interval judges a table without a section
 * of its own, never more strictly than the global thresholds */
static void test_learned_thresholds(void **state) {
    (void)state;
    lake_snapshot *s = new_snapshot();
    add_database(s, "census");
    /* monthly, 12 days after its last load (the demo's census.zip_codes):
     * usual 30d, warn at 45d, crit at 90d: fresh, not late */
    periodic_history(add_table(s, "census", "a_monthly"), 120, 30, 12); /* 4 loads */
    /* weekly, 12 days after its last: usual 7d, warn 10.5d, crit 21d: warn */
    periodic_history(add_table(s, "census", "b_weekly"), 90, 7, 12);
    /* monthly too, but with thresholds of its own ([table] 2d and 7d): crit */
    table_stats *own = add_table(s, "census", "c_own");
    periodic_history(own, 120, 30, 12);
    own->stale_rule = STALE_RULE_TABLE;
    /* daily, 3 days without: the learned 1.5d/3d are under the global 2d/7d,
     * which stay: warn (and late) */
    periodic_history(add_table(s, "census", "d_daily"), 90, 1, 3);
    /* three loads only (12, 42 and 72 days ago): nothing learned, the
     * global thresholds: crit */
    periodic_history(add_table(s, "census", "e_young"), 90, 30, 12);
    derive_snapshot(s);
    const table_stats *t = s->tables;
    assert_int_equal(t[0].usual_interval_seconds, 30 * DAY);
    assert_int_equal(t[0].stale_rule, STALE_RULE_LEARNED);
    assert_int_equal(t[0].stale_warn_seconds, 45 * DAY);
    assert_int_equal(t[0].stale_crit_seconds, 90 * DAY);
    assert_int_equal(t[0].staleness_seconds, 12 * DAY);
    assert_int_equal(t[0].stale, STALE_FRESH);
    assert_false(t[0].late);

    assert_int_equal(t[1].stale_rule, STALE_RULE_LEARNED);
    assert_int_equal(t[1].stale_warn_seconds, 10 * DAY + 12 * 3600);
    assert_int_equal(t[1].stale_crit_seconds, 21 * DAY);
    assert_int_equal(t[1].stale, STALE_WARN);
    assert_true(t[1].late);

    assert_int_equal(t[2].stale_rule, STALE_RULE_TABLE);
    assert_int_equal(t[2].stale_warn_seconds, 2 * DAY);
    assert_int_equal(t[2].stale_crit_seconds, 7 * DAY);
    assert_int_equal(t[2].stale, STALE_CRIT);

    assert_int_equal(t[3].usual_interval_seconds, DAY);
    assert_int_equal(t[3].stale_rule, STALE_RULE_GLOBAL);
    assert_int_equal(t[3].stale_warn_seconds, 2 * DAY);
    assert_int_equal(t[3].stale, STALE_WARN);
    assert_true(t[3].late);

    assert_int_equal(t[4].usual_interval_seconds, -1);
    assert_int_equal(t[4].stale_rule, STALE_RULE_GLOBAL);
    assert_int_equal(t[4].stale, STALE_CRIT);
    snapshot_release(s);
}

/* a table that stopped forecasts flat; one still arriving does not */
static void test_stopped_forecasts_flat(void **state) {
    (void)state;
    lake_snapshot *s = new_snapshot();
    add_database(s, "web");
    /* 30 days: 100 bytes a day for 10 days, then nothing for 20 (the
     * demo's weblogs.sessions): the Theil-Sen slope of the window is still
     * above 0, but the table is late (20d > 1.5 x 1d) */
    table_stats *t = add_table(s, "web", "a_stopped");
    periodic_history(t, 30, 1, 20);
    table_stats *g = add_table(s, "web", "b_going");
    periodic_history(g, 30, 1, 0);
    derive_snapshot(s);
    t = &s->tables[0];
    g = &s->tables[1];
    assert_true(t->late);
    assert_true(t->has_forecast);
    assert_true(t->forecast_flat);
    assert_true(t->growth_bytes_per_day == 0);
    assert_int_equal(t->bytes, 10 * 1000);
    assert_int_equal(t->projected_bytes_30d, 10 * 1000);
    assert_int_equal(t->projected_bytes_90d, 10 * 1000);
    assert_false(g->late);
    assert_false(g->forecast_flat);
    assert_true(g->growth_bytes_per_day > 999.9 && g->growth_bytes_per_day < 1000.1);
    assert_int_equal(g->projected_bytes_30d, 30 * 1000 + 30 * 1000);
    snapshot_release(s);
}

/* The cost (cost.h) priced at the snapshot's prices: a month of storage
 * from the listing's billed bytes, scaled to the projected size, the
 * query share; the database's and the snapshot's sums skip the unknown. */
static void test_cost(void **state) {
    (void)state;
    const double gb = 1073741824.0;
    lake_snapshot *s = new_snapshot();
    s->prices.gb_month[COST_STANDARD] = 1.0; /* $1 per GB-month: figures by hand */
    s->prices.gb_month[COST_GLACIER] = 0.5;
    s->prices.athena_per_tb = 4.0;
    s->requests = 130;
    s->s3_list_requests = 100;
    s->s3_get_requests = 20;   /* and 10 of Glue's: not priced */
    s->interval_seconds = 864; /* 100 refreshes a day: 10,000 LISTs, 2,000 GETs */
    s->has_queries = true;
    s->queries_billed_bytes_30d = 3 * 1099511627776.0; /* 3 TB: $12 */
    add_database(s, "db");
    table_stats *t = add_table(s, "db", "a");
    t->has_storage = true;
    cost_storage_add(&t->storage, COST_STANDARD, 1LL << 30);          /* $1 */
    cost_storage_add(&t->storage, COST_GLACIER, (1LL << 30) - 32768); /* + 32 KiB: $0.5, */
    /* its 8 KiB at STANDARD: 8192 / 2^30 */
    daily_history(t, 10, 100);
    t->bytes = 1000; /* projected 4000 (test_forecast_and_quota): x4 */
    t->queries_30d = 2;
    t->query_billed_bytes_30d = 1099511627776.0 / 2; /* half a TB: $2 */
    t = add_table(s, "db", "b");                     /* not listed, no query history */
    t->queries_30d = -1;
    derive_snapshot(s);
    const table_stats *a = &s->tables[0], *b = &s->tables[1];
    double month = 1.5 + 8192 / gb;
    assert_true(a->cost_month_usd > month - 1e-9 && a->cost_month_usd < month + 1e-9);
    assert_true(a->cost_month_30d_usd > 4 * month - 1e-9 &&
                a->cost_month_30d_usd < 4 * month + 1e-9);
    assert_true(a->query_cost_30d_usd > 2 - 1e-9 && a->query_cost_30d_usd < 2 + 1e-9);
    assert_true(b->cost_month_usd < 0 && b->cost_month_30d_usd < 0 && b->query_cost_30d_usd < 0);
    const database_stats *d = &s->databases[0];
    assert_true(d->cost_month_usd > month - 1e-9 && d->cost_month_usd < month + 1e-9);
    assert_true(d->query_cost_30d_usd > 2 - 1e-9 && d->query_cost_30d_usd < 2 + 1e-9);
    assert_true(s->storage_month_usd > month - 1e-9 && s->storage_month_usd < month + 1e-9);
    assert_true(s->queries_30d_usd > 12 - 1e-9 && s->queries_30d_usd < 12 + 1e-9);
    double day = 10 * 0.005 + 2 * 0.0004;
    assert_true(s->refresh_day_usd > day - 1e-12 && s->refresh_day_usd < day + 1e-12);
    snapshot_release(s);
    /* no requests (the local lake), no query history: unknown */
    s = new_snapshot();
    derive_snapshot(s);
    assert_true(s->refresh_day_usd < 0 && s->queries_30d_usd < 0 && s->storage_month_usd < 0);
    snapshot_release(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_and_totals),
        cmocka_unit_test(test_staleness),
        cmocka_unit_test(test_database_history),
        cmocka_unit_test(test_growth_and_late),
        cmocka_unit_test(test_small_files_setting),
        cmocka_unit_test(test_schema_recent),
        cmocka_unit_test(test_forecast_and_quota),
        cmocka_unit_test(test_learned_thresholds),
        cmocka_unit_test(test_stopped_forecasts_flat),
        cmocka_unit_test(test_waste_and_snapshots),
        cmocka_unit_test(test_cost),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
