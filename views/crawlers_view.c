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

static const char *crawlers_row_name(void *ctx, size_t row) {
    const lake_snapshot *s = ctx;
    return s->crawlers[row].name;
}

static void crawlers_cell(void *ctx, size_t row, size_t col, int width, widget_cell *cell) {
    (void)width;
    const lake_snapshot *s = ctx;
    const crawler_info *c = &s->crawlers[row];
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
    size_t n = s ? s->n_crawlers : 0;
    if (s)
        dashboard_restore_selection(f, n, crawlers_row_name, (void *)s, height - 1);
    f->table_y = y;
    widget_table_draw(y, 0, height, width, crawlers_columns,
                      sizeof crawlers_columns / sizeof crawlers_columns[0], -1, false, n, &f->list,
                      crawlers_cell, (void *)s);
    if (n == 0)
        widget_text(y + 2, 2, width - 4, screen_attr(ROLE_DIM),
                    s ? "No crawlers here (the local lake has none yet)." : "Reading the lake...",
                    false);
}

static bool crawlers_key(dashboard *a, view_frame *f, int key, key_action action, int page_rows) {
    const lake_snapshot *s = a->snapshot;
    size_t n = s ? s->n_crawlers : 0;
    if (action == ACTION_CRAWL) {
        if (n) {
            widget_list_clamp(&f->list, n, page_rows);
            dashboard_ask_crawl(a, s->crawlers[f->list.selected].name);
        }
        return true;
    }
    bool enter = false;
    if (!s)
        return action != ACTION_NONE;
    return dashboard_list_key(f, &crawlers_view, n, crawlers_row_name, (void *)s, key, action,
                              page_rows, &enter);
}

const view_ops crawlers_view = {
    .title = "Crawlers",
    .columns = crawlers_columns,
    .n_columns = sizeof crawlers_columns / sizeof crawlers_columns[0],
    .default_sort = -1,
    .draw = crawlers_draw,
    .key = crawlers_key,
};
