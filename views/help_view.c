/* help_view.c: the help screen, generated from the key table and the
 * column hotkeys of the view underneath (with the direction each sorts in
 * first), so it can never drift from them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fmt.h"
#include "common/xalloc.h"
#include "tui/screen.h"
#include "views/dashboard.h"

typedef struct help_line {
    char key[24];
    char text[200];
    theme_role role;
} help_line;

static size_t help_build(dashboard *a, help_line *out, size_t cap) {
    size_t n = 0;
#define HELP_ADD(k, role_, ...)                                     \
    do {                                                            \
        if (n < cap) {                                              \
            snprintf(out[n].key, sizeof out[n].key, "%s", k);       \
            snprintf(out[n].text, sizeof out[n].text, __VA_ARGS__); \
            out[n].role = role_;                                    \
            n++;                                                    \
        }                                                           \
    } while (0)
    HELP_ADD("", ROLE_LABEL, "laketop %s: a live view of a data lake's catalog and storage",
             LAKETOP_VERSION);
    HELP_ADD("", ROLE_NORMAL, "%s", "");
    /* the sort keys of the view underneath first, in sight on opening */
    const view_frame *under = a->depth > 1 ? &a->stack[a->depth - 2] : NULL;
    const view_ops *v = under ? dashboard_view(under->id) : NULL;
    if (v && v->default_sort >= 0) { /* a view whose rows are sorted */
        HELP_ADD("", ROLE_LABEL, "Sort the %s view (the key again inverts)", v->title);
        for (size_t i = 0; i < v->n_columns; i++) {
            if (!v->columns[i].hotkey)
                continue;
            char key[4] = {(char)v->columns[i].hotkey, 0, 0, 0};
            int flags = v->columns[i].flags;
            HELP_ADD(key, ROLE_NORMAL, "by %s, %s first", v->columns[i].title,
                     !(flags & WIDGET_ASCENDING_FIRST) ? "largest"
                     : (flags & WIDGET_FIT)            ? "A to Z"
                                                       : "smallest");
        }
        HELP_ADD("", ROLE_DIM, "%s", "the rule: names A to Z first, figures largest first");
        HELP_ADD("", ROLE_DIM, "%s", "(Last data: the oldest first; Quota in: the soonest first)");
        HELP_ADD("", ROLE_DIM, "%s", "the status bar says the sort, and when its column is hidden");
        HELP_ADD("", ROLE_NORMAL, "%s", "");
    }
    HELP_ADD("", ROLE_LABEL, "Keys");
    size_t count;
    const key_binding *keys = keys_table(&count);
    for (size_t i = 0; i < count; i++) {
        if (!keys[i].key_name)
            continue;
        char *refusal = dashboard_key_refusal(a, &keys[i]);
        bool disabled = refusal != NULL;
        free(refusal);
        HELP_ADD(keys[i].key_name, disabled ? ROLE_DIM : ROLE_NORMAL, "%s%s", keys[i].help,
                 disabled ? " (disabled: read-only)" : "");
    }
    HELP_ADD("", ROLE_NORMAL, "%s", "");
    HELP_ADD("", ROLE_LABEL,
             "Columns (F2: Databases, Tables, Crawlers, Zones, Pipeline; seen live)");
    HELP_ADD("Up Down", ROLE_NORMAL, "choose a column");
    HELP_ADD("Space", ROLE_NORMAL, "show or hide it (the Name column is always shown)");
    HELP_ADD("[ ] - +", ROLE_NORMAL, "move it earlier or later");
    HELP_ADD("s Enter", ROLE_NORMAL, "sort by it (again: invert)");
    HELP_ADD("Esc F2 q", ROLE_NORMAL, "close: kept in $XDG_STATE_HOME/laketop/views");
    if (under && under->id == VIEW_OVERVIEW && a->snapshot) {
        /* what the Overview's words mean, with the settings its figures were
         * derived with */
        const insight_settings *in = &a->snapshot->insights;
        double late = in->late_factor, k = in->anomaly_k;
        int64_t many = in->small_files, small = in->small_file_size;
        char size[32];
        fmt_bytes(small, size, sizeof size);
        HELP_ADD("", ROLE_NORMAL, "%s", "");
        HELP_ADD("", ROLE_LABEL, "In the Overview (Enter opens the line's table)");
        HELP_ADD("stale", ROLE_NORMAL,
                 "past its [table] or [database] threshold, else %.1f and %.1f times its usual "
                 "interval (never under the global thresholds), else the global ones",
                 late, 2 * late);
        HELP_ADD("late", ROLE_NORMAL, "nothing new for %.1f times its usual interval (history)",
                 late);
        HELP_ADD("anomaly", ROLE_NORMAL, "today's growth over %.1f robust deviations from usual",
                 k);
        HELP_ADD("small", ROLE_NORMAL,
                 "over %lld files averaging under %s (Iceberg, Delta: the live files)",
                 (long long)many, size);
        char waste[32];
        fmt_bytes(in->waste_bytes, waste, sizeof waste);
        HELP_ADD("waste", ROLE_NORMAL,
                 "Iceberg, Delta: unreferenced files over %.0f %% of the live size and over %s "
                 "(waste_share, waste_bytes)",
                 in->waste_share * 100, waste);
        HELP_ADD("snapshots", ROLE_NORMAL,
                 "many snapshots: over %lld retained (Delta: log versions; max_snapshots)",
                 (long long)in->max_snapshots);
        HELP_ADD("schema", ROLE_NORMAL, "columns changed in the last 7 days (detail: the diff)");
        HELP_ADD("quota", ROLE_NORMAL, "reached, or reached within 30 days at the trend");
        HELP_ADD("growing", ROLE_NORMAL,
                 "bytes a day at the trend (Theil-Sen, 30 days; none for a late table)");
        HELP_ADD("never", ROLE_NORMAL,
                 "no query in 30 days: a line per database (Enter: its "
                 "tables, fewest queries first)");
    }
    HELP_ADD("", ROLE_NORMAL, "%s", "");
    HELP_ADD("", ROLE_LABEL, "Colours");
    HELP_ADD("", ROLE_FRESH, "fresh: new data within the warn threshold");
    HELP_ADD("", ROLE_STALE_WARN, "stale: no new data past the warn threshold");
    HELP_ADD("", ROLE_STALE_CRIT, "critical: no new data past the critical threshold");
    HELP_ADD("! ", ROLE_ERROR, "the row could not be refreshed: open it for the reason");
    HELP_ADD("", ROLE_NORMAL, "%s", "");
    HELP_ADD("", ROLE_LABEL, "Table formats (the mark beside a name in Tables)");
    bool utf8 = screen_utf8();
    HELP_ADD("ice", ROLE_NORMAL,
             "Apache Iceberg: Size and Files are the live files of its "
             "current snapshot");
    HELP_ADD(utf8 ? "\xce\x94" : "dlt", ROLE_NORMAL,
             "Delta Lake: the live files of its newest version");
    HELP_ADD(utf8 ? "hudi" : "hud", ROLE_NORMAL, "Apache Hudi: figures from the listing");
    HELP_ADD("*", ROLE_NORMAL,
             "after a mark: figures from the listing (every file under the location), its "
             "metadata unread");
    HELP_ADD("", ROLE_DIM, "%s",
             "Enter: live vs on storage vs unreferenced, snapshots, commits, what to run");
    HELP_ADD("", ROLE_NORMAL, "theme: %s%s", a->theme.name,
             screen_has_colours() ? "" : " (the terminal shows no colours)");
    if (a->read_only)
        HELP_ADD("", ROLE_NORMAL, "read-only mode: nothing outside laketop is changed");
#undef HELP_ADD
    return n;
}

static void help_draw(dashboard *a, view_frame *f, int y, int height, int width) {
    help_line lines[128];
    size_t n = help_build(a, lines, sizeof lines / sizeof lines[0]);
    int max_scroll = (int)n - height > 0 ? (int)n - height : 0;
    if (f->scroll > max_scroll)
        f->scroll = max_scroll;
    for (int r = 0; r < height && (size_t)(f->scroll + r) < n; r++) {
        const help_line *l = &lines[f->scroll + r];
        widget_text(y + r, 2, 10, screen_attr(ROLE_KEY), l->key, false);
        widget_text(y + r, 13, width - 13, screen_attr(l->role), l->text, false);
    }
}

static bool help_key(dashboard *a, view_frame *f, int key, key_action action, int page_rows) {
    (void)key;
    int page = page_rows > 1 ? page_rows - 1 : 1;
    switch (action) {
    case ACTION_UP: f->scroll = f->scroll > 0 ? f->scroll - 1 : 0; return true;
    case ACTION_DOWN: f->scroll++; return true;
    case ACTION_PAGE_UP: f->scroll = f->scroll > page ? f->scroll - page : 0; return true;
    case ACTION_PAGE_DOWN: f->scroll += page; return true;
    case ACTION_HOME: f->scroll = 0; return true;
    case ACTION_END: f->scroll = 1000; return true;
    case ACTION_ENTER: a->depth--; return true;
    default: return false;
    }
}

const view_ops help_view = {
    .title = "Help",
    .draw = help_draw,
    .key = help_key,
};
