/* dashboard_dialog.h: the dashboard's questions (dashboard_dialog.c), for
 * the controller (dashboard.c); the views ask through dashboard.h. */
#ifndef LAKETOP_DASHBOARD_DIALOG_H
#define LAKETOP_DASHBOARD_DIALOG_H

#include <stdbool.h>

#include "views/dashboard.h"

/* Asks to back up the catalog (the `b` key). */
void dashboard_ask_backup(dashboard *a);
/* Draws the open question, if any, over the view. */
void dashboard_draw_dialog(dashboard *a);
/* A key while a question is open; false: quit now. */
bool dashboard_dialog_key(dashboard *a, int key);
/* When the dry run asked for by `s` ends: its numbers open the question. */
void dashboard_check_sync_plan(dashboard *a);

#endif
