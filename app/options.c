/* options.c: flags, config and environment turned into what laketop runs
 * with (see options.h). */
#include "app/options.h"

#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "actions/action.h"
#include "app/config_aws.h"
#include "app/config_names.h"
#include "app/watchdog.h"
#include "collector/local/local_source.h"
#include "common/fmt.h"
#include "common/fs.h"
#include "common/redact.h"
#include "common/xalloc.h"

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
    OPT_TIMEOUT,
    OPT_PRUNE_INCOMPLETE,
    OPT_CONFIRM_ACCOUNT,
    OPT_ARG,
    OPT_FULL,
};

static const struct option options_long[] = {
    {"lake", required_argument, NULL, 'l'},
    {"interval", required_argument, NULL, 'i'},
    {"theme", required_argument, NULL, 't'},
    {"themes-dir", required_argument, NULL, OPT_THEMES_DIR},
    {"config", required_argument, NULL, 'c'},
    {"once", no_argument, NULL, OPT_ONCE},
    {"full", no_argument, NULL, OPT_FULL},
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
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"prune-incomplete", no_argument, NULL, OPT_PRUNE_INCOMPLETE},
    {"confirm-account", required_argument, NULL, OPT_CONFIRM_ACCOUNT},
    {"arg", required_argument, NULL, OPT_ARG},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {0, 0, 0, 0},
};

int options_parse(int argc, char **argv, options *o) {
    memset(o, 0, sizeof *o);
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "l:i:t:c:f:hV", options_long, NULL)) != -1) {
        switch (c) {
        case 'l': o->lake = optarg; break;
        case 'i': o->interval = optarg; break;
        case 't': o->theme = optarg; break;
        case OPT_THEMES_DIR: o->themes_dir = optarg; break;
        case 'c': o->config = optarg; break;
        case OPT_ONCE: o->once = true; break;
        case OPT_FULL: o->full = true; break;
        case 'f': o->format = optarg; break;
        case OPT_READ_ONLY: o->read_only = true; break;
        case OPT_NO_MOUSE: o->no_mouse = true; break;
        case OPT_WARN: o->stale_warn = optarg; break;
        case OPT_CRIT: o->stale_crit = optarg; break;
        case OPT_AWS: o->aws = true; break;
        case OPT_PROFILE:
            o->profile = optarg;
            o->aws = true; /* implies the account */
            break;
        case OPT_REGION:
            o->region = optarg;
            o->aws = true; /* implies the account */
            break;
        case OPT_ENDPOINT:
            o->endpoint_url = optarg;
            o->aws = true; /* implies the account */
            break;
        case OPT_PATH_STYLE: o->s3_path_style = true; break;
        case OPT_CONCURRENCY: o->concurrency = optarg; break;
        case OPT_DRY_RUN: o->dry_run = true; break;
        case OPT_FORCE: o->force = true; break;
        case OPT_NO_WAIT: o->no_wait = true; break;
        case OPT_VIEW: o->view = optarg; break;
        case OPT_TIMEOUT: o->timeout = optarg; break;
        case OPT_PRUNE_INCOMPLETE: o->prune_incomplete = true; break;
        case OPT_CONFIRM_ACCOUNT: o->confirm_account = optarg; break;
        case OPT_ARG:
            if (o->n_job_args == OPTIONS_JOB_ARGS_MAX) {
                fprintf(stderr, "laketop: --arg: at most %d of them\n", OPTIONS_JOB_ARGS_MAX);
                return OPTIONS_EXIT_USAGE;
            }
            o->job_args[o->n_job_args++] = optarg;
            break;
        case 'h': o->help = true; return -1;
        case 'V': o->version = true; return -1;
        default: fputs("Try 'laketop --help'.\n", stderr); return OPTIONS_EXIT_USAGE;
        }
    }
    /* getopt has moved the arguments that are not options to the end */
    o->args = argv + optind;
    o->n_args = argc - optind;
    return -1;
}

void options_help(FILE *out) {
    fputs("Options:\n"
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
          "      --concurrency N   requests in flight, 1 to 1024 (default 32)\n"
          "      --once            refresh once, print the figures, exit\n"
          "      --full            with --once: list every table whole (no incremental\n"
          "                        listing of partitions), and renew what is kept\n"
          "  -f, --format F        with --once: json (default), csv or table;\n"
          "                        with check: text (default) or prometheus\n"
          "      --timeout TIME    with --once and check: stop after TIME (30s, 2m,\n"
          "                        500ms; 0 no limit) whatever is waiting, and say\n"
          "                        what was (default: none for --once, 55s for check,\n"
          "                        which then says UNKNOWN, exit 3)\n"
          "      --read-only       never change anything outside laketop (the commands\n"
          "                        that would, and their keys, refuse)\n"
          "      --dry-run         with restore and sync: only say what they would do\n"
          "      --force           with restore: replace tables that exist\n"
          "      --no-wait         with crawl and job: return once it started\n"
          "      --arg KEY=VALUE   with job: an argument of the run (Glue's --KEY;\n"
          "                        a local job's $LAKETOP_ARG_KEY); again for more\n"
          "      --prune-incomplete\n"
          "                        with backup to s3://: first remove the backups\n"
          "                        there without a manifest (killed) over an hour old\n"
          "      --confirm-account ID\n"
          "                        the AWS account a change is meant for: a command that\n"
          "                        changes an account in protected_accounts needs it\n"
          "                        (or the id typed on a terminal); another account's\n"
          "                        credentials stop it\n"
          "      --no-mouse        ignore the mouse\n"
          "      --view NAME       the first screen: overview (default) or databases\n"
          "  -h, --help            this help\n"
          "  -V, --version         the version\n"
          "\n"
          "Exit status: 0 ok; 1 the lake or some of its tables could not be read\n"
          "(--once prints what it could, and why not on stderr; past its --timeout\n"
          "it prints no figures), or an action failed; 2 bad usage or configuration.\n"
          "\n"
          "Keys in the dashboard: ? for help, q to quit.\n",
          out);
}

void options_names(FILE *out, bool with_value) {
    for (const struct option *o = options_long; o->name; o++)
        if (!with_value || o->has_arg == required_argument)
            fprintf(out, "--%s\n", o->name);
}

char *options_data_dir(const char *leaf) {
    return fs_xdg_laketop("DATA", leaf);
}

bool options_address_ok(const char *what, const char *url) {
    char *error = NULL;
    bool ok = action_address_ok(url, &error);
    if (!ok)
        fprintf(stderr, "laketop %s: %s\n", what, error);
    free(error);
    return ok;
}

static int options_env_ms(const char *name, int otherwise) {
    const char *value = getenv(name);
    return value && atoi(value) > 0 ? atoi(value) : otherwise;
}

/* --timeout: with --once and check only; check has a default. */
static bool options_apply_timeout(command_context *a, const options *o) {
    bool check = o->n_args > 0 && strcmp(o->args[0], "check") == 0;
    if (o->timeout && !check && !(o->once && o->n_args == 0)) {
        fprintf(stderr, "laketop: --timeout goes with --once and check\n");
        return false;
    }
    a->timeout_check = check;
    a->timeout_text = o->timeout ? o->timeout : check ? "55s" : NULL;
    a->timeout_ms = check ? OPTIONS_CHECK_TIMEOUT_MS : 0;
    if (o->timeout && !watchdog_parse(o->timeout, &a->timeout_ms)) {
        fprintf(stderr,
                "laketop: --timeout \"%s\" is not a time such as 30s, 2m or 500ms (0: no "
                "limit; a day at most)\n",
                o->timeout);
        return false;
    }
    return true;
}

/* An assumed role's MFA code, typed on the terminal (codes are not
 * secret: plain fgets from /dev/tty, before curses starts). False when no
 * question may be asked: the chain then says what to do. */
static bool options_mfa_code(void *ctx, const char *profile, const char *serial, char *code,
                             size_t size) {
    const command_context *a = ctx;
    if (!a->mfa_prompt || !isatty(STDIN_FILENO))
        return false;
    FILE *tty = fopen("/dev/tty", "r+");
    if (!tty)
        return false;
    fprintf(tty, "laketop: MFA code for profile %s (%s): ", profile, serial);
    fflush(tty);
    bool typed = fgets(code, (int)size, tty) != NULL;
    fclose(tty);
    return typed;
}

static char *options_exe_dir(void) {
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
static char *options_themes_dir(const char *configured) {
    if (configured)
        return xstrdup(configured);
    char *candidates[4] = {0};
    candidates[0] = fs_xdg_laketop("CONFIG", "themes");
    char *exe = options_exe_dir();
    if (exe) {
        candidates[1] = xasprintf("%s/../themes", exe);
        candidates[2] = xasprintf("%s/../share/laketop/themes", exe);
    }
    candidates[3] = xstrdup(LAKETOP_DATADIR "/themes");
    char *found = NULL;
    for (size_t i = 0; i < 4; i++) {
        char resolved[PATH_MAX];
        if (!found && candidates[i] && realpath(candidates[i], resolved) && fs_is_dir(resolved))
            found = xstrdup(resolved);
        free(candidates[i]);
    }
    free(exe);
    return found;
}

/* The themes directory, and the theme (--theme, else the config's) checked
 * against it now, for every command: a typo is said with the file's line. */
static bool options_apply_theme(command_context *a, const options *o) {
    config *cfg = &a->cfg;
    if (o->themes_dir && !fs_is_dir(o->themes_dir)) {
        fprintf(stderr, "laketop: --themes-dir %s: not a directory\n", o->themes_dir);
        return false;
    }
    a->themes_dir = options_themes_dir(o->themes_dir ? o->themes_dir : cfg->themes_dir);
    if (o->theme) {
        free(cfg->theme);
        cfg->theme = xstrdup(o->theme);
    }
    char *error = NULL;
    if (!cfg->theme || config_names_theme(cfg->theme, a->themes_dir, &error))
        return true;
    if (o->theme)
        fprintf(stderr, "laketop: --%s\n", error);
    else
        fprintf(stderr, "laketop: %s:%d: %s\n", cfg->path, cfg->theme_line, error);
    free(error);
    return false;
}

bool options_apply(command_context *a, const options *o, int64_t started_ms) {
    memset(a, 0, sizeof *a);
    a->flags = o;
    a->started_ms = started_ms;
    config *cfg = &a->cfg;
    config_init(cfg);
    char *error = NULL;
    char *default_config = o->config ? NULL : config_default_path();
    const char *file = o->config ? o->config : default_config;
    bool loaded = !file || config_load(cfg, file, o->config != NULL, &error);
    free(default_config);
    if (!loaded) {
        fprintf(stderr, "laketop: %s\n", error);
        free(error);
        return false;
    }
    if (o->interval &&
        (!fmt_parse_duration(o->interval, &cfg->interval_seconds) || cfg->interval_seconds < 1)) {
        fprintf(stderr, "laketop: --interval \"%s\" is not a duration of 1s or more\n",
                o->interval);
        return false;
    }
    if ((o->stale_warn && !fmt_parse_duration(o->stale_warn, &cfg->thresholds.warn)) ||
        (o->stale_crit && !fmt_parse_duration(o->stale_crit, &cfg->thresholds.crit))) {
        fprintf(stderr, "laketop: --stale-warn/--stale-crit take a duration such as 36h or 2d\n");
        return false;
    }
    if (cfg->thresholds.crit < cfg->thresholds.warn) {
        fprintf(stderr, "laketop: the critical threshold must not be shorter than the warning\n");
        return false;
    }
    if (o->view && strcmp(o->view, "overview") != 0 && strcmp(o->view, "databases") != 0) {
        fprintf(stderr, "laketop: --view \"%s\": use overview or databases\n", o->view);
        return false;
    }
    if (o->full && !(o->once && o->n_args == 0)) {
        fprintf(stderr, "laketop: --full goes with --once (the dashboard's key is R)\n");
        return false;
    }
    if (!options_apply_timeout(a, o) || !options_apply_theme(a, o))
        return false;
    if (o->endpoint_url && !config_endpoint_ok(o->endpoint_url)) {
        fprintf(stderr, "laketop: --endpoint-url \"%s\" is not an http:// or https:// address\n",
                o->endpoint_url);
        return false;
    }
    if (o->view)
        cfg->start_databases = o->view[0] == 'd';
    if (o->read_only)
        cfg->read_only = true;
    if (o->concurrency) {
        char *end;
        long n = strtol(o->concurrency, &end, 10);
        if (*end || n < 1 || n > 1024) {
            fprintf(stderr, "laketop: --concurrency \"%s\": a number from 1 to 1024\n",
                    o->concurrency);
            return false;
        }
        cfg->concurrency = n;
    }
    if (o->s3_path_style)
        cfg->s3_path_style = true;
    if (cfg->mapping && !zones_load_mapping(&cfg->sync, cfg->mapping, &error)) {
        fprintf(stderr, "laketop: %s\n", error);
        free(error);
        return false;
    }
    /* the AWS options also serve a local lake's s3:// zones, backups and exports */
    a->aws = (aws_source_options){
        .request = {.profile = o->profile ? o->profile : cfg->profile,
                    .region = o->region ? o->region : cfg->region,
                    .endpoint_url = o->endpoint_url ? o->endpoint_url : cfg->endpoint_url,
                    .force_path_style = cfg->s3_path_style,
                    .read_only = cfg->read_only,
                    .mfa_code = options_mfa_code,
                    .mfa_ctx = a},
        .concurrency = (int)cfg->concurrency,
        .inventory = cfg->inventory,
        .athena_workgroup = cfg->athena.workgroup,
        .athena_output = cfg->athena.output,
        .inventory_database = cfg->athena.inventory_database,
        .athena_poll_ms = options_env_ms("LAKETOP_ATHENA_POLL_MS", 1000), /* tests: poll faster */
        .retry_base_ms = options_env_ms("LAKETOP_RETRY_BASE_MS", 0), /* tests: faster backoff */
    };
    a->crawl_poll_ms = options_env_ms("LAKETOP_CRAWL_POLL_MS", 5000); /* tests: poll faster */
    a->bench_log = getenv("LAKETOP_BENCH_LOG");
    return true;
}

lake_source *options_make_source(void *ctx, char **error) {
    const command_context *a = ctx;
    if (a->cfg.aws)
        return aws_source_new(&a->aws, error);
    lake_source *source = local_source_new(a->cfg.lake_dir);
    for (size_t i = 0; i < a->cfg.n_crawlers; i++)
        local_source_add_crawler(source, a->cfg.crawlers[i].name, a->cfg.crawlers[i].path,
                                 a->cfg.crawlers[i].database);
    for (size_t i = 0; i < a->cfg.jobs.n; i++) { /* without a command: a severity only */
        const config_job *job = &a->cfg.jobs.list[i];
        if (job->command)
            local_source_add_job(source, job->name, job->command, job->description);
    }
    return source;
}

lake_source *options_make_s3_source(void *ctx, char **error) {
    return aws_source_new(&((const command_context *)ctx)->aws, error);
}

bool options_open_lake(command_context *a) {
    const options *o = a->flags;
    config *cfg = &a->cfg;
    /* from here on the run may wait on the network: the limit starts */
    if (a->timeout_ms > 0)
        watchdog_arm(a->timeout_ms, a->timeout_text,
                     !a->timeout_check                                   ? WATCHDOG_ONCE
                     : o->format && strcmp(o->format, "prometheus") == 0 ? WATCHDOG_CHECK_PROMETHEUS
                                                                         : WATCHDOG_CHECK_TEXT,
                     a->timeout_check ? 3 /* CHECK_UNKNOWN */ : 1);
    if (o->lake) {
        free(cfg->lake_dir);
        cfg->lake_dir = xstrdup(o->lake);
        cfg->aws = false;
    }
    if (o->aws)
        cfg->aws = true;
    if (o->aws && o->lake) {
        fprintf(stderr, "laketop: --lake and the AWS options (--aws, --profile, --region, "
                        "--endpoint-url) do not go together\n");
        return false;
    }
    if (!cfg->aws && !cfg->lake_dir) {
        char *demo = options_data_dir("demo");
        if (!demo || !fs_is_dir(demo)) {
            free(demo);
            fprintf(stderr, "laketop: no lake given: use --lake DIR, set `lake` in the config, "
                            "or write a demo lake with `laketop demo`\n");
            return false;
        }
        cfg->lake_dir = demo;
        /* the demo lake's own declarations (its crawler, zones and sync
         * rules), as `make run` starts it, unless a config was named */
        char *own = fs_join(demo, "laketop.conf");
        char *error = NULL;
        if (!o->config && !config_load(cfg, own, false, &error)) {
            fprintf(stderr, "laketop: %s\n", error);
            free(error);
            free(own);
            return false;
        }
        free(own);
    }
    char resolved[PATH_MAX];
    if (!cfg->aws && realpath(cfg->lake_dir, resolved)) {
        free(cfg->lake_dir);
        cfg->lake_dir = xstrdup(resolved);
    }
    if (!cfg->aws) /* a zone's relative uri is inside the lake, as a crawler's path */
        zones_resolve_relative(&cfg->sync, cfg->lake_dir);
    if (o->no_mouse)
        cfg->mouse = false;
    char *error = NULL;
    watchdog_phase(cfg->aws ? "opening the AWS account (credentials, region)"
                            : "opening the lake directory");
    a->source = options_make_source(a, &error);
    if (!a->source) {
        fprintf(stderr, "laketop: %s\n", error);
        free(error);
        return false;
    }
    if (cfg->aws) {
        /* the credentials now: a refused role, an expired session or a
         * missing MFA code is one line and exit 2, not a failed refresh;
         * an MFA code is asked for here only, before the dashboard */
        a->mfa_prompt = !o->once && !a->timeout_check && isatty(STDIN_FILENO);
        bool signed_in = aws_source_sign_in(a->source, &error);
        a->mfa_prompt = false;
        if (!signed_in) {
            error = redact_take(error);
            fprintf(stderr, "laketop: %s\n", error);
            free(error);
            return false;
        }
    }
    char *phase = xasprintf("reading the figures of %s", a->source->name);
    watchdog_phase(phase);
    free(phase);
    a->history_path =
        cfg->aws ? config_aws_history_path(a->source->name) : config_history_path(cfg->lake_dir);
    if (cfg->aws) {
        char *state = config_incremental_path(a->history_path);
        aws_source_incremental(a->source, state, &cfg->incremental, o->full);
        free(state);
    }
    a->collect = (collector_options){
        .source = a->source,
        .sync = &cfg->sync,
        .history_path = a->history_path,
        .interval_seconds = (int)cfg->interval_seconds,
        .thresholds = cfg->thresholds,
        .writers = &cfg->writers,
        .notify_fd = -1,
        .critical_jobs = cfg->jobs.critical,
        .n_critical_jobs = cfg->jobs.n_critical,
        .prices = &cfg->prices,
    };
    return true;
}

void options_close(command_context *a) {
    lake_source_free(a->source);
    free(a->history_path);
    free(a->themes_dir);
    config_free(&a->cfg);
    memset(a, 0, sizeof *a);
}
