/* dashboard.h: the dashboard's state and the contract between it and the views.
 *
 * The dashboard holds the current snapshot (a reference taken from the collector
 * when it signals a new one), a stack of view frames (Databases -> Tables ->
 * Table, Help on top of any), the theme, and the status line. Views only read
 * the snapshot; they never touch the disk or the network. */
#ifndef LAKETOP_DASHBOARD_H
#define LAKETOP_DASHBOARD_H

#include <stdbool.h>
#include <stdint.h>

#include "collector/collector.h"
#include "actions/action.h"
#include "actions/jobs.h"
#include "tui/keys.h"
#include "tui/theme.h"
#include "tui/widgets.h"

typedef enum view_id {
    VIEW_DATABASES,
    VIEW_TABLES,
    VIEW_DETAIL,
    VIEW_HELP,
    VIEW_ACTIVITY,
    VIEW_CRAWLERS,
    VIEW_ZONES,
    VIEW_OVERVIEW,
    VIEW_PIPELINE, /* J: jobs and state machines */
    VIEW_JOB,      /* one job's runs: database "job" or "states", table its name */
    VIEW_COUNT     /* how many views there are */
} view_id;

/* A question on top of the screen; keys go to it until it is answered. */
typedef enum dashboard_dialog {
    DIALOG_NONE,
    DIALOG_BACKUP,
    DIALOG_QUIT_WITH_JOBS,
    DIALOG_CRAWL,
    DIALOG_SYNC,
    DIALOG_PROFILES, /* P: the list of AWS profiles */
    DIALOG_EXPORT,   /* the daily export to a protected account */
    DIALOG_COLUMNS,  /* F2: the view's columns (dashboard_columns.c) */
    DIALOG_JOB,      /* j: run a job */
} dashboard_dialog;

/* A frame owns its strings (no length limit: a Glue name is up to 255
 * characters, 765 bytes of UTF-8); dashboard_push frees what its slot held
 * before, and the dashboard frees every slot when it ends. */
typedef struct view_frame {
    view_id id;
    widget_list list;
    int sort_column;
    bool sort_descending;
    int sort_hidden; /* widget_sort_seen of the last draw: the sort column on screen, or why not */
    strbuf filter;   /* what is typed after '/'; empty: none */
    char *database;  /* Tables, Table; "" for the other views */
    char *table;     /* Table; "" for the other views */
    char *selected_name; /* keeps the selection across refreshes and sorts; NULL none */
    int scroll;          /* Table, Help */
    int table_y;         /* where the list's header was drawn (mouse) */
} view_frame;

typedef struct dashboard dashboard;
typedef struct view_layout view_layout; /* views/view_layout.h */

typedef struct view_ops {
    const char *title;
    const widget_column *columns;
    size_t n_columns;
    int default_sort;
    bool default_descending;
    void (*draw)(dashboard *a, view_frame *f, int y, int height, int width);
    /* Handles a view-specific action or column hotkey; true when handled. */
    bool (*key)(dashboard *a, view_frame *f, int key, key_action action, int page_rows);
} view_ops;

extern const view_ops databases_view;
extern const view_ops tables_view;
extern const view_ops detail_view;
extern const view_ops help_view;
extern const view_ops activity_view;
extern const view_ops crawlers_view;
extern const view_ops overview_view;
extern const view_ops zones_view;
extern const view_ops pipeline_view;
extern const view_ops job_view;

typedef struct dashboard_options {
    collector *collector;
    int notify_fd;           /* read end of the collector's notification pipe */
    const char *source_name; /* shown before the first snapshot arrives */
    jobs *jobs;              /* background actions; NULL: none offered */
    /* What the actions run with (actions/action.h): the views start them by
     * name with it. NULL: none offered. With an export_dest, each UTC day's
     * figures are exported once, by a job, from the day's first full
     * refresh. */
    const action_context *actions;
    bool production; /* actions ask for the target's name to be typed */
    const char *themes_dir;
    const char *theme_name;
    bool read_only;
    bool mouse;
    bool start_databases; /* first screen: Databases (else the Overview over it) */
    int64_t started_ms;   /* clock_monotonic_ms() at program start */
    /* When set, first-frame and key timings go here (what, milliseconds). */
    void (*bench_log)(void *ctx, const char *what, int64_t ms);
    void *bench_ctx;
    /* The AWS account ids where every action that changes something asks
     * for the id to be typed (config protected_accounts); none: NULL, 0. */
    char *const *protected_accounts;
    size_t n_protected_accounts;
    bool aws; /* the lake is an AWS account (crawls change it) */
    /* A local lake's S3 (s3:// zones, backups, exports): who its
     * credentials are, looked up by the app at start when protected
     * accounts are set; NULL otherwise (an AWS lake's is the snapshot's). */
    const snapshot_identity *s3_identity;
    /* P: the AWS profiles (the app reads ~/.aws/config and credentials:
     * views touch no file), and a switch to one of them: a new source and
     * collector for `profile`, notifying on the same pipe; the app stops
     * the old one. NULL (the local lake): no profiles to switch to. */
    bool (*list_profiles)(void *ctx, char ***names, size_t *n, char **error);
    collector *(*switch_profile)(void *ctx, const char *profile, const char **source_name,
                                 char **error);
    void *profiles_ctx;
    /* R: the next refresh lists every table whole (an AWS account's
     * incremental listings); NULL: R refreshes as r does. */
    void (*refresh_full)(void *ctx);
    void *refresh_full_ctx;
    /* F2: the columns chosen for each view (VIEW_COUNT layouts, read by
     * the app from its state file; NULL: the views' own), what was wrong
     * in that file (said on the message line at start; NULL: nothing),
     * and how a new choice is kept: save_layouts returns NULL, or why it
     * could not (malloc'd). NULL: kept for this run only. */
    const view_layout *layouts;
    const char *layouts_warning;
    char *(*save_layouts)(void *ctx, const view_layout *layouts);
    void *layouts_ctx;
    /* The config's warning about a snapshot (the app's: sections that name
     * nothing in the catalog), asked for each new one: false when it cannot
     * tell yet, else *warning the line for the message line (malloc'd) or
     * NULL. NULL: none asked. */
    bool (*config_warning)(void *ctx, const lake_snapshot *s, char **warning);
    void *config_ctx;
} dashboard_options;

struct dashboard {
    collector *collector;
    lake_snapshot *snapshot;
    collector_status status;
    view_frame stack[8]; /* stack[0] a top-level view (dashboard_switch) */
    int depth;
    int back_to; /* the top-level view_id Esc at the top returns to, -1 none */
    /* The wall clock of the frame being drawn, read once per frame: every
     * "... ago" and "data ... old" on that frame counts from it. */
    int64_t now;
    bool filtering;
    char **themes;
    size_t theme_index;
    const char *themes_dir;
    theme theme;
    bool read_only;
    bool mouse;
    char *message; /* the transient message (dashboard_message); NULL none */
    int64_t message_until;
    int64_t started_ms;
    bool first_frame_logged;
    bool first_refresh_logged; /* bench: the first refresh has ended */
    void (*bench_log)(void *ctx, const char *what, int64_t ms);
    void *bench_ctx;
    const char *source_name;
    int64_t key_started_ms; /* bench: when the first key since the last frame arrived */
    jobs *jobs;
    const action_context *actions;
    int64_t export_day;   /* the day last exported (days since the epoch), -1 none */
    char *export_skipped; /* why the daily export did not run, for the Activity view */
    dashboard_dialog dialog;
    bool quit_after_jobs;  /* q, then "wait": quit when the last action ends */
    char *crawl_name;      /* the crawler DIALOG_CRAWL asks about */
    char *job_name;        /* the job DIALOG_JOB asks about */
    int sync_plan_job;     /* the dry run whose result DIALOG_SYNC shows; 0 none */
    size_t jobs_done_seen; /* finished actions seen: a new one triggers a refresh */
    bool production;       /* questions want the target typed, not just y */
    strbuf typed;          /* the name typed to confirm, on a production lake */
    char *sync_rule;       /* the rule DIALOG_SYNC asks about */
    char *sync_plan;       /* its dry run's result */
    /* What must be typed to confirm the open question: the protected
     * account's id, else (production) the target's name; NULL: y will do. */
    char *confirm_word;
    bool confirm_account; /* confirm_word is an account id */
    char *const *protected_accounts;
    size_t n_protected_accounts;
    bool aws;
    const snapshot_identity *s3_identity;
    /* P */
    bool (*list_profiles)(void *ctx, char ***names, size_t *n, char **error);
    collector *(*switch_profile)(void *ctx, const char *profile, const char **source_name,
                                 char **error);
    void *profiles_ctx;
    /* R: the next refresh lists every table whole (the app's; NULL: as r) */
    void (*refresh_full)(void *ctx);
    void *refresh_full_ctx;
    char **profiles; /* the list DIALOG_PROFILES shows, NULL-terminated */
    size_t n_profiles;
    size_t profile_selected;
    char *switching_to;             /* the profile asked for, until its first snapshot; NULL none */
    lake_snapshot *export_snapshot; /* what DIALOG_EXPORT would export */
    /* F2 */
    view_layout *layouts; /* [VIEW_COUNT] */
    char *(*save_layouts)(void *ctx, const view_layout *layouts);
    void *layouts_ctx;
    size_t columns_cursor; /* DIALOG_COLUMNS: the place in the order under the cursor */
    bool columns_changed;  /* since the dialog opened: kept when it closes */
    bool (*config_warning)(void *ctx, const lake_snapshot *s, char **warning);
    void *config_ctx;
    char *config_note; /* its last warning, on the message line; NULL none */
};

/* The end of every view's row comparison: `c` (a comparison of texts) when
 * not 0, else the figures `x` and `y`, else the names; inverted when the
 * frame sorts descending. */
int dashboard_sort_order(const view_frame *f, int c, int64_t x, int64_t y, const char *name_a,
                         const char *name_b);

/* The status bar on line `y` and, when there is one, the message line
 * above it (dashboard_status.c). */
void dashboard_draw_status(dashboard *a, int y, int cols);
bool dashboard_has_message_line(const dashboard *a);

/* Runs the dashboard until quit; returns the exit status. */
int dashboard_run(const dashboard_options *options);

/* For views. */
const view_ops *dashboard_view(view_id id);
void dashboard_push(dashboard *a, view_id id, const char *database, const char *table);
/* The top-level views (Overview, Databases, Crawlers, Zones, Pipeline,
 * Activity) are switched to, as htop's F-keys do, never stacked: o d C Z J a replace the
 * whole stack with that view and remember the one left. Esc (or the view's
 * own key) at a top-level view goes back once to the view the user came
 * from, then to the Overview; in the Overview it only says so. Enter still
 * opens what a row names above its view (Databases > sales > orders). */
void dashboard_switch(dashboard *a, view_id id);
/* Esc at a top-level view (dashboard_nav.c). */
void dashboard_back_at_top(dashboard *a);
/* A top-level view's key: switches to it; its own key at its top goes back. */
void dashboard_top_key(dashboard *a, view_id id);
/* Views with a filter (/): the Overview, Databases and Tables. */
bool dashboard_filters(view_id id);
void dashboard_message(dashboard *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Why read-only mode refuses key binding `b` (malloc'd: "read-only mode: c
 * is disabled"), or NULL when it allows it: a mutating key, or one that
 * writes to a destination that is not local (actions/action.h decides). */
char *dashboard_key_refusal(const dashboard *a, const key_binding *b);
/* The frame's filter, "" when none. */
const char *dashboard_filter_text(const view_frame *f);
/* Case-insensitive substring match of the frame's filter. */
bool dashboard_filter_match(const view_frame *f, const char *name);
/* After building a view's row list: moves the selection to the row named
 * f->selected_name (if any) and clamps. names(i) gives row i's name. */
void dashboard_restore_selection(view_frame *f, size_t n_rows,
                                 const char *(*name)(void *ctx, size_t row), void *ctx,
                                 int page_rows);
/* After navigation: remembers the selected row's name (NULL: forgets it). */
void dashboard_remember_selection(view_frame *f, const char *name);
/* Sort hotkey of one of the view's columns: sets the sort; true if it was. */
bool dashboard_sort_hotkey(view_frame *f, const view_ops *v, int key);
/* The keys every list view shares: navigation (remembers the selection),
 * sorting (keeps it), Enter (sets *enter when there is a row). key == 0 with
 * ACTION_NONE means "the selection was set by a mouse click: remember it". */
bool dashboard_list_key(view_frame *f, const view_ops *v, size_t n_rows,
                        const char *(*name)(void *ctx, size_t row), void *ctx, int key,
                        key_action action, int page_rows, bool *enter);
/* The questions (dashboard_dialog.c). Asks to back up the catalog (`b`). */
void dashboard_ask_backup(dashboard *a);
/* Draws the open question, if any, over the view. */
void dashboard_draw_dialog(dashboard *a);
/* A key while a question is open; false: quit now. */
bool dashboard_dialog_key(dashboard *a, int key);
/* When the dry run asked for by `s` ends: its numbers open the question. */
void dashboard_check_sync_plan(dashboard *a);
/* Asks to run a crawler (the `c` key): the confirmation dialog. */
void dashboard_ask_crawl(dashboard *a, const char *crawler);
/* Asks to run a job (the `j` key in the Pipeline view): the confirmation. */
void dashboard_ask_job(dashboard *a, const char *job);
/* Runs a sync rule's dry run; its result opens the confirmation (`s`). */
void dashboard_ask_sync(dashboard *a, const char *rule);
/* P (dashboard_profiles.c): lists the AWS profiles to switch to; the
 * list drawn, a key while it is open. */
void dashboard_ask_profile(dashboard *a);
void dashboard_draw_profiles(dashboard *a);
void dashboard_profiles_key(dashboard *a, int key);
/* The title bar (dashboard_title.c), on row 0. */
void dashboard_draw_title(dashboard *a, int cols);
/* What the title shows on its right of the profile and region (when
 * with_profile), the account and role, and of a switch in progress;
 * nothing for the local lake. */
void dashboard_title_identity(const dashboard *a, strbuf *out, bool with_profile);
/* The first full refresh of each UTC day is exported (dashboard_dialog.c:
 * a protected account is asked first). */
void dashboard_maybe_export(dashboard *a);
/* F2 (dashboard_columns.c): the layouts the dashboard starts with (the
 * options', else the views' own); the sort a new frame opens with when
 * one was chosen; opens the columns of the view on top, the dialog
 * drawn, a key while it is open. */
void dashboard_columns_start(dashboard *a, const dashboard_options *o);
void dashboard_columns_sort(const dashboard *a, view_frame *f);
void dashboard_ask_columns(dashboard *a);
void dashboard_draw_columns(dashboard *a);
void dashboard_columns_key(dashboard *a, int key);
/* Draws the table of the view of `f` with the columns chosen for it (F2)
 * and the frame's sort: widget_table_draw's rows, cell and ctx, at x 0. */
void dashboard_table_draw(dashboard *a, view_frame *f, int y, int height, int width, size_t n_rows,
                          widget_cell_fn cell, void *ctx);
/* Starts reading `profile` (the old figures stay until its first snapshot). */
void dashboard_switch_profile(dashboard *a, const char *profile);
/* Before the daily export to `dest` (s3://) of a protected account: asks
 * for the id; true when it may run now without asking. */
bool dashboard_export_allowed(dashboard *a);

#endif
