/* test_delta_checkpoint.c: delta_checkpoint_read into the real delta_log
 * over checkpoints written by tests/fixtures/parquet_writer.py (Delta's
 * checkpoint schema with the partitionValues map, the partitionColumns
 * list and the deletionVector struct beside the flat columns): the live
 * files, bytes and records (numRecords less a deletion vector's
 * cardinality), removes applied before adds, referenced tombstones; files
 * that are not checkpoints or use what the Parquet reader refuses fail
 * with a reason. And the tables of tests/fixtures/delta_checkpoint_writer.py
 * replayed as a reader would (checkpoint, then the commits after it)
 * against the writer's own expected.json. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ftw.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "collector/formats/delta_checkpoint.h"
#include "collector/snapshot.h"
#include "common/xalloc.h"
#include "tests/unit/unit_tmp.h"

#define DATA "tests/unit/data/"

static char *slurp(const char *path, size_t *length) {
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    char *data = xmalloc((size_t)n + 1);
    assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
    data[n] = '\0';
    fclose(f);
    *length = (size_t)n;
    return data;
}

static delta_log *read_checkpoint(const char *path) {
    size_t length;
    char *data = slurp(path, &length);
    delta_log *log = delta_log_new();
    char *error = NULL;
    if (!delta_checkpoint_read(data, length, log, &error))
        fail_msg("%s: %s", path, error);
    free(data);
    return log;
}

/* parquet_writer.py's unit_rows(): rows 2..39, a remove when i % 4 == 0,
 * else an add of 1000 + 37 i bytes; some adds without numRecords. */
static void check_unit_checkpoint(const char *name) {
    char path[256];
    snprintf(path, sizeof path, DATA "%s", name);
    delta_log *log = read_checkpoint(path);
    delta_figures f;
    delta_log_figures(log, &f);
    int64_t files = 0, bytes = 0;
    for (int i = 2; i < 40; i++) {
        char file[64];
        snprintf(file, sizeof file, "region=eu/part-%05d.parquet", i);
        assert_true(delta_log_references(log, file));
        assert_int_equal(delta_log_is_live(log, file), i % 4 != 0);
        if (i % 4) {
            files++;
            bytes += 1000 + 37 * i;
        }
    }
    assert_false(delta_log_references(log, "region=eu/part-00001.parquet"));
    assert_int_equal(f.files, files);
    assert_int_equal(f.bytes, bytes);
    assert_int_equal(f.records, -1); /* rows 7, 11, 14... have no numRecords */
    delta_log_free(log);
}

static void test_every_encoding_and_codec(void **state) {
    (void)state;
    const char *encodings[] = {"plain", "dict"};
    const char *codecs[] = {"none", "snappy", "gzip", "zstd"};
    for (int e = 0; e < 2; e++)
        for (int v = 1; v <= 2; v++)
            for (int c = 0; c < 4; c++) {
                char name[64];
                snprintf(name, sizeof name, "unit_%s_v%d_%s.parquet", encodings[e], v, codecs[c]);
                check_unit_checkpoint(name);
            }
}

/* unit_stats_dv.parquet: 10 adds of 500 + i bytes and 100 + i records, the
 * one of path 3 with a deletion vector of 30 rows; a tombstone of path 5
 * (which is also added: live) and of path 20. */
static void test_records_and_deletion_vectors(void **state) {
    (void)state;
    delta_log *log = read_checkpoint(DATA "unit_stats_dv.parquet");
    delta_figures f;
    delta_log_figures(log, &f);
    assert_int_equal(f.files, 10);
    assert_int_equal(f.bytes, 10 * 500 + 45);
    assert_int_equal(f.records, 10 * 100 + 45 - 30);
    assert_true(delta_log_is_live(log, "part-00005.parquet"));
    assert_true(delta_log_references(log, "part-00020.parquet"));
    assert_false(delta_log_is_live(log, "part-00020.parquet"));
    delta_log_free(log);
}

/* A checkpoint whose schema has no remove group: its adds, no tombstones. */
static void test_without_remove_columns(void **state) {
    (void)state;
    delta_log *log = read_checkpoint(DATA "unit_no_remove.parquet");
    delta_figures f;
    delta_log_figures(log, &f);
    assert_int_equal(f.files, 29);
    assert_true(delta_log_is_live(log, "region=eu/part-00002.parquet"));
    assert_false(delta_log_references(log, "region=eu/part-00004.parquet"));
    delta_log_free(log);
}

static void expect_error(const char *data, size_t length, const char *text) {
    delta_log *log = delta_log_new();
    char *error = NULL;
    assert_false(delta_checkpoint_read(data, length, log, &error));
    assert_non_null(error);
    if (strncmp(error, "checkpoint: ", 12) || !strstr(error, text))
        fail_msg("'%s' lacks '%s'", error, text);
    free(error);
    delta_log_free(log);
}

static void test_errors(void **state) {
    (void)state;
    expect_error("{\"add\":{}}", 10, "not a Parquet file");
    size_t length;
    char *data = slurp(DATA "unit_bad_encoding.parquet", &length);
    expect_error(data, length, "encoding DELTA_BINARY_PACKED in add.size not read");
    free(data);
    data = slurp(DATA "unit_bad_codec.parquet", &length);
    expect_error(data, length, "codec LZ4 in add.path not read");
    free(data);
    /* a V2 checkpoint with its actions in a sidecar file */
    data = slurp(DATA "unit_sidecar.parquet", &length);
    expect_error(data, length, "sidecar files (_delta_log/_sidecars/0123abcd.parquet), not read");
    free(data);
    /* a Parquet file that is not a checkpoint */
    data = slurp(DATA "unit_required.parquet", &length);
    expect_error(data, length, "no column add.path");
    free(data);
    /* one byte short: the closing magic is gone */
    data = slurp(DATA "unit_plain_v1_snappy.parquet", &length);
    expect_error(data, length - 1, "not a Parquet file");
    free(data);
}

/* ---- the fixture writer's tables ------------------------------------------------ */

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static const delta_log *walk_log;
static const char *walk_root;
static int64_t walk_unreferenced;

static int sum_unreferenced(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    if (flag != FTW_F)
        return 0;
    const char *rel = path + strlen(walk_root) + 1;
    const char *name = path + ftw->base;
    if (!strncmp(rel, "_delta_log/", 11) || name[0] == '_' || name[0] == '.')
        return 0;
    if (!delta_log_references(walk_log, rel))
        walk_unreferenced += st->st_size;
    return 0;
}

static int64_t iso_time(json_object *o) {
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *end = strptime(json_object_get_string(o), "%Y-%m-%dT%H:%M:%SZ", &tm);
    assert_non_null(end);
    return (int64_t)timegm(&tm);
}

static int64_t member_int(json_object *o, const char *key) {
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v))
        fail_msg("expected.json has no %s", key);
    return json_object_get_int64(v);
}

static void check_fixture_table(const char *dir, const char *table, json_object *want) {
    char path[1024], *error = NULL;
    size_t length;
    snprintf(path, sizeof path, "%s/%s/_delta_log/_last_checkpoint", dir, table);
    char *text = slurp(path, &length);
    int64_t version, parts;
    if (!delta_last_checkpoint_parse(text, length, &version, &parts, &error))
        fail_msg("%s: %s", path, error);
    free(text);
    assert_int_equal(parts, 1);
    snprintf(path, sizeof path, "%s/%s/_delta_log/%020lld.checkpoint.parquet", dir, table,
             (long long)version);
    delta_log *log = read_checkpoint(path);
    delta_log_set_version(log, version, -1);
    /* the checkpoint's own commit file: referenced only */
    snprintf(path, sizeof path, "%s/%s/_delta_log/%020lld.json", dir, table, (long long)version);
    text = slurp(path, &length);
    if (!delta_log_reference_commit(log, text, length, &error))
        fail_msg("%s: %s", path, error);
    free(text);
    int64_t applied = 0;
    for (int64_t v = version + 1;; v++) {
        snprintf(path, sizeof path, "%s/%s/_delta_log/%020lld.json", dir, table, (long long)v);
        FILE *probe = fopen(path, "r");
        if (!probe)
            break;
        fclose(probe);
        text = slurp(path, &length);
        if (!delta_log_apply_commit(log, v, text, length, 0, &error))
            fail_msg("%s: %s", path, error);
        free(text);
        applied++;
    }
    delta_figures f;
    delta_log_figures(log, &f);
    assert_int_equal(f.files, member_int(want, "objects"));
    assert_int_equal(f.bytes, member_int(want, "bytes"));
    assert_int_equal(f.records, member_int(want, "records"));
    json_object *o;
    assert_true(json_object_object_get_ex(want, "last_commit", &o));
    assert_int_equal(f.last_commit, iso_time(o));
    assert_int_equal(applied + 1, member_int(want, "snapshots"));
    size_t n;
    table_commit *commits = delta_log_take_commits(log, &n);
    json_object *list;
    assert_true(json_object_object_get_ex(want, "commits", &list));
    assert_int_equal(n, json_object_array_length(list));
    for (size_t i = 0; i < n; i++) {
        json_object *c = json_object_array_get_idx(list, i);
        assert_true(json_object_object_get_ex(c, "at", &o));
        assert_int_equal(commits[i].at, iso_time(o));
        assert_true(json_object_object_get_ex(c, "operation", &o));
        assert_string_equal(commits[i].operation, json_object_get_string(o));
        assert_int_equal(commits[i].total_files, member_int(c, "total_files"));
        assert_int_equal(commits[i].total_bytes, member_int(c, "total_bytes"));
        assert_int_equal(commits[i].total_records, member_int(c, "total_records"));
    }
    table_commits_free(commits, n);
    snprintf(path, sizeof path, "%s/%s", dir, table);
    walk_log = log;
    walk_root = path;
    walk_unreferenced = 0;
    assert_int_equal(nftw(path, sum_unreferenced, 16, FTW_PHYS), 0);
    assert_int_equal(walk_unreferenced, member_int(want, "unreferenced_bytes"));
    assert_true(walk_unreferenced > 0);
    delta_log_free(log);
}

static void test_fixture_writer_tables(void **state) {
    (void)state;
    char dir[512];
    unit_tmp_template(dir, sizeof dir, "delta-checkpoint");
    assert_non_null(mkdtemp(dir));
    char *command = xasprintf("/usr/bin/python3 tests/fixtures/delta_checkpoint_writer.py "
                              "--out '%s' --uri-prefix 'file://%s/' --now 1764633600",
                              dir, dir);
    assert_int_equal(system(command), 0);
    free(command);
    char path[600];
    snprintf(path, sizeof path, "%s/expected.json", dir);
    json_object *expected = json_object_from_file(path);
    assert_non_null(expected);
    json_object *tables;
    assert_true(json_object_object_get_ex(expected, "tables", &tables));
    int checked = 0;
    json_object_object_foreach(tables, name, want) {
        check_fixture_table(dir, name, want);
        checked++;
    }
    assert_int_equal(checked, 2);
    json_object_put(expected);
    assert_int_equal(nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_encoding_and_codec),
        cmocka_unit_test(test_records_and_deletion_vectors),
        cmocka_unit_test(test_without_remove_columns),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_fixture_writer_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
