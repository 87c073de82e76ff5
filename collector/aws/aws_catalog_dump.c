/* aws_catalog_dump.c: the Glue catalog as Glue's own JSON, for backups:
 * every database, its tables and their partitions, page by page
 * (GetDatabases, GetTables, GetPartitions). */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "collector/aws/aws_internal.h"
#include "collector/aws/page_guard.h"
#include "collector/glue_json.h"
#include "common/xalloc.h"

/* Every item of `list_key` over all pages of a Glue operation, appended to
 * `items`. One page at a time: backups are not in a hurry. */
static bool aws_glue_all(aws_source *src, const char *operation, json_object *input,
                         const char *list_key, json_object *items, char **error) {
    char *token = NULL;
    bool ok = true;
    page_guard pages = {0};
    size_t bound = strcmp(operation, "GetDatabases") == 0 ? PAGE_GUARD_GLUE_DATABASES
                   : strcmp(operation, "GetTables") == 0  ? PAGE_GUARD_GLUE_TABLES
                                                          : PAGE_GUARD_GLUE_PARTITIONS;
    do {
        if (token)
            json_object_object_add(input, "NextToken", json_object_new_string(token));
        else
            json_object_object_del(input, "NextToken");
        json_object *out = NULL, *list, *next;
        ok = aws_request_glue_one(src, operation, input, &out, error);
        free(token);
        token = NULL;
        if (ok && (!json_object_object_get_ex(out, list_key, &list) ||
                   !json_object_is_type(list, json_type_array))) {
            *error = xasprintf("Glue %s: the answer has no %s", operation, list_key);
            ok = false;
        } else if (ok) {
            for (size_t i = 0; i < json_object_array_length(list); i++)
                json_object_array_add(items, json_object_get(json_object_array_get_idx(list, i)));
            if (json_object_object_get_ex(out, "NextToken", &next) &&
                json_object_get_string_len(next) > 0)
                token = xstrdup(json_object_get_string(next));
        }
        char *endless = NULL;
        if (token && !page_guard_next(&pages, token, bound, &endless)) {
            json_object *db, *table;
            const char *dbname = json_object_object_get_ex(input, "DatabaseName", &db)
                                     ? json_object_get_string(db)
                                     : NULL;
            const char *tname = json_object_object_get_ex(input, "TableName", &table)
                                    ? json_object_get_string(table)
                                    : NULL;
            *error = xasprintf("Glue %s%s%s%s%s: %s", operation, dbname ? " " : "",
                               dbname ? dbname : "", tname ? "." : "", tname ? tname : "", endless);
            free(endless);
            ok = false;
        }
        json_object_put(out);
    } while (ok && token);
    free(token);
    page_guard_free(&pages);
    return ok;
}

bool aws_catalog_dump(lake_source *self, json_object **dump, char **error) {
    aws_source *src = aws_source_ready(self, error);
    if (!src)
        return false;
    json_object *databases, *tables, *partitions;
    json_object *root = glue_json_dump_new(&databases, &tables, &partitions);
    json_object *in = json_object_new_object();
    bool ok = aws_glue_all(src, "GetDatabases", in, "DatabaseList", databases, error);
    json_object_put(in);
    for (size_t i = 0; ok && i < json_object_array_length(databases); i++) {
        json_object *db = json_object_array_get_idx(databases, i), *name;
        if (!json_object_object_get_ex(db, "Name", &name))
            continue;
        const char *dbname = json_object_get_string(name);
        json_object *list = json_object_new_array(), *db_parts = json_object_new_object();
        json_object_object_add(tables, dbname, list);
        json_object_object_add(partitions, dbname, db_parts);
        in = json_object_new_object();
        json_object_object_add(in, "DatabaseName", json_object_new_string(dbname));
        ok = aws_glue_all(src, "GetTables", in, "TableList", list, error);
        json_object_put(in);
        for (size_t k = 0; ok && k < json_object_array_length(list); k++) {
            json_object *t = json_object_array_get_idx(list, k), *tname, *keys;
            if (!json_object_object_get_ex(t, "Name", &tname) ||
                !json_object_object_get_ex(t, "PartitionKeys", &keys) ||
                json_object_array_length(keys) == 0)
                continue;
            json_object *parts = json_object_new_array();
            in = json_object_new_object();
            json_object_object_add(in, "DatabaseName", json_object_new_string(dbname));
            json_object_object_add(in, "TableName", json_object_get(tname));
            ok = aws_glue_all(src, "GetPartitions", in, "Partitions", parts, error);
            json_object_put(in);
            json_object_object_add(db_parts, json_object_get_string(tname), parts);
        }
    }
    if (!ok) {
        json_object_put(root);
        return false;
    }
    *dump = root;
    return true;
}
