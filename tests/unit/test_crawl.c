/* test_crawl.c: following a crawl: the READY before the start is not the
 * end; RUNNING then READY is; a crawl shorter than a poll is recognised by
 * its start time; a crawler that never starts is given up on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "actions/crawl.h"
#include "collector/local/local_crawler.h"
#include <stdlib.h>

static crawler_info seen(const char *state, const char *status, int64_t start) {
    crawler_info c;
    memset(&c, 0, sizeof c);
    c.state = (char *)state;
    c.last_status = (char *)status;
    c.last_start = start;
    return c;
}

static void test_follow(void **state) {
    (void)state;
    crawl_follow f = {.asked_at = 1000};
    crawler_info before = seen("READY", "SUCCEEDED", 500); /* last night's run */
    assert_int_equal(crawl_observe(&f, &before), CRAWL_WAITING);
    crawler_info running = seen("RUNNING", "SUCCEEDED", 500);
    assert_int_equal(crawl_observe(&f, &running), CRAWL_WAITING);
    crawler_info stopping = seen("STOPPING", NULL, 500);
    assert_int_equal(crawl_observe(&f, &stopping), CRAWL_WAITING);
    crawler_info done = seen("READY", "FAILED", 1001);
    assert_int_equal(crawl_observe(&f, &done), CRAWL_FAILED);
    crawl_follow g = {.asked_at = 1000};
    crawler_info fast = seen("READY", "SUCCEEDED", 1002); /* ran between two polls */
    assert_int_equal(crawl_observe(&g, &fast), CRAWL_SUCCEEDED);
    crawl_follow h = {.asked_at = 1000};
    crawler_info cancelled = seen("READY", "CANCELLED", 999); /* within the clocks' 5 s */
    assert_int_equal(crawl_observe(&h, &cancelled), CRAWL_FAILED);
    crawl_follow k = {.asked_at = 1000};
    for (int i = 0; i < 3; i++)
        assert_int_equal(crawl_observe(&k, &before), CRAWL_WAITING);
    assert_int_equal(k.polls_ready, 3);
}

static void free_columns(table_column *c, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(c[i].name);
        free(c[i].type);
    }
    free(c);
}

static void test_local_columns(void **state) {
    (void)state;
    table_column *c;
    size_t n;
    local_crawler_columns("csv", "id, \"name\",amount\r\n", &c, &n);
    assert_int_equal(n, 3);
    assert_string_equal(c[1].name, "name");
    assert_string_equal(c[2].type, "string");
    free_columns(c, n);
    local_crawler_columns(
        "json", "{\"id\": 1, \"score\": 2.5, \"ok\": true, \"tags\": [], \"who\": \"x\"}", &c, &n);
    assert_int_equal(n, 5);
    assert_string_equal(c[0].type, "bigint");
    assert_string_equal(c[1].type, "double");
    assert_string_equal(c[2].type, "boolean");
    assert_string_equal(c[3].type, "array<string>");
    assert_string_equal(c[4].type, "string");
    free_columns(c, n);
    local_crawler_columns("json", "not json", &c, &n);
    assert_int_equal(n, 0);
    local_crawler_columns("parquet", "PAR1....", &c, &n);
    assert_int_equal(n, 0);
    local_crawler_columns("csv", NULL, &c, &n);
    assert_int_equal(n, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_follow),
                                       cmocka_unit_test(test_local_columns)};
    return cmocka_run_group_tests_name("crawl", tests, NULL, NULL);
}
