/* glue_json.c: Glue Database and Table JSON objects to snapshot records. */
#include "collector/glue_json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/fmt.h"
#include "common/fs.h"
#include "common/xalloc.h"

static json_object *glue_json_get(json_object *object, const char *key) {
    json_object *value = NULL;
    if (!object || !json_object_is_type(object, json_type_object))
        return NULL;
    if (!json_object_object_get_ex(object, key, &value))
        return NULL;
    return value;
}

const char *glue_json_string(json_object *object, const char *key) {
    json_object *value = glue_json_get(object, key);
    return value && json_object_is_type(value, json_type_string) ? json_object_get_string(value)
                                                                 : NULL;
}

json_object *glue_json_array(json_object *object, const char *key) {
    json_object *value = glue_json_get(object, key);
    return value && json_object_is_type(value, json_type_array) ? value : NULL;
}

static char *glue_json_strdup_or_null(json_object *object, const char *key) {
    const char *s = glue_json_string(object, key);
    return s ? xstrdup(s) : NULL;
}

int64_t glue_json_time(json_object *value) {
    if (!value)
        return -1;
    if (json_object_is_type(value, json_type_int))
        return json_object_get_int64(value);
    if (json_object_is_type(value, json_type_double))
        return (int64_t)floor(json_object_get_double(value));
    if (json_object_is_type(value, json_type_string)) {
        int64_t t;
        if (fmt_parse_iso8601(json_object_get_string(value), &t))
            return t;
    }
    return -1;
}

static void glue_json_columns(json_object *array, table_column **out, size_t *n) {
    *out = NULL;
    *n = 0;
    if (!array || !json_object_is_type(array, json_type_array))
        return;
    size_t len = json_object_array_length(array);
    *out = xcalloc(len ? len : 1, sizeof **out);
    for (size_t i = 0; i < len; i++) {
        json_object *col = json_object_array_get_idx(array, i);
        const char *name = glue_json_string(col, "Name");
        if (!name)
            continue;
        table_column *c = &(*out)[(*n)++];
        c->name = xstrdup(name);
        const char *type = glue_json_string(col, "Type");
        c->type = xstrdup(type ? type : "");
        c->comment = glue_json_strdup_or_null(col, "Comment");
    }
}

void glue_json_table_columns(json_object *table, table_column **out, size_t *n) {
    glue_json_columns(glue_json_get(glue_json_get(table, "StorageDescriptor"), "Columns"), out, n);
}

static bool glue_json_contains(const char *haystack, const char *needle) {
    return haystack && strstr(haystack, needle) != NULL;
}

/* The table's format: Parameters.classification, else guessed from the
 * InputFormat / SerDe library, else "unknown". */
static char *glue_json_format(json_object *table_object) {
    json_object *params = glue_json_get(table_object, "Parameters");
    const char *classification = glue_json_string(params, "classification");
    if (classification && *classification)
        return xstrdup(classification);
    json_object *sd = glue_json_get(table_object, "StorageDescriptor");
    const char *input = glue_json_string(sd, "InputFormat");
    const char *serde = glue_json_string(glue_json_get(sd, "SerdeInfo"), "SerializationLibrary");
    static const struct {
        const char *needle, *format;
    } guesses[] = {
        {"parquet", "parquet"},
        {"Parquet", "parquet"},
        {"orc", "orc"},
        {"Orc", "orc"},
        {"avro", "avro"},
        {"Avro", "avro"},
        {"JsonSerDe", "json"},
        {"json", "json"},
        {"OpenCSVSerde", "csv"},
        {"LazySimpleSerDe", "csv"},
        {"TextInputFormat", "csv"},
    };
    for (size_t i = 0; i < sizeof guesses / sizeof guesses[0]; i++)
        if (glue_json_contains(input, guesses[i].needle) ||
            glue_json_contains(serde, guesses[i].needle))
            return xstrdup(guesses[i].format);
    return xstrdup("unknown");
}

bool glue_json_table(json_object *object, const char *default_database, table_stats *t,
                     char **error) {
    if (!object || !json_object_is_type(object, json_type_object)) {
        *error = xstrdup("not a JSON object");
        return false;
    }
    const char *name = glue_json_string(object, "Name");
    if (!name || !*name) {
        *error = xstrdup("missing \"Name\"");
        return false;
    }
    const char *database = glue_json_string(object, "DatabaseName");
    if (!database)
        database = default_database;
    t->name = xstrdup(name);
    t->database = xstrdup(database ? database : "");
    const char *type = glue_json_string(object, "TableType");
    t->table_type = xstrdup(type ? type : "");
    t->description = glue_json_strdup_or_null(object, "Description");
    t->create_time = glue_json_time(glue_json_get(object, "CreateTime"));
    t->update_time = glue_json_time(glue_json_get(object, "UpdateTime"));
    t->owner = glue_json_strdup_or_null(object, "Owner");
    t->created_by = glue_json_strdup_or_null(object, "CreatedBy");
    t->last_access_time = glue_json_time(glue_json_get(object, "LastAccessTime"));
    json_object *v = glue_json_get(object, "Retention");
    t->retention = v && json_object_is_type(v, json_type_int) ? json_object_get_int64(v) : -1;
    v = glue_json_get(object, "IsRegisteredWithLakeFormation");
    t->lake_formation =
        v && json_object_is_type(v, json_type_boolean) ? json_object_get_boolean(v) : -1;
    json_object *sd = glue_json_get(object, "StorageDescriptor");
    const char *location = glue_json_string(sd, "Location");
    t->location = xstrdup(location ? location : "");
    t->format = glue_json_format(object);
    glue_json_columns(glue_json_get(sd, "Columns"), &t->columns, &t->n_columns);
    glue_json_columns(glue_json_get(object, "PartitionKeys"), &t->partition_keys,
                      &t->n_partition_keys);
    json_object *params = glue_json_get(object, "Parameters");
    if (params && json_object_is_type(params, json_type_object)) {
        size_t n = (size_t)json_object_object_length(params);
        t->parameters = xcalloc(n ? n : 1, sizeof *t->parameters);
        json_object_object_foreach(params, key, value) {
            table_param *p = &t->parameters[t->n_parameters++];
            p->key = xstrdup(key);
            p->value = xstrdup(json_object_is_type(value, json_type_string)
                                   ? json_object_get_string(value)
                                   : json_object_to_json_string(value));
        }
    }
    return true;
}

bool glue_json_database(json_object *object, database_stats *d, char **error) {
    if (!object || !json_object_is_type(object, json_type_object)) {
        *error = xstrdup("not a JSON object");
        return false;
    }
    const char *name = glue_json_string(object, "Name");
    if (!name || !*name) {
        *error = xstrdup("missing \"Name\"");
        return false;
    }
    free(d->name);
    d->name = xstrdup(name);
    d->description = glue_json_strdup_or_null(object, "Description");
    d->location = glue_json_strdup_or_null(object, "LocationUri");
    d->create_time = glue_json_time(glue_json_get(object, "CreateTime"));
    return true;
}

json_object *glue_json_dump_new(json_object **databases, json_object **tables,
                                json_object **partitions) {
    json_object *root = json_object_new_object();
    *databases = json_object_new_array();
    *tables = json_object_new_object();
    *partitions = json_object_new_object();
    json_object_object_add(root, "databases", *databases);
    json_object_object_add(root, "tables", *tables);
    json_object_object_add(root, "partitions", *partitions);
    return root;
}

char *glue_json_pretty(json_object *object) {
    return xasprintf("%s\n", json_object_to_json_string_ext(
                                 object, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                             JSON_C_TO_STRING_NOSLASHESCAPE));
}

bool glue_json_write_file(const char *path, json_object *object, char **error) {
    char *text = glue_json_pretty(object);
    bool ok = fs_write_atomic(path, text, strlen(text), error);
    free(text);
    return ok;
}
