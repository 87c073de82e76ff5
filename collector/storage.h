/* storage.h: what a lake's storage looks like, the same to both backends
 * (the local lake's directories and S3's keys): which objects are data and
 * which are markers, which directories are hidden, what a Hive partition
 * directory is, s3:// addresses, and the object entries listings hand out.
 *
 * Markers: files whose name starts with '_' or '.' (as Athena and Hive skip
 * them: _SUCCESS, .crc) and names ending in "_$folder$" are counted apart
 * from data; on S3 a key ending in '/' (a "directory" object) is one too.
 * Hidden directories (_temporary, .spark-staging) start with '_' or '.'.
 * A partition directory is named key=value (both sides non-empty). */
#ifndef LAKETOP_STORAGE_H
#define LAKETOP_STORAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True for a marker; `name` is the last path component. */
bool storage_is_marker_name(const char *name);
/* True for a marker key: a "directory" key (ending in '/') or a key whose
 * last component is a marker name. */
bool storage_is_marker_key(const char *key);
/* True for a directory a scan skips. */
bool storage_is_hidden_dir(const char *name);
/* True for a key=value partition directory name. */
bool storage_is_partition_name(const char *name);
/* The length of the partition directories at the start of `rest` (a key
 * below a table's prefix) when its first `depth` components are all
 * key=value; else 0. */
size_t storage_partition_prefix_length(const char *rest, size_t depth);

/* s3://bucket[/prefix] (or s3a://, as Hive and Spark write locations) into
 * its bucket and a prefix that is empty or ends in '/'. False for any other
 * address or an empty bucket; *error (may be NULL) then names the address. */
bool storage_s3_parse(const char *address, char **bucket, char **prefix, char **error);
/* True when `address` starts with s3:// (an S3 zone, backup or export). */
bool storage_is_s3(const char *address);

/* An object of a bucket (or a file of a zone), as listings give them. */
typedef struct object_entry {
    char *key; /* relative to the prefix listed */
    int64_t size;
    int64_t mtime;
    char *etag;        /* NULL when none */
    int storage_class; /* a cost_class (cost.h); 0, STANDARD, unless the listing says */
} object_entry;

void object_entries_free(object_entry *objects, size_t n);

#endif
