/* view_layout.h: the columns a user chose for a view with F2: which are
 * shown, in what order, and the sort the view opens with. The dashboard
 * holds one layout per view; the app reads and writes them in its state
 * file (app/view_state.c): views touch no file. A view's Name column (its
 * column 0) is always shown, and first. */
#ifndef LAKETOP_VIEW_LAYOUT_H
#define LAKETOP_VIEW_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "views/dashboard.h"

#define VIEW_LAYOUT_MAX_COLUMNS 32

struct view_layout {
    size_t n_columns;                     /* the view's; 0: no columns to choose */
    int order[VIEW_LAYOUT_MAX_COLUMNS];   /* every column index, in the order drawn */
    bool hidden[VIEW_LAYOUT_MAX_COLUMNS]; /* by the view's column index */
    bool has_sort;                        /* the sort below was chosen (else the view's own) */
    int sort_column;                      /* the view's own column index; -1: none */
    bool sort_descending;
};

/* Whether view `id` has columns to choose: Databases, Tables, Crawlers, Zones,
 * Pipeline. */
bool view_layout_supported(view_id id);
/* The view's name in the state file ("tables"); NULL when not supported. */
const char *view_layout_view_name(view_id id);
/* A column's name in the state file: its title in lower case, other
 * characters between words as one '-' ("Size, 30 days": "size-30-days"). */
void view_layout_column_name(const widget_column *column, char *out, size_t size);
/* The view's own layout: its columns in their order, all shown, its sort. */
void view_layout_default(view_layout *layout, view_id id);
/* Every view's own layout, layouts[VIEW_COUNT]. */
void view_layout_defaults(view_layout *layouts);
bool view_layout_is_default(const view_layout *layout, view_id id);
/* The shown columns' indices in drawing order into out[VIEW_LAYOUT_MAX_COLUMNS];
 * returns how many. */
size_t view_layout_shown(const view_layout *layout, int *out);
/* Shows or hides `column`; false for the Name column (always shown). */
bool view_layout_toggle(view_layout *layout, int column);
/* Moves `column` `delta` places (-1: earlier, +1: later); false when it
 * cannot (the Name column, or past the Name column or the end). */
bool view_layout_move(view_layout *layout, int column, int delta);

#endif
