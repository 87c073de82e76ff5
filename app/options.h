/* options.h: the command line and the config, turned into what laketop
 * runs with. In three steps: the flags as parsed (options_parse), the
 * config read with the flags laid over it (options_apply), then, for the
 * commands that read one, the lake or the AWS account opened
 * (options_open_lake). The environment variables tests and benches set
 * (LAKETOP_RETRY_BASE_MS, LAKETOP_CRAWL_POLL_MS, LAKETOP_BENCH_LOG) are read
 * here too, once, at start-up. */
#ifndef LAKETOP_OPTIONS_H
#define LAKETOP_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "app/config.h"
#include "collector/aws/aws_source.h"
#include "collector/collector.h"

#define OPTIONS_EXIT_USAGE 2
/* --arg may be given this many times */
#define OPTIONS_JOB_ARGS_MAX 64
/* check's --timeout when none is given: below the 60 s most monitoring
 * agents give a plugin, so that they get UNKNOWN and a reason, not a kill */
#define OPTIONS_CHECK_TIMEOUT_MS 55000

/* The flags as given (NULL or false when not). */
typedef struct options {
    char **args; /* the arguments that are not options: COMMAND [ARG] */
    int n_args;
    const char *lake, *interval, *theme, *themes_dir, *config, *format;
    const char *stale_warn, *stale_crit, *view;
    const char *profile, *region, *endpoint_url, *concurrency;
    const char *timeout;         /* --once and check */
    const char *confirm_account; /* --confirm-account ID: the account a change is meant for */
    bool aws, s3_path_style;
    bool once, read_only, no_mouse;
    bool full; /* --once --full: no incremental listing */
    bool dry_run, force, no_wait, prune_incomplete;
    bool help, version;
    /* job's --arg KEY=VALUE, in the order given (checked by the command) */
    char *job_args[OPTIONS_JOB_ARGS_MAX];
    int n_job_args;
} options;

/* What a command runs with. */
typedef struct command_context {
    const options *flags;
    int64_t started_ms;
    config cfg;             /* the config, the flags laid over it */
    aws_source_options aws; /* the account, and s3:// zones, backups and exports */
    int crawl_poll_ms;      /* between two looks at a running crawler */
    const char *bench_log;  /* where the dashboard's timings go; NULL none */
    /* --timeout, armed by options_open_lake: 0 none (the dashboard, or
     * --timeout 0); check's default OPTIONS_CHECK_TIMEOUT_MS */
    int64_t timeout_ms;
    const char *timeout_text; /* as the user wrote it, or the default */
    bool timeout_check;       /* the run is `check` (else --once) */
    /* an MFA code may be asked for on the terminal: only while the account
     * is opened, before the dashboard starts, never for --once or check */
    bool mfa_prompt;
    /* set by options_open_lake */
    char *themes_dir;
    lake_source *source; /* the lake's, or the account's */
    char *history_path;
    collector_options collect; /* the source, the history, the rules */
} command_context;

/* Parses the flags (getopt: the arguments that are not options move to the
 * end). -1 when laketop goes on, else the exit status (2: said why). */
int options_parse(int argc, char **argv, options *o);
/* The options part of --help. */
void options_help(FILE *out);
/* The long options (--lake...), one a line; only those that take a value
 * when `with_value` (the shell completion: app/complete.h). */
void options_names(FILE *out, bool with_value);

/* Reads the config and lays the flags over it: false when either makes no
 * sense (said why on stderr; exit status 2). options_close frees `a` in
 * both cases. */
bool options_apply(command_context *a, const options *o, int64_t started_ms);
/* Opens the lake or the account (the source, its history, what the
 * collector reads); false when it cannot (said why; exit status 2). */
bool options_open_lake(command_context *a);
void options_close(command_context *a);

/* Make sources as `a` says, for an action's thread (ctx is the command_context): the
 * lake's or the account's, and one that reaches S3 (s3:// zones, backups
 * and exports of a local lake). */
lake_source *options_make_source(void *ctx, char **error);
lake_source *options_make_s3_source(void *ctx, char **error);

/* $XDG_DATA_HOME/laketop/LEAF (malloc'd), NULL without a home. */
char *options_data_dir(const char *leaf);
/* Whether `url` (what `what` names) is a local path or a well-formed
 * s3:// address; else says why on stderr. */
bool options_address_ok(const char *what, const char *url);

#endif
