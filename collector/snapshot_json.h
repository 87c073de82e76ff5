/* snapshot_json.h: a snapshot's figures as JSON, the shape `--once --format
 * json` prints and the daily export's laketop.jsonl repeats (one table per
 * line). Times are ISO 8601 UTC; unknown values are null. */
#ifndef LAKETOP_SNAPSHOT_JSON_H
#define LAKETOP_SNAPSHOT_JSON_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>

#include "collector/snapshot.h"

/* One table's figures (the caller puts it); its history is left out. */
json_object *snapshot_json_table(const table_stats *t);

/* Whether a database's tables are unknown: it could not be read (its
 * error is set) and no table of it is in the snapshot (none kept from an
 * earlier refresh either). Its counts are then unknown, never 0. */
bool snapshot_json_database_unread(const database_stats *d);

/* A job's or a state machine's figures: its newest run's state, times,
 * duration (at `now` while it runs) and error, failures_7d, and its runs
 * newest first. */
json_object *snapshot_json_job(const pipeline_job *job, int64_t now);

/* A table's "writer" (config job = / state_machine =): {"kind": "job" or
 * "state_machine", "name", "state" (its newest run's; null unknown or never
 * ran), "failed" (that run failed)}, or null when it names none. */
json_object *snapshot_json_writer(const lake_snapshot *s, const table_stats *t);

/* One database's figures; its counts null when it is unread. */
json_object *snapshot_json_database(const database_stats *d);

/* The cost (snapshot_json_cost.c): a table's storage_classes ({"STANDARD":
 * bytes, ...}), cost_month_usd, cost_month_30d_usd, query_cost_30d_usd; a
 * database's sums; the snapshot's "cost" object (storage_month_usd,
 * queries_30d_usd, laketop_refresh_day_usd, queries_without_cost, the
 * prices). Dollars are null when unknown. */
void snapshot_json_cost_table(json_object *o, const table_stats *t);
void snapshot_json_cost_database(json_object *o, const database_stats *d);
json_object *snapshot_json_cost(const lake_snapshot *s);
json_object *snapshot_json_usd(double usd);

/* The pieces: a time (null when negative), a count (null when negative), a
 * string (null when NULL), a staleness level's word (fresh, warn, crit,
 * unknown). */
json_object *snapshot_json_time(int64_t t);
json_object *snapshot_json_count(int64_t v);
json_object *snapshot_json_string(const char *s);
const char *snapshot_json_stale_word(stale_level level);

#endif
