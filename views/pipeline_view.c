/* pipeline_view.c: the Pipeline view (J): the jobs, then the state
 * machines, each with its newest run (state coloured by what it means,
 * started, duration), its failures in 7 days, a sparkline of its kept
 * runs' durations, its schedule and error; sortable; Enter opens the run
 * history (job_view.c), j runs the selected job (after asking). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/figures/pipeline.h"
#include "collector/figures/writers.h"
#include "common/fmt.h"
#include "common/xalloc.h"
#include "tui/screen.h"
#include "tui/sparkline.h"
#include "views/dashboard.h"
#include "views/pipeline_rows.h"

enum {
    COL_NAME,
    COL_KIND,
    COL_STATE,
    COL_STARTED,
    COL_DURATION,
    COL_FAILURES,
    COL_RUNS,
    COL_SCHEDULE,
    COL_ERROR
};

static const widget_column pipeline_columns[] = {
    [COL_NAME] = {"Job", 20, 10, ALIGN_LEFT, WIDGET_NAME, 'N'},
    [COL_KIND] = {"Kind", 6, 5, ALIGN_LEFT, false, 0},
    [COL_STATE] = {"State", 9, 7, ALIGN_LEFT, WIDGET_ASCENDING_FIRST, 'T'},
    [COL_STARTED] = {"Started", 7, 5, ALIGN_RIGHT, WIDGET_ASCENDING_FIRST, 'W'},
    [COL_DURATION] = {"Took", 6, 4, ALIGN_RIGHT, false, 'D'},
    [COL_FAILURES] = {"Fail 7d", 7, 4, ALIGN_RIGHT, false, 'F'},
    [COL_RUNS] = {"Last runs", 12, 6, ALIGN_LEFT, false, 0},
    [COL_SCHEDULE] = {"Schedule", 16, 8, ALIGN_LEFT, false, 0},
    [COL_ERROR] = {"Error", 30, 10, ALIGN_LEFT, true, 0},
};

/* Seconds since the newest run started; never ran: the oldest. */
static int64_t pipeline_age(const pipeline_rows *r, const pipeline_job *j) {
    const pipeline_run *run = pipeline_newest(j);
    return run && run->started_at >= 0 ? r->now - run->started_at : INT64_MAX;
}

static int64_t pipeline_took(const pipeline_rows *r, const pipeline_job *j) {
    const pipeline_run *run = pipeline_newest(j);
    return run ? pipeline_run_seconds(run, r->now) : -1;
}

static int pipeline_text_cmp(const char *a, const char *b) {
    return strcmp(a ? a : "", b ? b : "");
}

static const char *pipeline_error_of(const pipeline_job *j) {
    const pipeline_run *run = pipeline_newest(j);
    return j->error ? j->error : run ? run->error : NULL;
}

static int pipeline_cmp(const void *pa, const void *pb, void *ctx) {
    const pipeline_rows *r = ctx;
    const pipeline_job *a = *(const pipeline_job *const *)pa;
    const pipeline_job *b = *(const pipeline_job *const *)pb;
    int64_t x = 0, y = 0;
    int c = 0;
    switch (r->f->sort_column) {
    case COL_NAME: break;
    case COL_KIND: c = (int)a->kind - (int)b->kind; break;
    case COL_STATE: /* failures first, then running, waiting, ... */
        x = pipeline_rows_state_rank(a);
        y = pipeline_rows_state_rank(b);
        break;
    case COL_STARTED:
        x = pipeline_age(r, a);
        y = pipeline_age(r, b);
        break;
    case COL_DURATION:
        x = pipeline_took(r, a);
        y = pipeline_took(r, b);
        break;
    case COL_FAILURES:
        x = a->failures_7d;
        y = b->failures_7d;
        break;
    case COL_RUNS:
        x = (int64_t)a->n_runs;
        y = (int64_t)b->n_runs;
        break;
    case COL_SCHEDULE: c = pipeline_text_cmp(a->schedule, b->schedule); break;
    case COL_ERROR: c = pipeline_text_cmp(pipeline_error_of(a), pipeline_error_of(b)); break;
    }
    return dashboard_sort_order(r->f, c, x, y, a->name, b->name);
}

static void pipeline_build(pipeline_rows *r, dashboard *a, const view_frame *f) {
    pipeline_rows_build(r, a->snapshot, f,
                        a->now ? a->now : (a->snapshot ? a->snapshot->generated_at : 0));
    if (f->sort_column >= 0 && r->n)
        qsort_r(r->jobs, r->n, sizeof *r->jobs, pipeline_cmp, r);
}

static const char *pipeline_row_name(void *ctx, size_t row) {
    return ((const pipeline_rows *)ctx)->jobs[row]->name;
}

static void pipeline_cell(void *ctx, size_t row, size_t col, int width, widget_cell *cell) {
    const pipeline_rows *r = ctx;
    const pipeline_job *j = r->jobs[row];
    const pipeline_run *run = pipeline_newest(j);
    char figure[64] = "-";
    cell->role = ROLE_DIM;
    switch (col) {
    case COL_NAME:
        widget_cell_printf(cell, "%s", j->name);
        cell->role = ROLE_NAME;
        return;
    case COL_KIND: widget_cell_printf(cell, "%s", pipeline_rows_kind_word(j->kind)); return;
    case COL_STATE:
        widget_cell_printf(cell, "%s", run && run->state ? run->state : "never");
        cell->role = run ? pipeline_rows_state_role(run, r->now) : ROLE_DIM;
        return;
    case COL_STARTED:
        if (run && run->started_at >= 0)
            fmt_age(r->now > run->started_at ? r->now - run->started_at : 0, figure, sizeof figure);
        break;
    case COL_DURATION:
        if (run && pipeline_run_seconds(run, r->now) >= 0)
            fmt_age(pipeline_run_seconds(run, r->now), figure, sizeof figure);
        break;
    case COL_FAILURES:
        if (j->failures_7d >= 0)
            snprintf(figure, sizeof figure, "%lld", (long long)j->failures_7d);
        cell->role = j->failures_7d > 0 ? ROLE_STALE_WARN : ROLE_DIM;
        break;
    case COL_RUNS: { /* oldest to newest, left to right */
        double values[PIPELINE_RUNS_KEPT];
        size_t n = j->n_runs < PIPELINE_RUNS_KEPT ? j->n_runs : PIPELINE_RUNS_KEPT;
        for (size_t i = 0; i < n; i++)
            values[n - 1 - i] = (double)pipeline_run_seconds(&j->runs[i], r->now);
        size_t cells = width > 0 ? (size_t)width : 1;
        if (cells > PIPELINE_RUNS_KEPT)
            cells = PIPELINE_RUNS_KEPT;
        char line[PIPELINE_RUNS_KEPT * 3 + 1];
        if (n)
            sparkline_render(values, n, cells, screen_utf8(), line, sizeof line);
        else
            snprintf(line, sizeof line, "-");
        widget_cell_printf(cell, "%s", line);
        cell->role = n ? ROLE_SPARKLINE : ROLE_DIM;
        return;
    }
    case COL_SCHEDULE:
        if (j->schedule && j->next_run >= 0 && j->next_run >= r->now) {
            char in[32];
            fmt_age(j->next_run - r->now, in, sizeof in);
            widget_cell_printf(cell, "%s, next in %s", j->schedule, in);
        } else {
            widget_cell_printf(cell, "%s", j->schedule ? j->schedule : "on demand");
        }
        return;
    case COL_ERROR: {
        const char *error = pipeline_error_of(j);
        char line[WRITERS_MESSAGE_MAX + 1];
        widget_cell_printf(cell, "%s", error ? writers_one_line(error, line, sizeof line) : "");
        cell->role = ROLE_ERROR;
        return;
    }
    }
    widget_cell_printf(cell, "%s", figure);
}

#define PIPELINE_HOW_LOCAL                                                                     \
    "No jobs: declare one in the config: [job NAME] with command = what to run (its runs are " \
    "kept in LAKE/.laketop/jobs.jsonl); then j here runs it, and job = NAME under [table "     \
    "DB.TABLE] names the table it writes."
#define PIPELINE_HOW_AWS "No Glue jobs or Step Functions state machines in this account."

static void pipeline_draw(dashboard *a, view_frame *f, int y, int height, int width) {
    const lake_snapshot *s = a->snapshot;
    pipeline_rows r;
    pipeline_build(&r, a, f);
    if (s && s->pipeline_error) { /* the figures stand; say why some are missing */
        char *line = xasprintf("pipeline: %s", s->pipeline_error);
        widget_text(y, 1, width - 2, screen_attr(ROLE_ERROR), line, true);
        free(line);
        y++;
        height--;
    }
    if (s)
        dashboard_restore_selection(f, r.n, pipeline_row_name, &r, height - 1);
    f->table_y = y;
    dashboard_table_draw(a, f, y, height, width, r.n, pipeline_cell, &r);
    if (r.n == 0)
        widget_text(y + 2, 2, width - 4, screen_attr(ROLE_DIM),
                    !s                                     ? "Reading the lake..."
                    : strncmp(s->source, "local:", 6) == 0 ? PIPELINE_HOW_LOCAL
                                                           : PIPELINE_HOW_AWS,
                    false);
    pipeline_rows_free(&r);
}

static bool pipeline_key(dashboard *a, view_frame *f, int key, key_action action, int page_rows) {
    pipeline_rows r;
    pipeline_build(&r, a, f);
    bool handled = true;
    if (action == ACTION_JOB_RUN) {
        if (r.n) {
            dashboard_restore_selection(f, r.n, pipeline_row_name, &r, page_rows);
            const pipeline_job *j = r.jobs[f->list.selected];
            if (j->kind == PIPELINE_STATES)
                dashboard_message(a,
                                  "j runs jobs; %s is a state machine (start it with Step "
                                  "Functions)",
                                  j->name);
            else
                dashboard_ask_job(a, j->name);
        } else {
            dashboard_message(a, "no job to run: declare one with [job NAME] in the config");
        }
    } else if (!a->snapshot) {
        handled = action != ACTION_NONE;
    } else {
        bool enter = false;
        handled = dashboard_list_key(f, &pipeline_view, r.n, pipeline_row_name, &r, key, action,
                                     page_rows, &enter);
        if (enter && f->list.selected < r.n) {
            const pipeline_job *j = r.jobs[f->list.selected];
            dashboard_push(a, VIEW_JOB, pipeline_rows_kind_key(j->kind), j->name);
        }
    }
    pipeline_rows_free(&r);
    return handled;
}

const view_ops pipeline_view = {
    .title = "Pipeline",
    .columns = pipeline_columns,
    .n_columns = sizeof pipeline_columns / sizeof pipeline_columns[0],
    .default_sort = -1,
    .draw = pipeline_draw,
    .key = pipeline_key,
};
