/* dashboard.c: the dashboard controller: frame layout (title, view, filter
 * line, status bar), global keys, the view stack, theme cycling; the
 * questions are in dashboard_dialog.c. */
#include "views/dashboard.h"

#include <ctype.h>
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/fmt.h"
#include "common/redact.h"
#include "common/xalloc.h"
#include "tui/mainloop.h"
#include "tui/screen.h"

const view_ops *dashboard_view(view_id id) {
    switch (id) {
    case VIEW_DATABASES: return &databases_view;
    case VIEW_TABLES: return &tables_view;
    case VIEW_DETAIL: return &detail_view;
    case VIEW_HELP: return &help_view;
    case VIEW_ACTIVITY: return &activity_view;
    case VIEW_CRAWLERS: return &crawlers_view;
    case VIEW_ZONES: return &zones_view;
    case VIEW_OVERVIEW: return &overview_view;
    case VIEW_PIPELINE: return &pipeline_view;
    case VIEW_JOB: return &job_view;
    case VIEW_COUNT: break;
    }
    return &databases_view;
}

void dashboard_message(dashboard *a, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *text = xvasprintf(fmt, ap); /* before freeing: an argument may be the old one */
    va_end(ap);
    free(a->message);
    a->message = redact_take(text); /* a result or an error may quote a secret */
    a->message_until = clock_monotonic_ms() + 4000;
}

char *dashboard_key_refusal(const dashboard *a, const key_binding *b) {
    if (!b || !a->read_only)
        return NULL;
    if (b->mutating == KEY_MUTATES_ALWAYS)
        return xasprintf("read-only mode: %s is disabled", b->key_name ? b->key_name : "this key");
    if (b->mutating != KEY_MUTATES_REMOTE || b->action != ACTION_BACKUP || !a->actions)
        return NULL;
    char *what = action_changes(ACTION_KIND_BACKUP, a->actions->backup_dest);
    if (!what)
        return NULL; /* a local backup changes nothing in the account */
    char *refusal = xasprintf("read-only mode: %s is disabled (%s)", b->key_name, what);
    free(what);
    return refusal;
}

/* Frees what a stack slot holds (a frame popped earlier, or at the end). */
static void dashboard_frame_clear(view_frame *f) {
    free(f->database);
    free(f->table);
    free(f->selected_name);
    strbuf_free(&f->filter);
    memset(f, 0, sizeof *f);
}

void dashboard_push(dashboard *a, view_id id, const char *database, const char *table) {
    if (a->depth >= (int)(sizeof a->stack / sizeof a->stack[0]))
        return;
    /* copied first: the names may be in a frame or snapshot, never in this slot */
    char *db = xstrdup(database ? database : ""), *tb = xstrdup(table ? table : "");
    view_frame *f = &a->stack[a->depth++];
    dashboard_frame_clear(f);
    f->id = id;
    const view_ops *v = dashboard_view(id);
    f->sort_column = v->default_sort;
    f->sort_descending = v->default_descending;
    dashboard_columns_sort(a, f);
    f->database = db;
    f->table = tb;
}

const char *dashboard_filter_text(const view_frame *f) {
    return f->filter.length ? f->filter.data : "";
}

bool dashboard_filter_match(const view_frame *f, const char *name) {
    return !f->filter.length || strcasestr(name, f->filter.data) != NULL;
}

void dashboard_restore_selection(view_frame *f, size_t n_rows, const char *(*name)(void *, size_t),
                                 void *ctx, int page_rows) {
    if (f->selected_name) {
        for (size_t i = 0; i < n_rows; i++) {
            if (strcmp(name(ctx, i), f->selected_name) == 0) {
                f->list.selected = i;
                break;
            }
        }
    }
    widget_list_clamp(&f->list, n_rows, page_rows);
    /* From now on the selection follows this row through sorts and refreshes. */
    if (n_rows)
        dashboard_remember_selection(f, name(ctx, f->list.selected));
}

void dashboard_remember_selection(view_frame *f, const char *name) {
    if (f->selected_name && name && strcmp(f->selected_name, name) == 0)
        return; /* the usual case on every frame: nothing to copy */
    char *copy = name ? xstrdup(name) : NULL;
    free(f->selected_name);
    f->selected_name = copy;
}

/* Sorts by column `column` in its first direction (htop's rule: names A to
 * Z, figures largest first; a column may say otherwise, as Quota in does:
 * soonest first), or inverts when it is the sort column already. */
int dashboard_sort_order(const view_frame *f, int c, int64_t x, int64_t y, const char *name_a,
                         const char *name_b) {
    if (!c)
        c = x < y ? -1 : x > y;
    if (!c)
        c = strcmp(name_a, name_b);
    return f->sort_descending ? -c : c;
}

static void dashboard_sort_by(view_frame *f, const view_ops *v, int column) {
    if (f->sort_column == column) {
        f->sort_descending = !f->sort_descending;
        return;
    }
    f->sort_column = column;
    f->sort_descending = !(v->columns[column].flags & WIDGET_ASCENDING_FIRST);
}

bool dashboard_sort_hotkey(view_frame *f, const view_ops *v, int key) {
    for (size_t i = 0; i < v->n_columns; i++) {
        if (v->columns[i].hotkey && v->columns[i].hotkey == key) {
            dashboard_sort_by(f, v, (int)i);
            return true;
        }
    }
    return false;
}

/* Generic list actions: sort next/prev/invert. */
static bool dashboard_sort_action(view_frame *f, const view_ops *v, key_action action) {
    if (!v->n_columns)
        return false;
    int n = (int)v->n_columns;
    switch (action) {
    case ACTION_SORT_NEXT: dashboard_sort_by(f, v, (f->sort_column + 1) % n); return true;
    case ACTION_SORT_PREV: dashboard_sort_by(f, v, (f->sort_column + n - 1) % n); return true;
    case ACTION_SORT_INVERT: f->sort_descending = !f->sort_descending; return true;
    default: return false;
    }
}

bool dashboard_list_key(view_frame *f, const view_ops *v, size_t n,
                        const char *(*name)(void *, size_t), void *ctx, int key, key_action action,
                        int page_rows, bool *enter) {
    *enter = false;
    if (key == 0 && action == ACTION_NONE) {
        widget_list_clamp(&f->list, n, page_rows);
        if (n)
            dashboard_remember_selection(f, name(ctx, f->list.selected));
        return true;
    }
    dashboard_restore_selection(f, n, name, ctx, page_rows);
    if (action == ACTION_ENTER) {
        *enter = n > 0;
        return true;
    }
    if (widget_list_navigate(&f->list, n, page_rows, action)) {
        if (n)
            dashboard_remember_selection(f, name(ctx, f->list.selected));
        return true;
    }
    return dashboard_sort_action(f, v, action) ||
           (action == ACTION_NONE && dashboard_sort_hotkey(f, v, key));
}

static void dashboard_draw_filter(dashboard *a, int y, int cols) {
    view_frame *f = &a->stack[a->depth - 1];
    char *text = xasprintf(" Filter: %s%s", dashboard_filter_text(f), a->filtering ? "_" : "");
    widget_text(y, 0, cols, screen_attr(ROLE_FILTER), text, true);
    free(text);
}

static bool dashboard_quit_requested(void *ctx) {
    dashboard *a = ctx;
    return a->quit_after_jobs && a->jobs && jobs_running(a->jobs) == 0;
}

static void dashboard_bench_log(dashboard *a, const char *what, int64_t ms) {
    if (a->bench_log)
        a->bench_log(a->bench_ctx, what, ms);
}

static void dashboard_draw(void *ctx) {
    dashboard *a = ctx;
    int rows, cols;
    if (!screen_fits(&rows, &cols)) {
        refresh();
        return;
    }
    erase();
    a->now = clock_now();
    dashboard_draw_title(a, cols);
    view_frame *f = &a->stack[a->depth - 1];
    bool filter_line = dashboard_filters(f->id) && (a->filtering || f->filter.length);
    int bottom = rows - 1; /* status bar */
    if (dashboard_has_message_line(a))
        bottom--;
    if (filter_line)
        bottom--;
    dashboard_view(f->id)->draw(a, f, 1, bottom - 1, cols);
    if (filter_line)
        dashboard_draw_filter(a, bottom, cols);
    dashboard_draw_status(a, rows - 1, cols);
    dashboard_draw_dialog(a);
    refresh();
    if (a->key_started_ms) {
        dashboard_bench_log(a, "key_to_frame_ms", clock_monotonic_ms() - a->key_started_ms);
        a->key_started_ms = 0;
    }
    if (!a->first_frame_logged && a->snapshot) {
        a->first_frame_logged = true;
        dashboard_bench_log(a, "first_frame_ms", clock_monotonic_ms() - a->started_ms);
    }
}

static void dashboard_take_snapshot(dashboard *a) {
    lake_snapshot *s = collector_acquire(a->collector);
    if (s) {
        snapshot_release(a->snapshot);
        a->snapshot = s;
        char *warning;
        if (a->config_warning && a->config_warning(a->config_ctx, s, &warning)) {
            free(a->config_note);
            a->config_note = warning;
        }
        free(a->switching_to); /* the new profile's figures have come */
        a->switching_to = NULL;
    }
    free(a->status.last_error);
    collector_get_status(a->collector, &a->status);
    a->status.last_error = redact_take(a->status.last_error);
    if (!a->first_refresh_logged && a->status.refreshes > 0) {
        a->first_refresh_logged = true;
        dashboard_bench_log(a, "first_refresh_ms", clock_monotonic_ms() - a->started_ms);
    }
}

static void dashboard_notified(void *ctx) {
    dashboard *a = ctx;
    dashboard_take_snapshot(a);
    dashboard_maybe_export(a);
    dashboard_check_sync_plan(a);
    /* an action that just ended changed the lake: refresh now, not later */
    if (a->jobs) {
        job_status *list;
        size_t n = jobs_snapshot(a->jobs, &list), done = 0;
        for (size_t i = 0; i < n; i++)
            done += list[i].state != JOB_RUNNING && list[i].changes_lake;
        jobs_status_free(list, n);
        if (done > a->jobs_done_seen && a->collector)
            collector_refresh_now(a->collector);
        a->jobs_done_seen = done;
    }
}

static void dashboard_next_theme(dashboard *a) {
    if (!a->themes || !a->themes[0])
        return;
    for (size_t tries = 0; a->themes[tries]; tries++) {
        a->theme_index = a->themes[a->theme_index + 1] ? a->theme_index + 1 : 0;
        char *error = NULL;
        theme t;
        if (theme_load(a->themes_dir, a->themes[a->theme_index], &t, &error)) {
            a->theme = t;
            screen_apply_theme(&a->theme);
            dashboard_message(a, "theme: %s%s", t.name,
                              screen_has_colours() || t.monochrome ? "" : " (no colours here)");
            return;
        }
        dashboard_message(a, "%s", error);
        free(error);
    }
}

static int dashboard_page_rows(void) {
    int rows, cols;
    screen_size(&rows, &cols);
    (void)cols;
    return rows - 5 > 1 ? rows - 5 : 1;
}

static bool dashboard_filter_key(dashboard *a, view_frame *f, int key) {
    strbuf *filter = &f->filter;
    if (key == 27) { /* Esc: clear */
        strbuf_free(filter);
        a->filtering = false;
    } else if (key == '\r' || key == '\n' || key == KEY_ENTER) {
        a->filtering = false;
    } else if (key == KEY_BACKSPACE || key == 127 || key == 8) {
        size_t len = filter->length;
        if (len > 0) {
            /* drop a whole UTF-8 character */
            while (len > 0 && ((unsigned char)filter->data[len - 1] & 0xC0) == 0x80)
                len--;
            filter->length = len > 0 ? len - 1 : 0;
            filter->data[filter->length] = '\0';
        }
    } else if (key >= 0x20 && key < 0x100 && key != 0x7f) {
        strbuf_putc(filter, (char)key);
    } else if (key == KEY_UP || key == KEY_DOWN || key == KEY_PPAGE || key == KEY_NPAGE) {
        return false; /* let navigation through while typing */
    }
    f->list.selected = 0;
    f->list.top = 0;
    dashboard_remember_selection(f, NULL);
    return true;
}

static void dashboard_mouse(dashboard *a, view_frame *f) {
    MEVENT ev;
    if (getmouse(&ev) != OK)
        return;
    int page = dashboard_page_rows();
    if (ev.bstate & BUTTON4_PRESSED) {
        dashboard_view(f->id)->key(a, f, 0, ACTION_UP, page);
    } else if (ev.bstate & BUTTON5_PRESSED) {
        dashboard_view(f->id)->key(a, f, 0, ACTION_DOWN, page);
    } else if ((ev.bstate & (BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED)) &&
               (f->id == VIEW_DATABASES || f->id == VIEW_TABLES) && ev.y > f->table_y) {
        size_t row = f->list.top + (size_t)(ev.y - f->table_y - 1);
        f->list.selected = row;
        dashboard_remember_selection(f, NULL);
        dashboard_view(f->id)->key(a, f, 0, ACTION_NONE, page); /* let the view remember */
        if (ev.bstate & BUTTON1_DOUBLE_CLICKED)
            dashboard_view(f->id)->key(a, f, 0, ACTION_ENTER, page);
    }
}

static bool dashboard_key(void *ctx, int key) {
    dashboard *a = ctx;
    int64_t started = clock_monotonic_ms();
    view_frame *f = &a->stack[a->depth - 1];
    if (key == KEY_RESIZE)
        return true;
    int rows, cols;
    screen_size(&rows, &cols);
    bool too_small = rows < SCREEN_MIN_ROWS || cols < SCREEN_MIN_COLS;
    if (too_small) {
        /* behind "Terminal too small" only quitting works: nothing else
         * should change what cannot be seen */
        const key_binding *quit = keys_lookup(key);
        if (a->dialog != DIALOG_NONE || !quit || quit->action != ACTION_QUIT)
            return true;
    }
    if (a->dialog != DIALOG_NONE)
        return dashboard_dialog_key(a, key);
    if (a->filtering && dashboard_filter_key(a, f, key))
        return true;
    if (key == KEY_MOUSE) {
        dashboard_mouse(a, f);
        return true;
    }
    const key_binding *b = keys_lookup_in(
        key, f->id == VIEW_PIPELINE || f->id == VIEW_JOB ? KEY_SCOPE_PIPELINE : KEY_SCOPE_ALL);
    key_action action = b ? b->action : ACTION_NONE;
    char *refusal = dashboard_key_refusal(a, b);
    if (refusal) {
        dashboard_message(a, "%s", refusal);
        free(refusal);
        return true;
    }
    switch (action) {
    case ACTION_QUIT:
        if (f->id == VIEW_HELP) { /* q closes the help, as in less and htop */
            a->depth--;
            return true;
        }
        if (a->jobs && jobs_running(a->jobs) > 0) {
            a->dialog = DIALOG_QUIT_WITH_JOBS;
            return true;
        }
        return false;
    case ACTION_BACKUP: dashboard_ask_backup(a); return true;
    case ACTION_PROFILES: dashboard_ask_profile(a); return true;
    case ACTION_COLUMNS: dashboard_ask_columns(a); return true;
    case ACTION_ACTIVITY: dashboard_top_key(a, VIEW_ACTIVITY); return true;
    case ACTION_CRAWLERS: dashboard_top_key(a, VIEW_CRAWLERS); return true;
    case ACTION_ZONES: dashboard_top_key(a, VIEW_ZONES); return true;
    case ACTION_PIPELINE: dashboard_top_key(a, VIEW_PIPELINE); return true;
    case ACTION_OVERVIEW: dashboard_top_key(a, VIEW_OVERVIEW); return true;
    case ACTION_DATABASES: dashboard_top_key(a, VIEW_DATABASES); return true;
    case ACTION_HELP:
        if (f->id == VIEW_HELP)
            a->depth--;
        else
            dashboard_push(a, VIEW_HELP, NULL, NULL);
        return true;
    case ACTION_THEME: dashboard_next_theme(a); return true;
    case ACTION_REFRESH:
        collector_refresh_now(a->collector);
        dashboard_message(a, "refreshing...");
        return true;
    case ACTION_REFRESH_FULL:
        if (a->refresh_full)
            a->refresh_full(a->refresh_full_ctx);
        collector_refresh_now(a->collector);
        dashboard_message(a, a->refresh_full ? "refreshing, every table listed whole..."
                                             : "refreshing...");
        return true;
    case ACTION_FILTER:
        if (dashboard_filters(f->id))
            a->filtering = true;
        else
            dashboard_message(a,
                              "/ filters the Overview, Databases and Tables by name; the %s "
                              "view has no filter",
                              dashboard_view(f->id)->title);
        return true;
    case ACTION_BACK:
        if (f->filter.length && f->id != VIEW_HELP)
            strbuf_free(&f->filter);
        else if (a->depth > 1)
            a->depth--;
        else
            dashboard_back_at_top(a);
        return true;
    default: break;
    }
    bool handled = dashboard_view(f->id)->key(a, f, key, action, dashboard_page_rows());
    if (!handled && action == ACTION_SYNC)
        dashboard_message(a, "s runs the selected sync rule (a dry run first, then asks): in "
                             "the Zones view, Z");
    else if (!handled && action == ACTION_CRAWL)
        dashboard_message(a, "c runs a crawler (asks first): the selected one in the Crawlers "
                             "view (C), or the one covering a table in Tables or Table");
    else if (!handled && key >= 0x20 && key < 0x7f)
        dashboard_message(a, "unknown key '%c': press ? for help", key);
    if (a->bench_log && !a->key_started_ms)
        a->key_started_ms = started;
    return true;
}

int dashboard_run(const dashboard_options *o) {
    dashboard *a = xcalloc(1, sizeof *a);
    a->started_ms = o->started_ms ? o->started_ms : clock_monotonic_ms();
    a->collector = o->collector;
    a->themes_dir = o->themes_dir;
    a->read_only = o->read_only;
    a->mouse = o->mouse;
    a->bench_log = o->bench_log;
    a->bench_ctx = o->bench_ctx;
    a->source_name = o->source_name;
    a->jobs = o->jobs;
    a->actions = o->actions;
    a->export_day = -1;
    a->production = o->production;
    a->protected_accounts = o->protected_accounts;
    a->n_protected_accounts = o->n_protected_accounts;
    a->aws = o->aws;
    a->s3_identity = o->s3_identity;
    a->list_profiles = o->list_profiles;
    a->switch_profile = o->switch_profile;
    a->profiles_ctx = o->profiles_ctx;
    a->refresh_full = o->refresh_full;
    a->refresh_full_ctx = o->refresh_full_ctx;
    dashboard_columns_start(a, o);
    a->config_warning = o->config_warning;
    a->config_ctx = o->config_ctx;
    a->themes = theme_list(o->themes_dir);
    const char *name = o->theme_name ? o->theme_name : "dark";
    char *error = NULL;
    screen_init();
    if (!screen_has_colours())
        name = "mono";
    if (!theme_load(o->themes_dir, name, &a->theme, &error)) {
        dashboard_message(a, "%s; using dark", error);
        free(error);
        theme_default(&a->theme);
    }
    for (size_t i = 0; a->themes[i]; i++)
        if (strcmp(a->themes[i], a->theme.name) == 0)
            a->theme_index = i;
    screen_apply_theme(&a->theme);
    screen_set_mouse(o->mouse);
    if (o->layouts_warning) { /* what the state file of F2 held that was not used */
        dashboard_message(a, "%s", o->layouts_warning);
        a->message_until += 6000;
    }
    /* The first screen: the Overview, or Databases (--view databases). */
    dashboard_push(a, o->start_databases ? VIEW_DATABASES : VIEW_OVERVIEW, NULL, NULL);
    a->back_to = -1;
    dashboard_take_snapshot(a);
    dashboard_maybe_export(a);
    int notify_fd = o->notify_fd;
    mainloop_hooks hooks = {
        .ctx = a,
        .draw = dashboard_draw,
        .key = dashboard_key,
        .notified = dashboard_notified,
        .tick_ms = 1000,
        .quit_requested = dashboard_quit_requested,
    };
    int result = mainloop_run(notify_fd, &hooks);
    screen_end();
    snapshot_release(a->snapshot);
    free(a->status.last_error);
    theme_list_free(a->themes);
    for (size_t i = 0; i < sizeof a->stack / sizeof a->stack[0]; i++)
        dashboard_frame_clear(&a->stack[i]);
    free(a->message);
    free(a->layouts);
    free(a->export_skipped);
    free(a->crawl_name);
    free(a->job_name);
    free(a->sync_rule);
    free(a->sync_plan);
    free(a->confirm_word);
    free(a->switching_to);
    free(a->config_note);
    snapshot_release(a->export_snapshot);
    for (size_t i = 0; a->profiles && a->profiles[i]; i++)
        free(a->profiles[i]);
    free(a->profiles);
    strbuf_free(&a->typed);
    free(a);
    return result;
}
