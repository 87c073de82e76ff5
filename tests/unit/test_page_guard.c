/* test_page_guard.c: a listing's tokens: new ones go on, a repeated one
 * (right after, or a cycle) ends the listing, and so does the bound. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/aws/page_guard.h"

static void test_new_tokens_go_on(void **state) {
    (void)state;
    page_guard g = {0};
    char *error = NULL;
    char token[32];
    for (int i = 0; i < 100000; i++) { /* the set grows well past its first size */
        snprintf(token, sizeof token, "token-%d", i);
        assert_true(page_guard_next(&g, token, PAGE_GUARD_S3_LIST, &error));
    }
    assert_null(error);
    assert_int_equal(g.pages, 100000);
    page_guard_free(&g);
    assert_null(g.seen);
    assert_int_equal(g.pages, 0);
}

static void test_repeat_ends(void **state) {
    (void)state;
    page_guard g = {0};
    char *error = NULL;
    assert_true(page_guard_next(&g, "A", 100, &error));
    assert_false(page_guard_next(&g, "A", 100, &error)); /* the same token again */
    assert_non_null(strstr(error, "repeated page token"));
    assert_non_null(strstr(error, "page 2"));
    free(error);
    page_guard_free(&g);
    /* a cycle A, B, C, A */
    error = NULL;
    assert_true(page_guard_next(&g, "A", 100, &error));
    assert_true(page_guard_next(&g, "B", 100, &error));
    assert_true(page_guard_next(&g, "C", 100, &error));
    assert_false(page_guard_next(&g, "A", 100, &error));
    assert_non_null(strstr(error, "page 4"));
    free(error);
    page_guard_free(&g);
    /* tokens that differ only late, or only by length, are different */
    error = NULL;
    assert_true(page_guard_next(&g, "eyJrZXkiOiJhIn0=", 100, &error));
    assert_true(page_guard_next(&g, "eyJrZXkiOiJhIn1=", 100, &error));
    assert_true(page_guard_next(&g, "eyJrZXkiOiJhIn1", 100, &error));
    assert_true(page_guard_next(&g, "", 100, &error));
    assert_false(page_guard_next(&g, "", 100, &error));
    free(error);
    page_guard_free(&g);
}

static void test_bound_ends(void **state) {
    (void)state;
    page_guard g = {0};
    char *error = NULL;
    char token[32];
    int pages = 0;
    for (;;) {
        snprintf(token, sizeof token, "t%d", pages);
        pages++;
        if (!page_guard_next(&g, token, 50, &error))
            break;
        assert_true(pages < 1000);
    }
    assert_int_equal(pages, 50); /* the 50th page is the last read: no 51st asked for */
    assert_non_null(strstr(error, "more than 50 pages"));
    free(error);
    page_guard_free(&g);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_tokens_go_on),
        cmocka_unit_test(test_repeat_ends),
        cmocka_unit_test(test_bound_ends),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
