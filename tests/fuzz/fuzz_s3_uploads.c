/* fuzz_s3_uploads.c: libFuzzer harness for the ListMultipartUploads and
 * ListParts parsers: any bytes, both parsers; a success must hold what it
 * says (keys and ids set, a truncated page with its markers). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "collector/aws/s3_uploads.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    s3_uploads_page u;
    char *error = NULL;
    if (s3_uploads_parse((const char *)data, size, &u, &error)) {
        for (size_t i = 0; i < u.n_uploads; i++)
            if (!u.uploads[i].key || !u.uploads[i].upload_id || !u.uploads[i].storage_class)
                abort();
        if (u.truncated && !u.next_key_marker)
            abort();
        s3_uploads_page_clear(&u);
    } else if (!error) {
        abort();
    }
    free(error);
    error = NULL;
    s3_parts_page p;
    if (s3_parts_parse((const char *)data, size, &p, &error)) {
        if (p.parts < 0 || p.bytes < 0 || (p.truncated && p.next_part_number_marker < 0))
            abort();
    } else if (!error) {
        abort();
    }
    free(error);
    return 0;
}
