/* dashboard_title.c: the title bar: the path down the view stack and, on
 * the right, who the figures are read as (profile, region, account, role),
 * a profile switch in progress and read-only mode. */
#include <stdlib.h>

#include "common/xalloc.h"
#include "tui/screen.h"
#include "tui/widgets.h"
#include "views/dashboard.h"

/* "ops@eu-west-1 123456789012 ops-readonly ", "... identity unknown ", and
 * while another profile is being read "(switching to staging...) " (or,
 * when its reading failed, "(switching to staging: not read yet,
 * retrying...) "); nothing
 * for the local lake. */
void dashboard_title_identity(const dashboard *a, strbuf *out, bool with_profile) {
    const snapshot_identity *id = a->snapshot ? a->snapshot->identity : NULL;
    if (id) {
        char *label = snapshot_identity_label(id);
        if (with_profile)
            strbuf_printf(out, "%s@%s ", id->profile ? id->profile : "?",
                          id->region ? id->region : "?");
        strbuf_printf(out, "%s ", label);
        free(label);
    }
    if (a->switching_to && a->status.last_error) /* the reason is on the message line */
        strbuf_printf(out, "(switching to %s: not read yet, retrying...) ", a->switching_to);
    else if (a->switching_to)
        strbuf_printf(out, "(switching to %s...) ", a->switching_to);
}

/* A name in the title's path, cut in the middle to `cells`. */
static void dashboard_title_name(strbuf *title, const char *sep, const char *name, int cells) {
    strbuf_puts(title, sep);
    widget_text_middle(title, name, cells);
}

/* The path down the stack with each name cut to `cells`; returns how many
 * names it holds. */
static int dashboard_title_names(const dashboard *a, strbuf *title, int cells) {
    const char *sep = screen_utf8() ? " › " : " > ";
    int names = 0;
    strbuf_puts(title, " laketop");
    for (int i = 0; i < a->depth; i++) {
        const view_frame *f = &a->stack[i];
        const view_frame *below = i ? &a->stack[i - 1] : NULL;
        if (f->id == VIEW_DATABASES && i + 1 < a->depth && a->stack[i + 1].id == VIEW_OVERVIEW)
            continue;
        if (f->id == VIEW_TABLES) {
            dashboard_title_name(title, sep, f->database, cells);
            names++;
        } else if (f->id == VIEW_DETAIL && below && below->id == VIEW_TABLES) {
            dashboard_title_name(title, sep, f->table, cells);
            names++;
        } else if (f->id == VIEW_DETAIL) {
            dashboard_title_name(title, sep, f->database, cells);
            dashboard_title_name(title, sep, f->table, cells);
            names += 2;
        } else
            strbuf_printf(title, "%s%s", sep, dashboard_view(f->id)->title);
    }
    return names;
}

/* The path down the stack: Databases > sales > orders, or Overview >
 * sales > orders when the table was opened from the Overview (which
 * stands for the whole lake, over Databases); each name cut in its middle
 * to a third of `cols` (12 cells at least), less when the path would not
 * fit in `cols` (6 at least), so that the last name keeps its end. */
static void dashboard_title_path(const dashboard *a, strbuf *title, int cols) {
    strbuf fixed = {0};
    int names = dashboard_title_names(a, &fixed, 0);
    int room = cols - widget_text_width(fixed.data);
    strbuf_free(&fixed);
    int cells = cols / 3 > 12 ? cols / 3 : 12;
    if (names && room / names < cells)
        cells = room / names > 6 ? room / names : 6;
    dashboard_title_names(a, title, cells);
}

void dashboard_draw_title(dashboard *a, int cols) {
    int attr = screen_attr(ROLE_TITLE);
    widget_fill(0, 0, cols, attr);
    strbuf title = {0};
    dashboard_title_path(a, &title, cols);
    /* on the right, in sight whatever the path: the profile and region
     * (left out when they do not fit beside the path: the status bar has
     * them), the account and role (prod and staging look alike), a switch
     * in progress, read-only; the path gets the rest */
    strbuf right = {0};
    int path_width = widget_text_width(title.data);
    for (int with_profile = 1; with_profile >= 0; with_profile--) {
        strbuf_free(&right);
        dashboard_title_identity(a, &right, with_profile);
        if (a->read_only)
            strbuf_puts(&right, "[read-only] ");
        int rw = right.length ? widget_text_width(right.data) : 0;
        if (!rw || rw <= cols / 2 || path_width + rw + 1 <= cols)
            break;
    }
    int w = right.length ? widget_text_width(right.data) : 0;
    if (w > cols - path_width - 1 && w > cols / 2)
        w = cols - path_width - 1 > cols / 2 ? cols - path_width - 1 : cols / 2;
    int path_cols = w ? cols - w - 1 : cols;
    if (path_cols < cols) { /* the names cut for the room left */
        strbuf_free(&title);
        dashboard_title_path(a, &title, path_cols);
    }
    widget_text(0, 0, path_cols, attr, title.data, false);
    if (w)
        widget_text(0, cols - w, w, attr, right.data, false);
    strbuf_free(&right);
    strbuf_free(&title);
}
