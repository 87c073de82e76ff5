/* dashboard_start.c: the dashboard's start and end (see dashboard_start.h). */
#include "app/dashboard_start.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "actions/action.h"
#include "common/fs.h"
#include "common/xalloc.h"
#include "tui/theme.h"
#include "views/dashboard.h"

/* LAKETOP_BENCH_LOG: the first-frame and key timings, a line each, read by
 * the bench as they come. */
static void dashboard_start_bench_log(void *ctx, const char *what, int64_t ms) {
    fprintf(ctx, "%s %lld\n", what, (long long)ms);
}

/* What keeps the dashboard from starting, said on stderr: -1 when nothing
 * does, else the exit status. */
static int dashboard_start_check(const command_context *a) {
    const config *cfg = &a->cfg;
    theme check;
    char *error = NULL;
    if (cfg->theme && !theme_load(a->themes_dir, cfg->theme, &check, &error)) {
        fprintf(stderr, "laketop: %s\n", error);
        free(error);
        return OPTIONS_EXIT_USAGE;
    }
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "laketop: the dashboard needs a terminal; use --once for batch output\n");
        return OPTIONS_EXIT_USAGE;
    }
    if (!cfg->aws && !fs_is_dir(cfg->lake_dir)) {
        fprintf(stderr, "laketop: lake directory %s does not exist\n", cfg->lake_dir);
        return 1;
    }
    if (!options_address_ok("export_dir", cfg->export_dir))
        return OPTIONS_EXIT_USAGE;
    return -1;
}

int dashboard_start(command_context *a) {
    int status = dashboard_start_check(a);
    if (status >= 0)
        return status;
    const config *cfg = &a->cfg;
    int pipefd[2];
    if (pipe2(pipefd, O_NONBLOCK | O_CLOEXEC) != 0)
        xfatal("pipe: %s", strerror(errno));
    collector_options co = a->collect;
    co.notify_fd = pipefd[1];
    collector *col = collector_start(&co);
    jobs *job_list = jobs_new(pipefd[1]);
    char *backup_dest = cfg->backup_dir ? xstrdup(cfg->backup_dir) : options_data_dir("backups");
    action_context actions = {
        .make_source = options_make_source,
        .make_s3_source = options_make_s3_source,
        .make_ctx = a,
        .backup_dest = backup_dest,
        .export_dest = cfg->export_dir,
        .sync = &cfg->sync,
        .crawl_poll_ms = a->crawl_poll_ms,
    };
    FILE *bench = a->bench_log ? fopen(a->bench_log, "a") : NULL;
    if (bench)
        setvbuf(bench, NULL, _IOLBF, 0);
    dashboard_options o = {
        .collector = col,
        .notify_fd = pipefd[0],
        .source_name = a->source->name,
        .jobs = job_list,
        .actions = &actions,
        .production = cfg->production,
        .themes_dir = a->themes_dir,
        .theme_name = cfg->theme,
        .read_only = cfg->read_only,
        .mouse = cfg->mouse,
        .start_databases = cfg->start_databases,
        .started_ms = a->started_ms,
        .bench_log = bench ? dashboard_start_bench_log : NULL,
        .bench_ctx = bench,
    };
    status = dashboard_run(&o);
    collector_stop(col);
    size_t left = jobs_running(job_list);
    if (left) {
        /* "l: leave now": the action stops with the process; a backup
         * never renamed into place is not presented as done */
        fprintf(stderr, "laketop: %zu action%s abandoned\n", left, left == 1 ? "" : "s");
        _exit(status);
    }
    jobs_free(job_list);
    if (bench)
        fclose(bench);
    free(backup_dest);
    close(pipefd[0]);
    close(pipefd[1]);
    return status;
}
