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
#include "actions/backup_s3.h"
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

static void main_sync_progress(void *ctx, size_t done, size_t total) {
    (void)ctx;
    fprintf(stderr, "\rlaketop sync: %zu / %zu", done, total);
    fflush(stderr);
}

/* laketop sync RULE [--dry-run]: 0 done, 1 failed, 2 usage or configuration. */
static int main_sync(const char *name, config *cfg, bool dry_run, const aws_source_options *aws) {
    char *error = NULL;
    if (cfg->mapping && !zones_load_mapping(&cfg->sync, cfg->mapping, &error)) {
        fprintf(stderr, "laketop sync: %s\n", error);
        free(error);
        return EXIT_USAGE;
    }
    if (!zones_check(&cfg->sync, &error)) {
        fprintf(stderr, "laketop sync: %s\n", error);
        free(error);
        return EXIT_USAGE;
    }
    const sync_rule *rule = zones_find_rule(&cfg->sync, name);
    if (!rule) {
        fprintf(stderr, "laketop sync: no rule named %s; the rules are:", name);
        for (size_t i = 0; i < cfg->sync.n_rules; i++)
            fprintf(stderr, " %s", cfg->sync.rules[i].name);
        fprintf(stderr, "%s\n", cfg->sync.n_rules ? "" : " (none: add [sync NAME] sections)");
        return EXIT_USAGE;
    }
    if (cfg->read_only && !dry_run) {
        fprintf(stderr,
                "laketop sync: read-only mode: a sync writes to zone %s (--dry-run shows "
                "what it would do)\n",
                rule->to);
        return EXIT_USAGE;
    }
    lake_source *s3 = NULL;
    if (zones_use_s3(&cfg->sync) && !(s3 = aws_source_new(aws, &error))) {
        fprintf(stderr, "laketop sync: %s\n", error);
        free(error);
        return EXIT_USAGE;
    }
    sync_plan plan;
    if (!sync_plan_build(&cfg->sync, rule, s3, &plan, &error)) {
        fprintf(stderr, "laketop sync: %s\n", error);
        free(error);
        lake_source_free(s3);
        return 1;
    }
    char size[32];
    fmt_bytes(plan.bytes_to_copy, size, sizeof size);
    char *summary = sync_plan_summary(rule, &plan);
    if (dry_run) {
        printf("sync %s (dry run): %s\n", rule->name, summary);
        free(summary);
        sync_plan_free(&plan);
        lake_source_free(s3);
        return 0;
    }
    fprintf(stderr, "laketop sync %s: %s\n", rule->name, summary);
    size_t copied, removed;
    bool tty = isatty(STDERR_FILENO);
    bool ok = sync_apply(&cfg->sync, rule, s3, &plan, tty ? main_sync_progress : NULL, NULL,
                         &copied, &removed, &error);
    lake_source_free(s3);
    if (tty)
        fputc('\n', stderr);
    char *result = ok ? xasprintf("copied %zu objects (%s), deleted %zu", copied, size, removed)
                      : xasprintf("%s (after %zu copied, %zu deleted)", error, copied, removed);
    printf("sync %s: %s\n", rule->name, result);
    audit_log(rule->from, "sync", rule->name, result);
    sync_state_record(rule->name, ok, result);
    free(result);
    free(error);
    free(summary);
    sync_plan_free(&plan);
    return ok ? 0 : 1;
}

static void main_crawl_progress(void *ctx, const char *state) {
    fprintf(stderr, "\rlaketop crawl %s: %-30s", (const char *)ctx, state);
    fflush(stderr);
}

/* laketop crawl NAME [--no-wait]: 0 succeeded, 1 failed, 2 usage. */
static int main_crawl(const char *name, lake_source *source, const config *cfg, bool wait) {
    if (cfg->read_only) {
        fprintf(stderr, "laketop crawl: read-only mode: starting a crawler changes the catalog\n");
        return EXIT_USAGE;
    }
    const char *poll = getenv("LAKETOP_CRAWL_POLL_MS"); /* tests: poll faster */
    int poll_ms = poll && atoi(poll) > 0 ? atoi(poll) : 5000;
    char *result = NULL;
    bool tty = isatty(STDERR_FILENO);
    int status = crawl_run(source, name, wait, poll_ms, tty ? main_crawl_progress : NULL,
                           (void *)name, &result);
    if (tty)
        fputc('\n', stderr);
    printf("%s\n", result);
    audit_log(source->name, wait ? "crawl" : "crawl --no-wait", name, result);
    free(result);
    return status;
}

/* Whether an s3:// address given to `command` is well formed (else says
 * why on stderr). */
static bool main_s3_address_ok(const char *command, const char *url) {
    char *bucket = NULL, *prefix = NULL, *error = NULL;
    bool ok = storage_s3_parse(url, &bucket, &prefix, &error);
    if (!ok)
        fprintf(stderr, "laketop %s: %s\n", command, error);
    free(error);
    free(bucket);
    free(prefix);
    return ok;
}

/* A source that reaches S3: the dashboard's own when it does (AWS), else
 * one made from the AWS settings (a local lake's s3:// backups and
 * exports); the caller frees it when it is not `source`. */
static lake_source *main_s3_source(lake_source *source, const aws_source_options *aws,
                                   char **error) {
    return source->objects ? source : aws_source_new(aws, error);
}

/* laketop backup [DEST] and laketop restore SRC [--dry-run] [--force]. */
static int main_command(const char *command, const char *arg, lake_source *source,
                        const config *cfg, const aws_source_options *aws, bool dry_run,
                        bool force) {
    char *error = NULL;
    if (strcmp(command, "backup") == 0) {
        char *dest = arg               ? xstrdup(arg)
                     : cfg->backup_dir ? xstrdup(cfg->backup_dir)
                                       : main_data_dir("backups");
        if (!dest) {
            fprintf(stderr, "laketop backup: no DEST given and no $HOME\n");
            return EXIT_USAGE;
        }
        bool to_s3 = storage_is_s3(dest);
        if (to_s3 && !main_s3_address_ok("backup", dest)) {
            free(dest);
            return EXIT_USAGE;
        }
        lake_source *s3 = to_s3 ? main_s3_source(source, aws, &error) : source;
        json_object *dump = NULL;
        char *written = NULL;
        backup_counts counts;
        bool ok = s3 && source->dump_catalog && source->dump_catalog(source, &dump, &error) &&
                  (to_s3 ? backup_s3_write(dump, s3, dest, source->name, clock_now(), &written,
                                           &counts, &error)
                         : backup_write(dump, dest, source->name, clock_now(), &written, &counts,
                                        &error));
        json_object_put(dump);
        if (s3 && s3 != source)
            lake_source_free(s3);
        if (!ok) {
            if (!error)
                error = xasprintf("%s cannot be backed up yet", source->name);
            fprintf(stderr, "laketop backup: %s\n", error);
            audit_log(source->name, "backup", dest, error);
            free(error);
            free(dest);
            return 1;
        }
        printf("backup: %zu databases, %zu tables, %zu partitions in %s\n", counts.databases,
               counts.tables, counts.partitions, written);
        audit_log(source->name, "backup", written, "ok");
        free(written);
        free(dest);
        return 0;
    }
    /* restore */
    if (cfg->read_only && !dry_run) {
        fprintf(stderr, "laketop restore: read-only mode: a restore would change the catalog "
                        "(--dry-run shows what it would do)\n");
        return EXIT_USAGE;
    }
    json_object *backup = NULL;
    backup_counts counts;
    char *chosen = NULL;
    bool read;
    if (storage_is_s3(arg)) {
        if (!main_s3_address_ok("restore", arg))
            return EXIT_USAGE;
        lake_source *s3 = main_s3_source(source, aws, &error);
        read = s3 && backup_s3_read(s3, arg, &backup, &counts, &chosen, &error);
        if (s3 && s3 != source)
            lake_source_free(s3);
    } else {
        read = backup_read(arg, &backup, &counts, &chosen, &error);
    }
    if (!read) {
        fprintf(stderr, "laketop restore: %s\n", error);
        free(error);
        free(chosen);
        return 1;
    }
    fprintf(stderr, "laketop restore: %s verified (%zu databases, %zu tables, %zu partitions)\n",
            chosen, counts.databases, counts.tables, counts.partitions);
    restore_result r;
    bool ok = restore_apply(source, backup, dry_run, force, &r, stderr, &error);
    json_object_put(backup);
    char *summary =
        xasprintf("%s%zu databases, %zu tables created, %zu replaced, %zu skipped, %zu "
                  "partitions added",
                  dry_run ? "dry run, would be: " : "", r.databases_created, r.tables_created,
                  r.tables_replaced, r.tables_skipped, r.partitions_added);
    if (!ok) {
        fprintf(stderr, "laketop restore: %s (before that: %s)\n", error, summary);
        if (!dry_run)
            audit_log(source->name, "restore", chosen, error);
        free(error);
        free(summary);
        free(chosen);
        return 1;
    }
    printf("restore: %s\n", summary);
    if (!dry_run)
        audit_log(source->name, "restore", chosen, summary);
    free(summary);
    free(chosen);
    return 0;
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

/* Writes the export of `s` to `dest`, a directory or s3:// (through `s3`,
 * a source that can put objects); *written says where tables.csv went. */
static bool main_export_to(const lake_snapshot *s, const char *dest, lake_source *s3,
                           char **written, char **error) {
    *written = NULL;
    if (!storage_is_s3(dest))
        return export_write(s, dest, written, error);
    /* to S3: written in a staging directory, then uploaded file by file */
    char *staging = backup_s3_staging(error), *local = NULL;
    size_t files = 0;
    bool ok = staging && export_write(s, staging, &local, error) &&
              backup_s3_put_tree(s3, staging, dest, NULL, &files, error);
    if (ok)
        *written = xasprintf("%s%s%s", dest, dest[strlen(dest) - 1] == '/' ? "" : "/",
                             local + strlen(staging) + 1);
    if (staging)
        fs_remove_tree(staging);
    free(staging);
    free(local);
    return ok;
}

/* The dashboard's daily export (export_dir), on a job's thread: an S3
 * source of its own, as every action has. */
static bool main_export_job(void *ctx, const lake_snapshot *s, const char *dest, char **result) {
    char *error = NULL, *written = NULL;
    lake_source *s3 = storage_is_s3(dest) ? main_make_s3_source(ctx, &error) : NULL;
    bool ok = (s3 || !error) && main_export_to(s, dest, s3, &written, &error);
    if (s3)
        lake_source_free(s3);
    *result =
        ok ? xasprintf("%zu tables, %zu databases in %s", s->n_tables, s->n_databases, written)
           : xstrdup(error ? error : "failed");
    free(error);
    free(written);
    return ok;
}

/* laketop export [DEST]: one refresh, then the day's CSV and JSON lines. */
static int main_export(const collector_options *co, const char *arg, const config *cfg,
                       const aws_source_options *aws) {
    char *dest = arg               ? xstrdup(arg)
                 : cfg->export_dir ? xstrdup(cfg->export_dir)
                                   : main_data_dir("export");
    if (!dest) {
        fprintf(stderr, "laketop export: no DEST given and no $HOME\n");
        return EXIT_USAGE;
    }
    char *error = NULL, *written = NULL;
    bool to_s3 = storage_is_s3(dest);
    if (to_s3 && !main_s3_address_ok("export", dest)) {
        free(dest);
        return EXIT_USAGE;
    }
    lake_snapshot *s = collector_refresh_once(co, &error);
    lake_source *s3 = s && to_s3 ? main_s3_source(co->source, aws, &error) : NULL;
    bool ok = s && (!to_s3 || s3) && main_export_to(s, dest, s3, &written, &error);
    if (s3 && s3 != co->source)
        lake_source_free(s3);
    if (ok)
        printf("export: %zu tables, %zu databases in %s\n", s->n_tables, s->n_databases, written);
    else
        fprintf(stderr, "laketop export: %s\n", error ? error : "failed");
    free(error);
    free(written);
    free(dest);
    if (s)
        snapshot_release(s);
    return ok ? 0 : 1;
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
        status = main_sync(command_arg, &cfg, dry_run, &ao);
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
        status = main_export(&co, command_arg, &cfg, &aws_opts);
    } else if (command) {
        status = strcmp(command, "crawl") == 0
                     ? main_crawl(command_arg, source, &cfg, !no_wait)
                     : main_command(command, command_arg, source, &cfg, &aws_opts, dry_run, force);
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
            jobs *actions = jobs_new(pipefd[1]);
            char *backup_dest = cfg.backup_dir ? xstrdup(cfg.backup_dir) : main_data_dir("backups");
            dashboard_options ao = {
                .collector = col,
                .notify_fd = pipefd[0],
                .source_name = source->name,
                .jobs = actions,
                .make_source = main_make_source,
                .make_s3_source = main_make_s3_source,
                .make_source_ctx = &recipe,
                .backup_dest = backup_dest,
                .export_dest = cfg.export_dir,
                .export_run = main_export_job,
                .sync = &cfg.sync,
                .production = cfg.production,
                .themes_dir = themes,
                .theme_name = cfg.theme,
                .read_only = cfg.read_only,
                .mouse = cfg.mouse,
                .start_databases = cfg.start_databases,
                .started_ms = started_ms,
                .bench_log = getenv("LAKETOP_BENCH_LOG"),
            };
            status = dashboard_run(&ao);
            collector_stop(col);
            size_t left = jobs_running(actions);
            if (left) {
                /* "l: leave now": the action stops with the process; a backup
                 * never renamed into place is not presented as done */
                fprintf(stderr, "laketop: %zu action%s abandoned\n", left, left == 1 ? "" : "s");
                _exit(status);
            }
            jobs_free(actions);
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
