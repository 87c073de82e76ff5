/* widgets.h: drawing pieces shared by the views: clipped text, a scrolling
 * table with a sortable header, a bar chart, a one-line bar. */
#ifndef LAKETOP_WIDGETS_H
#define LAKETOP_WIDGETS_H

#include <stdbool.h>
#include <stddef.h>

#include "common/strbuf.h"
#include "tui/keys.h"
#include "tui/theme.h"

typedef enum widget_align { ALIGN_LEFT, ALIGN_RIGHT } widget_align;

typedef struct widget_column {
    const char *title;
    int width;     /* preferred width */
    int min_width; /* may shrink to this; == width: fixed */
    widget_align align;
    int flags;  /* WIDGET_* below; true is WIDGET_GROW */
    int hotkey; /* sort hotkey (shown in help), 0 for none */
} widget_column;

enum {
    /* Takes the spare width. */
    WIDGET_GROW = 1,
    /* As wide as its widest cell (up to half the table) before any other
     * column gets more than its least width: a name column. */
    WIDGET_FIT = 2,
    /* A cell too long for the column loses its middle ("click…events"),
     * not its end: both ends of a name stay readable. */
    WIDGET_CUT_MIDDLE = 4,
    /* The first press of the hotkey sorts smallest (A to Z) first; without
     * it largest first (htop's rule: names ascending, figures descending). */
    WIDGET_ASCENDING_FIRST = 8,
    /* A name column: all three. */
    WIDGET_NAME = WIDGET_FIT | WIDGET_CUT_MIDDLE | WIDGET_ASCENDING_FIRST,
};

/* A cell's text (any length: widget_cell_printf) and colour role. */
typedef struct widget_cell {
    strbuf text;
    theme_role role;
} widget_cell;

/* Sets the cell's text. */
void widget_cell_printf(widget_cell *cell, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The cell's text, never NULL. */
const char *widget_cell_text(const widget_cell *cell);

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
 * `sort_column` < 0: none. The sorted column's header carries an arrow in a
 * cell of its own (a header that fits whole stays whole). Returns false when
 * the sort column is left out at this width (true when shown or none). */
bool widget_table_draw(int y, int x, int height, int width, const widget_column *columns,
                       size_t n_columns, int sort_column, bool sort_descending, size_t n_rows,
                       widget_list *list, widget_cell_fn cell, void *ctx);
/* The same table with only the columns `shown` (n_shown indices into
 * `columns`, in the order drawn; NULL: all, in their order): `sort_column`
 * and the column `cell` is asked for stay indices into `columns`. Returns
 * WIDGET_SORT_SHOWN, or why the sort column is not on screen. */
typedef enum widget_sort_seen {
    WIDGET_SORT_SHOWN,  /* shown, or no sort */
    WIDGET_SORT_NARROW, /* left out at this width */
    WIDGET_SORT_HIDDEN, /* not among `shown` */
} widget_sort_seen;
widget_sort_seen widget_table_draw_shown(int y, int x, int height, int width,
                                         const widget_column *columns, const int *shown,
                                         size_t n_shown, int sort_column, bool sort_descending,
                                         size_t n_rows, widget_list *list, widget_cell_fn cell,
                                         void *ctx);

/* Text in `width` cells, padded with spaces when `pad`. Laid out by display
 * width (a CJK character is two cells, a combining mark none); controls,
 * bidi controls and invalid UTF-8 are shown escaped as text_safe writes them
 * ("\x1b", "\u202e"), so nothing in the text moves the cursor or reorders
 * the line; text that does not fit is cut and ends in an ellipsis ("…", "~"
 * in a locale that is not UTF-8). */
void widget_text(int y, int x, int width, int attr, const char *text, bool pad);
/* What widget_text draws, appended to `out` (no curses needed): returns the
 * cells it takes (at most `width`). */
int widget_text_fit(strbuf *out, const char *text, int width);
/* The same cut, of the text itself: appends the part of `text` that fits in
 * `width` cells (then "…" if it was cut), for a line that puts several names
 * side by side; returns the cells it takes. */
int widget_text_cut(strbuf *out, const char *text, int width);
/* As widget_text_cut, but a text that does not fit loses its middle: its
 * start, "…" ("~" in a locale that is not UTF-8), then its end, the start
 * getting the odd cell ("clickstream_raw_events" in 12 cells:
 * "clicks…events"). Appends the bytes of `text` kept (escaped later by
 * widget_text); returns the cells it takes (at most `width`). */
int widget_text_middle(strbuf *out, const char *text, int width);
/* A message for one line of `width` cells: when it is wider, its longest
 * word with a '/' in it (a path) gives way first: its directories are cut
 * (down to 8 cells) and the file's name after the last '/' stays whole, so
 * that it and the words after it stay in sight; what is still too wide is
 * cut at its end when drawn. */
void widget_text_squeeze(strbuf *out, const char *text, int width);
/* Fills a line with spaces in `attr`. */
void widget_fill(int y, int x, int width, int attr);
/* A centred box with a title and lines of text (the last line is the
 * hint, e.g. "y: yes   n, Esc: no"). */
void widget_dialog(const char *title, const char *const *lines, size_t n_lines);
/* A progress bar of `width` cells for a fraction 0..1 ("[####    ]"). */
void widget_progress(int y, int x, int width, double fraction, int attr);

/* The cells `text` takes drawn whole by widget_text (its display width). */
int widget_text_width(const char *text);
/* Appends `text` then spaces up to `width` cells (as "%-*s" does in bytes):
 * columns of names in one text line, aligned on the screen. */
void widget_pad(strbuf *out, const char *text, int width);

#endif
