/* inventory_csv.c: S3 Inventory CSV rows and their column schema. */
#include "collector/inventory/inventory_csv.h"

#include <stdlib.h>
#include <string.h>

#include "common/fmt.h"
#include "common/xalloc.h"

#define INVENTORY_MAX_COLUMNS 64

bool inventory_columns_parse(const char *schema, inventory_columns *cols, char **error) {
    static const char *const names[] = {
        "Bucket", "Key", "Size", "LastModifiedDate", "StorageClass", "IsLatest", "IsDeleteMarker"};
    int *slots[] = {&cols->bucket,          &cols->key,           &cols->size,
                    &cols->last_modified,   &cols->storage_class, &cols->is_latest,
                    &cols->is_delete_marker};
    for (size_t i = 0; i < sizeof slots / sizeof *slots; i++)
        *slots[i] = -1;
    cols->count = 0;
    const char *p = schema;
    while (*p) {
        while (*p == ' ' || *p == '\t')
            p++;
        const char *start = p;
        while (*p && *p != ',')
            p++;
        const char *end = p;
        while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        if (cols->count >= INVENTORY_MAX_COLUMNS) {
            *error = xstrdup("fileSchema has too many columns");
            return false;
        }
        for (size_t i = 0; i < sizeof names / sizeof *names; i++)
            if (strlen(names[i]) == (size_t)(end - start) &&
                memcmp(names[i], start, (size_t)(end - start)) == 0 && *slots[i] < 0)
                *slots[i] = cols->count;
        cols->count++;
        if (*p == ',')
            p++;
    }
    if (cols->bucket < 0 || cols->key < 0 || cols->size < 0) {
        *error = xstrdup("fileSchema lacks Bucket, Key or Size");
        return false;
    }
    return true;
}

bool inventory_url_decode(char *s) {
    /* a %00 would cut the key short */
    return !strstr(s, "%00") && fmt_percent_decode(s, s, true);
}

/* Splits a record into fields in place: quoted ("a ""b""") or bare. */
static int csv_split(char *line, char **fields, int max) {
    int n = 0;
    char *p = line;
    for (;;) {
        if (n >= max)
            return -1;
        char *w = p;
        fields[n++] = w;
        if (*p == '"') {
            p++;
            for (;;) {
                if (!*p)
                    return -1; /* unterminated */
                if (*p == '"') {
                    if (p[1] == '"') {
                        *w++ = '"';
                        p += 2;
                        continue;
                    }
                    p++;
                    break;
                }
                *w++ = *p++;
            }
            if (*p && *p != ',')
                return -1;
        } else {
            while (*p && *p != ',') {
                if (*p == '"')
                    return -1;
                *w++ = *p++;
            }
        }
        char sep = *p;
        *w = '\0';
        if (sep != ',')
            return n;
        p++;
    }
}

static bool csv_size(const char *s, int64_t *out) {
    if (!*s) {
        *out = -1;
        return true;
    }
    return fmt_parse_count(s, out);
}

bool inventory_csv_row(const inventory_columns *cols, char *line, inventory_row *row) {
    char *fields[INVENTORY_MAX_COLUMNS];
    int n = csv_split(line, fields, INVENTORY_MAX_COLUMNS);
    if (n != cols->count || n <= 0)
        return false;
    row->bucket = fields[cols->bucket];
    if (!inventory_url_decode(fields[cols->key]) || !*fields[cols->key])
        return false;
    row->key = fields[cols->key];
    if (!csv_size(fields[cols->size], &row->size))
        return false;
    row->last_modified = -1;
    if (cols->last_modified >= 0 && *fields[cols->last_modified] &&
        !fmt_parse_iso8601(fields[cols->last_modified], &row->last_modified))
        return false;
    row->storage_class = cols->storage_class >= 0 ? fields[cols->storage_class] : "";
    row->current = true;
    if (cols->is_latest >= 0 && strcmp(fields[cols->is_latest], "false") == 0)
        row->current = false;
    if (cols->is_delete_marker >= 0 && strcmp(fields[cols->is_delete_marker], "true") == 0)
        row->current = false;
    if (row->size < 0)
        row->current = false;
    return true;
}
