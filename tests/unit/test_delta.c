/* test_delta.c: the Delta Lake log (delta.h): commits replayed into the
 * live files (adds, removes, re-adds, stats missing, percent-encoded
 * partition paths, deletion vectors), the table_commit of each commit, gaps
 * and bad lines named, references of older commits, checkpoint rows,
 * _last_checkpoint, .crc and the version of every kind of log file name.
 * The expected figures are worked out by hand from the commits written
 * here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/formats/delta.h"

#define PROTOCOL "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}\n"
#define METADATA                                                                        \
    "{\"metaData\":{\"id\":\"t\",\"format\":{\"provider\":\"parquet\",\"options\":{}}," \
    "\"schemaString\":\"{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[]}\","             \
    "\"partitionColumns\":[\"date\"],\"configuration\":{}}}\n"
#define INFO(ms, op) "{\"commitInfo\":{\"timestamp\":" #ms ",\"operation\":\"" op "\"}}\n"
#define ADD(path, size, records)                                             \
    "{\"add\":{\"path\":\"" path "\",\"partitionValues\":{},\"size\":" #size \
    ",\"modificationTime\":1700000000000,\"dataChange\":true,\"stats\":\"{"  \
    "\\\"numRecords\\\":" #records ",\\\"minValues\\\":{}}\"}}\n"
#define ADD_NOSTATS(path, size)                                              \
    "{\"add\":{\"path\":\"" path "\",\"partitionValues\":{},\"size\":" #size \
    ",\"modificationTime\":1700000000000,\"dataChange\":true}}\n"
#define REMOVE(path)                                                          \
    "{\"remove\":{\"path\":\"" path "\",\"deletionTimestamp\":1700000000000," \
    "\"dataChange\":true}}\n"

static bool apply(delta_log *log, int64_t version, const char *text, char **error) {
    return delta_log_apply_commit(log, version, text, strlen(text), 1234, error);
}

static void apply_ok(delta_log *log, int64_t version, const char *text) {
    char *error = NULL;
    bool ok = apply(log, version, text, &error);
    if (!ok)
        fail_msg("version %lld: %s", (long long)version, error);
    assert_null(error);
}

static void assert_figures(const delta_log *log, int64_t version, int64_t files, int64_t bytes,
                           int64_t records) {
    delta_figures f;
    delta_log_figures(log, &f);
    assert_int_equal(f.version, version);
    assert_int_equal(f.files, files);
    assert_int_equal(f.bytes, bytes);
    assert_int_equal(f.records, records);
}

static void test_empty_log(void **state) {
    (void)state;
    delta_log *log = delta_log_new();
    delta_figures f;
    delta_log_figures(log, &f);
    assert_int_equal(f.version, -1);
    assert_int_equal(f.files, 0);
    assert_int_equal(f.bytes, 0);
    assert_int_equal(f.records, 0);
    assert_int_equal(f.last_commit, -1);
    assert_int_equal(f.min_reader_version, 0);
    assert_null(f.partition_columns); /* no metaData seen */
    size_t n = 99;
    table_commit *c = delta_log_take_commits(log, &n);
    assert_null(c);
    assert_int_equal(n, 0);
    delta_log_free(log);
    delta_log_free(NULL);
}

static void test_adds_removes_readds(void **state) {
    (void)state;
    delta_log *log = delta_log_new();
    apply_ok(log, 0,
             INFO(1700000000000, "WRITE")
                 PROTOCOL METADATA ADD("date=2024-01-01/a.parquet", 100, 10)
                     ADD("date=2024-01-01/b.parquet", 200, 20));
    assert_figures(log, 0, 2, 300, 30);
    apply_ok(log, 1, INFO(1700003600000, "WRITE") ADD("date=2024-01-02/c.parquet", 50, 5));
    assert_figures(log, 1, 3, 350, 35);
    /* OPTIMIZE: a and b replaced by d */
    apply_ok(log, 2,
             INFO(1700007200999, "OPTIMIZE") REMOVE("date=2024-01-01/a.parquet")
                 REMOVE("date=2024-01-01/b.parquet") ADD("date=2024-01-01/d.parquet", 280, 30));
    assert_figures(log, 2, 2, 330, 35);
    /* a re-added with other figures; a remove of a file never added */
    apply_ok(log, 3,
             INFO(1700010800000, "RESTORE") ADD("date=2024-01-01/a.parquet", 111, 11)
                 REMOVE("date=2024-01-09/never.parquet"));
    assert_figures(log, 3, 3, 441, 46);
    /* an add of a live path replaces it */
    apply_ok(log, 4, INFO(1700014400000, "WRITE") ADD("date=2024-01-01/a.parquet", 120, 12));
    assert_figures(log, 4, 3, 450, 47);

    assert_true(delta_log_is_live(log, "date=2024-01-01/a.parquet"));
    assert_false(delta_log_is_live(log, "date=2024-01-01/b.parquet"));
    assert_true(delta_log_references(log, "date=2024-01-01/b.parquet"));
    assert_true(delta_log_references(log, "date=2024-01-09/never.parquet"));
    assert_false(delta_log_is_live(log, "date=2024-01-09/never.parquet"));
    assert_false(delta_log_references(log, "date=2024-01-01/orphan.parquet"));

    delta_figures f;
    delta_log_figures(log, &f);
    assert_int_equal(f.last_commit, 1700014400);
    assert_int_equal(f.min_reader_version, 1);

    size_t n = 0;
    table_commit *c = delta_log_take_commits(log, &n);
    assert_int_equal(n, 5);
    assert_int_equal(c[0].id, 0);
    assert_int_equal(c[0].at, 1700000000);
    assert_string_equal(c[0].operation, "WRITE");
    assert_int_equal(c[0].added_files, 2);
    assert_int_equal(c[0].removed_files, 0);
    assert_int_equal(c[0].added_records, 30);
    assert_int_equal(c[0].removed_records, 0);
    assert_int_equal(c[0].total_files, 2);
    assert_int_equal(c[0].total_bytes, 300);
    assert_int_equal(c[0].total_records, 30);
    assert_int_equal(c[2].id, 2);
    assert_int_equal(c[2].at, 1700007200); /* ms cut to seconds */
    assert_string_equal(c[2].operation, "OPTIMIZE");
    assert_int_equal(c[2].added_files, 1);
    assert_int_equal(c[2].removed_files, 2);
    assert_int_equal(c[2].added_records, 30);
    assert_int_equal(c[2].removed_records, 30);
    assert_int_equal(c[2].total_files, 2);
    assert_int_equal(c[2].total_bytes, 330);
    /* the file removed at 3 was not live: its records are unknown */
    assert_int_equal(c[3].removed_files, 1);
    assert_int_equal(c[3].removed_records, -1);
    assert_int_equal(c[3].total_records, 46);
    assert_int_equal(c[4].total_bytes, 450);
    table_commits_free(c, n);
    /* taken: the log keeps none */
    c = delta_log_take_commits(log, &n);
    assert_null(c);
    assert_int_equal(n, 0);
    delta_log_free(log);
}

static void test_stats_missing(void **state) {
    (void)state;
    delta_log *log = delta_log_new();
    apply_ok(log, 0,
             INFO(1700000000000, "WRITE") PROTOCOL ADD_NOSTATS("a.parquet", 10)
                 ADD("b.parquet", 20, 7));
    assert_figures(log, 0, 2, 30, -1);
    size_t n = 0;
    table_commit *c = delta_log_take_commits(log, &n);
    assert_int_equal(c[0].added_records, -1);
    assert_int_equal(c[0].total_records, -1);
    table_commits_free(c, n);
    /* once the file without stats is gone, the records are known again */
    apply_ok(log, 1, INFO(1700000001000, "DELETE") REMOVE("a.parquet"));
    assert_figures(log, 1, 1, 20, 7);
    c = delta_log_take_commits(log, &n);
    assert_int_equal(n, 1);
    assert_int_equal(c[0].removed_records, -1);
    assert_int_equal(c[0].total_records, 7);
    table_commits_free(c, n);
    /* stats that are null, not JSON, or without numRecords: unknown */
    apply_ok(log, 2,
             "{\"add\":{\"path\":\"c\",\"size\":1,\"stats\":null}}\n"
             "{\"add\":{\"path\":\"d\",\"size\":1,\"stats\":\"{not json\"}}\n"
             "{\"add\":{\"path\":\"e\",\"size\":1,\"stats\":\"{\\\"minValues\\\":{}}\"}}\n");
    assert_figures(log, 2, 4, 23, -1);
    apply_ok(log, 3, REMOVE("c") REMOVE("d") REMOVE("e"));
    assert_figures(log, 3, 1, 20, 7);
    delta_log_free(log);
}

static void test_percent_encoded_paths(void **state) {
    (void)state;
    delta_log *log = delta_log_new();
    apply_ok(log, 0,
             ADD("date=2024-01-01%2012%253A00%253A00/part-0.parquet", 5, 1)
                 ADD("city=S%C3%A3o%20Paulo/p.parquet", 6, 1) ADD("bad%zz%2/x%", 7, 1)
                     ADD("nul%00byte", 8, 1));
    assert_true(delta_log_is_live(log, "date=2024-01-01 12%3A00%3A00/part-0.parquet"));
    assert_false(delta_log_is_live(log, "date=2024-01-01%2012%253A00%253A00/part-0.parquet"));
    assert_true(delta_log_is_live(log, "city=S\xc3\xa3o Paulo/p.parquet"));
    assert_true(delta_log_is_live(log, "bad%zz%2/x%"));
    assert_true(delta_log_is_live(log, "nul%00byte"));
    /* a remove spelled the other way takes out the same file */
    apply_ok(log, 1, REMOVE("city=S%c3%a3o Paulo/p.parquet"));
    assert_false(delta_log_is_live(log, "city=S\xc3\xa3o Paulo/p.parquet"));
    assert_figures(log, 1, 3, 20, 3);
    /* through the checkpoint API too */
    delta_log_add(log, "x%3Dy/f.parquet", 1, 1, 0);
    assert_true(delta_log_is_live(log, "x=y/f.parquet"));
    delta_log_remove(log, "x%3dy/f.parquet");
    assert_false(delta_log_is_live(log, "x=y/f.parquet"));
    assert_true(delta_log_references(log, "x=y/f.parquet"));
    delta_log_free(log);
}

static void test_absolute_paths(void **state) {
    (void)state;
    delta_log *log = delta_log_new();
    delta_log_set_root(log, "s3://lake/warehouse/t/");
    apply_ok(log, 0,
             ADD("s3a://lake/warehouse/t/date=2024-01-01/a%20b.parquet", 5, 1)
                 ADD("s3://lake/warehouse/t/b.parquet", 6, 1)
                     ADD("s3://lake/warehouse/t2/c.parquet", 7, 1)
                         ADD("s3://lake/warehouse/t/", 8, 1) ADD("d.parquet", 9, 1));
    assert_true(delta_log_is_live(log, "date=2024-01-01/a b.parquet"));
    assert_true(delta_log_is_live(log, "b.parquet"));
    assert_true(delta_log_is_live(log, "d.parquet"));
    /* elsewhere (a shallow clone's source): kept as written */
    assert_true(delta_log_is_live(log, "s3://lake/warehouse/t2/c.parquet"));
    assert_false(delta_log_is_live(log, "c.parquet"));
    assert_true(delta_log_is_live(log, "s3://lake/warehouse/t/"));
    apply_ok(log, 1, REMOVE("s3n://lake/warehouse/t/b.parquet"));
    assert_false(delta_log_is_live(log, "b.parquet"));
    assert_figures(log, 1, 4, 29, 4);
    delta_log_free(log);

    /* the local lake: Spark's file:/ spelling against a plain path */
    log = delta_log_new();
    delta_log_set_root(log, "/lake/db/t");
    delta_log_add(log, "file:/lake/db/t/x.parquet", 1, 1, 0);
    delta_log_add(log, "file:///lake/db/t/y.parquet", 1, 1, 0);
    delta_log_add(log, "/lake/db/t/z.parquet", 1, 1, 0);
    delta_log_add(log, "/lake/db/tt/w.parquet", 1, 1, 0);
    delta_log_add(log, "s3://lake/db/t/v.parquet", 1, 1, 0);
    assert_true(delta_log_is_live(log, "x.parquet"));
    assert_true(delta_log_is_live(log, "y.parquet"));
    assert_true(delta_log_is_live(log, "z.parquet"));
    assert_true(delta_log_is_live(log, "/lake/db/tt/w.parquet"));
    assert_true(delta_log_is_live(log, "s3://lake/db/t/v.parquet"));
    delta_log_set_root(log, "file:///lake/db/t");
    delta_log_add(log, "file:/lake/db/t/u.parquet", 1, 1, 0);
    assert_true(delta_log_is_live(log, "u.parquet"));
    delta_log_set_root(log, NULL);
    delta_log_add(log, "file:/lake/db/t/s.parquet", 1, 1, 0);
    assert_true(delta_log_is_live(log, "file:/lake/db/t/s.parquet"));
    /* NULL and empty paths are no file */
    delta_log_add(log, NULL, 1, 1, 0);
    delta_log_add(log, "", 1, 1, 0);
    delta_log_remove(log, NULL);
    delta_log_set_version(log, 0, 0);
    assert_figures(log, 0, 7, 7, 7);
    delta_log_free(log);
}

static void test_gaps(void **state) {
    (void)state;
    delta_log *log = delta_log_new();
    char *error = NULL;
    /* no checkpoint: the log must start at 0 */
    assert_false(apply(log, 3, ADD("a", 1, 1), &error));
    assert_non_null(strstr(error, "00000000000000000003.json"));
    assert_non_null(strstr(error, "version 3"));
    free(error);
    error = NULL;
    apply_ok(log, 0, ADD("a", 1, 1));
    apply_ok(log, 1, ADD("b", 1, 1));
    assert_false(apply(log, 3, ADD("c", 1, 1), &error));
    assert_string_equal(error, "00000000000000000003.json: a gap in the log: version 3 follows "
                               "version 1 (2 missing)");
    free(error);
    error = NULL;
    assert_false(apply(log, 1, ADD("c", 1, 1), &error));
    assert_non_null(strstr(error, "version 1 comes after version 1"));
    free(error);
    error = NULL;
    assert_false(apply(log, -1, ADD("c", 1, 1), &error));
    free(error);
    /* nothing of the refused commits was applied */
    assert_figures(log, 1, 2, 2, 2);
    assert_false(delta_log_references(log, "c"));
    apply_ok(log, 2, ADD("c", 1, 1));
    assert_figures(log, 2, 3, 3, 3);
    delta_log_free(log);
}

static void test_checkpoint_then_commits(void **state) {
    (void)state;
    delta_log *log = delta_log_new();
    delta_log_add(log, "a.parquet", 100, 10, 1700000000000);
    delta_log_add(log, "b.parquet", 50, -1, 1700000000000);
    delta_log_remove(log, "old.parquet");
    delta_log_set_version(log, 10, 1700000000);
    delta_figures f;
    delta_log_figures(log, &f);
    assert_int_equal(f.version, 10);
    assert_int_equal(f.files, 2);
    assert_int_equal(f.bytes, 150);
    assert_int_equal(f.records, -1);
    assert_int_equal(f.last_commit, 1700000000);
    assert_true(delta_log_references(log, "old.parquet"));
    char *error = NULL;
    assert_false(apply(log, 12, ADD("c", 1, 1), &error));
    assert_non_null(strstr(error, "version 12 follows version 10"));
    free(error);
    apply_ok(log, 11, INFO(1700000100000, "DELETE") REMOVE("b.parquet"));
    assert_figures(log, 11, 1, 100, 10);
    /* older commits give their paths to the referenced set only */
    const char *old = ADD("older.parquet", 9, 9)
        REMOVE("older2.parquet") "\n"
                                 "{\"cdc\":{\"path\":\"_change_data/c1.parquet\",\"size\":3}}\n"
                                 "{\"commitInfo\":\"anything\"}\n";
    assert_true(delta_log_reference_commit(log, old, strlen(old), &error));
    assert_true(delta_log_references(log, "older.parquet"));
    assert_true(delta_log_references(log, "older2.parquet"));
    assert_true(delta_log_references(log, "_change_data/c1.parquet"));
    assert_false(delta_log_is_live(log, "older.parquet"));
    assert_figures(log, 11, 1, 100, 10);
    const char *bad = "{\"add\":{\"size\":1}}\n";
    assert_false(delta_log_reference_commit(log, bad, strlen(bad), &error));
    assert_string_equal(error, "line 1: add without a path");
    free(error);
    size_t n = 0;
    table_commit *c = delta_log_take_commits(log, &n);
    assert_int_equal(n, 1);
    assert_int_equal(c[0].id, 11);
    assert_int_equal(c[0].removed_records, -1);
    table_commits_free(c, n);
    delta_log_free(log);
}

static void test_commit_time_and_operation(void **state) {
    (void)state;
    delta_log *log = delta_log_new();
    /* no commitInfo: the file's time; no operation */
    apply_ok(log, 0, ADD("a", 1, 1));
    /* inCommitTimestamp wins over timestamp; commitInfo after the adds */
    apply_ok(log, 1,
             ADD("b", 1, 1) "{\"commitInfo\":{\"timestamp\":1700000500000,"
                            "\"inCommitTimestamp\":1700000400000,\"operation\":\"MERGE\"}}\n");
    size_t n = 0;
    table_commit *c = delta_log_take_commits(log, &n);
    assert_int_equal(n, 2);
    assert_int_equal(c[0].at, 1234);
    assert_null(c[0].operation);
    assert_int_equal(c[1].at, 1700000400);
    assert_string_equal(c[1].operation, "MERGE");
    table_commits_free(c, n);
    delta_figures f;
    delta_log_figures(log, &f);
    assert_int_equal(f.last_commit, 1700000400);
    delta_log_free(log);
}

static void test_deletion_vectors(void **state) {
    (void)state;
    delta_log *log = delta_log_new();
    apply_ok(log, 0, ADD("a.parquet", 100, 10));
    /* DELETE with a deletion vector: the remove and the add of one path,
     * the add first in the file */
    apply_ok(log, 1,
             "{\"add\":{\"path\":\"a.parquet\",\"size\":100,\"stats\":\"{\\\"numRecords\\\":10}\","
             "\"deletionVector\":{\"storageType\":\"u\",\"pathOrInlineDv\":\"x\","
             "\"sizeInBytes\":4,\"cardinality\":3}}}\n" REMOVE("a.parquet"));
    assert_figures(log, 1, 1, 100, 7);
    size_t n = 0;
    table_commit *c = delta_log_take_commits(log, &n);
    assert_int_equal(c[1].added_records, 7);
    assert_int_equal(c[1].removed_records, 10);
    table_commits_free(c, n);
    delta_log_free(log);
}

static void assert_bad(const char *text, const char *want) {
    delta_log *log = delta_log_new();
    char *error = NULL;
    assert_false(delta_log_apply_commit(log, 0, text, strlen(text), 0, &error));
    assert_non_null(error);
    if (!strstr(error, want))
        fail_msg("error '%s' lacks '%s'", error, want);
    free(error);
    assert_figures(log, -1, 0, 0, 0);
    delta_log_free(log);
}

static void test_bad_lines(void **state) {
    (void)state;
    assert_bad(ADD("a", 1, 1) "{\"add\":\n", "00000000000000000000.json line 2: not JSON");
    assert_bad("\n\n{\"add\":{\"path\":\"a\"}}\n", "line 3: add without a size");
    assert_bad("{\"add\":{\"path\":\"a\",\"size\":-1}}", "line 1: add with a size that is not");
    assert_bad("{\"add\":{\"path\":\"a\",\"size\":\"12\"}}", "add with a size that is not");
    assert_bad("{\"add\":{\"path\":\"a\",\"size\":1.5}}", "add with a size that is not");
    assert_bad("{\"add\":{\"path\":\"a\",\"size\":NaN}}", "line 1:");
    assert_bad("{\"add\":{\"path\":\"a\",\"size\":99999999999999999999999}}", "size");
    assert_bad("{\"add\":{\"path\":\"\",\"size\":1}}", "add without a path");
    assert_bad("{\"add\":{\"path\":7,\"size\":1}}", "add without a path");
    assert_bad("{\"add\":[1]}", "add is not an object");
    assert_bad("{\"remove\":{}}", "remove without a path");
    assert_bad("[1,2]", "not a JSON object");
    assert_bad("{\"add\":{\"path\":\"a\",\"size\":1}} trailing", "something follows");
    assert_bad("{\"protocol\":{\"minWriterVersion\":2}}", "protocol without a minReaderVersion");
    assert_bad("{\"commitInfo\":5}", "commitInfo is not an object");
    const char nul[] = "{\"add\":{\"path\":\"a\",\"size\":1}}\n{\"x\":\0}\n";
    delta_log *log = delta_log_new();
    char *error = NULL;
    assert_false(delta_log_apply_commit(log, 0, nul, sizeof nul - 1, 0, &error));
    assert_string_equal(error, "00000000000000000000.json line 2: a NUL byte");
    free(error);
    /* a NULL error pointer is allowed */
    assert_false(delta_log_apply_commit(log, 0, "x", 1, 0, NULL));
    /* unknown actions, blank lines and CRLF are fine */
    const char ok[] = "{\"txn\":{\"appId\":\"x\",\"version\":3}}\r\n\r\n   \n"
                      "{\"domainMetadata\":{}}\r\n{\"add\":{\"path\":\"a\",\"size\":4}}";
    assert_true(delta_log_apply_commit(log, 0, ok, sizeof ok - 1, 0, &error));
    assert_figures(log, 0, 1, 4, -1);
    /* an empty commit file is a commit with no actions */
    assert_true(delta_log_apply_commit(log, 1, "", 0, 5, &error));
    assert_figures(log, 1, 1, 4, -1);
    delta_log_free(log);
}

static void test_many_files(void **state) {
    (void)state;
    delta_log *log = delta_log_new();
    char path[64];
    for (int i = 0; i < 200000; i++) {
        snprintf(path, sizeof path, "date=2024-01-%02d/part-%06d.parquet", i % 28 + 1, i);
        delta_log_add(log, path, 10, 2, 0);
    }
    for (int i = 0; i < 200000; i += 2) {
        snprintf(path, sizeof path, "date=2024-01-%02d/part-%06d.parquet", i % 28 + 1, i);
        delta_log_remove(log, path);
    }
    delta_log_set_version(log, 0, 0);
    assert_figures(log, 0, 100000, 1000000, 200000);
    assert_true(delta_log_is_live(log, "date=2024-01-02/part-000001.parquet"));
    assert_false(delta_log_is_live(log, "date=2024-01-01/part-000000.parquet"));
    assert_true(delta_log_references(log, "date=2024-01-01/part-000000.parquet"));
    delta_log_free(log);
}

static void test_last_checkpoint(void **state) {
    (void)state;
    int64_t version = 0, parts = 0;
    char *error = NULL;
    const char *a = "{\"version\":20,\"size\":42,\"sizeInBytes\":9000}\n";
    assert_true(delta_last_checkpoint_parse(a, strlen(a), &version, &parts, &error));
    assert_int_equal(version, 20);
    assert_int_equal(parts, 1);
    const char *b = "{\"version\":30,\"size\":42,\"parts\":4,\"checksum\":\"ab\"}";
    assert_true(delta_last_checkpoint_parse(b, strlen(b), &version, &parts, &error));
    assert_int_equal(version, 30);
    assert_int_equal(parts, 4);
    const char *bad[] = {"",
                         "{",
                         "{\"size\":1}",
                         "{\"version\":-1}",
                         "{\"version\":\"3\"}",
                         "{\"version\":3,\"parts\":0}",
                         "[]",
                         "{\"version\":3} x"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        error = NULL;
        assert_false(delta_last_checkpoint_parse(bad[i], strlen(bad[i]), &version, &parts, &error));
        assert_non_null(strstr(error, "_last_checkpoint: "));
        free(error);
    }
}

static void test_crc(void **state) {
    (void)state;
    int64_t bytes = 0, files = 0;
    char *error = NULL;
    const char *a = "{\"txnId\":\"x\",\"tableSizeBytes\":12345,\"numFiles\":7,\"numMetadata\":1,"
                    "\"numProtocol\":1,\"metadata\":{\"id\":\"t\"},\"protocol\":{}}";
    assert_true(delta_crc_parse(a, strlen(a), &bytes, &files, &error));
    assert_int_equal(bytes, 12345);
    assert_int_equal(files, 7);
    const char *bad[] = {"{\"numFiles\":7}", "{\"tableSizeBytes\":1}",
                         "{\"tableSizeBytes\":-5,\"numFiles\":1}", "not json", "7"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        error = NULL;
        assert_false(delta_crc_parse(bad[i], strlen(bad[i]), &bytes, &files, &error));
        assert_non_null(strstr(error, "crc: "));
        free(error);
    }
}

static void test_file_version(void **state) {
    (void)state;
    char kind = 'x';
    assert_int_equal(delta_log_file_version("00000000000000000012.json", &kind), 12);
    assert_int_equal(kind, 'j');
    assert_int_equal(delta_log_file_version("00000000000000000000.json", &kind), 0);
    assert_int_equal(kind, 'j');
    assert_int_equal(delta_log_file_version("00000000000000000012.checkpoint.parquet", &kind), 12);
    assert_int_equal(kind, 'p');
    assert_int_equal(delta_log_file_version("00000000000000000012.crc", &kind), 12);
    assert_int_equal(kind, 'c');
    assert_int_equal(delta_log_file_version(
                         "00000000000000000010.checkpoint.0000000002.0000000003.parquet", &kind),
                     10);
    assert_int_equal(kind, 'm');
    assert_int_equal(delta_log_file_version("00000000000000000012.json", NULL), 12);
    const char *others[] = {"_last_checkpoint",
                            "00000000000000000012.json.tmp",
                            ".00000000000000000012.json.crc",
                            "00000000000000000012.JSON",
                            "00000000000000000012",
                            "00000000000000000012.",
                            "x00000000000000000012.json",
                            "-1.json",
                            "+1.json",
                            " 1.json",
                            ".json",
                            "",
                            "99999999999999999999.json",
                            "00000000000000000001.00000000000000000009.compacted.json",
                            "00000000000000000010.checkpoint.80a083e8-8c3d-4a1e.json",
                            "00000000000000000010.checkpoint.0000000004.0000000003.parquet",
                            "00000000000000000010.checkpoint.0000000000.0000000003.parquet",
                            "00000000000000000010.checkpoint.1.parquet",
                            "00000000000000000010.checkpoint.1.2.parquet.crc",
                            "_commits",
                            "00000000000000000012.crc.tmp"};
    for (size_t i = 0; i < sizeof others / sizeof *others; i++) {
        kind = 'x';
        if (delta_log_file_version(others[i], &kind) != -1)
            fail_msg("'%s' was taken for a log file", others[i]);
        assert_int_equal(kind, 0);
    }
    assert_int_equal(delta_log_file_version(NULL, &kind), -1);
    /* the largest version there can be */
    assert_int_equal(delta_log_file_version("9223372036854775807.json", &kind), INT64_MAX);
}

static void test_hostile_sizes(void **state) {
    (void)state;
    /* sizes that would overflow a sum: no crash (UBSan), and taking them
     * out again gives the figures back */
    delta_log *log = delta_log_new();
    apply_ok(log, 0,
             "{\"add\":{\"path\":\"a\",\"size\":9223372036854775807,\"stats\":"
             "\"{\\\"numRecords\\\":9223372036854775807}\"}}\n"
             "{\"add\":{\"path\":\"b\",\"size\":9223372036854775807,\"stats\":"
             "\"{\\\"numRecords\\\":9223372036854775807}\"}}\n" ADD("c", 5, 1));
    apply_ok(log, 1, REMOVE("a") REMOVE("b"));
    assert_figures(log, 1, 1, 5, 1);
    delta_log_free(log);
}

/* The newest metaData's partitionColumns, for the detail's Partitions line:
 * ["date"], then a later metaData that repartitions by two columns, then one
 * with none. */
static void test_partition_columns(void **state) {
    (void)state;
    delta_log *log = delta_log_new();
    apply_ok(log, 0, PROTOCOL METADATA INFO(1700000000000, "CREATE TABLE"));
    delta_figures f;
    delta_log_figures(log, &f);
    assert_string_equal(f.partition_columns, "date");
    apply_ok(log, 1, "{\"metaData\":{\"id\":\"t\",\"partitionColumns\":[\"region\",\"day\"]}}\n");
    delta_log_figures(log, &f);
    assert_string_equal(f.partition_columns, "region, day");
    apply_ok(log, 2, INFO(1700000100000, "WRITE")); /* no metaData: kept */
    delta_log_figures(log, &f);
    assert_string_equal(f.partition_columns, "region, day");
    apply_ok(log, 3, "{\"metaData\":{\"id\":\"t\",\"partitionColumns\":[]}}\n");
    delta_log_figures(log, &f);
    assert_string_equal(f.partition_columns, "");
    delta_log_free(log);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_log),
        cmocka_unit_test(test_partition_columns),
        cmocka_unit_test(test_adds_removes_readds),
        cmocka_unit_test(test_stats_missing),
        cmocka_unit_test(test_percent_encoded_paths),
        cmocka_unit_test(test_absolute_paths),
        cmocka_unit_test(test_gaps),
        cmocka_unit_test(test_checkpoint_then_commits),
        cmocka_unit_test(test_commit_time_and_operation),
        cmocka_unit_test(test_deletion_vectors),
        cmocka_unit_test(test_bad_lines),
        cmocka_unit_test(test_many_files),
        cmocka_unit_test(test_last_checkpoint),
        cmocka_unit_test(test_crc),
        cmocka_unit_test(test_file_version),
        cmocka_unit_test(test_hostile_sizes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
