/* queries.h: how often each table was queried over the last
 * QUERIES_WINDOW_DAYS days, from query executions in the shape of Athena's
 * QueryExecution: {"Query", "QueryExecutionContext": {"Database"},
 * "Status": {"SubmissionDateTime"}} (epoch seconds or ISO 8601). The local
 * lake keeps them one per line in LAKE/.laketop/queries.jsonl; on AWS they
 * come from Athena. A query counts once for each table it reads
 * (sql_refs.h); text that does not parse is skipped and counted.
 *
 * Cost: "Statistics": {"DataScannedInBytes"} and "Status": {"State"} give
 * what Athena bills for it (cost.h; no State: SUCCEEDED), split evenly
 * over the tables it reads into query_billed_bytes_30d, and summed for the
 * account (queries_billed_bytes_30d) with the queries of other catalogs.
 * Without DataScannedInBytes its cost is unknown: counted in
 * queries_cost_unknown and taken as 0 (not guessed at the 10 MiB minimum). */
#ifndef LAKETOP_QUERIES_H
#define LAKETOP_QUERIES_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>

#include "collector/snapshot.h"

#define QUERIES_WINDOW_DAYS 30

typedef struct query_tally {
    lake_snapshot *snapshot;
    int64_t since; /* start of the window */
    size_t counted;
    size_t *by_name; /* table indices sorted by (database, name): one lookup per reference */
} query_tally;

/* Starts counting: every table's queries_30d becomes 0 and the snapshot
 * has_queries. */
void queries_begin(query_tally *q, lake_snapshot *s, int64_t now);

/* When the execution was submitted (Status.SubmissionDateTime, epoch
 * seconds), or -1 when it does not say. */
int64_t queries_submitted(json_object *execution);

/* Counts one execution; false when it was submitted before the window
 * (callers reading newest first may stop there). */
bool queries_add(query_tally *q, json_object *execution);

/* Ends counting (frees the tally's index; the counts stay). */
void queries_end(query_tally *q);

/* The local lake's log: true with nothing counted (queries_30d stay -1) when
 * the file does not exist; broken lines count as unparsed. */
bool queries_read_log(const char *path, lake_snapshot *s, int64_t now, char **error);

#endif
