/* test_history_recent.c: the recent part of the history that the first frame
 * is drawn from: its name, what it keeps of each table, its stamp of the
 * history it was cut from (a history changed since is never used), and that
 * every figure derived from it is the figure derived from the whole history
 * (random series of every cadence, 400 days long). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/derive.h"
#include "collector/figures/history_recent.h"
#include "collector/figures/insights.h"
#include "common/fs.h"
#include "common/xalloc.h"
#include "unit_tmp.h"

#define DAY 86400
#define TODAY 20400

static char *temp_dir(void) {
    char tmpl[256];
    assert_non_null(mkdtemp(unit_tmp_template(tmpl, sizeof tmpl, "laketop-recent")));
    return xstrdup(tmpl);
}

static void remove_dir(char *dir) {
    char *cmd = xasprintf("rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(dir);
}

/* A series of `n` samples, one every `every` days, ending `end_ago` days
 * before TODAY; bytes grow by `step`, an arrival at each sample. */
static void add_series(history_store *h, const char *table, size_t n, int every, int end_ago,
                       int64_t step) {
    for (size_t k = 0; k < n; k++) {
        int32_t day = TODAY - end_ago - (int32_t)((n - 1 - k) * (size_t)every);
        history_sample x = {.day = day,
                            .bytes = step * (int64_t)(k + 1),
                            .objects = (int64_t)k + 1,
                            .newest_object = (int64_t)day * DAY + 3600};
        history_store_record(h, "db", table, &x);
    }
}

static void test_path(void **state) {
    (void)state;
    char *p = history_recent_path("/lake/.laketop/history.tsv");
    assert_string_equal(p, "/lake/.laketop/history.recent.tsv");
    free(p);
    p = history_recent_path("/state/laketop/aws-history");
    assert_string_equal(p, "/state/laketop/aws-history.recent");
    free(p);
}

static size_t samples_of(const history_store *h, const char *table) {
    size_t n;
    history_store_series(h, "db", table, &n);
    return n;
}

/* What the part keeps: 90 days before each table's own newest sample and
 * the sample before them, and never fewer than 40 samples. */
static void test_part_keeps(void **state) {
    (void)state;
    char *dir = temp_dir();
    char *path = fs_join(dir, "history.tsv");
    history_store *h = history_store_new();
    add_series(h, "daily", 400, 1, 0, 10);    /* 90 days + 1 before = 91 */
    add_series(h, "weekly", 58, 7, 0, 10);    /* 13 in 90 days + 1 = 14 < 40: 40 */
    add_series(h, "stopped", 300, 1, 200, 5); /* its own last 90 days: 91 */
    add_series(h, "young", 12, 1, 0, 5);      /* all 12 */
    char *error = NULL;
    assert_true(history_store_save(h, path, &error));
    assert_true(history_recent_save(h, path, &error));
    assert_null(error);
    history_store *r = history_store_new();
    assert_true(history_recent_load(r, path, TODAY + 1));
    assert_int_equal(samples_of(r, "daily"), 91);
    assert_int_equal(samples_of(r, "weekly"), 40);
    assert_int_equal(samples_of(r, "stopped"), 91);
    assert_int_equal(samples_of(r, "young"), 12);
    size_t n;
    const history_sample *x = history_store_series(r, "db", "stopped", &n);
    assert_int_equal(x[n - 1].day, TODAY - 200);
    assert_int_equal(x[0].day, TODAY - 200 - 90);
    history_store_free(r);
    history_store_free(h);
    free(path);
    remove_dir(dir);
}

static bool recent_loads(const char *path) {
    history_store *r = history_store_new();
    bool ok = history_recent_load(r, path, TODAY + 1);
    history_store_free(r);
    return ok;
}

/* The stamp: a history saved again, edited or removed since makes the
 * recent file unusable; so do a missing or damaged recent file. */
static void test_stamp(void **state) {
    (void)state;
    char *dir = temp_dir();
    char *path = fs_join(dir, "history.tsv");
    char *recent = history_recent_path(path);
    history_store *h = history_store_new();
    add_series(h, "daily", 100, 1, 0, 10);
    char *error = NULL;
    assert_false(recent_loads(path)); /* neither file */
    assert_true(history_store_save(h, path, &error));
    assert_false(recent_loads(path)); /* no recent file */
    assert_true(history_recent_save(h, path, &error));
    assert_true(recent_loads(path));
    /* saved again (a laketop that writes no recent file): a new inode */
    assert_true(history_store_save(h, path, &error));
    assert_false(recent_loads(path));
    assert_true(history_recent_save(h, path, &error));
    assert_true(recent_loads(path));
    /* edited in place: another size */
    FILE *fp = fopen(path, "a");
    assert_non_null(fp);
    fputs("# a note by hand\n", fp);
    fclose(fp);
    assert_false(recent_loads(path));
    assert_true(history_recent_save(h, path, &error));
    assert_true(recent_loads(path));
    /* the recent file damaged: its stamp line, then a sample line */
    size_t len = 0;
    char *text = fs_read_file(recent, &len, &error);
    assert_non_null(text);
    char *damaged = xstrdup(text);
    damaged[strlen(HISTORY_HEADER) + 4] ^= 1;
    assert_true(fs_write_atomic(recent, damaged, len, &error));
    assert_false(recent_loads(path));
    memcpy(damaged, text, len);
    damaged[len - 3] = 'x';
    assert_true(fs_write_atomic(recent, damaged, len, &error));
    assert_false(recent_loads(path));
    free(damaged);
    free(text);
    /* the history removed */
    assert_true(history_recent_save(h, path, &error));
    assert_int_equal(unlink(path), 0);
    assert_false(recent_loads(path));
    assert_null(error);
    history_store_free(h);
    free(recent);
    free(path);
    remove_dir(dir);
}

static void table_from(table_stats *t, const history_store *h, const char *name) {
    memset(t, 0, sizeof *t);
    t->database = xstrdup("db");
    t->name = xstrdup(name);
    size_t n;
    const history_sample *x = history_store_series(h, "db", name, &n);
    t->history = xmalloc((n ? n : 1) * sizeof *x);
    memcpy(t->history, x, n * sizeof *x);
    t->n_history = n;
    t->bytes = n ? x[n - 1].bytes : -1;
    t->objects = n ? x[n - 1].objects : -1;
    t->newest_object = n ? x[n - 1].newest_object : -1;
    t->stale_warn_seconds = 2 * DAY;
    t->stale_crit_seconds = 7 * DAY;
    t->quota_bytes = 50000;
    t->schema_changed_at = -1;
}

static lake_snapshot *snapshot_from(const history_store *h, size_t n_tables) {
    lake_snapshot *s = snapshot_new("local:/lake");
    s->insights = insights_default_settings();
    s->generated_at = (int64_t)TODAY * DAY + 12 * 3600;
    s->databases = xcalloc(1, sizeof *s->databases);
    s->n_databases = 1;
    s->databases[0].name = xstrdup("db");
    s->tables = xcalloc(n_tables, sizeof *s->tables);
    for (size_t i = 0; i < n_tables; i++) {
        char name[32];
        snprintf(name, sizeof name, "t%03zu", i);
        table_from(&s->tables[s->n_tables++], h, name);
    }
    derive_snapshot(s);
    return s;
}

/* Every derived figure of 300 random tables (daily, weekly, monthly, with
 * gaps, stopped long ago, spikes, shrinking) is the same from the recent
 * part as from the whole history. */
static void test_same_figures(void **state) {
    (void)state;
    char *dir = temp_dir();
    char *path = fs_join(dir, "history.tsv");
    history_store *h = history_store_new();
    unsigned seed = 12345;
    enum { TABLES = 300 };
    for (size_t i = 0; i < TABLES; i++) {
        char name[32];
        snprintf(name, sizeof name, "t%03zu", i);
        int every = 1 + (int)(rand_r(&seed) % 40);
        int stop = rand_r(&seed) % 4 == 0 ? (int)(rand_r(&seed) % 300) : 0;
        int64_t bytes = 1000, newest = -1;
        for (int32_t day = TODAY - 400; day <= TODAY - stop; day++) {
            if (rand_r(&seed) % 5 == 0)
                continue; /* no sample that day */
            if ((day - (TODAY - 400)) % every == 0) {
                bytes += (int64_t)(rand_r(&seed) % 5000) - (rand_r(&seed) % 9 == 0 ? 4000 : 0);
                if (bytes < 0)
                    bytes = 0;
                newest = (int64_t)day * DAY + (int64_t)(rand_r(&seed) % DAY);
            }
            history_sample x = {
                .day = day, .bytes = bytes, .objects = bytes / 100, .newest_object = newest};
            history_store_record(h, "db", name, &x);
        }
    }
    char *error = NULL;
    assert_true(history_store_save(h, path, &error));
    assert_true(history_recent_save(h, path, &error));
    history_store *r = history_store_new();
    assert_true(history_recent_load(r, path, TODAY + 1));
    assert_true(history_store_samples(r) < history_store_samples(h) / 2);
    lake_snapshot *whole = snapshot_from(h, TABLES), *part = snapshot_from(r, TABLES);
    size_t late = 0, anomalies = 0, forecasts = 0;
    for (size_t i = 0; i < TABLES; i++) {
        const table_stats *a = &whole->tables[i], *b = &part->tables[i];
        assert_string_equal(a->name, b->name);
        assert_int_equal(a->stale, b->stale);
        assert_int_equal(a->has_growth_7d, b->has_growth_7d);
        assert_int_equal(a->growth_7d_bytes, b->growth_7d_bytes);
        assert_int_equal(a->has_growth_30d, b->has_growth_30d);
        assert_int_equal(a->growth_30d_bytes, b->growth_30d_bytes);
        assert_int_equal(a->usual_interval_seconds, b->usual_interval_seconds);
        assert_int_equal(a->late, b->late);
        assert_int_equal(a->anomaly, b->anomaly);
        assert_int_equal(a->growth_today_bytes, b->growth_today_bytes);
        assert_int_equal(a->has_forecast, b->has_forecast);
        assert_int_equal(a->projected_bytes_30d, b->projected_bytes_30d);
        assert_int_equal(a->projected_bytes_90d, b->projected_bytes_90d);
        assert_int_equal(a->days_to_quota, b->days_to_quota);
        late += a->late;
        anomalies += a->anomaly;
        forecasts += a->has_forecast;
    }
    /* the series exercise each figure */
    assert_true(late > 0);
    assert_true(forecasts > 0);
    (void)anomalies;
    const database_stats *da = &whole->databases[0], *db = &part->databases[0];
    assert_int_equal(da->bytes, db->bytes);
    snapshot_release(whole);
    snapshot_release(part);
    history_store_free(r);
    history_store_free(h);
    free(path);
    remove_dir(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_path),
        cmocka_unit_test(test_part_keeps),
        cmocka_unit_test(test_stamp),
        cmocka_unit_test(test_same_figures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
