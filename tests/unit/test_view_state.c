/* test_view_state.c: the state file of the columns chosen with F2
 * (app/view_state.c, views/view_layout.c): written and read back the same,
 * a bad or unknown line ignored with a warning naming FILE:LINE (never a
 * failure), unknown columns skipped, the Name column always shown and
 * first, the file replaced by a rename (never written in place), a
 * missing file quiet. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/view_state.h"
#include "common/fs.h"
#include "common/strbuf.h"
#include "views/view_layout.h"

/* The index of the column of view `id` named `name` in the state file. */
static int column_of(view_id id, const char *name) {
    const view_ops *v = dashboard_view(id);
    char own[64];
    for (size_t i = 0; i < v->n_columns; i++) {
        view_layout_column_name(&v->columns[i], own, sizeof own);
        if (strcmp(own, name) == 0)
            return (int)i;
    }
    fail_msg("view %s has no column %s", v->title, name);
    return -1;
}

static size_t parse(const char *text, view_layout *layouts, char **warnings) {
    strbuf w = {0};
    size_t n = view_state_parse(text, strlen(text), "/st/views", layouts, &w);
    *warnings = strbuf_take(&w);
    return n;
}

static void assert_layouts_equal(const view_layout *a, const view_layout *b) {
    for (int id = 0; id < VIEW_COUNT; id++) {
        assert_int_equal(a[id].n_columns, b[id].n_columns);
        for (size_t i = 0; i < a[id].n_columns; i++) {
            assert_int_equal(a[id].order[i], b[id].order[i]);
            assert_int_equal(a[id].hidden[i], b[id].hidden[i]);
        }
        assert_int_equal(a[id].has_sort, b[id].has_sort);
        if (a[id].has_sort) {
            assert_int_equal(a[id].sort_column, b[id].sort_column);
            assert_int_equal(a[id].sort_descending, b[id].sort_descending);
        }
    }
}

static void test_names(void **state) {
    (void)state;
    view_id ids[] = {VIEW_DATABASES, VIEW_TABLES, VIEW_CRAWLERS, VIEW_ZONES};
    for (size_t k = 0; k < sizeof ids / sizeof ids[0]; k++) {
        assert_true(view_layout_supported(ids[k]));
        const view_ops *v = dashboard_view(ids[k]);
        assert_true(v->n_columns > 1 && v->n_columns <= VIEW_LAYOUT_MAX_COLUMNS);
        /* every column has a name of its own, as the file writes names */
        for (size_t i = 0; i < v->n_columns; i++) {
            char a[64], b[64];
            view_layout_column_name(&v->columns[i], a, sizeof a);
            assert_true(strlen(a) > 0);
            assert_int_equal(strspn(a, "abcdefghijklmnopqrstuvwxyz0123456789-"), strlen(a));
            assert_true(a[0] != '-' && a[strlen(a) - 1] != '-');
            for (size_t j = 0; j < i; j++) {
                view_layout_column_name(&v->columns[j], b, sizeof b);
                if (strcmp(a, b) == 0)
                    fail_msg("%s: columns %zu and %zu are both \"%s\"", v->title, j, i, a);
            }
        }
    }
    assert_false(view_layout_supported(VIEW_HELP));
    assert_false(view_layout_supported(VIEW_DETAIL));
    assert_false(view_layout_supported(VIEW_OVERVIEW));
    char name[64];
    widget_column c = {.title = "Size, 30 days"};
    view_layout_column_name(&c, name, sizeof name);
    assert_string_equal(name, "size-30-days");
    c.title = "Tables +/~/-";
    view_layout_column_name(&c, name, sizeof name);
    assert_string_equal(name, "tables");
}

static void test_layout_edits(void **state) {
    (void)state;
    view_layout l;
    view_layout_default(&l, VIEW_TABLES);
    assert_true(view_layout_is_default(&l, VIEW_TABLES));
    int shown[VIEW_LAYOUT_MAX_COLUMNS];
    assert_int_equal(view_layout_shown(&l, shown), l.n_columns);
    /* the Name column: never hidden, never moved, nothing moves before it */
    assert_false(view_layout_toggle(&l, 0));
    assert_false(view_layout_move(&l, 0, 1));
    assert_false(view_layout_move(&l, 1, -1));
    assert_false(view_layout_move(&l, (int)l.n_columns - 1, 1));
    assert_true(view_layout_is_default(&l, VIEW_TABLES));
    assert_true(view_layout_toggle(&l, 2));
    assert_true(view_layout_move(&l, 1, 1)); /* size after files */
    assert_false(view_layout_is_default(&l, VIEW_TABLES));
    size_t n = view_layout_shown(&l, shown);
    assert_int_equal(n, l.n_columns - 1);
    assert_int_equal(shown[0], 0);
    assert_int_equal(shown[1], 1); /* files (2) hidden, size moved after it */
    assert_int_equal(shown[2], 3);
    assert_true(view_layout_toggle(&l, 2));
    assert_true(view_layout_move(&l, 1, -1));
    assert_true(view_layout_is_default(&l, VIEW_TABLES));
}

static void test_round_trip(void **state) {
    (void)state;
    view_layout want[VIEW_COUNT];
    view_layout_defaults(want);
    /* the defaults write no line: a new version's defaults then apply */
    strbuf text = {0};
    view_state_format(want, &text);
    for (char *line = strtok(text.data, "\n"); line; line = strtok(NULL, "\n"))
        assert_int_equal(line[0], '#');
    strbuf_free(&text);

    view_layout *t = &want[VIEW_TABLES];
    view_layout_toggle(t, column_of(VIEW_TABLES, "files"));
    view_layout_toggle(t, column_of(VIEW_TABLES, "size-30-days"));
    view_layout_move(t, column_of(VIEW_TABLES, "queries"), -1);
    view_layout_move(t, column_of(VIEW_TABLES, "queries"), -1);
    t->has_sort = true;
    t->sort_column = column_of(VIEW_TABLES, "size");
    t->sort_descending = true;
    view_layout *d = &want[VIEW_DATABASES];
    view_layout_move(d, column_of(VIEW_DATABASES, "stale"), -1);
    view_layout *c = &want[VIEW_CRAWLERS];
    c->has_sort = true;
    c->sort_column = -1;
    view_layout *z = &want[VIEW_ZONES];
    view_layout_toggle(z, 2);
    z->has_sort = true;
    z->sort_column = 3;
    view_state_format(want, &text);
    assert_non_null(strstr(text.data, "\ntables table size -files "));
    assert_non_null(strstr(text.data, " -size-30-days sort=size:desc\n"));
    assert_non_null(strstr(text.data, "\ndatabases database tables size stale objects "));
    assert_non_null(strstr(text.data, "\ncrawlers crawler "));
    assert_non_null(strstr(text.data, " sort=none\n"));
    assert_non_null(strstr(text.data, " sort=last-run:asc\n"));

    view_layout got[VIEW_COUNT];
    char *warnings;
    assert_int_equal(parse(text.data, got, &warnings), 0);
    assert_string_equal(warnings, "");
    free(warnings);
    assert_layouts_equal(want, got);
    /* and written again, the same text */
    strbuf again = {0};
    view_state_format(got, &again);
    assert_string_equal(again.data, text.data);
    strbuf_free(&again);
    strbuf_free(&text);
}

static void test_bad_lines(void **state) {
    (void)state;
    const char *text = "# a comment\n"
                       "\n"
                       "overview table size\n"                  /* 3: not a view with columns */
                       "tables table -files sort=size\n"        /* 4: no direction */
                       "tables table size size\n"               /* 5: twice */
                       "tables table Size\n"                    /* 6: not a name */
                       "databases   -objects\tsize\r\n"         /* 7: good (tabs, CRLF) */
                       "databases tables\n"                     /* 8: given again */
                       "zones sync-rule sort=result:sideways\n" /* 9 */
                       "crawlers crawler sort=state:asc sort=when:desc\n" /* 10 */
                       "tables table -files sort=size:desc\n";            /* 11: good */
    view_layout got[VIEW_COUNT];
    char *warnings;
    size_t n = parse(text, got, &warnings);
    assert_int_equal(n, 7);
    assert_non_null(strstr(warnings, "/st/views:3: unknown view \"overview\""));
    assert_non_null(strstr(warnings, "/st/views:4: sort=size: want sort=COLUMN:asc"));
    assert_non_null(strstr(warnings, "/st/views:5: column size is listed twice"));
    assert_non_null(strstr(warnings, "/st/views:6: \"Size\" is not a column name"));
    assert_non_null(strstr(warnings, "/st/views:8: view databases was given on line 7 already"));
    assert_non_null(strstr(warnings, "/st/views:9: sort=result:sideways"));
    assert_non_null(strstr(warnings, "/st/views:10: sort= is given twice"));
    assert_null(strstr(warnings, ":7:"));
    assert_null(strstr(warnings, ":11:"));
    free(warnings);
    /* line 7: objects hidden, size right after the name, the others after */
    const view_layout *d = &got[VIEW_DATABASES];
    assert_true(d->hidden[column_of(VIEW_DATABASES, "objects")]);
    assert_int_equal(d->order[0], 0);
    assert_int_equal(d->order[1], column_of(VIEW_DATABASES, "objects"));
    assert_int_equal(d->order[2], column_of(VIEW_DATABASES, "size"));
    assert_int_equal(d->order[3], column_of(VIEW_DATABASES, "tables"));
    assert_false(d->has_sort);
    /* line 11, the first good tables line */
    const view_layout *t = &got[VIEW_TABLES];
    assert_true(t->hidden[column_of(VIEW_TABLES, "files")]);
    assert_true(t->has_sort);
    assert_int_equal(t->sort_column, column_of(VIEW_TABLES, "size"));
    assert_true(t->sort_descending);
    /* the lines ignored left their views as they are */
    assert_true(view_layout_is_default(&got[VIEW_ZONES], VIEW_ZONES));
    assert_true(view_layout_is_default(&got[VIEW_CRAWLERS], VIEW_CRAWLERS));
}

static void test_unknown_columns(void **state) {
    (void)state;
    const char *text = "tables -size colour table -cost sort=price:asc\n"
                       "databases -database stale\n"
                       "crawlers when sort=when:desc\n";
    view_layout got[VIEW_COUNT];
    char *warnings;
    size_t n = parse(text, got, &warnings);
    assert_int_equal(n, 4);
    assert_non_null(
        strstr(warnings, "/st/views:1: view tables has no column \"colour\" (skipped)"));
    assert_non_null(strstr(warnings, "/st/views:1: view tables has no column \"cost\" (skipped)"));
    assert_non_null(
        strstr(warnings, "/st/views:1: view tables has no column \"price\" to sort by"));
    assert_non_null(strstr(warnings, "/st/views:2: the Database column is always shown"));
    free(warnings);
    /* the rest of each line is used: size hidden, the name first anyway */
    const view_layout *t = &got[VIEW_TABLES];
    assert_true(t->hidden[column_of(VIEW_TABLES, "size")]);
    assert_int_equal(t->order[0], 0);
    assert_int_equal(t->order[1], column_of(VIEW_TABLES, "size"));
    assert_false(t->has_sort);
    const view_layout *d = &got[VIEW_DATABASES];
    assert_false(d->hidden[0]);
    assert_int_equal(d->order[1], column_of(VIEW_DATABASES, "stale"));
    const view_layout *c = &got[VIEW_CRAWLERS];
    assert_int_equal(c->order[0], 0);
    assert_int_equal(c->order[1], column_of(VIEW_CRAWLERS, "when"));
    assert_int_equal(c->sort_column, column_of(VIEW_CRAWLERS, "when"));
}

static void test_odd_bytes(void **state) {
    (void)state;
    /* a NUL byte, escapes, a word flood: warned about, never a failure */
    const char text[] = "tables ta\0ble\n\x1b[2J views\nzones" /* no newline at the end */;
    view_layout got[VIEW_COUNT];
    strbuf w = {0};
    size_t n = view_state_parse(text, sizeof text - 1, "f", got, &w);
    assert_int_equal(n, 2); /* the last line, a view alone, is its own layout */
    assert_non_null(strstr(w.data, "f:1: \"ta?ble\" is not a column name"));
    assert_non_null(strstr(w.data, "f:2: unknown view \"?[2J\""));
    assert_null(strstr(w.data, "\x1b"));
    strbuf_free(&w);
    strbuf flood = {0};
    strbuf_puts(&flood, "tables");
    for (int i = 0; i < 200; i++)
        strbuf_puts(&flood, " size");
    n = view_state_parse(flood.data, flood.length, "f", got, NULL);
    assert_int_equal(n, 1);
    strbuf_free(&flood);
}

static char *make_dir(void) {
    char tmpl[] = "/tmp/test-view-state-XXXXXX";
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    return strdup(dir);
}

static size_t count_entries(const char *dir) {
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static void test_atomic_write(void **state) {
    (void)state;
    char *dir = make_dir();
    char *path = fs_join(dir, "laketop/views");
    view_layout l[VIEW_COUNT];
    view_layout_defaults(l);
    view_layout_toggle(&l[VIEW_TABLES], column_of(VIEW_TABLES, "files"));
    assert_null(view_state_save(path, l)); /* its directory made */
    char *first = fs_read_file(path, NULL, &(char *){NULL});
    assert_non_null(strstr(first, "tables table size -files"));
    /* a second save replaces the file by a rename: a hard link to the
     * old one keeps the old text, and no temporary file is left */
    char *link_path = fs_join(dir, "old");
    assert_int_equal(link(path, link_path), 0);
    struct stat before, after;
    assert_int_equal(stat(path, &before), 0);
    view_layout_toggle(&l[VIEW_TABLES], column_of(VIEW_TABLES, "files"));
    view_layout_toggle(&l[VIEW_DATABASES], column_of(VIEW_DATABASES, "stale"));
    assert_null(view_state_save(path, l));
    assert_int_equal(stat(path, &after), 0);
    assert_int_not_equal(before.st_ino, after.st_ino);
    char *old = fs_read_file(link_path, NULL, &(char *){NULL});
    assert_string_equal(old, first);
    char *second = fs_read_file(path, NULL, &(char *){NULL});
    assert_null(strstr(second, "\ntables "));
    assert_non_null(strstr(second, "\ndatabases database tables size objects -stale"));
    char *sub = fs_join(dir, "laketop");
    assert_int_equal(count_entries(sub), 1);
    /* read back at start: the same layouts, nothing said */
    view_layout back[VIEW_COUNT];
    assert_null(view_state_load(path, back));
    assert_layouts_equal(l, back);
    /* a directory that cannot be made: the reason, not a crash */
    char *blocked = fs_join(link_path, "views");
    char *error = view_state_save(blocked, l);
    assert_non_null(error);
    assert_non_null(strstr(error, link_path));
    free(error);
    free(blocked);
    free(first);
    free(old);
    free(second);
    free(sub);
    free(link_path);
    free(path);
    fs_remove_tree(dir);
    free(dir);
}

static void test_load(void **state) {
    (void)state;
    char *dir = make_dir();
    char *path = fs_join(dir, "views");
    view_layout l[VIEW_COUNT];
    assert_null(view_state_load(path, l)); /* none yet: quiet, the views' own */
    for (int id = 0; id < VIEW_COUNT; id++)
        assert_true(view_layout_is_default(&l[id], (view_id)id));
    assert_null(view_state_load(NULL, l));
    const char *text = "tables table -files\nnot-a-view x\ntables table\nzones -delete\n";
    assert_true(fs_write_atomic(path, text, strlen(text), &(char *){NULL}));
    char *said = view_state_load(path, l);
    assert_non_null(said);
    char *want = NULL;
    assert_true(asprintf(&want, "%s:2: unknown view \"not-a-view\"", path) > 0);
    assert_ptr_equal(strstr(said, want), said); /* the first, then how many more */
    assert_non_null(strstr(said, "(and 1 more)"));
    assert_null(strchr(said, '\n'));
    assert_true(l[VIEW_TABLES].hidden[column_of(VIEW_TABLES, "files")]);
    assert_true(l[VIEW_ZONES].hidden[column_of(VIEW_ZONES, "delete")]);
    free(want);
    free(said);
    char *none = view_state_save(NULL, l);
    assert_non_null(strstr(none, "no $XDG_STATE_HOME or $HOME"));
    free(none);
    free(path);
    fs_remove_tree(dir);
    free(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),           cmocka_unit_test(test_layout_edits),
        cmocka_unit_test(test_round_trip),      cmocka_unit_test(test_bad_lines),
        cmocka_unit_test(test_unknown_columns), cmocka_unit_test(test_odd_bytes),
        cmocka_unit_test(test_atomic_write),    cmocka_unit_test(test_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
