/* config_incremental.c: the [laketop] keys of incremental listings (see
 * config_incremental.h). */
#include "app/config_incremental.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/fmt.h"
#include "common/xalloc.h"

bool config_incremental_is_key(const char *name) {
    return strcmp(name, "recent_partitions") == 0 || strcmp(name, "verify_every") == 0 ||
           strcmp(name, "flat_below") == 0;
}

static bool config_incremental_count(const char *value, int64_t max, int64_t *out) {
    char *end;
    errno = 0;
    long long n = strtoll(value, &end, 10);
    if (!*value || *end || errno || n < 0 || n > max)
        return false;
    *out = n;
    return true;
}

bool config_incremental_set(incremental_settings *s, const char *name, const char *value,
                            char **error) {
    if (strcmp(name, "verify_every") == 0) {
        int64_t seconds;
        if (!fmt_parse_duration(value, &seconds) || seconds < 1) {
            *error =
                xasprintf("verify_every: \"%s\" is not a duration of 1s or more (e.g. 24h)", value);
            return false;
        }
        s->verify_every = seconds;
        return true;
    }
    bool recent = strcmp(name, "recent_partitions") == 0;
    int64_t n;
    if (!config_incremental_count(value, recent ? 1000000 : INT64_MAX, &n)) {
        *error = xasprintf("%s: \"%s\" is not a count of 0 or more", name, value);
        return false;
    }
    if (recent)
        s->recent = n;
    else
        s->flat_below = n;
    return true;
}
