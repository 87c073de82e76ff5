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
#include "common/xalloc.h"
#include "tui/widgets.h"

/* The last line of a question: on a production lake the target's name must
 * be typed, elsewhere y will do. The caller frees it. */
static char *dashboard_confirm_hint(dashboard *a, const char *name, const char *plain) {
    if (a->production)
        return xasprintf("production: type %s and Enter (Esc: cancel): %s_", name,
                         a->typed.length ? a->typed.data : "");
    return xstrdup(plain);
}

/* Replaces an owned string with a copy of `text`. */
static void dashboard_set(char **field, const char *text) {
    char *copy = xstrdup(text ? text : "");
    free(*field);
    *field = copy;
}

typedef enum dashboard_answer { ANSWER_PENDING, ANSWER_YES, ANSWER_NO } dashboard_answer;

/* Reads one key of a confirmation for `name`. */
static dashboard_answer dashboard_confirm_key(dashboard *a, int key, const char *name) {
    if (!a->production)
        return key == 'y' || key == 'Y' ? ANSWER_YES : ANSWER_NO;
    strbuf *typed = &a->typed;
    if (key == 27)
        return ANSWER_NO;
    if (key == '\r' || key == '\n' || key == KEY_ENTER) {
        if (strcmp(typed->length ? typed->data : "", name) == 0)
            return ANSWER_YES;
        dashboard_message(a, "the name typed is not %s: nothing done", name);
        return ANSWER_NO;
    }
    if ((key == KEY_BACKSPACE || key == 127 || key == 8) && typed->length > 0) {
        /* a whole UTF-8 character */
        size_t len = typed->length;
        while (len > 0 && ((unsigned char)typed->data[len - 1] & 0xC0) == 0x80)
            len--;
        typed->length = len > 0 ? len - 1 : 0;
        typed->data[typed->length] = '\0';
    } else if (key >= 0x20 && key < 0x100 && key != 0x7f) {
        strbuf_putc(typed, (char)key); /* the bytes of UTF-8 arrive one by one */
    }
    return ANSWER_PENDING;
}

void dashboard_draw_dialog(dashboard *a) {
    char *line1 = NULL;
    if (a->dialog == DIALOG_BACKUP) {
        line1 = xasprintf("Back up the catalog of %s", a->source_name);
        char *line2 = xasprintf("to %s/<time>/ (JSON, DDL, manifest)?", a->actions->backup_dest);
        const char *lines[] = {line1, line2, "", "y: back up   n, Esc: cancel"};
        widget_dialog("Back up the catalog", lines, 4);
        free(line2);
    } else if (a->dialog == DIALOG_CRAWL) {
        line1 = xasprintf("Start crawler %s on %s", a->crawl_name, a->source_name);
        char *hint = dashboard_confirm_hint(a, a->crawl_name, "y: start   n, Esc: cancel");
        const char *lines[] = {line1, "and follow it until it is READY again?", "", hint};
        widget_dialog("Run a crawler", lines, 4);
        free(hint);
    } else if (a->dialog == DIALOG_SYNC) {
        line1 = xasprintf("Run sync rule %s?", a->sync_rule);
        char *hint = dashboard_confirm_hint(a, a->sync_rule, "y: sync   n, Esc: cancel");
        const char *lines[] = {line1, "The dry run found:", a->sync_plan ? a->sync_plan : "", "",
                               hint};
        widget_dialog("Sync", lines, 5);
        free(hint);
    } else if (a->dialog == DIALOG_QUIT_WITH_JOBS) {
        size_t n = a->jobs ? jobs_running(a->jobs) : 0;
        line1 = xasprintf("%zu action%s still running.", n, n == 1 ? " is" : "s are");
        const char *lines[] = {line1, "Leaving now abandons it; its result is lost.", "",
                               "w: wait, then quit   l: leave now   Esc: stay"};
        widget_dialog("Quit laketop?", lines, 4);
    }
    free(line1);
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
        strbuf_free(&a->typed);
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
    dashboard_set(&a->crawl_name, crawler);
    a->dialog = DIALOG_CRAWL;
}

void dashboard_ask_sync(dashboard *a, const char *rule) {
    if (!a->jobs || !a->actions || !a->actions->sync) {
        dashboard_message(a, "actions are not available here");
        return;
    }
    dashboard_set(&a->sync_rule, rule);
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
            dashboard_set(&a->sync_plan, list[i].message);
            a->dialog = DIALOG_SYNC;
        } else if (list[i].state == JOB_FAILED) {
            dashboard_message(a, "sync %s: %s", a->sync_rule, list[i].message);
        }
    }
    jobs_status_free(list, n);
}
