/* crawlers_view.c: the lake's crawlers: state, schedule, last crawl (status,
 * when, error, tables created/updated/deleted) and targets; c runs the selected one (after asking).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fmt.h"
#include "common/xalloc.h"
#include "tui/screen.h"
#include "views/dashboard.h"

enum { COL_NAME, COL_STATE, COL_LAST, COL_WHEN, COL_TABLES, COL_SCHEDULE, COL_TARGETS };

static const widget_column crawlers_columns[] = {
    [COL_NAME] = {"Crawler", 20, 10, ALIGN_LEFT, WIDGET_NAME, 'N'},
    [COL_STATE] = {"State", 8, 8, ALIGN_LEFT, false, 0},
    [COL_LAST] = {"Last crawl", 10, 10, ALIGN_LEFT, false, 0},
    [COL_WHEN] = {"When", 5, 5, ALIGN_RIGHT, false, 0},
    [COL_TABLES] = {"Tables +/~/-", 12, 12, ALIGN_RIGHT, false, 0},
    [COL_SCHEDULE] = {"Schedule", 18, 8, ALIGN_LEFT, false, 0},
    [COL_TARGETS] = {"Targets / last error", 30, 10, ALIGN_LEFT, true, 0},
};

/* The crawlers in the frame's sort (the snapshot's order when none). */
typedef struct crawlers_rows {
    const lake_snapshot *s;
    const view_frame *f;
    size_t *idx;
    size_t n;
} crawlers_rows;

static int crawlers_text_cmp(const char *a, const char *b) {
    return strcmp(a ? a : "", b ? b : "");
}

/* Seconds since the last crawl started; never: the oldest. */
static int64_t crawlers_age(const lake_snapshot *s, const crawler_info *c) {
    return c->last_start >= 0 ? s->generated_at - c->last_start : INT64_MAX;
}

static int64_t crawlers_changed(const crawler_info *c) {
    return (c->tables_created > 0 ? c->tables_created : 0) +
           (c->tables_updated > 0 ? c->tables_updated : 0) +
           (c->tables_deleted > 0 ? c->tables_deleted : 0);
}

static int crawlers_cmp(const void *pa, const void *pb, void *ctx) {
    const crawlers_rows *r = ctx;
    const crawler_info *a = &r->s->crawlers[*(const size_t *)pa];
    const crawler_info *b = &r->s->crawlers[*(const size_t *)pb];
    int64_t x = 0, y = 0;
    int c = 0;
    switch (r->f->sort_column) {
    case COL_NAME: break;
    case COL_STATE: c = crawlers_text_cmp(a->state, b->state); break;
    case COL_LAST: c = crawlers_text_cmp(a->last_status, b->last_status); break;
    case COL_WHEN:
        x = crawlers_age(r->s, a);
        y = crawlers_age(r->s, b);
        break;
    case COL_TABLES:
        x = crawlers_changed(a);
        y = crawlers_changed(b);
        break;
    case COL_SCHEDULE: c = crawlers_text_cmp(a->schedule, b->schedule); break;
    case COL_TARGETS:
        c = crawlers_text_cmp(a->last_error  ? a->last_error
                              : a->n_targets ? a->targets[0]
                                             : "",
                              b->last_error  ? b->last_error
                              : b->n_targets ? b->targets[0]
                                             : "");
        break;
    }
    return dashboard_sort_order(r->f, c, x, y, a->name, b->name);
}

static void crawlers_build(crawlers_rows *r, const lake_snapshot *s, const view_frame *f) {
    r->s = s;
    r->f = f;
    r->n = s ? s->n_crawlers : 0;
    r->idx = xcalloc(r->n + 1, sizeof *r->idx);
    for (size_t i = 0; i < r->n; i++)
        r->idx[i] = i;
    if (f->sort_column >= 0)
        qsort_r(r->idx, r->n, sizeof *r->idx, crawlers_cmp, r);
}
#define CRAWLERS_HOW_LOCAL                                                                        \
    "No crawlers: declare one in the config: [crawler NAME] with path = a directory of the lake " \
    "(one subdirectory per table) and database = NAME; then c runs it."
#define CRAWLERS_HOW_AWS "No crawlers in this account (Glue GetCrawlers listed none)."

static const char *crawlers_row_name(void *ctx, size_t row) {
    const crawlers_rows *r = ctx;
    return r->s->crawlers[r->idx[row]].name;
}

static void crawlers_cell(void *ctx, size_t row, size_t col, int width, widget_cell *cell) {
    (void)width;
    const crawlers_rows *r = ctx;
    const lake_snapshot *s = r->s;
    const crawler_info *c = &s->crawlers[r->idx[row]];
    char figure[64] = "";
    char *out = figure;
    size_t size = sizeof figure;
    switch (col) {
    case COL_NAME:
        widget_cell_printf(cell, "%s", c->name);
        cell->role = ROLE_NAME;
        return;
    case COL_STATE:
        widget_cell_printf(cell, "%s", c->state ? c->state : "-");
        cell->role = c->state && strcmp(c->state, "READY") != 0 ? ROLE_STALE_WARN : ROLE_NORMAL;
        return;
    case COL_LAST:
        widget_cell_printf(cell, "%s", c->last_status ? c->last_status : "never");
        cell->role = !c->last_status                            ? ROLE_DIM
                     : strcmp(c->last_status, "SUCCEEDED") == 0 ? ROLE_FRESH
                                                                : ROLE_ERROR;
        return;
    case COL_WHEN:
        if (c->last_start >= 0)
            fmt_age(s->generated_at - c->last_start, out, size);
        else
            snprintf(out, size, "-");
        cell->role = ROLE_DIM;
        break;
    case COL_TABLES: /* created, updated, deleted by the last crawl */
        if (c->tables_created >= 0 || c->tables_updated >= 0 || c->tables_deleted >= 0)
            snprintf(out, size, "+%lld ~%lld -%lld",
                     (long long)(c->tables_created > 0 ? c->tables_created : 0),
                     (long long)(c->tables_updated > 0 ? c->tables_updated : 0),
                     (long long)(c->tables_deleted > 0 ? c->tables_deleted : 0));
        else
            snprintf(out, size, "-");
        cell->role = ROLE_DIM;
        break;
    case COL_SCHEDULE:
        widget_cell_printf(cell, "%s", c->schedule ? c->schedule : "on demand");
        cell->role = ROLE_DIM;
        return;
    case COL_TARGETS: {
        if (c->last_error) {
            widget_cell_printf(cell, "%s", c->last_error);
            cell->role = ROLE_ERROR;
            return;
        }
        for (size_t i = 0; i < c->n_targets; i++)
            strbuf_printf(&cell->text, "%s%s", i ? " " : "", c->targets[i]);
        return;
    }
    }
    widget_cell_printf(cell, "%s", figure);
}

static void crawlers_draw(dashboard *a, view_frame *f, int y, int height, int width) {
    const lake_snapshot *s = a->snapshot;
    crawlers_rows r;
    crawlers_build(&r, s, f);
    size_t n = r.n;
    if (s)
        dashboard_restore_selection(f, n, crawlers_row_name, &r, height - 1);
    f->table_y = y;
    dashboard_table_draw(a, f, y, height, width, n, crawlers_cell, &r);
    free(r.idx);
    if (n == 0) /* how to get one, not only that there is none */
        widget_text(y + 2, 2, width - 4, screen_attr(ROLE_DIM),
                    !s                                     ? "Reading the lake..."
                    : strncmp(s->source, "local:", 6) == 0 ? CRAWLERS_HOW_LOCAL
                                                           : CRAWLERS_HOW_AWS,
                    false);
}

static bool crawlers_key(dashboard *a, view_frame *f, int key, key_action action, int page_rows) {
    const lake_snapshot *s = a->snapshot;
    crawlers_rows r;
    crawlers_build(&r, s, f);
    size_t n = r.n;
    bool handled = true;
    if (action == ACTION_CRAWL) {
        if (n) {
            widget_list_clamp(&f->list, n, page_rows);
            dashboard_ask_crawl(a, crawlers_row_name(&r, f->list.selected));
        }
    } else if (!s) {
        handled = action != ACTION_NONE;
    } else {
        bool enter = false;
        handled = dashboard_list_key(f, &crawlers_view, n, crawlers_row_name, &r, key, action,
                                     page_rows, &enter);
    }
    free(r.idx);
    return handled;
}

const view_ops crawlers_view = {
    .title = "Crawlers",
    .columns = crawlers_columns,
    .n_columns = sizeof crawlers_columns / sizeof crawlers_columns[0],
    .default_sort = -1,
    .draw = crawlers_draw,
    .key = crawlers_key,
};
