/* inventory_config.h: S3's ListBucketInventoryConfigurations answer
 * (GET /bucket?inventory, expat): each configuration's id, whether it is
 * enabled, its format, and where its reports go (destination bucket and
 * prefix), so that a bucket's reports are found without the config key. */
#ifndef LAKETOP_INVENTORY_CONFIG_H
#define LAKETOP_INVENTORY_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

typedef struct inventory_config {
    char *id;
    bool enabled;
    char *format;      /* "CSV", "ORC", "Parquet" */
    char *dest_bucket; /* the name (an ARN's last part) */
    char *dest_prefix; /* "" or the configured prefix, without a trailing '/' */
    char *filter;      /* Filter/Prefix: only the keys starting so are listed; "" all */
} inventory_config;

/* false with *error (malloc'd) for XML that is malformed or not a
 * ListInventoryConfigurationsResult; *configs (malloc'd, *n of them) keep
 * only the configurations with an id and a destination bucket. */
bool inventory_config_parse(const char *xml, size_t length, inventory_config **configs, size_t *n,
                            char **error);
void inventory_configs_free(inventory_config *configs, size_t n);

/* The configuration whose reports are read: with Athena the first enabled
 * Parquet one, else ORC, else CSV; without (the report streamed here,
 * which reads CSV only) the first enabled CSV one; NULL when none fits. */
const inventory_config *inventory_config_pick(const inventory_config *configs, size_t n,
                                              bool athena);

#endif
