/* test_crawl.c: following a crawl: the READY before the start is not the
 * end; RUNNING then READY is; a crawl shorter than a poll is recognised by
 * its start time; a crawler that never starts is given up on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "../../collector/crawl.h"

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

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_follow)};
    return cmocka_run_group_tests_name("crawl", tests, NULL, NULL);
}
