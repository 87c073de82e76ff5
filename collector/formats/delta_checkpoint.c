/* delta_checkpoint.c: a Delta checkpoint's add and remove rows, read with
 * parquet.h and given to the delta_log. The numbers (size,
 * modificationTime, a deletion vector's cardinality) are read as columns;
 * add.stats, remove.path and add.path are streamed, none of their text
 * kept: stats become a records figure per row, the removes (tombstones)
 * go to the log first, then the adds (a checkpoint's adds are the live
 * files; a tombstone may name a live path, the old deletion vector's). An
 * add's records are its stats' numRecords less its deletion vector's
 * cardinality (as delta_log.c counts a commit's adds). A V2 checkpoint
 * that names sidecar files (the actions are in them) is refused. */
#include "collector/formats/delta_checkpoint.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "collector/formats/parquet.h"
#include "common/xalloc.h"

typedef struct checkpoint {
    delta_log *log;
    parquet_column size;
    parquet_column modified;
    bool have_modified;
    parquet_column deleted; /* add.deletionVector.cardinality */
    bool have_deleted;
    int64_t *records; /* per row, -1 unknown */
    char *path;       /* the path being given, NUL-terminated */
    size_t path_capacity;
} checkpoint;

static bool read_numbers(const parquet_file *file, const char *path, parquet_column *out,
                         char **error) {
    char *why = NULL;
    if (!parquet_read_column(file, path, out, &why)) {
        *error = xasprintf("checkpoint: %s", why);
        free(why);
        return false;
    }
    if (out->type != PARQUET_INT64 && out->type != PARQUET_INT32) {
        *error = xasprintf("checkpoint: %s is not of the type Delta writes", path);
        return false;
    }
    return true;
}

/* numRecords from an add's stats JSON; -1 when absent or not a number. */
static int64_t stats_records(const char *text, size_t length) {
    if (length == 0 || length > INT32_MAX)
        return -1;
    json_tokener *tok = json_tokener_new();
    json_object *o = json_tokener_parse_ex(tok, text, (int)length);
    bool complete = json_tokener_get_error(tok) == json_tokener_success;
    json_tokener_free(tok);
    int64_t records = -1;
    json_object *n;
    if (o && complete && json_object_is_type(o, json_type_object) &&
        json_object_object_get_ex(o, "numRecords", &n) && json_object_is_type(n, json_type_int)) {
        records = json_object_get_int64(n);
        if (records < 0)
            records = -1;
    }
    json_object_put(o);
    return records;
}

static bool on_stats(void *ctx, size_t row, const char *bytes, size_t length, char **error) {
    (void)error;
    checkpoint *c = ctx;
    c->records[row] = stats_records(bytes, length);
    return true;
}

/* The path in c->path, NUL-terminated; false for an empty one or one
 * holding a NUL byte. */
static bool take_path(checkpoint *c, size_t row, const char *bytes, size_t length,
                      const char *column, char **error) {
    if (length == 0 || memchr(bytes, '\0', length)) {
        *error = xasprintf("checkpoint: %s in row %zu is empty or holds a NUL byte", column, row);
        return false;
    }
    if (length + 1 > c->path_capacity) {
        c->path_capacity = length + 1;
        c->path = xrealloc(c->path, c->path_capacity);
    }
    memcpy(c->path, bytes, length);
    c->path[length] = '\0';
    return true;
}

static bool on_remove(void *ctx, size_t row, const char *bytes, size_t length, char **error) {
    checkpoint *c = ctx;
    if (!take_path(c, row, bytes, length, "remove.path", error))
        return false;
    delta_log_remove(c->log, c->path);
    return true;
}

static bool on_add(void *ctx, size_t row, const char *bytes, size_t length, char **error) {
    checkpoint *c = ctx;
    if (row >= c->size.rows || !c->size.present[row] || c->size.numbers[row] < 0) {
        *error = xasprintf("checkpoint: the add in row %zu has no size", row);
        return false;
    }
    if (!take_path(c, row, bytes, length, "add.path", error))
        return false;
    int64_t records = c->records[row];
    /* rows a deletion vector marks deleted are not records */
    if (records >= 0 && c->have_deleted && c->deleted.present[row] && c->deleted.numbers[row] > 0)
        records = c->deleted.numbers[row] <= records ? records - c->deleted.numbers[row] : 0;
    int64_t modified = c->have_modified && c->modified.present[row] ? c->modified.numbers[row] : 0;
    delta_log_add(c->log, c->path, c->size.numbers[row], records, modified);
    return true;
}

static bool on_sidecar(void *ctx, size_t row, const char *bytes, size_t length, char **error) {
    (void)ctx;
    (void)row;
    *error = xasprintf("checkpoint: a V2 checkpoint whose actions are in sidecar files "
                       "(_delta_log/_sidecars/%.*s), not read",
                       (int)(length > 200 ? 200 : length), bytes);
    return false;
}

static bool stream(const parquet_file *file, const char *path, parquet_text_fn each, checkpoint *c,
                   char **error) {
    parquet_column column;
    char *why = NULL;
    if (!parquet_read_text_each(file, path, &column, each, c, &why)) {
        /* an error of the callback already says "checkpoint: " */
        if (!strncmp(why, "checkpoint: ", 12)) {
            *error = why;
        } else {
            *error = xasprintf("checkpoint: %s", why);
            free(why);
        }
        return false;
    }
    parquet_column_clear(&column);
    return true;
}

bool delta_checkpoint_read(const char *data, size_t length, delta_log *log, char **error) {
    parquet_file *file;
    char *why = NULL;
    if (!parquet_open(data, length, &file, &why)) {
        *error = xasprintf("checkpoint: %s", why);
        free(why);
        return false;
    }
    checkpoint c;
    memset(&c, 0, sizeof c);
    c.log = log;
    size_t rows = (size_t)parquet_rows(file);
    c.records = xmalloc((rows + 1) * sizeof *c.records);
    for (size_t i = 0; i < rows; i++)
        c.records[i] = -1;
    c.have_deleted = parquet_has_column(file, "add.deletionVector.cardinality");
    c.have_modified = parquet_has_column(file, "add.modificationTime");
    bool ok = true;
    /* add.path first: a file without it is no checkpoint (one without
     * remove columns has no tombstones) */
    if (!parquet_has_column(file, "add.path")) {
        *error = xasprintf("checkpoint: parquet: no column add.path");
        ok = false;
    }
    ok = ok &&
         (!parquet_has_column(file, "sidecar.path") ||
          stream(file, "sidecar.path", on_sidecar, &c, error)) &&
         read_numbers(file, "add.size", &c.size, error) &&
         (!c.have_modified || read_numbers(file, "add.modificationTime", &c.modified, error)) &&
         (!c.have_deleted ||
          read_numbers(file, "add.deletionVector.cardinality", &c.deleted, error)) &&
         (!parquet_has_column(file, "add.stats") ||
          stream(file, "add.stats", on_stats, &c, error)) &&
         (!parquet_has_column(file, "remove.path") ||
          stream(file, "remove.path", on_remove, &c, error)) &&
         stream(file, "add.path", on_add, &c, error);
    parquet_column_clear(&c.size);
    parquet_column_clear(&c.modified);
    parquet_column_clear(&c.deleted);
    free(c.records);
    free(c.path);
    parquet_close(file);
    return ok;
}
