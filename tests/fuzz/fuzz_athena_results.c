/* fuzz_athena_results.c: libFuzzer harness for Athena's GetQueryResults
 * answers read by inventory_sql.c: the input is one page (JSON), read
 * twice (the first time with its header row, then as a later page) into
 * a report of two tables, one partitioned. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "collector/inventory/inventory_sql.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const inventory_sql_table tables[] = {{"lake", "wh/tbl/", 1}, {"lake", "", 0}};
    inventory_report report = {0};
    inventory_sql_results r;
    inventory_sql_results_begin(&r, tables, 2, &report);
    for (int page = 0; page < 2; page++) {
        char *token = NULL, *error = NULL;
        if (!inventory_sql_results_page(&r, (const char *)data, size, &token, &error))
            free(error);
        free(token);
    }
    inventory_sql_results_end(&r);
    inventory_report_clear(&report);
    return 0;
}
