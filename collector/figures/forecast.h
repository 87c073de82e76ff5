/* forecast.h: where a table is heading, from its daily history. The trend
 * is a Theil-Sen line (the median of the slopes between every pair of days,
 * then the median intercept) over the last FORECAST_WINDOW_DAYS samples (the
 * recent behaviour, as the 30-day sparkline shows it):
 * one-off spikes and drops move it little, unlike a least-squares fit. */
#ifndef LAKETOP_FORECAST_H
#define LAKETOP_FORECAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/snapshot.h"

#define FORECAST_WINDOW_DAYS 30
#define FORECAST_MIN_DAYS 5 /* fewer samples: no forecast rather than a wild one */

typedef struct forecast {
    double bytes_per_day;  /* the trend's slope */
    int64_t projected_30d; /* the trend 30 and 90 days after the last sample, >= 0 */
    int64_t projected_90d;
} forecast;

/* False (and *out untouched) when there is too little history. */
bool forecast_fit(const history_sample *history, size_t n, forecast *out);

/* A stopped table's forecast: no growth, `bytes` in 30 and 90 days (a
 * table late past its usual interval, see derive.c). */
void forecast_flat(int64_t bytes, forecast *out);

/* Days until `quota` bytes is reached at the trend from `now_bytes`: 0 when
 * reached already, -1 when never (a flat or shrinking trend). */
int64_t forecast_days_to_quota(const forecast *f, int64_t now_bytes, int64_t quota);

#endif
