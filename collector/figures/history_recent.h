/* history_recent.h: the recent history, a file beside the history that holds
 * its last HISTORY_RECENT_DAYS days, written after each save of the history.
 * A dashboard draws its first frame from it: its size does not grow with the
 * years the history keeps (the whole history is read next, and its figures
 * replace the first frame's a moment later).
 *
 * The file names the history file it was cut from (its inode, size and
 * modification time, on the comment line after the header): a history
 * changed since, by hand or by a laketop that does not write this file,
 * makes it unusable, and the whole history is read for the first frame. */
#ifndef LAKETOP_HISTORY_RECENT_H
#define LAKETOP_HISTORY_RECENT_H

#include <stdbool.h>
#include <stdint.h>

#include "collector/figures/history.h"

/* What it keeps of each table: the days before its newest sample that the
 * usual interval looks back (derive.c), and the samples that the anomaly
 * (31) and the forecast (30) read, so that the first frame's figures are
 * those of the whole history; only the charts are shorter. */
#define HISTORY_RECENT_DAYS 90
#define HISTORY_RECENT_SAMPLES 40

/* "DIR/NAME.tsv" -> "DIR/NAME.recent.tsv" (any other name: NAME.recent);
 * the caller frees it. */
char *history_recent_path(const char *history_path);
/* Writes the recent file of `store`, which was just saved to `history_path`. */
bool history_recent_save(const history_store *store, const char *history_path, char **error);
/* Loads the recent file into the (empty) store when it was cut from the
 * history file as it is now; false when it is missing, stale or does not
 * parse whole (the caller then drops the store and reads the history). */
bool history_recent_load(history_store *store, const char *history_path, int32_t last_day);

#endif
