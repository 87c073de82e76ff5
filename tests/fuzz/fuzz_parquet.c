/* fuzz_parquet.c: libFuzzer harness for the Parquet reader through
 * delta_checkpoint_read (footer, page headers, levels, encodings, codecs),
 * with a delta_log double that only counts, and the same bytes read column
 * by column through parquet.h. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/formats/delta_checkpoint.h"
#include "collector/formats/parquet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct delta_log {
    size_t adds;
    size_t removes;
};

delta_log *delta_log_new(void) {
    return calloc(1, sizeof(delta_log));
}

void delta_log_free(delta_log *log) {
    free(log);
}

void delta_log_add(delta_log *log, const char *path, int64_t size, int64_t records,
                   int64_t modification_time) {
    (void)size;
    (void)records;
    (void)modification_time;
    if (!*path)
        abort();
    log->adds++;
}

void delta_log_remove(delta_log *log, const char *path) {
    if (!*path)
        abort();
    log->removes++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    delta_log log = {0};
    char *error = NULL;
    if (!delta_checkpoint_read((const char *)data, size, &log, &error))
        free(error);
    parquet_file *file;
    error = NULL;
    if (!parquet_open((const char *)data, size, &file, &error)) {
        free(error);
        return 0;
    }
    static const char *const columns[] = {"add.dataChange", "metaData.createdTime",
                                          "protocol.minReaderVersion", "n", "flag"};
    for (size_t i = 0; i < sizeof columns / sizeof *columns; i++) {
        parquet_column c;
        error = NULL;
        if (parquet_read_column(file, columns[i], &c, &error)) {
            for (size_t row = 0; row < c.rows; row++) {
                size_t length;
                const char *text = parquet_column_text(&c, row, &length);
                if (text && text + length > c.text + c.text_length)
                    abort();
            }
            parquet_column_clear(&c);
        } else {
            free(error);
        }
    }
    parquet_close(file);
    return 0;
}
