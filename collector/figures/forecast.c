/* forecast.c: Theil-Sen growth trends (see forecast.h). */
#include "collector/figures/forecast.h"

#include <math.h>
#include <stdlib.h>

#include "common/xalloc.h"

/* The k-th smallest of v[lo..hi] (v is reordered): quickselect, average
 * linear time; the first frame computes a trend for every table. */
static double forecast_select(double *v, size_t lo, size_t hi, size_t k) {
    while (lo < hi) {
        double pivot = v[lo + (hi - lo) / 2];
        size_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                double t = v[i];
                v[i] = v[j];
                v[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return v[k];
    }
    return v[k];
}

/* The median of v[0..n), n > 0 (v is reordered). */
static double forecast_median(double *v, size_t n) {
    double upper = forecast_select(v, 0, n - 1, n / 2);
    if (n % 2)
        return upper;
    /* the largest of the lower half, which the selection left below n / 2 */
    double lower = v[0];
    for (size_t i = 1; i < n / 2; i++)
        if (v[i] > lower)
            lower = v[i];
    return (lower + upper) / 2;
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

void forecast_flat(int64_t bytes, forecast *out) {
    out->bytes_per_day = 0;
    out->projected_30d = bytes > 0 ? bytes : 0;
    out->projected_90d = out->projected_30d;
}

int64_t forecast_days_to_quota(const forecast *f, int64_t now_bytes, int64_t quota) {
    if (now_bytes >= quota)
        return 0;
    if (f->bytes_per_day <= 0)
        return -1;
    return (int64_t)ceil((double)(quota - now_bytes) / f->bytes_per_day);
}
