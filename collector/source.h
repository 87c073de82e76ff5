/* source.h: where a lake's figures come from. The collector drives a source
 * and does the rest itself (thresholds, last good figures, history, derived
 * figures), so the local lake and AWS fill the very same snapshot model.
 *
 * refresh() fills snapshot->databases and ->tables: catalog fields plus the
 * storage figures (objects, bytes, newest_object, partitions,
 * marker_objects) of each table, or the table's error. It returns false with
 * *error only when the source cannot be read at all. It checks *stop (may be
 * NULL) between units of work and returns false with *error NULL when asked
 * to stop. read_catalog() fills only the catalog fields (may be NULL: then
 * the saved-state snapshot is built from the history alone). */
#ifndef LAKETOP_SOURCE_H
#define LAKETOP_SOURCE_H

#include <stdbool.h>

#include "snapshot.h"

typedef struct lake_source lake_source;

struct lake_source {
    char *name; /* shown in the status bar and in the JSON's "source" */
    bool (*refresh)(lake_source *self, lake_snapshot *snapshot, const bool *stop, char **error);
    bool (*read_catalog)(lake_source *self, lake_snapshot *snapshot, char **error);
    void (*free)(lake_source *self);
};

/* The local lake in `lake_dir` (see local_lake.h). */
lake_source *local_source_new(const char *lake_dir);
void lake_source_free(lake_source *source);

#endif
