/* delta_checkpoint.c: a Delta checkpoint's add and remove rows, read with
 * parquet.h and given to the delta_log. Removes (tombstones) are applied
 * before adds: a checkpoint's adds are the live files. An add's records
 * are its stats' numRecords less its deletion vector's cardinality (as
 * delta_log.c counts a commit's adds). */
#include "collector/formats/delta_checkpoint.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "collector/formats/parquet.h"
#include "common/xalloc.h"

typedef struct checkpoint_columns {
    parquet_column add_path;
    parquet_column add_size;
    parquet_column add_time;
    parquet_column add_stats;
    bool have_stats;
    parquet_column add_dv; /* add.deletionVector.cardinality */
    bool have_dv;
    parquet_column remove_path;
} checkpoint_columns;

static void columns_clear(checkpoint_columns *c) {
    parquet_column_clear(&c->add_path);
    parquet_column_clear(&c->add_size);
    parquet_column_clear(&c->add_time);
    parquet_column_clear(&c->add_stats);
    parquet_column_clear(&c->add_dv);
    parquet_column_clear(&c->remove_path);
}

static bool read_column(const parquet_file *file, const char *path, int type, int alt_type,
                        parquet_column *out, char **error) {
    char *why = NULL;
    if (!parquet_read_column(file, path, out, &why)) {
        *error = xasprintf("checkpoint: %s", why);
        free(why);
        return false;
    }
    if (out->type != type && out->type != alt_type) {
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

/* The path at `row` as a C string (malloc'd), or NULL with *error. */
static char *row_path(const parquet_column *column, size_t row, const char *name, char **error) {
    size_t length;
    const char *text = parquet_column_text(column, row, &length);
    if (length == 0 || memchr(text, '\0', length)) {
        *error = xasprintf("checkpoint: %s in row %zu is empty or holds a NUL byte", name, row);
        return NULL;
    }
    char *path = xmalloc(length + 1);
    memcpy(path, text, length);
    path[length] = '\0';
    return path;
}

bool delta_checkpoint_read(const char *data, size_t length, delta_log *log, char **error) {
    parquet_file *file;
    char *why = NULL;
    if (!parquet_open(data, length, &file, &why)) {
        *error = xasprintf("checkpoint: %s", why);
        free(why);
        return false;
    }
    checkpoint_columns c;
    memset(&c, 0, sizeof c);
    c.have_stats = parquet_has_column(file, "add.stats");
    c.have_dv = parquet_has_column(file, "add.deletionVector.cardinality");
    bool ok = read_column(file, "add.path", PARQUET_BYTE_ARRAY, -1, &c.add_path, error) &&
              read_column(file, "add.size", PARQUET_INT64, PARQUET_INT32, &c.add_size, error) &&
              read_column(file, "add.modificationTime", PARQUET_INT64, PARQUET_INT32, &c.add_time,
                          error) &&
              (!c.have_stats ||
               read_column(file, "add.stats", PARQUET_BYTE_ARRAY, -1, &c.add_stats, error)) &&
              (!c.have_dv || read_column(file, "add.deletionVector.cardinality", PARQUET_INT64,
                                         PARQUET_INT32, &c.add_dv, error)) &&
              read_column(file, "remove.path", PARQUET_BYTE_ARRAY, -1, &c.remove_path, error);
    size_t rows = (size_t)parquet_rows(file);
    for (size_t row = 0; ok && row < rows; row++) {
        if (!c.remove_path.present[row])
            continue;
        char *path = row_path(&c.remove_path, row, "remove.path", error);
        if (!path) {
            ok = false;
            break;
        }
        delta_log_remove(log, path);
        free(path);
    }
    for (size_t row = 0; ok && row < rows; row++) {
        if (!c.add_path.present[row])
            continue;
        if (!c.add_size.present[row] || c.add_size.numbers[row] < 0) {
            *error = xasprintf("checkpoint: the add in row %zu has no size", row);
            ok = false;
            break;
        }
        char *path = row_path(&c.add_path, row, "add.path", error);
        if (!path) {
            ok = false;
            break;
        }
        int64_t records = -1;
        size_t stats_length;
        const char *stats =
            c.have_stats ? parquet_column_text(&c.add_stats, row, &stats_length) : NULL;
        if (stats)
            records = stats_records(stats, stats_length);
        /* rows a deletion vector marks deleted are not records */
        if (records >= 0 && c.have_dv && c.add_dv.present[row] && c.add_dv.numbers[row] > 0)
            records = c.add_dv.numbers[row] <= records ? records - c.add_dv.numbers[row] : 0;
        int64_t modified = c.add_time.present[row] ? c.add_time.numbers[row] : 0;
        delta_log_add(log, path, c.add_size.numbers[row], records, modified);
        free(path);
    }
    columns_clear(&c);
    parquet_close(file);
    return ok;
}
