/* csv.c: the CSV row writer (see csv.h). */
#include "common/csv.h"

#include <inttypes.h>
#include <string.h>

static void csv_next(csv_row *row) {
    if (row->fields++)
        fputc(',', row->out);
}

void csv_text(csv_row *row, const char *text) {
    csv_next(row);
    if (!text)
        return;
    if (!strpbrk(text, ",\"\r\n")) {
        fputs(text, row->out);
        return;
    }
    fputc('"', row->out);
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            fputc('"', row->out);
        fputc(*p, row->out);
    }
    fputc('"', row->out);
}

void csv_int(csv_row *row, int64_t value) {
    csv_next(row);
    if (value >= 0)
        fprintf(row->out, "%" PRId64, value);
}

void csv_end(csv_row *row) {
    fputs("\r\n", row->out);
    row->fields = 0;
}
