/* check.h: `laketop check` for on-call and monitoring. One summary line and
 * the offending tables, with the monitoring-plugin exit convention (0 OK,
 * 1 WARNING, 2 CRITICAL, 3 UNKNOWN), or metrics for node_exporter's
 * textfile collector. */
#ifndef LAKETOP_CHECK_H
#define LAKETOP_CHECK_H

#include <stdbool.h>
#include <stdio.h>

#include "collector/snapshot.h"

typedef enum check_status {
    CHECK_OK = 0,
    CHECK_WARNING = 1,
    CHECK_CRITICAL = 2,
    CHECK_UNKNOWN = 3,
} check_status;

/* CRITICAL: a table past its critical staleness threshold. WARNING: past
 * its warning threshold, or a table, database or part of the source (say
 * its crawlers) that could not be read. UNKNOWN: no snapshot (the source
 * could not be read at all). */
check_status check_evaluate(const lake_snapshot *s);

/* "LAKETOP CRITICAL - ..." then one line per offending table. */
bool check_write_text(FILE *out, const lake_snapshot *s, check_status status);

/* Prometheus text exposition format: per table bytes, objects, staleness;
 * per crawler its last crawl; the check's status. */
bool check_write_prometheus(FILE *out, const lake_snapshot *s, check_status status);

#endif
