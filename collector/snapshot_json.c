/* snapshot_json.c: a snapshot's figures as JSON (see snapshot_json.h). */
#include "collector/snapshot_json.h"

#include <math.h>
#include <stdlib.h>

#include "collector/figures/pipeline.h"
#include "collector/figures/schema.h"
#include "collector/figures/writers.h"
#include "common/redact.h"
#include "common/fmt.h"

json_object *snapshot_json_time(int64_t t) {
    if (t < 0)
        return NULL; /* json null */
    char buf[32];
    return json_object_new_string(fmt_iso8601(t, buf, sizeof buf));
}

json_object *snapshot_json_count(int64_t v) {
    return v < 0 ? NULL : json_object_new_int64(v);
}

json_object *snapshot_json_string(const char *s) {
    return s ? json_object_new_string(s) : NULL;
}

const char *snapshot_json_stale_word(stale_level level) {
    switch (level) {
    case STALE_FRESH: return "fresh";
    case STALE_WARN: return "warn";
    case STALE_CRIT: return "crit";
    case STALE_UNKNOWN: break;
    }
    return "unknown";
}

/* Where a table's staleness thresholds came from (thresholds.h). */
static const char *snapshot_json_rule_word(stale_rule rule) {
    switch (rule) {
    case STALE_RULE_DATABASE: return "database";
    case STALE_RULE_TABLE: return "table";
    case STALE_RULE_LEARNED: return "learned";
    case STALE_RULE_GLOBAL: break;
    }
    return "global";
}

bool snapshot_json_database_unread(const database_stats *d) {
    return d->error && d->n_tables == 0;
}

json_object *snapshot_json_database(const database_stats *d) {
    bool unread = snapshot_json_database_unread(d);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "name", json_object_new_string(d->name));
    /* unread: how many tables, bytes, objects it has is not known */
    json_object_object_add(o, "tables",
                           unread ? NULL : json_object_new_int64((int64_t)d->n_tables));
    json_object_object_add(o, "bytes", unread ? NULL : json_object_new_int64(d->bytes));
    json_object_object_add(o, "objects", unread ? NULL : json_object_new_int64(d->objects));
    json_object_object_add(o, "stale_tables",
                           unread ? NULL : json_object_new_int64((int64_t)d->stale_tables));
    json_object_object_add(o, "error_tables",
                           unread ? NULL : json_object_new_int64((int64_t)d->error_tables));
    json_object_object_add(o, "description", snapshot_json_string(d->description));
    json_object_object_add(o, "shared_from", snapshot_json_string(d->shared_from));
    json_object_object_add(o, "error", snapshot_json_string(d->error));
    snapshot_json_cost_database(o, d);
    return o;
}

/* The last schema change against the version before it:
 * [{"change": "added|removed|retyped|reordered", "column", "from", "to"}]. */
static json_object *snapshot_json_schema_changes(const table_stats *t) {
    static const char *const words[] = {"added", "removed", "retyped", "reordered"};
    json_object *list = json_object_new_array();
    for (size_t i = 0; i < t->n_schema_changes; i++) {
        const schema_change *c = &t->schema_changes[i];
        json_object *o = json_object_new_object();
        json_object_object_add(o, "change", json_object_new_string(words[c->kind]));
        if (c->column)
            json_object_object_add(o, "column", json_object_new_string(c->column));
        if (c->from)
            json_object_object_add(o, "from", json_object_new_string(c->from));
        if (c->to)
            json_object_object_add(o, "to", json_object_new_string(c->to));
        json_object_array_add(list, o);
    }
    return list;
}

/* The last SNAPSHOT_JSON_COMMITS commits of an open-format table, oldest
 * first. */
#define SNAPSHOT_JSON_COMMITS 20
static json_object *snapshot_json_commits(const table_stats *t) {
    json_object *list = json_object_new_array();
    size_t first = t->n_commits > SNAPSHOT_JSON_COMMITS ? t->n_commits - SNAPSHOT_JSON_COMMITS : 0;
    for (size_t i = first; i < t->n_commits; i++) {
        const table_commit *c = &t->commits[i];
        json_object *o = json_object_new_object();
        json_object_object_add(o, "id", json_object_new_int64(c->id));
        json_object_object_add(o, "at", snapshot_json_time(c->at));
        json_object_object_add(o, "operation", snapshot_json_string(c->operation));
        json_object_object_add(o, "added_files", snapshot_json_count(c->added_files));
        json_object_object_add(o, "removed_files", snapshot_json_count(c->removed_files));
        json_object_object_add(o, "added_records", snapshot_json_count(c->added_records));
        json_object_object_add(o, "removed_records", snapshot_json_count(c->removed_records));
        json_object_object_add(o, "total_files", snapshot_json_count(c->total_files));
        json_object_object_add(o, "total_bytes", snapshot_json_count(c->total_bytes));
        json_object_object_add(o, "total_records", snapshot_json_count(c->total_records));
        json_object_array_add(list, o);
    }
    return list;
}

/* The table format's fields (collector/formats/formats.h). */
static void snapshot_json_formats(json_object *o, const table_stats *t) {
    json_object_object_add(o, "table_format",
                           json_object_new_string(table_format_name(t->table_format)));
    json_object_object_add(
        o, "origin",
        json_object_new_string(t->origin == FIGURES_METADATA ? "metadata" : "listing"));
    /* how the figures were counted (snapshot.h): a builder that has not
     * said (as_of unknown) counted them as its origin says, at scanned_at */
    json_object *prov = json_object_new_object();
    provenance_kind kind = t->provenance;
    if (t->provenance_as_of < 0 && kind == PROVENANCE_LISTED && t->origin == FIGURES_METADATA)
        kind = PROVENANCE_METADATA;
    int64_t as_of = t->provenance_as_of >= 0 ? t->provenance_as_of : t->scanned_at;
    int64_t verified = t->provenance_verified_at >= 0 ? t->provenance_verified_at
                       : kind == PROVENANCE_LISTED    ? as_of
                                                      : -1;
    json_object_object_add(prov, "kind", json_object_new_string(provenance_kind_name(kind)));
    json_object_object_add(prov, "as_of", snapshot_json_time(as_of));
    json_object_object_add(prov, "verified_at", snapshot_json_time(verified));
    json_object_object_add(prov, "inventory_date", snapshot_json_string(t->inventory_date));
    json_object_object_add(o, "provenance", prov);
    json_object_object_add(o, "format_version",
                           t->format_version > 0 ? json_object_new_int(t->format_version) : NULL);
    json_object_object_add(o, "records", snapshot_json_count(t->records));
    json_object_object_add(o, "delete_files", snapshot_json_count(t->delete_files));
    json_object_object_add(o, "snapshots", snapshot_json_count(t->snapshots));
    json_object_object_add(o, "oldest_snapshot", snapshot_json_time(t->oldest_snapshot));
    json_object_object_add(o, "last_commit", snapshot_json_time(t->last_commit));
    json_object_object_add(o, "s3_objects", snapshot_json_count(t->s3_objects));
    json_object_object_add(o, "s3_bytes", snapshot_json_count(t->s3_bytes));
    json_object_object_add(o, "metadata_bytes", snapshot_json_count(t->metadata_bytes));
    json_object_object_add(o, "unreferenced_bytes", snapshot_json_count(t->unreferenced_bytes));
    json_object_object_add(o, "unreferenced_objects", snapshot_json_count(t->unreferenced_objects));
    json_object_object_add(o, "retained_bytes", snapshot_json_count(t->retained_bytes));
    json_object_object_add(o, "format_error", snapshot_json_string(t->format_error));
    json_object_object_add(o, "metadata_location", snapshot_json_string(t->metadata_location));
    json_object_object_add(o, "partition_spec", snapshot_json_string(t->partition_spec));
    json_object_object_add(o, "waste", json_object_new_boolean(t->waste));
    json_object_object_add(o, "many_snapshots", json_object_new_boolean(t->many_snapshots));
    json_object_object_add(o, "commits", snapshot_json_commits(t));
}

json_object *snapshot_json_table(const table_stats *t) {
    json_object *o = json_object_new_object();
    json_object_object_add(o, "database", json_object_new_string(t->database));
    json_object_object_add(o, "name", json_object_new_string(t->name));
    json_object_object_add(o, "location", json_object_new_string(t->location));
    json_object_object_add(o, "format", json_object_new_string(t->format));
    json_object_object_add(o, "table_type", json_object_new_string(t->table_type));
    json_object_object_add(o, "objects", snapshot_json_count(t->objects));
    json_object_object_add(o, "bytes", snapshot_json_count(t->bytes));
    json_object_object_add(o, "average_object_bytes",
                           t->objects > 0 ? json_object_new_int64(t->bytes / t->objects) : NULL);
    json_object_object_add(o, "marker_objects", snapshot_json_count(t->marker_objects));
    json_object_object_add(o, "newest_object", snapshot_json_time(t->newest_object));
    json_object_object_add(o, "catalog_created", snapshot_json_time(t->create_time));
    json_object_object_add(o, "catalog_updated", snapshot_json_time(t->update_time));
    json_object_object_add(o, "staleness_seconds", snapshot_json_count(t->staleness_seconds));
    json_object_object_add(o, "stale", json_object_new_string(snapshot_json_stale_word(t->stale)));
    json_object_object_add(o, "stale_warn_seconds", json_object_new_int64(t->stale_warn_seconds));
    json_object_object_add(o, "stale_crit_seconds", json_object_new_int64(t->stale_crit_seconds));
    json_object_object_add(o, "stale_rule",
                           json_object_new_string(snapshot_json_rule_word(t->stale_rule)));
    json_object_object_add(o, "partitions", snapshot_json_count(t->partitions));
    json_object_object_add(o, "catalog_partitions", snapshot_json_count(t->catalog_partitions));
    json_object_object_add(o, "schema_changed_at", snapshot_json_time(t->schema_changed_at));
    json_object_object_add(o, "schema_changes", snapshot_json_schema_changes(t));
    json_object_object_add(o, "growth_7d_bytes",
                           t->has_growth_7d ? json_object_new_int64(t->growth_7d_bytes) : NULL);
    json_object_object_add(o, "growth_30d_bytes",
                           t->has_growth_30d ? json_object_new_int64(t->growth_30d_bytes) : NULL);
    json_object_object_add(o, "queries_30d", snapshot_json_count(t->queries_30d));
    json_object_object_add(o, "quota_bytes",
                           snapshot_json_count(t->quota_bytes > 0 ? t->quota_bytes : -1));
    json_object_object_add(o, "days_to_quota", snapshot_json_count(t->days_to_quota));
    json_object_object_add(o, "usual_interval_seconds",
                           snapshot_json_count(t->usual_interval_seconds));
    json_object_object_add(o, "late", json_object_new_boolean(t->late));
    json_object_object_add(o, "anomaly", json_object_new_boolean(t->anomaly));
    json_object_object_add(o, "small_files", json_object_new_boolean(t->small_files));
    /* the Theil-Sen trend; null with too little history */
    json_object_object_add(
        o, "growth_bytes_per_day",
        t->has_forecast ? json_object_new_int64((int64_t)llround(t->growth_bytes_per_day)) : NULL);
    json_object_object_add(o, "projected_bytes_30d",
                           t->has_forecast ? json_object_new_int64(t->projected_bytes_30d) : NULL);
    json_object_object_add(o, "projected_bytes_90d",
                           t->has_forecast ? json_object_new_int64(t->projected_bytes_90d) : NULL);
    json_object_object_add(o, "scanned_at", snapshot_json_time(t->scanned_at));
    json_object_object_add(o, "error", snapshot_json_string(t->error));
    json_object *keys = json_object_new_array();
    for (size_t i = 0; i < t->n_partition_keys; i++)
        json_object_array_add(keys, json_object_new_string(t->partition_keys[i].name));
    json_object_object_add(o, "partition_keys", keys);
    snapshot_json_formats(o, t);
    snapshot_json_cost_table(o, t);
    return o;
}

/* A run's error through redact (a job's stderr may quote a secret). */
static json_object *snapshot_json_error(const char *error) {
    if (!error)
        return NULL;
    char *safe = redact_dup(error);
    json_object *o = json_object_new_string(safe);
    free(safe);
    return o;
}

static json_object *snapshot_json_run(const pipeline_run *r, int64_t now) {
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", snapshot_json_string(r->id));
    json_object_object_add(o, "state", snapshot_json_string(r->state));
    json_object_object_add(o, "started_at", snapshot_json_time(r->started_at));
    json_object_object_add(o, "ended_at", snapshot_json_time(r->ended_at));
    json_object_object_add(o, "duration_seconds",
                           snapshot_json_count(pipeline_run_seconds(r, now)));
    json_object_object_add(o, "error", snapshot_json_error(r->error));
    json_object_object_add(o, "exit_status",
                           r->exit_status >= 0 ? json_object_new_int(r->exit_status) : NULL);
    json_object_object_add(o, "dpu_seconds",
                           r->dpu_seconds >= 0 ? json_object_new_double(r->dpu_seconds) : NULL);
    return o;
}

static const char *snapshot_json_kind_word(pipeline_kind kind) {
    switch (kind) {
    case PIPELINE_GLUE: return "glue";
    case PIPELINE_STATES: return "states";
    case PIPELINE_LOCAL: break;
    }
    return "local";
}

json_object *snapshot_json_writer(const lake_snapshot *s, const table_stats *t) {
    if (!t->writer)
        return NULL;
    const pipeline_job *job = writers_job(s, t);
    const pipeline_run *newest = job ? pipeline_newest(job) : NULL;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "kind", json_object_new_string(writers_kind_name(t->writer_kind)));
    json_object_object_add(o, "name", json_object_new_string(t->writer));
    json_object_object_add(o, "state", snapshot_json_string(newest ? newest->state : NULL));
    json_object_object_add(o, "failed", json_object_new_boolean(job && pipeline_job_failed(job)));
    return o;
}

json_object *snapshot_json_job(const pipeline_job *j, int64_t now) {
    const pipeline_run *newest = pipeline_newest(j);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "name", json_object_new_string(j->name));
    json_object_object_add(o, "kind", json_object_new_string(snapshot_json_kind_word(j->kind)));
    json_object_object_add(o, "severity",
                           json_object_new_string(j->critical ? "critical" : "warning"));
    json_object_object_add(o, "state", snapshot_json_string(newest ? newest->state : NULL));
    json_object_object_add(o, "started_at", snapshot_json_time(newest ? newest->started_at : -1));
    json_object_object_add(o, "ended_at", snapshot_json_time(newest ? newest->ended_at : -1));
    json_object_object_add(o, "duration_seconds",
                           snapshot_json_count(newest ? pipeline_run_seconds(newest, now) : -1));
    json_object_object_add(o, "error", snapshot_json_error(newest ? newest->error : NULL));
    json_object_object_add(o, "failures_7d", snapshot_json_count(j->failures_7d));
    json_object_object_add(o, "schedule", snapshot_json_string(j->schedule));
    json_object_object_add(o, "next_run", snapshot_json_time(j->next_run));
    json_object_object_add(o, "description", snapshot_json_string(j->description));
    json_object_object_add(o, "read_error", snapshot_json_error(j->error));
    json_object *runs = json_object_new_array();
    for (size_t i = 0; i < j->n_runs; i++)
        json_object_array_add(runs, snapshot_json_run(&j->runs[i], now));
    json_object_object_add(o, "runs", runs);
    return o;
}
