/* detail_format.h: the detail view's "Table format" section for an
 * Iceberg, Delta Lake or Hudi table (none for a Hive-style one): the format
 * and its version; Live vs On storage vs Unreferenced (bytes, files, share
 * of live) and what only older snapshots retain; metadata bytes; records;
 * delete files; snapshots (Delta: versions in the log; count, oldest, last
 * commit, to the minute in UTC, with ages); the last
 * commits, newest first, as many as the screen has room for; the partition
 * spec; the metadata file; why the metadata could not be read; and the
 * maintenance to run, chosen from those figures (detail_format_hints). */
#ifndef LAKETOP_DETAIL_FORMAT_H
#define LAKETOP_DETAIL_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "collector/snapshot.h"
#include "views/detail_lines.h"

/* Adds the section to `l` (nothing for a Hive-style table). `width`,
 * `height`: the view's; `now`: the frame's clock (ages, and the time an
 * expire_snapshots statement keeps from). */
void detail_format_lines(detail_lines *l, const lake_snapshot *s, const table_stats *t, int width,
                         int height, int64_t now);

#define DETAIL_HINT_KEEP_SECONDS (7 * 86400) /* what the statements keep: 168 hours */
#define DETAIL_HINT_STATEMENTS 2

/* One maintenance hint: why (from the figures) and the statements that do
 * it, one per engine. */
typedef struct detail_hint {
    bool warn; /* past an insight's threshold (waste, many snapshots) */
    char why[192];
    size_t n_statements;
    const char *engine[DETAIL_HINT_STATEMENTS]; /* "Spark", "Athena", "Delta" */
    char statement[DETAIL_HINT_STATEMENTS][256];
} detail_hint;

/* The hints of `t` with the insight settings `in`, at most `cap`; how
 * many. None for a Hive-style table or figures from the listing.
 *  - unreferenced files (orphans, expired snapshots' files): Iceberg
 *    remove_orphan_files (Spark) and VACUUM (Athena); Delta VACUUM RETAIN
 *    168 HOURS (which also removes what only older versions retain);
 *  - many snapshots, or retained bytes past waste_share of the live size
 *    and waste_bytes: Iceberg expire_snapshots older than 7 days (Spark)
 *    and VACUUM (Athena); Delta: many versions: a shorter
 *    delta.logRetentionDuration;
 *  - many small live files: Iceberg OPTIMIZE ... REWRITE DATA USING
 *    BIN_PACK (Athena) and rewrite_data_files (Spark); Delta OPTIMIZE. */
size_t detail_format_hints(const insight_settings *in, const table_stats *t, int64_t now,
                           detail_hint *out, size_t cap);

#endif
