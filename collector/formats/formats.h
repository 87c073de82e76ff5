/* formats.h: open table formats (Iceberg, Delta Lake, Hudi) measured from
 * their own metadata, the same on both backends.
 *
 * A backend's refresh calls formats_detect() for each table it has read
 * from the catalog (and again with what its listing saw directly under the
 * location), and formats_measure() for each open-format table, with its own
 * I/O (formats_io: files on the local lake, GetObject and ListObjectsV2 on
 * S3). formats_measure lists the location once (s3_objects, s3_bytes,
 * metadata_bytes), reads the metadata through the cache, and sets the live
 * figures (objects, bytes, records, newest_object = last_commit, origin
 * FIGURES_METADATA), the commits, snapshots and unreferenced files. When the
 * metadata cannot be read, format_error says why and the figures are the
 * listing's by the Hive rules (origin FIGURES_LISTING): the row stays.
 *
 * What counts (the README's "Live, on S3 and unreferenced"):
 *  - metadata: every object under metadata/ (Iceberg), _delta_log/
 *    (Delta), .hoodie/ (Hudi), directly below the location;
 *  - data files: every other object under the location that is not a
 *    marker (storage_is_marker_name of its last component);
 *  - referenced: a data file named by an entry (status EXISTING or ADDED)
 *    of a manifest of any retained snapshot (Iceberg), or by an add or
 *    remove action of any commit file or the checkpoint in the log (Delta);
 *  - unreferenced: the data files not referenced;
 *  - retained: referenced data files that are not live (held only by older
 *    snapshots or versions).
 *
 * The cache makes a refresh of an unchanged table free: an Iceberg
 * metadata file, a manifest, a Delta commit file and a checkpoint are
 * immutable, so each is read once per process (keyed by its address and,
 * from the listing, its size); a table whose metadata_location (Iceberg) or
 * newest version (Delta) did not change reads nothing but the listing. */
#ifndef LAKETOP_FORMATS_H
#define LAKETOP_FORMATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/snapshot.h"
#include "collector/storage.h"

typedef struct formats_io {
    void *ctx;
    /* The whole object at `address`, as table metadata writes addresses
     * (s3://bucket/key, s3a://, file:///path, an absolute path, or on the
     * local lake a path relative to the lake); malloc'd into *data. */
    bool (*read)(void *ctx, const char *address, char **data, size_t *length, char **error);
    /* Every object under the table location `location` (keys relative to
     * it, hidden directories and markers included). NULL when listing is
     * not allowed (S3 Tables): the figures are the metadata's alone, and
     * s3_*, metadata_bytes, unreferenced_* and retained_bytes -1. */
    bool (*list)(void *ctx, const char *location, object_entry **entries, size_t *n, char **error);
    /* The address in one canonical spelling (malloc'd) so that a file named
     * in metadata and a listed key compare: "s3://bucket/key" for S3 (s3a
     * and s3n too), an absolute path without "file://" and without "//" or
     * "/./" for the local lake; NULL when the address cannot be one of this
     * backend's. */
    char *(*canonical)(void *ctx, const char *address);
} formats_io;

typedef struct formats_cache formats_cache;

formats_cache *formats_cache_new(void);
void formats_cache_free(formats_cache *cache);
/* How many reads (io->read calls) the cache has let through since it was
 * made (the tests' and the request log's "no request when unchanged"). */
uint64_t formats_cache_reads(const formats_cache *cache);

/* The format from the catalog: Parameters.table_type ICEBERG (any case)
 * with metadata_location; table_type DELTA or spark.sql.sources.provider
 * delta; table_type HUDI (or a hoodie.* parameter, or an
 * org.apache.hudi input format). `top_level` (may be NULL): the names
 * directly under the location a listing saw ("_delta_log", ".hoodie");
 * a _delta_log/ makes a Delta table and a .hoodie/ a Hudi table whatever
 * the catalog says. Sets table->table_format. */
void formats_detect(table_stats *table, const char *const *top_level, size_t n_top_level);

/* Measures one table whose table_format is not Hive (see above). `now`
 * is the refresh's time. */
void formats_measure(table_stats *table, const formats_io *io, formats_cache *cache, int64_t now);

/* For a Hive table, from a listing's entries: s3_objects, s3_bytes
 * (everything under the location). */
void formats_listing_totals(table_stats *table, const object_entry *entries, size_t n);

/* The commits as daily history samples (one per day that has a commit:
 * the last commit of the day's totals, newest_object its time), merged into
 * the table's sampled history: a day with a commit takes the commit's
 * figures, a day without keeps its sample. *history is realloc'd; it stays
 * sorted by day. */
void formats_history_merge(const table_stats *table, history_sample **history, size_t *n);

#endif
