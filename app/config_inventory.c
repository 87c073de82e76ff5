/* config_inventory.c: the [laketop] keys of S3 Inventory through Athena
 * (see config_inventory.h). */
#include "app/config_inventory.h"

#include <stdlib.h>
#include <string.h>

#include "collector/inventory/inventory_sql.h"
#include "collector/storage.h"
#include "common/xalloc.h"

bool config_inventory_is_key(const char *name) {
    return strcmp(name, "athena_workgroup") == 0 || strcmp(name, "athena_output") == 0 ||
           strcmp(name, "inventory_database") == 0;
}

/* Athena's rule for a work group's name. */
static bool config_inventory_workgroup_ok(const char *name) {
    size_t n = strlen(name);
    if (n < 1 || n > 128)
        return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '_' || *p == '-'))
            return false;
    return true;
}

bool config_inventory_set(config_athena *a, const char *name, const char *value, char **error) {
    char **slot;
    if (strcmp(name, "athena_workgroup") == 0) {
        if (!config_inventory_workgroup_ok(value)) {
            *error = xasprintf("athena_workgroup: \"%s\" is not a work group name (1 to 128 of "
                               "A-Z a-z 0-9 . _ -)",
                               value);
            return false;
        }
        slot = &a->workgroup;
    } else if (strcmp(name, "athena_output") == 0) {
        char *bucket = NULL, *prefix = NULL;
        bool ok =
            strncmp(value, "s3://", 5) == 0 && storage_s3_parse(value, &bucket, &prefix, NULL);
        free(bucket);
        free(prefix);
        if (!ok) {
            *error = xasprintf("athena_output: \"%s\" is not s3://BUCKET/[PREFIX/]", value);
            return false;
        }
        slot = &a->output;
    } else {
        if (!inventory_sql_database_ok(value)) {
            *error = xasprintf("inventory_database: \"%s\" is not a Glue database name (1 to 128 "
                               "of a-z 0-9 _)",
                               value);
            return false;
        }
        slot = &a->inventory_database;
    }
    free(*slot);
    *slot = xstrdup(value);
    return true;
}

void config_inventory_free(config_athena *a) {
    free(a->workgroup);
    free(a->output);
    free(a->inventory_database);
}
