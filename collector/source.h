/* source.h: where a lake's figures come from. The collector drives a source
 * and does the rest itself (thresholds, last good figures, history, derived
 * figures), so the local lake and AWS fill the very same snapshot model.
 *
 * refresh() fills snapshot->databases and ->tables: catalog fields plus the
 * storage figures (objects, bytes, newest_object, partitions,
 * marker_objects) of each table, or the table's error. It returns false with
 * *error only when the source cannot be read at all. It checks *stop (may be
 * NULL) between units of work and returns false with *error NULL when asked
 * to stop. read_catalog() fills only the catalog fields (may be NULL: then
 * the saved-state snapshot is built from the history alone). */
#ifndef LAKETOP_SOURCE_H
#define LAKETOP_SOURCE_H

#include <json-c/json.h>
#include <stdbool.h>

#include "collector/snapshot.h"

typedef struct lake_source lake_source;

/* The catalog in Glue's own JSON shapes, for backups:
 *   {"databases": [Database...],
 *    "tables": {"DB": [Table...]},
 *    "partitions": {"DB": {"TABLE": [Partition...]}}}
 * Mutations (restores) take the same shapes. A source that cannot do one
 * leaves the pointer NULL. Every mutation is refused in read-only mode by the
 * caller before it reaches a source. */
/* An object of a bucket (or a file of a zone) for syncs. */
typedef struct object_entry {
    char *key; /* relative to the prefix listed */
    int64_t size;
    int64_t mtime;
    char *etag; /* NULL when none */
} object_entry;

/* One server-side copy. */
typedef struct object_copy {
    const char *from_bucket;
    const char *from_key;
    const char *to_bucket;
    const char *to_key;
    int64_t size;
} object_copy;

struct lake_source {
    char *name; /* shown in the status bar and in the JSON's "source" */
    bool (*refresh)(lake_source *self, lake_snapshot *snapshot, const bool *stop, char **error);
    /* Set by the collector: how many data objects a table had at its last
     * sample (-1 unknown), so that a refresh can list a small table in one
     * request rather than finding its directories first. */
    int64_t (*size_hint)(void *ctx, const char *database, const char *table);
    void *size_hint_ctx;
    bool (*read_catalog)(lake_source *self, lake_snapshot *snapshot, char **error);
    bool (*dump_catalog)(lake_source *self, json_object **dump, char **error);
    bool (*create_database)(lake_source *self, json_object *database, char **error);
    /* replace: overwrite an existing table (restore --force) */
    bool (*put_table)(lake_source *self, const char *database, json_object *table, bool replace,
                      char **error);
    bool (*add_partitions)(lake_source *self, const char *database, const char *table,
                           json_object *partitions, char **error);
    /* Crawlers: start one, and read its state (fills *out, which the caller
     * clears with crawler_info_clear). */
    bool (*start_crawler)(lake_source *self, const char *name, char **error);
    bool (*get_crawler)(lake_source *self, const char *name, crawler_info *out, char **error);
    /* Object storage for syncs: every object under bucket/prefix (keys made
     * relative to prefix), server-side copies (multipart above 5 GiB, many in
     * flight), deletions. */
    bool (*list_objects)(lake_source *self, const char *bucket, const char *prefix,
                         object_entry **objects, size_t *n, char **error);
    bool (*copy_objects)(lake_source *self, const object_copy *copies, size_t n,
                         void (*progress)(void *ctx, size_t done), void *ctx, size_t *copied,
                         char **error);
    bool (*delete_objects)(lake_source *self, const char *bucket, char *const *keys, size_t n,
                           size_t *deleted, char **error);
    /* Whole objects, for backups on S3. */
    bool (*put_object)(lake_source *self, const char *bucket, const char *key, const char *data,
                       size_t length, char **error);
    bool (*get_object)(lake_source *self, const char *bucket, const char *key, char **data,
                       size_t *length, char **error);
    /* Files to and from S3 (syncs between a local and an s3:// zone):
     * upload_file puts a file (a single PUT: up to 5 GiB); download_file
     * streams an object into fd (truncated and rewritten on a retry). */
    bool (*upload_file)(lake_source *self, const char *bucket, const char *key, const char *path,
                        char **error);
    bool (*download_file)(lake_source *self, const char *bucket, const char *key, int fd,
                          char **error);
    void (*free)(lake_source *self);
};

/* The local lake in `lake_dir` (see local_lake.h). */
lake_source *local_source_new(const char *lake_dir);
/* Declares one of the local lake's crawlers (see local_crawler.h). */
void local_source_add_crawler(lake_source *source, const char *name, const char *path,
                              const char *database);
void lake_source_free(lake_source *source);
void object_entries_free(object_entry *objects, size_t n);

#endif
