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

#include "collector/collector.h"
#include "collector/local/local_source.h"
#include "lake_fixture.h"

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
    free(history);
    fixture_remove(root);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_thread),
    };
    return cmocka_run_group_tests_name("collector", tests, NULL, NULL);
}
