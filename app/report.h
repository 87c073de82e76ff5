/* report.h: batch output of a snapshot (--once): JSON, CSV or a plain text
 * table. JSON times are ISO 8601 UTC; unknown values are null. */
#ifndef LAKETOP_REPORT_H
#define LAKETOP_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "collector/snapshot.h"

typedef enum report_format { REPORT_JSON, REPORT_CSV, REPORT_TABLE } report_format;

bool report_parse_format(const char *name, report_format *format);
/* Writes the report; false when the stream failed (e.g. a closed pipe). */
bool report_write(FILE *out, const lake_snapshot *snapshot, report_format format);
/* Says every error of a batch refresh on `out` ("laketop: table
 * sales.orders: why", the source's, each database's, each table's), any
 * secret it quotes removed; true when there was one. */
bool report_errors(FILE *out, const lake_snapshot *snapshot);

#endif
