/* config_incremental.h: the [laketop] keys of incremental listings
 * (incremental.h): recent_partitions, verify_every and flat_below, each
 * checked as it is read, in [laketop] and in [database]/[table] sections. */
#ifndef LAKETOP_CONFIG_INCREMENTAL_H
#define LAKETOP_CONFIG_INCREMENTAL_H

#include <stdbool.h>

#include "collector/figures/incremental.h"

/* Whether `name` is one of the keys above. */
bool config_incremental_is_key(const char *name);

/* Sets `name` from `value`; false with *error (without FILE:LINE) when
 * refused: recent_partitions a count from 0 to 1000000, verify_every a
 * duration of 1 second or more (24h), flat_below a count of 0 or more. */
bool config_incremental_set(incremental_settings *s, const char *name, const char *value,
                            char **error);
/* The same in a [database DB] (table NULL) or [table DB.T] section. */
bool config_incremental_set_in(incremental_settings *s, const char *database, const char *table,
                               const char *name, const char *value, char **error);

#endif
