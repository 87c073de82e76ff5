/* commands.h: laketop's subcommands, one table of them, the way tmux's
 * cmd_entry table drives its commands: each entry names the command, its
 * usage line for --help, the arguments and flags it takes, whether it
 * changes the lake (then --read-only refuses it) and the function that
 * runs it, a few lines of argument handling around one action of
 * actions/. Without a subcommand laketop runs the dashboard, or with
 * --once prints the figures. */
#ifndef LAKETOP_COMMANDS_H
#define LAKETOP_COMMANDS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "app/options.h"

typedef enum command_arg {
    COMMAND_ARG_NONE,
    COMMAND_ARG_OPTIONAL,
    COMMAND_ARG_REQUIRED,
} command_arg;

/* The flags only some commands take. */
enum {
    COMMAND_DRY_RUN = 1 << 0,
    COMMAND_FORCE = 1 << 1,
    COMMAND_NO_WAIT = 1 << 2,
    COMMAND_PRUNE_INCOMPLETE = 1 << 3,
    COMMAND_JOB_ARGS = 1 << 4, /* --arg KEY=VALUE */
};

typedef struct command {
    const char *name;
    const char *usage;   /* after "laketop ": "backup [DEST]" */
    const char *summary; /* for --help; a '\n' goes on below it */
    command_arg arg;
    const char *arg_needed; /* what a required argument is: "the crawler's NAME" */
    unsigned takes;         /* COMMAND_DRY_RUN, COMMAND_FORCE, COMMAND_NO_WAIT */
    /* What --format takes, NULL-terminated, the default first (NULL: the
     * --once report's json, csv, table). */
    const char *const *formats;
    /* NULL: it never changes anything outside laketop; else what it would
     * change, run with `arg` once the config is read (malloc'd; NULL when
     * that run changes nothing, as a backup to a local directory), as
     * --read-only says when it refuses (a dry run is never refused). Each
     * asks actions/action.h's action_changes, where read-only is decided. */
    char *(*mutates_what)(const command_context *a, const char *arg);
    bool opens_lake; /* reads the lake or the account (else only the config) */
    bool hidden;     /* not in --help (complete: for the shell completion) */
    int (*exec)(command_context *a, const char *arg);
    /* A command with options of its own (demo): runs instead of all of
     * the above on `laketop NAME ...`. */
    int (*main)(int argc, char **argv);
} command;

/* The entry named `name`; NULL when there is none. */
const command *commands_find(const char *name);
/* The whole --help. */
void commands_usage(FILE *out);
/* Whether the flags and arguments suit `c` (NULL: no subcommand): -1 when
 * they do, else 2 after saying why on stderr. */
int commands_check_args(const command *c, const options *o);
/* Runs what the command line asks for, with the flags parsed; returns the
 * exit status. */
int commands_dispatch(const options *o, int64_t started_ms);

#endif
