/* inventory_report.c: freeing an inventory_report. */
#include "collector/inventory/inventory_report.h"

#include <stdlib.h>
#include <string.h>

void inventory_report_clear(inventory_report *r) {
    for (size_t i = 0; i < r->n_tables; i++) {
        inventory_table_report *t = &r->tables[i];
        for (size_t k = 0; k < t->n_dirs; k++)
            free(t->dirs[k].name);
        free(t->dirs);
    }
    free(r->tables);
    free(r->date);
    free(r->athena_query_id);
    memset(r, 0, sizeof *r);
}
