/* commands.c: the table of subcommands and what each runs (see
 * commands.h): argument handling around one action of actions/, the
 * command line's side of its report, and the batch output. */
#include "app/commands.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "actions/action.h"
#include "actions/backup.h"
#include "actions/crawl.h"
#include "actions/export.h"
#include "actions/job_run.h"
#include "actions/restore.h"
#include "actions/sync.h"
#include "app/check.h"
#include "app/commands_report.h"
#include "app/complete.h"
#include "app/config_names.h"
#include "app/dashboard_start.h"
#include "app/protect.h"
#include "app/report.h"
#include "common/clock.h"
#include "common/redact.h"
#include "common/xalloc.h"
#include "tools/demo.h"

/* S3 for a command's action: the lake's own source when it reaches S3 (an
 * AWS account), else one made from the AWS settings. */
static action_source commands_s3(command_context *a) {
    return (action_source){.borrowed = a->source && a->source->objects ? a->source : NULL,
                           .make = options_make_s3_source,
                           .make_ctx = a};
}

/* ---- the commands ----------------------------------------------------------- */

/* `arg`, else the config's `configured`, else $XDG_DATA_HOME/laketop/LEAF;
 * NULL (said why) without any. */
static char *commands_dest(const char *name, const char *arg, const char *configured,
                           const char *leaf) {
    char *dest = arg ? xstrdup(arg) : configured ? xstrdup(configured) : options_data_dir(leaf);
    if (!dest)
        fprintf(stderr, "laketop %s: no DEST given and no $HOME\n", name);
    return dest;
}

/* What a backup or an export to its destination would change, for
 * --read-only's refusal (actions/action.h decides): nothing when it goes
 * to a local directory. */
static char *commands_backup_writes(const command_context *a, const char *arg) {
    return action_changes(ACTION_KIND_BACKUP, arg ? arg : a->cfg.backup_dir);
}

static char *commands_export_writes(const command_context *a, const char *arg) {
    return action_changes(ACTION_KIND_EXPORT, arg ? arg : a->cfg.export_dir);
}

static char *commands_restore_writes(const command_context *a, const char *arg) {
    (void)a;
    (void)arg;
    return action_changes(ACTION_KIND_RESTORE, NULL);
}

static char *commands_crawl_writes(const command_context *a, const char *arg) {
    (void)a;
    (void)arg;
    return action_changes(ACTION_KIND_CRAWL, NULL);
}

static int commands_backup_exec(command_context *a, const char *arg) {
    char *dest = commands_dest("backup", arg, a->cfg.backup_dir, "backups");
    if (!dest)
        return OPTIONS_EXIT_USAGE;
    commands_report r;
    backup_request request = {.source = {.borrowed = a->source},
                              .s3 = commands_s3(a),
                              .dest = dest,
                              .prune_incomplete = a->flags->prune_incomplete};
    char *result = NULL;
    action_status status =
        backup_run(&request, commands_report_start(&r, "backup", "backup"), &result);
    free(dest);
    return commands_report_end(&r, status, "backup: ", result);
}

static int commands_restore_exec(command_context *a, const char *arg) {
    commands_report r;
    restore_request request = {.source = {.borrowed = a->source},
                               .s3 = commands_s3(a),
                               .from = arg,
                               .dry_run = a->flags->dry_run,
                               .force = a->flags->force,
                               .log = stderr};
    char *result = NULL;
    action_status status =
        restore_run(&request, commands_report_start(&r, "restore", "restore"), &result);
    return commands_report_end(&r, status, "restore: ", result);
}

static int commands_crawl_exec(command_context *a, const char *arg) {
    char *label = xasprintf("crawl %s", arg);
    commands_report r;
    crawl_request request = {.source = {.borrowed = a->source},
                             .name = arg,
                             .wait = !a->flags->no_wait,
                             .poll_ms = a->crawl_poll_ms};
    char *result = NULL;
    action_status status = crawl_run(&request, commands_report_start(&r, "crawl", label), &result);
    int exit_status = commands_report_end(&r, status, "", result);
    free(label);
    return exit_status;
}

static char *commands_job_writes(const command_context *a, const char *arg) {
    (void)a;
    (void)arg;
    return action_changes(ACTION_KIND_JOB, NULL);
}

static int commands_job_exec(command_context *a, const char *arg) {
    const options *o = a->flags;
    for (int i = 0; i < o->n_job_args; i++) {
        char *error = NULL;
        if (!job_run_arg_ok(o->job_args[i], &error)) {
            fprintf(stderr, "laketop job: %s\n", error);
            free(error);
            return OPTIONS_EXIT_USAGE;
        }
    }
    char *label = xasprintf("job %s", arg);
    commands_report r;
    job_run_request request = {.source = {.borrowed = a->source},
                               .name = arg,
                               .args = o->job_args,
                               .n_args = (size_t)o->n_job_args,
                               .wait = !o->no_wait,
                               .poll_ms = a->crawl_poll_ms};
    char *result = NULL;
    action_status status = job_run(&request, commands_report_start(&r, "job", label), &result);
    int exit_status = commands_report_end(&r, status, "", result);
    free(label);
    return exit_status;
}

/* What a sync of rule `arg` would change, for --read-only's refusal. */
static char *commands_sync_writes(const command_context *a, const char *arg) {
    const sync_rule *rule = arg ? zones_find_rule(&a->cfg.sync, arg) : NULL;
    return action_changes(ACTION_KIND_SYNC, rule ? rule->to : NULL);
}

static int commands_sync_exec(command_context *a, const char *arg) {
    char *label = xasprintf("sync %s", arg);
    char *prefix = xasprintf("sync %s%s: ", arg, a->flags->dry_run ? " (dry run)" : "");
    commands_report r;
    sync_request request = {
        .config = &a->cfg.sync, .rule = arg, .dry_run = a->flags->dry_run, .s3 = commands_s3(a)};
    char *result = NULL;
    action_status status = sync_run(&request, commands_report_start(&r, "sync", label), &result);
    int exit_status = commands_report_end(&r, status, prefix, result);
    free(prefix);
    free(label);
    return exit_status;
}

/* One refresh, then the day's CSV and JSON lines. */
static int commands_export_exec(command_context *a, const char *arg) {
    char *dest = commands_dest("export", arg, a->cfg.export_dir, "export");
    if (!dest)
        return OPTIONS_EXIT_USAGE;
    if (!options_address_ok("export", dest)) {
        free(dest);
        return OPTIONS_EXIT_USAGE;
    }
    char *error = NULL;
    lake_snapshot *s = collector_refresh_once(&a->collect, &error);
    if (!s) {
        error = redact_take(error);
        fprintf(stderr, "laketop export: %s\n", error ? error : "failed");
        free(error);
        free(dest);
        return 1;
    }
    commands_report r;
    export_request request = {.snapshot = s, .dest = dest, .s3 = commands_s3(a)};
    char *result = NULL;
    action_status status =
        export_run(&request, commands_report_start(&r, "export", "export"), &result);
    snapshot_release(s);
    free(dest);
    return commands_report_end(&r, status, "export: ", result);
}

/* One refresh, then the verdict (exit 0-3) or metrics. */
static int commands_check_exec(command_context *a, const char *arg) {
    (void)arg;
    bool prometheus = a->flags->format && strcmp(a->flags->format, "prometheus") == 0;
    char *error = NULL;
    lake_snapshot *s = collector_refresh_once(&a->collect, &error);
    check_status status = check_evaluate(s);
    config_names_warn(&a->cfg, s, stderr);
    bool written;
    if (prometheus) {
        written = check_write_prometheus(stdout, s, status);
    } else if (!s) {
        error = redact_take(error);
        printf("LAKETOP UNKNOWN - %s\n", error ? error : "no figures");
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

/* laketop demo [DIR] [--days N]: its options are its own. */
static int commands_demo_main(int argc, char **argv) {
    static const struct option demo_long[] = {
        {"days", required_argument, NULL, 'd'},
        {"extra-tables", required_argument, NULL, 'T'},
        {"extra-files", required_argument, NULL, 'F'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    demo_options o = {.now = clock_now(), .days = 90};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", demo_long, NULL)) != -1) {
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
                return OPTIONS_EXIT_USAGE;
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
        default: return OPTIONS_EXIT_USAGE;
        }
    }
    if (argc - optind > 1) {
        fprintf(stderr, "laketop demo: one directory at most\n");
        return OPTIONS_EXIT_USAGE;
    }
    char *dir = optind < argc ? xstrdup(argv[optind]) : options_data_dir("demo");
    if (!dir) {
        fprintf(stderr, "laketop demo: no DIR given and no $HOME\n");
        return OPTIONS_EXIT_USAGE;
    }
    char *error = NULL;
    int64_t started = clock_monotonic_ms();
    o.progress = isatty(STDERR_FILENO) ? demo_progress_line : NULL; /* a line of progress */
    o.progress_ctx = dir;
    if (!demo_write(dir, &o, &error)) {
        fprintf(stderr, "%slaketop demo: %s\n", o.progress ? "\n" : "", error);
        free(error);
        free(dir);
        return 1;
    }
    fprintf(stderr,
            "laketop: demo lake written to %s in %lld ms; open it with: laketop --lake %s "
            "--config %s/laketop.conf\n",
            dir, (long long)(clock_monotonic_ms() - started), dir, dir);
    free(dir);
    return 0;
}

/* ---- no subcommand: the dashboard, or --once ---------------------------------- */

static int commands_once(command_context *a) {
    report_format format = REPORT_JSON;
    if (a->flags->format)
        report_parse_format(a->flags->format, &format);
    char *error = NULL;
    lake_snapshot *s = collector_refresh_once(&a->collect, &error);
    if (!s) {
        error = redact_take(error);
        fprintf(stderr, "laketop: %s\n", error);
        free(error);
        return 1;
    }
    bool written = report_write(stdout, s, format);
    bool errors = report_errors(stderr, s);
    config_names_warn(&a->cfg, s, stderr);
    if (!written)
        fprintf(stderr, "laketop: cannot write the report: %s\n", strerror(errno));
    snapshot_release(s);
    return written && !errors ? 0 : 1;
}

static int commands_default_exec(command_context *a, const char *arg) {
    (void)arg;
    /* a local lake whose config names s3:// zones: their sizes need S3 */
    lake_source *zones_s3 = NULL;
    if (!a->cfg.aws && zones_use_s3(&a->cfg.sync)) {
        char *error = NULL;
        zones_s3 = options_make_s3_source(a, &error);
        free(error); /* the Zones view then says which zones it cannot reach */
    }
    a->collect.s3 = zones_s3;
    int status = a->flags->once ? commands_once(a) : dashboard_start(a);
    lake_source_free(zones_s3);
    return status;
}

/* ---- the table ------------------------------------------------------------------ */

static int commands_complete_exec(command_context *a, const char *kind);

static const char *const commands_report_formats[] = {"json", "csv", "table", NULL};
static const char *const commands_check_formats[] = {"text", "prometheus", NULL};

static const command commands[] = {
    {
        .name = "demo",
        .usage = "demo [DIR] [--days N]",
        .summary = "write a demo lake",
        .main = commands_demo_main,
    },
    {
        .name = "backup",
        .usage = "backup [DEST]",
        .summary = "back up the catalog (Glue JSON, DDL, manifest)",
        .arg = COMMAND_ARG_OPTIONAL,
        .mutates_what = commands_backup_writes,
        .takes = COMMAND_PRUNE_INCOMPLETE,
        .opens_lake = true,
        .exec = commands_backup_exec,
    },
    {
        .name = "restore",
        .usage = "restore SRC [--dry-run] [--force]",
        .summary = "recreate what is missing",
        .arg = COMMAND_ARG_REQUIRED,
        .arg_needed = "the backup to read (SRC)",
        .takes = COMMAND_DRY_RUN | COMMAND_FORCE,
        .mutates_what = commands_restore_writes,
        .opens_lake = true,
        .exec = commands_restore_exec,
    },
    {
        .name = "crawl",
        .usage = "crawl NAME [--no-wait]",
        .summary = "start a crawler, follow it to the end",
        .arg = COMMAND_ARG_REQUIRED,
        .arg_needed = "the crawler's NAME",
        .takes = COMMAND_NO_WAIT,
        .mutates_what = commands_crawl_writes,
        .opens_lake = true,
        .exec = commands_crawl_exec,
    },
    {
        .name = "job",
        .usage = "job NAME [--no-wait] [--arg KEY=VALUE]...",
        .summary = "run a job (Glue, or a local [job NAME]), follow it to the end",
        .arg = COMMAND_ARG_REQUIRED,
        .arg_needed = "the job's NAME",
        .takes = COMMAND_NO_WAIT | COMMAND_JOB_ARGS,
        .mutates_what = commands_job_writes,
        .opens_lake = true,
        .exec = commands_job_exec,
    },
    {
        .name = "sync",
        .usage = "sync RULE [--dry-run]",
        .summary = "copy a rule's prefixes between zones",
        .arg = COMMAND_ARG_REQUIRED,
        .arg_needed = "the RULE to run",
        .takes = COMMAND_DRY_RUN,
        .mutates_what = commands_sync_writes,
        .exec = commands_sync_exec,
    },
    {
        .name = "export",
        .usage = "export [DEST]",
        .summary = "the day's tables.csv/databases.csv (BI)",
        .arg = COMMAND_ARG_OPTIONAL,
        .mutates_what = commands_export_writes,
        .opens_lake = true,
        .exec = commands_export_exec,
    },
    {
        .name = "check",
        .usage = "check [--format text|prometheus]",
        .summary = "staleness verdict: exit 0 OK,\n1 WARNING, 2 CRITICAL, 3 UNKNOWN",
        .formats = commands_check_formats,
        .opens_lake = true,
        .exec = commands_check_exec,
    },
    {.name = "complete",
     .usage = "complete KIND",
     .summary = "",
     .arg = COMMAND_ARG_REQUIRED,
     .arg_needed = "a KIND: " COMPLETE_KINDS,
     .hidden = true,
     .exec = commands_complete_exec},
};

#define COMMANDS_N (sizeof commands / sizeof commands[0])

/* No subcommand: the dashboard, or --once. */
static const command commands_default = {
    .name = NULL,
    .opens_lake = true,
    .exec = commands_default_exec,
};

/* laketop complete KIND (app/complete.h); the commands are this table's. */
static int commands_complete_exec(command_context *a, const char *kind) {
    if (strcmp(kind, "commands") != 0)
        return complete_exec(a, kind);
    for (size_t i = 0; i < COMMANDS_N; i++)
        if (!commands[i].hidden)
            puts(commands[i].name);
    return 0;
}

const command *commands_find(const char *name) {
    for (size_t i = 0; name && i < COMMANDS_N; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

/* One line of the usage: the summary in a column of its own. */
static void commands_usage_line(FILE *out, const char *lead, const char *usage,
                                const char *summary) {
    int n = fprintf(out, "%slaketop %s", lead, usage);
    fprintf(out, "%*s", n <= 39 ? 41 - n : 2, "");
    for (const char *p = summary; *p; p++) {
        fputc(*p, out);
        if (*p == '\n')
            fprintf(out, "%41s", "");
    }
    fputc('\n', out);
}

void commands_usage(FILE *out) {
    commands_usage_line(out, "Usage: ", "[OPTIONS]", "the dashboard of a local lake or AWS");
    commands_usage_line(out, "       ", "--once [--format F] ...", "refresh once, print, exit");
    for (size_t i = 0; i < COMMANDS_N; i++)
        if (!commands[i].hidden)
            commands_usage_line(out, "       ", commands[i].usage, commands[i].summary);
    fputs("\n"
          "A live view of a data lake: databases, tables, sizes, files, freshness\n"
          "and growth, from a local lake directory (catalog/ plus zones) or an AWS\n"
          "account (the Glue Data Catalog and S3).\n"
          "\n",
          out);
    options_help(out);
}

/* "a", "a or b", "a, b or c" (`word` "or"), of `names`. */
static void commands_list(FILE *out, const char *const *names, size_t n, const char *word) {
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s%s", i == 0 ? "" : i + 1 < n ? ", " : word, names[i]);
}

int commands_check_args(const command *c, const options *o) {
    int first = c ? 1 : 0; /* the arguments after the command's name */
    int wanted = c && c->arg != COMMAND_ARG_NONE ? 1 : 0;
    if (c && c->arg == COMMAND_ARG_NONE && o->n_args > first) {
        fprintf(stderr, "laketop: %s takes no argument (%s)\n", c->name, o->args[first]);
        return OPTIONS_EXIT_USAGE;
    }
    if (o->n_args > first + wanted) {
        fprintf(stderr, "laketop: unexpected argument %s\nTry 'laketop --help'.\n",
                o->args[first + wanted]);
        return OPTIONS_EXIT_USAGE;
    }
    if (c && c->arg == COMMAND_ARG_REQUIRED && o->n_args == first) {
        fprintf(stderr, "laketop: %s needs %s\nTry 'laketop --help'.\n", c->name, c->arg_needed);
        return OPTIONS_EXIT_USAGE;
    }
    static const struct {
        unsigned flag;
        const char *name;
    } flags[] = {{COMMAND_DRY_RUN, "dry-run"},
                 {COMMAND_FORCE, "force"},
                 {COMMAND_NO_WAIT, "no-wait"},
                 {COMMAND_PRUNE_INCOMPLETE, "prune-incomplete"},
                 {COMMAND_JOB_ARGS, "arg"}};
    const bool given[] = {o->dry_run, o->force, o->no_wait, o->prune_incomplete, o->n_job_args > 0};
    for (size_t f = 0; f < sizeof flags / sizeof flags[0]; f++) {
        if (!given[f] || (c && (c->takes & flags[f].flag)))
            continue;
        const char *names[COMMANDS_N];
        size_t n = 0;
        for (size_t i = 0; i < COMMANDS_N; i++)
            if (commands[i].takes & flags[f].flag)
                names[n++] = commands[i].name;
        fprintf(stderr, "laketop: --%s goes with ", flags[f].name);
        commands_list(stderr, names, n, " and ");
        fputc('\n', stderr);
        return OPTIONS_EXIT_USAGE;
    }
    return -1;
}

/* The format, the read-only refusal, the lake, the protected account, then
 * the command. */
static int commands_run(const command *c, command_context *a, const char *arg) {
    const options *o = a->flags;
    const char *const *formats = c->formats ? c->formats : commands_report_formats;
    size_t n_formats = 0;
    bool known = !o->format;
    for (; formats[n_formats]; n_formats++)
        known = known || strcmp(formats[n_formats], o->format) == 0;
    if (!known) {
        fprintf(stderr, "laketop: --format \"%s\": use ", o->format);
        commands_list(stderr, formats, n_formats, " or ");
        fputc('\n', stderr);
        return OPTIONS_EXIT_USAGE;
    }
    char *what =
        c->mutates_what && a->cfg.read_only && !o->dry_run ? c->mutates_what(a, arg) : NULL;
    if (what) {
        fprintf(stderr, "laketop %s: read-only mode: %s%s\n", c->name, what,
                c->takes & COMMAND_DRY_RUN ? " (--dry-run shows what it would do)" : "");
        free(what);
        return OPTIONS_EXIT_USAGE;
    }
    if (c->opens_lake && !options_open_lake(a))
        return OPTIONS_EXIT_USAGE;
    char *changes = c->mutates_what && !o->dry_run ? c->mutates_what(a, arg) : NULL;
    int refused = changes ? protect_confirm(a, c->name, arg) : -1;
    free(changes);
    return refused >= 0 ? refused : c->exec(a, arg);
}

int commands_dispatch(const options *o, int64_t started_ms) {
    if (o->help) {
        commands_usage(stdout);
        return 0;
    }
    if (o->version) {
        printf("laketop %s\n", LAKETOP_VERSION);
        return 0;
    }
    const command *c = o->n_args > 0 ? commands_find(o->args[0]) : NULL;
    if (c && c->main)
        c = NULL; /* demo after options: its options go after its name */
    int status = commands_check_args(c, o);
    if (status >= 0)
        return status;
    command_context a;
    if (options_apply(&a, o, started_ms))
        status =
            commands_run(c ? c : &commands_default, &a, c && o->n_args > 1 ? o->args[1] : NULL);
    else
        status = OPTIONS_EXIT_USAGE;
    options_close(&a);
    return status;
}
