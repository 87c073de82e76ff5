/* schema.h: how a table's columns changed between catalog versions (Glue's
 * GetTableVersions, the local lake's catalog/<db>/versions/<table>/N.json):
 * the diff of two column lists, and the newest change in a table's list of
 * versions. Names and types compare case-insensitively, as Glue and Hive
 * treat them; a rename shows as one column removed and one added. */
#ifndef LAKETOP_SCHEMA_H
#define LAKETOP_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include "collector/snapshot.h"

/* A change this recent is news: the overview lists it. */
#define SCHEMA_RECENT_SECONDS (7 * 86400)

/* One version of a table: its VersionId, when it was made (its UpdateTime,
 * else CreateTime; -1 unknown) and its columns. */
typedef struct schema_version {
    int64_t id;
    int64_t time;
    table_column *columns;
    size_t n_columns;
} schema_version;

/* The changes from `before` to `after`: removed and retyped columns in the
 * old order, then added ones in the new order; one SCHEMA_REORDERED when
 * nothing else differs but the order. *out is malloc'd (NULL when none). */
size_t schema_diff(const table_column *before, size_t n_before, const table_column *after,
                   size_t n_after, schema_change **out);
/* (freed with snapshot_free_schema_changes, snapshot.h) */
/* A deep copy (NULL when n is 0). */
schema_change *schema_changes_copy(const schema_change *changes, size_t n);

/* Sorts `versions` by id and sets t->schema_changed_at and t->schema_changes
 * from the newest version whose columns differ from the one before it; with
 * no such version, the first version's time and no changes. Nothing is set
 * when n is 0. The versions stay the caller's. */
void schema_apply_versions(table_stats *t, schema_version *versions, size_t n);
void schema_versions_free(schema_version *versions, size_t n);

/* A short summary such as "+2 -1 ~1 columns" or "columns reordered". */
char *schema_summary(const schema_change *changes, size_t n, char *buf, size_t size);

#endif
