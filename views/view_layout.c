/* view_layout.c: the columns chosen for a view (F2): the default layout,
 * the names the state file uses, showing, hiding and moving a column. */
#include "views/view_layout.h"

#include <ctype.h>
#include <string.h>

bool view_layout_supported(view_id id) {
    return view_layout_view_name(id) != NULL;
}

const char *view_layout_view_name(view_id id) {
    switch (id) {
    case VIEW_DATABASES: return "databases";
    case VIEW_TABLES: return "tables";
    case VIEW_CRAWLERS: return "crawlers";
    case VIEW_ZONES: return "zones";
    case VIEW_PIPELINE: return "pipeline";
    default: return NULL;
    }
}

void view_layout_column_name(const widget_column *column, char *out, size_t size) {
    size_t n = 0;
    bool gap = false;
    for (const char *p = column->title; *p && n + 2 < size; p++) {
        unsigned char c = (unsigned char)*p;
        if (!isalnum(c) || c >= 0x80) {
            gap = n > 0;
            continue;
        }
        if (gap)
            out[n++] = '-';
        gap = false;
        out[n++] = (char)tolower(c);
    }
    if (size)
        out[n < size ? n : size - 1] = '\0';
}

void view_layout_default(view_layout *l, view_id id) {
    memset(l, 0, sizeof *l);
    l->sort_column = -1;
    if (!view_layout_supported(id))
        return;
    const view_ops *v = dashboard_view(id);
    l->n_columns = v->n_columns < VIEW_LAYOUT_MAX_COLUMNS ? v->n_columns : VIEW_LAYOUT_MAX_COLUMNS;
    for (size_t i = 0; i < l->n_columns; i++)
        l->order[i] = (int)i;
    l->sort_column = v->default_sort;
    l->sort_descending = v->default_descending;
}

void view_layout_defaults(view_layout *layouts) {
    for (int id = 0; id < VIEW_COUNT; id++)
        view_layout_default(&layouts[id], (view_id)id);
}

bool view_layout_is_default(const view_layout *l, view_id id) {
    view_layout own;
    view_layout_default(&own, id);
    if (!own.n_columns)
        return true; /* a view without columns to choose */
    if (l->has_sort || l->n_columns != own.n_columns)
        return false;
    for (size_t i = 0; i < l->n_columns; i++)
        if (l->order[i] != own.order[i] || l->hidden[i])
            return false;
    return true;
}

size_t view_layout_shown(const view_layout *l, int *out) {
    size_t n = 0;
    for (size_t i = 0; i < l->n_columns; i++)
        if (!l->hidden[l->order[i]])
            out[n++] = l->order[i];
    return n;
}

bool view_layout_toggle(view_layout *l, int column) {
    if (column <= 0 || (size_t)column >= l->n_columns)
        return false;
    l->hidden[column] = !l->hidden[column];
    return true;
}

bool view_layout_move(view_layout *l, int column, int delta) {
    size_t at = 0;
    while (at < l->n_columns && l->order[at] != column)
        at++;
    if (column <= 0 || at == l->n_columns || (delta != -1 && delta != 1))
        return false;
    size_t to = delta < 0 ? at - 1 : at + 1;
    if (to == 0 || to >= l->n_columns) /* the Name column stays first */
        return false;
    l->order[at] = l->order[to];
    l->order[to] = column;
    return true;
}
