/* aws_inventory_athena.c: an S3 Inventory report aggregated by Athena
 * (issue 15). Not written yet: the interface only. */
#include "collector/aws/aws_internal.h"
#include "common/xalloc.h"

bool aws_inventory_athena_enabled(const aws_source *src) {
    (void)src;
    return false;
}

bool aws_inventory_athena(aws_refresh *r, const inventory_manifest *m, const char *dest,
                          const char *prefix, const char *date, const size_t *tables,
                          size_t n_tables, inventory_report *out, char **error) {
    (void)r, (void)m, (void)dest, (void)prefix, (void)date, (void)tables, (void)n_tables, (void)out;
    *error = xstrdup("Athena aggregation is not built yet");
    return false;
}
