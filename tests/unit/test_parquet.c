/* test_parquet.c: the Parquet reader over files written by
 * tests/fixtures/parquet_writer.py (an independent writer; committed in
 * tests/unit/data/): PLAIN and dictionary values, data pages v1 and v2,
 * every codec, BOOLEAN in RLE (v2), several row groups and pages, REQUIRED columns without
 * levels; and what it must refuse without a crash: a repeated column, an
 * unsupported encoding, codec or level encoding (each named), a page that
 * claims more values than rows or more bytes than its chunk, bad magic,
 * every truncation and every single-byte corruption of a file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/formats/parquet.h"
#include "common/xalloc.h"

#define DATA "tests/unit/data/"
#define ROWS 40

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

/* What parquet_writer.py's unit_rows() wrote in row i. */
static bool row_is_add(int i) {
    return i >= 2 && i % 4 != 0;
}

static bool row_is_remove(int i) {
    return i >= 2 && i % 4 == 0;
}

static void expect_text(const parquet_column *c, size_t row, const char *want) {
    size_t length = 0;
    const char *got = parquet_column_text(c, row, &length);
    if (!want) {
        assert_null(got);
        return;
    }
    assert_non_null(got);
    assert_int_equal(length, strlen(want));
    assert_memory_equal(got, want, length);
}

static void read_ok(parquet_file *f, const char *path, int type, parquet_column *c) {
    char *error = NULL;
    if (!parquet_read_column(f, path, c, &error))
        fail_msg("%s: %s", path, error);
    assert_int_equal(c->type, type);
    assert_int_equal(c->rows, ROWS);
}

static void check_delta_file(const char *name) {
    char path[256];
    snprintf(path, sizeof path, DATA "%s", name);
    size_t length;
    char *data = slurp(path, &length);
    parquet_file *f = NULL;
    char *error = NULL;
    if (!parquet_open(data, length, &f, &error))
        fail_msg("%s: %s", name, error);
    assert_int_equal(parquet_rows(f), ROWS);
    parquet_column add_path, size, mtime, change, stats, remove, reader, created;
    read_ok(f, "add.path", PARQUET_BYTE_ARRAY, &add_path);
    read_ok(f, "add.size", PARQUET_INT64, &size);
    read_ok(f, "add.modificationTime", PARQUET_INT64, &mtime);
    read_ok(f, "add.dataChange", PARQUET_BOOLEAN, &change);
    read_ok(f, "add.stats", PARQUET_BYTE_ARRAY, &stats);
    read_ok(f, "remove.path", PARQUET_BYTE_ARRAY, &remove);
    read_ok(f, "protocol.minReaderVersion", PARQUET_INT32, &reader);
    read_ok(f, "metaData.createdTime", PARQUET_INT64, &created);
    for (int i = 0; i < ROWS; i++) {
        char want[64], want_stats[64];
        snprintf(want, sizeof want, "region=eu/part-%05d.parquet", i);
        expect_text(&add_path, (size_t)i, row_is_add(i) ? want : NULL);
        expect_text(&remove, (size_t)i, row_is_remove(i) ? want : NULL);
        assert_int_equal(size.present[i], row_is_add(i));
        assert_int_equal(mtime.present[i], row_is_add(i));
        assert_int_equal(change.present[i], row_is_add(i));
        if (row_is_add(i)) {
            assert_int_equal(size.numbers[i], 1000 + 37 * i);
            assert_int_equal(mtime.numbers[i], 1700000000000LL + 1000LL * i);
            assert_int_equal(change.numbers[i], i % 2 == 0);
            if (i % 7 == 0)
                expect_text(&stats, (size_t)i, NULL);
            else if (i % 11 == 0)
                expect_text(&stats, (size_t)i, "{\"minValues\":{}}");
            else {
                snprintf(want_stats, sizeof want_stats,
                         "{\"numRecords\":%d,\"minValues\":{\"id\":1}}", 10 * i);
                expect_text(&stats, (size_t)i, want_stats);
            }
        } else {
            expect_text(&stats, (size_t)i, NULL);
        }
        assert_int_equal(reader.present[i], i == 0);
        assert_int_equal(created.present[i], i == 1);
    }
    assert_int_equal(reader.numbers[0], 1);
    assert_int_equal(created.numbers[1], 1700000000000LL);
    /* the map beside the flat columns is there, and refused by name */
    assert_true(parquet_has_column(f, "add.partitionValues.key_value.key"));
    parquet_column map;
    assert_false(parquet_read_column(f, "add.partitionValues.key_value.key", &map, &error));
    assert_non_null(strstr(error, "add.partitionValues.key_value.key is a repeated column"));
    free(error);
    assert_false(parquet_read_column(f, "add.nothing", &map, &error));
    assert_string_equal(error, "parquet: no column add.nothing");
    free(error);
    parquet_column_clear(&add_path);
    parquet_column_clear(&size);
    parquet_column_clear(&mtime);
    parquet_column_clear(&change);
    parquet_column_clear(&stats);
    parquet_column_clear(&remove);
    parquet_column_clear(&reader);
    parquet_column_clear(&created);
    parquet_close(f);
    free(data);
}

static void test_plain_v1(void **state) {
    (void)state;
    check_delta_file("unit_plain_v1_none.parquet");
    check_delta_file("unit_plain_v1_snappy.parquet");
    check_delta_file("unit_plain_v1_gzip.parquet");
    check_delta_file("unit_plain_v1_zstd.parquet");
}

static void test_plain_v2(void **state) {
    (void)state;
    check_delta_file("unit_plain_v2_none.parquet");
    check_delta_file("unit_plain_v2_snappy.parquet");
    check_delta_file("unit_plain_v2_gzip.parquet");
    check_delta_file("unit_plain_v2_zstd.parquet");
}

static void test_dictionary_v1(void **state) {
    (void)state;
    check_delta_file("unit_dict_v1_none.parquet");
    check_delta_file("unit_dict_v1_snappy.parquet");
    check_delta_file("unit_dict_v1_gzip.parquet");
    check_delta_file("unit_dict_v1_zstd.parquet");
}

static void test_dictionary_v2(void **state) {
    (void)state;
    check_delta_file("unit_dict_v2_none.parquet");
    check_delta_file("unit_dict_v2_snappy.parquet");
    check_delta_file("unit_dict_v2_gzip.parquet");
    check_delta_file("unit_dict_v2_zstd.parquet");
}

static void test_required_columns(void **state) {
    (void)state;
    size_t length;
    char *data = slurp(DATA "unit_required.parquet", &length);
    parquet_file *f;
    char *error = NULL;
    assert_true(parquet_open(data, length, &f, &error));
    assert_int_equal(parquet_rows(f), 20);
    parquet_column n, flag;
    assert_true(parquet_read_column(f, "n", &n, &error));
    assert_true(parquet_read_column(f, "flag", &flag, &error));
    for (int i = 0; i < 20; i++) {
        assert_true(n.present[i]);
        assert_int_equal(n.numbers[i], i * i - 50);
        assert_int_equal(flag.numbers[i], i % 3 == 0);
    }
    parquet_column_clear(&n);
    parquet_column_clear(&flag);
    parquet_close(f);
    free(data);
}

/* Reading `column` of `file` fails with an error holding each of the
 * texts; `other` still reads. */
static void expect_refused(const char *file, const char *column, const char *other,
                           const char *text1, const char *text2) {
    size_t length;
    char path[256];
    snprintf(path, sizeof path, DATA "%s", file);
    char *data = slurp(path, &length);
    parquet_file *f;
    char *error = NULL;
    assert_true(parquet_open(data, length, &f, &error));
    parquet_column c;
    assert_false(parquet_read_column(f, column, &c, &error));
    assert_non_null(error);
    if (!strstr(error, text1) || !strstr(error, text2))
        fail_msg("%s: '%s' lacks '%s' or '%s'", file, error, text1, text2);
    free(error);
    assert_true(parquet_read_column(f, other, &c, &error));
    parquet_column_clear(&c);
    parquet_close(f);
    free(data);
}

static void test_unsupported_named(void **state) {
    (void)state;
    expect_refused("unit_bad_encoding.parquet", "add.size", "add.path",
                   "encoding DELTA_BINARY_PACKED", "add.size");
    expect_refused("unit_bad_codec.parquet", "add.path", "add.size", "codec LZ4", "add.path");
    expect_refused("unit_bad_levels.parquet", "add.path", "add.size",
                   "definition level encoding BIT_PACKED", "add.path");
    expect_refused("unit_bad_values.parquet", "add.size", "add.path", "more values than rows",
                   "add.size");
    expect_refused("unit_bad_page_size.parquet", "add.path", "add.size",
                   "a page longer than its column chunk", "add.path");
}

static void test_bad_magic_and_footer(void **state) {
    (void)state;
    size_t length;
    char *data = slurp(DATA "unit_plain_v1_none.parquet", &length);
    parquet_file *f;
    char *error = NULL;
    data[0] = 'X';
    assert_false(parquet_open(data, length, &f, &error));
    assert_non_null(strstr(error, "not a Parquet file"));
    free(error);
    data[0] = 'P';
    /* a footer longer than the file */
    data[length - 8] = (char)0xff;
    data[length - 7] = (char)0xff;
    assert_false(parquet_open(data, length, &f, &error));
    assert_non_null(strstr(error, "a footer of"));
    free(error);
    assert_false(parquet_open(data, 3, &f, &error));
    free(error);
    free(data);
}

/* Open and read every column we can name; any outcome but a crash. */
static int read_everything(const char *data, size_t length) {
    static const char *const columns[] = {"add.path",    "add.size",    "add.modificationTime",
                                          "add.stats",   "remove.path", "add.dataChange",
                                          "metaData.id", "n",           "flag"};
    parquet_file *f;
    char *error = NULL;
    if (!parquet_open(data, length, &f, &error)) {
        assert_non_null(error);
        assert_memory_equal(error, "parquet: ", 9);
        free(error);
        return 0;
    }
    int read = 0;
    for (size_t i = 0; i < sizeof columns / sizeof *columns; i++) {
        parquet_column c;
        error = NULL;
        if (parquet_read_column(f, columns[i], &c, &error)) {
            assert_true(c.rows == (size_t)parquet_rows(f));
            parquet_column_clear(&c);
            read++;
        } else {
            assert_non_null(error);
            free(error);
        }
    }
    parquet_close(f);
    return read;
}

/* Every prefix of a file, and the file with its footer moved up to end
 * early (pages cut), is refused cleanly. */
static void test_truncated(void **state) {
    (void)state;
    const char *files[] = {DATA "unit_dict_v2_snappy.parquet", DATA "unit_plain_v1_zstd.parquet"};
    for (size_t k = 0; k < 2; k++) {
        size_t length;
        char *data = slurp(files[k], &length);
        for (size_t n = 0; n < length; n++) {
            char *copy = xmalloc(n + 1);
            memcpy(copy, data, n);
            assert_int_equal(read_everything(copy, n), 0);
            free(copy);
        }
        /* the footer kept, the pages before it cut in their middle */
        uint32_t footer = (uint32_t)(unsigned char)data[length - 8] |
                          (uint32_t)(unsigned char)data[length - 7] << 8;
        size_t tail = footer + 8;
        size_t cut = length / 2;
        char *copy = xmalloc(cut + tail);
        memcpy(copy, data, cut - tail);
        memcpy(copy + cut - tail, data + length - tail, tail);
        assert_true(read_everything(copy, cut) < 6);
        free(copy);
        free(data);
    }
}

/* Each byte in turn set to 0xff, 0x00 and flipped: never a crash (ASan
 * builds check the memory). */
static void test_corrupted_bytes(void **state) {
    (void)state;
    const char *files[] = {DATA "unit_dict_v1_gzip.parquet", DATA "unit_plain_v2_none.parquet",
                           DATA "unit_required.parquet"};
    for (size_t k = 0; k < 3; k++) {
        size_t length;
        char *data = slurp(files[k], &length);
        assert_true(read_everything(data, length) >= 2);
        for (size_t i = 0; i < length; i++) {
            char saved = data[i];
            const char values[] = {(char)0xff, 0, (char)~saved};
            for (size_t v = 0; v < 3; v++) {
                data[i] = values[v];
                read_everything(data, length);
            }
            data[i] = saved;
        }
        free(data);
    }
}

typedef struct text_seen {
    size_t calls;
    size_t last_row;
    size_t stop_at; /* the call that returns false; 0 never */
    char first[64];
} text_seen;

static bool on_text(void *ctx, size_t row, const char *bytes, size_t length, char **error) {
    text_seen *seen = ctx;
    if (seen->calls)
        assert_true(row > seen->last_row);
    else
        snprintf(seen->first, sizeof seen->first, "%.*s", (int)length, bytes);
    seen->last_row = row;
    if (++seen->calls == seen->stop_at) {
        *error = xasprintf("stopped at row %zu", row);
        return false;
    }
    return true;
}

/* parquet_read_text_each gives every add.path in row order, keeps none,
 * and stops with the callback's error; a number column is refused. */
static void test_text_each(void **state) {
    (void)state;
    size_t length;
    char *data = slurp(DATA "unit_dict_v2_zstd.parquet", &length);
    parquet_file *f;
    char *error = NULL;
    assert_true(parquet_open(data, length, &f, &error));
    parquet_column c;
    text_seen seen = {0};
    assert_true(parquet_read_text_each(f, "add.path", &c, on_text, &seen, &error));
    size_t adds = 0;
    for (int i = 0; i < ROWS; i++) {
        assert_int_equal(c.present[i], row_is_add(i));
        adds += row_is_add(i);
    }
    assert_int_equal(seen.calls, adds);
    assert_string_equal(seen.first, "region=eu/part-00002.parquet");
    assert_int_equal(seen.last_row, 39);
    assert_null(c.text);
    size_t n;
    assert_null(parquet_column_text(&c, 2, &n));
    parquet_column_clear(&c);
    text_seen stop = {.stop_at = 3};
    assert_false(parquet_read_text_each(f, "add.path", &c, on_text, &stop, &error));
    assert_string_equal(error, "stopped at row 5");
    free(error);
    assert_false(parquet_read_text_each(f, "add.size", &c, on_text, &seen, &error));
    assert_non_null(strstr(error, "add.size is INT64, not BYTE_ARRAY"));
    free(error);
    parquet_close(f);
    free(data);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_v1),          cmocka_unit_test(test_plain_v2),
        cmocka_unit_test(test_dictionary_v1),     cmocka_unit_test(test_dictionary_v2),
        cmocka_unit_test(test_required_columns),  cmocka_unit_test(test_text_each),
        cmocka_unit_test(test_unsupported_named), cmocka_unit_test(test_bad_magic_and_footer),
        cmocka_unit_test(test_truncated),         cmocka_unit_test(test_corrupted_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
