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

/* CRITICAL: a table past its critical staleness threshold, or a job or
 * state machine of `severity = critical` whose newest run failed. WARNING:
 * past its warning threshold, a table, database or part of the source (say
 * its crawlers, or its jobs) that could not be read, a job or state machine
 * whose newest run failed, or one WAITING past 20 minutes. UNKNOWN: no
 * snapshot (the source could not be read at all). */
check_status check_evaluate(const lake_snapshot *s);

/* "LAKETOP CRITICAL - ..." then one line per offending table, job
 * ("WARNING job NAME: newest run FAILED 3h ago (exit status 2): MESSAGE")
 * and state machine ("... state machine NAME: ..."). */
bool check_write_text(FILE *out, const lake_snapshot *s, check_status status);

/* Prometheus text exposition format: per table bytes, objects, staleness;
 * per crawler its last crawl; per job (laketop_job_*) and state machine
 * (laketop_state_machine_*) last_run_succeeded, last_run_seconds (of the
 * newest run that ended) and failures_7d; the check's status. */
bool check_write_prometheus(FILE *out, const lake_snapshot *s, check_status status);

#endif
