/* zones_view.c: the zones (role, objects, size) and the sync rules between
 * them (last run and its result); s runs the selected rule after a dry run
 * and a confirmation that shows what it would copy and delete. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fmt.h"
#include "common/xalloc.h"
#include "tui/screen.h"
#include "views/dashboard.h"

enum { COL_NAME, COL_FROM_TO, COL_DELETE, COL_LAST_RUN, COL_RESULT };

static const widget_column zones_rule_columns[] = {
    {"Sync rule", 24, 10, ALIGN_LEFT, WIDGET_NAME, 'N'},
    {"From -> to", 26, 10, ALIGN_LEFT, false, 0},
    {"Delete", 6, 6, ALIGN_LEFT, false, 0},
    {"Last run", 8, 8, ALIGN_RIGHT, false, 0},
    {"Result", 30, 10, ALIGN_LEFT, true, 0},
};

/* The sync rules in the frame's sort (the snapshot's order when none). */
typedef struct zones_rows {
    const lake_snapshot *s;
    const view_frame *f;
    size_t *idx;
    size_t n;
} zones_rows;

/* Seconds since the rule last ran; never: the oldest. */
static int64_t zones_age(const lake_snapshot *s, const rule_stats *r) {
    return r->last_run >= 0 ? s->generated_at - r->last_run : INT64_MAX;
}

static int zones_cmp(const void *pa, const void *pb, void *ctx) {
    const zones_rows *rows = ctx;
    const rule_stats *a = &rows->s->rules[*(const size_t *)pa];
    const rule_stats *b = &rows->s->rules[*(const size_t *)pb];
    int64_t x = 0, y = 0;
    int c = 0;
    switch (rows->f->sort_column) {
    case COL_NAME: break;
    case COL_FROM_TO:
        c = strcmp(a->from, b->from);
        if (!c)
            c = strcmp(a->to, b->to);
        break;
    case COL_DELETE:
        x = a->delete_extra;
        y = b->delete_extra;
        break;
    case COL_LAST_RUN:
        x = zones_age(rows->s, a);
        y = zones_age(rows->s, b);
        break;
    case COL_RESULT:
        c = strcmp(a->last_result ? a->last_result : "", b->last_result ? b->last_result : "");
        break;
    }
    return dashboard_sort_order(rows->f, c, x, y, a->name, b->name);
}

static void zones_build(zones_rows *r, const lake_snapshot *s, size_t n, const view_frame *f) {
    r->s = s;
    r->f = f;
    r->n = n;
    r->idx = xcalloc(n + 1, sizeof *r->idx);
    for (size_t i = 0; i < n; i++)
        r->idx[i] = i;
    if (f->sort_column >= 0)
        qsort_r(r->idx, n, sizeof *r->idx, zones_cmp, r);
}

static const char *zones_rule_name(void *ctx, size_t row) {
    const zones_rows *rows = ctx;
    return rows->s->rules[rows->idx[row]].name;
}

static void zones_rule_cell(void *ctx, size_t row, size_t col, int width, widget_cell *cell) {
    (void)width;
    const zones_rows *rows = ctx;
    const lake_snapshot *s = rows->s;
    const rule_stats *r = &s->rules[rows->idx[row]];
    char age[32];
    switch (col) {
    case COL_NAME:
        widget_cell_printf(cell, "%s", r->name);
        cell->role = ROLE_NAME;
        break;
    case COL_FROM_TO: widget_cell_printf(cell, "%s -> %s", r->from, r->to); break;
    case COL_DELETE: widget_cell_printf(cell, "%s", r->delete_extra ? "yes" : "no"); break;
    case COL_LAST_RUN:
        if (r->last_run >= 0)
            fmt_age(s->generated_at - r->last_run, age, sizeof age);
        else
            snprintf(age, sizeof age, "never");
        widget_cell_printf(cell, "%s", age);
        cell->role = ROLE_DIM;
        break;
    case COL_RESULT:
        widget_cell_printf(cell, "%s", r->last_result ? r->last_result : "-");
        cell->role = !r->last_result ? ROLE_DIM : r->last_ok ? ROLE_FRESH : ROLE_ERROR;
        break;
    }
}

/* The zones and rules are described by a refresh: before the first one ends
 * (nothing yet, or the saved state shown at start) they are not known. */
static bool zones_loading(const lake_snapshot *s) {
    return !s || s->from_saved_state;
}

static void zones_draw(dashboard *a, view_frame *f, int y, int height, int width) {
    const lake_snapshot *s = a->snapshot;
    int attr = screen_attr(ROLE_HEADER);
    widget_fill(y, 0, width, attr);
    widget_text(y, 1, width - 1, attr, "Zone             Role      Objects       Size  Where",
                false);
    bool loading = zones_loading(s);
    size_t nz = loading ? 0 : s->n_zones;
    int row = y + 1;
    if (loading)
        widget_text(row++, 2, width - 4, screen_attr(ROLE_DIM),
                    "Zones: loading (until the first refresh ends)...", false);
    else if (nz == 0)
        widget_text(row++, 2, width - 4, screen_attr(ROLE_DIM),
                    "No zones: declare them in the config ([zone NAME] uri = ..., role = ...).",
                    false);
    for (size_t i = 0; i < nz && row < y + height / 2; i++, row++) {
        const zone_stats *z = &s->zones[i];
        char objects[32], size[32];
        if (z->objects >= 0) {
            fmt_count(z->objects, objects, sizeof objects);
            fmt_bytes(z->bytes, size, sizeof size);
        } else {
            snprintf(objects, sizeof objects, "-");
            snprintf(size, sizeof size, "-");
        }
        /* columns by display width: a name is cut with an ellipsis in its 16 cells */
        int role = screen_attr(z->error ? ROLE_ERROR : ROLE_NORMAL);
        widget_fill(row, 1, width - 1, role);
        widget_text(row, 1, 16, role, z->name, false);
        widget_text(row, 18, 8, role, z->role, false);
        char figures[80];
        snprintf(figures, sizeof figures, "%8s %10s  ", objects, size);
        widget_text(row, 27, width - 27, role, figures, false);
        widget_text(row, 48, width - 48, role, z->error ? z->error : z->uri, false);
    }
    row++;
    size_t nr = loading ? 0 : s->n_rules;
    zones_rows rows;
    zones_build(&rows, s, nr, f);
    if (!loading)
        dashboard_restore_selection(f, nr, zones_rule_name, &rows, y + height - row - 1);
    f->table_y = row;
    dashboard_table_draw(a, f, row, y + height - row, width, nr, zones_rule_cell, &rows);
    free(rows.idx);
    if (nr == 0 && !loading)
        widget_text(row + 1, 2, width - 4, screen_attr(ROLE_DIM),
                    "No sync rules: [sync NAME] from = ZONE, to = ZONE, or a mapping file.", false);
}

static bool zones_key(dashboard *a, view_frame *f, int key, key_action action, int page_rows) {
    const lake_snapshot *s = a->snapshot;
    size_t n = !zones_loading(s) ? s->n_rules : 0;
    zones_rows rows;
    zones_build(&rows, s, n, f);
    bool handled = true;
    if (action == ACTION_SYNC) {
        if (zones_loading(s)) {
            dashboard_message(a, "the sync rules are not known before the first refresh ends");
        } else if (n) {
            widget_list_clamp(&f->list, n, page_rows);
            dashboard_ask_sync(a, zones_rule_name(&rows, f->list.selected));
        } else {
            dashboard_message(a, "no sync rule to run");
        }
    } else if (!s) {
        handled = action != ACTION_NONE;
    } else {
        bool enter = false;
        handled = dashboard_list_key(f, &zones_view, n, zones_rule_name, &rows, key, action,
                                     page_rows, &enter);
    }
    free(rows.idx);
    return handled;
}

const view_ops zones_view = {
    .title = "Zones",
    .columns = zones_rule_columns,
    .n_columns = sizeof zones_rule_columns / sizeof zones_rule_columns[0],
    .default_sort = -1,
    .draw = zones_draw,
    .key = zones_key,
};
