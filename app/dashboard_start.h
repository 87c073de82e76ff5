/* dashboard_start.h: the dashboard's start and end around views/dashboard.h:
 * the collector thread, the jobs and the notification pipe they share,
 * what the actions run with, the bench log. */
#ifndef LAKETOP_DASHBOARD_START_H
#define LAKETOP_DASHBOARD_START_H

#include "app/options.h"

/* Runs the dashboard on the opened lake until quit; returns the exit
 * status: 2 without a terminal, with a theme that cannot be loaded or a bad
 * export_dir, 1 when the lake directory does not exist. */
int dashboard_start(command_context *a);

#endif
