/* source.h: where a lake's figures come from. The collector drives a source
 * and does the rest itself (thresholds, last good figures, history, derived
 * figures), so the local lake and AWS fill the very same snapshot model.
 *
 * refresh() fills snapshot->databases and ->tables: catalog fields plus the
 * storage figures (objects, bytes, newest_object, partitions,
 * marker_objects) of each table, or the table's error; and, when it has
 * them, the pipeline (snapshot->jobs, ->state_machines, each job's runs
 * put in order by pipeline_keep_runs, or snapshot->pipeline_error). It returns false with
 * *error only when the source cannot be read at all. It checks *stop (may be
 * NULL) between units of work and returns false with *error NULL when asked
 * to stop. read_catalog() fills only the catalog fields (may be NULL: then
 * the saved-state snapshot is built from the history alone). The other
 * parts are optional: a source that cannot write its catalog, run crawlers
 * or jobs, or act as an object store leaves `writes`, `crawlers`,
 * `pipeline` or `objects` NULL,
 * and callers check before they ask.
 *
 * Where a new source of figures goes:
 *  - another backend (a catalog and a store): a folder collector/<name>/
 *    that implements lake_source (refresh, and the optional parts it can
 *    do); the collector, the views and the actions then work on it as is.
 *  - a new kind of per-table figure read from the lake itself (a table
 *    format's own metadata, an S3 Inventory report): a module of its own
 *    under collector/ (e.g. collector/formats/), a pure parser plus the
 *    choice of the tables it applies to, called from each backend's refresh
 *    with that backend's I/O (a file on the local lake, GetObject on S3); it
 *    sets the table's figures and says where they came from.
 *  - a figure computed from what a snapshot already holds (history,
 *    thresholds): collector/derive.c, the computation itself pure in
 *    collector/figures/. */
#ifndef LAKETOP_SOURCE_H
#define LAKETOP_SOURCE_H

#include <json-c/json.h>
#include <stdbool.h>

#include "collector/snapshot.h"
#include "collector/storage.h"

typedef struct lake_source lake_source;

/* One server-side copy. */
typedef struct object_copy {
    const char *from_bucket;
    const char *from_key;
    const char *to_bucket;
    const char *to_key;
    int64_t size;
} object_copy;

/* Optional: writes to the catalog (restores), in Glue's own JSON shapes.
 * Every mutation is refused in read-only mode by the caller before it
 * reaches a source. */
typedef struct source_catalog_writes {
    bool (*create_database)(lake_source *self, json_object *database, char **error);
    /* replace: overwrite an existing table (restore --force) */
    bool (*put_table)(lake_source *self, const char *database, json_object *table, bool replace,
                      char **error);
    bool (*add_partitions)(lake_source *self, const char *database, const char *table,
                           json_object *partitions, char **error);
} source_catalog_writes;

/* Optional: crawlers. start_crawler starts one; get_crawler reads its state
 * (fills *out, which the caller clears with crawler_info_clear). */
typedef struct source_crawlers {
    bool (*start_crawler)(lake_source *self, const char *name, char **error);
    bool (*get_crawler)(lake_source *self, const char *name, crawler_info *out, char **error);
} source_crawlers;

/* Optional: an object store (S3), for syncs and for backups and exports on
 * S3. list_objects gives every object under bucket/prefix (keys made
 * relative to prefix); copy_objects makes server-side copies (multipart
 * above 5 GiB, many in flight); put_object and get_object move whole
 * objects; upload_file puts a file (a single PUT: up to 5 GiB) and
 * download_file streams an object into fd (truncated and rewritten on a
 * retry), checked against `listed` (may be NULL): bytes of another length,
 * or for a single-part object another MD5 than its ETag, are an error. */
typedef struct source_object_store {
    bool (*list_objects)(lake_source *self, const char *bucket, const char *prefix,
                         object_entry **objects, size_t *n, char **error);
    bool (*copy_objects)(lake_source *self, const object_copy *copies, size_t n,
                         void (*progress)(void *ctx, size_t done), void *ctx, size_t *copied,
                         char **error);
    bool (*delete_objects)(lake_source *self, const char *bucket, char *const *keys, size_t n,
                           size_t *deleted, char **error);
    bool (*put_object)(lake_source *self, const char *bucket, const char *key, const char *data,
                       size_t length, char **error);
    bool (*get_object)(lake_source *self, const char *bucket, const char *key, char **data,
                       size_t *length, char **error);
    bool (*upload_file)(lake_source *self, const char *bucket, const char *key, const char *path,
                        char **error);
    bool (*download_file)(lake_source *self, const char *bucket, const char *key,
                          const object_entry *listed, int fd, char **error);
} source_object_store;

/* Optional: running jobs (the Glue jobs of an account, the local lake's
 * [job NAME] commands). start_job starts a run of job `name` with
 * arguments (n_args "KEY=VALUE" strings: Glue's Arguments {"--KEY":
 * "VALUE"}, a local command's environment LAKETOP_ARG_KEY=VALUE) and gives
 * its id (*run_id, malloc'd); get_job_run reads that run into *out (the
 * caller clears it with pipeline_run_clear). wait_hint: the caller follows
 * the run to its end (a local run then stops when the caller goes away; one
 * not followed is left to run on its own). Errors from the service keep
 * its exception's name (EntityNotFoundException: no such job,
 * ConcurrentRunsExceededException). */
typedef struct source_pipeline {
    bool (*start_job)(lake_source *self, const char *name, char *const *args, size_t n_args,
                      bool wait_hint, char **run_id, char **error);
    bool (*get_job_run)(lake_source *self, const char *name, const char *run_id, pipeline_run *out,
                        char **error);
} source_pipeline;

struct lake_source {
    char *name; /* shown in the status bar and in the JSON's "source" */

    /* Required. */
    bool (*refresh)(lake_source *self, lake_snapshot *snapshot, const bool *stop, char **error);
    void (*free)(lake_source *self);

    /* Optional (NULL when the source cannot). */
    bool (*read_catalog)(lake_source *self, lake_snapshot *snapshot, char **error);
    /* The catalog in Glue's own JSON shapes, for backups:
     *   {"databases": [Database...],
     *    "tables": {"DB": [Table...]},
     *    "partitions": {"DB": {"TABLE": [Partition...]}}} */
    bool (*dump_catalog)(lake_source *self, json_object **dump, char **error);
    const source_catalog_writes *writes;
    const source_crawlers *crawlers;
    const source_object_store *objects;
    const source_pipeline *pipeline;

    /* Set by the collector: how many data objects a table had at its last
     * sample (-1 unknown), so that a refresh can list a small table in one
     * request rather than finding its directories first. */
    int64_t (*size_hint)(void *ctx, const char *database, const char *table);
    void *size_hint_ctx;
};

/* Frees a source through its own free(); NULL is fine. (Each backend
 * declares its constructor: collector/local/local_source.h,
 * collector/aws/aws_source.h.) */
void lake_source_free(lake_source *source);

#endif
