/* dashboard_dialog.c: the dashboard's questions (back up, run a crawler,
 * sync, quit while actions run): drawn over the view, answered key by key,
 * and the actions they start, by name (actions/). */
#include "views/dashboard.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "actions/backup.h"
#include "actions/crawl.h"
#include "actions/sync.h"
#include "tui/widgets.h"

/* The last line of a question: on a production lake the target's name must
 * be typed, elsewhere y will do. */
static void dashboard_confirm_hint(dashboard *a, const char *name, const char *plain, char *out,
                                   size_t size) {
    int n;
    if (a->production)
        n = snprintf(out, size, "production: type %.200s and Enter (Esc: cancel): %.200s_", name,
                     a->typed);
    else
        n = snprintf(out, size, "%s", plain);
    (void)n;
}

typedef enum dashboard_answer { ANSWER_PENDING, ANSWER_YES, ANSWER_NO } dashboard_answer;

/* Reads one key of a confirmation for `name`. */
static dashboard_answer dashboard_confirm_key(dashboard *a, int key, const char *name) {
    if (!a->production)
        return key == 'y' || key == 'Y' ? ANSWER_YES : ANSWER_NO;
    size_t len = strlen(a->typed);
    if (key == 27)
        return ANSWER_NO;
    if (key == '\r' || key == '\n' || key == KEY_ENTER) {
        if (strcmp(a->typed, name) == 0)
            return ANSWER_YES;
        dashboard_message(a, "the name typed is not %s: nothing done", name);
        return ANSWER_NO;
    }
    if ((key == KEY_BACKSPACE || key == 127 || key == 8) && len > 0)
        a->typed[len - 1] = '\0';
    else if (key >= 0x20 && key < 0x7f && len + 1 < sizeof a->typed) {
        a->typed[len] = (char)key;
        a->typed[len + 1] = '\0';
    }
    return ANSWER_PENDING;
}

void dashboard_draw_dialog(dashboard *a) {
    char line1[512];
    if (a->dialog == DIALOG_BACKUP) {
        snprintf(line1, sizeof line1, "Back up the catalog of %s", a->source_name);
        char line2[512];
        snprintf(line2, sizeof line2, "to %s/<time>/ (JSON, DDL, manifest)?",
                 a->actions->backup_dest);
        const char *lines[] = {line1, line2, "", "y: back up   n, Esc: cancel"};
        widget_dialog("Back up the catalog", lines, 4);
    } else if (a->dialog == DIALOG_CRAWL) {
        snprintf(line1, sizeof line1, "Start crawler %s on %s", a->crawl_name, a->source_name);
        char hint[1024];
        dashboard_confirm_hint(a, a->crawl_name, "y: start   n, Esc: cancel", hint, sizeof hint);
        const char *lines[] = {line1, "and follow it until it is READY again?", "", hint};
        widget_dialog("Run a crawler", lines, 4);
    } else if (a->dialog == DIALOG_SYNC) {
        snprintf(line1, sizeof line1, "Run sync rule %s?", a->sync_rule);
        char hint[1024];
        dashboard_confirm_hint(a, a->sync_rule, "y: sync   n, Esc: cancel", hint, sizeof hint);
        const char *lines[] = {line1, "The dry run found:", a->sync_plan, "", hint};
        widget_dialog("Sync", lines, 5);
    } else if (a->dialog == DIALOG_QUIT_WITH_JOBS) {
        size_t n = a->jobs ? jobs_running(a->jobs) : 0;
        snprintf(line1, sizeof line1, "%zu action%s still running.", n, n == 1 ? " is" : "s are");
        const char *lines[] = {line1, "Leaving now abandons it; its result is lost.", "",
                               "w: wait, then quit   l: leave now   Esc: stay"};
        widget_dialog("Quit laketop?", lines, 4);
    }
}

bool dashboard_dialog_key(dashboard *a, int key) {
    dashboard_dialog d = a->dialog;
    if (key == KEY_RESIZE)
        return true;
    a->dialog = DIALOG_NONE;
    if (d == DIALOG_BACKUP) {
        if (key == 'y' || key == 'Y') {
            backup_start_job(a->jobs, a->actions);
            dashboard_message(a, "backup started: a shows its progress");
        } else {
            dashboard_message(a, "backup cancelled");
        }
        return true;
    }
    if (d == DIALOG_CRAWL || d == DIALOG_SYNC) {
        dashboard_answer answer =
            dashboard_confirm_key(a, key, d == DIALOG_CRAWL ? a->crawl_name : a->sync_rule);
        if (answer == ANSWER_PENDING) {
            a->dialog = d; /* still typing */
            return true;
        }
        a->typed[0] = '\0';
        if (answer == ANSWER_NO && a->production && key != 27)
            return true; /* the mismatch was said already */
        key = answer == ANSWER_YES ? 'y' : 'n';
    }
    if (d == DIALOG_CRAWL) {
        if (key == 'y' || key == 'Y') {
            crawl_start_job(a->jobs, a->actions, a->crawl_name);
            dashboard_message(a, "crawler %s started: a shows its progress", a->crawl_name);
        } else {
            dashboard_message(a, "crawl cancelled");
        }
        return true;
    }
    if (d == DIALOG_SYNC) {
        if (key == 'y' || key == 'Y') {
            sync_start_job(a->jobs, a->actions, a->sync_rule, false);
            dashboard_message(a, "sync %s started: a shows its progress", a->sync_rule);
        } else {
            dashboard_message(a, "sync cancelled");
        }
        return true;
    }
    if (d == DIALOG_QUIT_WITH_JOBS) {
        if (key == 'l' || key == 'L')
            return false;
        if (key == 'w' || key == 'W') {
            a->quit_after_jobs = true;
            dashboard_message(a, "quitting when the running actions end");
        }
        return true;
    }
    return true;
}

void dashboard_ask_backup(dashboard *a) {
    if (!a->jobs || !a->actions || !a->actions->backup_dest) {
        dashboard_message(a, "backups are not available here");
        return;
    }
    a->dialog = DIALOG_BACKUP;
}

void dashboard_ask_crawl(dashboard *a, const char *crawler) {
    if (!a->jobs || !a->actions) {
        dashboard_message(a, "actions are not available here");
        return;
    }
    snprintf(a->crawl_name, sizeof a->crawl_name, "%s", crawler);
    a->dialog = DIALOG_CRAWL;
}

void dashboard_ask_sync(dashboard *a, const char *rule) {
    if (!a->jobs || !a->actions || !a->actions->sync) {
        dashboard_message(a, "actions are not available here");
        return;
    }
    snprintf(a->sync_rule, sizeof a->sync_rule, "%s", rule);
    a->sync_plan_job = sync_start_job(a->jobs, a->actions, rule, true);
    dashboard_message(a, "comparing the zones for %s...", rule);
}

void dashboard_check_sync_plan(dashboard *a) {
    if (!a->sync_plan_job || !a->jobs)
        return;
    job_status *list;
    size_t n = jobs_snapshot(a->jobs, &list);
    for (size_t i = 0; i < n; i++) {
        if (list[i].id != a->sync_plan_job || list[i].state == JOB_RUNNING)
            continue;
        a->sync_plan_job = 0;
        if (list[i].state == JOB_SUCCEEDED && a->dialog == DIALOG_NONE) {
            snprintf(a->sync_plan, sizeof a->sync_plan, "%s", list[i].message);
            a->dialog = DIALOG_SYNC;
        } else if (list[i].state == JOB_FAILED) {
            dashboard_message(a, "sync %s: %s", a->sync_rule, list[i].message);
        }
    }
    jobs_status_free(list, n);
}
