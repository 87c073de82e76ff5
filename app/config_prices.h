/* config_prices.h: the [prices] section of the config: what storage,
 * queries and requests cost, in USD (cost.h), over the built-in us-east-1
 * prices:
 *
 *   [prices]
 *   standard = 0.023          (per GB-month, GB = 2^30 bytes; one key per
 *   glacier_ir = 0.004         storage class: standard_ia, onezone_ia,
 *   athena_per_tb = 5          intelligent_tiering, glacier, deep_archive, ...)
 *   list_per_1000 = 0.005     (TB = 2^40 bytes scanned; per 1000 requests)
 *   get_per_1000 = 0.0004
 */
#ifndef LAKETOP_CONFIG_PRICES_H
#define LAKETOP_CONFIG_PRICES_H

#include <stdbool.h>

#include "collector/figures/cost.h"

/* Sets the key `name` of [prices] from `value` into `prices`; false with
 * *error (without FILE:LINE: the caller's) for a key that is not one of
 * the above (keys are lower case) or a value that is not a number of 0 or
 * more. */
bool config_prices_set(cost_prices *prices, const char *name, const char *value, char **error);

#endif
