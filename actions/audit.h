/* audit.h: the audit log of actions that change or copy the lake: one JSON
 * line per action (time, user, source, action, target, result) appended to
 * $XDG_STATE_HOME/laketop/audit.log. */
#ifndef LAKETOP_AUDIT_H
#define LAKETOP_AUDIT_H

/* Appends one line; a log that cannot be written is reported on stderr but
 * does not fail the action. */
void audit_log(const char *source, const char *action, const char *target, const char *result);

#endif
