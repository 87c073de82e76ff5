/* commands_report.h: the command line's side of an action's report: the
 * progress on one line of stderr when it is a terminal, notes as lines of
 * their own, the result on stdout (done or failed) or stderr (an error),
 * and the exit status. */
#ifndef LAKETOP_COMMANDS_REPORT_H
#define LAKETOP_COMMANDS_REPORT_H

#include <stdbool.h>

#include "actions/action.h"

typedef struct commands_report {
    const char *command; /* "sync": errors say "laketop sync: ..." */
    const char *label;   /* "sync RULE": progress and notes say "laketop sync RULE: ..." */
    bool tty;
    bool line_open; /* a progress line is showing */
    action_report report;
} commands_report;

/* Starts reporting for command `name` ("sync"), with `label` ("sync RULE")
 * before its progress and notes. */
const action_report *commands_report_start(commands_report *r, const char *name, const char *label);
/* The result on stdout after `prefix` ("backup: ") when it is one (done,
 * or failed as such), else on stderr as "laketop COMMAND: ..."; frees it
 * and returns the exit status. */
int commands_report_end(commands_report *r, action_status status, const char *prefix, char *result);

#endif
