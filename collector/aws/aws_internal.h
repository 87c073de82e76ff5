/* aws_internal.h: private to collector/aws/: what the parts of the AWS
 * source share (the source itself, its requests, and the files of one job
 * each). Nothing outside collector/aws/ includes it; the public face is
 * aws_source.h. */
#ifndef LAKETOP_AWS_INTERNAL_H
#define LAKETOP_AWS_INTERNAL_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/aws/aws_config.h"
#include "collector/aws/aws_rounds.h"
#include "collector/aws/aws_source.h"
#include "collector/aws/http.h"
#include "collector/aws/s3_list.h"
#include "collector/figures/incremental.h"
#include "collector/figures/ranges.h"
#include "collector/inventory/inventory_manifest.h"
#include "collector/inventory/inventory_report.h"
#include "collector/figures/schema.h"
#include "collector/snapshot.h"
#include "common/strbuf.h"

typedef struct aws_memo_entry aws_memo_entry;

/* What the last refreshes learnt of each table (aws_memo.c). */
typedef struct aws_memo {
    aws_memo_entry *entries; /* sorted by "database\ttable" */
    size_t n;
} aws_memo;

/* The last Athena pass, reused until it is AWS_ATHENA_EVERY seconds old
 * (aws_athena.c). */
typedef struct aws_athena_cache {
    int64_t at;          /* when it ran; 0: never */
    json_object *counts; /* {"db.table": count}, or NULL with error */
    json_object *billed; /* {"db.table": its share of Athena's billed bytes} with counts */
    double billed_total; /* queries_billed_bytes_30d */
    size_t cost_unknown; /* queries_cost_unknown */
    size_t unparsed;
    char *error;
} aws_athena_cache;

/* The source: what lives from aws_source_new to its free. */
typedef struct aws_source {
    lake_source base;
    /* configuration: the options given and what they resolved to
     * (credentials are refreshed before each use) */
    aws_source_options options;
    aws_config config;
    /* every request goes through this client (connections reused) */
    http_client *http;
    /* kept across refreshes */
    aws_memo memo;
    aws_athena_cache athena;
    struct formats_cache *formats; /* open-format tables' metadata (aws_formats.c) */
    /* the running refresh's stop flag (NULL between refreshes): the waits
     * before a later round end when it is set */
    const bool *stop;
    /* who the credentials are (GetCallerIdentity), asked once per set of
     * credentials: identity_key is the access key id it was asked for */
    snapshot_identity *identity;
    char *identity_key;
    /* incremental listings (aws_incremental.c): NULL path: off */
    char *incr_path;
    incremental_settings incr;
    bool incr_full;     /* the next refresh lists every table whole (atomic: R) */
    bool incr_full_now; /* this refresh does (taken from incr_full as it starts) */
    bool incr_loaded;
    incremental_state incr_state;
    /* the Athena DDL run by this source (aws_inventory_athena.c): each
     * statement once */
    char **athena_done;
    size_t athena_done_n;
    /* the bounds of listing ranges (aws_ranges.c) */
    ranges_state ranges;
    bool ranges_loaded;
} aws_source;

/* One refresh: made when aws_source_refresh starts, cleared when it ends;
 * every request of the refresh points to it. */
typedef struct aws_refresh {
    aws_source *src;
    lake_snapshot *snap; /* being filled */
    size_t cap_tables;   /* room in snap's arrays */
    size_t cap_databases;
    size_t cap_crawlers;
    char *fatal;                     /* GetDatabases failed: the refresh fails with this */
    char *crawler_error;             /* GetCrawlers failed: reported beside the figures */
    struct glue_versions **versions; /* per table index, while being gathered */
    size_t n_versions;
    size_t cap_versions;
    /* parts whose request failed with a retryable error, sent again at the
     * end of the refresh (aws_rounds.h) before they count as failed */
    aws_rounds rounds;
    /* tables left to the S3 Inventory (aws_inventory.c), not listed */
    size_t *inventory_tables;
    size_t n_inventory, cap_inventory;
    bool since_report; /* while aws_storage_scan_since_report queues a scan */
} aws_refresh;

/* ---- aws_source.c -------------------------------------------------------- */

/* The source behind `self` with its credentials fresh (they are read again
 * when they expire); NULL with *error when there are none to be had. Every
 * entry point calls it first. */
aws_source *aws_source_ready(lake_source *self, char **error);

/* ---- aws_request.c: URLs, signing, sending ------------------------------- */

/* What a prepare callback needs to sign one request (again before every
 * attempt: the time is part of the signature). */
typedef struct aws_signing {
    aws_source *src;
    const char *service; /* "s3", "glue", "athena" */
    char *host;
    char *path;
    char *query;        /* may be NULL */
    const char *target; /* X-Amz-Target or NULL */
    const char *body;
    size_t body_length;
    const char *content_type; /* with a target: NULL for application/x-amz-json-1.1 */
    const char *copy_source;  /* S3 copies: x-amz-copy-source, and its range */
    const char *copy_range;
    char *signed_key; /* the access key id of the last attempt, or NULL */
} aws_signing;

/* Frees host, path, query and signed_key (the rest is borrowed). */
void aws_request_signing_free(aws_signing *sign);
/* Signs `request` (SigV4, the current time plus the client's clock offset)
 * and sets its headers; without credentials it goes unsigned. An attempt
 * after one refused as expired first renews the credentials it was signed
 * with (unless another request has renewed them since). */
void aws_request_sign(aws_signing *sign, http_request *request);

/* A JSON-protocol call (X-Amz-Target) to Glue or Athena at `endpoint`:
 * fills `sign` (owned by the caller's context, which must outlive the
 * request; prepare signs with it) and queues the POST. */
void aws_request_json_send(aws_source *src, const char *endpoint, const char *service,
                           aws_signing *sign, const char *target, const char *body,
                           void (*prepare)(void *, http_request *, int),
                           void (*done)(void *, const http_response *), void *ctx, bool background);
/* The same to Glue's endpoint. */
void aws_request_glue_send(aws_source *src, aws_signing *sign, const char *target, const char *body,
                           void (*prepare)(void *, http_request *, int),
                           void (*done)(void *, const http_response *), void *ctx, bool background);
/* One Glue (AWSGlue.<operation>) or Athena (AmazonAthena.<operation>) call,
 * run to its end: *out gets the answer (`out` may be NULL when it is not
 * wanted); false with *error ("Glue <operation>: why", "Athena ...").
 * Athena's calls (the query history: reads only) that fail their attempts
 * with a retryable error get the refresh's rounds at once (aws_rounds.h);
 * Glue's are also used for writes, which are not sent again. */
bool aws_request_glue_one(aws_source *src, const char *operation, json_object *input,
                          json_object **out, char **error);
bool aws_request_athena_one(aws_source *src, const char *operation, json_object *input,
                            json_object **out, char **error);
/* The same to Step Functions (AWSStepFunctions.<operation>, JSON 1.0,
 * "Step Functions <operation>: why"). */
bool aws_request_states_one(aws_source *src, const char *operation, json_object *input,
                            json_object **out, char **error);

/* The URL of /bucket[/key]?query on the S3 endpoint (query already encoded
 * and sorted, may be NULL), in path style when configured or when the
 * bucket has a dot, else virtual-hosted; fills sign's src, service, host,
 * path and query. */
char *aws_request_s3_address(aws_source *src, const char *bucket, const char *key,
                             const char *query, aws_signing *sign);
/* A ListObjectsV2 query: URL-encoded keys, a continuation token, "/" as
 * delimiter, start-after and max-keys (when above 0) when given (token and
 * start_after may be NULL). */
char *aws_request_list_query(const char *token, bool delimiter, const char *prefix,
                             const char *start_after, int64_t max_keys);
/* aws_object_store.c: every page of a ListObjectsV2 of bucket/prefix (with
 * the '/' delimiter when `delimiter`), one after the other, each parsed
 * through `cb`; false with *error ("s3://bucket/prefix: why") when a page
 * fails or the page tokens go round (page_guard.h). */
bool aws_list_pages(aws_source *src, const char *bucket, const char *prefix, bool delimiter,
                    const s3_list_callbacks *cb, char **error);

/* One S3 request on the source's HTTP client; `body` gets the answer. */
typedef struct aws_s3_call {
    aws_signing sign;
    char *body;
    long status;
    char *error;
    size_t *done; /* counted when it succeeds (concurrent copies) */
    void (*progress)(void *, size_t);
    void *ctx;
} aws_s3_call;

/* Queues method on /bucket[/key]?query (query already encoded and sorted);
 * `body` (may be NULL) is a string and must outlive the call. */
void aws_request_s3_submit(aws_source *src, aws_s3_call *call, const char *method,
                           const char *bucket, const char *key, const char *query,
                           const char *body);
/* The same with a body of any bytes. */
void aws_request_s3_submit_n(aws_source *src, aws_s3_call *call, const char *method,
                             const char *bucket, const char *key, const char *query,
                             const char *body, size_t body_length);
void aws_request_s3_call_clear(aws_s3_call *call);

/* ---- a refresh, one file a job -------------------------------------------- */

/* aws_catalog_scan.c: queues the first requests of the Glue scan
 * (GetDatabases, GetCrawlers; each answer queues what follows from it);
 * end drops what is left of it once the client has run. */
void aws_catalog_scan_start(aws_refresh *r);
void aws_catalog_scan_end(aws_refresh *r);

/* aws_storage_scan.c: queues the S3 listing of table `table_index` of
 * r->snap (its figures, or its error, are set when the last page is in). */
void aws_storage_scan_start(aws_refresh *r, size_t table_index);
/* The same for a table whose kept state was seeded from an S3 Inventory
 * report (aws_inventory_apply.c): its directories listed, then those not
 * in the report and the newest recent_partitions listed in full, the
 * others counted from the report (incremental_plan_since; no rotation and
 * no flat_below: the next report verifies them). */
void aws_storage_scan_since_report(aws_refresh *r, size_t table_index);

/* aws_inventory.c: true when table `table_index` of r->snap is in the
 * configured S3 Inventory's source bucket: it is not listed now but read
 * from the report by aws_inventory_apply, which runs after the catalog
 * scan and lists the claimed tables after all when the report cannot be
 * used (s->inventory_error says why). */
bool aws_inventory_claims(aws_refresh *r, size_t table_index);
void aws_inventory_apply(aws_refresh *r, const bool *stop);

/* aws_inventory_apply.c: the report date every one of `tables` (snap
 * indices) has its figures from (kept state), or NULL (none, they differ,
 * a full refresh): a copy. */
char *aws_inventory_known_date(aws_refresh *r, const size_t *tables, size_t n_tables);
/* A report just read given to `tables` (out->tables in their order): flat
 * tables take its totals, partitioned ones have their state seeded from
 * it and their listing since it queued (takes the directories out of
 * `report`). Whether a listing was queued. */
bool aws_inventory_use(aws_refresh *r, inventory_report *report, const size_t *tables,
                       size_t n_tables);
/* The same from the kept state, the report not read again. */
bool aws_inventory_reuse(aws_refresh *r, const size_t *tables, size_t n_tables);
/* A listing since a report is done (aws_storage_scan.c): `kept` (the state
 * to be kept) gets the report's date, and t its provenance INVENTORY when
 * directories were counted from the report. */
void aws_inventory_since_kept(aws_refresh *r, table_stats *t, incremental_table *kept);

/* aws_inventory_athena.c: true when the report is to be aggregated by
 * Athena (a work group is configured). */
bool aws_inventory_athena_enabled(const aws_source *src);
/* The report of `m` (its date directory `date`, under s3://dest/prefix)
 * aggregated by Athena for `tables` (snap indices of r->snap): laketop's
 * inventory table created or its partition added when missing (DDL through
 * StartQueryExecution), one aggregate query run and its results read into
 * *out (out->tables in the order of `tables`, out->athena_scanned set);
 * false with *error. */
bool aws_inventory_athena(aws_refresh *r, const inventory_manifest *m, const char *dest,
                          const char *prefix, const char *date, const size_t *tables,
                          size_t n_tables, inventory_report *out, char **error);

/* ---- aws_incremental.c: the kept figures of partition directories ------- */

/* The table's kept state when it is at `location` ("bucket/prefix"), read
 * from the state file at first use; NULL when there is none or the source
 * keeps none. */
incremental_table *aws_incremental_table(aws_source *src, const char *database, const char *table,
                                         const char *location);
/* Replaces a table's kept state (takes *t's contents). */
void aws_incremental_put(aws_source *src, incremental_table *t);
/* A refresh starts: whether it lists every table whole (R, --full). */
void aws_incremental_begin(aws_source *src);
/* Whether every database of `s` was read: only then is a table missing
 * from it known to be gone. */
bool aws_catalog_complete(const lake_snapshot *s);
/* Whether `s` (ctx) holds database.table: the kept states' sweep test. */
bool aws_catalog_has_table(void *ctx, const char *database, const char *table);
/* After a complete catalog scan (every database read): drops the kept
 * state of the tables no longer in `s`. */
void aws_incremental_prune(aws_source *src, const lake_snapshot *s);
/* Writes the state file (atomically) after a refresh. */
void aws_incremental_save(aws_source *src);

/* aws_ranges.c: the source's kept bounds, read from the state directory
 * (ranges.tsv beside the incremental state) at first use, in memory
 * without one. */
const ranges_table *aws_ranges_table(aws_source *src, const char *database, const char *table,
                                     const char *location);
void aws_ranges_put(aws_source *src, const char *database, const char *table, const char *location,
                    char **bounds, int64_t *counts, size_t n);
/* After a refresh of `s`: the bounds of tables no longer in it dropped
 * (when every database was read), the rest written (atomically) when the source has a state
 * directory. */
void aws_ranges_save(aws_source *src, const lake_snapshot *s);

/* aws_uploads.c: queues ListMultipartUploads on the prefix of table
 * `table_index` of r->snap, then ListParts of what it finds (of at most
 * AWS_UPLOADS_PARTS_MAX uploads); the table's incomplete_uploads figures,
 * or its uploads_error, are set when the last answer is in. */
#define AWS_UPLOADS_PARTS_MAX 100
void aws_uploads_start(aws_refresh *r, size_t table_index);

/* aws_formats.c: measures every open-format table of `s` from its
 * metadata (formats.h: one listing, GetObject of what is not cached);
 * stops between tables when *stop. */
void aws_formats_measure(aws_source *src, lake_snapshot *s, const bool *stop);
/* The same for one table that may not be listed (S3 Tables): from its
 * metadata only (formats_io without list). */
void aws_formats_measure_metadata(aws_source *src, table_stats *t);

/* aws_s3tables.c: the table buckets of the account (ListTableBuckets,
 * ListNamespaces, ListTables, GetTableMetadataLocation), one database
 * "BUCKET/NAMESPACE" per namespace, added to r->snap with its Iceberg
 * tables measured from their metadata; nothing, and no error, when the
 * account has no S3 Tables or may not read them. */
struct aws_s3tables_first;
/* Queues the first ListTableBuckets (NULL: no S3 Tables endpoint), so that
 * it is answered beside the listing; aws_s3tables_scan takes it (and
 * frees it), aws_s3tables_discard drops it once the client has run. */
struct aws_s3tables_first *aws_s3tables_start(aws_source *src);
void aws_s3tables_scan(aws_refresh *r, struct aws_s3tables_first *first);
void aws_s3tables_discard(struct aws_s3tables_first *first);

/* aws_pipeline.c: the pipeline beside the data: Glue jobs (GetJobs, their
 * runs with GetJobRuns, schedules from GetTriggers) and standard Step
 * Functions state machines (ListStateMachines, ListExecutions,
 * DescribeExecution for a newest execution that failed) into s->jobs and
 * s->state_machines; what could not be read goes to s->pipeline_error
 * (the rest of the refresh stands). aws_pipeline_scan_start queues the
 * first requests (a refresh queues them beside its listing, on the same
 * client); aws_pipeline_scan_finish runs the client to the end, then the
 * pipeline's rounds, and fills `s` (NULL: a refresh that failed, dropped)
 * and frees the scan. aws_pipeline_scan is both. */
struct aws_pipeline_scan;
struct aws_pipeline_scan *aws_pipeline_scan_start(aws_source *src);
void aws_pipeline_scan_finish(struct aws_pipeline_scan *scan, lake_snapshot *s, const bool *stop);
void aws_pipeline_scan(aws_source *src, lake_snapshot *s, const bool *stop);
extern const source_pipeline aws_pipeline;

/* aws_memo.c: sets t->catalog_partitions from the last refreshes while that
 * count is younger than 10 minutes; false when it must be counted. */
bool aws_memo_recall_partitions(aws_memo *memo, table_stats *t);
/* Sets t's schema change from the last refresh when its UpdateTime has not
 * moved; false when its versions must be read. */
bool aws_memo_recall_schema(const aws_memo *memo, table_stats *t);
/* Remembers this refresh's answers, replacing the last (a recalled
 * partition count keeps the time it was taken). */
void aws_memo_remember(aws_memo *memo, const lake_snapshot *s);
void aws_memo_free(aws_memo *memo);

/* aws_athena.c: the snapshot's query counts, from a new Athena pass when
 * the last is older than AWS_ATHENA_EVERY, 15 minutes (the history changes
 * slowly and a pass may take many requests), else from the last.
 * aws_athena_scan_start queues the pass's first request (NULL: the last
 * pass is reused), so that it runs beside the refresh's listing;
 * aws_athena_scan_finish runs the client to the end and the pass's
 * rounds, then counts into `s` (NULL: a refresh that failed, dropped) and
 * frees the scan. */
struct aws_athena_scan;
struct aws_athena_scan *aws_athena_scan_start(aws_source *src);
void aws_athena_scan_finish(aws_source *src, struct aws_athena_scan *scan, lake_snapshot *s,
                            const bool *stop);
void aws_athena_forget(aws_athena_cache *cache);

/* ---- the optional parts of the source, one file each ---------------------- */

/* aws_catalog_dump.c: lake_source.dump_catalog. */
bool aws_catalog_dump(lake_source *self, json_object **dump, char **error);
/* aws_catalog_writes.c */
extern const source_catalog_writes aws_catalog_writes;
/* aws_crawlers.c; aws_crawlers_from_json reads a Glue Crawler object into
 * *c (cleared first), for GetCrawler and a refresh's GetCrawlers. */
extern const source_crawlers aws_crawlers;
void aws_crawlers_from_json(json_object *o, crawler_info *c);
/* aws_object_store.c */
extern const source_object_store aws_object_store;

#endif
