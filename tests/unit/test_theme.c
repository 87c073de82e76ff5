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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_shipped),
    };
    return cmocka_run_group_tests_name("theme", tests, NULL, NULL);
}
