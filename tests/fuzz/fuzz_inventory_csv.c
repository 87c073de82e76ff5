/* fuzz_inventory_csv.c: libFuzzer harness for S3 Inventory CSV: the input's
 * first line is a fileSchema, every further line a row (URL-encoded key). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/inventory/inventory_csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    char *save = NULL;
    char *schema = strtok_r(text, "\n", &save);
    inventory_columns cols;
    char *error = NULL;
    if (schema && inventory_columns_parse(schema, &cols, &error)) {
        for (char *line = strtok_r(NULL, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
            inventory_row row;
            (void)inventory_csv_row(&cols, line, &row);
        }
    } else {
        free(error);
    }
    free(text);
    return 0;
}
