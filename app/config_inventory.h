/* config_inventory.h: the [laketop] keys of S3 Inventory through Athena
 * (aws_inventory_athena.c): athena_workgroup, athena_output and
 * inventory_database, each checked as it is read. */
#ifndef LAKETOP_CONFIG_INVENTORY_H
#define LAKETOP_CONFIG_INVENTORY_H

#include <stdbool.h>

typedef struct config_athena {
    char *workgroup;          /* athena_workgroup: set, the reports go through Athena */
    char *output;             /* athena_output: s3://BUCKET/[PREFIX/] of the query results */
    char *inventory_database; /* inventory_database: laketop's Glue database */
} config_athena;

/* Whether `name` is one of the keys above. */
bool config_inventory_is_key(const char *name);
/* Sets `name` from `value`; false with *error (without FILE:LINE) when
 * refused: athena_workgroup 1 to 128 of [A-Za-z0-9._-], athena_output an
 * s3:// address, inventory_database 1 to 128 of [a-z0-9_]. */
bool config_inventory_set(config_athena *a, const char *name, const char *value, char **error);
void config_inventory_free(config_athena *a);

#endif
