/* fuzz_inventory_manifest.c: libFuzzer harness for S3 Inventory's
 * manifest.json, the Athena DDL and query from its fileFormat and
 * fileSchema (three shapes of schema: inventory_sql.c), its checksum check
 * (the input's first line taken as a checksum of the rest) and the report
 * date names. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/inventory/inventory_manifest.h"
#include "collector/inventory/inventory_sql.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *text = (const char *)data;
    inventory_manifest m;
    char *error = NULL;
    if (inventory_manifest_parse(text, size, &m, &error)) {
        (void)inventory_manifest_is_csv(&m);
        (void)inventory_manifest_destination_name(&m);
        char *sql = inventory_sql_create_table("d", "t", m.file_format, m.file_schema, "inv",
                                               "p/", &error);
        free(sql ? sql : error);
        error = NULL;
        inventory_sql_table t = {.bucket = "b", .prefix = "wh/", .depth = 1};
        sql = inventory_sql_query("d", "t", "dt", m.file_format, m.file_schema, &t, 1, &error);
        free(sql ? sql : error);
        error = NULL;
        inventory_manifest_clear(&m);
    } else {
        free(error);
    }
    const char *nl = memchr(text, '\n', size);
    size_t head = nl ? (size_t)(nl - text) : size;
    error = NULL;
    if (!inventory_manifest_check(text + head, size - head, text, head, &error))
        free(error);
    char *name = malloc(head + 1);
    memcpy(name, text, head);
    name[head] = '\0';
    const char *names[2] = {name, "2026-12-01T01-00Z/"};
    (void)inventory_newest_report(names, 2);
    free(name);
    return 0;
}
