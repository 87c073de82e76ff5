/* iceberg_metadata.c: an Iceberg table metadata file (format versions 1 and
 * 2) read with json-c: the snapshots with their summaries, the default
 * partition spec written out, the current schema's top-level columns. */
#include "collector/formats/iceberg.h"

#include <ctype.h>
#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "common/xalloc.h"

/* Deeper nesting than this is not a table's metadata. */
#define ICEBERG_METADATA_JSON_DEPTH 64
/* Nested types are written out to this depth and this length, beyond
 * which they are just "struct", "list" or "map". */
#define ICEBERG_METADATA_TYPE_DEPTH 8
#define ICEBERG_METADATA_TYPE_LENGTH 400

static json_object *iceberg_metadata_get(json_object *object, const char *key) {
    json_object *value = NULL;
    if (!object || !json_object_is_type(object, json_type_object))
        return NULL;
    if (!json_object_object_get_ex(object, key, &value))
        return NULL;
    return value; /* NULL for a JSON null too */
}

static const char *iceberg_metadata_string(json_object *object, const char *key) {
    json_object *value = iceberg_metadata_get(object, key);
    return value && json_object_is_type(value, json_type_string) ? json_object_get_string(value)
                                                                 : NULL;
}

/* A JSON integer, or a number with no fraction. */
static bool iceberg_metadata_number(json_object *value, int64_t *out) {
    if (json_object_is_type(value, json_type_int)) {
        *out = json_object_get_int64(value);
        return true;
    }
    if (json_object_is_type(value, json_type_double)) {
        double d = json_object_get_double(value);
        if (!isfinite(d) || d != floor(d) || d < -9.2e18 || d > 9.2e18)
            return false;
        *out = (int64_t)d;
        return true;
    }
    return false;
}

/* A summary figure: a string of decimal digits as the spec writes them,
 * or a number. */
static bool iceberg_metadata_figure(json_object *value, int64_t *out) {
    if (json_object_is_type(value, json_type_string)) {
        const char *s = json_object_get_string(value);
        if (*s < '0' || *s > '9')
            return false;
        char *end;
        errno = 0;
        long long v = strtoll(s, &end, 10);
        if (errno || *end)
            return false;
        *out = v;
        return true;
    }
    return iceberg_metadata_number(value, out) && *out >= 0;
}

/* The parse in progress: the error is set once, by the first failure. */
typedef struct iceberg_metadata_parser {
    char *error;
} iceberg_metadata_parser;

__attribute__((format(printf, 2, 3))) static bool iceberg_metadata_fail(iceberg_metadata_parser *p,
                                                                        const char *fmt, ...) {
    if (!p->error) {
        va_list ap;
        va_start(ap, fmt);
        char *what = xvasprintf(fmt, ap);
        va_end(ap);
        p->error = xasprintf("not an Iceberg metadata file: %s", what);
        free(what);
    }
    return false;
}

/* A required integer field of `object` (named `where` in errors). */
static bool iceberg_metadata_required(iceberg_metadata_parser *p, json_object *object,
                                      const char *key, const char *where, int64_t *out) {
    json_object *value = iceberg_metadata_get(object, key);
    if (!value)
        return iceberg_metadata_fail(p, "%sno %s", where, key);
    if (!iceberg_metadata_number(value, out))
        return iceberg_metadata_fail(p, "%s%s is not an integer", where, key);
    return true;
}

/* An optional integer field: `absent` when missing or null. */
static bool iceberg_metadata_optional(iceberg_metadata_parser *p, json_object *object,
                                      const char *key, const char *where, int64_t absent,
                                      int64_t *out) {
    json_object *value = iceberg_metadata_get(object, key);
    *out = absent;
    if (!value)
        return true;
    if (!iceberg_metadata_number(value, out))
        return iceberg_metadata_fail(p, "%s%s is not an integer", where, key);
    return true;
}

static bool iceberg_metadata_summary(iceberg_metadata_parser *p, json_object *summary,
                                     iceberg_snapshot *s, const char *where) {
    static const struct {
        const char *key;
        size_t offset;
    } figures[] = {
        {"total-data-files", offsetof(iceberg_snapshot, total_data_files)},
        {"total-files-size", offsetof(iceberg_snapshot, total_files_size)},
        {"total-records", offsetof(iceberg_snapshot, total_records)},
        {"total-delete-files", offsetof(iceberg_snapshot, total_delete_files)},
        {"added-data-files", offsetof(iceberg_snapshot, added_data_files)},
        {"deleted-data-files", offsetof(iceberg_snapshot, deleted_data_files)},
        {"added-records", offsetof(iceberg_snapshot, added_records)},
        {"deleted-records", offsetof(iceberg_snapshot, deleted_records)},
    };
    for (size_t i = 0; i < sizeof figures / sizeof figures[0]; i++)
        *(int64_t *)((char *)s + figures[i].offset) = -1;
    if (!summary)
        return true;
    if (!json_object_is_type(summary, json_type_object))
        return iceberg_metadata_fail(p, "%ssummary is not an object", where);
    const char *operation = iceberg_metadata_string(summary, "operation");
    if (operation)
        s->operation = xstrdup(operation);
    for (size_t i = 0; i < sizeof figures / sizeof figures[0]; i++) {
        json_object *value = iceberg_metadata_get(summary, figures[i].key);
        if (value && !iceberg_metadata_figure(value, (int64_t *)((char *)s + figures[i].offset)))
            return iceberg_metadata_fail(p, "%ssummary %s is not a count", where, figures[i].key);
    }
    /* Iceberg's writers always put the totals in a summary but the changes
     * only when they are not zero (an append has no deleted-data-files):
     * beside the totals, a change that is absent is 0, not unknown */
    if (s->total_data_files >= 0)
        for (size_t i = 3; i < sizeof figures / sizeof figures[0]; i++) {
            int64_t *figure = (int64_t *)((char *)s + figures[i].offset);
            if (*figure < 0)
                *figure = 0;
        }
    return true;
}

static bool iceberg_metadata_snapshot(iceberg_metadata_parser *p, json_object *object, size_t i,
                                      iceberg_snapshot *s) {
    char where[48];
    snprintf(where, sizeof where, "snapshots[%zu] ", i);
    s->parent_id = -1;
    if (!json_object_is_type(object, json_type_object))
        return iceberg_metadata_fail(p, "%sis not an object", where);
    if (!iceberg_metadata_required(p, object, "snapshot-id", where, &s->id) ||
        !iceberg_metadata_required(p, object, "timestamp-ms", where, &s->timestamp_ms) ||
        !iceberg_metadata_optional(p, object, "parent-snapshot-id", where, -1, &s->parent_id) ||
        !iceberg_metadata_optional(p, object, "sequence-number", where, 0, &s->sequence_number))
        return false;
    json_object *list = iceberg_metadata_get(object, "manifest-list");
    json_object *manifests = iceberg_metadata_get(object, "manifests");
    if (list) {
        if (!json_object_is_type(list, json_type_string))
            return iceberg_metadata_fail(p, "%smanifest-list is not a string", where);
        s->manifest_list = xstrdup(json_object_get_string(list));
    } else if (manifests) {
        if (!json_object_is_type(manifests, json_type_array))
            return iceberg_metadata_fail(p, "%smanifests is not an array", where);
        size_t n = json_object_array_length(manifests);
        s->manifests = xcalloc(n ? n : 1, sizeof *s->manifests);
        for (size_t k = 0; k < n; k++) {
            json_object *m = json_object_array_get_idx(manifests, k);
            if (!m || !json_object_is_type(m, json_type_string))
                return iceberg_metadata_fail(p, "%smanifests[%zu] is not a string", where, k);
            s->manifests[s->n_manifests++] = xstrdup(json_object_get_string(m));
        }
    } else {
        return iceberg_metadata_fail(p, "%shas no manifest-list (nor manifests)", where);
    }
    return iceberg_metadata_summary(p, iceberg_metadata_get(object, "summary"), s, where);
}

/* The entry of `array` whose `key` is `id`; NULL when none. */
static json_object *iceberg_metadata_find(json_object *array, const char *key, int64_t id) {
    size_t n = json_object_array_length(array);
    for (size_t i = 0; i < n; i++) {
        json_object *entry = json_object_array_get_idx(array, i);
        int64_t v;
        json_object *value = iceberg_metadata_get(entry, key);
        if (value && iceberg_metadata_number(value, &v) && v == id)
            return entry;
    }
    return NULL;
}

/* The current schema: schemas[current-schema-id] (v2), else schema (v1). */
static json_object *iceberg_metadata_schema(iceberg_metadata_parser *p, json_object *root) {
    json_object *schemas = iceberg_metadata_get(root, "schemas");
    json_object *current = iceberg_metadata_get(root, "current-schema-id");
    if (schemas && current) {
        int64_t id;
        if (!json_object_is_type(schemas, json_type_array))
            return iceberg_metadata_fail(p, "schemas is not an array"), NULL;
        if (!iceberg_metadata_number(current, &id))
            return iceberg_metadata_fail(p, "current-schema-id is not an integer"), NULL;
        json_object *schema = iceberg_metadata_find(schemas, "schema-id", id);
        if (!schema)
            iceberg_metadata_fail(p, "current-schema-id %lld is not among schemas", (long long)id);
        return schema;
    }
    json_object *schema = iceberg_metadata_get(root, "schema");
    if (!schema)
        iceberg_metadata_fail(p, "no schema (nor schemas and current-schema-id)");
    return schema;
}

static void iceberg_metadata_type(json_object *type, int depth, strbuf *out);

static void iceberg_metadata_struct_type(json_object *fields, int depth, strbuf *out) {
    strbuf_puts(out, "struct<");
    size_t n = json_object_is_type(fields, json_type_array) ? json_object_array_length(fields) : 0;
    for (size_t i = 0; i < n; i++) {
        json_object *field = json_object_array_get_idx(fields, i);
        const char *name = iceberg_metadata_string(field, "name");
        if (i)
            strbuf_puts(out, ", ");
        strbuf_puts(out, name ? name : "?");
        strbuf_puts(out, ": ");
        iceberg_metadata_type(iceberg_metadata_get(field, "type"), depth + 1, out);
    }
    strbuf_putc(out, '>');
}

/* A type written out: a primitive as it is ("long", "decimal(10, 2)"),
 * "struct<x: double>", "list<string>", "map<string, long>". */
static void iceberg_metadata_type(json_object *type, int depth, strbuf *out) {
    if (type && json_object_is_type(type, json_type_string)) {
        strbuf_puts(out, json_object_get_string(type));
        return;
    }
    const char *kind = iceberg_metadata_string(type, "type");
    if (!kind) {
        strbuf_putc(out, '?');
        return;
    }
    if (depth >= ICEBERG_METADATA_TYPE_DEPTH) {
        strbuf_puts(out, kind);
        return;
    }
    if (strcmp(kind, "struct") == 0) {
        iceberg_metadata_struct_type(iceberg_metadata_get(type, "fields"), depth, out);
    } else if (strcmp(kind, "list") == 0) {
        strbuf_puts(out, "list<");
        iceberg_metadata_type(iceberg_metadata_get(type, "element"), depth + 1, out);
        strbuf_putc(out, '>');
    } else if (strcmp(kind, "map") == 0) {
        strbuf_puts(out, "map<");
        iceberg_metadata_type(iceberg_metadata_get(type, "key"), depth + 1, out);
        strbuf_puts(out, ", ");
        iceberg_metadata_type(iceberg_metadata_get(type, "value"), depth + 1, out);
        strbuf_putc(out, '>');
    } else {
        strbuf_puts(out, kind);
    }
}

static char *iceberg_metadata_type_text(json_object *type) {
    strbuf out = {0};
    iceberg_metadata_type(type, 0, &out);
    if (out.length > ICEBERG_METADATA_TYPE_LENGTH) {
        strbuf_free(&out);
        const char *kind = iceberg_metadata_string(type, "type");
        return xstrdup(kind ? kind : "?");
    }
    return strbuf_take(&out);
}

static bool iceberg_metadata_columns(iceberg_metadata_parser *p, json_object *schema,
                                     iceberg_metadata *out) {
    json_object *fields = iceberg_metadata_get(schema, "fields");
    if (!fields || !json_object_is_type(fields, json_type_array))
        return iceberg_metadata_fail(p, "the current schema has no fields");
    size_t n = json_object_array_length(fields);
    out->columns = xcalloc(n ? n : 1, sizeof *out->columns);
    for (size_t i = 0; i < n; i++) {
        json_object *field = json_object_array_get_idx(fields, i);
        const char *name = iceberg_metadata_string(field, "name");
        json_object *type = iceberg_metadata_get(field, "type");
        if (!name)
            return iceberg_metadata_fail(p, "schema field %zu has no name", i);
        if (!type || !(json_object_is_type(type, json_type_string) ||
                       json_object_is_type(type, json_type_object)))
            return iceberg_metadata_fail(p, "schema field %s has no type", name);
        table_column *c = &out->columns[out->n_columns++];
        c->name = xstrdup(name);
        c->type = iceberg_metadata_type_text(type);
        const char *doc = iceberg_metadata_string(field, "doc");
        c->comment = doc ? xstrdup(doc) : NULL;
    }
    return true;
}

/* The name of field `id` in `fields` (nested ones as "point.x"), into
 * `out`; false when no field has it. */
static bool iceberg_metadata_field_name(json_object *fields, int64_t id, int depth, strbuf *out) {
    if (!fields || !json_object_is_type(fields, json_type_array) ||
        depth >= ICEBERG_METADATA_TYPE_DEPTH)
        return false;
    size_t n = json_object_array_length(fields);
    for (size_t i = 0; i < n; i++) {
        json_object *field = json_object_array_get_idx(fields, i);
        const char *name = iceberg_metadata_string(field, "name");
        json_object *value = iceberg_metadata_get(field, "id");
        int64_t field_id;
        if (!name)
            continue;
        if (value && iceberg_metadata_number(value, &field_id) && field_id == id) {
            strbuf_puts(out, name);
            return true;
        }
        json_object *type = iceberg_metadata_get(field, "type");
        const char *kind = iceberg_metadata_string(type, "type");
        if (kind && strcmp(kind, "struct") == 0) {
            size_t mark = out->length;
            strbuf_puts(out, name);
            strbuf_putc(out, '.');
            if (iceberg_metadata_field_name(iceberg_metadata_get(type, "fields"), id, depth + 1,
                                            out))
                return true;
            out->length = mark;
            out->data[mark] = '\0';
        }
    }
    return false;
}

/* One partition field written out: "region", "day(ts)", "bucket(16, id)". */
static void iceberg_metadata_partition_field(json_object *field, json_object *schema, strbuf *out) {
    const char *transform = iceberg_metadata_string(field, "transform");
    json_object *source = iceberg_metadata_get(field, "source-id");
    int64_t source_id;
    strbuf column = {0};
    if (!source || !iceberg_metadata_number(source, &source_id) ||
        !iceberg_metadata_field_name(iceberg_metadata_get(schema, "fields"), source_id, 0,
                                     &column)) {
        const char *name = iceberg_metadata_string(field, "name");
        strbuf_puts(&column, name ? name : "?");
    }
    if (!transform || strcmp(transform, "identity") == 0) {
        strbuf_puts(out, column.data);
    } else {
        const char *bracket = strchr(transform, '[');
        size_t len = strlen(transform);
        if (bracket && len > 0 && transform[len - 1] == ']') { /* bucket[16], truncate[4] */
            strbuf_append(out, transform, (size_t)(bracket - transform));
            strbuf_putc(out, '(');
            strbuf_append(out, bracket + 1, (size_t)(transform + len - 1 - (bracket + 1)));
            strbuf_puts(out, ", ");
        } else {
            strbuf_puts(out, transform);
            strbuf_putc(out, '(');
        }
        strbuf_puts(out, column.data);
        strbuf_putc(out, ')');
    }
    strbuf_free(&column);
}

/* The default partition spec's fields: partition-specs[default-spec-id]
 * (v2), else partition-spec (v1); NULL when unpartitioned. */
static json_object *iceberg_metadata_spec_fields(json_object *root) {
    json_object *specs = iceberg_metadata_get(root, "partition-specs");
    if (specs && json_object_is_type(specs, json_type_array)) {
        json_object *value = iceberg_metadata_get(root, "default-spec-id");
        int64_t id = 0;
        json_object *spec = NULL;
        if (value && iceberg_metadata_number(value, &id))
            spec = iceberg_metadata_find(specs, "spec-id", id);
        else if (json_object_array_length(specs) > 0)
            spec = json_object_array_get_idx(specs, json_object_array_length(specs) - 1);
        return iceberg_metadata_get(spec, "fields");
    }
    return iceberg_metadata_get(root, "partition-spec");
}

static char *iceberg_metadata_partition_spec(json_object *root, json_object *schema) {
    json_object *fields = iceberg_metadata_spec_fields(root);
    strbuf out = {0};
    size_t n = fields && json_object_is_type(fields, json_type_array)
                   ? json_object_array_length(fields)
                   : 0;
    for (size_t i = 0; i < n; i++) {
        if (i)
            strbuf_puts(&out, ", ");
        iceberg_metadata_partition_field(json_object_array_get_idx(fields, i), schema, &out);
    }
    return strbuf_take(&out);
}

static bool iceberg_metadata_root(iceberg_metadata_parser *p, json_object *root,
                                  iceberg_metadata *out) {
    int64_t version;
    if (!json_object_is_type(root, json_type_object))
        return iceberg_metadata_fail(p, "not a JSON object");
    if (!iceberg_metadata_required(p, root, "format-version", "", &version))
        return false;
    if (version != 1 && version != 2)
        return iceberg_metadata_fail(p, "format-version %lld (laketop reads 1 and 2)",
                                     (long long)version);
    out->format_version = (int)version;
    const char *location = iceberg_metadata_string(root, "location");
    if (!location)
        return iceberg_metadata_fail(p, "no location");
    out->location = xstrdup(location);
    if (!iceberg_metadata_optional(p, root, "current-snapshot-id", "", -1,
                                   &out->current_snapshot_id) ||
        !iceberg_metadata_optional(p, root, "last-updated-ms", "", -1, &out->last_updated_ms))
        return false;
    json_object *snapshots = iceberg_metadata_get(root, "snapshots");
    if (snapshots) {
        if (!json_object_is_type(snapshots, json_type_array))
            return iceberg_metadata_fail(p, "snapshots is not an array");
        size_t n = json_object_array_length(snapshots);
        out->snapshots = xcalloc(n ? n : 1, sizeof *out->snapshots);
        for (size_t i = 0; i < n; i++) {
            iceberg_snapshot *s = &out->snapshots[out->n_snapshots++];
            if (!iceberg_metadata_snapshot(p, json_object_array_get_idx(snapshots, i), i, s))
                return false;
        }
    }
    if (out->current_snapshot_id != -1 && !iceberg_current_snapshot(out))
        return iceberg_metadata_fail(p, "current-snapshot-id %lld is not among snapshots",
                                     (long long)out->current_snapshot_id);
    json_object *schema = iceberg_metadata_schema(p, root);
    if (!schema || !iceberg_metadata_columns(p, schema, out))
        return false;
    out->partition_spec = iceberg_metadata_partition_spec(root, schema);
    json_object *properties = iceberg_metadata_get(root, "properties");
    const char *file_format = properties && json_object_is_type(properties, json_type_object)
                                  ? iceberg_metadata_string(properties, "write.format.default")
                                  : NULL;
    out->file_format = xstrdup(file_format && *file_format ? file_format : "parquet");
    for (char *c = out->file_format; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    return true;
}

bool iceberg_metadata_parse(const char *text, size_t length, iceberg_metadata *out, char **error) {
    memset(out, 0, sizeof *out);
    out->current_snapshot_id = -1;
    out->last_updated_ms = -1;
    *error = NULL;
    iceberg_metadata_parser p = {0};
    if (length > INT_MAX) {
        iceberg_metadata_fail(&p, "%zu bytes is too large", length);
        *error = p.error;
        return false;
    }
    json_tokener *tok = json_tokener_new_ex(ICEBERG_METADATA_JSON_DEPTH);
    json_object *root = json_tokener_parse_ex(tok, text, (int)length);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    if (!root) {
        if (jerr == json_tokener_continue || jerr == json_tokener_success)
            iceberg_metadata_fail(&p, "the JSON ends early (truncated at %zu bytes)", length);
        else
            iceberg_metadata_fail(&p, "bad JSON at byte %zu (%s)", end,
                                  json_tokener_error_desc(jerr));
    } else {
        while (end < length && text[end] != '\0' && strchr(" \t\r\n", text[end]))
            end++;
        if (end < length)
            iceberg_metadata_fail(&p, "data after the JSON object at byte %zu", end);
        else
            iceberg_metadata_root(&p, root, out);
        json_object_put(root);
    }
    if (p.error) {
        iceberg_metadata_clear(out);
        *error = p.error;
        return false;
    }
    return true;
}

static void iceberg_metadata_snapshot_clear(iceberg_snapshot *s) {
    free(s->manifest_list);
    for (size_t i = 0; i < s->n_manifests; i++)
        free(s->manifests[i]);
    free(s->manifests);
    free(s->operation);
}

void iceberg_metadata_clear(iceberg_metadata *metadata) {
    if (!metadata)
        return;
    free(metadata->location);
    for (size_t i = 0; i < metadata->n_snapshots; i++)
        iceberg_metadata_snapshot_clear(&metadata->snapshots[i]);
    free(metadata->snapshots);
    free(metadata->partition_spec);
    free(metadata->file_format);
    for (size_t i = 0; i < metadata->n_columns; i++) {
        free(metadata->columns[i].name);
        free(metadata->columns[i].type);
        free(metadata->columns[i].comment);
    }
    free(metadata->columns);
    memset(metadata, 0, sizeof *metadata);
    metadata->current_snapshot_id = -1;
    metadata->last_updated_ms = -1;
}

const iceberg_snapshot *iceberg_current_snapshot(const iceberg_metadata *metadata) {
    if (!metadata || metadata->current_snapshot_id == -1)
        return NULL;
    for (size_t i = 0; i < metadata->n_snapshots; i++)
        if (metadata->snapshots[i].id == metadata->current_snapshot_id)
            return &metadata->snapshots[i];
    return NULL;
}
