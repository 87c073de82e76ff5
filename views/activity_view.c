/* activity_view.c: the actions laketop runs in the background (backups,
 * exports, crawls, syncs), running and finished: progress bar, elapsed
 * time, result; and the daily export read-only mode kept from running. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/fmt.h"
#include "common/redact.h"
#include "common/xalloc.h"
#include "tui/screen.h"
#include "views/dashboard.h"

/* What an action works on (a rule, a backup's folder), its middle cut
 * when it does not fit: a path keeps its end. */
static void activity_target(int y, int width, const char *target) {
    strbuf shown = {0};
    widget_text_middle(&shown, target ? target : "", width);
    widget_text(y, 46, width, screen_attr(ROLE_DIM), shown.data ? shown.data : "", false);
    strbuf_free(&shown);
}

static void activity_draw(dashboard *a, view_frame *f, int y, int height, int width) {
    (void)f;
    job_status *list = NULL;
    size_t n = a->jobs ? jobs_snapshot(a->jobs, &list) : 0;
    widget_fill(y, 0, width, screen_attr(ROLE_HEADER));
    widget_text(y, 1, width - 1, screen_attr(ROLE_HEADER),
                "Action    State       Progress      Elapsed  Result", false);
    int row = y + 1;
    if (a->export_skipped && row + 1 < y + height) {
        /* the daily export read-only mode kept from running: said here, in
         * a row of its own, as the action it would have been */
        widget_text(row, 1, 9, screen_attr(ROLE_NAME), "export", false);
        widget_text(row, 11, 11, screen_attr(ROLE_STALE_WARN), "not run", false);
        activity_target(row, width - 47,
                        a->actions && a->actions->export_dest ? a->actions->export_dest : "");
        char *message = xasprintf("  %s", a->export_skipped);
        widget_text(row + 1, 1, width - 2, screen_attr(ROLE_STALE_WARN), message, false);
        free(message);
        row += 2;
    }
    if (n == 0 && !a->export_skipped)
        widget_text(y + 2, 2, width - 4, screen_attr(ROLE_DIM),
                    "No action yet. b backs up the catalog.", false);
    for (size_t i = 0; i < n && row + 1 < y + height; i++) {
        const job_status *s = &list[i];
        const char *state = s->state == JOB_RUNNING     ? "running"
                            : s->state == JOB_SUCCEEDED ? "succeeded"
                                                        : "FAILED";
        theme_role role = s->state == JOB_RUNNING     ? ROLE_NORMAL
                          : s->state == JOB_SUCCEEDED ? ROLE_FRESH
                                                      : ROLE_ERROR;
        char elapsed[32];
        int64_t end = s->state == JOB_RUNNING ? clock_monotonic_ms() : s->finished;
        fmt_age((end - s->started) / 1000, elapsed, sizeof elapsed);
        widget_text(row, 1, 9, screen_attr(ROLE_NAME), s->title, false);
        widget_text(row, 11, 11, screen_attr(role), state, false);
        widget_progress(row, 23, 12, s->state == JOB_SUCCEEDED ? 1.0 : s->progress,
                        screen_attr(ROLE_CHART));
        widget_text(row, 37, 8, screen_attr(ROLE_NORMAL), elapsed, false);
        activity_target(row, width - 47, s->target);
        char *safe = redact_dup(s->message); /* a result may quote a secret */
        char *message = xasprintf("  %s", safe ? safe : "");
        free(safe);
        widget_text(row + 1, 1, width - 2, screen_attr(role), message, false);
        free(message);
        row += 2;
    }
    jobs_status_free(list, n);
}

static bool activity_key(dashboard *a, view_frame *f, int key, key_action action, int page_rows) {
    (void)a;
    (void)f;
    (void)key;
    (void)page_rows;
    return action == ACTION_ENTER;
}

const view_ops activity_view = {
    .title = "Activity",
    .draw = activity_draw,
    .key = activity_key,
};
