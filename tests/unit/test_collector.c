/* test_collector.c: the collector thread against a reader that keeps taking
 * snapshots while files change; built also with ThreadSanitizer. Checks
 * that every published snapshot is whole (database totals equal the sum of
 * their tables) and that the notification pipe wakes the reader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <poll.h>
#include <sys/stat.h>

#include "collector/collector.h"
#include "collector/local/local_source.h"
#include "lake_fixture.h"

#define FIGURES_AT_IS(s, t) assert_int_equal(snapshot_figures_at(s), (t))

static void check_whole(const lake_snapshot *s) {
    for (size_t i = 0; i < s->n_databases; i++) {
        const database_stats *d = &s->databases[i];
        int64_t bytes = 0;
        for (size_t k = 0; k < d->n_tables; k++) {
            const table_stats *t = &s->tables[d->first_table + k];
            assert_string_equal(t->database, d->name);
            if (t->bytes > 0)
                bytes += t->bytes;
        }
        assert_int_equal(bytes, d->bytes);
    }
}

/* A source whose refresh ends only when the collector stops. */
static bool blocked_refresh(lake_source *self, lake_snapshot *s, const bool *stop, char **error) {
    (void)self;
    (void)s;
    (void)error;
    while (!__atomic_load_n(stop, __ATOMIC_RELAXED)) /* as the sources read it */
        usleep(2000);
    return false;
}

static void blocked_free(lake_source *self) {
    free(self->name);
    free(self);
}

static void test_thread(void **state) {
    (void)state;
    char *root = fixture_lake();
    char *history = fs_join(root, ".laketop/history.tsv");
    int fds[2];
    assert_int_equal(pipe2(fds, O_NONBLOCK), 0);
    collector_options o = {.source = local_source_new(root),
                           .history_path = history,
                           .interval_seconds = 3600,
                           .notify_fd = fds[1]};
    thresholds_init(&o.thresholds);
    collector *c = collector_start(&o);
    thresholds_free(&o.thresholds); /* the collector keeps its own copy */

    uint64_t seen_refreshes = 0;
    int64_t last_bytes = -1;
    for (int round = 0; round < 20; round++) {
        char rel[64];
        snprintf(rel, sizeof rel, "storing/sales/orders/dt=2025-11-21/p%d.parquet", round);
        fixture_file(root, rel, 10, FIXTURE_DAY + round);
        collector_refresh_now(c);
        /* wait (bounded) for the collector to report a finished refresh */
        for (int wait = 0; wait < 500; wait++) {
            struct pollfd p = {.fd = fds[0], .events = POLLIN};
            poll(&p, 1, 20);
            char buf[64];
            while (read(fds[0], buf, sizeof buf) > 0) {
            }
            collector_status st;
            collector_get_status(c, &st);
            free(st.last_error);
            if (st.refreshes > seen_refreshes && st.state == COLLECTOR_IDLE) {
                seen_refreshes = st.refreshes;
                break;
            }
        }
        lake_snapshot *s = collector_acquire(c);
        assert_non_null(s);
        check_whole(s);
        const table_stats *orders = snapshot_find_table(s, "sales", "orders");
        assert_non_null(orders);
        assert_true(orders->bytes >= last_bytes);
        last_bytes = orders->bytes;
        snapshot_release(s);
    }
    assert_true(seen_refreshes >= 2);
    assert_int_equal(last_bytes, 350 + 20 * 10);
    collector_stop(c);
    close(fds[0]);
    close(fds[1]);

    /* a restart first publishes the saved state, without a scan */
    o.notify_fd = -1;
    thresholds_init(&o.thresholds);
    c = collector_start(&o);
    lake_snapshot *s = NULL;
    for (int wait = 0; wait < 500 && !s; wait++) {
        s = collector_acquire(c);
        if (!s)
            usleep(10000);
    }
    assert_non_null(s);
    const table_stats *orders = snapshot_find_table(s, "sales", "orders");
    assert_int_equal(orders->bytes, 550);
    snapshot_release(s);
    collector_stop(c);
    thresholds_free(&o.thresholds);
    lake_source_free(o.source);

    /* The saved state again, behind a refresh that does not end: its
     * figures are as old as the history's last save, and the table's
     * "Scanned ... ago" and the status bar's "data ... old" read that time
     * (not the start of the sample's day, not the restart). */
    lake_source *blocked = xcalloc(1, sizeof *blocked);
    blocked->name = xstrdup("blocked");
    blocked->refresh = blocked_refresh;
    blocked->free = blocked_free;
    o.source = blocked;
    thresholds_init(&o.thresholds);
    c = collector_start(&o);
    s = NULL;
    for (int wait = 0; wait < 500 && !s; wait++) {
        s = collector_acquire(c);
        if (!s)
            usleep(10000);
    }
    assert_non_null(s);
    assert_true(s->from_saved_state);
    orders = snapshot_find_table(s, "sales", "orders");
    assert_non_null(orders);
    struct stat st;
    assert_int_equal(stat(history, &st), 0);
    assert_int_equal(orders->scanned_at, (int64_t)st.st_mtime);
    FIGURES_AT_IS(s, (int64_t)st.st_mtime);
    snapshot_release(s);
    collector_stop(c);
    thresholds_free(&o.thresholds);
    lake_source_free(blocked);
    free(history);
    fixture_remove(root);
}

/* A source that reads database "census" with one table the first time and
 * cannot list its tables afterwards (as a GetTables that keeps failing). */
typedef struct flaky_source {
    lake_source base;
    int refreshes;
} flaky_source;

static bool flaky_refresh(lake_source *self, lake_snapshot *s, const bool *stop, char **error) {
    (void)stop;
    (void)error;
    flaky_source *f = (flaky_source *)self;
    s->databases = xcalloc(1, sizeof *s->databases);
    s->n_databases = 1;
    s->databases[0].name = xstrdup("census");
    s->databases[0].create_time = -1;
    if (f->refreshes++ > 0) {
        s->databases[0].error = xstrdup("GetTables: InternalServiceException");
        return true;
    }
    s->tables = xcalloc(1, sizeof *s->tables);
    s->n_tables = 1;
    table_stats *t = &s->tables[0];
    t->database = xstrdup("census");
    t->name = xstrdup("zips");
    t->location = xstrdup("s3://lake/zips/");
    t->format = xstrdup("csv");
    t->table_type = xstrdup("EXTERNAL_TABLE");
    t->create_time = t->update_time = t->last_access_time = t->retention = -1;
    t->lake_formation = -1;
    t->catalog_partitions = t->schema_changed_at = t->queries_30d = -1;
    t->objects = 3;
    t->bytes = 300;
    t->newest_object = 1000;
    t->partitions = t->marker_objects = 0;
    return true;
}

static void flaky_free(lake_source *self) {
    free(self->name);
    free(self);
}

static void wait_refreshes(collector *c, int fd, uint64_t n) {
    for (int wait = 0; wait < 500; wait++) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        poll(&p, 1, 20);
        char buf[64];
        while (read(fd, buf, sizeof buf) > 0) {
        }
        collector_status st;
        collector_get_status(c, &st);
        free(st.last_error);
        if (st.refreshes >= n && st.state == COLLECTOR_IDLE)
            return;
    }
    fail_msg("no refresh %llu", (unsigned long long)n);
}

static void test_unread_database_keeps_tables(void **state) {
    (void)state;
    flaky_source *f = xcalloc(1, sizeof *f);
    f->base.name = xstrdup("flaky");
    f->base.refresh = flaky_refresh;
    f->base.free = flaky_free;
    int fds[2];
    assert_int_equal(pipe2(fds, O_NONBLOCK), 0);
    collector_options o = {.source = &f->base, .interval_seconds = 3600, .notify_fd = fds[1]};
    thresholds_init(&o.thresholds);
    collector *c = collector_start(&o);
    thresholds_free(&o.thresholds);
    wait_refreshes(c, fds[0], 1);
    collector_refresh_now(c);
    wait_refreshes(c, fds[0], 2);
    lake_snapshot *s = collector_acquire(c);
    assert_non_null(s);
    const database_stats *d = snapshot_find_database(s, "census");
    assert_non_null(d);
    assert_non_null(d->error);
    /* not an empty database: its table is kept, marked, with its last figures */
    assert_int_equal(d->n_tables, 1);
    const table_stats *t = snapshot_find_table(s, "census", "zips");
    assert_non_null(t);
    assert_non_null(t->error);
    assert_non_null(strstr(t->error, "database census could not be read"));
    assert_int_equal(t->bytes, 300);
    assert_int_equal(t->objects, 3);
    assert_int_equal(d->bytes, 300);
    assert_true(t->scanned_at > 0); /* the age of those figures */
    snapshot_release(s);
    collector_stop(c);
    lake_source_free(&f->base);
    close(fds[0]);
    close(fds[1]);
}

/* A source whose Iceberg table is read from its metadata the first time
 * and cannot be listed afterwards. */
static bool iceberg_refresh(lake_source *self, lake_snapshot *s, const bool *stop, char **error) {
    (void)stop;
    (void)error;
    flaky_source *f = (flaky_source *)self;
    s->databases = xcalloc(1, sizeof *s->databases);
    s->n_databases = 1;
    s->databases[0].name = xstrdup("sales");
    s->databases[0].create_time = -1;
    s->tables = xcalloc(1, sizeof *s->tables);
    s->n_tables = 1;
    table_stats *t = &s->tables[0];
    t->database = xstrdup("sales");
    t->name = xstrdup("orders");
    t->location = xstrdup("s3://lake/orders");
    t->format = xstrdup("parquet");
    t->table_type = xstrdup("EXTERNAL_TABLE");
    t->create_time = t->update_time = t->last_access_time = t->retention = -1;
    t->lake_formation = -1;
    t->catalog_partitions = t->schema_changed_at = t->queries_30d = -1;
    t->objects = t->bytes = t->newest_object = t->partitions = t->marker_objects = -1;
    table_stats_formats_unknown(t);
    t->table_format = TABLE_FORMAT_ICEBERG;
    if (f->refreshes++ > 0) {
        t->error = xstrdup("s3://lake/orders/: AccessDenied");
        return true;
    }
    t->origin = FIGURES_METADATA;
    t->objects = 4;
    t->bytes = 400;
    t->newest_object = t->last_commit = 2000;
    t->records = 40;
    t->snapshots = 2;
    t->s3_objects = 9;
    t->s3_bytes = 900;
    t->unreferenced_bytes = 100;
    t->metadata_location = xstrdup("s3://lake/orders/metadata/2.metadata.json");
    table_commit c[] = {{.id = 1, .at = 1000, .total_files = 2, .total_bytes = 200},
                        {.id = 2, .at = 2000, .total_files = 4, .total_bytes = 400}};
    t->commits = table_commits_copy(c, 2);
    t->n_commits = 2;
    t->partitions = t->marker_objects = 0;
    return true;
}

/* A table that cannot be refreshed keeps its last open-format figures. */
static void test_unread_table_keeps_formats(void **state) {
    (void)state;
    flaky_source *f = xcalloc(1, sizeof *f);
    f->base.name = xstrdup("iceberg");
    f->base.refresh = iceberg_refresh;
    f->base.free = flaky_free;
    int fds[2];
    assert_int_equal(pipe2(fds, O_NONBLOCK), 0);
    collector_options o = {.source = &f->base, .interval_seconds = 3600, .notify_fd = fds[1]};
    thresholds_init(&o.thresholds);
    collector *c = collector_start(&o);
    thresholds_free(&o.thresholds);
    wait_refreshes(c, fds[0], 1);
    collector_refresh_now(c);
    wait_refreshes(c, fds[0], 2);
    lake_snapshot *s = collector_acquire(c);
    const table_stats *t = snapshot_find_table(s, "sales", "orders");
    assert_non_null(t);
    assert_non_null(t->error);
    assert_int_equal(t->bytes, 400);
    assert_int_equal(t->origin, FIGURES_METADATA);
    assert_int_equal(t->records, 40);
    assert_int_equal(t->s3_bytes, 900);
    assert_int_equal(t->unreferenced_bytes, 100);
    assert_int_equal(t->last_commit, 2000);
    assert_int_equal(t->n_commits, 2);
    assert_string_equal(t->metadata_location, "s3://lake/orders/metadata/2.metadata.json");
    snapshot_release(s);
    collector_stop(c);
    lake_source_free(&f->base);
    close(fds[0]);
    close(fds[1]);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_thread),
        cmocka_unit_test(test_unread_database_keeps_tables),
        cmocka_unit_test(test_unread_table_keeps_formats),
    };
    return cmocka_run_group_tests_name("collector", tests, NULL, NULL);
}
