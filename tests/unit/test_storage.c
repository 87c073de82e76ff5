/* test_storage.c: the storage rules both backends share (markers, hidden
 * directories, partition directories) and s3:// addresses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "collector/storage.h"

static void test_marker_names(void **state) {
    (void)state;
    assert_true(storage_is_marker_name("_SUCCESS"));
    assert_true(storage_is_marker_name("dt=2024-01-01_$folder$"));
    assert_true(storage_is_marker_name(".part-0.crc"));
    assert_false(storage_is_marker_name("part-0.parquet"));
    assert_false(storage_is_marker_name("$folder$"));
}

static void test_marker_keys(void **state) {
    (void)state;
    assert_true(storage_is_marker_key("events/dt=2024-01-01/"));
    assert_true(storage_is_marker_key("events/dt=2024-01-01/_SUCCESS"));
    assert_true(storage_is_marker_key("events/dt=2024-01-01_$folder$"));
    assert_true(storage_is_marker_key("_committed_1"));
    assert_false(storage_is_marker_key("events/_x/part-0.parquet")); /* only the last part */
    assert_false(storage_is_marker_key("part-0.parquet"));
}

static void test_directories(void **state) {
    (void)state;
    assert_true(storage_is_hidden_dir("_temporary"));
    assert_true(storage_is_hidden_dir(".spark-staging"));
    assert_false(storage_is_hidden_dir("dt=2024-01-01"));
    assert_true(storage_is_partition_name("dt=2024-01-01"));
    assert_true(storage_is_partition_name("a=b=c"));
    assert_false(storage_is_partition_name("=x"));
    assert_false(storage_is_partition_name("dt="));
    assert_false(storage_is_partition_name("plain"));
    assert_int_equal(storage_partition_prefix_length("y=2024/m=01/part-0", 2),
                     strlen("y=2024/m=01/"));
    assert_int_equal(storage_partition_prefix_length("y=2024/m=01/part-0", 1), strlen("y=2024/"));
    assert_int_equal(storage_partition_prefix_length("y=2024/plain/part-0", 2), 0);
    assert_int_equal(storage_partition_prefix_length("y=2024", 1), 0); /* a file, not a dir */
    assert_int_equal(storage_partition_prefix_length("=2024/part-0", 1), 0);
    assert_int_equal(storage_partition_prefix_length("y=/part-0", 1), 0);
}

static void test_s3_addresses(void **state) {
    (void)state;
    char *bucket, *prefix, *error = NULL;
    assert_true(storage_s3_parse("s3://lake/events", &bucket, &prefix, NULL));
    assert_string_equal(bucket, "lake");
    assert_string_equal(prefix, "events/");
    free(bucket);
    free(prefix);
    assert_true(storage_s3_parse("s3a://lake/a/b/", &bucket, &prefix, NULL));
    assert_string_equal(prefix, "a/b/");
    free(bucket);
    free(prefix);
    assert_true(storage_s3_parse("s3://lake", &bucket, &prefix, NULL));
    assert_string_equal(bucket, "lake");
    assert_string_equal(prefix, "");
    free(bucket);
    free(prefix);
    assert_false(storage_s3_parse("s3:///x", &bucket, &prefix, NULL));
    assert_false(storage_s3_parse("/data/lake", &bucket, &prefix, NULL));
    assert_false(storage_s3_parse("hdfs://x/y", &bucket, &prefix, NULL));
    assert_false(storage_s3_parse("s3://", &bucket, &prefix, &error));
    assert_string_equal(error, "s3://: not an s3://bucket[/prefix] address");
    free(error);
    assert_true(storage_is_s3("s3://b/p"));
    assert_false(storage_is_s3("s3a://b/p"));
    assert_false(storage_is_s3(NULL));
    assert_false(storage_is_s3("/srv/s3://x"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_marker_names),
        cmocka_unit_test(test_marker_keys),
        cmocka_unit_test(test_directories),
        cmocka_unit_test(test_s3_addresses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
