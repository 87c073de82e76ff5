/* dashboard_dialog.c: the dashboard's questions (back up, run a crawler,
 * sync, quit while actions run): drawn over the view, answered key by key,
 * and the actions they start, by name (actions/). */
#include "views/dashboard.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions/backup.h"
#include "actions/crawl.h"
#include "actions/export.h"
#include "actions/job_run.h"
#include "common/clock.h"
#include "actions/sync.h"
#include "common/fmt.h"
#include "common/xalloc.h"
#include "tui/screen.h"
#include "tui/widgets.h"

/* Replaces an owned string with a copy of `text`. */
static void dashboard_set(char **field, const char *text) {
    char *copy = xstrdup(text ? text : "");
    free(*field);
    *field = copy;
}

static bool dashboard_protected(const dashboard *a, const char *account) {
    for (size_t i = 0; account && i < a->n_protected_accounts; i++)
        if (strcmp(a->protected_accounts[i], account) == 0)
            return true;
    return false;
}

/* Sets what must be typed to confirm an action on `name` that changes the
 * AWS account when `touches_aws`: the account's id when it is protected,
 * else on a production lake the name, else nothing (y). NULL when the
 * question may be asked, else why not (malloc'd): protected accounts are
 * set and the account it would change is not known, or another profile
 * is being switched to (its account is not the one on screen). */
static char *dashboard_confirm_setup(dashboard *a, bool touches_aws, const char *name) {
    free(a->confirm_word);
    a->confirm_word = NULL;
    a->confirm_account = false;
    strbuf_free(&a->typed);
    if (a->switching_to)
        return xasprintf("switching to profile %s: wait for its figures first", a->switching_to);
    if (touches_aws && a->n_protected_accounts) {
        const snapshot_identity *id =
            a->aws ? (a->snapshot ? a->snapshot->identity : NULL) : a->s3_identity;
        if (!id || !id->account)
            return xasprintf("protected_accounts is set and the account this would change is "
                             "not known (%s): nothing done",
                             id && id->error ? id->error : "no identity yet");
        if (dashboard_protected(a, id->account)) {
            a->confirm_word = xstrdup(id->account);
            a->confirm_account = true;
            return NULL;
        }
    }
    if (a->production && name)
        a->confirm_word = xstrdup(name);
    return NULL;
}

/* The last line of a question: the account id or the target's name to
 * type, else y will do. The caller frees it. */
static char *dashboard_confirm_hint(dashboard *a, const char *plain) {
    if (a->confirm_word)
        return xasprintf("%s: type %s and Enter (Esc: cancel): %s_",
                         a->confirm_account ? "protected account" : "production", a->confirm_word,
                         a->typed.length ? a->typed.data : "");
    return xstrdup(plain);
}

typedef enum dashboard_answer { ANSWER_PENDING, ANSWER_YES, ANSWER_NO } dashboard_answer;

/* Reads one key of a confirmation. */
static dashboard_answer dashboard_confirm_key(dashboard *a, int key) {
    const char *word = a->confirm_word;
    if (!word)
        return key == 'y' || key == 'Y' ? ANSWER_YES : ANSWER_NO;
    strbuf *typed = &a->typed;
    if (key == 27)
        return ANSWER_NO;
    if (key == '\r' || key == '\n' || key == KEY_ENTER) {
        if (strcmp(typed->length ? typed->data : "", word) == 0)
            return ANSWER_YES;
        dashboard_message(a, "the %s typed is not %s: nothing done",
                          a->confirm_account ? "account id" : "name", word);
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

/* Whether sync rule `rule` writes to S3 (its destination zone's uri is
 * s3://), from the snapshot's zones; unknown counts as yes. */
static bool dashboard_sync_touches_aws(const dashboard *a, const char *rule) {
    const lake_snapshot *s = a->snapshot;
    for (size_t i = 0; s && i < s->n_rules; i++) {
        if (strcmp(s->rules[i].name, rule) != 0)
            continue;
        for (size_t k = 0; k < s->n_zones; k++)
            if (strcmp(s->zones[k].name, s->rules[i].to) == 0)
                return strncmp(s->zones[k].uri, "s3://", 5) == 0;
    }
    return true;
}

void dashboard_draw_dialog(dashboard *a) {
    char *line1 = NULL;
    if (a->dialog == DIALOG_BACKUP) {
        line1 = xasprintf("Back up the catalog of %s", a->source_name);
        char *line2 = xasprintf("to %s/<time>/ (JSON, DDL, manifest)?", a->actions->backup_dest);
        char *hint = a->confirm_account ? dashboard_confirm_hint(a, "")
                                        : xstrdup("y: back up   n, Esc: cancel");
        const char *lines[] = {line1, line2, "", hint};
        widget_dialog("Back up the catalog", lines, 4);
        free(hint);
        free(line2);
    } else if (a->dialog == DIALOG_EXPORT) {
        line1 = xasprintf("Export the day's figures to %s?", a->actions->export_dest);
        char *hint = dashboard_confirm_hint(a, "y: export   n, Esc: skip today");
        const char *lines[] = {line1, "(the daily export; cancelled, it waits for tomorrow)", "",
                               hint};
        widget_dialog("Daily export", lines, 4);
        free(hint);
    } else if (a->dialog == DIALOG_PROFILES) {
        dashboard_draw_profiles(a);
    } else if (a->dialog == DIALOG_COLUMNS) {
        dashboard_draw_columns(a);
    } else if (a->dialog == DIALOG_CRAWL) {
        line1 = xasprintf("Start crawler %s on %s", a->crawl_name, a->source_name);
        char *hint = dashboard_confirm_hint(a, "y: start   n, Esc: cancel");
        const char *lines[] = {line1, "and follow it until it is READY again?", "", hint};
        widget_dialog("Run a crawler", lines, 4);
        free(hint);
    } else if (a->dialog == DIALOG_JOB) {
        line1 = xasprintf("Run job %s on %s", a->job_name, a->source_name);
        char *hint = dashboard_confirm_hint(a, "y: run   n, Esc: cancel");
        const char *lines[] = {line1, "and follow it until it ends (a shows it)?", "", hint};
        widget_dialog("Run a job", lines, 4);
        free(hint);
    } else if (a->dialog == DIALOG_SYNC) {
        line1 = xasprintf("Run sync rule %s?", a->sync_rule);
        char *hint = dashboard_confirm_hint(a, "y: sync   n, Esc: cancel");
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
    if (d == DIALOG_PROFILES) {
        dashboard_profiles_key(a, key);
        return true;
    }
    if (d == DIALOG_COLUMNS) {
        dashboard_columns_key(a, key);
        return true;
    }
    if (d == DIALOG_CRAWL || d == DIALOG_JOB || d == DIALOG_SYNC || d == DIALOG_EXPORT ||
        (d == DIALOG_BACKUP && a->confirm_account)) {
        dashboard_answer answer = dashboard_confirm_key(a, key);
        if (answer == ANSWER_PENDING) {
            a->dialog = d; /* still typing */
            return true;
        }
        strbuf_free(&a->typed);
        bool typed = a->confirm_word != NULL;
        free(a->confirm_word);
        a->confirm_word = NULL;
        a->confirm_account = false;
        if (answer == ANSWER_NO && typed && key != 27 && d != DIALOG_EXPORT)
            return true; /* the mismatch was said already */
        key = answer == ANSWER_YES ? 'y' : 'n';
    }
    if (d == DIALOG_EXPORT) {
        if (key == 'y' && a->export_snapshot) {
            export_start_job(a->jobs, a->actions, a->export_snapshot);
        } else {
            free(a->export_skipped);
            a->export_skipped = xstrdup("the daily export to the protected account was not "
                                        "confirmed: it waits for tomorrow");
            dashboard_message(a, "%s", a->export_skipped);
        }
        snapshot_release(a->export_snapshot);
        a->export_snapshot = NULL;
        return true;
    }
    if (d == DIALOG_BACKUP) {
        if (key == 'y' || key == 'Y') {
            backup_start_job(a->jobs, a->actions);
            dashboard_message(a, "backup started: a shows its progress");
        } else {
            dashboard_message(a, "backup cancelled");
        }
        return true;
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
    if (d == DIALOG_JOB) {
        if (key == 'y' || key == 'Y') {
            job_run_start_job(a->jobs, a->actions, a->job_name);
            dashboard_message(a, "job %s started: a shows it until it ends", a->job_name);
        } else {
            dashboard_message(a, "job run cancelled");
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
    char *remote = action_changes(ACTION_KIND_BACKUP, a->actions->backup_dest);
    char *refusal = dashboard_confirm_setup(a, remote != NULL, NULL);
    free(remote);
    if (refusal) {
        dashboard_message(a, "backup: %s", refusal);
        free(refusal);
        return;
    }
    a->dialog = DIALOG_BACKUP;
}

void dashboard_ask_crawl(dashboard *a, const char *crawler) {
    if (!a->jobs || !a->actions) {
        dashboard_message(a, "actions are not available here");
        return;
    }
    char *refusal = dashboard_confirm_setup(a, a->aws, crawler);
    if (refusal) {
        dashboard_message(a, "crawl %s: %s", crawler, refusal);
        free(refusal);
        return;
    }
    dashboard_set(&a->crawl_name, crawler);
    a->dialog = DIALOG_CRAWL;
}

void dashboard_ask_job(dashboard *a, const char *job) {
    if (!a->jobs || !a->actions) {
        dashboard_message(a, "actions are not available here");
        return;
    }
    char *refusal = dashboard_confirm_setup(a, a->aws, job);
    if (refusal) {
        dashboard_message(a, "job %s: %s", job, refusal);
        free(refusal);
        return;
    }
    dashboard_set(&a->job_name, job);
    a->dialog = DIALOG_JOB;
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
            char *refusal = dashboard_confirm_setup(a, dashboard_sync_touches_aws(a, a->sync_rule),
                                                    a->sync_rule);
            if (refusal) {
                dashboard_message(a, "sync %s: %s", a->sync_rule, refusal);
                free(refusal);
                continue;
            }
            dashboard_set(&a->sync_plan, list[i].message);
            a->dialog = DIALOG_SYNC;
        } else if (list[i].state == JOB_FAILED) {
            dashboard_message(a, "sync %s: %s", a->sync_rule, list[i].message);
        }
    }
    jobs_status_free(list, n);
}

bool dashboard_export_allowed(dashboard *a) {
    char *remote = action_changes(ACTION_KIND_EXPORT, a->actions->export_dest);
    if (!remote || !a->n_protected_accounts) {
        free(remote);
        return true;
    }
    free(remote);
    if (a->dialog != DIALOG_NONE)
        return false; /* asked once the open question is answered */
    a->export_day = fmt_day_of(a->snapshot->generated_at); /* asked once a day */
    char *refusal = dashboard_confirm_setup(a, true, NULL);
    if (refusal) {
        free(a->export_skipped);
        a->export_skipped = xasprintf("the daily export is not run: %s", refusal);
        free(refusal);
        dashboard_message(a, "%s", a->export_skipped);
        return false;
    }
    if (!a->confirm_word)
        return true; /* not a protected account */
    snapshot_release(a->export_snapshot);
    a->export_snapshot = a->snapshot;
    snapshot_retain(a->export_snapshot);
    a->dialog = DIALOG_EXPORT;
    return false;
}

/* The first full refresh of each UTC day is exported (export_dir), as the
 * Glue collector job does once a day; a refresh that failed is not. */
void dashboard_maybe_export(dashboard *a) {
    const lake_snapshot *s = a->snapshot;
    if (!a->actions || !a->actions->export_dest || !a->jobs || !s || s->from_saved_state ||
        s->generated_at < 0 || fmt_day_of(s->generated_at) == a->export_day)
        return;
    char *incomplete = export_incomplete(s); /* the next whole refresh is exported */
    bool whole = !incomplete;
    free(incomplete);
    if (!whole)
        return;
    char *what = a->read_only ? action_changes(ACTION_KIND_EXPORT, a->actions->export_dest) : NULL;
    if (what) { /* the Activity view says why */
        a->export_day = fmt_day_of(s->generated_at);
        free(a->export_skipped);
        a->export_skipped = xasprintf("read-only mode: the daily export is not run (%s)", what);
        free(what);
        dashboard_message(a, "%s", a->export_skipped);
        return;
    }
    if (!dashboard_export_allowed(a)) /* a protected account: asked, or refused */
        return;
    a->export_day = fmt_day_of(s->generated_at);
    export_start_job(a->jobs, a->actions, a->snapshot);
}
