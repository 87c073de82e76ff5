/* config_insights.h: the [laketop] keys of the insights (insights.h):
 * late_factor, anomaly_k, small_files, small_file_size, waste_share,
 * waste_bytes and max_snapshots, each checked as it is read. They are set
 * for the whole lake only: a [database] or [table] section refuses them
 * (config_insights_is_key tells it which they are). */
#ifndef LAKETOP_CONFIG_INSIGHTS_H
#define LAKETOP_CONFIG_INSIGHTS_H

#include <stdbool.h>

#include "collector/figures/thresholds.h"

/* Whether `name` is one of the keys above. */
bool config_insights_is_key(const char *name);

/* Sets the key `name` (one of the above) from `value` into `t`; false with
 * *error (without FILE:LINE: the caller's) on a value it refuses:
 *  - late_factor, anomaly_k: a number from 1 to 100;
 *  - small_files: a count of 1 or more; max_snapshots: likewise;
 *  - small_file_size: a size of 1 byte or more (32MiB); waste_bytes: a
 *    size, 0 included (10GiB; 0: the share alone decides);
 *  - waste_share: a percent from 0% to 1000% ("30%", "12.5 %") or a
 *    fraction from 0 to 1 ("0.3"); a bare number over 1 ("30") is refused,
 *    as it could mean either. */
bool config_insights_set(thresholds *t, const char *name, const char *value, char **error);

#endif
