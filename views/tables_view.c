/* tables_view.c: the tables of one database: size, files, average file size,
 * last data (coloured by staleness), 7-day growth, projected size in 30 days,
 * a month of its storage in USD ($/mo, cost.h), 30-day sparkline. An open-format table's name
 * carries its mark (format_mark.h: "ice", "Δ", "hudi"; "~" when its figures are the listing's); its
 * Size and Files are then its live files. */
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
#include "views/format_mark.h"

enum {
    COL_NAME,
    COL_SIZE,
    COL_FILES,
    COL_AVG,
    COL_LAST,
    COL_GROWTH,
    COL_PROJECTED,
    COL_QUERIES,
    COL_COST,
    COL_QUOTA,
    COL_TREND
};

static const widget_column tables_columns[] = {
    [COL_NAME] = {"Table", 20, 10, ALIGN_LEFT, WIDGET_NAME, 'N'},
    [COL_SIZE] = {"Size", 9, 9, ALIGN_RIGHT, false, 'S'},
    [COL_FILES] = {"Files", 7, 7, ALIGN_RIGHT, false, 'F'},
    [COL_AVG] = {"Avg file", 9, 9, ALIGN_RIGHT, false, 'A'},
    [COL_LAST] = {"Last data", 9, 9, ALIGN_RIGHT, false, 'L'},
    [COL_GROWTH] = {"7d growth", 10, 10, ALIGN_RIGHT, false, 'W'},
    [COL_PROJECTED] = {"In 30d", 9, 9, ALIGN_RIGHT, false, 'E'},
    [COL_QUERIES] = {"Queries", 7, 7, ALIGN_RIGHT, false, 'Q'},
    [COL_COST] = {"$/mo", 7, 7, ALIGN_RIGHT, false, '$'},
    [COL_QUOTA] = {"Quota in", 8, 8, ALIGN_RIGHT, WIDGET_ASCENDING_FIRST, 'U'},
    [COL_TREND] = {"Size, 30 days", 30, 8, ALIGN_LEFT, false, 'M'},
};

typedef struct tables_rows {
    const lake_snapshot *s;
    const view_frame *f;
    size_t *idx;
    size_t n;
} tables_rows;

static int64_t tables_avg(const table_stats *t) {
    return t->objects > 0 ? t->bytes / t->objects : -1;
}

/* Days until the quota: reached first, then soonest; never reached, then
 * no quota, last. */
static int64_t tables_quota_key(const table_stats *t) {
    if (t->quota_bytes <= 0)
        return INT64_MAX;
    return t->days_to_quota >= 0 ? t->days_to_quota : INT64_MAX - 1;
}

/* Dollars as a sort key (nano-dollars); unknown below $0. */
static int64_t tables_usd_key(double usd) {
    return usd < 0 ? -1 : (int64_t)(usd * 1e9 + 0.5);
}

static int tables_cmp(const void *pa, const void *pb, void *ctx) {
    const tables_rows *r = ctx;
    const table_stats *a = &r->s->tables[*(const size_t *)pa];
    const table_stats *b = &r->s->tables[*(const size_t *)pb];
    int64_t x = 0, y = 0;
    int c = 0;
    switch (r->f->sort_column) {
    case COL_NAME: c = strcmp(a->name, b->name); break;
    case COL_SIZE:
        x = a->bytes;
        y = b->bytes;
        break;
    case COL_FILES:
        x = a->objects;
        y = b->objects;
        break;
    case COL_AVG:
        x = tables_avg(a);
        y = tables_avg(b);
        break;
    case COL_LAST:
        /* unknown staleness sorts as the stalest */
        x = a->staleness_seconds < 0 ? INT64_MAX : a->staleness_seconds;
        y = b->staleness_seconds < 0 ? INT64_MAX : b->staleness_seconds;
        break;
    case COL_GROWTH:
        x = a->has_growth_7d ? a->growth_7d_bytes : INT64_MIN;
        y = b->has_growth_7d ? b->growth_7d_bytes : INT64_MIN;
        break;
    case COL_PROJECTED: /* no forecast sorts as the smallest */
        x = a->has_forecast ? a->projected_bytes_30d : INT64_MIN;
        y = b->has_forecast ? b->projected_bytes_30d : INT64_MIN;
        break;
    case COL_QUERIES: /* unknown sorts below never queried */
        x = a->queries_30d;
        y = b->queries_30d;
        break;
    case COL_COST:
        x = tables_usd_key(a->cost_month_usd);
        y = tables_usd_key(b->cost_month_usd);
        break;
    case COL_QUOTA:
        x = tables_quota_key(a);
        y = tables_quota_key(b);
        break;
    case COL_TREND:
        x = a->has_growth_30d ? a->growth_30d_bytes : INT64_MIN;
        y = b->has_growth_30d ? b->growth_30d_bytes : INT64_MIN;
        break;
    }
    return dashboard_sort_order(r->f, c, x, y, a->name, b->name);
}

static void tables_build(tables_rows *r, const lake_snapshot *s, const view_frame *f) {
    r->s = s;
    r->f = f;
    r->n = 0;
    const database_stats *d = s ? snapshot_find_database(s, f->database) : NULL;
    r->idx = xcalloc(d ? d->n_tables + 1 : 1, sizeof *r->idx);
    for (size_t i = 0; d && i < d->n_tables; i++)
        if (dashboard_filter_match(f, s->tables[d->first_table + i].name))
            r->idx[r->n++] = d->first_table + i;
    qsort_r(r->idx, r->n, sizeof *r->idx, tables_cmp, r);
}

static const char *tables_row_name(void *ctx, size_t row) {
    tables_rows *r = ctx;
    return r->s->tables[r->idx[row]].name;
}

static theme_role tables_stale_role(const table_stats *t) {
    switch (t->stale) {
    case STALE_FRESH: return ROLE_FRESH;
    case STALE_WARN: return ROLE_STALE_WARN;
    case STALE_CRIT: return ROLE_STALE_CRIT;
    case STALE_UNKNOWN: break;
    }
    return ROLE_DIM;
}

/* "! " for an error, the name, then the format's mark after a space; a
 * name too long for the column loses its middle, the mark stays whole
 * (when the column has room for it and a few cells of the name). */
static void tables_name_cell(const table_stats *t, int width, widget_cell *cell) {
    const char *error = t->error ? "! " : "";
    const char *mark = format_mark(t, screen_utf8());
    if (!mark) {
        widget_cell_printf(cell, "%s%s", error, t->name);
        return;
    }
    int room = width - widget_text_width(error) - 1 - widget_text_width(mark);
    if (widget_text_width(t->name) <= room || room < 4) {
        widget_cell_printf(cell, "%s%s %s", error, t->name, mark);
        return;
    }
    strbuf name = {0};
    strbuf_puts(&name, error);
    widget_text_middle(&name, t->name, room);
    widget_cell_printf(cell, "%s %s", name.data, mark);
    strbuf_free(&name);
}

static void tables_cell(void *ctx, size_t row, size_t col, int width, widget_cell *cell) {
    tables_rows *r = ctx;
    const table_stats *t = &r->s->tables[r->idx[row]];
    char figure[128] = "";
    char *out = figure;
    size_t size = sizeof figure;
    switch (col) {
    case COL_NAME:
        tables_name_cell(t, width, cell);
        cell->role = t->error ? ROLE_ERROR : ROLE_NAME;
        return;
    case COL_SIZE:
        if (t->bytes >= 0)
            fmt_bytes(t->bytes, out, size);
        else
            snprintf(out, size, "-");
        cell->role = ROLE_SIZE;
        break;
    case COL_FILES: fmt_count(t->objects, out, size); break;
    case COL_AVG:
        if (tables_avg(t) >= 0)
            fmt_bytes(tables_avg(t), out, size);
        else
            snprintf(out, size, "-");
        cell->role = ROLE_DIM;
        break;
    case COL_LAST:
        if (t->objects == 0)
            snprintf(out, size, "empty");
        else
            fmt_age(t->staleness_seconds, out, size);
        cell->role = tables_stale_role(t);
        break;
    case COL_PROJECTED:
        if (t->has_forecast)
            fmt_bytes(t->projected_bytes_30d, out, size);
        else
            snprintf(out, size, "-");
        cell->role = ROLE_DIM;
        break;
    case COL_QUERIES:
        if (t->queries_30d >= 0)
            fmt_count(t->queries_30d, out, size);
        else
            snprintf(out, size, "-");
        cell->role = t->queries_30d == 0 ? ROLE_STALE_WARN : ROLE_DIM;
        break;
    case COL_COST:
        cost_format_usd(t->cost_month_usd, out, size);
        cell->role = ROLE_DIM;
        break;
    case COL_QUOTA:
        cell->role = ROLE_DIM;
        if (t->quota_bytes <= 0) {
            snprintf(out, size, "-");
        } else if (t->days_to_quota == 0) {
            snprintf(out, size, "reached");
            cell->role = ROLE_STALE_CRIT;
        } else if (t->days_to_quota > 0) {
            snprintf(out, size, "%lldd", (long long)t->days_to_quota);
            if (t->days_to_quota <= 30)
                cell->role = ROLE_STALE_WARN;
        } else {
            snprintf(out, size, "never");
        }
        break;
    case COL_GROWTH:
        if (t->has_growth_7d) {
            fmt_bytes_delta(t->growth_7d_bytes, out, size);
            cell->role = t->growth_7d_bytes > 0   ? ROLE_GROWTH_UP
                         : t->growth_7d_bytes < 0 ? ROLE_GROWTH_DOWN
                                                  : ROLE_DIM;
        } else {
            snprintf(out, size, "-");
            cell->role = ROLE_DIM;
        }
        break;
    case COL_TREND: {
        double values[32];
        size_t days = width < 30 ? (size_t)width : 30;
        history_window(t->history, t->n_history, fmt_day_of(r->s->generated_at), days, values);
        sparkline_render(values, days, days, screen_utf8(), out, size);
        cell->role = ROLE_SPARKLINE;
        break;
    }
    }
    widget_cell_printf(cell, "%s", figure);
}

static void tables_draw(dashboard *a, view_frame *f, int y, int height, int width) {
    tables_rows r;
    tables_build(&r, a->snapshot, f);
    dashboard_restore_selection(f, r.n, tables_row_name, &r, height - 1);
    f->table_y = y;
    dashboard_table_draw(a, f, y, height, width, r.n, tables_cell, &r);
    const char *empty = NULL;
    if (!a->snapshot)
        empty = "Reading the lake...";
    else if (!snapshot_find_database(a->snapshot, f->database))
        empty = "This database is no longer in the catalog. Esc goes back.";
    else if (r.n == 0)
        empty = f->filter.length ? "No table matches the filter." : "This database has no tables.";
    if (empty)
        widget_text(y + 2, 2, width - 4, screen_attr(ROLE_DIM), empty, false);
    free(r.idx);
}

/* The crawler whose S3 target holds the table's location, or NULL. */
static const crawler_info *tables_crawler_of(const lake_snapshot *s, const table_stats *t) {
    for (size_t i = 0; i < s->n_crawlers; i++) {
        const crawler_info *c = &s->crawlers[i];
        for (size_t k = 0; k < c->n_targets; k++) {
            size_t len = strlen(c->targets[k]);
            while (len > 0 && c->targets[k][len - 1] == '/')
                len--;
            if (len && strncmp(t->location, c->targets[k], len) == 0 &&
                (t->location[len] == '/' || t->location[len] == '\0'))
                return c;
        }
    }
    return NULL;
}

static bool tables_key(dashboard *a, view_frame *f, int key, key_action action, int page_rows) {
    tables_rows r;
    tables_build(&r, a->snapshot, f);
    if (action == ACTION_CRAWL) {
        if (r.n) {
            dashboard_restore_selection(f, r.n, tables_row_name, &r, page_rows);
            const table_stats *t = &r.s->tables[r.idx[f->list.selected]];
            const crawler_info *c = tables_crawler_of(r.s, t);
            if (c)
                dashboard_ask_crawl(a, c->name);
            else
                dashboard_message(a, "no crawler covers %s", t->location);
        }
        free(r.idx);
        return true;
    }
    bool enter = false;
    bool handled = dashboard_list_key(f, &tables_view, r.n, tables_row_name, &r, key, action,
                                      page_rows, &enter);
    if (enter)
        dashboard_push(a, VIEW_DETAIL, f->database, tables_row_name(&r, f->list.selected));
    free(r.idx);
    return handled;
}

const view_ops tables_view = {
    .title = "Tables",
    .columns = tables_columns,
    .n_columns = sizeof tables_columns / sizeof tables_columns[0],
    .default_sort = COL_NAME,
    .default_descending = false,
    .draw = tables_draw,
    .key = tables_key,
};
