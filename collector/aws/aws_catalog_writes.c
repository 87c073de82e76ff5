/* aws_catalog_writes.c: restores: the catalog written back through Glue
 * (CreateDatabase, CreateTable or UpdateTable, BatchCreatePartition), from
 * the shapes Glue's reads give. */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "collector/aws/aws_internal.h"
#include "collector/glue_json.h"
#include "common/xalloc.h"

/* A Glue *Input from a read shape: the writable fields only, times as the
 * epoch seconds Glue's JSON protocol wants. */
static json_object *aws_input_of(json_object *from, const char *const *fields, size_t n_fields) {
    static const char *const times[] = {"LastAccessTime", "LastAnalyzedTime"};
    json_object *in = json_object_new_object();
    for (size_t i = 0; i < n_fields; i++) {
        json_object *v;
        if (!json_object_object_get_ex(from, fields[i], &v))
            continue;
        bool is_time = false;
        for (size_t k = 0; k < 2; k++)
            is_time = is_time || strcmp(fields[i], times[k]) == 0;
        if (is_time) {
            int64_t t = glue_json_time(v);
            if (t >= 0)
                json_object_object_add(in, fields[i], json_object_new_int64(t));
        } else {
            json_object_object_add(in, fields[i], json_object_get(v));
        }
    }
    return in;
}

static bool aws_catalog_writes_create_database(lake_source *self, json_object *database,
                                               char **error) {
    static const char *const fields[] = {"Name",
                                         "Description",
                                         "LocationUri",
                                         "Parameters",
                                         "CreateTableDefaultPermissions",
                                         "TargetDatabase"};
    aws_source *src = aws_source_ready(self, error);
    if (!src)
        return false;
    json_object *in = json_object_new_object();
    json_object_object_add(in, "DatabaseInput",
                           aws_input_of(database, fields, sizeof fields / sizeof fields[0]));
    bool ok = aws_request_glue_one(src, "CreateDatabase", in, NULL, error);
    json_object_put(in);
    return ok;
}

static bool aws_catalog_writes_put_table(lake_source *self, const char *database,
                                         json_object *table, bool replace, char **error) {
    static const char *const fields[] = {
        "Name",      "Description",       "Owner",         "LastAccessTime",   "LastAnalyzedTime",
        "Retention", "StorageDescriptor", "PartitionKeys", "ViewOriginalText", "ViewExpandedText",
        "TableType", "Parameters",        "TargetTable"};
    aws_source *src = aws_source_ready(self, error);
    if (!src)
        return false;
    json_object *in = json_object_new_object();
    json_object_object_add(in, "DatabaseName", json_object_new_string(database));
    json_object_object_add(in, "TableInput",
                           aws_input_of(table, fields, sizeof fields / sizeof fields[0]));
    bool ok = aws_request_glue_one(src, replace ? "UpdateTable" : "CreateTable", in, NULL, error);
    json_object_put(in);
    return ok;
}

#define AWS_PARTITIONS_PER_BATCH 100 /* BatchCreatePartition's limit */

static bool aws_catalog_writes_add_partitions(lake_source *self, const char *database,
                                              const char *table, json_object *partitions,
                                              char **error) {
    static const char *const fields[] = {"Values", "LastAccessTime", "StorageDescriptor",
                                         "Parameters", "LastAnalyzedTime"};
    aws_source *src = aws_source_ready(self, error);
    if (!src)
        return false;
    size_t n = json_object_array_length(partitions);
    for (size_t start = 0; start < n; start += AWS_PARTITIONS_PER_BATCH) {
        json_object *in = json_object_new_object(), *list = json_object_new_array();
        json_object_object_add(in, "DatabaseName", json_object_new_string(database));
        json_object_object_add(in, "TableName", json_object_new_string(table));
        for (size_t i = start; i < n && i < start + AWS_PARTITIONS_PER_BATCH; i++)
            json_object_array_add(list, aws_input_of(json_object_array_get_idx(partitions, i),
                                                     fields, sizeof fields / sizeof fields[0]));
        json_object_object_add(in, "PartitionInputList", list);
        json_object *out = NULL;
        bool ok = aws_request_glue_one(src, "BatchCreatePartition", in, &out, error);
        json_object_put(in);
        json_object *errors;
        if (ok && json_object_object_get_ex(out, "Errors", &errors) &&
            json_object_array_length(errors) > 0) {
            json_object *detail, *message;
            json_object *first = json_object_array_get_idx(errors, 0);
            const char *why = json_object_object_get_ex(first, "ErrorDetail", &detail) &&
                                      json_object_object_get_ex(detail, "ErrorMessage", &message)
                                  ? json_object_get_string(message)
                                  : "refused";
            *error = xasprintf("Glue BatchCreatePartition %s.%s: %zu partition(s) refused: %s",
                               database, table, json_object_array_length(errors), why);
            ok = false;
        }
        json_object_put(out);
        if (!ok)
            return false;
    }
    return true;
}

const source_catalog_writes aws_catalog_writes = {
    .create_database = aws_catalog_writes_create_database,
    .put_table = aws_catalog_writes_put_table,
    .add_partitions = aws_catalog_writes_add_partitions};
