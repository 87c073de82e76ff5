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
/* One table as the JSON report has it (the caller puts it). */
#include <json-c/json.h>
json_object *report_table_json(const table_stats *t);
/* A CSV row being written (RFC 4180): each field after the first is put
 * after a comma; report_csv_end ends it with CRLF. */
typedef struct report_csv_row {
    FILE *out;
    int fields;
} report_csv_row;
/* Text, quoted when it holds a comma, quote, CR or LF; NULL is empty. */
void report_csv_text(report_csv_row *row, const char *text);
/* A count; negative (unknown) is empty. */
void report_csv_int(report_csv_row *row, int64_t value);
void report_csv_end(report_csv_row *row);

#endif
