/* formats_internal.h: private to collector/formats/ (formats.c and its parts): the cache behind
 * formats_cache (formats.h). It holds the bytes of every immutable
 * metadata object read (keyed by its canonical address and size), each
 * kept while the last result of some table used it, and per table the
 * whole computed result with the key that must not change (the Iceberg
 * metadata_location, the Delta log's newest version). */
#ifndef LAKETOP_FORMATS_INTERNAL_H
#define LAKETOP_FORMATS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/formats/delta.h"
#include "collector/formats/formats.h"
#include "collector/formats/formats_set.h"

typedef struct formats_blob formats_blob;

/* What formats_measure computed for one table from its metadata, kept
 * until the table's key changes: the figures, and the files referenced
 * (set, or the Delta log itself) to judge the next listing by. */
typedef struct formats_result {
    char *key; /* Iceberg: the metadata_location read; Delta: "delta N" */
    int64_t objects, bytes, records, delete_files, delete_bytes;
    int64_t snapshots, oldest_snapshot, last_commit;
    int format_version;
    char *metadata_location;
    char *partition_spec;
    char *file_format; /* "parquet", "orc", "avro" (Delta: parquet) */
    table_commit *commits;
    size_t n_commits;
    formats_set *referenced; /* Iceberg: canonical addresses, live ones flagged */
    delta_log *log;          /* Delta: the replayed log */
    formats_blob **blobs;    /* the objects read for it (one reference each) */
    size_t n_blobs, cap_blobs;
    /* Metadata that cannot be read the same way every time (its bytes are
     * immutable: truncated JSON, not Avro, a gap in the log) is kept as
     * its reason; one whose read failed (a missing object, the network) is
     * not kept, and tried again. */
    char *error;
    bool read_failed;
} formats_result;

formats_result *formats_result_new(void);
void formats_result_free(formats_cache *cache, formats_result *result);

/* The whole object at `address` (canonical; `size` from the listing, -1
 * unknown), from the cache or through io->read; *data stays valid while
 * `pin` holds it (the blob is added to pin->blobs). False with *error. */
bool formats_cache_read(formats_cache *cache, const formats_io *io, const char *address,
                        int64_t size, formats_result *pin, const char **data, size_t *length,
                        char **error);
/* LAKETOP_FORMATS_DEBUG=FILE: appends "WHAT ADDRESS" to FILE (the tests'
 * "no read when unchanged": "measure DB.TABLE" for each table measured,
 * "read ADDRESS" for each object read). */
void formats_cache_debug(const char *what, const char *address);
/* Drops the objects `result` holds (a result kept only for its error). */
void formats_result_unpin(formats_cache *cache, formats_result *result);
/* The result kept for `table` ("database\ttable") when its key is `key`;
 * NULL otherwise. */
const formats_result *formats_cache_result(const formats_cache *cache, const char *table,
                                           const char *key);
/* The last result kept for `table`, whatever its key; NULL none. */
formats_result *formats_cache_last(formats_cache *cache, const char *table);
/* Keeps `result` (taken) for `table`, freeing the one before it. */
void formats_cache_keep(formats_cache *cache, const char *table, formats_result *result);

/* ---- formats_detect.c ---------------------------------------------------- */

/* A table's figures from a listing by the Hive rules (as the storage scans
 * count): objects, bytes, newest_object, marker_objects, partitions (files
 * in hidden directories left out), and s3_objects, s3_bytes. */
void formats_listing_hive(table_stats *table, const object_entry *entries, size_t n);
/* A listed key (relative to the location) that is a marker: _SUCCESS,
 * *_$folder$, a "directory" key, or "" (the location's own marker). */
bool formats_is_marker(const char *key);
/* The value of catalog parameter `key` (exact), NULL when absent. */
const char *formats_parameter(const table_stats *table, const char *key);

/* ---- formats.c, for the readers of each format --------------------------- */

/* One measure's listing of the location. */
typedef struct formats_listing {
    const object_entry *entries;
    size_t n;
    char *base; /* the location's canonical address, without a final '/' */
} formats_listing;

/* formats_iceberg.c / formats_delta.c: the table's result from its
 * metadata (reads through the cache, pinned to `result`); false with
 * *error naming what could not be read. `key` is what the cache keeps
 * the result by (result->key is set from it). */
char *formats_iceberg_key(const table_stats *table);
bool formats_iceberg_read(const table_stats *table, const formats_io *io, formats_cache *cache,
                          const formats_listing *listing, formats_result *result, char **error);
char *formats_delta_key(const formats_listing *listing, char **error);
/* `previous` (may be NULL): the table's last result, whose log goes on
 * when the listing has every commit after it (then spent). */
bool formats_delta_read(const formats_io *io, formats_cache *cache, const formats_listing *listing,
                        formats_result *previous, formats_result *result, char **error);

#endif
