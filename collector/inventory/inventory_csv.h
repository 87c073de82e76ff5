/* inventory_csv.h: one row of an S3 Inventory CSV data file. The report's
 * fileSchema ("Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size,
 * LastModifiedDate, StorageClass, ...") says which column is which; every
 * field is double-quoted, and keys are URL-encoded ('+' a space, %XX a
 * byte), as S3 writes them. Pure. */
#ifndef LAKETOP_INVENTORY_CSV_H
#define LAKETOP_INVENTORY_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where the columns read are (-1: not in the report). */
typedef struct inventory_columns {
    int bucket, key, size, last_modified, storage_class, is_latest, is_delete_marker;
    int count; /* the columns of a row */
} inventory_columns;

/* From fileSchema; false with *error when Bucket, Key or Size is missing. */
bool inventory_columns_parse(const char *schema, inventory_columns *cols, char **error);

/* A row, pointing into the line it was parsed from. */
typedef struct inventory_row {
    const char *bucket;
    const char *key;           /* decoded */
    int64_t size;              /* -1 when empty (a delete marker) */
    int64_t last_modified;     /* -1 when absent */
    const char *storage_class; /* "" when absent */
    bool current;              /* not an older version nor a delete marker */
} inventory_row;

/* Parses `line` (one CSV record, no line end; modified in place: fields
 * are unquoted and the key decoded); false for a malformed row (a field
 * count other than the schema's, a bad quote, size or time, a bad %XX). */
bool inventory_csv_row(const inventory_columns *cols, char *line, inventory_row *row);

/* URL-decodes `s` in place ('+' to a space, %XX to its byte); false for a
 * '%' not followed by two hex digits or a decoded NUL byte. */
bool inventory_url_decode(char *s);

#endif
