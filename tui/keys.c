/* keys.c: the key table: key -> action, help text, mutating flags. */
#include "tui/keys.h"

#include <curses.h>

#define KEY_ESCAPE 27
#define KEY_CTRL(c) ((c)&0x1f)

static const key_binding keys_bindings[] = {
    {KEY_UP, "Up k", ACTION_UP, "move up", false},
    {'k', NULL, ACTION_UP, NULL, false},
    {KEY_DOWN, "Down j", ACTION_DOWN, "move down", false},
    {'j', NULL, ACTION_DOWN, NULL, false},
    {KEY_PPAGE, "PgUp", ACTION_PAGE_UP, "page up", false},
    {KEY_CTRL('b'), NULL, ACTION_PAGE_UP, NULL, false},
    {KEY_NPAGE, "PgDn", ACTION_PAGE_DOWN, "page down", false},
    {KEY_CTRL('f'), NULL, ACTION_PAGE_DOWN, NULL, false},
    {KEY_HOME, "Home g", ACTION_HOME, "first row", false},
    {'g', NULL, ACTION_HOME, NULL, false},
    {KEY_END, "End G", ACTION_END, "last row", false},
    {'G', NULL, ACTION_END, NULL, false},
    {'\r', "Enter", ACTION_ENTER, "open the selected database or table", false},
    {'\n', NULL, ACTION_ENTER, NULL, false},
    {KEY_ENTER, NULL, ACTION_ENTER, NULL, false},
    {KEY_RIGHT, NULL, ACTION_ENTER, NULL, false},
    {KEY_ESCAPE, "Esc Bksp", ACTION_BACK,
     "go back: a filter first, then the view before (once), then the Overview", false},
    {KEY_BACKSPACE, NULL, ACTION_BACK, NULL, false},
    {127, NULL, ACTION_BACK, NULL, false},
    {KEY_CTRL('h'), NULL, ACTION_BACK, NULL, false},
    {KEY_LEFT, NULL, ACTION_BACK, NULL, false},
    {'/', "/", ACTION_FILTER,
     "filter the Overview, Databases or Tables by name (Enter keeps, Esc clears)", false},
    {'>', "> .", ACTION_SORT_NEXT, "sort by the next column", false},
    {'.', NULL, ACTION_SORT_NEXT, NULL, false},
    {'<', "< ,", ACTION_SORT_PREV, "sort by the previous column", false},
    {',', NULL, ACTION_SORT_PREV, NULL, false},
    {'I', "I", ACTION_SORT_INVERT, "invert the sort order", false},
    {'r', "r", ACTION_REFRESH, "refresh now", false},
    {KEY_CTRL('l'), NULL, ACTION_REFRESH, NULL, false},
    {'R', "R", ACTION_REFRESH_FULL,
     "refresh now, listing every table whole (no incremental listing of partitions)", false},
    {'t', "t", ACTION_THEME, "next colour theme", false},
    {'b', "b", ACTION_BACKUP, "back up the catalog (asks first; runs in the background)",
     KEY_MUTATES_REMOTE},
    {'d', "d", ACTION_DATABASES, "databases: each with its tables, size, files, staleness", false},
    {'a', "a", ACTION_ACTIVITY, "actions: running and finished, with progress", false},
    {'o', "o", ACTION_OVERVIEW, "overview: what is wrong first, then largest, growing, queried",
     false},
    {'C', "C", ACTION_CRAWLERS, "the crawlers: state, schedule, last crawl", false},
    {'c', "c", ACTION_CRAWL, "run the selected crawler, or the one covering the table", true},
    {'Z', "Z", ACTION_ZONES, "zones (sizes) and sync rules (last run)", false},
    {'s', "s", ACTION_SYNC, "run the selected sync rule (a dry run first, then asks)", true},
    {'P', "P", ACTION_PROFILES, "switch the AWS profile (those of ~/.aws/config and credentials)",
     false},
    {KEY_F(2), "F2", ACTION_COLUMNS,
     "columns of the view: show, hide, order, sort by any (kept for the next start)", false},
    {'J', "J", ACTION_PIPELINE, "the pipeline: jobs and state machines, their newest run, history",
     false},
    {'j', "j", ACTION_JOB_RUN, "in the Pipeline view: run the selected job (asks first)",
     KEY_MUTATES_ALWAYS},
    {'?', "? h F1", ACTION_HELP, "this help", false},
    {'h', NULL, ACTION_HELP, NULL, false},
    {KEY_F(1), NULL, ACTION_HELP, NULL, false},
    {'q', "q", ACTION_QUIT, "quit (in this help: close it)", false},
    {KEY_F(10), NULL, ACTION_QUIT, NULL, false},
};

key_scope keys_scope(const key_binding *b) {
    return b->action == ACTION_JOB_RUN ? KEY_SCOPE_PIPELINE : KEY_SCOPE_ALL;
}

const key_binding *keys_lookup_in(int key, key_scope scope) {
    const key_binding *everywhere = NULL;
    for (size_t i = 0; i < sizeof keys_bindings / sizeof keys_bindings[0]; i++) {
        if (keys_bindings[i].key != key)
            continue;
        if (keys_scope(&keys_bindings[i]) == scope)
            return &keys_bindings[i];
        if (keys_scope(&keys_bindings[i]) == KEY_SCOPE_ALL && !everywhere)
            everywhere = &keys_bindings[i];
    }
    return everywhere;
}

const key_binding *keys_lookup(int key) {
    return keys_lookup_in(key, KEY_SCOPE_ALL);
}

const key_binding *keys_table(size_t *count) {
    *count = sizeof keys_bindings / sizeof keys_bindings[0];
    return keys_bindings;
}
