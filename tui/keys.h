/* keys.h: the one table of keys. Each binding names the key, the action, the
 * help text and whether it changes anything outside the program, always or
 * when its destination is remote (mutating actions are refused in read-only
 * mode). The key handler, the help screen
 * and read-only mode all read this table. Column sort hotkeys are listed by
 * each view with its columns. */
#ifndef LAKETOP_KEYS_H
#define LAKETOP_KEYS_H

#include <stdbool.h>
#include <stddef.h>

typedef enum key_action {
    ACTION_NONE,
    ACTION_UP,
    ACTION_DOWN,
    ACTION_PAGE_UP,
    ACTION_PAGE_DOWN,
    ACTION_HOME,
    ACTION_END,
    ACTION_ENTER,
    ACTION_BACK,
    ACTION_FILTER,
    ACTION_SORT_NEXT,
    ACTION_SORT_PREV,
    ACTION_SORT_INVERT,
    ACTION_REFRESH,
    ACTION_THEME,
    ACTION_HELP,
    ACTION_QUIT,
    ACTION_BACKUP,
    ACTION_ACTIVITY,
    ACTION_CRAWLERS,
    ACTION_OVERVIEW,
    ACTION_CRAWL,
    ACTION_ZONES,
    ACTION_SYNC,
    ACTION_PROFILES,
    ACTION_COLUMNS,
    ACTION_DATABASES,
    ACTION_PIPELINE, /* J */
    ACTION_JOB_RUN,  /* j in the Pipeline view */
    /* R: every table listed whole */
    ACTION_REFRESH_FULL,
} key_action;

/* Whether a key changes anything outside the program; read-only mode
 * refuses it when it does. The table writes the first two false and true. */
typedef enum key_mutates {
    KEY_MUTATES_NOTHING = 0,
    KEY_MUTATES_ALWAYS = 1, /* a crawl, a sync */
    /* When the destination it writes to, a setting, is not local (s3://):
     * the backup; the program decides (actions/action.h). */
    KEY_MUTATES_REMOTE = 2,
} key_mutates;

/* Where a binding applies: everywhere, or in one view only, where it takes
 * the key from its binding everywhere else (`j` moves down, but in the
 * Pipeline view it runs the selected job; Down still moves there). */
typedef enum key_scope {
    KEY_SCOPE_ALL = 0,
    KEY_SCOPE_PIPELINE,
} key_scope;

typedef struct key_binding {
    int key;              /* curses key code or character */
    const char *key_name; /* as shown in help; NULL: alias not listed */
    key_action action;
    const char *help;
    key_mutates mutating;
} key_binding;

/* Where a binding applies: its action's view (ACTION_JOB_RUN: the
 * Pipeline view and a job's runs), else everywhere. */
key_scope keys_scope(const key_binding *binding);

/* The binding for a key everywhere, or NULL. */
const key_binding *keys_lookup(int key);
/* The binding for a key in a view of `scope`: its own, else the one of
 * everywhere; NULL. */
const key_binding *keys_lookup_in(int key, key_scope scope);
/* The table, for the help screen. */
const key_binding *keys_table(size_t *count);

#endif
