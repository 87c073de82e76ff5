/* test_keys.c: the one table of keys (tui/keys.c): lookup by key, no key
 * bound twice in one scope (j runs a job in the Pipeline view), help text
 * for every action and only the keys it names,
 * the mutating flag (what read-only mode refuses) the same on every alias,
 * and the sort keys, which must leave the views' column hotkeys free. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/keys.h"
#include "views/dashboard.h"

#define CTRL(c) ((c)&0x1f)
#define ESCAPE 27
#define LAST_ACTION ACTION_JOB_RUN /* the last value of key_action */

static void assert_action(int key, key_action want) {
    const key_binding *b = keys_lookup(key);
    if (!b)
        fail_msg("key %d is not bound (want action %d)", key, (int)want);
    if (b->key != key || b->action != want)
        fail_msg("key %d: binding of key %d, action %d, want action %d", key, b->key,
                 (int)b->action, (int)want);
}

static void test_lookup(void **state) {
    (void)state;
    assert_action(KEY_UP, ACTION_UP);
    assert_action('k', ACTION_UP);
    assert_action(KEY_DOWN, ACTION_DOWN);
    assert_action('j', ACTION_DOWN);
    assert_action(KEY_PPAGE, ACTION_PAGE_UP);
    assert_action(CTRL('b'), ACTION_PAGE_UP);
    assert_action(KEY_NPAGE, ACTION_PAGE_DOWN);
    assert_action(CTRL('f'), ACTION_PAGE_DOWN);
    assert_action(KEY_HOME, ACTION_HOME);
    assert_action('g', ACTION_HOME);
    assert_action(KEY_END, ACTION_END);
    assert_action('G', ACTION_END);
    /* Enter as terminals send it, and Right as a way in. */
    assert_action('\r', ACTION_ENTER);
    assert_action('\n', ACTION_ENTER);
    assert_action(KEY_ENTER, ACTION_ENTER);
    assert_action(KEY_RIGHT, ACTION_ENTER);
    /* Back: Esc, both backspaces, Ctrl-H, Left. */
    assert_action(ESCAPE, ACTION_BACK);
    assert_action(KEY_BACKSPACE, ACTION_BACK);
    assert_action(127, ACTION_BACK);
    assert_action(CTRL('h'), ACTION_BACK);
    assert_action(KEY_LEFT, ACTION_BACK);
    assert_action('/', ACTION_FILTER);
    assert_action('r', ACTION_REFRESH);
    assert_action(CTRL('l'), ACTION_REFRESH);
    assert_action('t', ACTION_THEME);
    assert_action('b', ACTION_BACKUP);
    assert_action('a', ACTION_ACTIVITY);
    assert_action('o', ACTION_OVERVIEW);
    assert_action('C', ACTION_CRAWLERS);
    assert_action('c', ACTION_CRAWL);
    assert_action('Z', ACTION_ZONES);
    assert_action('s', ACTION_SYNC);
    assert_action('J', ACTION_PIPELINE);
    /* j moves down, but runs the selected job in the Pipeline view, where
     * J, Down and every other key keep their meaning */
    assert_int_equal(keys_lookup_in('j', KEY_SCOPE_PIPELINE)->action, ACTION_JOB_RUN);
    assert_int_equal(keys_lookup_in('j', KEY_SCOPE_PIPELINE)->mutating, KEY_MUTATES_ALWAYS);
    assert_int_equal(keys_lookup_in(KEY_DOWN, KEY_SCOPE_PIPELINE)->action, ACTION_DOWN);
    assert_int_equal(keys_lookup_in('J', KEY_SCOPE_PIPELINE)->action, ACTION_PIPELINE);
    assert_null(keys_lookup_in('x', KEY_SCOPE_PIPELINE));
    assert_action('?', ACTION_HELP);
    assert_action('h', ACTION_HELP);
    assert_action(KEY_F(1), ACTION_HELP);
    assert_action('q', ACTION_QUIT);
    assert_action(KEY_F(10), ACTION_QUIT);
    assert_action(KEY_F(2), ACTION_COLUMNS); /* as htop's Setup */
    assert_false(keys_lookup(KEY_F(2))->mutating);
    /* Keys nobody bound, and keys the dashboard handles before the table. */
    assert_null(keys_lookup('x'));
    assert_null(keys_lookup(' '));
    assert_null(keys_lookup(0));
    assert_null(keys_lookup(-1));
    assert_null(keys_lookup(KEY_RESIZE));
    assert_null(keys_lookup(KEY_MOUSE));
}

static void test_each_key_once(void **state) {
    (void)state;
    size_t n;
    const key_binding *keys = keys_table(&n);
    assert_non_null(keys);
    assert_true(n > 0);
    /* A second binding of a key could never be reached: lookup finds the
     * first, so the help would describe what the key does not do. */
    for (size_t i = 0; i < n; i++) {
        if (keys_lookup_in(keys[i].key, keys_scope(&keys[i])) != &keys[i])
            fail_msg("key %d (%s) is bound more than once", keys[i].key,
                     keys[i].key_name ? keys[i].key_name : "alias");
        assert_int_not_equal(keys[i].action, ACTION_NONE);
    }
}

static void test_help_for_every_action(void **state) {
    (void)state;
    size_t n;
    const key_binding *keys = keys_table(&n);
    for (int action = ACTION_NONE + 1; action <= LAST_ACTION; action++) {
        int listed = 0;
        for (size_t i = 0; i < n; i++) {
            if (keys[i].action != (key_action)action || !keys[i].key_name)
                continue;
            listed++;
            assert_non_null(keys[i].help);
            assert_true(strlen(keys[i].key_name) > 0);
            assert_true(strlen(keys[i].help) > 3);
        }
        /* One line of help per action: every action shown, none twice. */
        if (listed != 1)
            fail_msg("action %d has %d listed bindings, want 1", action, listed);
    }
    /* Aliases (no key name) are not shown, so they carry no help text. */
    for (size_t i = 0; i < n; i++)
        if (!keys[i].key_name)
            assert_null(keys[i].help);
}

/* The key a word of a help key name stands for; -1 when unknown. */
static int key_of_name(const char *word) {
    static const struct {
        const char *name;
        int key;
    } names[] = {
        {"Up", KEY_UP},      {"Down", KEY_DOWN}, {"PgUp", KEY_PPAGE},
        {"PgDn", KEY_NPAGE}, {"Home", KEY_HOME}, {"End", KEY_END},
        {"Enter", '\r'},     {"Esc", ESCAPE},    {"Bksp", KEY_BACKSPACE},
    };
    if (strlen(word) == 1)
        return (unsigned char)word[0];
    if (word[0] == 'F' && word[1] >= '1' && word[1] <= '9')
        return KEY_F(atoi(word + 1));
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i].name, word) == 0)
            return names[i].key;
    return -1;
}

static void test_help_names_only_its_keys(void **state) {
    (void)state;
    size_t n;
    const key_binding *keys = keys_table(&n);
    for (size_t i = 0; i < n; i++) {
        if (!keys[i].key_name)
            continue;
        /* Every key the help line names does what the line says. */
        char words[64];
        snprintf(words, sizeof words, "%s", keys[i].key_name);
        bool names_own_key = false;
        for (char *w = strtok(words, " "); w; w = strtok(NULL, " ")) {
            int key = key_of_name(w);
            if (key < 0)
                fail_msg("help key name \"%s\": no key known as \"%s\"", keys[i].key_name, w);
            const key_binding *b = keys_lookup_in(key, keys_scope(&keys[i]));
            if (!b || b->action != keys[i].action)
                fail_msg("help \"%s\" names %s, which is bound to another action", keys[i].key_name,
                         w);
            names_own_key |= key == keys[i].key;
        }
        if (!names_own_key)
            fail_msg("help \"%s\" does not name its own key %d", keys[i].key_name, keys[i].key);
    }
    /* A printable alias is named on its action's help line ('k' in "Up k"). */
    for (size_t i = 0; i < n; i++) {
        if (keys[i].key_name || keys[i].key < 0x21 || keys[i].key > 0x7e)
            continue;
        bool named = false;
        for (size_t j = 0; j < n; j++) {
            if (keys[j].action != keys[i].action || !keys[j].key_name)
                continue;
            char words[64];
            snprintf(words, sizeof words, "%s", keys[j].key_name);
            for (char *w = strtok(words, " "); w; w = strtok(NULL, " "))
                named |= key_of_name(w) == keys[i].key;
        }
        if (!named)
            fail_msg("alias '%c' is not named in its action's help", keys[i].key);
    }
}

static void test_mutating(void **state) {
    (void)state;
    size_t n;
    const key_binding *keys = keys_table(&n);
    /* Only a crawl, a sync and a job run always change the lake (the README's
     * read-only list); a backup writes a copy of the catalog, which changes
     * the account when it goes to s3:// (the dashboard decides). */
    for (size_t i = 0; i < n; i++) {
        key_mutates want = keys[i].action == ACTION_CRAWL || keys[i].action == ACTION_SYNC ||
                                   keys[i].action == ACTION_JOB_RUN
                               ? KEY_MUTATES_ALWAYS
                           : keys[i].action == ACTION_BACKUP ? KEY_MUTATES_REMOTE
                                                             : KEY_MUTATES_NOTHING;
        if (keys[i].mutating != want)
            fail_msg("key %d (action %d): mutating %d, want %d", keys[i].key, (int)keys[i].action,
                     (int)keys[i].mutating, (int)want);
    }
    assert_int_equal(keys_lookup('c')->mutating, KEY_MUTATES_ALWAYS);
    assert_int_equal(keys_lookup('s')->mutating, KEY_MUTATES_ALWAYS);
    assert_int_equal(keys_lookup('b')->mutating, KEY_MUTATES_REMOTE);
    assert_false(keys_lookup('q')->mutating);
    /* Read-only mode refuses by the binding's flag, so an alias that said
     * otherwise would be a way around it: every binding of an action agrees. */
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            if (keys[i].action == keys[j].action && keys[i].mutating != keys[j].mutating)
                fail_msg("keys %d and %d disagree on whether action %d is mutating", keys[i].key,
                         keys[j].key, (int)keys[i].action);
}

static void test_sort_keys(void **state) {
    (void)state;
    assert_action('>', ACTION_SORT_NEXT);
    assert_action('.', ACTION_SORT_NEXT);
    assert_action('<', ACTION_SORT_PREV);
    assert_action(',', ACTION_SORT_PREV);
    assert_action('I', ACTION_SORT_INVERT);
    assert_false(keys_lookup('>')->mutating);
    assert_false(keys_lookup('I')->mutating);
}

static void test_column_hotkeys_free(void **state) {
    (void)state;
    const view_ops *views[] = {&databases_view, &tables_view,   &detail_view,   &help_view,
                               &activity_view,  &crawlers_view, &overview_view, &zones_view,
                               &pipeline_view,  &job_view};
    size_t hotkeys = 0;
    for (size_t v = 0; v < sizeof views / sizeof views[0]; v++) {
        const view_ops *ops = views[v];
        for (size_t i = 0; i < ops->n_columns; i++) {
            int key = ops->columns[i].hotkey;
            if (!key)
                continue;
            hotkeys++;
            /* The dashboard tries a column hotkey only for a key the table
             * does not bind: a bound one would never sort. */
            const key_binding *b = keys_lookup(key);
            if (b)
                fail_msg("%s: the hotkey '%c' of column %s is also bound to action %d", ops->title,
                         key, ops->columns[i].title, (int)b->action);
            for (size_t j = 0; j < i; j++)
                if (ops->columns[j].hotkey == key)
                    fail_msg("%s: columns %s and %s share the hotkey '%c'", ops->title,
                             ops->columns[j].title, ops->columns[i].title, key);
        }
    }
    assert_true(hotkeys >= 10); /* Databases and Tables have them (README) */
}

static void test_sort_hotkey_twice_inverts(void **state) {
    (void)state;
    view_frame f;
    memset(&f, 0, sizeof f);
    f.sort_column = -1;
    /* a figure: largest first, then inverted */
    assert_true(dashboard_sort_hotkey(&f, &databases_view, 'S'));
    assert_string_equal(databases_view.columns[f.sort_column].title, "Size");
    assert_true(f.sort_descending);
    assert_true(dashboard_sort_hotkey(&f, &databases_view, 'S'));
    assert_false(f.sort_descending);
    /* a name: A to Z first, whatever the direction before */
    assert_true(dashboard_sort_hotkey(&f, &databases_view, 'N'));
    assert_string_equal(databases_view.columns[f.sort_column].title, "Database");
    assert_false(f.sort_descending);
    /* A key that is no column's hotkey changes nothing. */
    int column = f.sort_column;
    assert_false(dashboard_sort_hotkey(&f, &databases_view, 'q'));
    assert_int_equal(f.sort_column, column);
}

/* One rule for the first press of every hotkey (htop's): names A to Z,
 * figures largest first (Last data: the stalest, its age is the largest),
 * and Quota in soonest first; > and < follow it too. */
static void test_sort_first_direction(void **state) {
    (void)state;
    const view_ops *views[] = {&databases_view, &tables_view, &crawlers_view, &zones_view};
    for (size_t v = 0; v < sizeof views / sizeof views[0]; v++) {
        const view_ops *ops = views[v];
        for (size_t i = 0; i < ops->n_columns; i++) {
            if (!ops->columns[i].hotkey)
                continue;
            view_frame f;
            memset(&f, 0, sizeof f);
            f.sort_column = i ? 0 : 1;
            f.sort_descending = true;
            assert_true(dashboard_sort_hotkey(&f, ops, ops->columns[i].hotkey));
            bool ascending = i == 0 || strcmp(ops->columns[i].title, "Quota in") == 0;
            if (f.sort_descending == ascending)
                fail_msg("%s: %c (%s) sorts %s first", ops->title, ops->columns[i].hotkey,
                         ops->columns[i].title, f.sort_descending ? "descending" : "ascending");
        }
    }
    view_frame f;
    memset(&f, 0, sizeof f);
    f.sort_column = 0; /* Table, A to Z */
    assert_true(dashboard_list_key(&f, &tables_view, 0, NULL, NULL, '>', ACTION_SORT_NEXT, 10,
                                   &(bool){false}));
    assert_string_equal(tables_view.columns[f.sort_column].title, "Size");
    assert_true(f.sort_descending);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_each_key_once),
        cmocka_unit_test(test_help_for_every_action),
        cmocka_unit_test(test_help_names_only_its_keys),
        cmocka_unit_test(test_mutating),
        cmocka_unit_test(test_sort_keys),
        cmocka_unit_test(test_column_hotkeys_free),
        cmocka_unit_test(test_sort_hotkey_twice_inverts),
        cmocka_unit_test(test_sort_first_direction),
    };
    return cmocka_run_group_tests_name("keys", tests, NULL, NULL);
}
