/* aws_source.h: the AWS source: the Glue Data Catalog (GetDatabases,
 * GetTables, paginated to the end) and S3 statistics (ListObjectsV2,
 * streamed), mapped into the same snapshot model as the local lake.
 *
 * Listing is concurrent: across tables, and within a table by first listing
 * its top level with delimiter "/" (its partition directories), then
 * listing ranges of those directories in parallel; a range splits in two
 * between pages whenever request slots are idle, so big tables spread over
 * the free slots. A table's prefix is its location with a trailing '/';
 * markers (names starting with '_' or '.', "_$folder$", zero-byte keys
 * ending in '/') are counted apart, as in the local lake.
 *
 * Its parts, one job a file, share collector/aws/aws_internal.h: the
 * source (aws_source.c), requests and signing (aws_request.c), a refresh's
 * Glue scan (aws_catalog_scan.c) and S3 scan (aws_storage_scan.c), what is
 * kept between refreshes (aws_memo.c, aws_athena.c), and the optional parts
 * (aws_catalog_dump.c, aws_catalog_writes.c, aws_crawlers.c,
 * aws_object_store.c). */
#ifndef LAKETOP_AWS_SOURCE_H
#define LAKETOP_AWS_SOURCE_H

#include "collector/aws/aws_config.h"
#include "collector/figures/incremental.h"
#include "collector/source.h"

typedef struct aws_source_options {
    aws_request_options request;
    int concurrency;   /* requests in flight, default 32 */
    int retry_base_ms; /* 0: the SDKs' 1 s unit */
    /* s3://DEST/SOURCE-BUCKET/CONFIG-ID/: the tables in SOURCE-BUCKET are
     * read from that S3 Inventory's newest report (aws_inventory.c); NULL */
    const char *inventory;
    /* Athena for the inventory (aws_inventory_athena.c): the work group and
     * the query results' s3:// location (NULL: the work group's own); the
     * Glue database of laketop's inventory tables (NULL: laketop_inventory).
     * With no work group the reports are streamed and aggregated here. */
    const char *athena_workgroup;
    const char *athena_output;
    const char *inventory_database;
    int athena_poll_ms; /* GetQueryExecution after this, then up to 5 times it; 0: 1 s */
} aws_source_options;

/* Incremental listings of partitioned tables (incremental.h), their state
 * kept at `state_path`; `full`: the next refresh lists everything whole
 * (and renews the state). */
void aws_source_incremental(lake_source *source, const char *state_path,
                            const incremental_settings *settings, bool full);
/* The next refresh lists every table whole (the dashboard's R). */
void aws_source_full_next(lake_source *source);

/* Resolves the configuration (no network yet); NULL with *error when it is
 * unusable (unknown profile, no region, broken files). */
lake_source *aws_source_new(const aws_source_options *options, char **error);
/* Fetches the credentials now (assumed roles, SSO, an MFA code asked for
 * through options->request.mfa_code), so that a command fails at once with
 * one line when they cannot be had; later refreshes renew them. */
bool aws_source_sign_in(lake_source *source, char **error);
/* Who `source` (made by aws_source_new) reads as: STS GetCallerIdentity for
 * its current credentials, asked once per new set of them (a refresh that
 * brings another access key asks again). A copy the caller frees with
 * snapshot_identity_free; NULL only when there are no credentials at all
 * (*error says why). A failed GetCallerIdentity is not fatal: the identity
 * then has the profile and the method, no account, and its error. */
snapshot_identity *aws_source_identity(lake_source *source, char **error);

#endif
