/* dashboard_columns.c: F2, the columns of the view on top, as htop's
 * Setup: each shown or hidden, their order and the sort, changed live (the
 * table behind is drawn again with each change) and kept when the dialog
 * closes, by the app's save_layouts (views write no file). */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "common/xalloc.h"
#include "tui/screen.h"
#include "tui/widgets.h"
#include "views/dashboard.h"
#include "views/view_layout.h"

#define DASHBOARD_COLUMNS_HINT_MOVE "Space: show/hide   [ ] or - +: move"
#define DASHBOARD_COLUMNS_HINT_SORT "s Enter: sort by it (again: invert)   Esc F2 q: close"

void dashboard_columns_start(dashboard *a, const dashboard_options *o) {
    a->layouts = xcalloc(VIEW_COUNT, sizeof *a->layouts);
    if (o->layouts)
        memcpy(a->layouts, o->layouts, VIEW_COUNT * sizeof *a->layouts);
    else
        view_layout_defaults(a->layouts);
    a->save_layouts = o->save_layouts;
    a->layouts_ctx = o->layouts_ctx;
}

void dashboard_columns_sort(const dashboard *a, view_frame *f) {
    if (a->layouts && a->layouts[f->id].has_sort) {
        f->sort_column = a->layouts[f->id].sort_column;
        f->sort_descending = a->layouts[f->id].sort_descending;
    }
}

void dashboard_ask_columns(dashboard *a) {
    view_frame *f = &a->stack[a->depth - 1];
    if (!a->layouts || !view_layout_supported(f->id)) {
        dashboard_message(a,
                          "F2: the %s view has no columns to choose (Databases, Tables, "
                          "Crawlers and Zones have)",
                          dashboard_view(f->id)->title);
        return;
    }
    a->columns_cursor = 0;
    a->columns_changed = false;
    a->dialog = DIALOG_COLUMNS;
}

void dashboard_table_draw(dashboard *a, view_frame *f, int y, int height, int width, size_t n_rows,
                          widget_cell_fn cell, void *ctx) {
    const view_ops *v = dashboard_view(f->id);
    const view_layout *l = a->layouts && view_layout_supported(f->id) ? &a->layouts[f->id] : NULL;
    int shown[VIEW_LAYOUT_MAX_COLUMNS];
    size_t n = l ? view_layout_shown(l, shown) : v->n_columns;
    f->sort_hidden = (int)widget_table_draw_shown(y, 0, height, width, v->columns, l ? shown : NULL,
                                                  n, f->sort_column, f->sort_descending, n_rows,
                                                  &f->list, cell, ctx);
}

/* The line of the column at place `at` of the order: "[x] Size  sort ascending". */
static char *dashboard_columns_line(const view_frame *f, const view_ops *v, const view_layout *l,
                                    size_t at, int title_width) {
    int column = l->order[at];
    strbuf line = {0};
    strbuf_puts(&line, l->hidden[column] ? "[ ] " : "[x] ");
    widget_pad(&line, v->columns[column].title, title_width);
    if (column == 0)
        strbuf_puts(&line, "  always shown");
    if (f->sort_column == column)
        strbuf_puts(&line, f->sort_descending ? "  sort descending" : "  sort ascending");
    return strbuf_take(&line);
}

void dashboard_draw_columns(dashboard *a) {
    view_frame *f = &a->stack[a->depth - 1];
    const view_ops *v = dashboard_view(f->id);
    const view_layout *l = &a->layouts[f->id];
    int rows, cols;
    screen_size(&rows, &cols);
    int title_width = 0;
    for (size_t i = 0; i < l->n_columns; i++) {
        int w = widget_text_width(v->columns[i].title);
        title_width = w > title_width ? w : title_width;
    }
    char **lines = xcalloc(l->n_columns + 1, sizeof *lines);
    char *title = xasprintf("Columns of %s", v->title);
    int width = widget_text_width(DASHBOARD_COLUMNS_HINT_SORT) + 4;
    for (size_t i = 0; i < l->n_columns; i++) {
        lines[i] = dashboard_columns_line(f, v, l, i, title_width);
        int w = widget_text_width(lines[i]) + 4;
        width = w > width ? w : width;
    }
    if (width > cols - 2)
        width = cols - 2;
    /* title, a blank line, the list, a blank line, two hints, a margin;
     * above the message line, the table's header left in sight */
    size_t room = rows > 11 ? (size_t)(rows - 11) : 1;
    size_t shown = l->n_columns < room ? l->n_columns : room;
    size_t first = a->columns_cursor >= shown ? a->columns_cursor - shown + 1 : 0;
    int height = (int)shown + 6;
    int y = rows - 2 - height, x = (cols - width) / 2;
    if (y < 2)
        y = 2;
    int attr = screen_attr(ROLE_STATUS);
    for (int r = 0; r < height; r++)
        widget_fill(y + r, x, width, attr);
    widget_text(y, x + 2, width - 4, attr | A_BOLD, title, false);
    for (size_t i = 0; i < shown; i++) {
        size_t at = first + i;
        bool cursor = at == a->columns_cursor;
        int line_attr = cursor ? screen_attr(ROLE_SELECTED) : attr;
        if (cursor)
            widget_fill(y + 2 + (int)i, x + 1, width - 2, line_attr);
        widget_text(y + 2 + (int)i, x + 2, width - 4, line_attr, lines[at], false);
    }
    widget_text(y + height - 3, x + 2, width - 4, attr | A_BOLD, DASHBOARD_COLUMNS_HINT_MOVE,
                false);
    widget_text(y + height - 2, x + 2, width - 4, attr | A_BOLD, DASHBOARD_COLUMNS_HINT_SORT,
                false);
    for (size_t i = 0; i < l->n_columns; i++)
        free(lines[i]);
    free(lines);
    free(title);
}

/* Esc, F2, q: the choice kept when it changed. */
static void dashboard_columns_close(dashboard *a, const view_ops *v) {
    if (!a->columns_changed)
        return;
    if (!a->save_layouts) {
        dashboard_message(a, "columns of %s: kept for this run only", v->title);
        return;
    }
    char *error = a->save_layouts(a->layouts_ctx, a->layouts);
    if (error)
        dashboard_message(a, "columns of %s: not kept for the next start: %s", v->title, error);
    else
        dashboard_message(a, "columns of %s: kept for the next start", v->title);
    free(error);
}

void dashboard_columns_key(dashboard *a, int key) {
    view_frame *f = &a->stack[a->depth - 1];
    const view_ops *v = dashboard_view(f->id);
    view_layout *l = &a->layouts[f->id];
    size_t n = l->n_columns;
    if (a->columns_cursor >= n)
        a->columns_cursor = n ? n - 1 : 0;
    int column = n ? l->order[a->columns_cursor] : 0;
    switch (key) {
    case KEY_UP:
    case 'k':
        if (a->columns_cursor > 0)
            a->columns_cursor--;
        break;
    case KEY_DOWN:
    case 'j':
        if (a->columns_cursor + 1 < n)
            a->columns_cursor++;
        break;
    case KEY_HOME:
    case 'g': a->columns_cursor = 0; break;
    case KEY_END:
    case 'G': a->columns_cursor = n ? n - 1 : 0; break;
    case ' ':
        if (view_layout_toggle(l, column))
            a->columns_changed = true;
        else
            dashboard_message(a, "the %s column is always shown", v->columns[column].title);
        break;
    case '[':
    case '-':
    case ']':
    case '+': {
        int delta = key == '[' || key == '-' ? -1 : 1;
        if (view_layout_move(l, column, delta)) {
            a->columns_cursor += (size_t)delta; /* the cursor goes with the column */
            a->columns_changed = true;
        } else if (column == 0 || (delta < 0 && a->columns_cursor == 1)) {
            dashboard_message(a, "the %s column stays first", v->columns[0].title);
        }
        break;
    }
    case 's':
    case '\r':
    case '\n':
    case KEY_ENTER:
        if (f->sort_column == column)
            f->sort_descending = !f->sort_descending;
        else
            f->sort_column = column;
        l->has_sort = true;
        l->sort_column = f->sort_column;
        l->sort_descending = f->sort_descending;
        a->columns_changed = true;
        break;
    case 27:
    case KEY_F(2):
    case 'q': dashboard_columns_close(a, v); return;
    default: break;
    }
    a->dialog = DIALOG_COLUMNS; /* still choosing */
}
