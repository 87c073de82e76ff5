/* test_ranges.c: listing ranges planned from a table's last listing
 * (ranges.h): grains merged into ranges of at most a page, each bound with
 * the keys of its range, and the state file's text both ways (escaped
 * keys, a broken line refused). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/figures/ranges.h"
#include "common/xalloc.h"

static void free_plan(char **bounds, int64_t *counts, size_t n) {
    for (size_t i = 0; i < n; i++)
        free(bounds[i]);
    free(bounds);
    free(counts);
}

/* 25 grains of 100 keys, given out of order: bounds after the 10th and
 * 20th (ranges of 1,000, 1,000, then the rest of 500 to the end) */
static void test_plan_whole_pages(void **state) {
    (void)state;
    ranges_grain g[25];
    for (int i = 0; i < 25; i++) {
        int k = (i * 7) % 25; /* a permutation */
        g[i] = (ranges_grain){.last_key = xasprintf("t/k%05d", (k + 1) * 100), .keys = 100};
    }
    char **bounds;
    int64_t *counts;
    size_t n = ranges_plan(g, 25, 1000, &bounds, &counts);
    assert_int_equal(n, 2);
    assert_string_equal(bounds[0], "t/k01000");
    assert_string_equal(bounds[1], "t/k02000");
    assert_int_equal(counts[0], 1000);
    assert_int_equal(counts[1], 1000);
    free_plan(bounds, counts, n);
    for (int i = 0; i < 25; i++)
        free(g[i].last_key);
}

/* partial grains (a range's rest) merge while they fit in a page; never
 * more than a page in a range */
static void test_plan_partials(void **state) {
    (void)state;
    int64_t keys[] = {100, 100, 100, 100, 100, 100, 100, 100, 100, 40, 100,
                      100, 100, 100, 100, 100, 100, 100, 100, 100, 70, 30};
    size_t n_grains = sizeof keys / sizeof *keys;
    ranges_grain *g = xcalloc(n_grains, sizeof *g);
    int64_t total = 0;
    for (size_t i = 0; i < n_grains; i++) {
        g[i] = (ranges_grain){.last_key = xasprintf("k%02zu", i), .keys = keys[i]};
        total += keys[i];
    }
    char **bounds;
    int64_t *counts;
    size_t n = ranges_plan(g, n_grains, 1000, &bounds, &counts);
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        assert_true(counts[i] <= 1000);
        assert_true(counts[i] > 900); /* pages come within a grain of full */
        sum += counts[i];
        if (i)
            assert_true(strcmp(bounds[i - 1], bounds[i]) < 0);
    }
    assert_true(total - sum <= 1000); /* the last range, to the end */
    assert_int_equal(n, 2);
    assert_int_equal(counts[0], 940);
    assert_string_equal(bounds[0], "k09");
    free_plan(bounds, counts, n);
    for (size_t i = 0; i < n_grains; i++)
        free(g[i].last_key);
    free(g);
    assert_int_equal(ranges_plan(NULL, 0, 1000, &bounds, &counts), 0);
    assert_null(bounds);
}

static char **strings(const char *a, const char *b) {
    char **s = xcalloc(2, sizeof *s);
    s[0] = xstrdup(a);
    s[1] = xstrdup(b);
    return s;
}

static int64_t *counts_of(int64_t a, int64_t b) {
    int64_t *c = xcalloc(2, sizeof *c);
    c[0] = a;
    c[1] = b;
    return c;
}

static bool only_u(void *ctx, const char *database, const char *table) {
    (void)ctx;
    return strcmp(database, "db") == 0 && strcmp(table, "u") == 0;
}

static void test_state_round_trip(void **state) {
    (void)state;
    ranges_state s = {0};
    ranges_state_put(&s, "db", "t", "b/t/", strings("t/a b%\t1", "t/\xc3\xa9\n2"),
                     counts_of(1000, 999), 2);
    ranges_state_put(&s, "db", "u", "b/u/", strings("u/x", "u/y"), counts_of(5, 6), 2);
    ranges_state_put(&s, "db", "u", "b/u/", strings("u/p", "u/q"), counts_of(7, 8), 2);
    char *text = ranges_state_format(&s);
    assert_null(strstr(text, "\t1\t")); /* the tab of the key escaped */
    ranges_state back = {0};
    assert_true(ranges_state_parse(text, &back));
    const ranges_table *t = ranges_state_find(&back, "db", "t", "b/t/");
    assert_non_null(t);
    assert_int_equal(t->n_bounds, 2);
    assert_string_equal(t->bounds[0], "t/a b%\t1");
    assert_string_equal(t->bounds[1], "t/\xc3\xa9\n2");
    assert_int_equal(t->counts[1], 999);
    const ranges_table *u = ranges_state_find(&back, "db", "u", "b/u/");
    assert_non_null(u);
    assert_string_equal(u->bounds[0], "u/p"); /* replaced, not appended */
    assert_int_equal(u->counts[1], 8);
    assert_null(ranges_state_find(&back, "db", "u", "b/elsewhere/")); /* moved: forgotten */
    free(text);
    ranges_state_sweep(&back, only_u, NULL); /* t dropped from the catalog */
    assert_int_equal(back.n, 1);
    assert_string_equal(back.tables[0].table, "u");
    assert_non_null(ranges_state_find(&back, "db", "u", "b/u/"));
    ranges_state_free(&s);
    ranges_state_free(&back);
}

static void test_state_refused(void **state) {
    (void)state;
    ranges_state s = {0};
    assert_false(ranges_state_parse("db\tt\tb/t/\tt/a\t10\ndb\tt\tb/t/\tt/b\n", &s));
    assert_int_equal(s.n, 1); /* the good line before it kept */
    assert_int_equal(s.tables[0].n_bounds, 1);
    ranges_state_free(&s);
    assert_false(ranges_state_parse("db\tt\tb/t/\tt/a\t-3\n", &s));
    ranges_state_free(&s);
    assert_false(ranges_state_parse("db\tt\tb/t/\tt/%zz\t3\n", &s));
    ranges_state_free(&s);
    assert_false(ranges_state_parse("db\tt\tb/t/\tt/a\t3", &s)); /* cut short */
    ranges_state_free(&s);
    /* bounds out of order: the later one dropped */
    assert_true(ranges_state_parse("db\tt\tb/t/\tt/b\t3\ndb\tt\tb/t/\tt/a\t3\n", &s));
    assert_int_equal(s.tables[0].n_bounds, 1);
    ranges_state_free(&s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plan_whole_pages),
        cmocka_unit_test(test_plan_partials),
        cmocka_unit_test(test_state_round_trip),
        cmocka_unit_test(test_state_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
