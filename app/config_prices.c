/* config_prices.c: the [prices] section (config_prices.h). */
#include "app/config_prices.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"

bool config_prices_set(cost_prices *prices, const char *name, const char *value, char **error) {
    double *slot = NULL;
    cost_class c;
    if (cost_class_from_key(name, &c))
        slot = &prices->gb_month[c];
    else if (strcmp(name, "athena_per_tb") == 0)
        slot = &prices->athena_per_tb;
    else if (strcmp(name, "list_per_1000") == 0)
        slot = &prices->list_per_1000;
    else if (strcmp(name, "get_per_1000") == 0)
        slot = &prices->get_per_1000;
    if (!slot) {
        *error = xasprintf("unknown key \"%s\" in [prices] (a storage class in lower case: "
                           "standard, standard_ia, onezone_ia, intelligent_tiering, glacier_ir, "
                           "glacier, deep_archive, reduced_redundancy, express_onezone; or "
                           "athena_per_tb, list_per_1000, get_per_1000)",
                           name);
        return false;
    }
    char *end;
    double v = strtod(value, &end);
    while (*end == ' ' || *end == '\t')
        end++;
    if (end == value || *end || !isfinite(v) || v < 0) {
        *error = xasprintf("%s: \"%s\" is not a price in USD (a number of 0 or more)", name, value);
        return false;
    }
    *slot = v;
    return true;
}
