/* glue_json.h: maps the Glue Data Catalog's JSON shapes (Database, Table)
 * into the snapshot model. Used for the local catalog files, whose objects
 * are written in Glue's own shapes, and for Glue API responses. Timestamps
 * are accepted as epoch seconds (Glue's JSON protocol) or ISO 8601 strings. */
#ifndef LAKETOP_GLUE_JSON_H
#define LAKETOP_GLUE_JSON_H

#include <json-c/json.h>
#include <stdbool.h>

#include "collector/snapshot.h"

/* Fills the catalog fields of `table` from a Glue Table object. When the
 * object lacks DatabaseName, `default_database` is used. False with *error
 * (malloc'd) when a required field (Name) is missing or mistyped. */
bool glue_json_table(json_object *object, const char *default_database, table_stats *table,
                     char **error);
/* The StorageDescriptor.Columns of a Glue Table object (none when absent). */
void glue_json_table_columns(json_object *table, table_column **out, size_t *n);
/* Fills name, description, location and create_time from a Glue Database. */
bool glue_json_database(json_object *object, database_stats *database, char **error);
/* The member `key` of an object (object may be NULL) when it is a string,
 * or an array; else NULL. For every JSON answer of an AWS API. */
const char *glue_json_string(json_object *object, const char *key);
json_object *glue_json_array(json_object *object, const char *key);
/* A Glue timestamp (number of epoch seconds or ISO string); -1 when absent. */
int64_t glue_json_time(json_object *value);

/* An empty catalog dump in the shape source.h documents, {"databases": [],
 * "tables": {}, "partitions": {}}, with its three parts for the caller to fill. */
json_object *glue_json_dump_new(json_object **databases, json_object **tables,
                                json_object **partitions);

/* Pretty JSON text ending in a newline, as laketop writes catalog files and
 * backups (malloc'd). */
char *glue_json_pretty(json_object *object);
/* Writes glue_json_pretty(object) to `path` atomically. */
bool glue_json_write_file(const char *path, json_object *object, char **error);

#endif
