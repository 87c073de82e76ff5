/* overview_view.c: the lake on one screen: the totals line, then the
 * lines of views/overview_rows.c (what is wrong first, then what is worth
 * knowing), each a row: Enter jumps to its table (or to the crawlers, to
 * the Pipeline view on a job, or to a database's tables fewest queries
 * first); `/` filters them. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fmt.h"
#include "common/xalloc.h"
#include "tui/screen.h"
#include "views/dashboard.h"
#include "views/overview_rows.h"

enum { COL_WHAT, COL_TABLE, COL_FIGURE };

static const widget_column overview_columns[] = {
    [COL_WHAT] = {"Look at", 16, 10, ALIGN_LEFT, false, 0},
    [COL_TABLE] = {"Table", 36, 12, ALIGN_LEFT, WIDGET_CUT_MIDDLE, 0},
    [COL_FIGURE] = {"Why", 40, 10, ALIGN_LEFT, true, 0},
};

/* `/` in the Overview: only the lines whose name (what and db.table, or
 * the crawler) holds the filter's text. */
static void overview_filter(overview_rows *r, const view_frame *f) {
    size_t kept = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (dashboard_filter_match(f, r->v[i].name)) {
            r->v[kept++] = r->v[i];
        } else {
            free(r->v[i].name);
            free(r->v[i].figure);
        }
    }
    r->n = kept;
}

static const char *overview_row_name(void *ctx, size_t row) {
    return ((overview_rows *)ctx)->v[row].name;
}

static void overview_cell(void *ctx, size_t row, size_t col, int width, widget_cell *cell) {
    const overview_rows *r = ctx;
    const overview_row *o = &r->v[row];
    switch (col) {
    case COL_WHAT:
        widget_cell_printf(cell, "%s", o->what);
        cell->role = o->role;
        break;
    case COL_TABLE:
        if (o->database != SIZE_MAX) {
            const database_stats *d = &r->s->databases[o->database];
            widget_cell_printf(cell, "%s", d->name);
        } else if (o->table != SIZE_MAX) {
            const table_stats *t = &r->s->tables[o->table];
            widget_cell_printf(cell, "%s.%s", t->database, t->name);
            if (width > 0 && widget_text_width(widget_cell_text(cell)) > width) {
                /* a long database is cut first: the table stays in sight;
                 * both lose their middle, their ends stay readable */
                strbuf shown = {0};
                widget_text_middle(&shown, t->database, width / 3 > 4 ? width / 3 : 4);
                strbuf_putc(&shown, '.');
                widget_text_middle(&shown, t->name, width - widget_text_width(shown.data));
                widget_cell_printf(cell, "%s", shown.data);
                strbuf_free(&shown);
            }
        } else if (o->job)
            widget_cell_printf(cell, "%s", o->job->name);
        else
            widget_cell_printf(cell, "%s", r->s->crawlers[o->crawler].name);
        cell->role = ROLE_NAME;
        break;
    case COL_FIGURE:
        widget_cell_printf(cell, "%s", o->figure);
        cell->role = ROLE_NORMAL;
        break;
    }
}

static void overview_draw(dashboard *a, view_frame *f, int y, int height, int width) {
    const lake_snapshot *s = a->snapshot;
    overview_rows r;
    overview_build(&r, s);
    overview_filter(&r, f);
    if (s) {
        int64_t bytes = 0, objects = 0;
        size_t stale = 0, late = 0, anomalies = 0;
        for (size_t i = 0; i < s->n_tables; i++) {
            bytes += s->tables[i].bytes > 0 ? s->tables[i].bytes : 0;
            objects += s->tables[i].objects > 0 ? s->tables[i].objects : 0;
            stale += s->tables[i].stale == STALE_WARN || s->tables[i].stale == STALE_CRIT;
            late += s->tables[i].late;
            anomalies += s->tables[i].anomaly;
        }
        char b[32], o[32], line[256];
        fmt_bytes(bytes, b, sizeof b);
        fmt_count(objects, o, sizeof o);
        snprintf(line, sizeof line, "%zu %s, %zu %s, %s %s, %s; %zu stale, %zu late, %zu %s",
                 s->n_databases, fmt_plural((int64_t)(s->n_databases), "database", "databases"),
                 s->n_tables, fmt_plural((int64_t)(s->n_tables), "table", "tables"), o,
                 fmt_plural((int64_t)(objects), "file", "files"), b, stale, late, anomalies,
                 fmt_plural((int64_t)(anomalies), "anomaly", "anomalies"));
        widget_text(y, 1, width - 2, screen_attr(ROLE_NORMAL), line, false);
        /* how long the last refresh took and, on an account that bills per
         * request, what it sent and costs a day; a month of the storage */
        int n = 0;
        line[0] = '\0';
        if (!s->from_saved_state && s->scan_ms >= 0) {
            n = s->scan_ms < 1000
                    ? snprintf(line, sizeof line, "last refresh %lld ms", (long long)s->scan_ms)
                    : snprintf(line, sizeof line, "last refresh %.1f s", (double)s->scan_ms / 1000);
            if (s->requests >= 0 && n > 0 && (size_t)n < sizeof line)
                n +=
                    snprintf(line + n, sizeof line - (size_t)n, ", %lld %s", (long long)s->requests,
                             fmt_plural((int64_t)(s->requests), "request", "requests"));
            if (s->requests >= 0 && s->requests_by_kind[0] >= 0 && n > 0 &&
                (size_t)n < sizeof line) {
                /* split by what they were for, the kinds that sent any */
                const char *sep = " (";
                for (int k = 0; k < SNAPSHOT_REQUEST_KINDS && (size_t)n < sizeof line; k++) {
                    if (s->requests_by_kind[k] <= 0)
                        continue;
                    n += snprintf(line + n, sizeof line - (size_t)n, "%s%lld %s", sep,
                                  (long long)s->requests_by_kind[k], snapshot_request_kind_name(k));
                    sep = ", ";
                }
                if (sep[0] == ',' && (size_t)n < sizeof line)
                    n += snprintf(line + n, sizeof line - (size_t)n, ")");
            }
            if (s->refresh_day_usd >= 0 && n > 0 && (size_t)n < sizeof line)
                n +=
                    snprintf(line + n, sizeof line - (size_t)n, " ($%.4f/day)", s->refresh_day_usd);
        }
        if (s->storage_month_usd >= 0 && n >= 0 && (size_t)n < sizeof line)
            snprintf(line + n, sizeof line - (size_t)n, "%sstorage $%.4f/month", n ? "; " : "",
                     s->storage_month_usd);
        if (line[0])
            widget_text(y + 1, 1, width - 2, screen_attr(ROLE_DIM), line, false);
        dashboard_restore_selection(f, r.n, overview_row_name, &r, height - 3);
    }
    /* the Table column as wide as the longest name, so Why keeps the rest */
    widget_column cols[sizeof overview_columns / sizeof overview_columns[0]];
    memcpy(cols, overview_columns, sizeof cols);
    int longest = cols[COL_TABLE].min_width;
    widget_cell cell = {0};
    for (size_t i = 0; i < r.n; i++) {
        overview_cell(&r, i, COL_TABLE, 0, &cell);
        int w = widget_text_width(widget_cell_text(&cell));
        if (w > longest)
            longest = w;
    }
    strbuf_free(&cell.text);
    cols[COL_TABLE].width =
        longest < overview_columns[COL_TABLE].width ? longest : overview_columns[COL_TABLE].width;
    f->table_y = y + 2;
    widget_table_draw(y + 2, 0, height - 2, width, cols, sizeof cols / sizeof cols[0], -1, false,
                      r.n, &f->list, overview_cell, &r);
    if (!s)
        widget_text(y + 4, 2, width - 4, screen_attr(ROLE_DIM), "Reading the lake...", false);
    else if (!r.n && f->filter.length)
        widget_text(y + 4, 2, width - 4, screen_attr(ROLE_DIM),
                    "No line matches the filter (Esc clears it).", false);
    overview_free(&r);
}

static bool overview_key(dashboard *a, view_frame *f, int key, key_action action, int page_rows) {
    overview_rows r;
    overview_build(&r, a->snapshot);
    overview_filter(&r, f);
    bool enter = false;
    bool handled = a->snapshot && dashboard_list_key(f, &overview_view, r.n, overview_row_name, &r,
                                                     key, action, page_rows, &enter);
    if (enter && f->list.selected < r.n) {
        const overview_row *o = &r.v[f->list.selected];
        if (o->database != SIZE_MAX) {
            /* the database's tables, fewest queries first: the never
             * queried on top, the others below them for comparison */
            dashboard_push(a, VIEW_TABLES, r.s->databases[o->database].name, NULL);
            view_frame *tables = &a->stack[a->depth - 1];
            dashboard_sort_hotkey(tables, &tables_view, 'Q');
            tables->sort_descending = false;
        } else if (o->job) {
            /* the Pipeline view, on that job */
            dashboard_push(a, VIEW_PIPELINE, NULL, NULL);
            dashboard_remember_selection(&a->stack[a->depth - 1], o->job->name);
        } else if (o->table != SIZE_MAX)
            dashboard_push(a, VIEW_DETAIL, r.s->tables[o->table].database,
                           r.s->tables[o->table].name);
        else {
            /* the Crawlers view, on the crawler that failed */
            dashboard_push(a, VIEW_CRAWLERS, NULL, NULL);
            dashboard_remember_selection(&a->stack[a->depth - 1], r.s->crawlers[o->crawler].name);
        }
    }
    overview_free(&r);
    return handled || (!a->snapshot && action != ACTION_NONE);
}

const view_ops overview_view = {
    .title = "Overview",
    .columns = overview_columns,
    .n_columns = sizeof overview_columns / sizeof overview_columns[0],
    .default_sort = -1,
    .draw = overview_draw,
    .key = overview_key,
};
