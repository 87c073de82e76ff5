/* insights.c: late, anomalous and small-file tables, waste and many
 * snapshots (see insights.h). */
#include "collector/figures/insights.h"

#include <math.h>
#include <stdlib.h>

#include "common/xalloc.h"

static int insights_cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double insights_median(double *v, size_t n) {
    qsort(v, n, sizeof *v, insights_cmp);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

insight_settings insights_default_settings(void) {
    return (insight_settings){.late_factor = INSIGHTS_LATE_FACTOR,
                              .anomaly_k = INSIGHTS_MAD_K,
                              .small_files = INSIGHTS_SMALL_FILES,
                              .small_file_size = INSIGHTS_SMALL_AVG,
                              .waste_share = INSIGHTS_WASTE_SHARE,
                              .waste_bytes = INSIGHTS_WASTE_BYTES,
                              .max_snapshots = INSIGHTS_MAX_SNAPSHOTS};
}

int64_t insights_usual_interval(const history_sample *h, size_t n) {
    /* the arrivals: each distinct newest-object time, in order */
    double *gaps = xmalloc((n ? n : 1) * sizeof *gaps);
    size_t ng = 0, arrivals = 0;
    int64_t last = -1;
    for (size_t i = 0; i < n; i++) {
        int64_t t = h[i].newest_object;
        if (t < 0 || t == last)
            continue;
        if (last >= 0 && t > last)
            gaps[ng++] = (double)(t - last);
        last = t;
        arrivals++;
    }
    int64_t usual = -1;
    if (arrivals >= INSIGHTS_MIN_ARRIVALS && ng > 0)
        usual = (int64_t)llround(insights_median(gaps, ng));
    free(gaps);
    return usual;
}

bool insights_anomaly(const history_sample *h, size_t n, double k, int64_t *growth) {
    if (n < 2)
        return false;
    *growth = h[n - 1].bytes - h[n - 2].bytes;
    if (*growth == 0)
        return false;                   /* no data today is for `late`, not an anomaly */
    size_t first = n > 31 ? n - 31 : 0; /* 30 days of growth before today's */
    size_t days = n - 1 - first;
    if (days < 8)
        return false;
    /* compared with the days that changed: a weekly table's arrival day is
     * measured against its other arrival days, not against the quiet ones */
    double *g = xmalloc(days * sizeof *g);
    size_t m = 0;
    for (size_t i = 0; i < days; i++) {
        int64_t d = h[first + i + 1].bytes - h[first + i].bytes;
        if (d != 0)
            g[m++] = (double)d;
    }
    if (m < 3) {
        free(g);
        return false;
    }
    double med = insights_median(g, m);
    for (size_t i = 0; i < m; i++)
        g[i] = fabs(g[i] - med);
    double mad = insights_median(g, m);
    free(g);
    /* a floor: a perfectly regular table must not flag a 1-byte wobble */
    double spread = fmax(1.4826 * mad, fmax(fabs(med) * 0.1, 1024.0));
    return fabs((double)*growth - med) > k * spread;
}

bool insights_small_files(int64_t objects, int64_t bytes, int64_t many, int64_t small) {
    return objects > many && objects > 0 && bytes >= 0 && bytes / objects < small;
}

bool insights_waste(int64_t unreferenced_bytes, int64_t live_bytes, double share, int64_t least) {
    if (unreferenced_bytes < 0 || live_bytes < 0)
        return false;
    return unreferenced_bytes > least && (double)unreferenced_bytes > share * (double)live_bytes;
}

bool insights_many_snapshots(int64_t snapshots, int64_t max) {
    return snapshots >= 0 && snapshots > max;
}

bool insights_uploads_left(int64_t uploads, int64_t oldest_initiated, int64_t now) {
    return uploads > 0 && oldest_initiated >= 0 &&
           now - oldest_initiated > INSIGHTS_UPLOADS_LEFT_SECONDS;
}

int insights_waste_percent(int64_t unreferenced_bytes, int64_t live_bytes) {
    if (unreferenced_bytes < 0 || live_bytes <= 0)
        return -1;
    double percent = 100.0 * (double)unreferenced_bytes / (double)live_bytes;
    return percent > 1e6 ? 1000000 : (int)llround(percent);
}
