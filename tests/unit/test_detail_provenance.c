/* test_detail_provenance.c: a table's provenance in words, and when its
 * figures are older than their verification period (dimmed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "views/detail_provenance.h"

#define NOW 1800000000

static void test_words(void **state) {
    (void)state;
    table_stats t;
    memset(&t, 0, sizeof t);
    char buf[192];
    t.provenance = PROVENANCE_LISTED;
    t.provenance_as_of = NOW - 120;
    t.provenance_verified_at = NOW - 120;
    assert_string_equal(detail_provenance_words(&t, NOW, buf, sizeof buf), "listed 2m ago");
    assert_false(detail_provenance_stale(&t, NOW + 999999));
    t.provenance = PROVENANCE_INCREMENTAL;
    t.provenance_verified_at = NOW - 5 * 3600;
    t.provenance_verify_every = 24 * 3600;
    assert_string_equal(detail_provenance_words(&t, NOW, buf, sizeof buf),
                        "incremental: new and recent partitions listed 2m ago, the rest verified "
                        "within 1d (oldest 5h ago)");
    assert_false(detail_provenance_stale(&t, NOW));
    assert_true(detail_provenance_stale(&t, NOW + 20 * 3600));
    t.provenance = PROVENANCE_INVENTORY;
    t.inventory_date = "2026-12-01";
    assert_string_equal(detail_provenance_words(&t, NOW, buf, sizeof buf),
                        "S3 Inventory of 2026-12-01 (taken 5h ago), plus newer partitions "
                        "listed 2m ago");
    t.provenance_as_of = t.provenance_verified_at; /* a flat table: the report alone */
    assert_string_equal(detail_provenance_words(&t, NOW, buf, sizeof buf),
                        "S3 Inventory of 2026-12-01 (taken 5h ago)");
    t.provenance_as_of = NOW - 120;
    t.provenance = PROVENANCE_METADATA;
    assert_string_equal(detail_provenance_words(&t, NOW, buf, sizeof buf),
                        "from its metadata, read 2m ago");
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_words)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
