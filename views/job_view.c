/* job_view.c: one job's or state machine's run history (Enter in the
 * Pipeline view): what it is, its schedule and failures, its kept runs
 * newest first (state, started, duration, exit status or DPU-seconds,
 * error) and the selected run's full error, wrapped; j runs it again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/figures/pipeline.h"
#include "collector/figures/writers.h"
#include "common/fmt.h"
#include "common/xalloc.h"
#include "tui/screen.h"
#include "views/dashboard.h"
#include "views/detail_lines.h"
#include "views/pipeline_rows.h"

enum { COL_RUN, COL_STATE, COL_STARTED, COL_AT, COL_TOOK, COL_RESULT, COL_ERROR };

static const widget_column job_columns[] = {
    [COL_RUN] = {"Run", 24, 8, ALIGN_LEFT, WIDGET_CUT_MIDDLE, 0},
    [COL_STATE] = {"State", 9, 7, ALIGN_LEFT, false, 0},
    [COL_STARTED] = {"Started", 7, 5, ALIGN_RIGHT, false, 0},
    [COL_AT] = {"At (UTC)", 16, 16, ALIGN_LEFT, false, 0},
    [COL_TOOK] = {"Took", 6, 4, ALIGN_RIGHT, false, 0},
    [COL_RESULT] = {"Exit/DPU-s", 10, 6, ALIGN_RIGHT, false, 0},
    [COL_ERROR] = {"Error", 30, 10, ALIGN_LEFT, true, 0},
};

typedef struct job_ctx {
    const pipeline_job *job;
    int64_t now;
} job_ctx;

static const char *job_row_name(void *ctx, size_t row) {
    const pipeline_run *run = &((const job_ctx *)ctx)->job->runs[row];
    return run->id ? run->id : "";
}

static void job_cell(void *ctx, size_t row, size_t col, int width, widget_cell *cell) {
    (void)width;
    const job_ctx *c = ctx;
    const pipeline_run *run = &c->job->runs[row];
    char figure[64] = "-";
    cell->role = ROLE_DIM;
    switch (col) {
    case COL_RUN: {
        /* a local run's id is NAME-START-PID: the job's name says nothing
         * in its own history, so the rest is shown */
        const char *id = run->id ? run->id : "-";
        size_t n = strlen(c->job->name);
        if (c->job->kind == PIPELINE_LOCAL && strncmp(id, c->job->name, n) == 0 && id[n] == '-' &&
            id[n + 1])
            id += n + 1;
        widget_cell_printf(cell, "%s", id);
        cell->role = ROLE_NORMAL;
        return;
    }
    case COL_STATE:
        widget_cell_printf(cell, "%s", run->state ? run->state : "-");
        cell->role = pipeline_rows_state_role(run, c->now);
        return;
    case COL_STARTED:
        if (run->started_at >= 0)
            fmt_age(c->now > run->started_at ? c->now - run->started_at : 0, figure, sizeof figure);
        break;
    case COL_AT:
        if (run->started_at >= 0) { /* "2026-12-02 13:05" */
            char iso[32];
            fmt_iso8601(run->started_at, iso, sizeof iso);
            snprintf(figure, sizeof figure, "%.10s %.5s", iso, iso + 11);
        }
        break;
    case COL_TOOK:
        if (pipeline_run_seconds(run, c->now) >= 0)
            fmt_age(pipeline_run_seconds(run, c->now), figure, sizeof figure);
        break;
    case COL_RESULT:
        if (run->exit_status >= 0)
            snprintf(figure, sizeof figure, "exit %d", run->exit_status);
        else if (run->dpu_seconds >= 0)
            snprintf(figure, sizeof figure, "%.0f", run->dpu_seconds);
        cell->role = run->exit_status > 0 ? ROLE_ERROR : ROLE_DIM;
        break;
    case COL_ERROR: {
        char line[WRITERS_MESSAGE_MAX + 1];
        widget_cell_printf(cell, "%s",
                           run->error ? writers_one_line(run->error, line, sizeof line) : "");
        cell->role = ROLE_ERROR;
        return;
    }
    }
    widget_cell_printf(cell, "%s", figure);
}

/* The lines above the runs: what it is, when it runs, how it fared. */
static int job_draw_head(const dashboard *a, const pipeline_job *j, int y, int width) {
    (void)a;
    char *line = xasprintf("%s %s (%s)%s%s", j->kind == PIPELINE_STATES ? "State machine" : "Job",
                           j->name, pipeline_rows_kind_word(j->kind), j->description ? ": " : "",
                           j->description ? j->description : "");
    widget_text(y, 1, width - 2, screen_attr(ROLE_NAME), line, true);
    free(line);
    strbuf info = {0};
    strbuf_printf(&info, "%s", j->schedule ? j->schedule : "on demand");
    if (j->schedule && j->next_run >= 0) {
        char iso[32];
        strbuf_printf(&info, ", next %s", fmt_iso8601(j->next_run, iso, sizeof iso));
    }
    if (j->failures_7d >= 0)
        strbuf_printf(&info, "; %lld %s in 7 days", (long long)j->failures_7d,
                      fmt_plural(j->failures_7d, "failure", "failures"));
    strbuf_printf(&info, "; %zu %s kept", j->n_runs, j->n_runs == 1 ? "run" : "runs");
    widget_text(y + 1, 1, width - 2, screen_attr(ROLE_DIM), info.data, true);
    strbuf_free(&info);
    if (!j->error)
        return 2;
    char *error = xasprintf("runs not read: %s", j->error);
    widget_text(y + 2, 1, width - 2, screen_attr(ROLE_ERROR), error, true);
    free(error);
    return 3;
}

/* The selected run's whole error under the runs, from row `y` down to
 * `bottom` (exclusive); returns nothing when it has none. */
static void job_draw_error(const pipeline_run *run, int y, int bottom, int width) {
    if (!run || !run->error || y >= bottom)
        return;
    detail_lines l = {0};
    /* each line of the error (a traceback keeps its lines), wrapped */
    char *text = xstrdup(run->error);
    bool first = true;
    for (char *p = text, *next; p; p = next) {
        next = strchr(p, '\n');
        if (next)
            *next++ = '\0';
        if (!*p)
            continue;
        detail_add_wrapped(&l, first ? "Error" : "", ROLE_ERROR, p, width - DETAIL_TEXT_X - 1);
        first = false;
    }
    free(text);
    for (size_t i = 0; i < l.n && y < bottom; i++, y++) {
        widget_text(y, 1, DETAIL_TEXT_X - 2, screen_attr(ROLE_LABEL), l.lines[i].label, false);
        widget_text(y, DETAIL_TEXT_X, width - DETAIL_TEXT_X - 1, screen_attr(l.lines[i].role),
                    l.lines[i].text, false);
    }
    detail_lines_free(&l);
}

static void job_draw(dashboard *a, view_frame *f, int y, int height, int width) {
    const pipeline_job *j = pipeline_rows_find(a->snapshot, f->database, f->table);
    if (!j) {
        char *line =
            xasprintf("%s is not among the lake's jobs any more (Esc goes back).", f->table);
        widget_text(y + 1, 2, width - 4, screen_attr(ROLE_DIM),
                    a->snapshot ? line : "Reading the lake...", false);
        free(line);
        return;
    }
    int head = job_draw_head(a, j, y, width);
    job_ctx c = {.job = j, .now = a->now};
    /* the runs take what the error leaves: at most a third for the error */
    const pipeline_run *selected = NULL;
    if (j->n_runs) {
        dashboard_restore_selection(f, j->n_runs, job_row_name, &c, height - head - 2);
        selected = &j->runs[f->list.selected];
    }
    int error_rows = selected && selected->error ? height / 3 : 0;
    int table_rows = height - head - 1 - error_rows;
    if (table_rows < 3) {
        table_rows = height - head - 1;
        error_rows = 0;
    }
    f->table_y = y + head + 1;
    dashboard_table_draw(a, f, y + head + 1, table_rows, width, j->n_runs, job_cell, &c);
    if (!j->n_runs)
        widget_text(y + head + 3, 2, width - 4, screen_attr(ROLE_DIM),
                    "No runs yet: j starts one (asks first).", false);
    job_draw_error(selected, y + head + 1 + table_rows, y + height, width);
}

static bool job_key(dashboard *a, view_frame *f, int key, key_action action, int page_rows) {
    const pipeline_job *j = pipeline_rows_find(a->snapshot, f->database, f->table);
    if (action == ACTION_JOB_RUN) {
        if (!j || j->kind == PIPELINE_STATES)
            dashboard_message(a, "j runs jobs; %s is %s", f->table,
                              j ? "a state machine (start it with Step Functions)"
                                : "not among the lake's jobs");
        else
            dashboard_ask_job(a, j->name);
        return true;
    }
    if (action == ACTION_SORT_NEXT || action == ACTION_SORT_PREV || action == ACTION_SORT_INVERT) {
        dashboard_message(a, "the runs are newest first");
        return true;
    }
    if (!j)
        return action != ACTION_NONE;
    job_ctx c = {.job = j, .now = a->now};
    bool enter = false;
    return dashboard_list_key(f, &job_view, j->n_runs, job_row_name, &c, key, action, page_rows,
                              &enter);
}

const view_ops job_view = {
    .title = "Job",
    .columns = job_columns,
    .n_columns = sizeof job_columns / sizeof job_columns[0],
    .default_sort = -1,
    .draw = job_draw,
    .key = job_key,
};
