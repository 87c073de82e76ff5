/* audit.h: the audit log of actions that change or copy the lake: one JSON
 * line per action (time, user, source, action, target, result) appended to
 * $XDG_STATE_HOME/laketop/audit.log. */
#ifndef LAKETOP_AUDIT_H
#define LAKETOP_AUDIT_H

#include "actions/action.h"

/* Appends one line; a log that cannot be written does not fail the action:
 * it is said through `report` (a note: on stderr from the command line, in
 * the Activity view from the dashboard, never over the screen). */
void audit_log(const action_report *report, const char *source, const char *action,
               const char *target, const char *result);

#endif
