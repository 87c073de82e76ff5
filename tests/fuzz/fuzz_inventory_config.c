/* fuzz_inventory_config.c: libFuzzer harness for S3's
 * ListBucketInventoryConfigurations answer. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "collector/inventory/inventory_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    inventory_config *c = NULL;
    size_t n = 0;
    char *error = NULL;
    if (inventory_config_parse((const char *)data, size, &c, &n, &error)) {
        (void)inventory_config_pick(c, n, false);
        (void)inventory_config_pick(c, n, true);
        inventory_configs_free(c, n);
    } else {
        free(error);
    }
    return 0;
}
