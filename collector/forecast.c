/* forecast.c: Theil-Sen growth trends (see forecast.h). */
#include "forecast.h"

#include <math.h>
#include <stdlib.h>

#include "../common/xalloc.h"

static int forecast_cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of v[0..n), n > 0 (v is sorted). */
static double forecast_median(double *v, size_t n) {
    qsort(v, n, sizeof *v, forecast_cmp);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

bool forecast_fit(const history_sample *history, size_t n, forecast *out) {
    size_t first = n > FORECAST_WINDOW_DAYS ? n - FORECAST_WINDOW_DAYS : 0;
    const history_sample *h = history + first;
    size_t m = n - first;
    if (m < FORECAST_MIN_DAYS)
        return false;
    double *slopes = xmalloc(m * (m - 1) / 2 * sizeof *slopes);
    size_t ns = 0;
    for (size_t i = 0; i < m; i++)
        for (size_t j = i + 1; j < m; j++)
            if (h[j].day != h[i].day)
                slopes[ns++] = (double)(h[j].bytes - h[i].bytes) / (double)(h[j].day - h[i].day);
    if (ns == 0) {
        free(slopes);
        return false;
    }
    double slope = forecast_median(slopes, ns);
    double *intercepts = slopes; /* m <= ns: reused */
    int32_t last = h[m - 1].day;
    for (size_t i = 0; i < m; i++)
        intercepts[i] = (double)h[i].bytes - slope * (double)(h[i].day - last);
    double at_last = forecast_median(intercepts, m);
    free(slopes);
    double p30 = at_last + 30 * slope, p90 = at_last + 90 * slope;
    out->bytes_per_day = slope;
    out->projected_30d = p30 > 0 ? (int64_t)llround(p30) : 0;
    out->projected_90d = p90 > 0 ? (int64_t)llround(p90) : 0;
    return true;
}

int64_t forecast_days_to_quota(const forecast *f, int64_t now_bytes, int64_t quota) {
    if (now_bytes >= quota)
        return 0;
    if (f->bytes_per_day <= 0)
        return -1;
    return (int64_t)ceil((double)(quota - now_bytes) / f->bytes_per_day);
}
