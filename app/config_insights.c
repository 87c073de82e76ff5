/* config_insights.c: the insight keys of [laketop] (config_insights.h). */
#include "app/config_insights.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/fmt.h"
#include "common/xalloc.h"

static const char *const config_insights_keys[] = {
    "late_factor", "anomaly_k",   "small_files",   "small_file_size",
    "waste_share", "waste_bytes", "max_snapshots",
};

bool config_insights_is_key(const char *name) {
    for (size_t i = 0; i < sizeof config_insights_keys / sizeof config_insights_keys[0]; i++)
        if (strcmp(name, config_insights_keys[i]) == 0)
            return true;
    return false;
}

/* "30%", "30 %", "12.5%" (0 to 1000) or "0.3" (0 to 1) into a fraction. */
static bool config_insights_share(const char *value, double *share) {
    char *end;
    double v = strtod(value, &end);
    if (end == value || !(v >= 0.0))
        return false;
    while (*end == ' ')
        end++;
    if (*end == '%' && end[1] == '\0' && v <= 1000.0) {
        *share = v / 100.0;
        return true;
    }
    if (*end == '\0' && v <= 1.0) {
        *share = v;
        return true;
    }
    return false;
}

static bool config_insights_count(const char *value, int64_t *count) {
    char *end;
    long long n = strtoll(value, &end, 10);
    if (end == value || *end || n < 1)
        return false;
    *count = n;
    return true;
}

bool config_insights_set(thresholds *t, const char *name, const char *value, char **error) {
    if (strcmp(name, "late_factor") == 0 || strcmp(name, "anomaly_k") == 0) {
        char *end;
        double f = strtod(value, &end);
        if (end == value || *end || !(f >= 1.0 && f <= 100.0)) {
            *error = xasprintf("%s: \"%s\" is not a number from 1 to 100", name, value);
            return false;
        }
        *(name[0] == 'l' ? &t->late_factor : &t->anomaly_k) = f;
    } else if (strcmp(name, "small_files") == 0 || strcmp(name, "max_snapshots") == 0) {
        if (!config_insights_count(value, name[0] == 's' ? &t->small_files : &t->max_snapshots)) {
            *error = xasprintf("%s: \"%s\" is not a count of 1 or more", name, value);
            return false;
        }
    } else if (strcmp(name, "small_file_size") == 0) {
        int64_t bytes;
        if (!fmt_parse_bytes(value, &bytes) || bytes < 1) {
            *error = xasprintf("small_file_size: \"%s\" is not a size (e.g. 32MiB)", value);
            return false;
        }
        t->small_file_size = bytes;
    } else if (strcmp(name, "waste_bytes") == 0) {
        int64_t bytes;
        if (!fmt_parse_bytes(value, &bytes) || bytes < 0) {
            *error = xasprintf("waste_bytes: \"%s\" is not a size (e.g. 10GiB)", value);
            return false;
        }
        t->waste_bytes = bytes;
    } else if (strcmp(name, "waste_share") == 0) {
        if (!config_insights_share(value, &t->waste_share)) {
            *error = xasprintf("waste_share: \"%s\" is not a share of the live size (write a "
                               "percent from 0%% to 1000%%, e.g. 30%%, or a fraction from 0 "
                               "to 1, e.g. 0.3)",
                               value);
            return false;
        }
    } else {
        *error = xasprintf("unknown insight key \"%s\"", name);
        return false;
    }
    return true;
}
