/* detail_lines.h: the lines of the detail view (one table), built before
 * they are drawn: a label in the left column (12 cells) and a text in its
 * role; DETAIL_WHOLE_LINE as the label draws the text across the whole
 * line (the chart). The detail view (detail_view.c) and its sections
 * (detail_format.c) add to one list. */
#ifndef LAKETOP_DETAIL_LINES_H
#define LAKETOP_DETAIL_LINES_H

#include <stddef.h>

#include "tui/theme.h"

#define DETAIL_WHOLE_LINE "\x01"
/* Where a labelled line's text starts, and so what it has of `width`. */
#define DETAIL_TEXT_X 14

typedef struct detail_line {
    char label[16];
    char *text;
    theme_role role;
} detail_line;

typedef struct detail_lines {
    detail_line *lines;
    size_t n;
    size_t cap;
} detail_lines;

void detail_add(detail_lines *l, const char *label, theme_role role, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A long text (an error, which names a file and line at its end) on as many
 * lines as it needs, broken between words; a word wider than the line loses
 * its middle. */
void detail_add_wrapped(detail_lines *l, const char *label, theme_role role, const char *text,
                        int width);
/* The same on whole lines (no label column) that start with `indent`
 * spaces, or 2 when the text is too long for that: a statement to copy,
 * whole on one line where the screen allows. */
void detail_add_statement(detail_lines *l, theme_role role, const char *text, int width,
                          int indent);
void detail_lines_free(detail_lines *l);

#endif
