/* test_delta_checkpoint.c: delta_checkpoint_read over checkpoints written
 * by tests/fixtures/parquet_writer.py (Delta's checkpoint schema with the
 * partitionValues map and the partitionColumns list beside the flat
 * columns): every add (path, size, modificationTime, stats' numRecords or
 * -1) and remove reaches the log, removes before adds; files that are not
 * checkpoints, or use what the Parquet reader refuses, fail with a reason.
 *
 * The delta_log here is a test double that records the calls (h2's
 * delta_log.c is written in parallel); it lives only in this file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/formats/delta_checkpoint.h"
#include "common/xalloc.h"

#define DATA "tests/unit/data/"

typedef struct call {
    char kind; /* 'a' add, 'r' remove */
    char *path;
    int64_t size;
    int64_t records;
    int64_t modified;
} call;

struct delta_log {
    call calls[256];
    size_t n;
};

delta_log *delta_log_new(void) {
    return xcalloc(1, sizeof(delta_log));
}

void delta_log_free(delta_log *log) {
    for (size_t i = 0; i < log->n; i++)
        free(log->calls[i].path);
    free(log);
}

void delta_log_add(delta_log *log, const char *path, int64_t size, int64_t records,
                   int64_t modification_time) {
    assert_true(log->n < 256);
    log->calls[log->n++] = (call){'a', xstrdup(path), size, records, modification_time};
}

void delta_log_remove(delta_log *log, const char *path) {
    assert_true(log->n < 256);
    log->calls[log->n++] = (call){'r', xstrdup(path), 0, 0, 0};
}

static char *slurp(const char *path, size_t *length) {
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    char *data = xmalloc((size_t)n + 1);
    assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *length = (size_t)n;
    return data;
}

/* parquet_writer.py's unit_rows(): rows 2..39, a remove when i % 4 == 0,
 * else an add; numRecords 10 i except every 7th (no stats) and 11th (stats
 * without numRecords; row 13 has a deletion vector of 30 rows). */
static void check_checkpoint(const char *name) {
    char path[256];
    snprintf(path, sizeof path, DATA "%s", name);
    size_t length;
    char *data = slurp(path, &length);
    delta_log *log = delta_log_new();
    char *error = NULL;
    if (!delta_checkpoint_read(data, length, log, &error))
        fail_msg("%s: %s", name, error);
    size_t k = 0;
    char want[64];
    for (int i = 2; i < 40; i += 1) {
        if (i % 4)
            continue;
        snprintf(want, sizeof want, "region=eu/part-%05d.parquet", i);
        assert_true(k < log->n);
        assert_int_equal(log->calls[k].kind, 'r');
        assert_string_equal(log->calls[k].path, want);
        k++;
    }
    for (int i = 2; i < 40; i++) {
        if (i % 4 == 0)
            continue;
        snprintf(want, sizeof want, "region=eu/part-%05d.parquet", i);
        assert_true(k < log->n);
        const call *c = &log->calls[k++];
        assert_int_equal(c->kind, 'a');
        assert_string_equal(c->path, want);
        assert_int_equal(c->size, 1000 + 37 * i);
        assert_int_equal(c->modified, 1700000000000LL + 1000LL * i);
        int64_t records = i % 7 == 0 || i % 11 == 0 ? -1 : 10 * i;
        if (i == 13)
            records -= 30; /* its deletion vector's cardinality */
        assert_int_equal(c->records, records);
    }
    assert_int_equal(k, log->n);
    delta_log_free(log);
    free(data);
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
                check_checkpoint(name);
            }
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
    /* a Parquet file that is not a checkpoint */
    data = slurp(DATA "unit_required.parquet", &length);
    expect_error(data, length, "no column add.path");
    free(data);
    /* one byte short: the closing magic is gone */
    data = slurp(DATA "unit_plain_v1_snappy.parquet", &length);
    expect_error(data, length - 1, "not a Parquet file");
    free(data);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_encoding_and_codec),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
