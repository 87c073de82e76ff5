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

/* The value into *verify, *recent or *flat (by name); false with *error. */
static bool config_incremental_value(const char *name, const char *value, int64_t *recent_out,
                                     int64_t *verify, int64_t *flat, char **error) {
    if (strcmp(name, "verify_every") == 0) {
        int64_t seconds;
        if (!fmt_parse_duration(value, &seconds) || seconds < 1) {
            *error =
                xasprintf("verify_every: \"%s\" is not a duration of 1s or more (e.g. 24h)", value);
            return false;
        }
        *verify = seconds;
        return true;
    }
    bool recent = strcmp(name, "recent_partitions") == 0;
    int64_t n;
    if (!config_incremental_count(value, recent ? 1000000 : INT64_MAX, &n)) {
        *error = xasprintf("%s: \"%s\" is not a count of 0 or more", name, value);
        return false;
    }
    *(recent ? recent_out : flat) = n;
    return true;
}

bool config_incremental_set(incremental_settings *s, const char *name, const char *value,
                            char **error) {
    return config_incremental_value(name, value, &s->recent, &s->verify_every, &s->flat_below,
                                    error);
}

bool config_incremental_set_in(incremental_settings *s, const char *database, const char *table,
                               const char *name, const char *value, char **error) {
    incremental_rule *r = incremental_settings_rule(s, database, table);
    return config_incremental_value(name, value, &r->recent, &r->verify_every, &r->flat_below,
                                    error);
}
