/* widgets.c: clipped text, the scrolling sortable table, list navigation. */
#include "tui/widgets.h"

#include <curses.h>
#include <string.h>

#include "tui/screen.h"

int widget_text_width(const char *text) {
    int cells = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if ((*p & 0xC0) != 0x80)
            cells++;
    return cells;
}

void widget_fill(int y, int x, int width, int attr) {
    if (width <= 0)
        return;
    attrset(attr);
    mvhline(y, x, ' ', width);
    attrset(A_NORMAL);
}

void widget_text(int y, int x, int width, int attr, const char *text, bool pad) {
    if (width <= 0)
        return;
    attrset(attr);
    move(y, x);
    int cells = 0;
    const char *p = text;
    while (*p && cells < width) {
        const char *start = p++;
        while ((*(const unsigned char *)p & 0xC0) == 0x80)
            p++;
        unsigned char c = (unsigned char)*start;
        if (c < 0x20 || c == 0x7f)
            addch('?'); /* never let control characters reach the terminal */
        else
            addnstr(start, (int)(p - start));
        cells++;
    }
    if (pad && cells < width)
        hline(' ', width - cells);
    attrset(A_NORMAL);
}

void widget_list_clamp(widget_list *l, size_t n_rows, int page_rows) {
    if (page_rows < 1)
        page_rows = 1;
    if (n_rows == 0) {
        l->selected = l->top = 0;
        return;
    }
    if (l->selected >= n_rows)
        l->selected = n_rows - 1;
    if (l->selected < l->top)
        l->top = l->selected;
    if (l->selected >= l->top + (size_t)page_rows)
        l->top = l->selected - (size_t)page_rows + 1;
    if (l->top + (size_t)page_rows > n_rows)
        l->top = n_rows > (size_t)page_rows ? n_rows - (size_t)page_rows : 0;
}

bool widget_list_navigate(widget_list *l, size_t n_rows, int page_rows, key_action action) {
    size_t page = page_rows > 1 ? (size_t)page_rows - 1 : 1;
    switch (action) {
    case ACTION_UP:
        if (l->selected > 0)
            l->selected--;
        break;
    case ACTION_DOWN:
        if (l->selected + 1 < n_rows)
            l->selected++;
        break;
    case ACTION_PAGE_UP: l->selected = l->selected > page ? l->selected - page : 0; break;
    case ACTION_PAGE_DOWN:
        l->selected = l->selected + page < n_rows ? l->selected + page : (n_rows ? n_rows - 1 : 0);
        break;
    case ACTION_HOME: l->selected = 0; break;
    case ACTION_END: l->selected = n_rows ? n_rows - 1 : 0; break;
    default: return false;
    }
    widget_list_clamp(l, n_rows, page_rows);
    return true;
}

/* Decides each column's drawn width (0 = dropped) for the available width. */
static void widget_layout(const widget_column *cols, size_t n, int width, int *out) {
    int total = 0;
    for (size_t i = 0; i < n; i++) {
        out[i] = cols[i].width;
        total += out[i] + (i ? 1 : 0);
    }
    /* Shrink from the right towards the minimum widths. */
    for (size_t i = n; i-- > 0 && total > width;) {
        int can = out[i] - cols[i].min_width;
        int take = can < total - width ? can : total - width;
        out[i] -= take;
        total -= take;
    }
    /* Drop columns from the right while still too wide (never the first). */
    for (size_t i = n; i-- > 1 && total > width;) {
        total -= out[i] + 1;
        out[i] = 0;
    }
    if (total > width)
        out[0] -= total - width;
    for (size_t i = 0; i < n && total < width; i++) {
        if (cols[i].grow && out[i] > 0) {
            out[i] += width - total;
            total = width;
        }
    }
}

void widget_table_draw(int y, int x, int height, int width, const widget_column *cols, size_t n,
                       int sort_column, bool sort_desc, size_t n_rows, widget_list *list,
                       widget_cell_fn cell_fn, void *ctx) {
    int widths[32];
    if (n > 32)
        n = 32;
    widget_layout(cols, n, width, widths);
    bool utf8 = screen_utf8();
    /* Header. */
    widget_fill(y, x, width, screen_attr(ROLE_HEADER));
    int cx = x;
    for (size_t c = 0; c < n; c++) {
        if (widths[c] <= 0)
            continue;
        bool sorted = (int)c == sort_column;
        char title[128];
        const char *arrow = sorted ? (sort_desc ? (utf8 ? "▼" : "v") : (utf8 ? "▲" : "^")) : "";
        if (cols[c].align == ALIGN_RIGHT)
            snprintf(title, sizeof title, "%s%s", arrow, cols[c].title);
        else
            snprintf(title, sizeof title, "%s%s", cols[c].title, arrow);
        int tw = widget_text_width(title);
        int pad = cols[c].align == ALIGN_RIGHT && tw < widths[c] ? widths[c] - tw : 0;
        int attr = screen_attr(sorted ? ROLE_HEADER_SORTED : ROLE_HEADER);
        widget_fill(y, cx, widths[c], screen_attr(ROLE_HEADER));
        widget_text(y, cx + pad, widths[c] - pad, attr, title, false);
        cx += widths[c] + 1;
    }
    int page = height - 1;
    widget_list_clamp(list, n_rows, page);
    for (int r = 0; r < page; r++) {
        size_t row = list->top + (size_t)r;
        int ry = y + 1 + r;
        if (row >= n_rows) {
            widget_fill(ry, x, width, screen_attr(ROLE_NORMAL));
            continue;
        }
        bool selected = row == list->selected;
        int base = screen_attr(selected ? ROLE_SELECTED : ROLE_NORMAL);
        widget_fill(ry, x, width, base);
        cx = x;
        for (size_t c = 0; c < n; c++) {
            if (widths[c] <= 0)
                continue;
            widget_cell cell = {.text = "", .role = ROLE_NORMAL};
            cell_fn(ctx, row, c, widths[c], &cell);
            int tw = widget_text_width(cell.text);
            int pad = cols[c].align == ALIGN_RIGHT && tw < widths[c] ? widths[c] - tw : 0;
            widget_text(ry, cx + pad, widths[c] - pad, selected ? base : screen_attr(cell.role),
                        cell.text, false);
            cx += widths[c] + 1;
        }
    }
}

void widget_dialog(const char *title, const char *const *lines, size_t n) {
    int rows, cols;
    screen_size(&rows, &cols);
    int width = widget_text_width(title) + 4;
    for (size_t i = 0; i < n; i++)
        if (widget_text_width(lines[i]) + 4 > width)
            width = widget_text_width(lines[i]) + 4;
    if (width > cols - 2)
        width = cols - 2;
    int height = (int)n + 4;
    int y = (rows - height) / 2, x = (cols - width) / 2;
    int attr = screen_attr(ROLE_STATUS);
    for (int r = 0; r < height; r++)
        widget_fill(y + r, x, width, attr);
    widget_text(y, x + 2, width - 4, attr | A_BOLD, title, false);
    for (size_t i = 0; i < n; i++)
        widget_text(y + 2 + (int)i, x + 2, width - 4, attr | (i + 1 == n ? A_BOLD : 0), lines[i],
                    false);
}

void widget_progress(int y, int x, int width, double fraction, int attr) {
    if (width < 3)
        return;
    int inner = width - 2;
    int filled = fraction < 0 ? 0 : (int)(fraction * inner + 0.5);
    if (filled > inner)
        filled = inner;
    attrset(attr);
    mvaddch(y, x, '[');
    for (int i = 0; i < inner; i++)
        addch(i < filled ? '#' : (fraction < 0 ? '?' : '.'));
    addch(']');
    attrset(A_NORMAL);
}
