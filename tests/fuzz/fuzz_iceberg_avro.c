/* fuzz_iceberg_avro.c: libFuzzer harness for the Iceberg manifest list
 * and manifest readers (Avro object container files read with libavro
 * behind collector/formats/iceberg_avro.c's check). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/formats/iceberg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *error = NULL;
    iceberg_manifest_ref *refs;
    size_t n;
    size_t total = 0;
    if (iceberg_manifest_list_read((const char *)data, size, &refs, &n, &error)) {
        for (size_t i = 0; i < n; i++)
            total += strlen(refs[i].path);
        iceberg_manifest_refs_free(refs, n);
    } else {
        if (!error)
            abort();
        free(error);
    }
    error = NULL;
    iceberg_file *files;
    if (iceberg_manifest_read((const char *)data, size, &files, &n, &error)) {
        for (size_t i = 0; i < n; i++) {
            total += strlen(files[i].path);
            if (files[i].status < 0 || files[i].status > 2 || files[i].content < 0 ||
                files[i].content > 2)
                abort();
        }
        iceberg_files_free(files, n);
    } else {
        if (!error)
            abort();
        free(error);
    }
    if (total == (size_t)-1)
        abort();
    return 0;
}
