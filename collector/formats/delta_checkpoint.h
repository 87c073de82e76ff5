/* delta_checkpoint.h: a Delta checkpoint (NNN.checkpoint.parquet) read
 * into a delta_log: the add (path, size, modificationTime, stats'
 * numRecords) and remove (path) of every row. The Parquet itself is read by
 * parquet.h (no C Parquet library ships in Debian 12). */
#ifndef LAKETOP_DELTA_CHECKPOINT_H
#define LAKETOP_DELTA_CHECKPOINT_H

#include <stdbool.h>
#include <stddef.h>

#include "collector/formats/delta.h"

/* False with *error ("checkpoint: ...") for bytes that are not a Parquet
 * file with the add.path and add.size columns (remove columns may be
 * absent: no tombstones), or use what parquet.h does not read (it names
 * it), or a V2 checkpoint whose actions are in sidecar files. Rows
 * applied before an error stay applied: the caller throws the log away. */
bool delta_checkpoint_read(const char *data, size_t length, delta_log *log, char **error);

#endif
