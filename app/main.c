/* main.c: laketop's entry point: command line, configuration, and the three
 * ways to run: the dashboard, batch output (--once) and `demo`. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "actions/audit.h"
#include "collector/aws/aws_source.h"
#include "collector/local/local_source.h"
#include "actions/backup.h"
#include "actions/export.h"
#include "actions/restore.h"
#include "collector/collector.h"
#include "actions/crawl.h"
#include "actions/sync.h"
#include "tools/demo.h"
#include "common/clock.h"
#include "common/fmt.h"
#include "common/fs.h"
#include "common/xalloc.h"
#include "tui/theme.h"
#include "views/dashboard.h"
#include "app/check.h"
#include "actions/export.h"
#include "app/config.h"
#include "app/report.h"

#define EXIT_USAGE 2

static void main_usage(FILE *out) {
    fputs(
        "Usage: laketop [OPTIONS]                 the dashboard\n"
        "       laketop --once [--format F] ...   refresh once, print, exit\n"
        "       laketop demo [DIR] [--days N]     write a demo lake\n"
        "       laketop backup [DEST]             back up the catalog (Glue JSON, DDL, manifest)\n"
        "       laketop restore SRC [--dry-run] [--force]  recreate what is missing\n"
        "       laketop crawl NAME [--no-wait]    start a crawler, follow it to the end\n"
        "       laketop sync RULE [--dry-run]     copy a rule's prefixes between zones\n"
        "       laketop export [DEST]             the day's tables.csv/databases.csv (BI)\n"
        "       laketop check [--format text|prometheus]  staleness verdict: exit 0 OK,\n"
        "                                         1 WARNING, 2 CRITICAL, 3 UNKNOWN\n"
        "\n"
        "A live view of a data lake: databases, tables, sizes, files, freshness\n"
        "and growth, from a local lake directory (catalog/ plus zones).\n"
        "\n"
        "Options:\n"
        "  -l, --lake DIR        the lake directory (default: config `lake`, else the\n"
        "                        demo lake under $XDG_DATA_HOME/laketop/demo)\n"
        "  -i, --interval TIME   refresh interval: 60, 90s, 5m (default 60s)\n"
        "  -t, --theme NAME      colour theme: dark, light, mono (default dark;\n"
        "                        mono when NO_COLOR is set or colours are missing)\n"
        "      --themes-dir DIR  where NAME.theme files are looked up\n"
        "  -c, --config FILE     configuration file (default\n"
        "                        $XDG_CONFIG_HOME/laketop/config)\n"
        "      --stale-warn TIME staleness warning threshold (default 2d)\n"
        "      --stale-crit TIME staleness critical threshold (default 7d)\n"
        "      --aws             read the AWS account (Glue + S3) instead of a lake\n"
        "                        directory; implied by the three options below\n"
        "      --profile NAME    AWS profile (~/.aws/credentials and config)\n"
        "      --region NAME     AWS region\n"
        "      --endpoint-url U  an AWS-compatible endpoint (path-style S3 then)\n"
        "      --s3-path-style   always address S3 buckets path-style\n"
        "      --concurrency N   requests in flight (default 32)\n"
        "      --once            refresh once, print the figures, exit\n"
        "  -f, --format F        with --once: json (default), csv or table\n"
        "      --read-only       never change anything outside laketop\n"
        "      --no-mouse        ignore the mouse\n"
        "      --view NAME       the first screen: overview (default) or databases\n"
        "  -h, --help            this help\n"
        "  -V, --version         the version\n"
        "\n"
        "Exit status: 0 ok; 1 the lake or some of its tables could not be read\n"
        "(--once prints what it could, and why not on stderr); 2 bad usage or\n"
        "configuration.\n"
        "\n"
        "Keys in the dashboard: ? for help, q to quit.\n",
        out);
}

static char *main_exe_dir(void) {
    char buf[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (len <= 0)
        return NULL;
    buf[len] = '\0';
    char *slash = strrchr(buf, '/');
    if (!slash)
        return NULL;
    *slash = '\0';
    return xstrdup(buf);
}

/* First existing of: config's themes_dir, $XDG_CONFIG_HOME/laketop/themes,
 * the source tree beside the binary, the installed share directory. */
static char *main_themes_dir(const char *configured) {
    if (configured)
        return xstrdup(configured);
    char *candidates[4] = {0};
    char *config_home = fs_xdg_home("CONFIG");
    if (config_home)
        candidates[0] = xasprintf("%s/laketop/themes", config_home);
    char *exe = main_exe_dir();
    if (exe) {
        candidates[1] = xasprintf("%s/../themes", exe);
        candidates[2] = xasprintf("%s/../share/laketop/themes", exe);
    }
    candidates[3] = xstrdup(LAKETOP_DATADIR "/themes");
    char *found = NULL;
    for (size_t i = 0; i < 4; i++) {
        if (!found && candidates[i] && fs_is_dir(candidates[i]))
            found = candidates[i];
        else
            free(candidates[i]);
    }
    free(config_home);
    free(exe);
    return found;
}

/* $XDG_DATA_HOME/laketop/LEAF (malloc'd), NULL without a home. */
static char *main_data_dir(const char *leaf) {
    char *data = fs_xdg_home("DATA");
    if (!data)
        return NULL;
    char *dir = xasprintf("%s/laketop/%s", data, leaf);
    free(data);
    return dir;
}

static int main_demo(int argc, char **argv) {
    static const struct option options[] = {
        {"days", required_argument, NULL, 'd'},
        {"extra-tables", required_argument, NULL, 'T'},
        {"extra-files", required_argument, NULL, 'F'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    demo_options o = {.now = clock_now(), .days = 90};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        char *end;
        long v;
        switch (c) {
        case 'd':
        case 'T':
        case 'F':
            errno = 0;
            v = strtol(optarg, &end, 10);
            if (errno || *end || v < (c == 'd' ? 1 : 0) || v > (c == 'd' ? 3650 : 10000000)) {
                fprintf(stderr, "laketop demo: bad number \"%s\"\n", optarg);
                return EXIT_USAGE;
            }
            if (c == 'd')
                o.days = (int)v;
            else if (c == 'T')
                o.extra_tables = (int)v;
            else
                o.extra_files = (int)v;
            break;
        case 'h':
            puts("Usage: laketop demo [DIR] [--days N]\n"
                 "Writes a deterministic demo lake (default DIR: $XDG_DATA_HOME/laketop/demo)\n"
                 "with 90 days of data and history. DIR must be absent or empty.\n"
                 "--extra-tables N --extra-files N add generated tables (benchmarks).");
            return 0;
        default: return EXIT_USAGE;
        }
    }
    if (argc - optind > 1) {
        fprintf(stderr, "laketop demo: one directory at most\n");
        return EXIT_USAGE;
    }
    char *dir = optind < argc ? xstrdup(argv[optind]) : main_data_dir("demo");
    if (!dir) {
        fprintf(stderr, "laketop demo: no DIR given and no $HOME\n");
        return EXIT_USAGE;
    }
    char *error = NULL;
    int64_t started = clock_monotonic_ms();
    if (!demo_write(dir, &o, &error)) {
        fprintf(stderr, "laketop demo: %s\n", error);
        free(error);
        free(dir);
        return 1;
    }
    fprintf(stderr,
            "laketop: demo lake written to %s in %lld ms; open it with: laketop --lake %s\n", dir,
            (long long)(clock_monotonic_ms() - started), dir);
    free(dir);
    return 0;
}

/* How the dashboard's source was made, so that an action's thread can make
 * one of its own (sources are not shared between threads). */
typedef struct main_source_recipe {
    bool aws;
    const char *lake_dir;
    aws_source_options aws_options;
    const config *cfg; /* the local lake's crawlers */
} main_source_recipe;

static lake_source *main_make_source(void *ctx, char **error) {
    const main_source_recipe *r = ctx;
    if (r->aws)
        return aws_source_new(&r->aws_options, error);
    lake_source *source = local_source_new(r->lake_dir);
    for (size_t i = 0; i < r->cfg->n_crawlers; i++)
        local_source_add_crawler(source, r->cfg->crawlers[i].name, r->cfg->crawlers[i].path,
                                 r->cfg->crawlers[i].database);
    return source;
}

static lake_source *main_make_s3_source(void *ctx, char **error) {
    return aws_source_new(&((const main_source_recipe *)ctx)->aws_options, error);
}

/* The command line's side of an action's report: progress on one line of
 * stderr when it is a terminal, notes as lines of their own. */
typedef struct main_report {
    const char *label; /* "sync RULE": the lines say "laketop sync RULE: ..." */
    bool tty;
    bool line_open; /* a progress line is showing */
} main_report;

static void main_report_progress(void *ctx, double fraction, const char *text) {
    main_report *r = ctx;
    (void)fraction;
    if (!r->tty)
        return;
    fprintf(stderr, "\rlaketop %s: %-30s", r->label, text);
    fflush(stderr);
    r->line_open = true;
}

static void main_report_note(void *ctx, const char *line) {
    main_report *r = ctx;
    if (r->line_open)
        fputc('\n', stderr);
    r->line_open = false;
    fprintf(stderr, "laketop %s: %s\n", r->label, line);
}

/* Ends an action of the command line: the result on stdout, after
 * `prefix` ("backup: "), when it is one (done, or failed as such), else on
 * stderr as "laketop COMMAND: ..."; returns the exit status. */
static int main_report_end(main_report *r, const char *command, action_status status,
                           const char *prefix, char *result) {
    if (r->line_open)
        fputc('\n', stderr);
    if (status == ACTION_DONE || status == ACTION_FAILED)
        printf("%s%s\n", prefix, result);
    else
        fprintf(stderr, "laketop %s: %s\n", command, result);
    free(result);
    return action_exit_status(status);
}

static action_report main_report_for(main_report *r) {
    r->tty = isatty(STDERR_FILENO);
    return (action_report){.progress = main_report_progress, .note = main_report_note, .ctx = r};
}

/* laketop sync RULE [--dry-run]: 0 done, 1 failed, 2 usage or configuration. */
static int main_sync(const char *name, config *cfg, bool dry_run, main_source_recipe *recipe) {
    char *error = NULL;
    if (cfg->mapping && !zones_load_mapping(&cfg->sync, cfg->mapping, &error)) {
        fprintf(stderr, "laketop sync: %s\n", error);
        free(error);
        return EXIT_USAGE;
    }
    if (cfg->read_only && !dry_run) {
        fprintf(stderr, "laketop sync: read-only mode: a sync writes to its destination zone "
                        "(--dry-run shows what it would do)\n");
        return EXIT_USAGE;
    }
    char *label = xasprintf("sync %s", name);
    main_report r = {.label = label};
    action_report report = main_report_for(&r);
    sync_request request = {
        .config = &cfg->sync,
        .rule = name,
        .dry_run = dry_run,
        .s3 = {.make = main_make_s3_source, .make_ctx = recipe},
    };
    char *result = NULL;
    action_status status = sync_run(&request, &report, &result);
    char *prefix = xasprintf("sync %s%s: ", name, dry_run ? " (dry run)" : "");
    int exit_status = main_report_end(&r, "sync", status, prefix, result);
    free(prefix);
    free(label);
    return exit_status;
}

/* laketop crawl NAME [--no-wait]: 0 succeeded, 1 failed, 2 usage. */
static int main_crawl(const char *name, lake_source *source, const config *cfg, bool wait,
                      int poll_ms) {
    if (cfg->read_only) {
        fprintf(stderr, "laketop crawl: read-only mode: starting a crawler changes the catalog\n");
        return EXIT_USAGE;
    }
    char *label = xasprintf("crawl %s", name);
    main_report r = {.label = label};
    action_report report = main_report_for(&r);
    crawl_request request = {
        .source = {.borrowed = source}, .name = name, .wait = wait, .poll_ms = poll_ms};
    char *result = NULL;
    action_status status = crawl_run(&request, &report, &result);
    free(label);
    return main_report_end(&r, "crawl", status, "", result);
}

/* Whether an s3:// address given to `command` is well formed (else says
 * why on stderr). */
static bool main_s3_address_ok(const char *command, const char *url) {
    char *error = NULL;
    bool ok = action_address_ok(url, &error);
    if (!ok)
        fprintf(stderr, "laketop %s: %s\n", command, error);
    free(error);
    return ok;
}

/* laketop backup [DEST] and laketop restore SRC [--dry-run] [--force]. */
static int main_command(const char *command, const char *arg, lake_source *source,
                        const config *cfg, main_source_recipe *recipe, bool dry_run, bool force) {
    char *result = NULL;
    action_source s3 = {.borrowed = source->objects ? source : NULL,
                        .make = main_make_s3_source,
                        .make_ctx = recipe};
    if (strcmp(command, "backup") == 0) {
        char *dest = arg               ? xstrdup(arg)
                     : cfg->backup_dir ? xstrdup(cfg->backup_dir)
                                       : main_data_dir("backups");
        if (!dest) {
            fprintf(stderr, "laketop backup: no DEST given and no $HOME\n");
            return EXIT_USAGE;
        }
        main_report r = {.label = "backup"};
        action_report report = main_report_for(&r);
        backup_request request = {.source = {.borrowed = source}, .s3 = s3, .dest = dest};
        action_status status = backup_run(&request, &report, &result);
        free(dest);
        return main_report_end(&r, "backup", status, "backup: ", result);
    }
    /* restore */
    if (cfg->read_only && !dry_run) {
        fprintf(stderr, "laketop restore: read-only mode: a restore would change the catalog "
                        "(--dry-run shows what it would do)\n");
        return EXIT_USAGE;
    }
    main_report r = {.label = "restore"};
    action_report report = main_report_for(&r);
    restore_request request = {.source = {.borrowed = source},
                               .s3 = s3,
                               .from = arg,
                               .dry_run = dry_run,
                               .force = force,
                               .log = stderr};
    action_status status = restore_run(&request, &report, &result);
    return main_report_end(&r, "restore", status, "restore: ", result);
}

/* laketop check: one refresh, then the verdict (exit 0-3) or metrics. */
static int main_check(const collector_options *co, bool prometheus) {
    char *error = NULL;
    lake_snapshot *s = collector_refresh_once(co, &error);
    check_status status = check_evaluate(s);
    bool written;
    if (prometheus) {
        written = check_write_prometheus(stdout, s, status);
    } else if (!s) {
        printf("LAKETOP UNKNOWN - %s\n", error);
        written = !ferror(stdout);
    } else {
        written = check_write_text(stdout, s, status);
    }
    free(error);
    if (s)
        snapshot_release(s);
    if (fflush(stdout) != 0 || !written)
        return CHECK_UNKNOWN;
    /* metrics: a textfile collector wants the file whatever the lake's state */
    return prometheus && status != CHECK_UNKNOWN ? 0 : (int)status;
}

/* laketop export [DEST]: one refresh, then the day's CSV and JSON lines. */
static int main_export(const collector_options *co, const char *arg, const config *cfg,
                       main_source_recipe *recipe) {
    char *dest = arg               ? xstrdup(arg)
                 : cfg->export_dir ? xstrdup(cfg->export_dir)
                                   : main_data_dir("export");
    if (!dest) {
        fprintf(stderr, "laketop export: no DEST given and no $HOME\n");
        return EXIT_USAGE;
    }
    if (!main_s3_address_ok("export", dest)) {
        free(dest);
        return EXIT_USAGE;
    }
    char *error = NULL;
    lake_snapshot *s = collector_refresh_once(co, &error);
    if (!s) {
        fprintf(stderr, "laketop export: %s\n", error ? error : "failed");
        free(error);
        free(dest);
        return 1;
    }
    main_report r = {.label = "export"};
    action_report report = main_report_for(&r);
    export_request request = {
        .snapshot = s,
        .dest = dest,
        .s3 = {.borrowed = co->source->objects ? co->source : NULL,
               .make = main_make_s3_source,
               .make_ctx = recipe},
    };
    char *result = NULL;
    action_status status = export_run(&request, &report, &result);
    snapshot_release(s);
    free(dest);
    return main_report_end(&r, "export", status, "export: ", result);
}

/* Prints every row error of a batch refresh on stderr; true if any. */
static bool main_report_errors(const lake_snapshot *s) {
    bool any = false;
    if (s->error) {
        fprintf(stderr, "laketop: %s\n", s->error);
        any = true;
    }
    for (size_t i = 0; i < s->n_databases; i++) {
        if (s->databases[i].error) {
            fprintf(stderr, "laketop: database %s: %s\n", s->databases[i].name,
                    s->databases[i].error);
            any = true;
        }
    }
    for (size_t i = 0; i < s->n_tables; i++) {
        if (s->tables[i].error) {
            fprintf(stderr, "laketop: table %s.%s: %s\n", s->tables[i].database, s->tables[i].name,
                    s->tables[i].error);
            any = true;
        }
    }
    return any;
}

/* LAKETOP_BENCH_LOG: the dashboard's first-frame and key timings are
 * appended there, a line each (the bench reads them as they come). */
static FILE *main_bench_open(void) {
    const char *path = getenv("LAKETOP_BENCH_LOG");
    FILE *fp = path ? fopen(path, "a") : NULL;
    if (fp)
        setvbuf(fp, NULL, _IOLBF, 0);
    return fp;
}

static void main_bench_log(void *ctx, const char *what, int64_t ms) {
    fprintf(ctx, "%s %lld\n", what, (long long)ms);
}

int main(int argc, char **argv) {
    int64_t started_ms = clock_monotonic_ms();
    /* Once, before any thread: UTF-8 detection for the UI; numbers keep '.'. */
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");
    /* Two malloc arenas are plenty for two busy threads, and keep the
     * collector's freed snapshots from pinning memory in extra arenas. */
    mallopt(M_ARENA_MAX, 2);
    if (argc > 1 && strcmp(argv[1], "demo") == 0)
        return main_demo(argc - 1, argv + 1);
    /* backup and restore take the same options as the dashboard */
    const char *command = NULL; /* taken from the first non-option argument below */

    enum {
        OPT_THEMES_DIR = 256,
        OPT_ONCE,
        OPT_READ_ONLY,
        OPT_NO_MOUSE,
        OPT_WARN,
        OPT_CRIT,
        OPT_AWS,
        OPT_PROFILE,
        OPT_REGION,
        OPT_ENDPOINT,
        OPT_PATH_STYLE,
        OPT_CONCURRENCY,
        OPT_DRY_RUN,
        OPT_FORCE,
        OPT_NO_WAIT,
        OPT_VIEW,
    };
    static const struct option options[] = {
        {"lake", required_argument, NULL, 'l'},
        {"interval", required_argument, NULL, 'i'},
        {"theme", required_argument, NULL, 't'},
        {"themes-dir", required_argument, NULL, OPT_THEMES_DIR},
        {"config", required_argument, NULL, 'c'},
        {"once", no_argument, NULL, OPT_ONCE},
        {"format", required_argument, NULL, 'f'},
        {"read-only", no_argument, NULL, OPT_READ_ONLY},
        {"no-mouse", no_argument, NULL, OPT_NO_MOUSE},
        {"stale-warn", required_argument, NULL, OPT_WARN},
        {"stale-crit", required_argument, NULL, OPT_CRIT},
        {"aws", no_argument, NULL, OPT_AWS},
        {"profile", required_argument, NULL, OPT_PROFILE},
        {"region", required_argument, NULL, OPT_REGION},
        {"endpoint-url", required_argument, NULL, OPT_ENDPOINT},
        {"s3-path-style", no_argument, NULL, OPT_PATH_STYLE},
        {"concurrency", required_argument, NULL, OPT_CONCURRENCY},
        {"dry-run", no_argument, NULL, OPT_DRY_RUN},
        {"force", no_argument, NULL, OPT_FORCE},
        {"no-wait", no_argument, NULL, OPT_NO_WAIT},
        {"view", required_argument, NULL, OPT_VIEW},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {0, 0, 0, 0},
    };
    const char *lake = NULL, *interval = NULL, *theme_name = NULL, *themes_dir = NULL;
    const char *config_path = NULL, *format_name = NULL, *warn = NULL, *crit = NULL;
    const char *start_view = NULL;
    bool once = false, read_only = false, no_mouse = false;
    bool aws = false, path_style = false, dry_run = false, force = false, no_wait = false;
    const char *profile = NULL, *region = NULL, *endpoint = NULL, *concurrency = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "l:i:t:c:f:hV", options, NULL)) != -1) {
        switch (c) {
        case 'l': lake = optarg; break;
        case 'i': interval = optarg; break;
        case 't': theme_name = optarg; break;
        case OPT_THEMES_DIR: themes_dir = optarg; break;
        case 'c': config_path = optarg; break;
        case OPT_ONCE: once = true; break;
        case 'f': format_name = optarg; break;
        case OPT_READ_ONLY: read_only = true; break;
        case OPT_NO_MOUSE: no_mouse = true; break;
        case OPT_WARN: warn = optarg; break;
        case OPT_CRIT: crit = optarg; break;
        case OPT_AWS: aws = true; break;
        case OPT_PROFILE:
            profile = optarg;
            aws = true;
            break;
        case OPT_REGION:
            region = optarg;
            aws = true;
            break;
        case OPT_ENDPOINT:
            endpoint = optarg;
            aws = true;
            break;
        case OPT_PATH_STYLE: path_style = true; break;
        case OPT_CONCURRENCY: concurrency = optarg; break;
        case OPT_DRY_RUN: dry_run = true; break;
        case OPT_FORCE: force = true; break;
        case OPT_NO_WAIT: no_wait = true; break;
        case OPT_VIEW: start_view = optarg; break;
        case 'h': main_usage(stdout); return 0;
        case 'V': printf("laketop %s\n", LAKETOP_VERSION); return 0;
        default: fputs("Try 'laketop --help'.\n", stderr); return EXIT_USAGE;
        }
    }
    /* getopt has moved the non-option arguments to the end: COMMAND [ARG] */
    static const char *const commands[] = {"backup", "restore", "crawl", "sync", "check", "export"};
    for (size_t i = 0; optind < argc && i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[optind], commands[i]) == 0) {
            command = argv[optind++];
            break;
        }
    }
    const char *command_arg = NULL;
    if (command && optind < argc)
        command_arg = argv[optind++];
    bool needs_arg = command && (strcmp(command, "restore") == 0 || strcmp(command, "crawl") == 0 ||
                                 strcmp(command, "sync") == 0);
    if (optind < argc || (needs_arg && !command_arg)) {
        fprintf(stderr, "laketop: %s%s%s\nTry 'laketop --help'.\n",
                optind < argc ? "unexpected argument " : command, optind < argc ? "" : " needs ",
                optind < argc                   ? argv[optind]
                : strcmp(command, "crawl") == 0 ? "the crawler's NAME"
                : strcmp(command, "sync") == 0  ? "the RULE to run"
                                                : "the backup to read (SRC)");
        return EXIT_USAGE;
    }
    if (no_wait && !(command && strcmp(command, "crawl") == 0)) {
        fprintf(stderr, "laketop: --no-wait goes with crawl\n");
        return EXIT_USAGE;
    }
    if ((dry_run &&
         !(command && (strcmp(command, "restore") == 0 || strcmp(command, "sync") == 0))) ||
        (force && !(command && strcmp(command, "restore") == 0))) {
        fprintf(stderr, "laketop: --dry-run goes with restore and sync, --force with restore\n");
        return EXIT_USAGE;
    }

    config cfg;
    config_init(&cfg);
    char *error = NULL;
    char *default_config = config_path ? NULL : config_default_path();
    const char *cfg_file = config_path ? config_path : default_config;
    if (cfg_file && !config_load(&cfg, cfg_file, config_path != NULL, &error)) {
        fprintf(stderr, "laketop: %s\n", error);
        free(error);
        free(default_config);
        config_free(&cfg);
        return EXIT_USAGE;
    }
    free(default_config);
    int status = EXIT_USAGE;
    report_format format = REPORT_JSON;
    if (interval &&
        (!fmt_parse_duration(interval, &cfg.interval_seconds) || cfg.interval_seconds < 1)) {
        fprintf(stderr, "laketop: --interval \"%s\" is not a duration of 1s or more\n", interval);
        goto out;
    }
    if ((warn && !fmt_parse_duration(warn, &cfg.thresholds.warn)) ||
        (crit && !fmt_parse_duration(crit, &cfg.thresholds.crit))) {
        fprintf(stderr, "laketop: --stale-warn/--stale-crit take a duration such as 36h or 2d\n");
        goto out;
    }
    if (cfg.thresholds.crit < cfg.thresholds.warn) {
        fprintf(stderr, "laketop: the critical threshold must not be shorter than the warning\n");
        goto out;
    }
    bool checking = command && strcmp(command, "check") == 0;
    if (checking && command_arg) {
        fprintf(stderr, "laketop: check takes no argument (%s)\n", command_arg);
        status = EXIT_USAGE;
        goto out;
    }
    if (checking ? format_name && strcmp(format_name, "text") != 0 &&
                       strcmp(format_name, "prometheus") != 0
                 : !report_parse_format(format_name ? format_name : "json", &format)) {
        fprintf(stderr, "laketop: --format \"%s\": use %s\n", format_name,
                checking ? "text or prometheus" : "json, csv or table");
        status = EXIT_USAGE;
        goto out;
    }
    if (start_view && strcmp(start_view, "overview") != 0 && strcmp(start_view, "databases") != 0) {
        fprintf(stderr, "laketop: --view \"%s\": use overview or databases\n", start_view);
        status = EXIT_USAGE;
        goto out;
    }
    if (start_view)
        cfg.start_databases = start_view[0] == 'd';
    if (read_only)
        cfg.read_only = true;
    if (command && strcmp(command, "sync") == 0) {
        /* zones are named in the config; no lake or account to open */
        aws_source_options ao = {
            .request = {.profile = profile ? profile : cfg.profile,
                        .region = region ? region : cfg.region,
                        .endpoint_url = endpoint ? endpoint : cfg.endpoint_url,
                        .force_path_style = path_style || cfg.s3_path_style},
            .concurrency = (int)cfg.concurrency,
        };
        const char *retry_base = getenv("LAKETOP_RETRY_BASE_MS");
        if (retry_base)
            ao.retry_base_ms = atoi(retry_base);
        main_source_recipe sync_recipe = {.aws_options = ao, .cfg = &cfg};
        status = main_sync(command_arg, &cfg, dry_run, &sync_recipe);
        goto out;
    }
    if (lake) {
        free(cfg.lake_dir);
        cfg.lake_dir = xstrdup(lake);
        cfg.aws = false;
    }
    if (aws)
        cfg.aws = true;
    if (aws && lake) {
        fprintf(stderr, "laketop: --lake and the AWS options (--aws, --profile, --region, "
                        "--endpoint-url) do not go together\n");
        goto out;
    }
    if (concurrency) {
        char *end;
        long n = strtol(concurrency, &end, 10);
        if (*end || n < 1 || n > 1024) {
            fprintf(stderr, "laketop: --concurrency \"%s\": a number from 1 to 1024\n",
                    concurrency);
            goto out;
        }
        cfg.concurrency = n;
    }
    if (path_style)
        cfg.s3_path_style = true;
    if (!cfg.aws && !cfg.lake_dir) {
        char *demo = main_data_dir("demo");
        if (demo && fs_is_dir(demo)) {
            cfg.lake_dir = demo;
        } else {
            free(demo);
            fprintf(stderr, "laketop: no lake given: use --lake DIR, set `lake` in the config, "
                            "or write a demo lake with `laketop demo`\n");
            goto out;
        }
    }
    if (!cfg.aws) {
        char resolved[PATH_MAX];
        if (realpath(cfg.lake_dir, resolved)) {
            free(cfg.lake_dir);
            cfg.lake_dir = xstrdup(resolved);
        }
    }
    if (theme_name) {
        free(cfg.theme);
        cfg.theme = xstrdup(theme_name);
    }
    if (read_only)
        cfg.read_only = true;
    if (no_mouse)
        cfg.mouse = false;
    char *themes = main_themes_dir(themes_dir ? themes_dir : cfg.themes_dir);
    if (themes_dir && !fs_is_dir(themes_dir)) {
        fprintf(stderr, "laketop: --themes-dir %s: not a directory\n", themes_dir);
        free(themes);
        goto out;
    }
    char *history_path = NULL;
    lake_source *source = NULL;
    main_source_recipe recipe = {.aws = cfg.aws, .lake_dir = cfg.lake_dir, .cfg = &cfg};
    /* the AWS options also serve a local lake's s3:// backups */
    aws_source_options aws_opts = {
        .request = {.profile = profile ? profile : cfg.profile,
                    .region = region ? region : cfg.region,
                    .endpoint_url = endpoint ? endpoint : cfg.endpoint_url,
                    .force_path_style = cfg.s3_path_style},
        .concurrency = (int)cfg.concurrency,
    };
    const char *retry_base = getenv("LAKETOP_RETRY_BASE_MS"); /* tests: faster backoff */
    if (retry_base)
        aws_opts.retry_base_ms = atoi(retry_base);
    recipe.aws_options = aws_opts;
    const char *poll = getenv("LAKETOP_CRAWL_POLL_MS"); /* tests: poll faster */
    int crawl_poll_ms = poll && atoi(poll) > 0 ? atoi(poll) : 5000;
    if (cfg.aws) {
        source = aws_source_new(&aws_opts, &error);
        if (!source) {
            fprintf(stderr, "laketop: %s\n", error);
            free(error);
            free(themes);
            goto out;
        }
        history_path = config_aws_history_path(source->name);
    } else {
        history_path = config_history_path(cfg.lake_dir);
        source = main_make_source(&recipe, &error);
    }
    if (cfg.mapping) {
        char *mapping_error = NULL;
        if (!zones_load_mapping(&cfg.sync, cfg.mapping, &mapping_error)) {
            fprintf(stderr, "laketop: %s\n", mapping_error);
            free(mapping_error);
            lake_source_free(source);
            free(history_path);
            free(themes);
            goto out;
        }
    }
    /* a local lake whose config names s3:// zones: their sizes need S3 */
    lake_source *zones_s3 = NULL;
    if (!cfg.aws && !command && zones_use_s3(&cfg.sync)) {
        char *s3_error = NULL;
        zones_s3 = aws_source_new(&aws_opts, &s3_error);
        free(s3_error); /* the Zones view then says which zones it cannot reach */
    }
    collector_options co = {
        .source = source,
        .s3 = zones_s3,
        .sync = &cfg.sync,
        .history_path = history_path,
        .interval_seconds = (int)cfg.interval_seconds,
        .thresholds = cfg.thresholds,
        .notify_fd = -1,
    };

    if (checking) {
        status = main_check(&co, format_name && strcmp(format_name, "prometheus") == 0);
    } else if (command && strcmp(command, "export") == 0) {
        status = main_export(&co, command_arg, &cfg, &recipe);
    } else if (command) {
        status = strcmp(command, "crawl") == 0
                     ? main_crawl(command_arg, source, &cfg, !no_wait, crawl_poll_ms)
                     : main_command(command, command_arg, source, &cfg, &recipe, dry_run, force);
    } else if (once) {
        lake_snapshot *s = collector_refresh_once(&co, &error);
        if (!s) {
            fprintf(stderr, "laketop: %s\n", error);
            free(error);
            status = 1;
        } else {
            bool written = report_write(stdout, s, format);
            bool errors = main_report_errors(s);
            if (!written)
                fprintf(stderr, "laketop: cannot write the report: %s\n", strerror(errno));
            status = written && !errors ? 0 : 1;
            snapshot_release(s);
        }
    } else {
        theme check;
        if (cfg.theme && !theme_load(themes, cfg.theme, &check, &error)) {
            fprintf(stderr, "laketop: %s\n", error);
            free(error);
        } else if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
            fprintf(stderr, "laketop: the dashboard needs a terminal; use --once for batch "
                            "output\n");
        } else if (!cfg.aws && !fs_is_dir(cfg.lake_dir)) {
            fprintf(stderr, "laketop: lake directory %s does not exist\n", cfg.lake_dir);
            status = 1;
        } else if (storage_is_s3(cfg.export_dir) &&
                   !main_s3_address_ok("export_dir", cfg.export_dir)) {
            status = EXIT_USAGE;
        } else {
            int pipefd[2];
            if (pipe2(pipefd, O_NONBLOCK | O_CLOEXEC) != 0)
                xfatal("pipe: %s", strerror(errno));
            co.notify_fd = pipefd[1];
            collector *col = collector_start(&co);
            jobs *job_list = jobs_new(pipefd[1]);
            char *backup_dest = cfg.backup_dir ? xstrdup(cfg.backup_dir) : main_data_dir("backups");
            action_context actions = {
                .make_source = main_make_source,
                .make_s3_source = main_make_s3_source,
                .make_ctx = &recipe,
                .backup_dest = backup_dest,
                .export_dest = cfg.export_dir,
                .sync = &cfg.sync,
                .crawl_poll_ms = crawl_poll_ms,
            };
            FILE *bench = main_bench_open();
            dashboard_options ao = {
                .collector = col,
                .notify_fd = pipefd[0],
                .source_name = source->name,
                .jobs = job_list,
                .actions = &actions,
                .production = cfg.production,
                .themes_dir = themes,
                .theme_name = cfg.theme,
                .read_only = cfg.read_only,
                .mouse = cfg.mouse,
                .start_databases = cfg.start_databases,
                .started_ms = started_ms,
                .bench_log = bench ? main_bench_log : NULL,
                .bench_ctx = bench,
            };
            status = dashboard_run(&ao);
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
        }
    }
    lake_source_free(source);
    lake_source_free(zones_s3);
    free(history_path);
    free(themes);
out:
    config_free(&cfg);
    return status;
}
