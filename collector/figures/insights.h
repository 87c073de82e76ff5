/* insights.h: what looks wrong with a table, learned from its own history.
 *  - late: no new data for more than INSIGHTS_LATE_FACTOR (config
 *    late_factor) times its usual
 *    interval between arrivals (the median gap between the days its newest
 *    object changed), once at least INSIGHTS_MIN_ARRIVALS arrivals are known;
 *  - anomaly: today's growth far outside its usual growth (further from
 *    the median of the last 30 days' changes than k (INSIGHTS_MAD_K, config
 *    anomaly_k) robust
 *    standard deviations, 1.4826 * MAD, with a floor for very regular
 *    tables; days without change are left out, so a weekly table's arrival
 *    day is compared with its other arrival days);
 *  - small files: more than INSIGHTS_SMALL_FILES objects averaging under
 *    INSIGHTS_SMALL_AVG bytes (config small_files, small_file_size). */
#ifndef LAKETOP_INSIGHTS_H
#define LAKETOP_INSIGHTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/snapshot.h"

#define INSIGHTS_LATE_FACTOR 1.5
#define INSIGHTS_MIN_ARRIVALS 4
#define INSIGHTS_MAD_K 5.0
#define INSIGHTS_SMALL_FILES 1000
#define INSIGHTS_SMALL_AVG ((int64_t)32 << 20)

/* The defaults above as settings (a config may override each). */
insight_settings insights_default_settings(void);

/* The median seconds between arrivals; -1 when too few are known. */
int64_t insights_usual_interval(const history_sample *h, size_t n);

/* Whether the growth of the last sample's day is an anomaly; *growth gets
 * it (bytes, may be negative). False with under 8 days of history or under
 * 3 days that changed, and when nothing changed today. */
bool insights_anomaly(const history_sample *h, size_t n, double k, int64_t *growth);

/* Over `many` objects averaging under `small` bytes. */
bool insights_small_files(int64_t objects, int64_t bytes, int64_t many, int64_t small);

#endif
