/* widgets.c: clipped text, the scrolling sortable table, list navigation.
 *
 * Text is laid out by display width (wcwidth: a CJK character takes two
 * cells, a combining mark none), never by bytes or code points. What cannot
 * be shown as it is (controls, bidi controls, invalid UTF-8) is shown as the
 * escape text_safe gives it ("\u202e"), so nothing in a name can move the
 * cursor or reorder a row; text longer than its width ends in an ellipsis. */
#include "tui/widgets.h"

#include <curses.h>
#include <langinfo.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "common/text_safe.h"
#include "common/xalloc.h"
#include "tui/screen.h"

/* The length of the piece of text at `p` drawn as one unit: a lead byte and
 * the continuation bytes it announces (fewer when the text breaks off, so
 * that text_safe then escapes each byte of a broken sequence), or one byte. */
static size_t widget_piece_length(const unsigned char *p) {
    size_t want = p[0] < 0xc0 ? 1 : p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : p[0] < 0xf8 ? 4 : 1;
    size_t n = 1;
    while (n < want && (p[n] & 0xc0) == 0x80)
        n++;
    return n;
}

static bool widget_locale_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset && strcmp(codeset, "UTF-8") == 0;
}

/* How the piece at `p` (`length` bytes) is drawn: its text goes to `shown`
 * (emptied first), its width in cells is returned. */
static int widget_piece(const char *p, size_t length, bool utf8, strbuf *shown) {
    shown->length = 0;
    unsigned char c = (unsigned char)p[0];
    if (length == 1 && c >= 0x20 && c < 0x7f && c != '\\') {
        strbuf_putc(shown, (char)c); /* plain ASCII: the common case */
        return 1;
    }
    char piece[5] = {0};
    memcpy(piece, p, length);
    text_safe_append(shown, piece, TEXT_SAFE_TERMINAL);
    if ((unsigned char)shown->data[0] < 0x80)
        return (int)shown->length; /* an escape: ASCII, one cell a byte */
    if (!utf8) {
        shown->length = 0;
        strbuf_putc(shown, '?'); /* a character this terminal cannot show */
        return 1;
    }
    mbstate_t state;
    memset(&state, 0, sizeof state);
    wchar_t wc;
    size_t got = mbrtowc(&wc, shown->data, shown->length, &state);
    int width = got == shown->length ? wcwidth(wc) : -1;
    if (width < 0) {
        /* printable for text_safe, not for this locale: the replacement character */
        shown->length = 0;
        strbuf_puts(shown, "\xef\xbf\xbd");
        return 1;
    }
    return width;
}

/* Fits `text` in `width` cells, appending to `out` what is drawn (`raw`
 * false) or the bytes of `text` that are (`raw`: for a text that is drawn
 * by widget_text later, and so escaped once, then). */
static int widget_fit(strbuf *out, const char *text, int width, bool raw) {
    if (!text || width <= 0)
        return 0;
    bool utf8 = widget_locale_utf8();
    const char *ellipsis = utf8 ? "\xe2\x80\xa6" : "~";
    strbuf shown = {0};
    strbuf_append(out, "", 0); /* out->data is never NULL from here */
    int cells = 0;
    size_t fits_length = out->length; /* where the text is cut when it does not fit */
    int fits_cells = 0;               /* the cells up to there, within width - 1 */
    bool drawn = false;               /* a character a combining mark can attach to */
    const char *p = text;
    while (*p) {
        size_t length = widget_piece_length((const unsigned char *)p);
        int w = widget_piece(p, length, utf8, &shown);
        p += length;
        if (w == 0 && !drawn)
            continue; /* a combining mark with nothing to combine with */
        if (cells + w > width) {
            /* does not fit: cut where the ellipsis fits too */
            out->length = fits_length;
            out->data[fits_length] = '\0';
            strbuf_puts(out, ellipsis);
            strbuf_free(&shown);
            return fits_cells + 1;
        }
        if (raw)
            strbuf_append(out, p - length, length);
        else
            strbuf_append(out, shown.data, shown.length);
        cells += w;
        drawn = true;
        /* the cut is after a character and any marks that follow it */
        if (cells <= width - 1) {
            fits_length = out->length;
            fits_cells = cells;
        }
    }
    strbuf_free(&shown);
    return cells;
}

int widget_text_fit(strbuf *out, const char *text, int width) {
    return widget_fit(out, text, width, false);
}

int widget_text_cut(strbuf *out, const char *text, int width) {
    return widget_fit(out, text, width, true);
}

int widget_text_middle(strbuf *out, const char *text, int width) {
    if (!text || width <= 0)
        return 0;
    int whole = widget_text_width(text);
    if (whole <= width || width < 3)
        return widget_fit(out, text, width, true);
    bool utf8 = widget_locale_utf8();
    /* the pieces of the text, with their widths, to count the end from the back */
    size_t n = 0, cap = 0;
    struct {
        size_t offset, length;
        int cells;
    } *pieces = NULL;
    strbuf shown = {0};
    bool drawn = false;
    for (const char *p = text; *p;) {
        size_t length = widget_piece_length((const unsigned char *)p);
        int w = widget_piece(p, length, utf8, &shown);
        if (!(w == 0 && !drawn)) {
            pieces = xgrow(pieces, &cap, n + 1, sizeof *pieces);
            pieces[n].offset = (size_t)(p - text);
            pieces[n].length = length;
            pieces[n].cells = w;
            n++;
            drawn = true;
        }
        p += length;
    }
    strbuf_free(&shown);
    int head_cells = (width - 1 + 1) / 2, tail_cells = width - 1 - head_cells;
    size_t head = 0; /* pieces [0, head) are kept at the start */
    int used = 0;
    while (head < n && used + pieces[head].cells <= head_cells)
        used += pieces[head++].cells;
    while (head < n && pieces[head].cells == 0) /* marks stay with their character */
        head++;
    size_t tail = n; /* pieces [tail, n) are kept at the end */
    int tail_used = 0;
    while (tail > head && tail_used + pieces[tail - 1].cells <= tail_cells + (head_cells - used))
        tail_used += pieces[--tail].cells;
    while (tail < n && pieces[tail].cells == 0) /* no mark without its character */
        tail++;
    strbuf_append(out, "", 0);
    if (head)
        strbuf_append(out, text, pieces[head - 1].offset + pieces[head - 1].length);
    strbuf_puts(out, utf8 ? "\xe2\x80\xa6" : "~");
    if (tail < n)
        strbuf_puts(out, text + pieces[tail].offset);
    free(pieces);
    return used + 1 + tail_used;
}

int widget_text_width(const char *text) {
    if (!text)
        return 0;
    bool utf8 = widget_locale_utf8();
    strbuf shown = {0};
    int cells = 0;
    bool drawn = false;
    for (const char *p = text; *p;) {
        size_t length = widget_piece_length((const unsigned char *)p);
        int w = widget_piece(p, length, utf8, &shown);
        p += length;
        if (w == 0 && !drawn)
            continue;
        cells += w;
        drawn = true;
    }
    strbuf_free(&shown);
    return cells;
}

void widget_pad(strbuf *out, const char *text, int width) {
    strbuf_puts(out, text ? text : "");
    for (int w = widget_text_width(text); w < width; w++)
        strbuf_putc(out, ' ');
}

const char *widget_cell_text(const widget_cell *cell) {
    return cell->text.data ? cell->text.data : "";
}

void widget_cell_printf(widget_cell *cell, const char *fmt, ...) {
    strbuf_append(&cell->text, "", 0);
    cell->text.length = 0;
    va_list ap;
    va_start(ap, fmt);
    char *text = xvasprintf(fmt, ap);
    va_end(ap);
    strbuf_puts(&cell->text, text);
    free(text);
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
    strbuf shown = {0};
    int cells = widget_text_fit(&shown, text ? text : "", width);
    attrset(attr);
    move(y, x);
    if (shown.length)
        addstr(shown.data);
    if (pad && cells < width) {
        move(y, x + cells);
        hline(' ', width - cells);
    }
    attrset(A_NORMAL);
    strbuf_free(&shown);
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

/* The least width of column `c`: its minimum, and for a sortable column
 * whose title fits in it, one cell more for the sort arrow. */
static int widget_min_width(const widget_column *col) {
    int least = col->min_width;
    int title = widget_text_width(col->title);
    if (col->hotkey && least >= title && least < title + 1)
        least = title + 1;
    return least;
}

/* Decides each column's drawn width (0 = dropped) for the available width:
 * every column at its least width, a fit column at what its cells need
 * (`want`); then columns are dropped from the right (never the first) until
 * the rest fit; the room left brings columns, left to right, up to their
 * preferred width, then goes to the columns that grow. */
static void widget_layout(const widget_column *cols, size_t n, int width, const int *want,
                          int *out) {
    int total = 0;
    for (size_t i = 0; i < n; i++) {
        out[i] = (cols[i].flags & WIDGET_FIT) ? want[i] : widget_min_width(&cols[i]);
        total += out[i] + (i ? 1 : 0);
    }
    for (size_t i = n; i-- > 1 && total > width;) {
        total -= out[i] + 1;
        out[i] = 0;
    }
    if (total > width)
        out[0] -= total - width;
    for (size_t i = 0; i < n && total < width; i++) {
        int pref = cols[i].width > want[i] ? cols[i].width : want[i];
        if (out[i] > 0 && !(cols[i].flags & WIDGET_FIT) && out[i] < pref) {
            int give = pref - out[i] < width - total ? pref - out[i] : width - total;
            out[i] += give;
            total += give;
        }
    }
    for (size_t i = 0; i < n && total < width; i++) {
        if ((cols[i].flags & WIDGET_GROW) && !(cols[i].flags & WIDGET_FIT) && out[i] > 0) {
            out[i] += width - total;
            total = width;
        }
    }
}

/* What a fit column wants: its widest cell and its title (with the arrow's
 * cell), at least its minimum, at most half the table. */
static int widget_fit_width(const widget_column *col, int width, size_t n_rows,
                            widget_cell_fn cell_fn, void *ctx, size_t c, widget_cell *cell) {
    int need = widget_text_width(col->title) + (col->hotkey ? 1 : 0);
    for (size_t row = 0; row < n_rows; row++) {
        widget_cell_printf(cell, "%s", "");
        cell_fn(ctx, row, c, 1000, cell);
        int w = widget_text_width(widget_cell_text(cell));
        if (w > need)
            need = w;
    }
    int least = widget_min_width(col), most = width / 2 > least ? width / 2 : least;
    return need < least ? least : need > most ? most : need;
}

bool widget_table_draw(int y, int x, int height, int width, const widget_column *cols, size_t n,
                       int sort_column, bool sort_desc, size_t n_rows, widget_list *list,
                       widget_cell_fn cell_fn, void *ctx) {
    int widths[32], want[32];
    if (n > 32)
        n = 32;
    widget_cell cell = {0}; /* its text is reused from cell to cell */
    for (size_t c = 0; c < n; c++)
        want[c] = (cols[c].flags & WIDGET_FIT)
                      ? widget_fit_width(&cols[c], width, n_rows, cell_fn, ctx, c, &cell)
                      : cols[c].width;
    widget_layout(cols, n, width, want, widths);
    bool utf8 = screen_utf8();
    /* Header: the arrow in a cell of its own, after a name's title, before a
     * figure's (on the side the column's text is aligned to). */
    widget_fill(y, x, width, screen_attr(ROLE_HEADER));
    int cx = x;
    for (size_t c = 0; c < n; c++) {
        if (widths[c] <= 0)
            continue;
        bool sorted = (int)c == sort_column;
        const char *arrow = sorted ? (sort_desc ? (utf8 ? "▼" : "v") : (utf8 ? "▲" : "^")) : "";
        strbuf title = {0};
        strbuf_append(&title, "", 0);
        bool right = cols[c].align == ALIGN_RIGHT;
        if (sorted && right)
            strbuf_puts(&title, arrow);
        widget_text_cut(&title, cols[c].title, widths[c] - (sorted ? 1 : 0));
        if (sorted && !right)
            strbuf_puts(&title, arrow);
        int tw = widget_text_width(title.data);
        int pad = right && tw < widths[c] ? widths[c] - tw : 0;
        int attr = screen_attr(sorted ? ROLE_HEADER_SORTED : ROLE_HEADER);
        widget_fill(y, cx, widths[c], screen_attr(ROLE_HEADER));
        widget_text(y, cx + pad, widths[c] - pad, attr, title.data, false);
        strbuf_free(&title);
        cx += widths[c] + 1;
    }
    int page = height - 1;
    widget_list_clamp(list, n_rows, page);
    strbuf cut = {0};
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
            widget_cell_printf(&cell, "%s", "");
            cell.role = ROLE_NORMAL;
            cell_fn(ctx, row, c, widths[c], &cell);
            const char *text = widget_cell_text(&cell);
            int tw = widget_text_width(text);
            if ((cols[c].flags & WIDGET_CUT_MIDDLE) && tw > widths[c]) {
                cut.length = 0;
                tw = widget_text_middle(&cut, text, widths[c]);
                text = cut.data;
            }
            int pad = cols[c].align == ALIGN_RIGHT && tw < widths[c] ? widths[c] - tw : 0;
            widget_text(ry, cx + pad, widths[c] - pad, selected ? base : screen_attr(cell.role),
                        text, false);
            cx += widths[c] + 1;
        }
    }
    strbuf_free(&cut);
    strbuf_free(&cell.text);
    return sort_column < 0 || (size_t)sort_column >= n || widths[sort_column] > 0;
}

/* widget_table_draw_shown's cell: the drawn column's index in the view's. */
typedef struct widget_shown {
    const int *shown;
    widget_cell_fn cell;
    void *ctx;
} widget_shown;

static void widget_shown_cell(void *ctx, size_t row, size_t column, int width, widget_cell *cell) {
    const widget_shown *s = ctx;
    s->cell(s->ctx, row, (size_t)s->shown[column], width, cell);
}

widget_sort_seen widget_table_draw_shown(int y, int x, int height, int width,
                                         const widget_column *cols, const int *shown,
                                         size_t n_shown, int sort_column, bool sort_desc,
                                         size_t n_rows, widget_list *list, widget_cell_fn cell_fn,
                                         void *ctx) {
    if (!shown)
        return widget_table_draw(y, x, height, width, cols, n_shown, sort_column, sort_desc, n_rows,
                                 list, cell_fn, ctx)
                   ? WIDGET_SORT_SHOWN
                   : WIDGET_SORT_NARROW;
    widget_column drawn[32];
    if (n_shown > 32)
        n_shown = 32;
    int sort = -1;
    for (size_t i = 0; i < n_shown; i++) {
        drawn[i] = cols[shown[i]];
        if (shown[i] == sort_column)
            sort = (int)i;
    }
    widget_shown s = {.shown = shown, .cell = cell_fn, .ctx = ctx};
    bool seen = widget_table_draw(y, x, height, width, drawn, n_shown, sort, sort_desc, n_rows,
                                  list, widget_shown_cell, &s);
    if (sort_column >= 0 && sort < 0)
        return WIDGET_SORT_HIDDEN;
    return seen ? WIDGET_SORT_SHOWN : WIDGET_SORT_NARROW;
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

void widget_text_squeeze(strbuf *out, const char *text, int width) {
    int over = widget_text_width(text) - width;
    const char *best = NULL;
    size_t best_len = 0;
    for (const char *p = text; over > 0 && *p;) {
        size_t n = strcspn(p, " \t");
        if (memchr(p, '/', n) && n > best_len) {
            best = p;
            best_len = n;
        }
        p += n;
        p += strspn(p, " \t");
    }
    if (!best) {
        strbuf_puts(out, text);
        return;
    }
    char *word = xstrndup(best, best_len);
    int keep = widget_text_width(word) - over;
    strbuf_printf(out, "%.*s", (int)(best - text), text);
    /* the file's name (after the last '/') stays whole, the directories
     * before it give way; a name too long for that loses its middle */
    const char *base = strrchr(word, '/') + 1;
    int base_w = widget_text_width(base);
    if (keep < base_w + 8)
        keep = base_w + 8;
    if (base_w + 8 <= keep && keep < widget_text_width(word)) {
        char *dir = xstrndup(word, (size_t)(base - 1 - word));
        widget_text_cut(out, dir, keep - base_w - 1);
        strbuf_putc(out, '/');
        strbuf_puts(out, base);
        free(dir);
    } else {
        widget_text_middle(out, word, keep > 16 ? keep : 16);
    }
    strbuf_puts(out, best + best_len);
    free(word);
}
