/* dashboard_profiles.c: P, switching AWS profiles the way k9s switches
 * contexts: the list (given by the app: views read no file), the switch
 * to a new source (the figures shown stay until the new ones come); the
 * title says which is shown (dashboard_title.c). */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "tui/screen.h"
#include "tui/widgets.h"
#include "views/dashboard.h"

/* The profiles list, a window of it around the selection. */
void dashboard_draw_profiles(dashboard *a) {
    int rows, cols;
    screen_size(&rows, &cols);
    (void)cols;
    size_t room = rows > 12 ? (size_t)(rows - 10) : 2;
    size_t first = a->profile_selected >= room ? a->profile_selected - room + 1 : 0;
    size_t shown = a->n_profiles - first < room ? a->n_profiles - first : room;
    const char *current = a->switching_to                        ? a->switching_to
                          : a->snapshot && a->snapshot->identity ? a->snapshot->identity->profile
                                                                 : NULL;
    char **lines = xcalloc(shown + 2, sizeof *lines);
    for (size_t i = 0; i < shown; i++) {
        const char *name = a->profiles[first + i];
        lines[i] = xasprintf("%s %s%s", first + i == a->profile_selected ? ">" : " ", name,
                             current && strcmp(current, name) == 0 ? "  (shown)" : "");
    }
    lines[shown] = xstrdup("");
    lines[shown + 1] = xstrdup("Up/Down: choose   Enter: switch   Esc: cancel");
    widget_dialog("AWS profiles", (const char *const *)lines, shown + 2);
    for (size_t i = 0; i < shown + 2; i++)
        free(lines[i]);
    free(lines);
}

void dashboard_profiles_key(dashboard *a, int key) {
    if (key == KEY_UP || key == 'k') {
        a->profile_selected = a->profile_selected ? a->profile_selected - 1 : 0;
    } else if (key == KEY_DOWN || key == 'j') {
        if (a->profile_selected + 1 < a->n_profiles)
            a->profile_selected++;
    } else if (key == '\r' || key == '\n' || key == KEY_ENTER) {
        char *name = xstrdup(a->profiles[a->profile_selected]);
        dashboard_switch_profile(a, name);
        free(name);
        return;
    } else if (key == 27 || key == 'q') {
        return;
    }
    a->dialog = DIALOG_PROFILES; /* still choosing */
}

void dashboard_switch_profile(dashboard *a, const char *profile) {
    const snapshot_identity *id = a->snapshot ? a->snapshot->identity : NULL;
    if (!a->switching_to && id && id->profile && strcmp(id->profile, profile) == 0) {
        dashboard_message(a, "profile %s is the one shown", profile);
        return;
    }
    const char *source_name = NULL;
    char *error = NULL;
    collector *next = a->switch_profile(a->profiles_ctx, profile, &source_name, &error);
    if (!next) {
        dashboard_message(a, "profile %s: %s", profile, error ? error : "cannot be read");
        free(error);
        return;
    }
    a->collector = next; /* the app stops the old one */
    a->source_name = source_name;
    free(a->switching_to);
    a->switching_to = xstrdup(profile);
    free(a->status.last_error);
    a->status = (collector_status){.state = COLLECTOR_STARTING, .last_refresh = -1};
    a->sync_plan_job = 0; /* a dry run of the old account opens no question */
    dashboard_message(a, "reading profile %s: the figures shown stay until its own arrive",
                      profile);
}

void dashboard_ask_profile(dashboard *a) {
    if (!a->list_profiles || !a->switch_profile) {
        dashboard_message(a, "a local lake: there are no AWS profiles to switch to");
        return;
    }
    if (a->jobs && jobs_running(a->jobs) > 0) {
        dashboard_message(a, "actions are running (a): switch profiles once they end");
        return;
    }
    char **names = NULL, *error = NULL;
    size_t n = 0;
    if (!a->list_profiles(a->profiles_ctx, &names, &n, &error)) {
        dashboard_message(a, "AWS profiles: %s", error ? error : "cannot be read");
        free(error);
        return;
    }
    for (size_t i = 0; a->profiles && a->profiles[i]; i++)
        free(a->profiles[i]);
    free(a->profiles);
    a->profiles = names;
    a->n_profiles = n;
    if (!n) {
        dashboard_message(a, "no profiles in ~/.aws/config or ~/.aws/credentials");
        return;
    }
    const char *current = a->switching_to                        ? a->switching_to
                          : a->snapshot && a->snapshot->identity ? a->snapshot->identity->profile
                                                                 : NULL;
    a->profile_selected = 0;
    for (size_t i = 0; current && i < n; i++)
        if (strcmp(names[i], current) == 0)
            a->profile_selected = i;
    a->dialog = DIALOG_PROFILES;
}
