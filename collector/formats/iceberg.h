/* iceberg.h: Apache Iceberg table metadata (format versions 1 and 2):
 * the metadata JSON file (json-c) and the Avro manifest lists and manifests
 * (Debian's libavro). Pure parsers of bytes: the I/O is formats.c's. */
#ifndef LAKETOP_ICEBERG_H
#define LAKETOP_ICEBERG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/snapshot.h"

/* One snapshot of metadata.json "snapshots". Summary figures are -1 when
 * the summary does not have them. */
typedef struct iceberg_snapshot {
    int64_t id;
    int64_t parent_id;       /* -1 none */
    int64_t sequence_number; /* 0 in v1 */
    int64_t timestamp_ms;
    char *manifest_list; /* v2 (and most v1 writers); NULL when absent */
    char **manifests;    /* v1 without a manifest list: the manifests themselves */
    size_t n_manifests;
    char *operation; /* summary.operation: append, replace, overwrite, delete; NULL */
    int64_t total_data_files;
    int64_t total_files_size;
    int64_t total_records;
    int64_t total_delete_files;
    int64_t added_data_files;
    int64_t deleted_data_files;
    int64_t added_records;
    int64_t deleted_records;
} iceberg_snapshot;

typedef struct iceberg_metadata {
    int format_version;          /* 1 or 2 */
    char *location;              /* the table's base location */
    int64_t current_snapshot_id; /* -1: no snapshot yet (an empty table) */
    int64_t last_updated_ms;
    iceberg_snapshot *snapshots; /* as in the file (retained snapshots) */
    size_t n_snapshots;
    /* The default partition spec written out: "day(ts), bucket(16, id)",
     * "identity" fields by their source column name; "" when unpartitioned. */
    char *partition_spec;
    /* The data files' format: properties write.format.default in lower case,
     * "parquet" when absent (the spec's default). */
    char *file_format;
    table_column *columns; /* the current schema's top-level fields */
    size_t n_columns;
} iceberg_metadata;

/* Parses a metadata file. False with *error ("not an Iceberg metadata
 * file: ...", naming the field) for anything else; *out is then clear. */
bool iceberg_metadata_parse(const char *text, size_t length, iceberg_metadata *out, char **error);
void iceberg_metadata_clear(iceberg_metadata *metadata);
/* The current snapshot; NULL when there is none. */
const iceberg_snapshot *iceberg_current_snapshot(const iceberg_metadata *metadata);

/* An entry of a manifest list (manifest_file). */
typedef struct iceberg_manifest_ref {
    char *path;
    int64_t length;
    int content;               /* 0 data, 1 deletes (v2; 0 in v1) */
    int64_t added_snapshot_id; /* -1 when absent or null (v1 may omit it) */
} iceberg_manifest_ref;

/* An entry of a manifest (manifest_entry with its data_file). */
typedef struct iceberg_file {
    int status;  /* 0 EXISTING, 1 ADDED, 2 DELETED */
    int content; /* 0 data, 1 position deletes, 2 equality deletes (v2; 0 in v1) */
    char *path;
    int64_t size;
    int64_t records;
} iceberg_file;

/* A manifest list or a manifest: an Avro object container file in
 * memory. False with *error for bytes that are not one, or whose schema
 * lacks a required field (manifest_path and manifest_length; status and
 * data_file's file_path, file_size_in_bytes and record_count), or that is
 * cut short or corrupt (*refs / *files NULL, *n 0). True with *n entries
 * (0 for a file with none), to free with the functions below. Safe to
 * call from any thread (libavro's calls take turns). */
bool iceberg_manifest_list_read(const char *data, size_t length, iceberg_manifest_ref **refs,
                                size_t *n, char **error);
bool iceberg_manifest_read(const char *data, size_t length, iceberg_file **files, size_t *n,
                           char **error);
void iceberg_manifest_refs_free(iceberg_manifest_ref *refs, size_t n);
void iceberg_files_free(iceberg_file *files, size_t n);

#endif
