/* test_theme.c: theme files: colours, attributes, errors with line numbers,
 * and the shipped themes parse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "tui/theme.h"

static void test_parse(void **state) {
    (void)state;
    theme t;
    theme_default(&t);
    char *error = NULL;
    assert_true(theme_parse("# comment\n\nstale_crit = brightred on black bold underline\n"
                            "size = 33   # trailing comment\n",
                            "x", &t, &error));
    assert_int_equal(t.styles[ROLE_STALE_CRIT].fg, 9);
    assert_int_equal(t.styles[ROLE_STALE_CRIT].bg, 0);
    assert_int_equal(t.styles[ROLE_STALE_CRIT].attrs, THEME_BOLD | THEME_UNDERLINE);
    assert_int_equal(t.styles[ROLE_SIZE].fg, 33);
    assert_string_equal(t.name, "x");
    assert_string_equal(theme_role_name(ROLE_STALE_WARN), "stale_warn");
}

static void test_errors(void **state) {
    (void)state;
    static const struct {
        const char *text, *expect;
    } cases[] = {
        {"normal = default\nnope = red\n", "line 2: unknown colour role \"nope\""},
        {"size red\n", "line 1: expected"},
        {"size = purple\n", "unknown colour or attribute \"purple\""},
        {"size = red on\n", "missing background"},
        {"size = on red\n", "\"on\" must follow"},
        {"size = red blue\n", "unexpected colour"},
        {"size = 256\n", "unknown colour"},
        {"monochrome = maybe\n", "monochrome is true or false"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        theme t;
        theme_default(&t);
        char *error = NULL;
        assert_false(theme_parse(cases[i].text, "x", &t, &error));
        assert_non_null(error);
        if (!strstr(error, cases[i].expect))
            fail_msg("case %zu: \"%s\" lacks \"%s\"", i, error, cases[i].expect);
        free(error);
    }
}

static void test_shipped(void **state) {
    (void)state;
    const char *names[] = {"dark", "light", "mono"};
    for (size_t i = 0; i < 3; i++) {
        theme t;
        char *error = NULL;
        if (!theme_load("themes", names[i], &t, &error))
            fail_msg("%s", error);
        assert_string_equal(t.name, names[i]);
    }
    theme t;
    char *error = NULL;
    assert_true(theme_load("themes", "mono", &t, &error));
    assert_true(t.monochrome);
    assert_false(theme_load("themes", "no-such-theme", &t, &error));
    assert_non_null(strstr(error, "no-such-theme"));
    free(error);
    error = NULL;
    assert_false(theme_load("themes", "../etc/passwd", &t, &error));
    free(error);
    /* built-in fallbacks when no directory is known */
    assert_true(theme_load(NULL, "mono", &t, &error));
    assert_true(t.monochrome);
    assert_true(theme_load(NULL, "dark", &t, &error));
    char **list = theme_list("themes");
    assert_string_equal(list[0], "dark");
    assert_string_equal(list[1], "light");
    assert_string_equal(list[2], "mono");
    assert_null(list[3]);
    theme_list_free(list);
}

#define ASSERT_THEME_CHECK(t, what)           \
    do {                                      \
        char *why_ = theme_check(t);          \
        if (why_)                             \
            fail_msg("%s: %s", (what), why_); \
    } while (0)

/* Every built-in scheme and shipped theme: the selected row does not look
 * like the header or its sorted column (a selection on the first row would
 * be invisible), also as the monochrome attributes a colourless terminal
 * (NO_COLOR) is given. */
static void assert_selection_distinct(const theme *t, const char *what) {
    const theme_role headers[] = {ROLE_HEADER, ROLE_HEADER_SORTED};
    const theme_style *sel = &t->styles[ROLE_SELECTED];
    for (size_t h = 0; h < 2; h++) {
        /* written here, not with theme_styles_alike: bold aside, the same */
        const theme_style *head = &t->styles[headers[h]];
        bool same_attrs = (sel->attrs & ~THEME_BOLD) == (head->attrs & ~THEME_BOLD);
        bool same_colours = sel->fg % 8 == head->fg % 8 && sel->bg % 8 == head->bg % 8;
        if (same_attrs && (t->monochrome || same_colours))
            fail_msg("%s: selected looks like %s", what, theme_role_name(headers[h]));
    }
    ASSERT_THEME_CHECK(t, what);
}

static void test_selection_distinct(void **state) {
    (void)state;
    theme t;
    theme_default(&t);
    assert_selection_distinct(&t, "built-in dark");
    theme_mono(&t);
    assert_selection_distinct(&t, "built-in mono (NO_COLOR, no colours)");
    const char *names[] = {"dark", "light", "mono"};
    for (size_t i = 0; i < 3; i++) {
        char *error = NULL;
        if (!theme_load("themes", names[i], &t, &error))
            fail_msg("%s: %s", names[i], error);
        assert_selection_distinct(&t, names[i]);
    }
}

static void test_alike(void **state) {
    (void)state;
    theme_style a = {7, 4, 0}, b = {7, 4, THEME_BOLD}, c = {0, 6, 0}, d = {15, 12, 0};
    assert_true(theme_styles_alike(&a, &b, false));  /* bold alone tells no bar apart */
    assert_false(theme_styles_alike(&a, &c, false)); /* other colours */
    assert_true(theme_styles_alike(&a, &d, false));  /* bright ones on 8 colours */
    assert_true(theme_styles_alike(&a, &c, true));   /* monochrome: attributes only */
    theme_style r = {-1, -1, THEME_REVERSE}, u = {-1, -1, THEME_UNDERLINE | THEME_BOLD};
    assert_false(theme_styles_alike(&r, &u, true));
    /* a theme whose selection is its header's is refused, saying why */
    theme t;
    theme_default(&t);
    char *error = NULL;
    assert_true(
        theme_parse("header = white on blue\nselected = white on blue bold\n", "x", &t, &error));
    char *why = theme_check(&t);
    assert_non_null(why);
    assert_non_null(strstr(why, "selected looks like header"));
    free(why);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),   cmocka_unit_test(test_errors),
        cmocka_unit_test(test_shipped), cmocka_unit_test(test_selection_distinct),
        cmocka_unit_test(test_alike),
    };
    return cmocka_run_group_tests_name("theme", tests, NULL, NULL);
}
