/* csv.h: one CSV row writer (RFC 4180) for every CSV laketop writes: the
 * --once report and the daily export's tables.csv and databases.csv. */
#ifndef LAKETOP_CSV_H
#define LAKETOP_CSV_H

#include <stdint.h>
#include <stdio.h>

/* A row being written: each field after the first is put after a comma;
 * csv_end ends it with CRLF. */
typedef struct csv_row {
    FILE *out;
    int fields;
} csv_row;

/* Text, quoted when it holds a comma, quote, CR or LF; NULL is empty. */
void csv_text(csv_row *row, const char *text);
/* A count; negative (unknown) is empty. */
void csv_int(csv_row *row, int64_t value);
void csv_end(csv_row *row);

#endif
