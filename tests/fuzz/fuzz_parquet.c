/* fuzz_parquet.c: libFuzzer harness for the Parquet reader through
 * delta_checkpoint_read into a delta_log (footer, page headers, levels,
 * encodings, codecs), and the same bytes read column by column through
 * parquet.h. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/formats/delta_checkpoint.h"
#include "collector/formats/parquet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    delta_log *log = delta_log_new();
    char *error = NULL;
    if (!delta_checkpoint_read((const char *)data, size, log, &error))
        free(error);
    delta_figures figures;
    delta_log_figures(log, &figures);
    if (figures.files < 0)
        abort();
    delta_log_free(log);
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
