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
 *    INSIGHTS_SMALL_AVG bytes (config small_files, small_file_size); for an
 *    open-format table read from its metadata, objects and bytes are its
 *    live files, so files kept only by old snapshots do not count;
 *  - waste (an open table format, collector/formats/formats.h): its
 *    unreferenced bytes (orphans, files of expired snapshots) over
 *    INSIGHTS_WASTE_SHARE (config waste_share) of its live bytes AND over
 *    INSIGHTS_WASTE_BYTES (config waste_bytes): both, so that neither a tiny
 *    table's few orphans nor a huge table's usual slack is a line;
 *  - many snapshots: more retained snapshots (Delta: log versions) than
 *    INSIGHTS_MAX_SNAPSHOTS (config max_snapshots);
 *  - uploads left: incomplete multipart uploads under the location, the
 *    oldest started over INSIGHTS_UPLOADS_LEFT_SECONDS (a day) ago: a
 *    younger one may still be running; an older one is left, and billed. */
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
#define INSIGHTS_WASTE_SHARE 0.30
#define INSIGHTS_WASTE_BYTES ((int64_t)10 << 30)
#define INSIGHTS_MAX_SNAPSHOTS 500
#define INSIGHTS_UPLOADS_LEFT_SECONDS 86400

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

/* Unreferenced bytes over `share` (0..1) of the live bytes and over
 * `least` bytes; false when either is unknown (-1: a Hive table). A table
 * with no live bytes is judged by `least` alone. */
bool insights_waste(int64_t unreferenced_bytes, int64_t live_bytes, double share, int64_t least);

/* More than `max` snapshots; false when unknown (-1). */
bool insights_many_snapshots(int64_t snapshots, int64_t max);

/* Uploads left (above) at `now`: false when unknown (-1). */
bool insights_uploads_left(int64_t uploads, int64_t oldest_initiated, int64_t now);

/* The unreferenced share of the live size, in percent, for people ("41 %"):
 * -1 when unknown or when there is nothing live to compare with. */
int insights_waste_percent(int64_t unreferenced_bytes, int64_t live_bytes);

#endif
