/* test_strbuf.c: the growing byte string: appends across growth, embedded
 * NULs, printf, take and free leave an empty buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"

static void test_empty(void **state) {
    (void)state;
    strbuf b = {0};
    char *text = strbuf_take(&b);
    assert_string_equal(text, "");
    free(text);
    assert_null(b.data);
    strbuf_free(&b); /* freeing an empty buffer is fine */
    assert_int_equal(b.length, 0);
}

static void test_growth(void **state) {
    (void)state;
    strbuf b = {0};
    for (int i = 0; i < 1000; i++)
        strbuf_puts(&b, "abc");
    assert_int_equal(b.length, 3000);
    assert_true(b.capacity >= 3001);
    assert_int_equal(strlen(b.data), 3000);
    assert_memory_equal(b.data + 2997, "abc", 4); /* NUL-terminated */
    strbuf_free(&b);
    assert_null(b.data);
}

static void test_bytes_and_printf(void **state) {
    (void)state;
    strbuf b = {0};
    strbuf_append(&b, "a\0b", 3);
    strbuf_putc(&b, 'c');
    strbuf_printf(&b, "[%d %s]", 42, "x");
    assert_int_equal(b.length, 4 + strlen("[42 x]"));
    assert_memory_equal(b.data, "a\0bc[42 x]", b.length + 1);
    char *text = strbuf_take(&b);
    assert_null(b.data);
    assert_int_equal(b.length, 0);
    assert_memory_equal(text, "a\0bc[42 x]", 11);
    free(text);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_growth),
        cmocka_unit_test(test_bytes_and_printf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
