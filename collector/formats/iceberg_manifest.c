/* iceberg_manifest.c: Iceberg manifest lists (manifest_file records) and
 * manifests (manifest_entry records with their data_file), Avro object
 * container files in memory read with libavro, once iceberg_avro.h has
 * checked them. Fields are found by name in the writer's schema, so the
 * v1 and v2 layouts (and writers that add fields) all read. libavro keeps
 * its last error in one buffer for the whole process (avro_strerror), so
 * the readers take turns. */
#include "collector/formats/iceberg.h"

#include <avro.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/formats/iceberg_avro.h"
#include "common/xalloc.h"

/* What a field may hold: a string, an int, or a long (an int promotes). */
typedef enum iceberg_manifest_kind {
    ICEBERG_MANIFEST_STRING,
    ICEBERG_MANIFEST_INT,
    ICEBERG_MANIFEST_LONG,
} iceberg_manifest_kind;

/* Field `name` of a record schema; NULL when it has none (libavro's
 * avro_schema_record_field_get crashes on a name the record lacks). */
static avro_schema_t iceberg_manifest_schema_field(avro_schema_t record, const char *name) {
    if (!is_avro_record(record))
        return NULL;
    int index = avro_schema_record_field_get_index(record, name);
    return index < 0 ? NULL : avro_schema_record_field_get_by_index(record, index);
}

static bool iceberg_manifest_kind_fits(avro_schema_t schema, iceberg_manifest_kind kind) {
    switch (avro_typeof(schema)) {
    case AVRO_STRING: return kind == ICEBERG_MANIFEST_STRING;
    case AVRO_INT32: return kind != ICEBERG_MANIFEST_STRING;
    case AVRO_INT64: return kind == ICEBERG_MANIFEST_LONG;
    default: return false;
    }
}

/* Whether field `name` of `record` is there and holds `kind`, alone or in
 * a union with null; *bad when it is there with another type. */
static bool iceberg_manifest_field(avro_schema_t record, const char *name,
                                   iceberg_manifest_kind kind, bool *bad) {
    *bad = false;
    avro_schema_t field = iceberg_manifest_schema_field(record, name);
    if (!field)
        return false;
    if (is_avro_union(field)) {
        size_t n = avro_schema_union_size(field), usable = 0;
        for (size_t i = 0; i < n; i++) {
            avro_schema_t branch = avro_schema_union_branch(field, (int)i);
            if (is_avro_null(branch))
                continue;
            if (!branch || !iceberg_manifest_kind_fits(branch, kind)) {
                *bad = true;
                return false;
            }
            usable++;
        }
        *bad = usable == 0;
        return usable > 0;
    }
    *bad = !iceberg_manifest_kind_fits(field, kind);
    return !*bad;
}

/* A required field: false with *error when absent or of another type. */
static bool iceberg_manifest_require(avro_schema_t record, const char *what, const char *name,
                                     iceberg_manifest_kind kind, char **error) {
    bool bad;
    if (iceberg_manifest_field(record, name, kind, &bad))
        return true;
    static const char *const kinds[] = {"a string", "an int", "a long"};
    *error = bad ? xasprintf("%s schema: %s is not %s", what, name, kinds[kind])
                 : xasprintf("%s schema lacks %s", what, name);
    return false;
}

/* An optional field: false with *error when present with another type;
 * *present says whether it is there. */
static bool iceberg_manifest_allow(avro_schema_t record, const char *what, const char *name,
                                   iceberg_manifest_kind kind, bool *present, char **error) {
    bool bad;
    *present = iceberg_manifest_field(record, name, kind, &bad);
    if (bad) {
        static const char *const kinds[] = {"a string", "an int", "a long"};
        *error = xasprintf("%s schema: %s is not %s", what, name, kinds[kind]);
        return false;
    }
    return true;
}

/* The value of field `name` of a record value, through a union's branch;
 * false when absent or null. */
static bool iceberg_manifest_value(avro_value_t *record, const char *name, avro_value_t *out) {
    avro_value_t field;
    if (avro_value_get_by_name(record, name, &field, NULL) != 0)
        return false;
    if (avro_value_get_type(&field) == AVRO_UNION) {
        if (avro_value_get_current_branch(&field, out) != 0)
            return false;
    } else {
        *out = field;
    }
    return avro_value_get_type(out) != AVRO_NULL;
}

static bool iceberg_manifest_long(avro_value_t *record, const char *name, int64_t *out) {
    avro_value_t v;
    if (!iceberg_manifest_value(record, name, &v))
        return false;
    if (avro_value_get_type(&v) == AVRO_INT32) {
        int32_t i;
        if (avro_value_get_int(&v, &i) != 0)
            return false;
        *out = i;
        return true;
    }
    return avro_value_get_type(&v) == AVRO_INT64 && avro_value_get_long(&v, out) == 0;
}

/* A string value (malloc'd); NULL when absent, null or holding a NUL. */
static char *iceberg_manifest_string(avro_value_t *record, const char *name) {
    avro_value_t v;
    const char *s;
    size_t size;
    if (!iceberg_manifest_value(record, name, &v) || avro_value_get_type(&v) != AVRO_STRING ||
        avro_value_get_string(&v, &s, &size) != 0 || !s || size == 0 || strlen(s) != size - 1)
        return NULL;
    return xstrdup(s);
}

/* An open file: libavro's reader over the checked bytes and one value to
 * read every record into. */
typedef struct iceberg_manifest_reader {
    iceberg_avro_file file;
    FILE *fp;
    avro_file_reader_t reader;
    avro_value_iface_t *iface;
    avro_value_t value;
    bool have_value;
} iceberg_manifest_reader;

static void iceberg_manifest_close(iceberg_manifest_reader *r) {
    if (r->have_value)
        avro_value_decref(&r->value);
    if (r->iface)
        avro_value_iface_decref(r->iface);
    if (r->reader)
        avro_file_reader_close(r->reader); /* closes fp */
    else if (r->fp)
        fclose(r->fp);
    if (r->file.schema)
        avro_schema_decref(r->file.schema);
    memset(r, 0, sizeof *r);
}

/* Opens `data` for reading (when it has records). `what` names the file
 * in errors ("manifest list"). */
static bool iceberg_manifest_open(const char *data, size_t length, const char *what,
                                  iceberg_manifest_reader *r, char **error) {
    char *why = NULL;
    memset(r, 0, sizeof *r);
    if (!iceberg_avro_check(data, length, &r->file, &why)) {
        *error = xasprintf("%s: %s", what, why);
        free(why);
        return false;
    }
    if (!is_avro_record(r->file.schema)) {
        *error = xasprintf("%s schema is not a record", what);
        iceberg_manifest_close(r);
        return false;
    }
    return true;
}

/* After the fields were checked: libavro's reader, when there is a record. */
static bool iceberg_manifest_start(iceberg_manifest_reader *r, const char *data, size_t length,
                                   const char *what, char **error) {
    if (r->file.records == 0)
        return true; /* no block: libavro cannot open such a file, nothing to read */
    r->fp = fmemopen((void *)data, length, "rb");
    if (!r->fp || avro_file_reader_fp(r->fp, what, 1, &r->reader) != 0) {
        *error = xasprintf("%s: libavro cannot open it (%s)", what, avro_strerror());
        r->fp = NULL; /* avro_file_reader_fp closes it when it fails (should_close) */
        r->reader = NULL;
        return false;
    }
    r->fp = NULL; /* the reader's now */
    /* The values follow the schema the check parsed (the same text as the
     * reader's): a class made from the reader's own schema leaks that
     * schema in libavro 1.11.1. */
    r->iface = avro_generic_class_from_schema(r->file.schema);
    if (!r->iface || avro_generic_value_new(r->iface, &r->value) != 0) {
        *error = xasprintf("%s: libavro cannot read its schema (%s)", what, avro_strerror());
        return false;
    }
    r->have_value = true;
    return true;
}

static bool iceberg_manifest_next(iceberg_manifest_reader *r, int64_t index, const char *what,
                                  char **error) {
    if (avro_file_reader_read_value(r->reader, &r->value) != 0) {
        *error = xasprintf("%s: record %lld does not read (%s)", what, (long long)index + 1,
                           avro_strerror());
        return false;
    }
    return true;
}

static pthread_mutex_t iceberg_manifest_lock = PTHREAD_MUTEX_INITIALIZER;

static bool iceberg_manifest_list_locked(const char *data, size_t length,
                                         iceberg_manifest_ref **refs, size_t *n, char **error) {
    static const char what[] = "manifest list";
    iceberg_manifest_reader r;
    bool has_content, has_snapshot;
    *refs = NULL;
    *n = 0;
    *error = NULL;
    if (!iceberg_manifest_open(data, length, what, &r, error))
        return false;
    avro_schema_t s = r.file.schema;
    if (!iceberg_manifest_require(s, what, "manifest_path", ICEBERG_MANIFEST_STRING, error) ||
        !iceberg_manifest_require(s, what, "manifest_length", ICEBERG_MANIFEST_LONG, error) ||
        !iceberg_manifest_allow(s, what, "content", ICEBERG_MANIFEST_INT, &has_content, error) ||
        !iceberg_manifest_allow(s, what, "added_snapshot_id", ICEBERG_MANIFEST_LONG, &has_snapshot,
                                error) ||
        !iceberg_manifest_start(&r, data, length, what, error)) {
        iceberg_manifest_close(&r);
        return false;
    }
    iceberg_manifest_ref *out = xcalloc(r.file.records ? (size_t)r.file.records : 1, sizeof *out);
    size_t count = 0;
    for (int64_t i = 0; i < r.file.records; i++) {
        if (!iceberg_manifest_next(&r, i, what, error))
            break;
        iceberg_manifest_ref *m = &out[count];
        int64_t content = 0;
        m->path = iceberg_manifest_string(&r.value, "manifest_path");
        if (!m->path || !iceberg_manifest_long(&r.value, "manifest_length", &m->length)) {
            *error = xasprintf("%s: entry %lld has no %s", what, (long long)i + 1,
                               m->path ? "manifest_length" : "manifest_path");
            free(m->path);
            break;
        }
        count++;
        if (has_content)
            iceberg_manifest_long(&r.value, "content", &content);
        if (content != 0 && content != 1) {
            *error = xasprintf("%s: entry %lld has content %lld (0 data, 1 deletes)", what,
                               (long long)i + 1, (long long)content);
            break;
        }
        m->content = (int)content;
        m->added_snapshot_id = -1;
        if (has_snapshot)
            iceberg_manifest_long(&r.value, "added_snapshot_id", &m->added_snapshot_id);
    }
    iceberg_manifest_close(&r);
    if (*error) {
        iceberg_manifest_refs_free(out, count);
        return false;
    }
    *refs = out;
    *n = count;
    return true;
}

static bool iceberg_manifest_read_locked(const char *data, size_t length, iceberg_file **files,
                                         size_t *n, char **error) {
    static const char what[] = "manifest";
    iceberg_manifest_reader r;
    bool has_content;
    *files = NULL;
    *n = 0;
    *error = NULL;
    if (!iceberg_manifest_open(data, length, what, &r, error))
        return false;
    avro_schema_t s = r.file.schema;
    avro_schema_t df = iceberg_manifest_schema_field(s, "data_file");
    if (!iceberg_manifest_require(s, what, "status", ICEBERG_MANIFEST_INT, error)) {
        iceberg_manifest_close(&r);
        return false;
    }
    if (!is_avro_record(df)) {
        *error = xasprintf(
            df ? "%s schema: data_file is not a record" : "%s schema lacks data_file", what);
        iceberg_manifest_close(&r);
        return false;
    }
    if (!iceberg_manifest_require(df, what, "file_path", ICEBERG_MANIFEST_STRING, error) ||
        !iceberg_manifest_require(df, what, "file_size_in_bytes", ICEBERG_MANIFEST_LONG, error) ||
        !iceberg_manifest_require(df, what, "record_count", ICEBERG_MANIFEST_LONG, error) ||
        !iceberg_manifest_allow(df, what, "content", ICEBERG_MANIFEST_INT, &has_content, error) ||
        !iceberg_manifest_start(&r, data, length, what, error)) {
        iceberg_manifest_close(&r);
        return false;
    }
    iceberg_file *out = xcalloc(r.file.records ? (size_t)r.file.records : 1, sizeof *out);
    size_t count = 0;
    for (int64_t i = 0; i < r.file.records; i++) {
        avro_value_t data_file;
        int64_t status, content = 0;
        if (!iceberg_manifest_next(&r, i, what, error))
            break;
        if (!iceberg_manifest_long(&r.value, "status", &status) || status < 0 || status > 2) {
            *error = xasprintf("%s: entry %lld has no status 0, 1 or 2", what, (long long)i + 1);
            break;
        }
        if (avro_value_get_by_name(&r.value, "data_file", &data_file, NULL) != 0) {
            *error = xasprintf("%s: entry %lld has no data_file", what, (long long)i + 1);
            break;
        }
        iceberg_file *f = &out[count];
        f->path = iceberg_manifest_string(&data_file, "file_path");
        if (!f->path || !iceberg_manifest_long(&data_file, "file_size_in_bytes", &f->size) ||
            !iceberg_manifest_long(&data_file, "record_count", &f->records)) {
            *error = xasprintf("%s: entry %lld has no %s", what, (long long)i + 1,
                               !f->path ? "data_file.file_path"
                                        : "data_file.file_size_in_bytes or record_count");
            free(f->path);
            break;
        }
        count++;
        if (has_content)
            iceberg_manifest_long(&data_file, "content", &content);
        if (content < 0 || content > 2) {
            *error = xasprintf("%s: entry %lld has content %lld (0 data, 1 position deletes, 2 "
                               "equality deletes)",
                               what, (long long)i + 1, (long long)content);
            break;
        }
        f->status = (int)status;
        f->content = (int)content;
    }
    iceberg_manifest_close(&r);
    if (*error) {
        iceberg_files_free(out, count);
        return false;
    }
    *files = out;
    *n = count;
    return true;
}

bool iceberg_manifest_list_read(const char *data, size_t length, iceberg_manifest_ref **refs,
                                size_t *n, char **error) {
    pthread_mutex_lock(&iceberg_manifest_lock);
    bool ok = iceberg_manifest_list_locked(data, length, refs, n, error);
    pthread_mutex_unlock(&iceberg_manifest_lock);
    return ok;
}

bool iceberg_manifest_read(const char *data, size_t length, iceberg_file **files, size_t *n,
                           char **error) {
    pthread_mutex_lock(&iceberg_manifest_lock);
    bool ok = iceberg_manifest_read_locked(data, length, files, n, error);
    pthread_mutex_unlock(&iceberg_manifest_lock);
    return ok;
}

void iceberg_manifest_refs_free(iceberg_manifest_ref *refs, size_t n) {
    for (size_t i = 0; i < n; i++)
        free(refs[i].path);
    free(refs);
}

void iceberg_files_free(iceberg_file *files, size_t n) {
    for (size_t i = 0; i < n; i++)
        free(files[i].path);
    free(files);
}
