/* inventory_manifest.h: an S3 Inventory report's manifest (manifest.json:
 * the buckets, the format, the column schema, when it was taken and its
 * data files), its manifest.checksum check, and which of a configuration's
 * date prefixes (YYYY-MM-DDTHH-MMZ/) is the newest report. Pure: the
 * caller fetches the bytes. */
#ifndef LAKETOP_INVENTORY_MANIFEST_H
#define LAKETOP_INVENTORY_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct inventory_file {
    char *key; /* in the destination bucket */
    int64_t size;
    char *md5; /* MD5checksum as given (hex), NULL when none */
} inventory_file;

typedef struct inventory_manifest {
    char *source_bucket;
    char *destination_bucket; /* as given: an ARN (arn:aws:s3:::name) or a name */
    char *file_format;        /* "CSV", "ORC", "Parquet" */
    char *file_schema;        /* "Bucket, Key, Size, ..." */
    int64_t created_ms;       /* creationTimestamp, ms since the epoch */
    inventory_file *files;
    size_t n_files;
} inventory_manifest;

/* Parses manifest.json; false with *error (malloc'd) naming what is wrong
 * or missing. On success the caller clears `m`. */
bool inventory_manifest_parse(const char *json, size_t length, inventory_manifest *m, char **error);
void inventory_manifest_clear(inventory_manifest *m);

/* True when `checksum` (manifest.checksum: the hex MD5 of manifest.json,
 * surrounding white space ignored, either case) is the MD5 of `json`;
 * else false with *error saying what differs. */
bool inventory_manifest_check(const char *json, size_t length, const char *checksum,
                              size_t checksum_length, char **error);

/* True for a CSV report (the only format read on this machine). */
bool inventory_manifest_is_csv(const inventory_manifest *m);

/* The destination bucket's name ("arn:aws:s3:::dest" -> "dest"); points
 * into m. */
const char *inventory_manifest_destination_name(const inventory_manifest *m);

/* True for a report's date directory name, "2026-12-01T01-00Z" (a trailing
 * '/' allowed). */
bool inventory_is_report_date(const char *name);
/* The index of the newest report date among `names` (the last component of
 * each listed common prefix; anything else ignored); -1 when none. The
 * names sort as their dates, so the greatest wins. */
long inventory_newest_report(const char *const *names, size_t n);

#endif
