/* dashboard_start.c: the dashboard's start and end (see dashboard_start.h). */
#include "app/dashboard_start.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "actions/action.h"
#include "app/config_names.h"
#include "app/protect.h"
#include "app/view_state.h"
#include "collector/aws/aws_profiles_list.h"
#include "collector/storage.h"
#include "common/fmt.h"
#include "common/fs.h"
#include "common/xalloc.h"
#include "tui/theme.h"
#include "views/dashboard.h"

/* LAKETOP_BENCH_LOG: the first-frame and key timings, a line each, read by
 * the bench as they come. */
static void dashboard_start_bench_log(void *ctx, const char *what, int64_t ms) {
    fprintf(ctx, "%s %lld\n", what, (long long)ms);
}

/* F2: a new choice of columns written to the state file (ctx: its path). */
static char *dashboard_start_save_layouts(void *ctx, const view_layout *layouts) {
    return view_state_save(ctx, layouts);
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

/* The sections of the config that name nothing in the catalog: the first
 * for the message line, with how many more (--once and check list them). */
static bool dashboard_start_config_warning(void *ctx, const lake_snapshot *s, char **warning) {
    char **lines;
    size_t n;
    *warning = NULL;
    if (!config_names_unmatched(ctx, s, &lines, &n))
        return false;
    if (n)
        *warning = n == 1 ? xasprintf("config: %s", lines[0])
                          : xasprintf("config: %s (and %zu more such sections)", lines[0], n - 1);
    config_names_free(lines, n);
    return true;
}

/* P, the profile switches of an AWS lake: one source and collector read
 * at a time; the old ones are stopped on threads of their own (a refresh
 * may be waiting on the network) and joined at the end. */
typedef struct dashboard_start_profiles {
    command_context *a;
    collector *collector; /* the one the dashboard reads */
    lake_source *source;  /* its source */
    char *profile;        /* a->aws's profile after a switch (the actions' too) */
    pthread_t *stoppers;
    size_t n_stoppers;
} dashboard_start_profiles;

typedef struct dashboard_start_old {
    collector *collector;
    lake_source *source;
} dashboard_start_old;

static void *dashboard_start_stop(void *arg) {
    dashboard_start_old *old = arg;
    collector_stop(old->collector);
    lake_source_free(old->source);
    free(old);
    return NULL;
}

static bool dashboard_start_list_profiles(void *ctx, char ***names, size_t *n, char **error) {
    (void)ctx;
    return aws_profiles_list_read(names, n, error);
}

static collector *dashboard_start_switch(void *ctx, const char *profile, const char **source_name,
                                         char **error) {
    dashboard_start_profiles *p = ctx;
    command_context *a = p->a;
    aws_source_options o = a->aws;
    o.request.profile = profile;
    lake_source *source = aws_source_new(&o, error);
    if (!source)
        return NULL;
    free(p->profile);
    p->profile = xstrdup(profile);
    a->aws.request.profile = p->profile; /* the actions from now on */
    char *history = config_aws_history_path(source->name);
    char *state = config_incremental_path(history);
    aws_source_incremental(source, state, &a->cfg.incremental, false);
    free(state);
    collector_options co = a->collect;
    co.source = source;
    co.history_path = history;
    collector *next = collector_start(&co);
    free(history); /* copied */
    dashboard_start_old *old = xcalloc(1, sizeof *old);
    *old = (dashboard_start_old){.collector = p->collector, .source = p->source};
    if (old->source == a->source)
        a->source = NULL; /* freed by the stopper, not by options_close */
    p->stoppers = xrealloc(p->stoppers, (p->n_stoppers + 1) * sizeof *p->stoppers);
    if (pthread_create(&p->stoppers[p->n_stoppers], NULL, dashboard_start_stop, old) == 0)
        p->n_stoppers++;
    else
        dashboard_start_stop(old);
    p->collector = next;
    p->source = source;
    *source_name = source->name;
    return next;
}

/* R: the current source's next refresh lists every table whole. */
static void dashboard_start_refresh_full(void *ctx) {
    dashboard_start_profiles *p = ctx;
    aws_source_full_next(p->source);
}

/* A local lake's S3 credentials, when protected accounts are set and
 * something may be written to s3://: who they are (one STS call before
 * the screen starts; the dashboard never waits on the network). */
static snapshot_identity *dashboard_start_s3_identity(command_context *a) {
    const config *cfg = &a->cfg;
    bool s3 = zones_use_s3(&cfg->sync) || (cfg->export_dir && storage_is_s3(cfg->export_dir)) ||
              (cfg->backup_dir && storage_is_s3(cfg->backup_dir));
    return !cfg->aws && cfg->n_protected_accounts && s3 ? protect_identity(a) : NULL;
}

int dashboard_start(command_context *a) {
    int status = dashboard_start_check(a);
    if (status >= 0)
        return status;
    const config *cfg = &a->cfg;
    int pipefd[2];
    if (pipe2(pipefd, O_NONBLOCK | O_CLOEXEC) != 0)
        xfatal("pipe: %s", strerror(errno));
    snapshot_identity *s3_identity = dashboard_start_s3_identity(a);
    a->collect.notify_fd = pipefd[1]; /* a switch's collector too */
    collector *col = collector_start(&a->collect);
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
        .protected_accounts = cfg->protected_accounts,
        .n_protected_accounts = cfg->n_protected_accounts,
        .aws = cfg->aws,
        .s3_identity = s3_identity,
        .config_warning = dashboard_start_config_warning,
        .config_ctx = &a->cfg,
    };
    char *views_path = view_state_path();
    view_layout layouts[VIEW_COUNT];
    char *views_warning = view_state_load(views_path, layouts);
    o.layouts = layouts;
    o.layouts_warning = views_warning;
    o.save_layouts = dashboard_start_save_layouts;
    o.layouts_ctx = views_path;
    dashboard_start_profiles profiles = {.a = a, .collector = col, .source = a->source};
    const char *first_profile = a->aws.request.profile;
    if (cfg->aws) {
        o.list_profiles = dashboard_start_list_profiles;
        o.switch_profile = dashboard_start_switch;
        o.profiles_ctx = &profiles;
        o.refresh_full = dashboard_start_refresh_full;
        o.refresh_full_ctx = &profiles;
    }
    status = dashboard_run(&o);
    free(views_warning);
    free(views_path);
    col = profiles.collector;
    collector_stop(col);
    for (size_t i = 0; i < profiles.n_stoppers; i++)
        pthread_join(profiles.stoppers[i], NULL);
    free(profiles.stoppers);
    if (profiles.source != a->source)
        lake_source_free(profiles.source);
    snapshot_identity_free(s3_identity);
    a->aws.request.profile = first_profile;
    free(profiles.profile);
    size_t left = jobs_running(job_list);
    if (left) {
        /* "l: leave now": the action stops with the process; a backup
         * never renamed into place is not presented as done */
        fprintf(stderr, "laketop: %zu %s abandoned\n", left,
                fmt_plural((int64_t)(left), "action", "actions"));
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
