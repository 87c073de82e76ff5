/* widgets.h: drawing pieces shared by the views: clipped text, a scrolling
 * table with a sortable header, a bar chart, a one-line bar. */
#ifndef LAKETOP_WIDGETS_H
#define LAKETOP_WIDGETS_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/keys.h"
#include "tui/theme.h"

typedef enum widget_align { ALIGN_LEFT, ALIGN_RIGHT } widget_align;

typedef struct widget_column {
    const char *title;
    int width;     /* preferred width */
    int min_width; /* may shrink to this; == width: fixed */
    widget_align align;
    bool grow;  /* takes the spare width */
    int hotkey; /* sort hotkey (shown in help), 0 for none */
} widget_column;

typedef struct widget_cell {
    char text[512];
    theme_role role;
} widget_cell;

/* Fills the cell of `row`, `column`; `width` is the column's drawn width. */
typedef void (*widget_cell_fn)(void *ctx, size_t row, size_t column, int width, widget_cell *cell);

/* Selection and scroll position of a list. */
typedef struct widget_list {
    size_t selected;
    size_t top;
} widget_list;

/* Moves the selection for a navigation action; true when it was one. */
bool widget_list_navigate(widget_list *list, size_t n_rows, int page_rows, key_action action);
/* Keeps the selection inside [0, n_rows) and visible in `page_rows`. */
void widget_list_clamp(widget_list *list, size_t n_rows, int page_rows);

/* Draws a table: one header line then rows, in the box (y, x, height, width).
 * `sort_column` < 0: none. */
void widget_table_draw(int y, int x, int height, int width, const widget_column *columns,
                       size_t n_columns, int sort_column, bool sort_descending, size_t n_rows,
                       widget_list *list, widget_cell_fn cell, void *ctx);

/* Text clipped to `width` cells (UTF-8 aware), padded with spaces when
 * `pad`. */
void widget_text(int y, int x, int width, int attr, const char *text, bool pad);
/* Fills a line with spaces in `attr`. */
void widget_fill(int y, int x, int width, int attr);
/* A centred box with a title and lines of text (the last line is the
 * hint, e.g. "y: yes   n, Esc: no"). */
void widget_dialog(const char *title, const char *const *lines, size_t n_lines);
/* A progress bar of `width` cells for a fraction 0..1 ("[####    ]"). */
void widget_progress(int y, int x, int width, double fraction, int attr);

/* Number of terminal cells of a UTF-8 string (one per code point). */
int widget_text_width(const char *text);

#endif
