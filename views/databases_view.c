/* databases_view.c: the first screen: one row per database with its tables,
 * size, objects, stale tables, a month of its storage in USD ($/mo, cost.h)
 * and a 30-day size sparkline. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/figures/cost.h"
#include "collector/figures/history.h"
#include "common/fmt.h"
#include "common/xalloc.h"
#include "tui/screen.h"
#include "tui/sparkline.h"
#include "views/dashboard.h"

enum { COL_NAME, COL_TABLES, COL_SIZE, COL_OBJECTS, COL_STALE, COL_COST, COL_TREND };

static const widget_column databases_columns[] = {
    [COL_NAME] = {"Database", 18, 10, ALIGN_LEFT, WIDGET_NAME, 'N'},
    [COL_TABLES] = {"Tables", 6, 6, ALIGN_RIGHT, false, 'T'},
    [COL_SIZE] = {"Size", 10, 10, ALIGN_RIGHT, false, 'S'},
    [COL_OBJECTS] = {"Objects", 8, 8, ALIGN_RIGHT, false, 'O'},
    [COL_STALE] = {"Stale", 6, 6, ALIGN_RIGHT, false, 'X'},
    [COL_COST] = {"$/mo", 7, 7, ALIGN_RIGHT, false, '$'},
    [COL_TREND] = {"Size, 30 days", 30, 8, ALIGN_LEFT, false, 'M'},
};

typedef struct databases_rows {
    const lake_snapshot *s;
    const view_frame *f;
    size_t *idx;
    size_t n;
} databases_rows;

static int64_t databases_growth_30d(const database_stats *d) {
    int64_t delta = 0;
    history_growth(d->history, d->n_history, 30, &delta);
    return delta;
}

/* Dollars as a sort key (nano-dollars); unknown below $0. */
static int64_t databases_usd_key(double usd) {
    return usd < 0 ? -1 : (int64_t)(usd * 1e9 + 0.5);
}

static int databases_cmp(const void *pa, const void *pb, void *ctx) {
    const databases_rows *r = ctx;
    const database_stats *a = &r->s->databases[*(const size_t *)pa];
    const database_stats *b = &r->s->databases[*(const size_t *)pb];
    int64_t x = 0, y = 0;
    int c = 0;
    switch (r->f->sort_column) {
    case COL_NAME: c = strcmp(a->name, b->name); break;
    case COL_TABLES:
        x = (int64_t)a->n_tables;
        y = (int64_t)b->n_tables;
        break;
    case COL_SIZE:
        x = a->bytes;
        y = b->bytes;
        break;
    case COL_OBJECTS:
        x = a->objects;
        y = b->objects;
        break;
    case COL_STALE:
        x = (int64_t)a->stale_tables;
        y = (int64_t)b->stale_tables;
        break;
    case COL_COST:
        x = databases_usd_key(a->cost_month_usd);
        y = databases_usd_key(b->cost_month_usd);
        break;
    case COL_TREND:
        x = databases_growth_30d(a);
        y = databases_growth_30d(b);
        break;
    }
    return dashboard_sort_order(r->f, c, x, y, a->name, b->name);
}

static void databases_build(databases_rows *r, const lake_snapshot *s, const view_frame *f) {
    r->s = s;
    r->f = f;
    r->n = 0;
    r->idx = xcalloc(s ? s->n_databases + 1 : 1, sizeof *r->idx);
    for (size_t i = 0; s && i < s->n_databases; i++)
        if (dashboard_filter_match(f, s->databases[i].name))
            r->idx[r->n++] = i;
    qsort_r(r->idx, r->n, sizeof *r->idx, databases_cmp, r);
}

static const char *databases_row_name(void *ctx, size_t row) {
    databases_rows *r = ctx;
    return r->s->databases[r->idx[row]].name;
}

static void databases_cell(void *ctx, size_t row, size_t col, int width, widget_cell *cell) {
    databases_rows *r = ctx;
    const database_stats *d = &r->s->databases[r->idx[row]];
    char figure[128];
    switch (col) {
    case COL_NAME:
        /* a resource link names what it points to */
        widget_cell_printf(cell, "%s%s%s%s", d->error || d->error_tables ? "! " : "", d->name,
                           d->shared_from ? (screen_utf8() ? " → " : " -> ") : "",
                           d->shared_from ? d->shared_from : "");
        cell->role = d->error || d->error_tables ? ROLE_ERROR : ROLE_NAME;
        break;
    case COL_TABLES: widget_cell_printf(cell, "%zu", d->n_tables); break;
    case COL_SIZE:
        fmt_bytes(d->bytes, figure, sizeof figure);
        widget_cell_printf(cell, "%s", figure);
        cell->role = ROLE_SIZE;
        break;
    case COL_OBJECTS:
        fmt_count(d->objects, figure, sizeof figure);
        widget_cell_printf(cell, "%s", figure);
        break;
    case COL_STALE:
        widget_cell_printf(cell, "%zu", d->stale_tables);
        cell->role = d->stale_tables ? ROLE_STALE_WARN : ROLE_DIM;
        break;
    case COL_COST:
        widget_cell_printf(cell, "%s", cost_format_usd(d->cost_month_usd, figure, sizeof figure));
        cell->role = ROLE_DIM;
        break;
    case COL_TREND: {
        double values[32];
        size_t days = width < 30 ? (size_t)width : 30;
        history_window(d->history, d->n_history, fmt_day_of(r->s->generated_at), days, values);
        sparkline_render(values, days, days, screen_utf8(), figure, sizeof figure);
        widget_cell_printf(cell, "%s", figure);
        cell->role = ROLE_SPARKLINE;
        break;
    }
    }
}

static void databases_draw(dashboard *a, view_frame *f, int y, int height, int width) {
    databases_rows r;
    databases_build(&r, a->snapshot, f);
    dashboard_restore_selection(f, r.n, databases_row_name, &r, height - 1);
    f->table_y = y;
    dashboard_table_draw(a, f, y, height, width, r.n, databases_cell, &r);
    if (!a->snapshot)
        widget_text(y + 2, 2, width - 4, screen_attr(ROLE_DIM), "Reading the lake...", false);
    else if (r.n == 0)
        widget_text(y + 2, 2, width - 4, screen_attr(ROLE_DIM),
                    f->filter.length ? "No database matches the filter."
                                     : "The catalog has no databases.",
                    false);
    free(r.idx);
}

static bool databases_key(dashboard *a, view_frame *f, int key, key_action action, int page_rows) {
    databases_rows r;
    databases_build(&r, a->snapshot, f);
    bool enter = false;
    bool handled = dashboard_list_key(f, &databases_view, r.n, databases_row_name, &r, key, action,
                                      page_rows, &enter);
    if (enter)
        dashboard_push(a, VIEW_TABLES, databases_row_name(&r, f->list.selected), NULL);
    free(r.idx);
    return handled;
}

const view_ops databases_view = {
    .title = "Databases",
    .columns = databases_columns,
    .n_columns = sizeof databases_columns / sizeof databases_columns[0],
    .default_sort = COL_NAME,
    .default_descending = false,
    .draw = databases_draw,
    .key = databases_key,
};
