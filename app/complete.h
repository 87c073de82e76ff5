/* complete.h: `laketop complete KIND`, the names the shell completion
 * scripts (doc/completion/) offer, one a line. Hidden from --help. It only
 * reads: the config (with --config as the line gives it), the theme files
 * and the AWS profile files; never the lake or the network, so a Tab
 * answers at once. */
#ifndef LAKETOP_COMPLETE_H
#define LAKETOP_COMPLETE_H

#include "app/options.h"

/* The kinds, for the usage line and the error: commands, options,
 * argument-options (those that take a value), profiles, crawlers (the
 * config's [crawler NAME]), rules (its [sync NAME] and the mapping's),
 * jobs (its [job NAME]), themes, formats, views. */
#define COMPLETE_KINDS                                                                          \
    "commands, options, argument-options, profiles, crawlers, rules, jobs, themes, formats or " \
    "views"

/* Prints the names of `kind` (but commands: app/commands.c has the table);
 * 0, else 2 (an unknown kind, said why). */
int complete_exec(command_context *a, const char *kind);

#endif
