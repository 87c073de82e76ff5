/* dashboard_status.c: the bottom of the dashboard: the status bar (the
 * collector's state, the data's age, actions running, errors, the sort, the
 * source, the hint for help) and the message line above it (a message, the
 * last error, the config's warning). */
#include "views/dashboard.h"

#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/fmt.h"
#include "common/xalloc.h"
#include "tui/screen.h"

bool dashboard_has_message_line(const dashboard *a) {
    return (a->message && clock_monotonic_ms() < a->message_until) || a->status.last_error ||
           (a->snapshot && a->snapshot->error) || a->config_note;
}

/* " | sorted by Size ▼" for a view whose rows are sorted, and when the
 * sort column is left out at this width, says so; `compact`: " | sort:
 * Size ▼", "(hidden at this width)". */
static void dashboard_status_sort(const dashboard *a, strbuf *line, bool compact) {
    const view_frame *f = &a->stack[a->depth - 1];
    const view_ops *v = dashboard_view(f->id);
    if (v->default_sort < 0 || f->sort_column < 0 || (size_t)f->sort_column >= v->n_columns)
        return;
    bool utf8 = screen_utf8();
    strbuf_printf(line, " | %s %s %s%s", compact ? "sort:" : "sorted by",
                  v->columns[f->sort_column].title,
                  f->sort_descending ? (utf8 ? "▼" : "v") : (utf8 ? "▲" : "^"),
                  f->sort_hidden == WIDGET_SORT_SHOWN    ? ""
                  : f->sort_hidden == WIDGET_SORT_HIDDEN ? " (column hidden: F2)"
                  : compact                              ? " (hidden at this width)"
                                                         : " (column hidden at this width)");
}

/* Appends the sort and the source to the status line: the sort in full
 * when the whole source fits beside it, else shorter, and then the source
 * cut in its middle (a path keeps its end) to the room left. */
static void dashboard_status_tail(const dashboard *a, strbuf *line, const char *source, int cols) {
    int head = widget_text_width(line->data);
    int source_w = source ? widget_text_width(source) + 3 : 0;
    strbuf sort = {0};
    dashboard_status_sort(a, &sort, false);
    /* the sort in full while the source keeps 24 cells (cut in its middle) */
    if (sort.length &&
        head + widget_text_width(sort.data) + (source_w < 24 ? source_w : 24) > cols) {
        strbuf_free(&sort);
        dashboard_status_sort(a, &sort, true);
    }
    if (sort.length)
        strbuf_puts(line, sort.data);
    strbuf_free(&sort);
    if (!source)
        return;
    strbuf_puts(line, " | ");
    int room = cols - widget_text_width(line->data);
    if (room < 16)
        room = 16;
    /* "aws:prod@eu-west-1 (https://endpoint)": the endpoint gives way first,
     * the profile and region stay; else the middle goes (a path's end stays) */
    const char *paren = strstr(source, " (");
    char *name = paren ? xstrndup(source, (size_t)(paren - source)) : NULL;
    if (name && widget_text_width(name) + 4 <= room)
        widget_text_cut(line, source, room);
    else
        widget_text_middle(line, source, room);
    free(name);
}

void dashboard_draw_status(dashboard *a, int y, int cols) {
    int attr = screen_attr(ROLE_STATUS);
    widget_fill(y, 0, cols, attr);
    strbuf line = {0};
    const char *state = "";
    switch (a->status.state) {
    case COLLECTOR_STARTING: state = "starting"; break;
    case COLLECTOR_SCANNING: state = "scanning..."; break;
    case COLLECTOR_IDLE: state = "idle"; break;
    case COLLECTOR_STOPPED: state = "stopped"; break;
    }
    strbuf_printf(&line, " %s", state);
    if (a->snapshot && a->snapshot->generated_at >= 0) {
        char age[32];
        fmt_age(a->now - snapshot_figures_at(a->snapshot), age, sizeof age);
        strbuf_printf(&line, " | data %s old%s", age,
                      a->snapshot->from_saved_state ? " (saved)" : "");
    } else {
        strbuf_puts(&line, " | no data yet");
    }
    size_t running = a->jobs ? jobs_running(a->jobs) : 0;
    if (running)
        strbuf_printf(&line, " | %zu %s running (a)", running,
                      fmt_plural((int64_t)(running), "action", "actions"));
    if (a->snapshot && a->snapshot->error_tables)
        strbuf_printf(&line, " | %zu %s with errors", a->snapshot->error_tables,
                      fmt_plural((int64_t)(a->snapshot->error_tables), "table", "tables"));
    if (a->snapshot && a->snapshot->history_refused) /* the message line says which and where */
        strbuf_printf(&line, " | %zu history %s refused", a->snapshot->history_refused,
                      fmt_plural((int64_t)(a->snapshot->history_refused), "line", "lines"));
    const char *source = a->snapshot ? a->snapshot->source : a->source_name;
    /* the hint for a new user stays: the source is cut (in its middle) first */
    const char *right = " ? help  q quit ";
    int rw = (int)strlen(right);
    dashboard_status_tail(a, &line, source, cols - rw - 1);
    widget_text(y, 0, cols, attr, line.data, false);
    int used = widget_text_width(line.data);
    strbuf_free(&line);
    if (cols - used > rw)
        widget_text(y, cols - rw, rw, attr, right, false);
    /* The message line above the status bar: a transient message, else the
     * collector's last error. */
    const char *msg = NULL;
    theme_role role = ROLE_NORMAL;
    if (a->message && clock_monotonic_ms() < a->message_until) {
        msg = a->message;
    } else if (a->status.last_error) {
        msg = a->status.last_error;
        role = ROLE_STATUS_ERROR;
    } else if (a->snapshot && a->snapshot->error) {
        msg = a->snapshot->error;
        role = ROLE_STATUS_ERROR;
    } else if (a->config_note) {
        msg = a->config_note;
        role = ROLE_STALE_WARN;
    }
    if (msg) { /* a path in it loses its middle before the end is cut */
        strbuf text = {0};
        strbuf_putc(&text, ' ');
        widget_text_squeeze(&text, msg, cols - 1);
        widget_text(y - 1, 0, cols, screen_attr(role), text.data, true);
        strbuf_free(&text);
    }
}
