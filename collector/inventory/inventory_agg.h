/* inventory_agg.h: one pass over an S3 Inventory report's CSV data files
 * (gzip, fed in pieces as they arrive) into per-table figures: every key is
 * given to the table whose location contains it (the longest location wins;
 * locations end in '/', so tbl/ never takes tbl_old/x), and counted by the
 * listing's rules (storage.h): markers apart, hidden directories skipped,
 * older versions and delete markers left out. Memory is flat in the number
 * of rows: a row is counted and forgotten. Pure (zlib, no I/O). */
#ifndef LAKETOP_INVENTORY_AGG_H
#define LAKETOP_INVENTORY_AGG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/figures/cost.h"
#include "collector/inventory/inventory_csv.h"
#include "collector/inventory/inventory_report.h"

/* A table's figures, as a listing gives them (aws_storage_scan.c). */
typedef struct inventory_figures {
    int64_t objects, bytes; /* data objects */
    int64_t newest;         /* the newest data object's time; 0 when none */
    int64_t markers;
    int64_t partitions;           /* distinct partition directories of data objects (depth set) */
    int64_t s3_objects, s3_bytes; /* every object below the location */
    cost_storage storage;         /* of every object below the location */
} inventory_figures;

typedef struct inventory_agg inventory_agg;

inventory_agg *inventory_agg_new(const inventory_columns *cols);
void inventory_agg_free(inventory_agg *a);

/* A table at s3://bucket/prefix (prefix "" or ending in '/'); returns its
 * index for inventory_agg_figures. Add every table before the first row. */
size_t inventory_agg_add_table(inventory_agg *a, const char *bucket, const char *prefix);

/* The table's partition depth (its partition keys): its data objects'
 * first `depth` key=value directories are counted as partitions, as a
 * listing counts them (a set of their 64-bit hashes: 8 bytes a partition). */
void inventory_agg_set_partition_depth(inventory_agg *a, size_t table, size_t depth);
/* Adds `from`'s figures to `to`'s (made with the same tables in the same
 * order: one data file's aggregator into the report's). */
void inventory_agg_merge(inventory_agg *to, const inventory_agg *from);

/* Feeds the next `length` bytes of the current data file (gzip, members
 * concatenated allowed); false with *error for bad gzip data, a line too
 * long or a malformed row (its number said). */
bool inventory_agg_feed(inventory_agg *a, const void *data, size_t length, char **error);
/* The current data file is complete: false with *error when its gzip
 * stream was cut short. The next feed starts a new file. */
bool inventory_agg_end_file(inventory_agg *a, char **error);

/* One CSV record (no line end; modified in place), as the feed counts it;
 * false for a malformed row. */
bool inventory_agg_row(inventory_agg *a, char *line);

const inventory_figures *inventory_agg_figures(const inventory_agg *a, size_t table);
/* The report of date directory `date` (created at `created`): each
 * table's totals and, for a table with a partition depth, its top-level
 * directories' figures (sorted, listed_at `created`); out->athena_scanned
 * -1. Clear it with inventory_report_clear. */
void inventory_agg_report(const inventory_agg *a, const char *date, int64_t created,
                          inventory_report *out);
/* Rows read, and rows in no table's location. */
int64_t inventory_agg_rows(const inventory_agg *a);
int64_t inventory_agg_unmatched(const inventory_agg *a);

#endif
