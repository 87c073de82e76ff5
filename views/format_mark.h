/* format_mark.h: the mark beside an open-format table's name, one for the
 * Tables view, the detail view and the --once text report:
 *   "ice" Iceberg, "Δ" Delta Lake ("dlt" where the terminal cannot show Δ:
 *   a locale that is not UTF-8, as the other glyphs), "hudi" ("hud");
 *   a trailing "*" when the figures are the listing's, not the format's
 *   metadata (its metadata could not be read: format_error; or Hudi, whose
 *   timeline is not read): then Size and Files count every file under the
 *   location, not only the live ones. (Not "~": that is the cut mark of a
 *   locale that is not UTF-8.)
 * A Hive-style table has no mark (NULL). */
#ifndef LAKETOP_FORMAT_MARK_H
#define LAKETOP_FORMAT_MARK_H

#include <stdbool.h>

#include "collector/snapshot.h"

/* The mark of `t` (a static string), NULL for a Hive-style table. */
const char *format_mark(const table_stats *t, bool utf8);

/* The format's name for people: "Iceberg", "Delta Lake", "Hudi", "Hive-style". */
const char *format_mark_name(table_format format);

/* Whether the figures of an open-format table are its listing's (the "*"). */
bool format_mark_listed(const table_stats *t);

#endif
