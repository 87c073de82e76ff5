/* csv.c: the CSV row writer (see csv.h). */
#include "common/csv.h"

#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

static void csv_next(csv_row *row) {
    if (row->fields++)
        fputc(',', row->out);
}

/* A field is quoted when it has a comma, a quote or a control character
 * other than TAB (CR and LF, and ESC or BEL, which a terminal showing the
 * file would act on): the bytes stay as they are, inside quotes. */
static bool csv_needs_quotes(const char *text) {
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if (*p == ',' || *p == '"' || (*p < 0x20 && *p != '\t') || *p == 0x7f)
            return true;
    return false;
}

void csv_text(csv_row *row, const char *text) {
    csv_next(row);
    if (!text)
        return;
    if (!csv_needs_quotes(text)) {
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
