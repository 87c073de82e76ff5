/* snapshot.h: the contract between the collector and the views.
 *
 * The collector thread builds a lake_snapshot from scratch on every refresh
 * and publishes it; from then on the snapshot is IMMUTABLE. Readers (the UI
 * thread, batch output) take a reference with collector_acquire() and give it
 * back with snapshot_release(); the last release frees it. Nothing in a
 * published snapshot is ever written again, so readers need no lock.
 *
 * Layout:
 *  - databases[] is sorted by name; tables[] is sorted by (database, name).
 *    databases[i] owns tables[first_table .. first_table + n_tables - 1].
 *  - Times are Unix seconds (UTC); -1 means unknown. Counts are -1 when the
 *    storage scan of that table failed or has not run yet.
 *  - history[] holds one sample per day, oldest first, the last one being the
 *    day of the snapshot (updated by every refresh of that day).
 *  - error strings are NULL when all is well; a table with an error keeps the
 *    rest of its fields at their last good values where they are known.
 */
#ifndef LAKETOP_SNAPSHOT_H
#define LAKETOP_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/figures/cost.h"

typedef struct history_sample {
    int32_t day;           /* days since 1970-01-01 UTC */
    int64_t bytes;         /* data bytes, markers excluded */
    int64_t objects;       /* data objects, markers excluded */
    int64_t newest_object; /* Unix seconds, -1 when the table was empty */
} history_sample;

typedef struct table_column {
    char *name;
    char *type;
    char *comment; /* NULL when absent */
} table_column;

typedef struct table_param {
    char *key;
    char *value;
} table_param;

/* One difference between two versions of a table's columns (schema.h). */
typedef enum schema_change_kind {
    SCHEMA_ADDED,     /* column, to */
    SCHEMA_REMOVED,   /* column, from */
    SCHEMA_RETYPED,   /* column, from -> to */
    SCHEMA_REORDERED, /* the same columns in another order; column NULL */
} schema_change_kind;

typedef struct schema_change {
    schema_change_kind kind;
    char *column;
    char *from; /* the type before; NULL when added */
    char *to;   /* the type after; NULL when removed */
} schema_change;

typedef enum stale_level {
    STALE_FRESH = 0, /* newer than the warn threshold */
    STALE_WARN,      /* past the warn threshold: counts as stale */
    STALE_CRIT,      /* past the critical threshold: counts as stale */
    STALE_UNKNOWN,   /* no data object at all (empty table) or scan failed */
} stale_level;

/* Which rule set a table's staleness thresholds (thresholds.h): the global
 * ones ([laketop], --stale-warn/--stale-crit, else 2d and 7d), its
 * database's section, its own [table] section, or its learned interval
 * between arrivals (a table that usually gets data every 30 days is not
 * stale at 12). */
typedef enum stale_rule {
    STALE_RULE_GLOBAL = 0,
    STALE_RULE_DATABASE,
    STALE_RULE_TABLE,
    STALE_RULE_LEARNED,
} stale_rule;

/* A table's own layout on storage (collector/formats/): Hive-style
 * directories of files (every file under the location is data), or an open
 * table format that keeps the list of its live files in its metadata. */
typedef enum table_format {
    TABLE_FORMAT_HIVE = 0,
    TABLE_FORMAT_ICEBERG,
    TABLE_FORMAT_DELTA,
    TABLE_FORMAT_HUDI,
} table_format;

/* Where a table's objects, bytes and newest data came from. */
typedef enum figures_origin {
    FIGURES_LISTING = 0, /* a listing of the location (Hive rules) */
    FIGURES_METADATA,    /* the table format's own metadata (live files only) */
} figures_origin;

/* The kinds of lake_snapshot.requests_by_kind. */
#define SNAPSHOT_REQUEST_KINDS 7

/* How a table's storage figures were counted (issue 15), as the JSON's
 * "provenance" {"kind", "as_of", "verified_at"} and the detail view say:
 *  - LISTED: a full listing of its location, taken at as_of;
 *  - INCREMENTAL: new and recent partitions listed at as_of, the older ones'
 *    counts kept from their own last listing; verified_at is the oldest of
 *    those (every partition was listed at or after it);
 *  - INVENTORY: an S3 Inventory report (its date in inventory_date) plus,
 *    for a partitioned table, a listing since it: the directories not in
 *    the report and the newest recent_partitions listed at as_of, the
 *    others counted from the report, taken at verified_at (its
 *    creationTimestamp). A flat table: the report's figures, as_of =
 *    verified_at = the report's time;
 *  - METADATA: the table format's own metadata (origin FIGURES_METADATA),
 *    read at as_of.
 * Times -1 unknown (a saved-state snapshot before its first refresh). */
typedef enum provenance_kind {
    PROVENANCE_LISTED = 0,
    PROVENANCE_INCREMENTAL,
    PROVENANCE_INVENTORY,
    PROVENANCE_METADATA,
} provenance_kind;

/* One commit of an open-format table: an Iceberg snapshot or a Delta log
 * version, oldest first in table_stats.commits. Counts are -1 when the
 * metadata does not say. */
typedef struct table_commit {
    int64_t id;      /* Iceberg snapshot-id, Delta version */
    int64_t at;      /* Unix seconds (Iceberg timestamp-ms / 1000, Delta commitInfo) */
    char *operation; /* "append", "overwrite", "replace", "delete"; Delta's "WRITE",
                        "MERGE", "OPTIMIZE", ...; NULL unknown */
    int64_t added_files;
    int64_t removed_files;
    int64_t added_records;
    int64_t removed_records;
    int64_t total_files; /* live data files after it */
    int64_t total_bytes;
    int64_t total_records;
} table_commit;

/* The pipeline beside the data: Glue jobs (PIPELINE_GLUE), Step Functions
 * state machines (PIPELINE_STATES) and the local lake's [job NAME]
 * sections (PIPELINE_LOCAL, runs kept in LAKE/.laketop/jobs.jsonl). What a
 * state means is collector/figures/pipeline.h's. */
typedef enum pipeline_kind { PIPELINE_LOCAL = 0, PIPELINE_GLUE, PIPELINE_STATES } pipeline_kind;

/* One run of a job (a Glue JobRun, a local run) or one execution of a
 * state machine. Times are Unix seconds, -1 unknown (ended_at -1 while it
 * runs). */
typedef struct pipeline_run {
    char *id;    /* JobRun Id, execution ARN, the local run's id */
    char *state; /* as the service says it: Glue's JobRunState (STARTING,
                    RUNNING, STOPPING, STOPPED, SUCCEEDED, FAILED, ERROR,
                    TIMEOUT, WAITING, EXPIRED), an execution's status (RUNNING,
                    SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE); a
                    local run: RUNNING, SUCCEEDED, FAILED, STOPPED */
    int64_t started_at;
    int64_t ended_at;
    int64_t duration_seconds; /* Glue ExecutionTime, else ended - started; -1 unknown */
    char *error;              /* Glue ErrorMessage; "error: cause" of a failed execution;
                                 a local run's last stderr lines; NULL none */
    int exit_status;          /* a local run's exit status; -1 otherwise or unknown */
    double dpu_seconds;       /* Glue DPUSeconds, else MaxCapacity x ExecutionTime; -1 unknown */
} pipeline_run;

#define PIPELINE_RUNS_KEPT 30

typedef struct pipeline_job {
    char *name;
    pipeline_kind kind;
    bool critical;      /* `severity = critical` in its [job NAME] section */
    char *description;  /* Glue's Description, a local job's command; NULL */
    char *schedule;     /* a scheduled trigger's "cron(0 2 * * ? *)"; NULL none */
    int64_t next_run;   /* when that schedule next fires; -1 unknown */
    pipeline_run *runs; /* newest first, at most PIPELINE_RUNS_KEPT */
    size_t n_runs;
    int64_t failures_7d; /* failed runs started in the 7 days before the
                            snapshot (of all the source read); -1 unknown */
    char *error;         /* why its runs could not be read; NULL when fine */
} pipeline_job;

typedef struct table_stats {
    /* From the catalog (Glue's Table shape). */
    char *database;
    char *name;
    char *location;   /* StorageDescriptor.Location as written in the catalog */
    char *format;     /* Parameters.classification, else derived, else "unknown" */
    char *table_type; /* TableType, e.g. EXTERNAL_TABLE; "" when absent */
    char *description;
    int64_t create_time;
    int64_t update_time; /* catalog_updated */
    /* Glue's Owner, CreatedBy, LastAccessTime, Retention and
     * IsRegisteredWithLakeFormation (the daily export); NULL / -1 unknown. */
    char *owner;
    char *created_by;
    int64_t last_access_time;
    int64_t retention;
    int lake_formation; /* -1 unknown, 0, 1 */
    table_column *columns;
    size_t n_columns;
    table_column *partition_keys;
    size_t n_partition_keys;
    table_param *parameters;
    size_t n_parameters;

    /* From the storage scan. */
    int64_t objects;
    int64_t bytes;
    int64_t newest_object;
    int64_t partitions;         /* distinct partition directories, 0 when unpartitioned */
    int64_t catalog_partitions; /* partitions the catalog knows (Glue GetPartitions), -1 unknown */
    int64_t schema_changed_at;  /* when the columns last changed (table versions), -1 unknown */
    /* What that change was, against the version before it; none (0) when
     * the table kept the columns it was made with, or no versions are known. */
    schema_change *schema_changes;
    size_t n_schema_changes;
    int64_t marker_objects; /* _SUCCESS, *_$folder$, zero-byte directory markers */
    int64_t scanned_at;     /* when the storage figures were taken */

    /* Derived. */
    int64_t staleness_seconds; /* generated_at - newest_object, -1 when unknown */
    int64_t stale_warn_seconds;
    int64_t stale_crit_seconds;
    stale_rule stale_rule; /* where the two thresholds above came from */
    stale_level stale;
    int64_t growth_7d_bytes; /* bytes now - bytes 7 days ago; valid when has_growth_7d */
    int64_t growth_30d_bytes;
    bool has_growth_7d;
    bool has_growth_30d;
    /* What looks wrong (insights.h): the usual seconds between arrivals (-1
     * unknown) and late past 1.5 times it; today's growth far outside the
     * usual (anomaly); many small files. */
    int64_t usual_interval_seconds;
    bool late;
    bool anomaly;
    int64_t growth_today_bytes;
    bool small_files;
    /* The columns changed within SCHEMA_RECENT_SECONDS (7 days) of
     * generated_at (schema.h). */
    bool schema_recent;
    /* The growth trend (forecast.h); valid when has_forecast (enough history).
     * forecast_flat: the table is late (no arrival for late_factor times its
     * usual interval), so it is taken as stopped: no growth, its size now. */
    bool has_forecast;
    bool forecast_flat;
    double growth_bytes_per_day;
    int64_t projected_bytes_30d;
    int64_t projected_bytes_90d;
    int64_t quota_bytes;   /* configured (thresholds.h); -1 none */
    int64_t days_to_quota; /* at the trend: 0 reached, -1 never or unknown */

    /* The table format (collector/formats/formats.h). For an Iceberg or
     * Delta table read from its metadata (origin FIGURES_METADATA), objects,
     * bytes and newest_object above are the LIVE files of the current
     * snapshot / newest version, and newest_object is last_commit; the
     * listing's figures are s3_objects and s3_bytes. -1 means unknown
     * everywhere below. */
    table_format table_format;
    figures_origin origin;
    provenance_kind provenance; /* above; set by the builder with the figures */
    int64_t provenance_as_of;
    int64_t provenance_verified_at;
    /* INCREMENTAL: every partition is listed again within it; 0 none */
    int64_t provenance_verify_every;
    char *inventory_date;    /* "2026-12-01": the report's date (INVENTORY); NULL */
    int format_version;      /* Iceberg 1/2, Delta minReaderVersion; 0 unknown */
    char *metadata_location; /* the metadata file read (Iceberg), "_delta_log/N.json"; NULL */
    char *partition_spec;    /* Iceberg "day(ts), bucket(16, id)"; NULL unknown/none */
    int64_t records;         /* live rows (total-records, Delta numRecords) */
    int64_t delete_files;    /* Iceberg v2 delete files of the current snapshot */
    int64_t delete_bytes;
    int64_t snapshots;       /* retained Iceberg snapshots, Delta versions in the log */
    int64_t oldest_snapshot; /* time of the oldest of them */
    int64_t last_commit;     /* time of the current snapshot / newest version */
    /* Everything under the location, any format: data, markers, hidden
     * directories, metadata, logs (for a Hive table: objects/bytes plus what
     * the Hive rules skip). */
    int64_t s3_objects;
    int64_t s3_bytes;
    int64_t metadata_bytes; /* of those, the format's metadata (metadata/, _delta_log/, .hoodie/) */
    /* Data files under the location (not metadata, not markers) that no
     * retained snapshot (Iceberg) or no version in the log (Delta) references:
     * orphans and the files of expired snapshots; -1 for Hive (null). */
    int64_t unreferenced_objects;
    int64_t unreferenced_bytes;
    /* Of the data files referenced, those only older snapshots/versions still
     * hold (not live): reclaimed by expiring snapshots / VACUUM. -1 unknown. */
    int64_t retained_bytes;
    table_commit *commits; /* retained commits, oldest first */
    size_t n_commits;
    /* Why the format's metadata could not be read (the figures are then the
     * listing's, origin FIGURES_LISTING); NULL when fine. Not an error of the
     * row: the rest of its figures stand. */
    char *format_error;
    /* Insights on the format (insights.h): unreferenced bytes past
     * waste_share of the live size and waste_bytes; snapshots past
     * max_snapshots. */
    bool waste;
    bool many_snapshots;

    char *error; /* why this row could not be refreshed; NULL when fine */

    /* Queries that read it over the last 30 days (queries.h); -1 when no
     * query history is available. */
    int64_t queries_30d;

    /* Cost (cost.h). storage: everything under the location by storage
     * class (what S3 bills: the s3_objects and s3_bytes above, not only the
     * live files), valid when has_storage. query_billed_bytes_30d: this
     * table's share of the Athena bytes billed for the queries of the last
     * 30 days that read it (a query over n tables gives each 1/n); -1 when
     * no query history is available. The dollars, at the snapshot's
     * prices (derive.c), are -1 when unknown: cost_month_usd a month of the
     * storage now, cost_month_30d_usd of the projected size in 30 days
     * (the same mix of classes scaled to projected_bytes_30d / bytes; needs
     * the forecast), query_cost_30d_usd the query share. */
    cost_storage storage;
    bool has_storage;
    double query_billed_bytes_30d;
    double cost_month_usd;
    double cost_month_30d_usd;
    double query_cost_30d_usd;

    /* Incomplete multipart uploads under the location (a hidden cost: S3
     * bills their parts as storage until they are aborted). On AWS from
     * ListMultipartUploads on the table's prefix and ListParts of each
     * (of at most AWS_UPLOADS_PARTS_MAX uploads: then upload_bytes_partial
     * and the bytes are of those); 0 on the local lake (nothing can be left
     * there). -1 unknown: not asked (S3 Tables, a saved state) or the call
     * failed, uploads_error says why (the row's other figures stand).
     * upload_storage: the parts by the upload's storage class (price-free);
     * the month's dollars are derived (derive.c), -1 unknown. */
    int64_t incomplete_uploads;
    int64_t incomplete_upload_bytes;
    int64_t oldest_incomplete_upload; /* its Initiated, -1 none or unknown */
    bool upload_bytes_partial;
    cost_storage upload_storage;
    double incomplete_upload_cost_month_usd;
    char *uploads_error;
    bool uploads_left; /* insight: uploads left older than a day */

    history_sample *history;
    size_t n_history;

    /* The job or state machine that writes it (config `job = NAME` or
     * `state_machine = NAME` under [table DB.TABLE] or [database DB]);
     * writer NULL when none is named. Look it up with snapshot_find_job. */
    char *writer;
    pipeline_kind writer_kind; /* PIPELINE_STATES for a state machine, else a job */
} table_stats;

typedef struct database_stats {
    char *name;
    char *description;
    char *location;
    char *shared_from; /* a resource link: "CATALOG:DATABASE" it points to; NULL */
    int64_t create_time;
    size_t first_table;
    size_t n_tables;
    int64_t bytes;
    int64_t objects;
    size_t stale_tables;
    size_t error_tables;
    /* Sums of its tables' known cost figures (table_stats), -1 when no
     * table's is known. */
    double cost_month_usd;
    double cost_month_30d_usd;
    double query_cost_30d_usd;
    char *error; /* database.json unreadable etc.; NULL when fine */
    /* Sum of its tables' history, one sample per day, oldest first. */
    history_sample *history;
    size_t n_history;
} database_stats;

typedef struct crawler_info {
    char *name;
    char *database;     /* where it writes tables; NULL */
    char *state;        /* READY, RUNNING, STOPPING */
    char *schedule;     /* "cron(0 2 * * ? *)" or NULL */
    char *last_status;  /* SUCCEEDED, FAILED, CANCELLED or NULL (never ran) */
    char *last_error;   /* LastCrawl.ErrorMessage or NULL */
    int64_t last_start; /* -1 unknown */
    char **targets;     /* S3 paths (and other targets as "kind:path") */
    size_t n_targets;
    int64_t tables_created; /* by the last crawl; -1 unknown */
    int64_t tables_updated;
    int64_t tables_deleted;
} crawler_info;

/* A zone (config [zone NAME]) with its size, and the sync rules that write
 * to or read from zones, with their last run. */
typedef struct zone_stats {
    char *name;
    char *uri;
    char *role;
    int64_t objects; /* -1 when it could not be read */
    int64_t bytes;
    char *error;
} zone_stats;

typedef struct rule_stats {
    char *name;
    char *from;
    char *to;
    bool delete_extra;
    int64_t last_run;  /* Unix seconds, -1 never */
    char *last_result; /* one line, NULL never */
    bool last_ok;
} rule_stats;

/* What counts as late, an anomaly or small files (insights.h). */
typedef struct insight_settings {
    double late_factor;      /* late past this many times the usual interval */
    double anomaly_k;        /* robust deviations from the usual growth */
    int64_t small_files;     /* over this many files ... */
    int64_t small_file_size; /* ... averaging under this many bytes */
    double waste_share;      /* unreferenced bytes over this share of the live size ... */
    int64_t waste_bytes;     /* ... and over this many bytes: a "waste" line */
    int64_t max_snapshots;   /* more retained snapshots: a "many snapshots" line */
} insight_settings;

/* Who the figures are read as (an AWS account; the local lake has none):
 * what STS GetCallerIdentity answered for the credentials of the refresh,
 * asked once per new set of credentials. account, arn and name are NULL
 * when that call failed (error says why: the figures still stand); profile
 * and credentials are known whenever the identity is there. */
typedef struct snapshot_identity {
    char *account; /* "123456789012"; NULL unknown */
    char *arn;     /* "arn:aws:sts::123456789012:assumed-role/ops-readonly/laketop-..." */
    char *name;    /* the role of an assumed role, the user of a user: "ops-readonly" */
    char *profile; /* the profile the credentials came from: "ops" (or "default") */
    char *region;
    char *credentials; /* how: assume-role, sso, web-identity, environment, profile,
                          process, container or instance */
    char *error;       /* why the account is unknown; NULL when known */
} snapshot_identity;

typedef struct lake_snapshot {
    int refs;              /* owned by snapshot_retain/snapshot_release (atomic) */
    char *source;          /* "local:/path/to/lake" */
    int64_t generated_at;  /* when the figures were taken */
    int64_t scan_ms;       /* how long the refresh took */
    int64_t requests;      /* HTTP requests the refresh sent, retries included (what
                              an AWS account bills for); -1 for the local lake */
    bool from_saved_state; /* built from the history file, scan pending */
    /* the requests by what they were for (snapshot_request_kind_name:
     * listing, catalog, metadata, athena, pipeline, inventory, other; they
     * add up to `requests`); -1 for the local lake */
    int64_t requests_by_kind[SNAPSHOT_REQUEST_KINDS];
    database_stats *databases;
    size_t n_databases;
    table_stats *tables;
    size_t n_tables;
    size_t error_tables;
    size_t history_refused; /* history lines left out (unparsable, dated after tomorrow) */
    crawler_info *crawlers; /* sorted by name; none on a lake without crawlers */
    size_t n_crawlers;
    zone_stats *zones; /* in the config's order */
    size_t n_zones;
    rule_stats *rules;
    size_t n_rules;
    /* The settings the insights were derived with, resolved once (the
     * config's, else insights.h's defaults), for the views to show. */
    insight_settings insights;
    /* Query history (queries.h): whether it was read, and how many of its
     * queries in the window did not parse (skipped). */
    bool has_queries;
    size_t queries_unparsed;
    char *queries_error; /* why there are no counts (e.g. Athena denied); NULL when fine */
    /* why the configured S3 Inventory was not used (its tables were listed
     * instead); NULL when it was, or none is configured */
    char *inventory_error;
    /* S3 Inventory through Athena (aws_inventory_athena.c): the aggregate
     * queries run this refresh, the bytes they scanned and were billed
     * (cost.h's rules), the last query's id; 0/NULL when none ran */
    size_t inventory_athena_queries;
    int64_t inventory_athena_scanned, inventory_athena_billed;
    char *inventory_athena_query_id;
    char *error; /* the source as a whole could not be read; NULL when fine */
    /* Cost (cost.h): the prices the figures were derived at (the config's
     * [prices], else the built-in us-east-1 ones); the account's Athena
     * bytes billed over the last 30 days (every query in the window, as
     * the tables' shares add up to it; -1 without query history) and the
     * queries of the window whose cost is unknown (no
     * Statistics.DataScannedInBytes: counted as 0); the refresh interval.
     * The dollars (-1 unknown): a month of every table's storage now, the
     * queries of the last 30 days, and a day of laketop's own S3 requests
     * at the refresh interval: those of the last refresh (of the requests
     * above, the ones S3 bills at its LIST and at its GET price; Glue's,
     * Athena's and STS's are not priced; -1 for the local lake). */
    int64_t s3_list_requests;
    int64_t s3_get_requests;
    cost_prices prices;
    double queries_billed_bytes_30d;
    size_t queries_cost_unknown;
    int64_t interval_seconds;
    double storage_month_usd;
    double queries_30d_usd;
    double refresh_day_usd;
    /* Who the figures were read as (above); NULL: no account (the local
     * lake, or a saved-state snapshot of AWS before its first refresh). */
    snapshot_identity *identity;

    /* The pipeline (above), each sorted by name: jobs (Glue and local) and
     * state machines; pipeline_error says why they could not be read (e.g.
     * glue:GetJobs denied; the figures still stand), NULL when fine. */
    pipeline_job *jobs;
    size_t n_jobs;
    pipeline_job *state_machines;
    size_t n_state_machines;
    char *pipeline_error;
} lake_snapshot;

void crawler_info_clear(crawler_info *crawler);

/* A deep copy (NULL for NULL), and its free (NULL is fine). */
snapshot_identity *snapshot_identity_copy(const snapshot_identity *identity);
void snapshot_identity_free(snapshot_identity *identity);
/* What the title bar says of it (malloc'd): "123456789012 ops-readonly",
 * the account alone when the name is not known, "identity unknown" when
 * the account is not; NULL for NULL (no account). */
char *snapshot_identity_label(const snapshot_identity *identity);

void pipeline_run_clear(pipeline_run *run);
void pipeline_job_clear(pipeline_job *job);
/* A deep copy of `from` into `to`. */
void pipeline_job_copy(pipeline_job *to, const pipeline_job *from);
/* The job (PIPELINE_LOCAL or PIPELINE_GLUE: any job) or the state machine
 * (PIPELINE_STATES) named `name`; NULL when absent. */
const pipeline_job *snapshot_find_job(const lake_snapshot *snapshot, pipeline_kind kind,
                                      const char *name);
/* Sorts jobs and state machines by name (part of snapshot_sort). */
void snapshot_sort_pipeline(lake_snapshot *snapshot);

lake_snapshot *snapshot_new(const char *source);
void snapshot_retain(lake_snapshot *snapshot);
void snapshot_release(lake_snapshot *snapshot);

/* Helpers for builders (collector side). */
void table_stats_clear(table_stats *table);
/* A deep copy (for a builder keeping a table of an earlier snapshot); the
 * history is not copied (n_history 0). */
void table_stats_copy(table_stats *to, const table_stats *from);
void snapshot_free_schema_changes(schema_change *changes, size_t n);
/* Sets the format fields above to "unknown" (-1, NULL, Hive, listing):
 * every builder calls it for a new table. */
void table_stats_formats_unknown(table_stats *table);
void table_commits_free(table_commit *commits, size_t n);
table_commit *table_commits_copy(const table_commit *commits, size_t n);
/* The name of requests_by_kind[k]: "listing", "catalog", "metadata",
 * "athena", "pipeline", "inventory" (a report's data files), "other" (STS,
 * writes). */
const char *snapshot_request_kind_name(int k);

/* "listed", "incremental", "inventory", "metadata" (the JSON's provenance.kind). */
const char *provenance_kind_name(provenance_kind kind);
/* "iceberg", "delta", "hudi", "hive" (the JSON's table_format). */
const char *table_format_name(table_format format);
void database_stats_clear(database_stats *database);

/* Finds a table by database and name; NULL when absent. */
const table_stats *snapshot_find_table(const lake_snapshot *snapshot, const char *database,
                                       const char *name);
const database_stats *snapshot_find_database(const lake_snapshot *snapshot, const char *name);
/* When the figures on screen were taken, the one time the status bar's
 * "data ... old" counts from: generated_at for a refresh (whose tables
 * have scanned_at = generated_at); for the saved state, which is not a
 * refresh, the newest table's scanned_at (the history file's last save),
 * so that it reads the age a table's "Scanned ... ago" reads. */
int64_t snapshot_figures_at(const lake_snapshot *snapshot);

/* Puts databases, tables, crawlers, jobs and state machines in the order the layout above
 * promises. (The derived fields are filled by derive.h.) */
void snapshot_sort(lake_snapshot *snapshot);

#endif
