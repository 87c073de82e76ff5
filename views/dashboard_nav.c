/* dashboard_nav.c: moving between the views: the top-level views switched
 * to (o d C Z a replace the stack, as htop's F-keys do), Esc at the top
 * (back once to the view the user came from, then the Overview), and which
 * views have a filter. */
#include "views/dashboard.h"

void dashboard_switch(dashboard *a, view_id id) {
    view_id from = a->stack[0].id;
    a->depth = 0;
    a->filtering = false;
    dashboard_push(a, id, NULL, NULL);
    if (from != id)
        a->back_to = (int)from;
}

/* Esc, or the key of the view shown, at a top-level view: back once to the
 * view the user came from (then no further back), else the Overview. */
void dashboard_back_at_top(dashboard *a) {
    view_id here = a->stack[0].id;
    if (a->back_to >= 0 && a->back_to != (int)here) {
        view_id to = (view_id)a->back_to;
        dashboard_switch(a, to);
        a->back_to = -1; /* once: Esc again goes to the Overview */
    } else if (here != VIEW_OVERVIEW) {
        dashboard_switch(a, VIEW_OVERVIEW);
        a->back_to = -1;
    } else {
        dashboard_message(a, "the Overview is the first view: d Databases, C Crawlers, "
                             "Z Zones, a Activity; q quits");
    }
}

/* A top-level view's key: switches to it; its own key at its top goes back. */
void dashboard_top_key(dashboard *a, view_id id) {
    if (a->depth == 1 && a->stack[0].id == id)
        dashboard_back_at_top(a);
    else
        dashboard_switch(a, id);
}

/* Views with a filter: the name lists and the Overview. */
bool dashboard_filters(view_id id) {
    return id == VIEW_DATABASES || id == VIEW_TABLES || id == VIEW_OVERVIEW;
}
