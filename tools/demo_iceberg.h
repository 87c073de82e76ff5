/* demo_iceberg.h: the demo's Iceberg table as it is being written: its data
 * and delete files, manifests, snapshots and metadata versions, shared by
 * the story (demo_iceberg.c: appends, compactions, a row-level delete, an
 * expiry, a failed write) and the writer of its metadata files
 * (demo_iceberg_files.c). Private to tools/. */
#ifndef LAKETOP_DEMO_ICEBERG_H
#define LAKETOP_DEMO_ICEBERG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tools/demo_internal.h"

enum { ICE_EXISTING = 0, ICE_ADDED = 1, ICE_DELETED = 2 };

/* A data file (content 0) or a position delete file (content 1). */
typedef struct ice_file {
    char *path; /* as the metadata names it: relative to the lake */
    int content;
    int32_t day; /* the partition: day(event_ts) */
    int64_t size;
    int64_t records;
    int64_t snapshot_id; /* the snapshot that added it */
    int64_t seq;         /* its data sequence number */
    bool live;           /* in the current snapshot */
} ice_file;

/* One entry of a manifest: a file (index into ice_table.files) and its
 * status there. */
typedef struct ice_entry {
    size_t file;
    int status;
} ice_entry;

typedef struct ice_manifest {
    char *path;
    int64_t length;
    int content; /* 0 data, 1 deletes */
    int64_t seq;
    int64_t min_seq;
    int64_t snapshot_id;
    ice_entry *entries;
    size_t n_entries;
} ice_manifest;

typedef struct ice_snapshot {
    int64_t id;
    int64_t parent; /* -1: none */
    int64_t seq;
    int64_t ms;
    const char *operation;
    char *manifest_list;
    size_t *manifests; /* indexes into ice_table.manifests */
    size_t n_manifests;
    /* the summary: what it changed, then the totals after it */
    int64_t added_files, deleted_files, added_records, deleted_records;
    int64_t added_size, removed_size, added_delete_files, added_position_deletes;
    int64_t changed_partitions;
    int64_t total_files, total_size, total_records, total_delete_files, total_position_deletes;
    bool expired;
} ice_snapshot;

typedef struct ice_table {
    demo_ctx *c;
    demo_rng rng;
    const char *database, *name;
    char *location; /* relative to the lake, no trailing slash */
    char *uuid;
    int64_t created_ms;
    ice_file *files;
    size_t n_files;
    ice_manifest *manifests;
    size_t n_manifests;
    ice_snapshot *snapshots;
    size_t n_snapshots;
    int current;     /* index into snapshots; -1 none */
    char **versions; /* metadata files written, oldest first */
    int64_t *version_ms;
    size_t n_versions;
} ice_table;

/* ---- demo_iceberg_files.c ---- */

/* Writes manifest m of t (its entries as they stand) at `mtime`; sets
 * m->length. */
bool demo_iceberg_write_manifest(ice_table *t, ice_manifest *m, int64_t mtime);
/* Writes the manifest list of snapshot s at its time. */
bool demo_iceberg_write_manifest_list(ice_table *t, const ice_snapshot *s);
/* Writes the next metadata version (vN.metadata.json, then
 * version-hint.text) at `ms`: the retained snapshots, the snapshot and
 * metadata logs. */
bool demo_iceberg_write_metadata(ice_table *t, int64_t ms);
/* The Glue types of the table's columns, for its catalog entry. */
const demo_column *demo_iceberg_columns(size_t *n);

#endif
